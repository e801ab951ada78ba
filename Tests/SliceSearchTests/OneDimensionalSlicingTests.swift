import Kernels
import Stats
import Testing
import _TestSupport

@testable import SliceSearch

/// The 1-D statistics against a brute-force recount and the textbook formulas.
struct OneDimensionalSlicingTests {
    @Test(arguments: [1 as UInt64, 2, 3])
    func countsRatesAndQValuesMatchABruteForceRecount(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let rows = 3_000
        let groupCounts = [3, 7]
        let features = groupCounts.enumerated().map { index, groups in
            BinnedFeature(
                name: "f\(index)", kind: .categorical, columnType: "string",
                identities: (0..<groups).map { .value("v\($0)") },
                codes: (0..<rows).map { _ in UInt16(random.next() % UInt64(groups)) })
        }
        let failure = (0..<rows).map { row in
            UInt8(random.unit() < (features[0].codes[row] == 1 ? 0.3 : 0.1) ? 1 : 0)
        }
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        let result = OneDimensionalSlicing.evaluate(
            features: features, outcomes: outcomes, options: SlicingOptions(), regression: false, binary: false)
        let totalFailures = failure.reduce(0) { $0 + Int($1) }
        #expect(result.total.rows == rows && result.total.failures == totalFailures)
        var pValues: [Double] = []
        for (featureIndex, feature) in features.enumerated() {
            for code in 0..<feature.identities.count {
                let members = (0..<rows).filter { Int(feature.codes[$0]) == code }
                let failures = members.reduce(0) { $0 + Int(failure[$1]) }
                let statistics = result.features[featureIndex].bins[code].statistics
                #expect(statistics.n == members.count)
                #expect(statistics.failures == failures)
                #expect(statistics.failureRate == Double(failures) / Double(members.count))
                let overall = Double(totalFailures) / Double(rows)
                #expect(isClose(statistics.lift, Double(failures) / Double(members.count) / overall, relative: 1e-12))
                let expected = TwoSampleTests.compare(
                    successes1: failures, trials1: members.count, successes2: totalFailures - failures,
                    trials2: rows - members.count)
                #expect(statistics.pValue == expected.pValue)
                pValues.append(expected.pValue)
            }
        }
        let qValues = MultipleTesting.benjaminiHochberg(pValues)
        let reported = result.features.flatMap { $0.bins.map(\.statistics.qValue) }
        #expect(reported == qValues)
        // The planted bin f0 = v1 is the hotspot; every hotspot meets every criterion.
        #expect(result.hotspots.first?.feature == "f0" && result.hotspots.first?.identity == .value("v1"))
        for hotspot in result.hotspots {
            #expect(hotspot.statistics.qValue < 0.05 && hotspot.statistics.lift >= 1.2 && hotspot.statistics.n >= 30)
        }
    }

    @Test func emptyBinsAreNotTested() {
        let feature = BinnedFeature(
            name: "f", kind: .categorical, columnType: "string", identities: [.value("a"), .value("b"), .missing],
            codes: [0, 0, 1, 1])
        let outcomes = RowOutcomes(failure: [1, 0, 0, 0], loss: nil, signedError: nil, confusion: nil)
        let result = OneDimensionalSlicing.evaluate(
            features: [feature], outcomes: outcomes, options: SlicingOptions(), regression: false, binary: false)
        let empty = result.features[0].bins[2].statistics
        #expect(empty.n == 0 && empty.pValue.isNaN && empty.qValue.isNaN)
    }

    @Test func minimumSupportDefaultsToOnePercentAndAtLeastThirty() {
        var options = SlicingOptions()
        #expect(options.minimumSupport(rows: 1_000) == 30)
        #expect(options.minimumSupport(rows: 48_842) == 489)
        options.minSupport = 0.1
        #expect(options.minimumSupport(rows: 1_000) == 100)
        options.minSupport = 12
        #expect(options.minimumSupport(rows: 1_000) == 12)
    }
}

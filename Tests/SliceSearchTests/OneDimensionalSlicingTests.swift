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

    // MARK: - Counted against the time axis

    /// Features of every kind the analysis slices (two numeric-like, a label and a prediction), a time axis of 40
    /// buckets, a batch column, seeded; a binary task's failures and confusion cells.
    static func timeAxisInput(rows: Int, seed: UInt64) -> (features: [BinnedFeature], confusion: [UInt8], failure: [UInt8]) {
        var random = SeededRandom(seed: seed)
        func feature(_ name: String, _ kind: FeatureKind, bins: Int) -> BinnedFeature {
            BinnedFeature(
                name: name, kind: kind, columnType: "string", identities: (0..<bins).map { .value("v\($0)") },
                codes: (0..<rows).map { _ in UInt16(random.next() % UInt64(bins)) })
        }
        let features = [
            feature("a", .numeric, bins: 11), feature("b", .categorical, bins: 51), feature("ts", .time, bins: 40),
            feature("label", .label, bins: 2), feature("pred", .prediction, bins: 2), feature("batch", .batch, bins: 7),
        ]
        let confusion = (0..<rows).map { _ in UInt8(random.next() % 4) }
        let failure = confusion.map { $0 == 1 || $0 == 3 ? UInt8(1) : 0 }
        return (features, confusion, failure)
    }

    /// Counting the features against the time axis changes no statistic, and gives each column but the time column
    /// (the batch column too) its table against the axis, as the time analysis would count it.
    @Test(arguments: [false, true])
    func countingAgainstTheTimeAxisGivesTheSameSlices(binary: Bool) {
        let (features, confusion, failure) = Self.timeAxisInput(rows: 70_001, seed: binary ? 5 : 6)
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: binary ? confusion : nil)
        var options = SlicingOptions()
        options.threads = 2
        let plain = OneDimensionalSlicing.evaluate(
            features: features, outcomes: outcomes, options: options, regression: false, binary: binary)
        let (withTables, tables) = OneDimensionalSlicing.evaluate(
            features: features, outcomes: outcomes, options: options, regression: false, binary: binary,
            timeAxis: features[2])
        #expect(withTables.total == plain.total)
        #expect(withTables.features == plain.features)
        #expect(withTables.hotspots == plain.hotspots)
        #expect(Set(tables.keys) == ["a", "b", "label", "pred", "batch"])
        for (index, feature) in features.enumerated() where tables[feature.name] != nil {
            let expected = PairCounts.countAgainst(
                features: [feature.codes], codeCounts: [feature.identities.count], column: features[2].codes,
                columnCount: 40, failure: failure, threads: 1)[0]
            #expect(tables[feature.name] == KeptTimeTable(feature: feature, table: expected), "\(index)")
        }
    }

    /// The slices and the time tables are the same whatever width the codes are stored at: one byte, two, or a mix
    /// (a feature of 300 bins beside features of a few).
    @Test(arguments: [false, true])
    func codesOfEitherWidthGiveTheSameSlices(binary: Bool) {
        var (features, confusion, failure) = Self.timeAxisInput(rows: 30_001, seed: binary ? 8 : 9)
        var random = SeededRandom(seed: 10)
        features.append(
            BinnedFeature(
                name: "many", kind: .categorical, columnType: "string", identities: (0..<300).map { .value("w\($0)") },
                codes: (0..<30_001).map { _ in UInt16(random.next() % 300) }))
        #expect(features.map(\.codes.isNarrow) == [true, true, true, true, true, true, false])
        let wide = features.map { feature in
            var copy = feature
            copy.codes = BinCodes(feature.codes.wide)
            return copy
        }
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: binary ? confusion : nil)
        var options = SlicingOptions()
        options.threads = 2
        let (mixed, mixedTables) = OneDimensionalSlicing.evaluate(
            features: features, outcomes: outcomes, options: options, regression: false, binary: binary,
            timeAxis: features[2])
        let (allWide, wideTables) = OneDimensionalSlicing.evaluate(
            features: wide, outcomes: outcomes, options: options, regression: false, binary: binary,
            timeAxis: wide[2])
        #expect(mixed.total == allWide.total)
        #expect(mixed.features == allWide.features)
        #expect(mixed.hotspots == allWide.hotspots)
        #expect(mixedTables == wideTables)
        #expect(mixedTables["many"] != nil)
    }

    /// Under a continuous loss (or a regression error) the bins' statistics need the rows' values: no feature is
    /// counted against the time axis. Without an axis, none either.
    @Test func aContinuousLossOrNoAxisCountsNoTable() {
        let (features, _, failure) = Self.timeAxisInput(rows: 1_000, seed: 7)
        let loss = failure.map { Double($0) * 2.5 }
        let withLoss = RowOutcomes(failure: failure, loss: loss, signedError: nil, confusion: nil)
        let (outcome, tables) = OneDimensionalSlicing.evaluate(
            features: features, outcomes: withLoss, options: SlicingOptions(), regression: false, binary: false,
            timeAxis: features[2])
        #expect(tables.isEmpty)
        #expect(outcome.features == OneDimensionalSlicing.evaluate(
            features: features, outcomes: withLoss, options: SlicingOptions(), regression: false, binary: false).features)
        let withErrors = RowOutcomes(
            failure: failure, loss: nil, signedError: failure.map { Double($0) - 0.5 }, confusion: nil)
        let (regression, noTables) = OneDimensionalSlicing.evaluate(
            features: features, outcomes: withErrors, options: SlicingOptions(), regression: true, binary: false,
            timeAxis: features[2])
        #expect(noTables.isEmpty)
        #expect(regression.features == OneDimensionalSlicing.evaluate(
            features: features, outcomes: withErrors, options: SlicingOptions(), regression: true, binary: false).features)
        let plain = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        let (_, none) = OneDimensionalSlicing.evaluate(
            features: features, outcomes: plain, options: SlicingOptions(), regression: false, binary: false,
            timeAxis: nil)
        #expect(none.isEmpty)
    }

    /// With the batch column as the axis (a dump without a time column), the other columns get tables against
    /// the batches: neither the batch column itself nor a time column.
    @Test func aBatchAxisGetsTheSameFeatures() {
        let (features, _, failure) = Self.timeAxisInput(rows: 2_000, seed: 9)
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        let (outcome, tables) = OneDimensionalSlicing.evaluate(
            features: features, outcomes: outcomes, options: SlicingOptions(), regression: false, binary: false,
            timeAxis: features[5])
        #expect(Set(tables.keys) == ["a", "b", "label", "pred"])
        #expect(tables.values.allSatisfy { $0.table.secondCount == 7 })
        #expect(outcome.features == OneDimensionalSlicing.evaluate(
            features: features, outcomes: outcomes, options: SlicingOptions(), regression: false, binary: false).features)
    }

    /// Features are given tables first to last while they fit the time analysis's budget: one feature past the
    /// per-table limit is left to the group-by, and the later ones still get theirs.
    @Test func tablesPastTheBudgetAreLeftToTheGroupBy() {
        let (features, _, failure) = Self.timeAxisInput(rows: 500, seed: 8)
        let axisBins = 40
        let tooMany = RowTimeCounter.maximumTableCells / axisBins + 1
        let wide = BinnedFeature(
            name: "wide", kind: .categorical, columnType: "string", identities: (0..<tooMany).map { .value("w\($0)") },
            codes: (0..<500).map { UInt16($0 % tooMany) })
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        let all = [wide] + features
        #expect(OneDimensionalSlicing.timeTableFeatures(all, outcomes: outcomes, timeAxis: features[2]) == [1, 2, 4, 5, 6])
        let (outcome, tables) = OneDimensionalSlicing.evaluate(
            features: all, outcomes: outcomes, options: SlicingOptions(), regression: false, binary: false,
            timeAxis: features[2])
        #expect(tables["wide"] == nil && tables.count == 5)
        let plain = OneDimensionalSlicing.evaluate(
            features: all, outcomes: outcomes, options: SlicingOptions(), regression: false, binary: false)
        // The wide feature's empty bins have NaN rates, never equal: its counts are compared.
        #expect(outcome.features.dropFirst() == plain.features.dropFirst())
        #expect(outcome.features[0].bins.map(\.statistics.n) == plain.features[0].bins.map(\.statistics.n))
        #expect(outcome.features[0].bins.map(\.statistics.failures) == plain.features[0].bins.map(\.statistics.failures))
    }
}

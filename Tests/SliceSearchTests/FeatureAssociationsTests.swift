import ColumnStore
import Kernels
import Stats
import Synchronization
import Testing
import _TestSupport

@testable import SliceSearch

/// Per-feature associations against scipy on the committed dump, ranking, and no claims without effects.
struct FeatureAssociationsTests {
    /// scipy 1.17 on the fixture dump: MI (G/2N, nats), X², p and Cramér's V within 1e-12 relative (p 1e-10);
    /// pointbiserialr r 1e-12 and p 1e-10; the trapezoidal ROC AUC 1e-14.
    @Test func matchesScipyOnTheFixtureDump() throws {
        let fixture = try ConditionsSlicesFixture.load()
        let entries = FeatureAssociations.evaluate(
            features: fixture.binnedFeatures, outcomes: fixture.outcomes, numericValues: ["x": fixture.x])
        #expect(entries.count == 4)
        for reference in fixture.associations {
            let entry = try #require(entries.first { $0.feature == reference.feature })
            #expect(isClose(entry.mutualInformation, reference.mutual_information, relative: 1e-12))
            #expect(isClose(entry.chiSquare, reference.chi2, relative: 1e-12))
            #expect(isClose(entry.pValue, reference.pvalue, relative: 1e-10))
            #expect(isClose(entry.cramersV, reference.cramers_v, relative: 1e-12))
            #expect(entry.rows == fixture.rows)
            if let r = reference.r, let rp = reference.r_pvalue, let auc = reference.auc {
                let numeric = try #require(entry.numeric)
                #expect(isClose(numeric.pointBiserial, r, relative: 1e-12))
                #expect(isClose(numeric.pointBiserialPValue, rp, relative: 1e-10))
                #expect(isClose(numeric.auc, auc, relative: 1e-14))
                #expect(numeric.rows == fixture.rows)
            } else {
                #expect(entry.numeric == nil)
            }
        }
        // Ranked by Cramér's V: the planted condition a first, its proxy next.
        #expect(entries.map(\.feature) == ["a", "proxy", "b", "x"])
        for pair in zip(entries, entries.dropFirst()) { #expect(pair.0.cramersV >= pair.1.cramersV) }
        let qValues = MultipleTesting.benjaminiHochberg(entries.map(\.pValue))
        #expect(entries.map(\.qValue) == qValues)
    }

    /// Failures independent of five features (3 to 12 bins): under this global null, BH at 5% claims something in 5%
    /// of runs (scipy simulation of the same design: 5.2% of 4,000 runs). Over 400 seeded runs the count must stay
    /// within Monte Carlo error of that: at most 31, the 99% quantile of Binomial(400, 0.05) (measured: 27).
    @Test func noClaimsWithoutEffects() {
        var runsWithClaims = 0
        for seed in 0..<400 {
            var random = SeededRandom(seed: UInt64(50_000 + seed))
            let rows = 1_500
            let features = [3, 5, 8, 12, 4].enumerated().map { index, bins in
                BinnedFeature(
                    name: "f\(index)", kind: .categorical, columnType: "string",
                    identities: (0..<bins).map { .value("v\($0)") },
                    codes: (0..<rows).map { _ in UInt16(random.next() % UInt64(bins)) })
            }
            let values = (0..<rows).map { _ in random.unit() }
            let failure = (0..<rows).map { _ in UInt8(random.unit() < 0.12 ? 1 : 0) }
            let entries = FeatureAssociations.evaluate(
                features: features, outcomes: RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil),
                numericValues: ["f0": values])
            if entries.contains(where: { $0.qValue < 0.05 }) { runsWithClaims += 1 }
        }
        #expect(runsWithClaims <= 31, "\(runsWithClaims) of 400")
    }

    /// Counts handed in (as the 1-D slicing's) give the same entries as counting here; counts of the wrong length
    /// are ignored and recounted.
    @Test func givenCountsEqualCountingHere() {
        var random = SeededRandom(seed: 77)
        let rows = 3_000
        let features = [4, 9].enumerated().map { index, bins in
            BinnedFeature(
                name: "f\(index)", kind: .categorical, columnType: "string",
                identities: (0..<bins).map { .value("v\($0)") },
                codes: (0..<rows).map { _ in UInt16(random.next() % UInt64(bins)) })
        }
        let failure = (0..<rows).map { _ in UInt8(random.unit() < 0.2 ? 1 : 0) }
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        let counted = FeatureAssociations.evaluate(features: features, outcomes: outcomes, threads: 1) { _ in nil }
        let given = FeatureAssociations.evaluate(
            features: features, outcomes: outcomes, threads: 2,
            counts: { feature in
                var trials = [Int](repeating: 0, count: feature.identities.count)
                var failures = trials
                for (row, code) in feature.codes.enumerated() {
                    trials[Int(code)] += 1
                    failures[Int(code)] += Int(failure[row])
                }
                return (trials, failures)
            }
        ) { _ in nil }
        #expect(given == counted)
        let wrongLength = FeatureAssociations.evaluate(
            features: features, outcomes: outcomes, threads: 1, counts: { _ in ([rows], [0]) }
        ) { _ in nil }
        #expect(wrongLength == counted)
    }

    @Test func numericValuesFromColumns() {
        let floats = Column(
            name: "f", values: .float64(ColumnBuffer([1.5, 2.5, 3.5])), validity: ValidityBitmap([true, false, true]))
        #expect(FeatureAssociations.numericValues(of: floats, keep: nil)?.map { $0.isNaN ? -1 : $0 } == [1.5, -1, 3.5])
        #expect(FeatureAssociations.numericValues(of: floats, keep: [true, false, true]) == [1.5, 3.5])
        let integers = Column(name: "i", values: .int64(ColumnBuffer([4, 5])), validity: nil)
        #expect(FeatureAssociations.numericValues(of: integers, keep: nil) == [4, 5])
        let flags = Column(name: "b", values: .bool(ColumnBuffer([0, 1])), validity: nil)
        #expect(FeatureAssociations.numericValues(of: flags, keep: nil) == nil)
    }

    /// A feature binned with the failures brings its raw-value measures: they match scipy on the fixture dump, they
    /// are reported as they are, and its raw values are not asked for.
    @Test func measuresFromTheBinnerAreUsedAsTheyAre() throws {
        let fixture = try ConditionsSlicesFixture.load()
        let reference = try #require(fixture.associations.first { $0.feature == "x" })
        let column = Column(name: "x", values: .float64(ColumnBuffer(fixture.x)), validity: nil)
        let binned = try #require(
            FeatureBinner(options: SlicingOptions()).bin(
                column, role: .feature, keep: nil, failure: fixture.outcomes.failure))
        let measures = try #require(binned.rawValueMeasures)
        #expect(isClose(measures.pointBiserial, try #require(reference.r), relative: 1e-12))
        #expect(isClose(measures.pointBiserialPValue, try #require(reference.r_pvalue), relative: 1e-10))
        #expect(isClose(measures.auc, try #require(reference.auc), relative: 1e-14))
        #expect(measures.rows == fixture.rows)

        var features = fixture.binnedFeatures
        let index = try #require(features.firstIndex { $0.name == "x" })
        // A sentinel comes back unchanged, and the values are not asked for.
        features[index].rawValueMeasures = .init(
            pointBiserial: 0.5, pointBiserialPValue: 0.25, auc: 0.75, aucPValue: 0.125, rows: 7)
        let asked = Mutex<[String]>([])
        let carried = FeatureAssociations.evaluate(features: features, outcomes: fixture.outcomes, threads: 2) {
            feature in
            asked.withLock { $0.append(feature.name) }
            return nil
        }
        #expect(!asked.withLock { $0 }.contains("x"))
        #expect(carried.first { $0.feature == "x" }?.numeric == features[index].rawValueMeasures)
    }
}

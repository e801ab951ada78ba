import ColumnStore
import Foundation
import Kernels
import Stats
import Testing
import _TestSupport

@testable import SliceSearch

/// Time dependence: scipy/statsmodels values on the committed dump, planted shifts found, random timestamps
/// not flagged, index and batch axes, the baseline option, emerging slices and the decomposition identity.
struct TimeAnalysisTests {
    static func outcomes(_ failure: [UInt8]) -> RowOutcomes {
        RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
    }

    /// A timestamp column binned by the engine's FeatureBinner.
    static func timeFeature(seconds: [Int64], width: TimeBucketWidth? = nil) throws -> BinnedFeature {
        var options = SlicingOptions()
        options.timeBucket = width
        let column = Column(name: "ts", values: .timestamp(ColumnBuffer(seconds), .second), validity: nil)
        return try #require(FeatureBinner(options: options).bin(column, role: .time, keep: nil))
    }

    static let start: Int64 = 1_704_067_200  // 2024-01-01T00:00:00Z
    static let day: Int64 = 86_400

    /// The fixture: bucket counts exact; the homogeneity X² over merged buckets, its dof and p within 1e-12
    /// (scipy chi2_contingency); the trend z and p within 1e-12 (prop.trend.test formula); the best split's
    /// position, G² (1e-10) and Bonferroni p (1e-9) from scipy's G-test; the decomposition (numpy) within 1e-12.
    @Test func matchesReferenceOnTheFixtureDump() throws {
        let fixture = try ConditionsSlicesFixture.load()
        let result = TimeAnalysis.analyze(
            time: fixture.timeFeature, outcomes: fixture.outcomes, features: fixture.binnedFeatures)
        #expect(result.axis == .timestamp && result.ordered && result.bucket == "day")
        #expect(result.rows == fixture.rows && result.missingRows == 0)
        #expect(result.buckets.map(\.statistics.n) == fixture.time.bucket_trials)
        #expect(result.buckets.map(\.statistics.failures) == fixture.time.bucket_failures)
        #expect(result.buckets[3].start == .timestamp(Self.start + 3 * Self.day))
        #expect(result.buckets[3].start.text == "2024-01-04T00:00:00Z")

        let tests = Dictionary(uniqueKeysWithValues: result.tests.map { ($0.name, $0) })
        let homogeneity = try #require(tests[.homogeneity])
        #expect(isClose(homogeneity.statistic, fixture.time.homogeneity.chi2, relative: 1e-12))
        #expect(homogeneity.degreesOfFreedom == fixture.time.homogeneity.dof)
        #expect(isClose(homogeneity.pValue, fixture.time.homogeneity.pvalue, relative: 1e-10))
        let trend = try #require(tests[.trend])
        #expect(isClose(trend.statistic, fixture.time.trend.z, relative: 1e-12))
        #expect(isClose(trend.pValue, fixture.time.trend.pvalue, relative: 1e-10))
        let changePoint = try #require(tests[.changePoint])
        #expect(isClose(changePoint.statistic, fixture.time.best_split.statistic, relative: 1e-10))
        #expect(isClose(changePoint.pValue, fixture.time.best_split.pvalue, relative: 1e-9))
        let holm = MultipleTesting.holm(result.tests.map(\.pValue))
        #expect(result.tests.map(\.adjustedPValue) == holm)

        #expect(result.timeDependent)
        let split = try #require(result.split)
        #expect(split.source == .changePoint && split.bucketIndex == fixture.time.best_split.index)
        #expect(result.changePoints.contains { $0.bucketIndex == fixture.time.best_split.index && $0.rank == 0 })

        for reference in fixture.time.decomposition {
            let entry = try #require(result.decomposition.first { $0.feature == reference.feature })
            #expect(isClose(entry.total, reference.total, relative: 1e-12))
            #expect(isClose(entry.mix, reference.mix, relative: 1e-10, absolute: 1e-15))
            #expect(isClose(entry.rate, reference.rate, relative: 1e-10, absolute: 1e-15))
            #expect(abs(entry.mix + entry.rate - entry.total) < 1e-15)
            for bin in entry.bins {
                #expect(isClose(bin.mix, reference.bin_mix[bin.code], relative: 1e-10, absolute: 1e-16))
                #expect(isClose(bin.rate, reference.bin_rate[bin.code], relative: 1e-10, absolute: 1e-16))
            }
        }
    }

    /// 60 days, 80–120 rows a day, failure rate 10% → 20% from day 40: time-dependent, with the change point on day
    /// 40 (±1) and the rates around it inside their intervals.
    @Test(arguments: [1 as UInt64, 2, 3])
    func plantedShiftIsFound(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var seconds: [Int64] = []
        var failure: [UInt8] = []
        for day in 0..<60 {
            for _ in 0..<(80 + Int(random.next() % 41)) {
                seconds.append(Self.start + Int64(day) * Self.day + Int64(random.next() % UInt64(Self.day)))
                failure.append(random.unit() < (day < 40 ? 0.10 : 0.20) ? 1 : 0)
            }
        }
        let time = try Self.timeFeature(seconds: seconds)
        #expect(time.timeBucket == .day)
        let result = TimeAnalysis.analyze(time: time, outcomes: Self.outcomes(failure))
        #expect(result.timeDependent)
        #expect(!result.evidence.isEmpty)
        let largest = try #require(result.changePoints.first { $0.rank == 0 })
        #expect(abs(largest.bucketIndex - 40) <= 1, "change at \(largest.bucketIndex)")
        #expect(largest.at == .timestamp(Self.start + Int64(largest.bucketIndex) * Self.day))
        #expect(largest.before.ciLow < 0.10 + 0.02 && largest.after.ciHigh > 0.20 - 0.02)
        #expect(largest.before.rate < largest.after.rate)
        #expect(result.segments.count == result.changePoints.count + 1)
        #expect(result.segments.map(\.statistics.n).reduce(0, +) == seconds.count)
    }

    /// Random timestamps (failures independent of time, 2,000 rows over 60 days): not time-dependent in at least 95%
    /// of 200 seeded runs (Holm at α = 0.05 bounds the rate by 5%; measured: 7 of 200).
    @Test func randomTimestampsAreNotTimeDependent() throws {
        var flagged = 0
        for seed in 0..<200 {
            var random = SeededRandom(seed: UInt64(20_000 + seed))
            let rows = 2_000
            let seconds = (0..<rows).map { _ in Self.start + Int64(random.next() % UInt64(60 * Self.day)) }
            let failure = (0..<rows).map { _ in UInt8(random.unit() < 0.1 ? 1 : 0) }
            let result = TimeAnalysis.analyze(time: try Self.timeFeature(seconds: seconds), outcomes: Self.outcomes(failure))
            if result.timeDependent {
                flagged += 1
            } else {
                #expect(result.changePoints.isEmpty && result.split == nil && result.emerging.isEmpty)
            }
        }
        #expect(flagged <= 10, "\(flagged) of 200 runs flagged")
    }

    /// A numeric ordering index (row number) binned into quantile intervals: the axis is `index`, positions are the
    /// interval edges, and a shift at row 6,000 of 10,000 is found between the 5th and 7th decile.
    @Test func numericIndexAxis() throws {
        var random = SeededRandom(seed: 42)
        let rows = 10_000
        let failure = (0..<rows).map { row in UInt8(random.unit() < (row < 6_000 ? 0.08 : 0.16) ? 1 : 0) }
        let column = Column(name: "step", values: .int64(ColumnBuffer((0..<rows).map { Int64($0) })), validity: nil)
        let time = try #require(FeatureBinner(options: SlicingOptions()).bin(column, role: .time, keep: nil))
        let result = TimeAnalysis.analyze(time: time, outcomes: Self.outcomes(failure))
        #expect(result.axis == .index && result.bucket == "quantile" && result.buckets.count == 10)
        #expect(result.timeDependent)
        let largest = try #require(result.changePoints.first { $0.rank == 0 })
        guard case .index(let at) = largest.at else {
            Issue.record("expected an index position, got \(largest.at)")
            return
        }
        #expect(at >= 5_000 && at <= 7_000, "change at \(at)")
        #expect(largest.at.text == NumberFormat.shortest(at))
    }

    /// Text batch ids are unordered: only the homogeneity test, no change points, no split; a bad batch is detected.
    @Test func textBatchesGetOnlyHomogeneity() {
        var random = SeededRandom(seed: 8)
        let batches = ["alpha", "bravo", "charlie", "delta", "echo"]
        var codes: [UInt16] = []
        var failure: [UInt8] = []
        for _ in 0..<3_000 {
            let batch = UInt16(random.next() % 5)
            codes.append(batch)
            failure.append(random.unit() < (batch == 3 ? 0.25 : 0.1) ? 1 : 0)
        }
        let feature = BinnedFeature(
            name: "batch", kind: .batch, columnType: "string", identities: batches.map { .value($0) }, codes: codes)
        let result = TimeAnalysis.analyze(time: feature, outcomes: Self.outcomes(failure))
        #expect(result.axis == .label && !result.ordered && result.bucket == "value")
        #expect(result.tests.map(\.name) == [.homogeneity])
        #expect(result.timeDependent)
        #expect(result.changePoints.isEmpty && result.split == nil)
        #expect(result.buckets.map(\.start) == batches.map { .label($0) })
    }

    /// `baselineUntil`: buckets starting before T are the baseline, whatever the change points say.
    @Test func baselineUntilSetsTheSplit() throws {
        let fixture = try ConditionsSlicesFixture.load()
        var options = TimeAnalysisOptions()
        options.baselineUntil = Double(Self.start + 5 * Self.day) + 1  // inside day 5: day 5 is baseline
        let result = TimeAnalysis.analyze(
            time: fixture.timeFeature, outcomes: fixture.outcomes, features: fixture.binnedFeatures, options: options)
        let split = try #require(result.split)
        #expect(split.source == .baseline && split.bucketIndex == 6)
        #expect(split.before.n == fixture.time.bucket_trials[0..<6].reduce(0, +))
        options.baselineUntil = Double(Self.start)  // nothing before: no split
        #expect(TimeAnalysis.analyze(time: fixture.timeFeature, outcomes: fixture.outcomes, options: options).split == nil)
    }

    /// Fifty days of 200 rows, with `segment` (4 codes) and `other` (3 codes) drawn at random: segment 2's failure
    /// rate goes from 10% to 30% on day 30, every other row's stays at 10%.
    static func emergingDump(seed: UInt64)
        -> (seconds: [Int64], segment: [UInt16], other: [UInt16], failure: [UInt8])
    {
        var random = SeededRandom(seed: seed)
        var dump: (seconds: [Int64], segment: [UInt16], other: [UInt16], failure: [UInt8]) = ([], [], [], [])
        for day in 0..<50 {
            for _ in 0..<200 {
                let code = UInt16(random.next() % 4)
                dump.seconds.append(Self.start + Int64(day) * Self.day + 3_600)
                dump.segment.append(code)
                dump.other.append(UInt16(random.next() % 3))
                dump.failure.append(random.unit() < (code == 2 && day >= 30 ? 0.30 : 0.10) ? 1 : 0)
            }
        }
        return dump
    }

    /// One slice (segment = "new") triples its failure rate after day 30 while the rest stays at 10%: it is the
    /// emerging slice; the unaffected bins of another feature are not.
    @Test func emergingSliceIsFound() throws {
        let (seconds, segment, other, failure) = Self.emergingDump(seed: 77)
        let features = [
            BinnedFeature(name: "segment", kind: .categorical, columnType: "string",
                          identities: ["a", "b", "new", "d"].map { .value($0) }, codes: segment),
            BinnedFeature(name: "other", kind: .categorical, columnType: "string",
                          identities: ["x", "y", "z"].map { .value($0) }, codes: other),
        ]
        let time = try Self.timeFeature(seconds: seconds)
        let result = TimeAnalysis.analyze(time: time, outcomes: Self.outcomes(failure), features: features)
        #expect(result.timeDependent)
        let split = try #require(result.split)
        #expect(abs(split.bucketIndex - 30) <= 1)
        let first = try #require(result.emerging.first)
        #expect(first.feature == "segment" && first.identity == .value("new"))
        #expect(first.qValue < 0.05 && first.after.rate > first.before.rate)
        #expect(!result.emerging.contains { $0.feature == "segment" && $0.identity != .value("new") })
        // The decomposition puts the change in the rate part for segment (shares did not move).
        let decomposition = try #require(result.decomposition.first { $0.feature == "segment" })
        #expect(abs(decomposition.rate) > 10 * abs(decomposition.mix))
        // Following the slice over time: per-bucket counts add up to the slice.
        let series = TimeAnalysis.sliceSeries(
            [[SliceReference(feature: "segment", identity: .value("new"))],
             [SliceReference(feature: "nope", identity: .value("new"))]],
            time: time, features: features, outcomes: Self.outcomes(failure), result: result)
        #expect(series.count == 1)
        let slice = try #require(series.first)
        #expect(slice.buckets.count == result.buckets.count)
        #expect(slice.buckets.map(\.n).reduce(0, +) == segment.filter { $0 == 2 }.count)
        #expect(slice.segments.map(\.n).reduce(0, +) == segment.filter { $0 == 2 }.count)
        let before = try #require(slice.before)
        let after = try #require(slice.after)
        #expect(before.rate < 0.15 && after.rate > 0.25)
    }

    /// mix + rate = total exactly (to rounding) for random tables, including bins empty in one period and missing
    /// time values (left out); a pure mix change has no rate part.
    @Test func decompositionIdentity() throws {
        var random = SeededRandom(seed: 123)
        for _ in 0..<50 {
            let rows = 400
            let bins = 2 + Int(random.next() % 6)
            var timeCodes: [UInt16] = []
            var codes: [UInt16] = []
            var failure: [UInt8] = []
            for _ in 0..<rows {
                let late = random.unit() < 0.5
                timeCodes.append(random.unit() < 0.05 ? 2 : (late ? 1 : 0))
                // Bin 0 only exists early, bin 1 only late.
                var code = UInt16(random.next() % UInt64(bins))
                if code == 0 && late { code = 1 }
                if code == 1 && !late { code = 0 }
                codes.append(code)
                failure.append(random.unit() < 0.1 + 0.05 * Double(code) ? 1 : 0)
            }
            let time = BinnedFeature(
                name: "t", kind: .time, columnType: "int64", identities: [.value("0"), .value("1"), .missing],
                codes: timeCodes)
            let feature = BinnedFeature(
                name: "f", kind: .categorical, columnType: "string",
                identities: (0..<bins).map { .value("v\($0)") }, codes: codes)
            var options = TimeAnalysisOptions()
            options.baselineUntil = 1
            let result = TimeAnalysis.analyze(
                time: time, outcomes: Self.outcomes(failure), features: [feature], options: options)
            #expect(result.missingRows == timeCodes.filter { $0 == 2 }.count)
            let entry = try #require(result.decomposition.first)
            #expect(abs(entry.mix + entry.rate - entry.total) < 1e-15)
            let split = try #require(result.split)
            #expect(abs(entry.total - split.change) < 1e-15)
            #expect(isClose(entry.bins.map(\.shareBefore).reduce(0, +), 1, relative: 1e-14))
        }
        // Same rates per bin, shifted shares: the rate part is 0 and the mix part is the whole change.
        let time = BinnedFeature(
            name: "t", kind: .time, columnType: "int64", identities: [.value("0"), .value("1")],
            codes: [0, 0, 0, 0, 1, 1, 1, 1])
        let feature = BinnedFeature(
            name: "f", kind: .categorical, columnType: "string", identities: [.value("lo"), .value("hi")],
            codes: [0, 0, 0, 1, 0, 1, 1, 1])
        // lo: 0 failures of 4; hi: all 4 fail → rates 0 and 1 in both periods.
        var options = TimeAnalysisOptions()
        options.baselineUntil = 1
        let result = TimeAnalysis.analyze(
            time: time, outcomes: Self.outcomes([0, 0, 0, 1, 0, 1, 1, 1]), features: [feature], options: options)
        let entry = try #require(result.decomposition.first)
        #expect(entry.rate == 0 && isClose(entry.mix, 0.5, relative: 1e-15) && isClose(entry.total, 0.5, relative: 1e-15))
    }

    /// Buckets with no rows keep their place (NaN rate) and merging for the chi-square keeps expected counts ≥ 5.
    @Test func sparseBucketsAndMerging() {
        let groups = TimeAnalysis.mergedGroups(
            failures: [1, 0, 2, 0, 3, 1, 0, 5], trials: [10, 0, 20, 5, 30, 10, 2, 40], minimumExpected: 5)
        let rate = 12.0 / 117
        for group in groups.dropLast() {
            #expect(Double(group.trials) * rate >= 5 && Double(group.trials) * (1 - rate) >= 5)
        }
        #expect(groups.map(\.trials).reduce(0, +) == 117 && groups.map(\.failures).reduce(0, +) == 12)
        let time = BinnedFeature(
            name: "t", kind: .time, columnType: "timestamp", timeBucket: .day,
            identities: (0..<3).map { .timeBucket(start: Int64($0) * 86_400, end: Int64($0 + 1) * 86_400) },
            codes: [0, 0, 2, 2])
        let result = TimeAnalysis.analyze(time: time, outcomes: Self.outcomes([1, 0, 0, 0]))
        #expect(result.buckets[1].statistics.n == 0 && result.buckets[1].statistics.rate.isNaN)
        #expect(!result.timeDependent)
        #expect(result.segments.count == 1 && result.segments[0].statistics.n == 4)
    }
}

/// Conjunctions followed over time and the heatmap's pair grid, against brute force.
struct ConjunctionCountTests {
    @Test func conjunctionSeriesAndPairGridMatchBruteForce() throws {
        var random = SeededRandom(seed: 5)
        let rows = 3_000
        let a = (0..<rows).map { _ in UInt16(random.next() % 3) }
        let b = (0..<rows).map { _ in UInt16(random.next() % 4) }
        let t = (0..<rows).map { _ in UInt16(random.next() % 5) }
        let failure = (0..<rows).map { _ in UInt8(random.unit() < 0.2 ? 1 : 0) }
        func feature(_ name: String, _ codes: [UInt16], _ bins: Int, kind: FeatureKind) -> BinnedFeature {
            BinnedFeature(
                name: name, kind: kind, columnType: "int64",
                identities: (0..<bins).map { .value(String($0)) }, codes: codes)
        }
        let time = feature("t", t, 5, kind: .batch)
        let features = [feature("a", a, 3, kind: .categorical), feature("b", b, 4, kind: .categorical)]
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        let result = TimeAnalysis.analyze(time: time, outcomes: outcomes, features: features)
        let series = TimeAnalysis.sliceSeries(
            [[SliceReference(feature: "a", identity: .value("1")), SliceReference(feature: "b", identity: .value("2"))]],
            time: time, features: features, outcomes: outcomes, result: result)
        let only = try #require(series.first)
        for (index, bucket) in result.buckets.enumerated() {
            let members = (0..<rows).filter { a[$0] == 1 && b[$0] == 2 && Int(t[$0]) == bucket.code }
            #expect(only.buckets[index].n == members.count)
            #expect(only.buckets[index].failures == members.filter { failure[$0] != 0 }.count)
        }
        let grid = PairGrid.count(rows: features[0], columns: features[1], failure: failure, reason: "test")
        for i in 0..<3 {
            for j in 0..<4 {
                let members = (0..<rows).filter { a[$0] == i && b[$0] == j }
                #expect(grid.n[i][j] == members.count)
                #expect(grid.failures[i][j] == members.filter { failure[$0] != 0 }.count)
            }
        }
    }
}

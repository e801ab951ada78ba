import ColumnStore
import Kernels
import Stats

/// Settings of ``TimeAnalysis``.
public struct TimeAnalysisOptions: Sendable, Equatable {
    /// The family-wise level α of the verdict (Holm over the tests). Default 0.05.
    public var level: Double = 0.05
    /// The false discovery rate for emerging slices (Benjamini–Hochberg over every bin tested). Default 0.05.
    public var fdr: Double = 0.05
    /// `--baseline-until T`: buckets that *start* before T (epoch seconds for timestamps, the index value otherwise)
    /// are the baseline period; nil uses the largest change point.
    public var baselineUntil: Double? = nil
    /// Change-point search settings (penalty `2 log N`, α = 0.05 Bonferroni over positions, ≥ 30 rows per segment,
    /// at most 10).
    public var changePoints = ChangePoints.Options()
    /// Consecutive buckets are merged for the chi-square test until each group's expected failures and successes
    /// reach this count (Cochran's rule). Default 5.
    public var minimumExpectedCount: Double = 5
    /// Worker threads for the per-feature tables (results do not depend on it).
    public var threads: Int = 1

    /// The documented defaults.
    public init() {}
}

/// When failures happen: the failure rate over a time (or batch) column, tests of time dependence, change points,
/// slices that emerge after a change, and a mix/rate decomposition of the change.
///
/// **Buckets.** The time column's ``BinnedFeature`` (role `.time` or `.batch`) gives the buckets: calendar buckets of
/// a timestamp, quantile/uniform intervals or values of a numeric ordering index (row number, step), or batch values.
/// Rows with a missing time are left out (counted in `missingRows`). Each bucket reports n, failures, the rate and
/// its Wilson 95% interval. Timestamps and numbers are *ordered*; text batch ids are not, and get only the
/// homogeneity test.
///
/// **Tests** (H₀: the failure rate does not depend on the bucket):
/// 1. Pearson's chi-square test of homogeneity (``Stats/TwoSampleTests/chiSquareHomogeneity(successes:trials:)``)
///    over the buckets, with consecutive buckets merged (in bucket order) until each group's expected failures and
///    non-failures are ≥ 5 (a trailing remainder joins the last group). Merging keeps the test valid under H₀ and the
///    chi-square approximation honest for sparse buckets.
/// 2. (ordered) the Cochran–Armitage trend test with the bucket position as score
///    (``Stats/TrendTests/cochranArmitage(successes:trials:scores:)``).
/// 3. (ordered) the best single change point: the largest binomial likelihood ratio G² over split positions with its
///    Bonferroni-corrected p-value (``Stats/ChangePoints/bestSplit(successes:trials:segment:minimumSegmentTrials:)``).
///
/// **Verdict.** Holm's correction over those tests (``Stats/MultipleTesting/holm(_:)``); `timeDependent` is true
/// when any adjusted p-value is below `level` (0.05), so the family-wise error rate of the verdict is at most 5%
/// under H₀ whatever the dependence between the tests. The tests that reject are the evidence.
///
/// **Change points** (only when time-dependent and ordered): penalised binary segmentation on the Bernoulli
/// likelihood of the bucket series (``Stats/ChangePoints``: penalty `2 log N`, Bonferroni-checked, ≥ 30 rows per
/// side), each with its time and the rates of the segments just before and after, with Wilson intervals.
///
/// **Split.** `baselineUntil` if given (buckets starting before it are "before"), else the largest change point
/// (rank 0: the split with the strongest evidence); none when neither exists or one side would be empty.
///
/// **Emerging slices.** For every bin of every other feature: its rate after the split against before, with the
/// engine's two-sample rule (Fisher's exact test if an expected count is below 5, else the pooled z-test), BH
/// q-values over all bins tested (bins with rows on both sides); emerging = q < `fdr` and the rate rose.
///
/// **Decomposition** (E. M. Kitagawa, "Components of a Difference Between Two Rates", JASA 50, 1955; P. Das Gupta,
/// *Standardization and Decomposition of Rates*, 1993): with bin shares `sⱼ` and rates `rⱼ` before (1) and after (2),
/// the overall rates are `R = Σ sⱼ rⱼ` and
///
///     R₂ - R₁ = Σⱼ (s₂ⱼ - s₁ⱼ)(r₁ⱼ + r₂ⱼ)/2   [mix]   +   Σⱼ (r₂ⱼ - r₁ⱼ)(s₁ⱼ + s₂ⱼ)/2   [rate]
///
/// exactly (expand the products). A bin empty in one period takes the other period's rate there, so it contributes
/// only to the mix part (`s₂ r₂ - 0`), and the identity still holds. The missing-value bin is a bin like any other,
/// so the shares sum to 1.
public enum TimeAnalysis {
    /// Analyses the failure rate over `time`.
    ///
    /// - Parameters:
    ///   - time: The binned time or batch column (one code per analysed row).
    ///   - outcomes: The per-row failures, the same rows.
    ///   - features: The columns to search for emerging slices and to decompose (the time column itself, if passed,
    ///     is skipped).
    ///   - options: Levels, baseline, change-point settings.
    /// - Returns: The result model.
    /// - Precondition: Every feature has one code per row of `outcomes`.
    /// - Complexity: O(rows · (1 + features)) plus O(buckets · change points).
    public static func analyze(
        time: BinnedFeature, outcomes: RowOutcomes, features: [BinnedFeature] = [],
        options: TimeAnalysisOptions = TimeAnalysisOptions()
    ) -> TimeAnalysisResult {
        precondition(time.codes.count == outcomes.count, "time codes and outcomes differ in length")
        let counter = RowTimeCounter(time: time, failure: outcomes.failure, threads: options.threads)
        return analyze(time: time, counter: counter, features: features, options: options)
    }

    /// Analyses the failure rate over `time` from counts: `counter` counts the rows (in memory, or on a SQL engine),
    /// `time` and `features` give the bins (their codes are not read here).
    public static func analyze<Counter: TimeCounter>(
        time: BinnedFeature, counter: Counter, features: [BinnedFeature] = [],
        options: TimeAnalysisOptions = TimeAnalysisOptions()
    ) throws(Counter.Failure) -> TimeAnalysisResult {
        let layout = BucketLayout(time)
        let counts = try counter.timeCounts()
        let analysedRows = counts.trials.reduce(0, +)
        let bucketTrials = layout.codes.map { counts.trials[$0] }
        let bucketFailures = layout.codes.map { counts.failures[$0] }
        let rows = bucketTrials.reduce(0, +)
        let buckets = layout.codes.indices.map { index in
            TimeBucketStatistics(
                code: layout.codes[index], identity: time.identities[layout.codes[index]],
                start: layout.starts[index], end: layout.ends[index],
                statistics: RateEstimate(failures: bucketFailures[index], of: bucketTrials[index]))
        }

        var tests = timeTests(
            failures: bucketFailures, trials: bucketTrials, ordered: layout.ordered, options: options)
        let adjusted = MultipleTesting.holm(tests.map(\.pValue))
        for index in tests.indices {
            tests[index].adjustedPValue = adjusted[index]
            tests[index].significant = adjusted[index] < options.level
        }
        let timeDependent = tests.contains(where: \.significant)

        var splits: [ChangePoints.Split] = []
        if timeDependent && layout.ordered {
            splits = ChangePoints.binarySegmentation(
                successes: bucketFailures, trials: bucketTrials, options: options.changePoints)
        }
        let boundaries = [0] + splits.map(\.index) + [layout.codes.count]
        func estimate(_ range: Range<Int>) -> RateEstimate {
            RateEstimate(failures: bucketFailures[range].reduce(0, +), of: bucketTrials[range].reduce(0, +))
        }
        var segments: [TimeSegment] = []
        if !layout.codes.isEmpty {
            for index in 0..<(boundaries.count - 1) {
                let range = boundaries[index]..<boundaries[index + 1]
                segments.append(
                    TimeSegment(
                        firstBucket: range.lowerBound, lastBucket: range.upperBound - 1,
                        start: layout.starts[range.lowerBound], end: layout.ends[range.upperBound - 1],
                        statistics: estimate(range)))
            }
        }
        let changePoints = splits.enumerated().map { offset, split in
            TimeChangePoint(
                bucketIndex: split.index, at: layout.starts[split.index], statistic: split.statistic,
                pValue: split.pValue, rank: split.rank, before: segments[offset].statistics,
                after: segments[offset + 1].statistics)
        }

        var split: TimeSplit?
        if layout.ordered, let index = splitIndex(layout: layout, splits: splits, options: options) {
            let before = estimate(0..<index)
            let after = estimate(index..<layout.codes.count)
            if before.n > 0 && after.n > 0 {
                split = TimeSplit(
                    source: options.baselineUntil == nil ? .changePoint : .baseline, bucketIndex: index,
                    at: layout.starts[index], before: before, after: after)
            }
        }

        var emerging: [EmergingSlice] = []
        var decomposition: [RateDecomposition] = []
        if let split {
            let others = features.filter { $0.name != time.name }
            let periodOfCode = periods(time: time, layout: layout, splitIndex: split.bucketIndex)
            let counted = try counter.periodCounts(periodOfCode: periodOfCode, features: others)
            let tables = zip(others, counted).map { feature, counts in
                PeriodTable(feature: feature, trials: counts.trials, failures: counts.failures)
            }
            emerging = emergingSlices(tables, fdr: options.fdr)
            decomposition = tables.map(decompose).sorted { a, b in
                if abs(a.mix) != abs(b.mix) { return abs(a.mix) > abs(b.mix) }
                return a.feature < b.feature
            }
        }

        return TimeAnalysisResult(
            column: time.name, kind: time.kind, axis: layout.axis, bucket: layout.bucketName, ordered: layout.ordered,
            rows: rows, missingRows: analysedRows - rows, buckets: buckets, tests: tests, level: options.level,
            correction: "holm", timeDependent: timeDependent, changePoints: changePoints, segments: segments,
            split: split, emerging: emerging, decomposition: decomposition)
    }

    /// The failure rate of each slice per bucket, per segment and before/after the split of `result` (for the
    /// hotspots and top slices).
    ///
    /// - Parameters:
    ///   - slices: The slices to follow, each a conjunction of bins (one for a 1-D slice); slices that name an
    ///     unknown feature or bin are skipped.
    ///   - time: The same time column `result` was computed from.
    ///   - features: The binned features holding the slices.
    ///   - outcomes: The per-row failures.
    ///   - result: The analysis whose buckets, segments and split to use.
    /// - Returns: One series per slice found, in the order given.
    /// - Complexity: O(rows · predicates) per slice.
    public static func sliceSeries(
        _ slices: [[SliceReference]], time: BinnedFeature, features: [BinnedFeature], outcomes: RowOutcomes,
        result: TimeAnalysisResult, threads: Int = 1
    ) -> [SliceTimeSeries] {
        precondition(time.codes.count == outcomes.count, "time codes and outcomes differ in length")
        let counter = RowTimeCounter(time: time, failure: outcomes.failure, threads: threads, features: features)
        return sliceSeries(slices, time: time, features: features, counter: counter, result: result)
    }

    /// The series of ``sliceSeries(_:time:features:outcomes:result:threads:)`` from counts.
    public static func sliceSeries<Counter: TimeCounter>(
        _ slices: [[SliceReference]], time: BinnedFeature, features: [BinnedFeature], counter: Counter,
        result: TimeAnalysisResult
    ) throws(Counter.Failure) -> [SliceTimeSeries] {
        let bucketOfCode = bucketIndexByCode(time: time, result: result)
        // Slices naming an unknown feature or bin are dropped, order kept.
        var found: [(slice: [SliceReference], conditions: [(feature: Int, code: Int)])] = []
        slicing: for slice in slices where !slice.isEmpty {
            var conditions: [(feature: Int, code: Int)] = []
            for predicate in slice {
                guard let feature = features.firstIndex(where: { $0.name == predicate.feature }),
                    let code = features[feature].identities.firstIndex(of: predicate.identity)
                else { continue slicing }
                conditions.append((feature, code))
            }
            found.append((slice, conditions))
        }
        let counted = try counter.sliceCounts(found.map(\.conditions))
        return zip(found, counted).map { entry, counts in
            var trials = [Int](repeating: 0, count: result.buckets.count)
            var failures = [Int](repeating: 0, count: result.buckets.count)
            for code in counts.trials.indices where code < bucketOfCode.count && bucketOfCode[code] >= 0 {
                trials[bucketOfCode[code]] += counts.trials[code]
                failures[bucketOfCode[code]] += counts.failures[code]
            }
            func estimate(_ range: Range<Int>) -> RateEstimate {
                RateEstimate(failures: failures[range].reduce(0, +), of: trials[range].reduce(0, +))
            }
            let buckets = trials.indices.map { RateEstimate(failures: failures[$0], of: trials[$0]) }
            let segments = result.segments.map { estimate($0.firstBucket..<($0.lastBucket + 1)) }
            let before = result.split.map { estimate(0..<$0.bucketIndex) }
            let after = result.split.map { estimate($0.bucketIndex..<trials.count) }
            return SliceTimeSeries(
                slice: entry.slice, buckets: buckets, segments: segments, before: before, after: after)
        }
    }

    // MARK: - Buckets

    /// The non-missing bins of the time column, their positions and what the axis is.
    struct BucketLayout {
        /// The bin code of each bucket, in order.
        var codes: [Int] = []
        var starts: [TimePosition] = []
        var ends: [TimePosition] = []
        var axis: TimeAnalysisResult.Axis
        var ordered: Bool { axis != .label }
        var bucketName: String

        init(_ time: BinnedFeature) {
            var kinds = Set<String>()
            for (code, identity) in time.identities.enumerated() {
                let bounds: (TimePosition, TimePosition)
                switch identity {
                case .missing: continue
                case .timeBucket(let start, let end): bounds = (.timestamp(start), .timestamp(end))
                case .interval(let lower, let upper, _): bounds = (.index(lower), .index(upper))
                case .value(let text):
                    if let number = Double(text), number.isFinite {
                        bounds = (.index(number), .index(number))
                    } else {
                        bounds = (.label(text), .label(text))
                    }
                case .other: bounds = (.label(identity.label), .label(identity.label))
                }
                codes.append(code)
                starts.append(bounds.0)
                ends.append(bounds.1)
                switch bounds.0 {
                case .timestamp: kinds.insert("timestamp")
                case .index: kinds.insert("index")
                case .label: kinds.insert("label")
                }
            }
            if kinds == ["timestamp"] {
                axis = .timestamp
            } else if kinds == ["index"] {
                axis = .index
            } else {
                axis = kinds.isEmpty ? .index : .label
            }
            bucketName = time.timeBucket?.rawValue ?? time.binning?.rawValue ?? "value"
        }
    }

    /// The bucket index of every bin code of `time` (−1 for codes without a bucket).
    static func bucketIndexByCode(time: BinnedFeature, result: TimeAnalysisResult) -> [Int] {
        var map = [Int](repeating: -1, count: max(1, time.identities.count))
        for (index, bucket) in result.buckets.enumerated() where bucket.code < map.count { map[bucket.code] = index }
        return map
    }

    /// Per code of the time column: 0 before the split, 1 after, 2 for the missing-time bin.
    static func periods(time: BinnedFeature, layout: BucketLayout, splitIndex: Int) -> [UInt8] {
        var periodOfCode = [UInt8](repeating: 2, count: max(1, time.identities.count))
        for (index, code) in layout.codes.enumerated() { periodOfCode[code] = index < splitIndex ? 0 : 1 }
        return periodOfCode
    }

    /// The first bucket of the "after" period: from the baseline option or the largest change point.
    static func splitIndex(layout: BucketLayout, splits: [ChangePoints.Split], options: TimeAnalysisOptions) -> Int? {
        if let until = options.baselineUntil {
            let index = layout.starts.firstIndex { position in
                switch position {
                case .timestamp(let seconds): return Double(seconds) >= until
                case .index(let value): return value >= until
                case .label: return false
                }
            }
            guard let index, index > 0 else { return nil }
            return index
        }
        return splits.first(where: { $0.rank == 0 })?.index
    }

    // MARK: - Tests

    /// The homogeneity, trend and change-point tests (adjusted p-values filled in by the caller).
    static func timeTests(
        failures: [Int], trials: [Int], ordered: Bool, options: TimeAnalysisOptions
    ) -> [TimeTest] {
        let nonEmpty = trials.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        let groups = mergedGroups(failures: failures, trials: trials, minimumExpected: options.minimumExpectedCount)
        let homogeneity = TwoSampleTests.chiSquareHomogeneity(
            successes: groups.map(\.failures), trials: groups.map(\.trials))
        var tests = [
            TimeTest(
                name: .homogeneity, statistic: homogeneity.statistic, degreesOfFreedom: homogeneity.degreesOfFreedom,
                pValue: homogeneity.pValue, adjustedPValue: .nan, significant: false,
                detail: "\(nonEmpty) non-empty buckets in \(groups.count) groups (consecutive buckets merged until "
                    + "expected counts >= \(NumberFormat.shortest(options.minimumExpectedCount)))")
        ]
        guard ordered else { return tests }
        let trend = TrendTests.cochranArmitage(successes: failures, trials: trials)
        tests.append(
            TimeTest(
                name: .trend, statistic: trend.z, degreesOfFreedom: nil, pValue: trend.pValue, adjustedPValue: .nan,
                significant: false,
                detail: "score = bucket position; slope \(NumberFormat.rounded(trend.slope, significant: 3)) per bucket"))
        let best = ChangePoints.bestSplit(
            successes: failures, trials: trials, minimumSegmentTrials: options.changePoints.minimumSegmentTrials)
        tests.append(
            TimeTest(
                name: .changePoint, statistic: best?.statistic ?? 0, degreesOfFreedom: nil,
                pValue: best?.pValue ?? 1, adjustedPValue: .nan, significant: false,
                detail: best.map { "best split before bucket \($0.index) of \($0.candidates) candidate positions" }
                    ?? "no split leaves \(options.changePoints.minimumSegmentTrials) rows on both sides"))
        return tests
    }

    /// Consecutive non-empty buckets merged until each group's expected failures and non-failures reach
    /// `minimumExpected`; a trailing remainder joins the last group.
    static func mergedGroups(
        failures: [Int], trials: [Int], minimumExpected: Double
    ) -> [(failures: Int, trials: Int)] {
        let total = trials.reduce(0, +)
        guard total > 0 else { return [] }
        let rate = Double(failures.reduce(0, +)) / Double(total)
        var groups: [(failures: Int, trials: Int)] = []
        var current = (failures: 0, trials: 0)
        for (index, count) in trials.enumerated() where count > 0 {
            current.failures += failures[index]
            current.trials += count
            let size = Double(current.trials)
            if size * rate >= minimumExpected && size * (1 - rate) >= minimumExpected {
                groups.append(current)
                current = (0, 0)
            }
        }
        if current.trials > 0 {
            if let last = groups.popLast() {
                groups.append((last.failures + current.failures, last.trials + current.trials))
            } else {
                groups.append(current)
            }
        }
        return groups
    }

    // MARK: - Before and after

    /// One feature's rows and failures per bin, before and after the split.
    struct PeriodTable {
        var feature: BinnedFeature
        /// `trials[period][code]`, period 0 before the split and 1 after.
        var trials: [[Int]]
        var failures: [[Int]]
    }

    static func emergingSlices(_ tables: [PeriodTable], fdr: Double) -> [EmergingSlice] {
        var candidates: [EmergingSlice] = []
        for table in tables {
            for (code, identity) in table.feature.identities.enumerated() {
                let before = RateEstimate(failures: table.failures[0][code], of: table.trials[0][code])
                let after = RateEstimate(failures: table.failures[1][code], of: table.trials[1][code])
                guard before.n > 0 && after.n > 0 else { continue }
                let comparison = TwoSampleTests.compare(
                    successes1: after.failures, trials1: after.n, successes2: before.failures, trials2: before.n)
                candidates.append(
                    EmergingSlice(
                        feature: table.feature.name, kind: table.feature.kind, code: code, identity: identity,
                        before: before, after: after, pValue: comparison.pValue, qValue: .nan,
                        test: comparison.method == .fisherExact ? .fisher : .z))
            }
        }
        let qValues = MultipleTesting.benjaminiHochberg(candidates.map(\.pValue))
        for index in candidates.indices { candidates[index].qValue = qValues[index] }
        return candidates.filter { $0.qValue < fdr && $0.after.rate > $0.before.rate }.sorted { a, b in
            if a.qValue != b.qValue { return a.qValue < b.qValue }
            if a.change != b.change { return a.change > b.change }
            if a.feature != b.feature { return a.feature < b.feature }
            return a.code < b.code
        }
    }

    static func decompose(_ table: PeriodTable) -> RateDecomposition {
        let totalBefore = Double(table.trials[0].reduce(0, +))
        let totalAfter = Double(table.trials[1].reduce(0, +))
        let overallBefore = Double(table.failures[0].reduce(0, +)) / totalBefore
        let overallAfter = Double(table.failures[1].reduce(0, +)) / totalAfter
        var bins: [RateDecomposition.Bin] = []
        var mix = 0.0
        var rate = 0.0
        for (code, identity) in table.feature.identities.enumerated() {
            let n1 = table.trials[0][code]
            let n2 = table.trials[1][code]
            guard n1 + n2 > 0 else { continue }
            let share1 = Double(n1) / totalBefore
            let share2 = Double(n2) / totalAfter
            let rate1 = n1 > 0 ? Double(table.failures[0][code]) / Double(n1) : .nan
            let rate2 = n2 > 0 ? Double(table.failures[1][code]) / Double(n2) : .nan
            // An empty side takes the other side's rate: the bin then only moves the mix.
            let used1 = rate1.isNaN ? rate2 : rate1
            let used2 = rate2.isNaN ? rate1 : rate2
            let binMix = (share2 - share1) * (used1 + used2) / 2
            let binRate = (used2 - used1) * (share1 + share2) / 2
            mix += binMix
            rate += binRate
            bins.append(
                RateDecomposition.Bin(
                    code: code, identity: identity, shareBefore: share1, shareAfter: share2, rateBefore: rate1,
                    rateAfter: rate2, mix: binMix, rate: binRate))
        }
        return RateDecomposition(
            feature: table.feature.name, kind: table.feature.kind, before: overallBefore, after: overallAfter,
            total: overallAfter - overallBefore, mix: mix, rate: rate, bins: bins)
    }
}

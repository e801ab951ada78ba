#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Change points in a binomial series: where the success rate of an ordered sequence of groups (time buckets,
/// batches) shifts.
///
/// Model: group i has `xᵢ` successes out of `nᵢ` trials, `xᵢ ~ Binomial(nᵢ, p_s)` with one rate `p_s` per segment of
/// consecutive groups. A split of a segment into a left and a right part is scored by the likelihood-ratio
/// statistic of "two rates" against "one rate":
///
///     G² = 2 Σ_{side ∈ {left, right}} [ X_side log(p̂_side / p̂) + (N_side - X_side) log((1 - p̂_side) / (1 - p̂)) ]
///
/// (`0 log 0 = 0`), where `p̂` is the rate of the whole segment. Under "no change" and a *fixed* split position,
/// `G² ~ χ²₁` asymptotically (Wilks).
///
/// Search: binary segmentation (A. J. Scott and M. Knott, *Biometrics* 30, 1974; the penalised form of
/// R. Killick, P. Fearnhead and I. A. Eckley, JASA 107, 2012, §1): repeatedly take, over all current segments, the
/// split with the largest `G²`, and accept it only if
/// 1. `G²` exceeds the penalty `β` (default BIC-style `β = 2 log N` with `N` the total trials of the whole series:
///    a change point adds a rate and a location, `log N` each in −2·log-likelihood units), and
/// 2. its Bonferroni-corrected p-value `min(1, m · P(χ²₁ > G²))` over the `m` candidate positions of that segment is
///    below `α` (default 0.05). This guards against the maximum over many positions, for which `χ²₁` alone is
///    anti-conservative.
/// Each side of a split must hold at least `minimumSegmentTrials` trials (default 30) so that the `χ²₁`
/// approximation is reasonable, and at most `maximumChangePoints` (default 10) are accepted.
///
/// Candidate positions are the groups with at least one trial: a split "at j" makes group j the first group of the
/// right segment, and empty groups never start a segment (splits that differ only by empty groups are the same).
public enum ChangePoints {
    /// The penalty `β` a split's `G²` must exceed.
    public enum Penalty: Sendable, Equatable {
        /// `2 log N`, with N the total number of trials in the series.
        case bic
        /// A fixed value (≥ 0).
        case fixed(Double)

        /// The penalty value for a series with `totalTrials` trials.
        ///
        /// - Parameter totalTrials: N.
        /// - Returns: `2 log N` for ``bic`` (0 when N ≤ 1), the value for ``fixed(_:)``.
        public func value(totalTrials: Int) -> Double {
            switch self {
            case .bic: return totalTrials > 1 ? 2 * log(Double(totalTrials)) : 0
            case .fixed(let value): return value
            }
        }
    }

    /// The search settings; the defaults are documented on ``ChangePoints``.
    public struct Options: Sendable, Equatable {
        /// The penalty a split's `G²` must exceed.
        public var penalty: Penalty = .bic
        /// The level for the Bonferroni-corrected p-value of a split.
        public var alpha: Double = 0.05
        /// The fewest trials each side of a split must hold (at least 1).
        public var minimumSegmentTrials: Int = 30
        /// The most change points accepted.
        public var maximumChangePoints: Int = 10

        /// The documented defaults.
        public init() {}
    }

    /// A scored split of a segment `[segment.lowerBound, segment.upperBound)` into `[lower, index)` and
    /// `[index, upper)`.
    public struct Split: Sendable, Equatable {
        /// The first group of the right part (the change point).
        public var index: Int
        /// The segment that was split.
        public var segment: Range<Int>
        /// The likelihood-ratio statistic `G²` (≥ 0).
        public var statistic: Double
        /// `min(1, candidates · P(χ²₁ > G²))`.
        public var pValue: Double
        /// The number of candidate positions m in the segment.
        public var candidates: Int
        /// The order of acceptance in binary segmentation (0 = the strongest, first split); 0 from ``bestSplit``.
        public var rank: Int

        /// Creates a split.
        ///
        /// - Parameters:
        ///   - index: The first group of the right part.
        ///   - segment: The segment split.
        ///   - statistic: G².
        ///   - pValue: The Bonferroni-corrected p-value.
        ///   - candidates: The candidate positions.
        ///   - rank: The acceptance order.
        public init(index: Int, segment: Range<Int>, statistic: Double, pValue: Double, candidates: Int, rank: Int) {
            self.index = index
            self.segment = segment
            self.statistic = statistic
            self.pValue = pValue
            self.candidates = candidates
            self.rank = rank
        }
    }

    /// The best single split of `segment` (the whole series by default), whether or not it passes the criteria.
    ///
    /// - Parameters:
    ///   - successes: Successes per group.
    ///   - trials: Trials per group, the same length.
    ///   - segment: The groups to split; `nil` means all.
    ///   - minimumSegmentTrials: The fewest trials on each side.
    /// - Returns: The split with the largest `G²` (ties: the earliest position), or nil when no position leaves
    ///   `minimumSegmentTrials` on both sides.
    /// - Precondition: Equal lengths, `0 ≤ successesᵢ ≤ trialsᵢ`, `segment` within the series.
    /// - Complexity: O(length of the segment).
    public static func bestSplit(
        successes: [Int], trials: [Int], segment: Range<Int>? = nil, minimumSegmentTrials: Int = 30
    ) -> Split? {
        checkSeries(successes, trials)
        let range = segment ?? 0..<trials.count
        precondition(range.lowerBound >= 0 && range.upperBound <= trials.count, "segment \(range) out of range")
        return scan(successes, trials, range, minimumTrials: max(1, minimumSegmentTrials))
    }

    /// The change points found by penalised binary segmentation (see ``ChangePoints``).
    ///
    /// - Parameters:
    ///   - successes: Successes per group, in order.
    ///   - trials: Trials per group, the same length.
    ///   - options: Penalty, level, minimum segment size and maximum count.
    /// - Returns: The accepted splits sorted by `index` (each `rank` tells its acceptance order); empty when none.
    /// - Precondition: Equal lengths, `0 ≤ successesᵢ ≤ trialsᵢ`, `alpha` in (0, 1], a non-negative penalty.
    /// - Complexity: O(k · (c + 1)) for k groups and c accepted change points.
    public static func binarySegmentation(successes: [Int], trials: [Int], options: Options = Options()) -> [Split] {
        checkSeries(successes, trials)
        precondition(options.alpha > 0 && options.alpha <= 1, "alpha must lie in (0, 1], got \(options.alpha)")
        let totalTrials = trials.reduce(0, +)
        let penalty = options.penalty.value(totalTrials: totalTrials)
        precondition(penalty >= 0 && !penalty.isNaN, "the penalty must be >= 0, got \(penalty)")
        let minimumTrials = max(1, options.minimumSegmentTrials)

        var accepted: [Split] = []
        // The best split of every open segment; a segment whose best split fails is closed.
        var open: [Split] = []
        if let first = scan(successes, trials, 0..<trials.count, minimumTrials: minimumTrials) { open.append(first) }
        while accepted.count < options.maximumChangePoints {
            guard let bestIndex = open.indices.max(by: { a, b in
                let left = open[a]
                let right = open[b]
                if left.statistic != right.statistic { return left.statistic < right.statistic }
                return left.index > right.index  // ties: the earlier position wins
            }) else { break }
            var split = open.remove(at: bestIndex)
            guard split.statistic > penalty, split.pValue < options.alpha else { break }
            split.rank = accepted.count
            accepted.append(split)
            for part in [split.segment.lowerBound..<split.index, split.index..<split.segment.upperBound] {
                if let next = scan(successes, trials, part, minimumTrials: minimumTrials) { open.append(next) }
            }
        }
        return accepted.sorted { $0.index < $1.index }
    }

    /// `G²` of splitting a segment with `(successes, trials)` into the two given parts.
    ///
    /// - Parameters:
    ///   - left: Successes and trials of the left part.
    ///   - right: Successes and trials of the right part.
    /// - Returns: `G² ≥ 0` (0 when either part is empty).
    /// - Complexity: O(1).
    public static func likelihoodRatio(left: (successes: Int, trials: Int), right: (successes: Int, trials: Int)) -> Double {
        if left.trials == 0 || right.trials == 0 { return 0 }
        let total = Double(left.trials + right.trials)
        let rate = Double(left.successes + right.successes) / total
        var sum = 0.0
        for side in [left, right] {
            let sideTrials = Double(side.trials)
            let successes = Double(side.successes)
            let failures = sideTrials - successes
            if successes > 0 { sum += successes * log((successes / sideTrials) / rate) }
            if failures > 0 { sum += failures * log((failures / sideTrials) / (1 - rate)) }
        }
        return max(0, 2 * sum)
    }

    // MARK: - Internals

    private static func checkSeries(_ successes: [Int], _ trials: [Int]) {
        precondition(successes.count == trials.count, "one trials count per successes count")
        for (index, count) in trials.enumerated() {
            precondition(
                successes[index] >= 0 && successes[index] <= count,
                "group \(index): need 0 <= successes <= trials, got \(successes[index]) of \(count)")
        }
    }

    /// The best split of `range`, or nil when no candidate position exists.
    private static func scan(_ successes: [Int], _ trials: [Int], _ range: Range<Int>, minimumTrials: Int) -> Split? {
        var segmentTrials = 0
        var segmentSuccesses = 0
        for group in range {
            segmentTrials += trials[group]
            segmentSuccesses += successes[group]
        }
        if segmentTrials < 2 * minimumTrials { return nil }
        var leftTrials = 0
        var leftSuccesses = 0
        var best: (index: Int, statistic: Double)?
        var candidates = 0
        for group in range {
            if group > range.lowerBound && trials[group] > 0 && leftTrials >= minimumTrials
                && segmentTrials - leftTrials >= minimumTrials
            {
                candidates += 1
                let statistic = likelihoodRatio(
                    left: (leftSuccesses, leftTrials),
                    right: (segmentSuccesses - leftSuccesses, segmentTrials - leftTrials))
                if statistic > (best?.statistic ?? -1) { best = (group, statistic) }
            }
            leftTrials += trials[group]
            leftSuccesses += successes[group]
        }
        guard let best else { return nil }
        let tail = SpecialFunctions.chiSquareSurvival(best.statistic, degreesOfFreedom: 1)
        return Split(
            index: best.index, segment: range, statistic: best.statistic,
            pValue: min(1, Double(candidates) * tail), candidates: candidates, rank: 0)
    }
}

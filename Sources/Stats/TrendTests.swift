/// Tests for a trend in a success rate across ordered groups (time buckets, batches in order, dose levels).
///
/// The tests are total functions: degenerate inputs give the documented statistic 0 and p-value 1.
public enum TrendTests {
    /// The outcome of ``cochranArmitage(successes:trials:scores:)``.
    public struct TrendResult: Sendable, Equatable {
        /// The standardized trend statistic `z` (positive when the rate rises with the score).
        public var z: Double
        /// The two-sided p-value `2·Q(|z|)`.
        public var pValue: Double
        /// The least-squares slope of the rate on the score, `Σ nᵢ(pᵢ - p̄)(sᵢ - s̄) / Σ nᵢ(sᵢ - s̄)²` (change in the
        /// success rate per unit of score; 0 when undefined).
        public var slope: Double

        /// Creates a result.
        ///
        /// - Parameters:
        ///   - z: The statistic.
        ///   - pValue: The two-sided p-value.
        ///   - slope: The weighted least-squares slope.
        public init(z: Double, pValue: Double, slope: Double) {
            self.z = z
            self.pValue = pValue
            self.slope = slope
        }
    }

    /// The Cochran–Armitage test for a linear trend in proportions across k ordered groups.
    ///
    /// With `xᵢ` successes of `nᵢ` trials at score `sᵢ`, `N = Σ nᵢ`, `p̄ = Σ xᵢ / N` and `s̄ = Σ nᵢ sᵢ / N`
    /// (W. G. Cochran, *Biometrics* 10, 1954; P. Armitage, *Biometrics* 11, 1955; Agresti, *Categorical Data
    /// Analysis*, 3rd ed., §5.3.5):
    ///
    ///     T = Σᵢ xᵢ (sᵢ - s̄)
    ///     Var₀(T) = p̄ (1 - p̄) Σᵢ nᵢ (sᵢ - s̄)²
    ///     z = T / √Var₀(T),   p = 2 Q(|z|)
    ///
    /// This is the binomial-variance form of R's `prop.trend.test` (which reports `z²`). statsmodels'
    /// `Table.test_ordinal_association` (the linear-by-linear test) uses the conditional (hypergeometric) variance
    /// `N/(N-1)` times larger, so its z-score is this `z · √((N-1)/N)`; the tests check both relations to 1e-12
    /// relative.
    ///
    /// Groups with 0 trials are dropped. If fewer than two groups remain, the scores of the remaining groups are
    /// all equal, or every trial is a success (or none is), there is nothing to test: `z = 0`, `p = 1`, slope 0.
    ///
    /// - Parameters:
    ///   - successes: Successes per group, in the groups' order.
    ///   - trials: Trials per group, the same length.
    ///   - scores: The score of each group (e.g. its position in time), the same length; `nil` means `0, 1, …, k-1`
    ///     (the position in the input, so dropped empty groups keep the spacing of the others).
    /// - Returns: `z`, the two-sided p-value and the weighted least-squares slope.
    /// - Precondition: Equal lengths, `0 ≤ successesᵢ ≤ trialsᵢ`, finite scores.
    /// - Complexity: O(k).
    public static func cochranArmitage(successes: [Int], trials: [Int], scores: [Double]? = nil) -> TrendResult {
        precondition(
            successes.count == trials.count,
            "cochranArmitage needs one trials count per successes count (\(successes.count) vs \(trials.count))")
        if let scores {
            precondition(scores.count == trials.count, "cochranArmitage needs one score per group")
            precondition(scores.allSatisfy(\.isFinite), "cochranArmitage scores must be finite")
        }
        var totalTrials = 0
        var totalSuccesses = 0
        var scoreSum = 0.0
        for (group, groupTrials) in trials.enumerated() {
            let groupSuccesses = successes[group]
            precondition(
                groupSuccesses >= 0 && groupSuccesses <= groupTrials,
                "group \(group): need 0 <= successes <= trials, got \(groupSuccesses) of \(groupTrials)")
            totalTrials += groupTrials
            totalSuccesses += groupSuccesses
            scoreSum += Double(groupTrials) * (scores?[group] ?? Double(group))
        }
        let nothing = TrendResult(z: 0, pValue: 1, slope: 0)
        if totalTrials == 0 || totalSuccesses == 0 || totalSuccesses == totalTrials { return nothing }
        let total = Double(totalTrials)
        let meanScore = scoreSum / total
        let rate = Double(totalSuccesses) / total
        var statistic = 0.0
        var spread = 0.0
        for (group, groupTrials) in trials.enumerated() where groupTrials > 0 {
            let deviation = (scores?[group] ?? Double(group)) - meanScore
            statistic += Double(successes[group]) * deviation
            spread += Double(groupTrials) * deviation * deviation
        }
        if !(spread > 0) { return nothing }
        let z = statistic / (rate * (1 - rate) * spread).squareRoot()
        let pValue = min(1, 2 * SpecialFunctions.normalSurvival(abs(z)))
        return TrendResult(z: z, pValue: pValue, slope: statistic / spread)
    }
}

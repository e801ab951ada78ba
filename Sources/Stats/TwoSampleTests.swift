/// Two-sample tests for proportions: a slice's error rate against its complement's.
///
/// The family is split by feature:
/// - this file: the pooled z-test and the `compare` dispatcher;
/// - `TwoSampleTests+Fisher.swift`: Fisher's exact test;
/// - `TwoSampleTests+ChiSquare.swift`: the k×2 chi-square test of homogeneity.
///
/// All tests are total functions: degenerate inputs (empty groups, all successes, no successes) give the documented
/// p-value (usually 1) instead of NaN or a trap.
public enum TwoSampleTests {
    /// The smallest expected cell count for which the z-test's normal approximation is trusted
    /// (Cochran's rule of thumb).
    static let minimumExpectedCount = 5.0

    /// The two-sided pooled two-proportion z-test of `x₁/n₁` against `x₂/n₂`.
    ///
    /// `z = (p̂₁ - p̂₂) / √(p̄(1-p̄)(1/n₁ + 1/n₂))` with the pooled `p̄ = (x₁+x₂)/(n₁+n₂)`, and `p = 2 Q(|z|)` with
    /// `Q` = ``SpecialFunctions/normalSurvival(_:)``. This is statsmodels' `proportions_ztest([x₁, x₂], [n₁, n₂])`
    /// (`value=0`, pooled variance), computed in the same order; it matches to 1e-12 relative on the fixture.
    ///
    /// Degenerate cases: when either group is empty, or the pooled variance is 0 (all successes or none), the groups
    /// cannot differ and the result is `(z: 0, pValue: 1)` (statsmodels returns NaN there).
    ///
    /// - Parameters:
    ///   - successes1: x₁, `0 ≤ x₁ ≤ n₁`.
    ///   - trials1: n₁ ≥ 0.
    ///   - successes2: x₂, `0 ≤ x₂ ≤ n₂`.
    ///   - trials2: n₂ ≥ 0.
    /// - Returns: The z statistic (positive when group 1's proportion is higher) and the two-sided p-value.
    /// - Precondition: `0 ≤ xᵢ ≤ nᵢ`.
    /// - Complexity: O(1).
    public static func twoProportionZ(
        successes1: Int, trials1: Int, successes2: Int, trials2: Int
    ) -> (z: Double, pValue: Double) {
        checkCounts(successes1, trials1, successes2, trials2)
        if trials1 == 0 || trials2 == 0 { return (0, 1) }
        let n1 = Double(trials1)
        let n2 = Double(trials2)
        let difference = Double(successes1) / n1 - Double(successes2) / n2
        let pooled = Double(successes1 + successes2) / Double(trials1 + trials2)
        let variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
        if !(variance > 0) { return (0, 1) }
        let z = difference / variance.squareRoot()
        return (z, min(1, 2 * SpecialFunctions.normalSurvival(abs(z))))
    }

    /// Compares a slice (`x₁` successes of `n₁`) with its complement (`x₂` of `n₂`), choosing the test by the rule
    /// of thumb for the 2×2 table `[[x₁, n₁-x₁], [x₂, n₂-x₂]]`.
    ///
    /// Rule: compute the four expected counts under independence, `Eᵢⱼ = rowᵢ · columnⱼ / N`. If any is below 5
    /// (Cochran, 1954), the normal approximation is not trusted and Fisher's exact test is used
    /// (``fisherExact(_:_:_:_:)``, statistic = sample odds ratio or nil); otherwise the pooled z-test
    /// (``twoProportionZ(successes1:trials1:successes2:trials2:)``, statistic = z). Tables with a zero margin
    /// (no successes or no failures overall) have an expected count of 0 and so go to Fisher, which returns 1.
    ///
    /// If `n₁ == 0` or `n₂ == 0` there is nothing to compare: `p = 1` with the Fisher method and no statistic.
    ///
    /// - Parameters:
    ///   - successes1: x₁, the slice's successes (e.g. errors).
    ///   - trials1: n₁, the slice's size.
    ///   - successes2: x₂, the complement's successes.
    ///   - trials2: n₂, the complement's size.
    /// - Returns: The p-value, the method used and its statistic.
    /// - Precondition: `0 ≤ xᵢ ≤ nᵢ`.
    /// - Complexity: O(1) for the z-test; O(min(row, column margins)) for Fisher, which the rule only selects when
    ///   the smallest margin is below about `√(5N)`.
    public static func compare(successes1: Int, trials1: Int, successes2: Int, trials2: Int) -> ComparisonResult {
        checkCounts(successes1, trials1, successes2, trials2)
        if trials1 == 0 || trials2 == 0 {
            return ComparisonResult(pValue: 1, method: .fisherExact, statistic: nil)
        }
        let total = Double(trials1 + trials2)
        let successTotal = Double(successes1 + successes2)
        let failureTotal = total - successTotal
        let smallestRow = Double(min(trials1, trials2))
        let smallestExpected = smallestRow * min(successTotal, failureTotal) / total
        if smallestExpected < minimumExpectedCount {
            let a = successes1
            let b = trials1 - successes1
            let c = successes2
            let d = trials2 - successes2
            let pValue = fisherExact(a, b, c, d)
            return ComparisonResult(pValue: pValue, method: .fisherExact, statistic: sampleOddsRatio(a, b, c, d))
        }
        let test = twoProportionZ(
            successes1: successes1, trials1: trials1, successes2: successes2, trials2: trials2
        )
        return ComparisonResult(pValue: test.pValue, method: .twoProportionZ, statistic: test.z)
    }

    // MARK: - Internals

    /// `(a·d)/(b·c)`, or nil when it is infinite or undefined.
    static func sampleOddsRatio(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double? {
        let denominator = Double(b) * Double(c)
        if denominator == 0 { return nil }
        return Double(a) * Double(d) / denominator
    }

    private static func checkCounts(_ successes1: Int, _ trials1: Int, _ successes2: Int, _ trials2: Int) {
        precondition(
            successes1 >= 0 && successes1 <= trials1 && successes2 >= 0 && successes2 <= trials2,
            "counts must satisfy 0 <= successes <= trials, got \(successes1)/\(trials1) and \(successes2)/\(trials2)"
        )
    }
}

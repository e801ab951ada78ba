/// Confidence intervals for a binomial proportion.
public enum Proportions {
    /// The Wilson score interval for `successes` out of `trials`, without continuity correction.
    ///
    /// With `p̂ = x/n`, `z = Φ⁻¹(1 - α/2)` and `α = 1 - confidence` (E. B. Wilson, "Probable Inference, the Law of
    /// Succession, and Statistical Inference", JASA 22, 1927):
    ///
    ///     center = (p̂ + z²/(2n)) / (1 + z²/n)
    ///     half   = z √(p̂(1-p̂)/n + z²/(4n²)) / (1 + z²/n)
    ///     [low, high] = [center - half, center + half]
    ///
    /// The arithmetic follows statsmodels' `proportion_confint(count, nobs, alpha, method="wilson")` step by step
    /// (with `z` from ``SpecialFunctions/normalQuantile(_:)`` instead of scipy's `norm.isf`), and matches it to
    /// 1e-13 relative on the fixture. The only difference is a guard against rounding: the bounds are clamped to
    /// `[0, 1]` and to contain `p̂` (at `x = 0` the exact lower bound is 0, which floating point can miss by 1e-17).
    ///
    /// - Parameters:
    ///   - successes: The number of successes, `0 ≤ successes ≤ trials`.
    ///   - trials: The number of trials, `≥ 0`. With 0 trials nothing is known and the interval is `[0, 1]`.
    ///   - confidence: The coverage, strictly between 0 and 1 (default 0.95).
    /// - Returns: The interval.
    /// - Precondition: `0 ≤ successes ≤ trials` and `0 < confidence < 1`.
    /// - Complexity: O(1).
    public static func wilson(successes: Int, trials: Int, confidence: Double = 0.95) -> ProportionInterval {
        precondition(
            successes >= 0 && successes <= trials,
            "Wilson interval needs 0 <= successes <= trials, got \(successes) of \(trials)"
        )
        precondition(confidence > 0 && confidence < 1, "confidence must lie in (0, 1), got \(confidence)")
        if trials == 0 { return ProportionInterval(low: 0, high: 1) }
        let alpha = 1 - confidence
        let critical = -SpecialFunctions.normalQuantile(alpha / 2)
        let n = Double(trials)
        let proportion = Double(successes) / n
        let criticalSquared = critical * critical
        let denominator = 1 + criticalSquared / n
        let center = (proportion + criticalSquared / (2 * n)) / denominator
        var halfWidth = critical * (proportion * (1 - proportion) / n + criticalSquared / (4 * n * n)).squareRoot()
        halfWidth /= denominator
        let low = max(0, min(center - halfWidth, proportion))
        let high = min(1, max(center + halfWidth, proportion))
        return ProportionInterval(low: low, high: high)
    }
}

/// Which test produced a ``ComparisonResult``.
public enum ComparisonMethod: String, Sendable {
    /// Fisher's exact test (``TwoSampleTests/fisherExact(_:_:_:_:)``).
    case fisherExact = "fisher"
    /// The pooled two-proportion z-test (``TwoSampleTests/twoProportionZ(successes1:trials1:successes2:trials2:)``).
    case twoProportionZ = "z"
}

/// The outcome of ``TwoSampleTests/compare(successes1:trials1:successes2:trials2:)``.
public struct ComparisonResult: Sendable, Equatable {
    /// The two-sided p-value, in `[0, 1]`.
    public var pValue: Double
    /// The test that was applied.
    public var method: ComparisonMethod
    /// The test statistic: the z score for the z-test; for Fisher's test the sample odds ratio `(a·d)/(b·c)` of
    /// the 2×2 table (scipy's `fisher_exact` statistic, not the conditional MLE), or nil when it is not finite
    /// (`b·c = 0`). Nil rather than ∞/NaN keeps results `Equatable` and JSON-encodable.
    public var statistic: Double?

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - pValue: The two-sided p-value.
    ///   - method: The test applied.
    ///   - statistic: The z score or odds ratio, if defined.
    public init(pValue: Double, method: ComparisonMethod, statistic: Double?) {
        self.pValue = pValue
        self.method = method
        self.statistic = statistic
    }
}

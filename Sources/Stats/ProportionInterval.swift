/// A confidence interval `[low, high]` for a binomial proportion, with `0 ≤ low ≤ high ≤ 1`.
public struct ProportionInterval: Sendable, Equatable {
    /// The lower bound.
    public var low: Double
    /// The upper bound.
    public var high: Double

    /// Creates an interval.
    ///
    /// - Parameters:
    ///   - low: The lower bound.
    ///   - high: The upper bound.
    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    /// `high - low`.
    public var width: Double { high - low }

    /// Whether `value` lies in the closed interval.
    ///
    /// - Parameter value: The proportion to test.
    /// - Returns: `low <= value && value <= high`.
    public func contains(_ value: Double) -> Bool { low <= value && value <= high }
}

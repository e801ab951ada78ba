import Stats

/// A failure rate with its Wilson 95% interval: `failures` of `n` rows.
public struct RateEstimate: Sendable, Equatable {
    /// Rows.
    public var n: Int
    /// Failures among them.
    public var failures: Int
    /// `failures / n`; NaN when `n == 0`.
    public var rate: Double
    /// The Wilson 95% interval (``Stats/Proportions/wilson(successes:trials:confidence:)``); NaN when `n == 0`.
    public var ciLow: Double
    /// The upper bound of the interval; NaN when `n == 0`.
    public var ciHigh: Double

    /// The estimate for `failures` of `n`.
    ///
    /// - Parameters:
    ///   - failures: `0 ≤ failures ≤ n`.
    ///   - n: Rows, `n ≥ 0`.
    public init(failures: Int, of n: Int) {
        self.n = n
        self.failures = failures
        if n > 0 {
            let interval = Proportions.wilson(successes: failures, trials: n)
            rate = Double(failures) / Double(n)
            ciLow = interval.low
            ciHigh = interval.high
        } else {
            rate = .nan
            ciLow = .nan
            ciHigh = .nan
        }
    }
}

/// Counting helpers shared by the condition analyses (safe Swift; one pass over the rows each).
enum ConditionCounts {
    /// Rows and failures per code `0..<groupCount`, over the rows where `include` is true (all rows when nil).
    static func perCode(
        _ codes: [UInt16], groupCount: Int, failure: [UInt8], include: [Bool]? = nil
    ) -> (trials: [Int], failures: [Int]) {
        precondition(codes.count == failure.count, "codes and outcomes differ in length")
        var trials = [Int](repeating: 0, count: groupCount)
        var failures = [Int](repeating: 0, count: groupCount)
        for row in 0..<codes.count where include?[row] ?? true {
            let code = Int(codes[row])
            trials[code] += 1
            failures[code] += failure[row] != 0 ? 1 : 0
        }
        return (trials, failures)
    }
}

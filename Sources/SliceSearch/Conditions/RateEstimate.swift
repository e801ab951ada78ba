import Kernels
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

/// Counting shared by the condition analyses.
enum ConditionCounts {
    /// Rows and failures per code `0..<groupCount`: the engine's group-by kernel on the failure flags alone (the
    /// counts do not depend on `threads`).
    static func perCode(
        _ codes: BinCodes, groupCount: Int, failure: [UInt8], threads: Int = 1
    ) -> (trials: [Int], failures: [Int]) {
        precondition(codes.count == failure.count, "codes and outcomes differ in length")
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        let groups = GroupBy.aggregate(codes: codes, groupCount: groupCount, outcomes: outcomes, threads: threads)
        return (groups.map(\.rows), groups.map(\.failures))
    }
}

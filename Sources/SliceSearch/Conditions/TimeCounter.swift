import Kernels

/// Counts what the time analysis needs, wherever the rows are: in memory (``RowTimeCounter``) or on a SQL engine
/// (the pushdown). Every count is of analysed rows and failures, per bin code.
public protocol TimeCounter {
    associatedtype Failure: Error

    /// Rows and failures per code of the time column.
    func timeCounts() throws(Failure) -> (trials: [Int], failures: [Int])

    /// For each feature, rows and failures per period and code (`[period][code]`), where `periodOfCode[timeCode]` is
    /// the period of a time bin: 0 before the split, 1 after, 2 not counted.
    func periodCounts(
        periodOfCode: [UInt8], features: [BinnedFeature]
    ) throws(Failure) -> [(trials: [[Int]], failures: [[Int]])]

    /// For each conjunction of `(feature, code)` conditions (features indexing the `features` the series are
    /// computed for), its rows and failures per code of the time column.
    func sliceCounts(_ slices: [[(feature: Int, code: Int)]]) throws(Failure) -> [(trials: [Int], failures: [Int])]
}

/// The in-memory counter over the per-row codes.
public struct RowTimeCounter: TimeCounter {
    public typealias Failure = Never

    let time: BinnedFeature
    let failure: [UInt8]
    let threads: Int
    let features: [BinnedFeature]

    public init(time: BinnedFeature, failure: [UInt8], threads: Int, features: [BinnedFeature] = []) {
        precondition(time.codes.count == failure.count, "time codes and outcomes differ in length")
        self.time = time
        self.failure = failure
        self.threads = threads
        self.features = features
    }

    public func timeCounts() -> (trials: [Int], failures: [Int]) {
        let counts = ConditionCounts.perCode(
            time.codes, groupCount: max(1, time.identities.count), failure: failure, threads: threads)
        return (counts.trials, counts.failures)
    }

    public func periodCounts(
        periodOfCode: [UInt8], features: [BinnedFeature]
    ) -> [(trials: [[Int]], failures: [[Int]])] {
        PeriodCounts.count(
            groups: time.codes, periodOfGroup: periodOfCode, failure: failure, features: features.map(\.codes),
            codeCounts: features.map { max(1, $0.identities.count) }, threads: threads)
    }

    public func sliceCounts(_ slices: [[(feature: Int, code: Int)]]) -> [(trials: [Int], failures: [Int])] {
        let conjunctions = slices.map { slice in
            slice.map { ConjunctionCounts.Condition(codes: features[$0.feature].codes, code: UInt16($0.code)) }
        }
        return ConjunctionCounts.count(
            conjunctions, groups: time.codes, groupCount: max(1, time.identities.count), failure: failure,
            threads: threads)
    }
}

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
            time.codes, groupCount: max(1, time.identities.count), failure: failure)
        return (counts.trials, counts.failures)
    }

    public func periodCounts(
        periodOfCode: [UInt8], features: [BinnedFeature]
    ) -> [(trials: [[Int]], failures: [[Int]])] {
        let period = time.codes.map { periodOfCode[Int($0)] }
        return Parallel.map(count: features.count, threads: threads) { index in
            let feature = features[index]
            precondition(feature.codes.count == period.count, "feature codes and outcomes differ in length")
            let bins = max(1, feature.identities.count)
            var trials = [[Int]](repeating: [Int](repeating: 0, count: bins), count: 2)
            var failures = trials
            for row in 0..<period.count where period[row] < 2 {
                let side = Int(period[row])
                let code = Int(feature.codes[row])
                trials[side][code] += 1
                failures[side][code] += failure[row] != 0 ? 1 : 0
            }
            return (trials, failures)
        }
    }

    public func sliceCounts(_ slices: [[(feature: Int, code: Int)]]) -> [(trials: [Int], failures: [Int])] {
        let codes = max(1, time.identities.count)
        return Parallel.map(count: slices.count, threads: threads) { index in
            let conditions = slices[index].map { (codes: features[$0.feature].codes, code: UInt16($0.code)) }
            for condition in conditions {
                precondition(condition.codes.count == failure.count, "feature codes and outcomes differ in length")
            }
            var trials = [Int](repeating: 0, count: codes)
            var failures = [Int](repeating: 0, count: codes)
            rows: for row in 0..<failure.count {
                for condition in conditions where condition.codes[row] != condition.code { continue rows }
                let code = Int(time.codes[row])
                trials[code] += 1
                failures[code] += failure[row] != 0 ? 1 : 0
            }
            return (trials, failures)
        }
    }
}

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
///
/// The before/after counts come from each feature's table of codes against the time column's codes
/// (``Kernels/PairCounts``), kept for the slice series: a slice of one bin is then a row of its feature's table,
/// not another pass over the rows (at 10M rows, the 20 followed slices cost 0.2 CPU-s that way). Copies of a
/// counter share these tables.
public struct RowTimeCounter: TimeCounter {
    public typealias Failure = Never

    let time: BinnedFeature
    let failure: [UInt8]
    let threads: Int
    let features: [BinnedFeature]
    private let tables = _TimeTables()

    public init(time: BinnedFeature, failure: [UInt8], threads: Int, features: [BinnedFeature] = []) {
        precondition(time.codes.count == failure.count, "time codes and outcomes differ in length")
        self.time = time
        self.failure = failure
        self.threads = threads
        self.features = features
    }

    public func timeCounts() -> (trials: [Int], failures: [Int]) {
        let counts = ConditionCounts.perCode(
            time.codes, groupCount: timeCodeCount, failure: failure, threads: threads)
        return (counts.trials, counts.failures)
    }

    public func periodCounts(
        periodOfCode: [UInt8], features: [BinnedFeature]
    ) -> [(trials: [[Int]], failures: [[Int]])] {
        precondition(periodOfCode.count == timeCodeCount, "one period per time code")
        let codeCounts = features.map { max(1, $0.identities.count) }
        // The tables are kept for the stage: only while they are small (fine time buckets against many categories
        // would hold gigabytes); else the three-section counts.
        let cells = codeCounts.map { $0 * timeCodeCount }
        guard cells.allSatisfy({ $0 <= Self.maximumTableCells }), cells.reduce(0, +) <= Self.maximumTotalCells else {
            return PeriodCounts.count(
                groups: time.codes, periodOfGroup: periodOfCode, failure: failure, features: features.map(\.codes),
                codeCounts: codeCounts, threads: threads)
        }
        let counted = PairCounts.countAgainst(
            features: features.map(\.codes), codeCounts: codeCounts, column: time.codes, columnCount: timeCodeCount,
            failure: failure, threads: threads)
        for (feature, table) in zip(features, counted) { tables.byFeature[feature.name] = (feature.identities, table) }
        return counted.map { table in
            var trials = [[Int]](repeating: [Int](repeating: 0, count: table.firstCount), count: 2)
            var failures = trials
            for code in 0..<table.firstCount {
                for timeCode in 0..<table.secondCount {
                    let period = Int(periodOfCode[timeCode])
                    guard period < 2 else { continue }
                    let cell = code * table.secondCount + timeCode
                    trials[period][code] += table.rows[cell]
                    failures[period][code] += table.failures[cell]
                }
            }
            return (trials, failures)
        }
    }

    public func sliceCounts(_ slices: [[(feature: Int, code: Int)]]) -> [(trials: [Int], failures: [Int])] {
        var results = [(trials: [Int], failures: [Int])?](repeating: nil, count: slices.count)
        var counted: [Int] = []
        for (index, slice) in slices.enumerated() {
            let feature = slice.first.map { features[$0.feature] }
            // A table counted for this feature: the same name and bins (the features given to `periodCounts` and
            // to this counter are the same binned columns in the analysis).
            if slice.count == 1, let feature, let (identities, table) = tables.byFeature[feature.name],
                identities == feature.identities, feature.codes.count == failure.count
            {
                let row = slice[0].code * table.secondCount
                results[index] = (
                    Array(table.rows[row..<row + table.secondCount]),
                    Array(table.failures[row..<row + table.secondCount])
                )
            } else {
                counted.append(index)
            }
        }
        let conjunctions = counted.map { index in
            slices[index].map { ConjunctionCounts.Condition(codes: features[$0.feature].codes, code: UInt16($0.code)) }
        }
        let counts = ConjunctionCounts.count(
            conjunctions, groups: time.codes, groupCount: timeCodeCount, failure: failure, threads: threads)
        for (index, count) in zip(counted, counts) { results[index] = count }
        return results.map { $0! }
    }

    private var timeCodeCount: Int { max(1, time.identities.count) }

    /// The most cells of one feature's table, and of all tables together (16 bytes each while kept).
    static let maximumTableCells = 1 << 15
    static let maximumTotalCells = 1 << 20
}

/// The tables of ``RowTimeCounter``, by feature name with the bins they were counted for; the analysis fills and
/// reads them on one thread.
private final class _TimeTables {
    var byFeature: [String: (identities: [BinIdentity], table: PairCounts.Table)] = [:]
}

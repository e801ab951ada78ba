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
/// counter share these tables, and a counter is used from one thread at a time.
///
/// The failure flags are 0 or 1, and every feature's codes are below its number of bins (as ``FeatureBinner``
/// makes them): the tables count in ``Kernels/PairCounts``, which checks its codes.
public struct RowTimeCounter: TimeCounter {
    public typealias Failure = Never

    let time: BinnedFeature
    let failure: [UInt8]
    let threads: Int
    let features: [BinnedFeature]
    private let tables = _TimeTables()

    /// - Parameters:
    ///   - tables: Features' tables against `time` counted already (by
    ///     ``OneDimensionalSlicing/evaluate(features:outcomes:options:regression:binary:timeAxis:)``), by name: kept
    ///     and used as if this counter had counted them.
    ///   - timeCounts: The rows and failing rows per code of `time`, counted already (by the 1-D slicing): kept as
    ///     ``timeCounts()``'s answer, which otherwise counts them once.
    public init(
        time: BinnedFeature, failure: [UInt8], threads: Int, features: [BinnedFeature] = [],
        tables: [String: KeptTimeTable] = [:], timeCounts: (trials: [Int], failures: [Int])? = nil
    ) {
        precondition(time.codes.count == failure.count, "time codes and outcomes differ in length")
        self.time = time
        self.failure = failure
        self.threads = threads
        self.features = features
        for (name, kept) in tables {
            precondition(kept.table.secondCount == max(1, time.identities.count), "a kept table of other time bins")
            self.tables.byFeature[name] = (kept.identities, kept.codes, kept.table)
        }
        if let timeCounts {
            precondition(
                timeCounts.trials.count == timeCodeCount && timeCounts.failures.count == timeCodeCount,
                "one count per time code")
            self.tables.timeCounts = timeCounts
        }
    }

    public func timeCounts() -> (trials: [Int], failures: [Int]) {
        if let counted = tables.timeCounts { return counted }
        let counts = ConditionCounts.perCode(
            timeCodes, groupCount: timeCodeCount, failure: failure, threads: threads)
        tables.timeCounts = (counts.trials, counts.failures)
        return (counts.trials, counts.failures)
    }

    public func periodCounts(
        periodOfCode: [UInt8], features: [BinnedFeature]
    ) -> [(trials: [[Int]], failures: [[Int]])] {
        precondition(periodOfCode.count == timeCodeCount, "one period per time code")
        // Features with a kept table (counted with the 1-D slicing, or earlier here) are read from it.
        var results: [(trials: [[Int]], failures: [[Int]])?] = features.map { feature in
            keptTable(of: feature).map { Self.periodCounts(of: $0, periodOfCode: periodOfCode) }
        }
        let missing = features.indices.filter { results[$0] == nil }
        let counted = countPeriods(periodOfCode: periodOfCode, features: missing.map { features[$0] })
        for (index, counts) in zip(missing, counted) { results[index] = counts }
        return results.map { $0! }
    }

    /// The period counts of features with no kept table: counted as tables against the time column and kept, or
    /// in three sections when the tables would be too big.
    private func countPeriods(
        periodOfCode: [UInt8], features: [BinnedFeature]
    ) -> [(trials: [[Int]], failures: [[Int]])] {
        guard !features.isEmpty else { return [] }
        let codeCounts = features.map { max(1, $0.identities.count) }
        // The tables are kept for the stage: only while they are small (fine time buckets against many categories
        // would hold gigabytes); else the three-section counts.
        let cells = codeCounts.map { $0 * timeCodeCount }
        let names = Set(features.map(\.name))
        let heldByOthers = tables.cells(of: { !names.contains($0) })
        guard cells.allSatisfy({ $0 <= Self.maximumTableCells }),
            cells.reduce(0, +) + heldByOthers <= Self.maximumTotalCells
        else {
            return PeriodCounts.count(
                groups: timeCodes, periodOfGroup: periodOfCode, failure: failure, features: features.map(\.codes),
                codeCounts: codeCounts, threads: threads)
        }
        let counted = PairCounts.countAgainst(
            features: features.map(\.codes), codeCounts: codeCounts, column: timeCodes, columnCount: timeCodeCount,
            failure: failure, threads: threads)
        for (feature, table) in zip(features, counted) {
            tables.byFeature[feature.name] = (feature.identities, feature.codes, table)
        }
        return counted.map { Self.periodCounts(of: $0, periodOfCode: periodOfCode) }
    }

    /// Rows and failures per period and code, summed from a table of codes against the time column.
    private static func periodCounts(
        of table: PairCounts.Table, periodOfCode: [UInt8]
    ) -> (trials: [[Int]], failures: [[Int]]) {
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

    public func sliceCounts(_ slices: [[(feature: Int, code: Int)]]) -> [(trials: [Int], failures: [Int])] {
        var results = [(trials: [Int], failures: [Int])?](repeating: nil, count: slices.count)
        countTablesForRepeatedFeatures(slices)
        var counted: [Int] = []
        for (index, slice) in slices.enumerated() {
            guard slice.count == 1 else {
                counted.append(index)
                continue
            }
            let (feature, code) = (features[slice[0].feature], slice[0].code)
            if let row = tableRow(of: feature, code: code) {
                results[index] = row
            } else if isTimeColumn(feature), code < timeCodeCount {
                // A bin of the time column itself: all its rows have its own time code.
                let own = timeCounts()
                var trials = [Int](repeating: 0, count: timeCodeCount)
                var failures = trials
                trials[code] = own.trials[code]
                failures[code] = own.failures[code]
                results[index] = (trials, failures)
            } else {
                counted.append(index)
            }
        }
        let conjunctions = counted.map { index in
            slices[index].map { ConjunctionCounts.Condition(codes: features[$0.feature].codes, code: UInt16($0.code)) }
        }
        let counts = ConjunctionCounts.count(
            conjunctions, groups: timeCodes, groupCount: timeCodeCount, failure: failure, threads: threads)
        for (index, count) in zip(counted, counts) { results[index] = count }
        return results.map { $0! }
    }

    /// Whether `feature` is the time column itself: its name and its codes (`==` on the one shared array is a
    /// pointer comparison; the name keeps other features off a comparison of every row).
    private func isTimeColumn(_ feature: BinnedFeature) -> Bool {
        feature.name == time.name && feature.codes == time.codes
    }

    /// A feature's kept table, if there is one: counted for the same name, bins and codes (the features given to
    /// `periodCounts`, to this counter and to the 1-D slicing are the same binned columns in the analysis).
    private func keptTable(of feature: BinnedFeature) -> PairCounts.Table? {
        // `==` on the codes is a pointer comparison for the one shared array.
        guard let (identities, codes, table) = tables.byFeature[feature.name], identities == feature.identities,
            codes == feature.codes, feature.codes.count == failure.count
        else { return nil }
        return table
    }

    /// The series of a one-bin slice from its feature's kept table, if there is one.
    private func tableRow(of feature: BinnedFeature, code: Int) -> (trials: [Int], failures: [Int])? {
        guard let table = keptTable(of: feature), code < table.firstCount else { return nil }
        let row = code * table.secondCount
        return (Array(table.rows[row..<row + table.secondCount]), Array(table.failures[row..<row + table.secondCount]))
    }

    /// Counts the table of each feature (other than the time column) that two or more one-bin slices ask about and
    /// that has none yet, within the cell budget: one pass for the feature instead of one per slice (at 10M rows,
    /// eight slices of the batch column had taken 0.1 CPU-s).
    private func countTablesForRepeatedFeatures(_ slices: [[(feature: Int, code: Int)]]) {
        var asked: [Int: Int] = [:]
        for slice in slices where slice.count == 1 { asked[slice[0].feature, default: 0] += 1 }
        var cells = tables.cells()
        let wanted = asked.keys.sorted().filter { index in
            let feature = features[index]
            let featureCells = max(1, feature.identities.count) * timeCodeCount
            guard asked[index]! >= 2, tables.byFeature[feature.name] == nil, feature.codes.count == failure.count,
                !isTimeColumn(feature), featureCells <= Self.maximumTableCells,
                cells + featureCells <= Self.maximumTotalCells
            else { return false }
            cells += featureCells
            return true
        }
        guard !wanted.isEmpty else { return }
        let counted = PairCounts.countAgainst(
            features: wanted.map { features[$0].codes }, codeCounts: wanted.map { max(1, features[$0].identities.count) },
            column: timeCodes, columnCount: timeCodeCount, failure: failure, threads: threads)
        for (index, table) in zip(wanted, counted) {
            tables.byFeature[features[index].name] = (features[index].identities, features[index].codes, table)
        }
    }

    private var timeCodeCount: Int { max(1, time.identities.count) }

    /// The time column's codes, written whole once for every pass that reads them, when the binning let them go
    /// (``BinnedFeature/letCodesGo(keepingRows:gathered:)``): an analysis whose time tables were all counted with the
    /// slicing never writes them.
    private var timeCodes: BinCodes { tables.timeCodes(of: time.codes, threads: threads) }

    /// The most cells of one feature's table, and of all tables together (16 bytes each while kept; see
    /// ``OneDimensionalSlicing/evaluate(features:outcomes:options:regression:binary:timeAxis:)`` for the counting).
    static let maximumTableCells = 1 << 15
    static let maximumTotalCells = 1 << 20
}

/// A feature's table of codes against the time column's, with the bins and the codes it was counted from (the
/// codes shared, not copied): a counter uses it for a feature with the same name, bins and codes only.
public struct KeptTimeTable: Sendable, Equatable {
    public var identities: [BinIdentity]
    public var codes: BinCodes
    public var table: PairCounts.Table

    public init(feature: BinnedFeature, table: PairCounts.Table) {
        identities = feature.identities
        codes = feature.codes
        self.table = table
    }
}

/// The tables of ``RowTimeCounter``, by feature name with the bins they were counted for, and the time column's own
/// counts; the analysis fills and reads them on one thread.
private final class _TimeTables {
    var byFeature: [String: (identities: [BinIdentity], codes: BinCodes, table: PairCounts.Table)] = [:]
    var timeCounts: (trials: [Int], failures: [Int])?
    private var writtenTimeCodes: BinCodes?

    /// `codes` written whole, the first time only.
    func timeCodes(of codes: BinCodes, threads: Int) -> BinCodes {
        guard codes.isRemade else { return codes }
        if let writtenTimeCodes { return writtenTimeCodes }
        let written = codes.materialized(threads: threads)
        writtenTimeCodes = written
        return written
    }

    /// Cells held by the tables of the features `counted` picks (all by default).
    func cells(of counted: (String) -> Bool = { _ in true }) -> Int {
        byFeature.reduce(0) { $0 + (counted($1.key) ? $1.value.table.rows.count : 0) }
    }
}

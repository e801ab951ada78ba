import Kernels

/// Counts the rows of conjunctions of one-hot columns for the level-wise search, wherever the rows are: in memory
/// (``BitmapSliceCounter``) or in a SQL engine that answers one query per level (the pushdown).
///
/// A conjunction is given by its columns, ascending; the columns of feature `f` are
/// `columnOffsets[f] ..< columnOffsets[f] + domains[f]`, as in ``SliceLineSearch``.
public protocol SliceCounter {
    associatedtype Failure: Error

    /// For each `arity`-column conjunction in `columns` (flattened, one after another): its rows, failures, and the
    /// sum and maximum of the scored error (0 when scoring on the failure indicator).
    func evaluate(_ columns: [Int32], arity: Int) throws(Failure) -> [IntersectionCounts]

    /// The failures of each conjunction (the search screens candidates on these before counting their rows).
    func failures(_ columns: [Int32], arity: Int) throws(Failure) -> [Int]

    /// The sufficient statistics of each conjunction's rows.
    func statistics(of slices: [[Int32]]) throws(Failure) -> [GroupStats]

    /// For each conjunction, the columns (one per feature, ascending) whose feature has the same code on every one of
    /// its rows (empty for an empty conjunction).
    func constantColumns(of slices: [[Int32]]) throws(Failure) -> [[Int32]]
}

extension SliceCounter {
    public func failures(_ columns: [Int32], arity: Int) throws(Failure) -> [Int] {
        try evaluate(columns, arity: arity).map(\.markedRows)
    }
}

/// The in-memory counter: one bitmap per one-hot column over the rows stored failures first, so a conjunction's
/// failures are the members of a prefix (AND + popcount, parallel over candidates).
///
/// The bitmaps are built on the first conjunction of two or more bins: single bins can be seeded from the 1-D
/// group-by (``seedSingleBins(_:)``), and the statistics and constant features of the reported slices come from one
/// scan of the codes, so a search that stops at level 1 never builds them.
package final class BitmapSliceCounter: SliceCounter {
    package typealias Failure = Never

    let problem: SliceLineSearch.Problem
    let columnOffsets: [Int]
    let columnCount: Int
    /// The per-row outcomes for ``statistics(of:)``.
    let outcomes: RowOutcomes
    let threads: Int
    /// The number of failing rows.
    let failureCount: Int
    /// Counts of the single bins, by column, when seeded.
    private var singleBins: [IntersectionCounts]?
    /// Sufficient statistics of the single bins, by column, when seeded (``seedSingleBinStatistics(_:)``).
    private var singleBinStatistics: [GroupStats]?
    private var built: _Bitmaps?

    /// The bitmaps and the row order they use.
    private struct _Bitmaps {
        var bitmaps: RowBitmaps
        /// `rowOrder[position]` is the row at that bitmap position (failing rows first, each group in row order).
        var rowOrder: [Int32]
        /// The scored errors by bitmap position (nil: the failure indicator).
        var positionErrors: [Double]?
    }

    package init(problem: SliceLineSearch.Problem, outcomes: RowOutcomes, threads: Int) {
        var columnOffsets: [Int] = []
        var columnCount = 0
        for domain in problem.domains {
            columnOffsets.append(columnCount)
            columnCount += domain
        }
        self.problem = problem
        self.columnOffsets = columnOffsets
        self.columnCount = columnCount
        self.outcomes = outcomes
        self.threads = threads
        // A reduce the compiler vectorises: a loop with `where flag != 0` took several times as long at 10M rows.
        failureCount = problem.failure.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    }

    /// ē: the mean scored error over the rows (the loss added in row order, or the failure rate); 0 without rows.
    var meanError: Double {
        guard problem.rowCount > 0 else { return 0 }
        var totalError = 0.0
        if let errors = problem.errors {
            for error in errors { totalError += error }
        } else {
            totalError = Double(failureCount)
        }
        return totalError / Double(problem.rowCount)
    }

    /// Records the rows and failures of every single bin, counted by the 1-D group-by (`counts[f][code]`), so level 1
    /// needs no bitmap. Only when scoring on the failure indicator: a continuous error's sums depend on the order
    /// of addition, which the bitmaps fix.
    package func seedSingleBins(_ counts: [[(rows: Int, failures: Int)]]) {
        guard problem.errors == nil, counts.count == problem.domains.count else { return }
        var seeded: [IntersectionCounts] = []
        seeded.reserveCapacity(columnCount)
        for (feature, domain) in problem.domains.enumerated() {
            guard counts[feature].count == domain else { return }
            for count in counts[feature] { seeded.append(IntersectionCounts(rows: count.rows, markedRows: count.failures)) }
        }
        singleBins = seeded
    }

    /// Records the sufficient statistics of every single bin (`statistics[f][code]`, from the 1-D counts), so that
    /// the reported single bins are described without reading their rows. Only under the 0/1 failure indicator
    /// without signed errors, whose statistics are counts: they are then exactly those of the rows.
    package func seedSingleBinStatistics(_ statistics: [[GroupStats]]) {
        guard problem.errors == nil, !outcomes.hasLoss, !outcomes.hasErrors,
            statistics.count == problem.domains.count
        else { return }
        var seeded: [GroupStats] = []
        seeded.reserveCapacity(columnCount)
        for (feature, domain) in problem.domains.enumerated() {
            guard statistics[feature].count == domain else { return }
            for bin in statistics[feature] {
                // As SliceLineAnalysis.statistics(ofRows:) makes them.
                var stats = GroupStats()
                stats.rows = bin.rows
                stats.failures = bin.failures
                SliceLineAnalysis.setZeroOneLoss(&stats)
                if outcomes.confusion != nil { stats.confusion = bin.confusion }
                seeded.append(stats)
            }
        }
        singleBinStatistics = seeded
    }

    private func bitmaps() -> _Bitmaps {
        if let built { return built }
        var rowOrder: [Int32] = []
        rowOrder.reserveCapacity(problem.rowCount)
        for row in 0..<problem.rowCount where problem.failure[row] != 0 { rowOrder.append(Int32(row)) }
        for row in 0..<problem.rowCount where problem.failure[row] == 0 { rowOrder.append(Int32(row)) }
        let columnOf = problem.domains.indices.map { feature in
            (0..<problem.domains[feature]).map { Int32(columnOffsets[feature] + $0) }
        }
        let bitmaps = RowBitmaps.oneHot(
            codes: problem.codes, columnOf: columnOf, columnCount: columnCount, rowOrder: rowOrder, threads: threads)
        let result = _Bitmaps(
            bitmaps: bitmaps, rowOrder: rowOrder,
            positionErrors: problem.errors.map { errors in rowOrder.map { errors[Int($0)] } })
        built = result
        return result
    }

    package func evaluate(_ columns: [Int32], arity: Int) -> [IntersectionCounts] {
        if arity == 1, let singleBins { return columns.map { singleBins[Int($0)] } }
        let built = bitmaps()
        return BitmapIntersection.evaluate(
            built.bitmaps, columns: columns, arity: arity, markedRows: failureCount, values: built.positionErrors,
            threads: threads)
    }

    package func failures(_ columns: [Int32], arity: Int) -> [Int] {
        if arity == 1, let singleBins { return columns.map { singleBins[Int($0)].markedRows } }
        return BitmapIntersection.countBelow(
            bitmaps().bitmaps, columns: columns, arity: arity, rowLimit: failureCount, threads: threads)
    }

    /// The rows (ascending) with every bin of `columns`: from the bitmaps when the search built them, else by a
    /// scan of the codes.
    func rows(of columns: [Int32]) -> [Int] {
        if let built {
            var rows = BitmapIntersection.members(built.bitmaps, columns: columns).map { Int(built.rowOrder[$0]) }
            rows.sort()
            return rows
        }
        var conditions: [(codes: BinCodes, code: UInt16)] = []
        for column in columns {
            guard let feature = columnOffsets.lastIndex(where: { $0 <= Int(column) }) else { return [] }
            conditions.append((problem.codes[feature], UInt16(Int(column) - columnOffsets[feature])))
        }
        guard let first = conditions.first else { return Array(0..<problem.rowCount) }
        // The first condition by a scan at the codes' width, the others on the rows it kept.
        var rows: [Int]
        switch first.codes.materialized().storage {
        case .narrow(let codes): rows = codes.indices.filter { UInt16(codes[$0]) == first.code }
        case .wide(let codes): rows = codes.indices.filter { codes[$0] == first.code }
        case .remade: preconditionFailure("materialized codes are kept")
        }
        for condition in conditions.dropFirst() { rows.removeAll { condition.codes[$0] != condition.code } }
        return rows
    }

    package func statistics(of slices: [[Int32]]) -> [GroupStats] {
        slices.map { columns in
            if columns.count == 1, let singleBinStatistics { return singleBinStatistics[Int(columns[0])] }
            return SliceLineAnalysis.statistics(ofRows: rows(of: columns), outcomes: outcomes)
        }
    }

    package func constantColumns(of slices: [[Int32]]) -> [[Int32]] {
        slices.map { columns in
            if columns.count == 1, let singleBinStatistics {
                return constantColumns(ofBin: Int(columns[0]), statistics: singleBinStatistics)
            }
            let rows = rows(of: columns)
            guard let first = rows.first else { return [] }
            var constant: [Int32] = []
            for (feature, featureCodes) in problem.codes.enumerated() {
                let code = featureCodes[first]
                if rows.allSatisfy({ featureCodes[$0] == code }) {
                    constant.append(Int32(columnOffsets[feature] + Int(code)))
                }
            }
            return constant
        }
    }

    /// ``constantColumns(of:)`` of one bin, from the bins' statistics: a bin of another feature can hold every row
    /// of this one only if it has at least as many rows of each kind (failing or not, and each confusion cell). Only
    /// a feature with such a bin is read row by row, and the bin's rows are found only then: so a feature's codes
    /// that were let go are seldom written again.
    private func constantColumns(ofBin column: Int, statistics: [GroupStats]) -> [Int32] {
        let slice = statistics[column]
        guard slice.rows > 0, let own = columnOffsets.lastIndex(where: { $0 <= column }) else { return [] }
        var sliceRows: [Int]?
        var constant: [Int32] = []
        for (feature, offset) in columnOffsets.enumerated() {
            if feature == own {
                constant.append(Int32(column))
                continue
            }
            let candidates = (offset..<offset + problem.domains[feature]).filter { other in
                let bin = statistics[other]
                return bin.rows >= slice.rows && bin.failures >= slice.failures
                    && bin.rows - bin.failures >= slice.rows - slice.failures
                    && all(bin.confusion .>= slice.confusion)
            }
            guard !candidates.isEmpty else { continue }
            let rows = sliceRows ?? self.rows(of: [Int32(column)])
            sliceRows = rows
            let codes = problem.codes[feature]
            let code = codes[rows[0]]
            guard candidates.contains(offset + Int(code)), rows.allSatisfy({ codes[$0] == code }) else { continue }
            constant.append(Int32(offset + Int(code)))
        }
        return constant
    }
}

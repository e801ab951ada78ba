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
package struct BitmapSliceCounter: SliceCounter {
    package typealias Failure = Never

    let bitmaps: RowBitmaps
    /// `rowOrder[position]` is the row at that bitmap position (failing rows first, each group in row order).
    let rowOrder: [Int32]
    /// The failing rows (they occupy positions `0..<failureCount`).
    let failureCount: Int
    /// The scored errors by bitmap position (nil: the failure indicator).
    let positionErrors: [Double]?
    let codes: [[UInt16]]
    let columnOffsets: [Int]
    /// The per-row outcomes for ``statistics(of:)``.
    let outcomes: RowOutcomes
    let threads: Int

    package init(problem: SliceLineSearch.Problem, outcomes: RowOutcomes, threads: Int) {
        var columnOffsets: [Int] = []
        var columnCount = 0
        for domain in problem.domains {
            columnOffsets.append(columnCount)
            columnCount += domain
        }
        var rowOrder: [Int32] = []
        rowOrder.reserveCapacity(problem.rowCount)
        for row in 0..<problem.rowCount where problem.failure[row] != 0 { rowOrder.append(Int32(row)) }
        let failureCount = rowOrder.count
        for row in 0..<problem.rowCount where problem.failure[row] == 0 { rowOrder.append(Int32(row)) }
        let columnOf = problem.domains.indices.map { feature in
            (0..<problem.domains[feature]).map { Int32(columnOffsets[feature] + $0) }
        }
        bitmaps = RowBitmaps.oneHot(
            codes: problem.codes, columnOf: columnOf, columnCount: columnCount, rowOrder: rowOrder, threads: threads)
        self.rowOrder = rowOrder
        self.failureCount = failureCount
        positionErrors = problem.errors.map { errors in rowOrder.map { errors[Int($0)] } }
        codes = problem.codes
        self.columnOffsets = columnOffsets
        self.outcomes = outcomes
        self.threads = threads
    }

    package func evaluate(_ columns: [Int32], arity: Int) -> [IntersectionCounts] {
        BitmapIntersection.evaluate(
            bitmaps, columns: columns, arity: arity, markedRows: failureCount, values: positionErrors,
            threads: threads)
    }

    package func failures(_ columns: [Int32], arity: Int) -> [Int] {
        BitmapIntersection.countBelow(
            bitmaps, columns: columns, arity: arity, rowLimit: failureCount, threads: threads)
    }

    /// The rows (in row order) of the intersection of `columns`.
    func rows(of columns: [Int32]) -> [Int] {
        var rows = BitmapIntersection.members(bitmaps, columns: columns).map { Int(rowOrder[$0]) }
        rows.sort()
        return rows
    }

    package func statistics(of slices: [[Int32]]) -> [GroupStats] {
        slices.map { SliceLineAnalysis.statistics(ofRows: rows(of: $0), outcomes: outcomes) }
    }

    package func constantColumns(of slices: [[Int32]]) -> [[Int32]] {
        slices.map { columns in
            let rows = rows(of: columns)
            guard let first = rows.first else { return [] }
            var constant: [Int32] = []
            for (feature, featureCodes) in codes.enumerated() {
                let code = featureCodes[first]
                if rows.allSatisfy({ featureCodes[$0] == code }) {
                    constant.append(Int32(columnOffsets[feature] + Int(code)))
                }
            }
            return constant
        }
    }
}

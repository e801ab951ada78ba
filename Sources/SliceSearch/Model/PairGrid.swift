import Kernels

/// The failure rate over every pair of bins of two features: the data behind the report's heatmap.
///
/// The pair is the one that matters most: the two features of the best-scoring multi-feature slice, else the two
/// features most associated with failures (see ``PairGrid/strongestPair(slices:associations:)``).
public struct PairGrid: Sendable, Equatable {
    /// The feature on the rows of the grid, and its bins (every bin, in code order).
    public var rowFeature: String
    public var rowBins: [BinIdentity]
    /// The feature on the columns of the grid, and its bins.
    public var columnFeature: String
    public var columnBins: [BinIdentity]
    /// Rows of the dump in each cell: `n[row][column]`.
    public var n: [[Int]]
    /// Failures in each cell.
    public var failures: [[Int]]
    /// Why this pair was chosen, in words.
    public var reason: String

    public init(
        rowFeature: String, rowBins: [BinIdentity], columnFeature: String, columnBins: [BinIdentity], n: [[Int]],
        failures: [[Int]], reason: String
    ) {
        self.rowFeature = rowFeature
        self.rowBins = rowBins
        self.columnFeature = columnFeature
        self.columnBins = columnBins
        self.n = n
        self.failures = failures
        self.reason = reason
    }

    /// Counts every cell of `rows` × `columns` (codes of the same analysed rows) with the ``PairCounts`` kernel.
    /// - Complexity: O(rows) plus O(bins²).
    public static func count(
        rows: BinnedFeature, columns: BinnedFeature, failure: [UInt8], reason: String, threads: Int = 1
    ) -> PairGrid {
        precondition(rows.codes.count == failure.count && columns.codes.count == failure.count, "length mismatch")
        let width = max(1, columns.identities.count)
        // Codes let go after the binning are written a block at a time as they are counted, not whole.
        let table = PairCounts.count(
            blocksOf: rows.codes, firstCount: max(1, rows.identities.count), second: columns.codes, secondCount: width,
            failure: failure, threads: threads)
        let rowCount = rows.identities.count
        let columnCount = columns.identities.count
        return PairGrid(
            rowFeature: rows.name, rowBins: rows.identities, columnFeature: columns.name,
            columnBins: columns.identities,
            n: (0..<rowCount).map { Array(table.rows[($0 * width)..<($0 * width + columnCount)]) },
            failures: (0..<rowCount).map { Array(table.failures[($0 * width)..<($0 * width + columnCount)]) },
            reason: reason)
    }

    /// The pair to draw: the first two features of the best multi-feature slice, else the two features most
    /// associated with failures (significant ones only); nil when neither gives two features.
    public static func strongestPair(
        slices: [SliceFinding], associations: [FeatureAssociation], fdr: Double
    ) -> (first: String, second: String, reason: String)? {
        if let best = slices.first(where: { $0.level >= 2 }) {
            let features = best.predicates.map(\.feature)
            return (
                features[0], features[1],
                "the features of the best-scoring multi-feature slice (\(best.description))"
            )
        }
        let associated = associations.filter { $0.qValue < fdr }
        if associated.count >= 2 {
            return (associated[0].feature, associated[1].feature, "the two features most associated with failures")
        }
        return nil
    }
}

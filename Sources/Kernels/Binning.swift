import ColumnStore

/// Bin edges and bin assignment for numeric columns.
///
/// Bins are right-closed intervals `(edges[i], edges[i+1]]`; the first also includes `edges[0]`.
/// This is `pandas.cut(..., right=True, include_lowest=True)` over the given edges, and with
/// quantile edges it is `pandas.qcut(x, bins, duplicates="drop")`.
public enum Binning {
    /// Quantile edges as `pandas.qcut(x, bins, duplicates="drop")` computes them:
    /// numpy linear quantiles of the non-missing values at `linspace(0, 1, bins + 1)`, duplicates dropped.
    /// Returns `[]` when there are no values.
    /// - Complexity: O(n log n) for the sort.
    public static func quantileEdges(sortedValues sorted: [Double], bins: Int) -> [Double] {
        guard !sorted.isEmpty else { return [] }
        let probabilities = Quantiles.qcutProbabilities(bins: bins)
        var quantiles: [Double] = []
        unsafe sorted.withUnsafeBufferPointer { buffer in
            for probability in probabilities { quantiles.append(unsafe Quantiles.linear(sorted: buffer, q: probability)) }
        }
        // pandas keeps a duplicate pair of edges when there are only two (`len(bins) != 2` in `_bins_to_cuts`).
        guard quantiles.count > 2 else { return quantiles }
        var edges: [Double] = []
        for edge in quantiles where edges.last != edge { edges.append(edge) }
        return edges
    }

    /// Equal-width edges between the minimum and maximum: `min + i * (max - min) / bins`, the last exactly `max`.
    /// A constant column gets the single edge pair `[v, v]`.
    public static func uniformEdges(sortedValues sorted: [Double], bins: Int) -> [Double] {
        guard let low = sorted.first, let high = sorted.last else { return [] }
        if low == high { return [low, high] }
        let width = (high - low) / Double(bins)
        var edges = (0..<bins).map { index -> Double in
            guard width.isFinite else {
                // The range exceeds Double.max: interpolate without forming the width.
                let t = Double(index) / Double(bins)
                return low * (1 - t) + high * t
            }
            return low + Double(index) * width
        }
        edges.append(high)
        var unique: [Double] = []
        for edge in edges where unique.last != edge { unique.append(edge) }
        return unique
    }

    /// The bin of `value` for `edges` (at least two): the number of inner edges strictly below `value`,
    /// clamped to the bin range, so `value == edges[0]` lands in bin 0. Branch-free over the inner edges.
    @inline(__always)
    public static func binIndex(of value: Double, innerEdges: UnsafeBufferPointer<Double>) -> Int {
        var index = 0
        for edgeIndex in 0..<innerEdges.count {
            let edge = unsafe innerEdges[edgeIndex]
            index &+= value > edge ? 1 : 0
        }
        return index
    }

    /// Assigns every row a code: its bin for valid values in `[edges.first, edges.last]`, `missingCode` otherwise.
    /// - Parameters:
    ///   - values: one value per row (NaN counts as missing).
    ///   - validity: `nil` when all rows are present.
    ///   - edges: at least two ascending edges.
    ///   - missingCode: the code for missing rows (also for values outside the edges, which quantile edges never produce).
    /// - Complexity: O(n · bins), vectorisable.
    public static func assign(
        values: ColumnBuffer<Double>, validity: ValidityBitmap?, edges: [Double], missingCode: UInt16
    ) -> [UInt16] {
        precondition(edges.count >= 2, "binning needs at least two edges")
        let inner = Array(edges.dropFirst().dropLast())
        let low = edges[0]
        let high = edges[edges.count - 1]
        var codes = [UInt16](repeating: missingCode, count: values.count)
        unsafe values.withUnsafeBufferPointer { input in
            unsafe inner.withUnsafeBufferPointer { innerEdges in
                unsafe codes.withUnsafeMutableBufferPointer { output in
                    for row in 0..<input.count {
                        let value = unsafe input[row]
                        // Safe: row < input.count == output.count.
                        if value >= low && value <= high && (validity?.isValid(row) ?? true) {
                            unsafe output[row] = UInt16(truncatingIfNeeded: Binning.binIndex(of: value, innerEdges: innerEdges))
                        }
                    }
                }
            }
        }
        return codes
    }
}

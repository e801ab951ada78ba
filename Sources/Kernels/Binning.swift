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

    /// Quantile edges as `quantileEdges(sortedValues:bins:)` computes them, from unsorted values (no NaN),
    /// by selecting only the order statistics the quantiles need. `values` is reordered.
    /// - Complexity: expected O(n log bins).
    public static func quantileEdges(selectingFrom values: inout [Double], bins: Int) -> [Double] {
        guard !values.isEmpty else { return [] }
        let ranks = quantileRanks(count: values.count, bins: bins)
        let selected = OrderStatistics.select(&values, ranks: ranks)
        // Every rank was selected, so the edges exist.
        return quantileEdges(
            count: values.count, bins: bins, orderStatistics: Dictionary(uniqueKeysWithValues: zip(ranks, selected)))
            ?? []
    }

    /// The order statistics (0-based ranks, ascending, distinct) that the quantile edges of `count` values need:
    /// both neighbours of each qcut probability's virtual index.
    public static func quantileRanks(count: Int, bins: Int) -> [Int] {
        var ranks = Set<Int>()
        for probability in Quantiles.qcutProbabilities(bins: bins) {
            let position = Quantiles.position(count: count, q: probability)
            ranks.insert(position.lower)
            ranks.insert(position.upper)
        }
        return ranks.sorted()
    }

    /// Quantile edges as ``quantileEdges(sortedValues:bins:)`` computes them, from the order statistics of
    /// ``quantileRanks(count:bins:)`` (selected in memory, or fetched from a SQL engine); nil when one is missing.
    public static func quantileEdges(count: Int, bins: Int, orderStatistics: [Int: Double]) -> [Double]? {
        var quantiles: [Double] = []
        for probability in Quantiles.qcutProbabilities(bins: bins) {
            let position = Quantiles.position(count: count, q: probability)
            guard let a = orderStatistics[position.lower], let b = orderStatistics[position.upper] else { return nil }
            quantiles.append(Quantiles.lerp(a, b, position.gamma))
        }
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
    /// - Precondition: at most `missingCode` bins (`edges.count - 1`), so that no bin shares the missing code.
    /// - Complexity: O(n · bins), eight rows at a time (SIMD), with a scalar tail.
    /// - Parameter rows: the rows to assign (all when nil): the codes of a block, written where they are counted,
    ///   so that a column's codes are never held whole.
    public static func assign(
        values: ColumnBuffer<Double>, validity: ValidityBitmap?, edges: [Double], missingCode: UInt16,
        rows: Range<Int>? = nil
    ) -> [UInt16] {
        assignCodes(values: values, validity: validity, edges: edges, missingCode: missingCode, rows: rows)
    }

    /// ``assign(values:validity:edges:missingCode:)`` to one-byte codes (at most 255 bins).
    /// A literal missing code picks the two-byte form.
    @_disfavoredOverload
    public static func assign(
        values: ColumnBuffer<Double>, validity: ValidityBitmap?, edges: [Double], missingCode: UInt8,
        rows: Range<Int>? = nil
    ) -> [UInt8] {
        assignCodes(values: values, validity: validity, edges: edges, missingCode: missingCode, rows: rows)
    }

    static func assignCodes<Code: FixedWidthInteger & UnsignedInteger & SIMDScalar>(
        values: ColumnBuffer<Double>, validity: ValidityBitmap?, edges: [Double], missingCode: Code,
        rows: Range<Int>? = nil
    ) -> [Code] {
        let (inner, low, high) = intervalBounds(edges, missingCode: missingCode)
        let rows = checkedRows(rows, count: values.count, validity: validity)
        // Every row is written below, so the codes are not filled first (a second pass over the output).
        var codes = unsafe [Code](writingCapacity: rows.count) { output, initialized in
            // Safe: rows is within the values (checkedRows); each block's output slice is the block's rows. Block by
            // block, so values in pieces are not copied whole (one block when they are contiguous).
            unsafe values.forEachBlock(in: rows) { input, block in
                let slice = (block.lowerBound - rows.lowerBound)..<(block.upperBound - rows.lowerBound)
                unsafe assignVectorized(
                    input, UnsafeMutableBufferPointer(rebasing: output[slice]), inner: inner, low: low, high: high,
                    missingCode: missingCode)
            }
            initialized = rows.count
        }
        fillMissing(&codes, validity: validity, rows: rows, with: missingCode)
        return codes
    }

    /// `rows`, or every row when nil, checked to lie within `count` rows (and the validity, when given).
    static func checkedRows(_ rows: Range<Int>?, count: Int, validity: ValidityBitmap?) -> Range<Int> {
        if let validity { precondition(validity.count == count, "validity length mismatch") }
        let rows = rows ?? 0..<count
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count, "rows out of range")
        return rows
    }

    /// The checks both interval assignments make of `edges`, and the edges as their loop takes them: the inner
    /// ones, and the outer two.
    private static func intervalBounds<Code: FixedWidthInteger>(_ edges: [Double], missingCode: Code) -> (
        inner: [Double], low: Double, high: Double
    ) {
        precondition(edges.count >= 2, "binning needs at least two edges")
        precondition(edges.count - 1 <= Int(missingCode), "more bins than codes below the missing code")
        return (Array(edges.dropFirst().dropLast()), edges[0], edges[edges.count - 1])
    }

    /// ``assign(values:validity:edges:missingCode:)`` for integer values, compared as `Double(value)`, converted
    /// 65,536 rows at a time: the column is never copied whole as Doubles (8 bytes a row).
    public static func assign(
        values: ColumnBuffer<Int64>, validity: ValidityBitmap?, edges: [Double], missingCode: UInt16,
        rows: Range<Int>? = nil
    ) -> [UInt16] {
        assignIntegerCodes(values: values, validity: validity, edges: edges, missingCode: missingCode, rows: rows)
    }

    /// ``assign(values:validity:edges:missingCode:)`` for integer values, to one-byte codes.
    @_disfavoredOverload
    public static func assign(
        values: ColumnBuffer<Int64>, validity: ValidityBitmap?, edges: [Double], missingCode: UInt8,
        rows: Range<Int>? = nil
    ) -> [UInt8] {
        assignIntegerCodes(values: values, validity: validity, edges: edges, missingCode: missingCode, rows: rows)
    }

    static func assignIntegerCodes<Code: FixedWidthInteger & UnsignedInteger & SIMDScalar>(
        values: ColumnBuffer<Int64>, validity: ValidityBitmap?, edges: [Double], missingCode: Code,
        rows: Range<Int>? = nil
    ) -> [Code] {
        let (inner, low, high) = intervalBounds(edges, missingCode: missingCode)
        let rows = checkedRows(rows, count: values.count, validity: validity)
        let blockRows = 1 << 16
        var block = [Double](repeating: 0, count: min(blockRows, rows.count))
        var codes = unsafe [Code](writingCapacity: rows.count) { output, initialized in
            // Block by block: values in pieces or stored narrow are not copied or widened whole.
            unsafe values.forEachBlock(in: rows, blockRows: blockRows) { input, part in
                let base = part.lowerBound - rows.lowerBound
                unsafe block.withUnsafeMutableBufferPointer { doubles in
                    for start in stride(from: 0, to: input.count, by: blockRows) {
                        let count = min(blockRows, input.count - start)
                        // Safe: start + row < input.count, and row < count <= doubles.count.
                        for row in 0..<count {
                            unsafe doubles[row] = Double(unsafe input[start + row])
                        }
                        // Safe: the slices are within both buffers (base + input.count <= rows.count); every row of
                        // the output slice is written.
                        unsafe assignVectorized(
                            UnsafeBufferPointer(rebasing: doubles[0..<count]),
                            UnsafeMutableBufferPointer(rebasing: output[(base + start)..<(base + start + count)]),
                            inner: inner, low: low, high: high, missingCode: missingCode)
                    }
                }
            }
            initialized = rows.count
        }
        fillMissing(&codes, validity: validity, rows: rows, with: missingCode)
        return codes
    }

    /// Eight rows per step: the bin is the number of inner edges below the value; values outside
    /// `[low, high]` (and NaN, for which every comparison is false) get `missingCode`. Writes every row of `output`
    /// (which has `input.count` rows).
    private static func assignVectorized<Code: FixedWidthInteger & UnsignedInteger & SIMDScalar>(
        _ input: UnsafeBufferPointer<Double>, _ output: UnsafeMutableBufferPointer<Code>, inner: [Double],
        low: Double, high: Double, missingCode: Code
    ) {
        typealias Lanes = SIMD8<Double>
        precondition(output.count == input.count, "one code per value")
        let lowLanes = Lanes(repeating: low)
        let highLanes = Lanes(repeating: high)
        let missingLanes = SIMD8<Int64>(repeating: Int64(missingCode))
        let innerLanes = inner.map { Lanes(repeating: $0) }
        let count = input.count
        var row = 0
        unsafe innerLanes.withUnsafeBufferPointer { edges in
            while row + 8 <= count {
                // Safe: row + 8 <= count; loadUnaligned has no alignment requirement.
                let lanes = unsafe UnsafeRawPointer(input.baseAddress! + row).loadUnaligned(as: Lanes.self)
                var bins = SIMD8<Int64>.zero
                // Safe: edge < edges.count.
                for edge in 0..<edges.count {
                    let edgeLanes = unsafe edges[edge]
                    bins.replace(with: bins &+ 1, where: lanes .> edgeLanes)
                }
                let inRange = (lanes .>= lowLanes) .& (lanes .<= highLanes)
                let result = SIMD8<Code>(truncatingIfNeeded: missingLanes.replacing(with: bins, where: inRange))
                // Safe: row + 8 <= count == output.count.
                unsafe UnsafeMutableRawPointer(output.baseAddress! + row).storeBytes(of: result, as: SIMD8<Code>.self)
                row += 8
            }
        }
        while row < count {
            let value = unsafe input[row]
            var code = missingCode
            if value >= low && value <= high {
                var bin = 0
                for edge in inner { bin &+= value > edge ? 1 : 0 }
                code = Code(truncatingIfNeeded: bin)
            }
            unsafe output[row] = code
            row += 1
        }
    }
}

extension Binning {
    /// The present, non-NaN values of a float column, in row order: what the quantile selection reorders; and
    /// whether any of them is ±infinity, which the binning must set aside.
    ///
    /// Every value is written and the write position advances only past a present one, so the copy has no branch
    /// on the data (a row-by-row `append` behind a validity test took three times as long). The infinity test rides
    /// along: two `contains` scans of the copy afterwards were a tenth of the analysis' CPU time at 10M rows.
    public static func presentValues(
        _ values: ColumnBuffer<Double>, validity: ValidityBitmap?
    ) -> (values: [Double], hasInfinity: Bool) {
        compacted(values, validity: validity) { $0 }
    }

    /// The present values of an integer column as Doubles, in row order (never infinite).
    public static func presentValues(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?
    ) -> (values: [Double], hasInfinity: Bool) {
        compacted(values, validity: validity) { Double($0) }
    }

    @inline(__always)
    private static func compacted<Value>(
        _ values: ColumnBuffer<Value>, validity: ValidityBitmap?, _ number: (Value) -> Double
    ) -> (values: [Double], hasInfinity: Bool) {
        if let validity { precondition(validity.count == values.count, "validity length mismatch") }
        var infinite = false
        let result = unsafe [Double](writingCapacity: values.count) { output, initialized in
            // Ors of 0/1 bytes, not Bool's short-circuit `||`, which would branch per row.
            var infinities: UInt8 = 0
            var written = 0
            // Blocks start on whole words (forEachBlock), so each word's bits are the rows from `row`.
            unsafe values.forEachBlock(in: 0..<values.count) { input, rows in
                var row = rows.lowerBound
                while row < rows.upperBound {
                    let end = min(row + 64, rows.upperBound)
                    // Words cover every row (ValidityBitmap): row >> 6 < words.count.
                    let word = validity.map { $0.word(row >> 6) } ?? ~0
                    if word == 0 {
                        row = end
                        continue
                    }
                    var bit: UInt64 = 0
                    while row < end {
                        // Safe: row - rows.lowerBound < input.count; written <= row < output.count.
                        let value = number(unsafe input[row &- rows.lowerBound])
                        unsafe output[written] = value
                        let present: UInt8 = (word >> bit) & 1 == 1 && !value.isNaN ? 1 : 0
                        written &+= Int(present)
                        infinities |= present & (value.isInfinite ? 1 : 0)
                        bit &+= 1
                        row &+= 1
                    }
                }
            }
            initialized = written
            infinite = infinities != 0
        }
        return (result, infinite)
    }
}

extension Binning {
    /// One value per row, NaN where missing: a float column's values as they are (a copy), missing rows masked
    /// 64 at a time.
    public static func rowValues(_ values: ColumnBuffer<Double>, validity: ValidityBitmap?) -> [Double] {
        var copy = unsafe [Double](writingCapacity: values.count) { output, initialized in
            unsafe values.forEachRun(in: 0..<values.count) { input, first in
                // Safe: the runs cover 0..<values.count == output.count once each.
                _ = unsafe UnsafeMutableBufferPointer(rebasing: output[first..<(first + input.count)]).initialize(
                    fromContentsOf: input)
            }
            initialized = values.count
        }
        fillMissing(&copy, validity: validity, with: .nan)
        return copy
    }

    /// One value per row as a Double, NaN where missing.
    public static func rowValues(_ values: ColumnBuffer<Int64>, validity: ValidityBitmap?) -> [Double] {
        var converted = unsafe [Double](writingCapacity: values.count) { output, initialized in
            unsafe values.forEachRun(in: 0..<values.count) { input, first in
                // Safe: first + row < values.count == output.count.
                for row in 0..<input.count { unsafe output[first &+ row] = Double(unsafe input[row]) }
            }
            initialized = values.count
        }
        fillMissing(&converted, validity: validity, with: .nan)
        return converted
    }

    /// Sets the element of every missing row to `missing`, a word of 64 rows at a time (fully present words are
    /// skipped): the masking of the bin codes, the per-value codes and the row values.
    static func fillMissing<Element>(_ values: inout [Element], validity: ValidityBitmap?, with missing: Element) {
        guard let validity else { return }
        precondition(validity.count == values.count, "validity length mismatch")
        fillMissing(&values, validity: validity, rows: 0..<values.count, with: missing)
    }

    /// ``fillMissing(_:validity:with:)`` for the codes of a range of rows: `values[row - rows.lowerBound]` for every
    /// row of `rows` that `validity` says is missing.
    static func fillMissing<Element>(
        _ values: inout [Element], validity: ValidityBitmap?, rows: Range<Int>, with missing: Element
    ) {
        guard let validity else { return }
        precondition(values.count == rows.count && rows.upperBound <= validity.count, "validity length mismatch")
        guard !rows.isEmpty else { return }
        // Only the missing rows are visited, one per clear bit (a test of all 64 bits of every word with a missing
        // row cost 65 ms of CPU at 10M rows with 1% missing).
        for wordIndex in (rows.lowerBound >> 6)...((rows.upperBound - 1) >> 6) {
            let word = validity.word(wordIndex)
            guard word != ~0 else { continue }
            let start = wordIndex * 64
            // The word's rows within `rows`: from `first` to below `end`, as bits of the word.
            let first = max(rows.lowerBound, start) - start
            let end = min(rows.upperBound, start + 64) - start
            let inRows: UInt64 = (end == 64 ? ~0 : (1 << UInt64(end)) - 1) & ~((1 << UInt64(first)) - 1)
            var missingBits = ~word & inRows
            while missingBits != 0 {
                values[start + missingBits.trailingZeroBitCount - rows.lowerBound] = missing
                missingBits &= missingBits - 1
            }
        }
    }
}

import ColumnStore

/// The codes of a numeric column sliced per value: each row's code is its value's index among the column's sorted
/// distinct values, and a missing row or NaN gets `missingCode`.
///
/// A present value that is not among them (the binner meets those only on rows it drops afterwards) gets
/// `missingCode` from the table and the search, and from the counting path the number of values below it, or
/// `missingCode` outside their range.
///
/// - Few values (at most ``countedValues``): the bin-assignment kernel, with the values as edges; a row's code is
///   the number of distinct values below it, counted eight rows at a time (``Binning/assign``).
/// - Integers spanning at most ``maximumSpan``: a table indexed by the value minus the smallest one.
/// - Otherwise: a binary search per row.
public enum CategoryCodes {
    /// Distinct values up to which each row counts the values below it (one SIMD compare per value).
    static let countedValues = 32
    /// Widest integer range looked up in a table.
    static let maximumSpan = 1 << 16

    /// The codes of a float column: of `rows` (a block of them, the first row's code first), or of every row.
    /// - Precondition: `sortedDistinct` is ascending, without NaN or repeats; at most `missingCode` values.
    public static func assign(
        values: ColumnBuffer<Double>, validity: ValidityBitmap?, sortedDistinct: [Double], missingCode: UInt16,
        rows: Range<Int>? = nil
    ) -> [UInt16] {
        assignCodes(
            values: values, validity: validity, sortedDistinct: sortedDistinct, missingCode: missingCode, rows: rows)
    }

    /// The one-byte codes of a float column (at most 255 values).
    /// A literal missing code picks the two-byte form.
    @_disfavoredOverload
    public static func assign(
        values: ColumnBuffer<Double>, validity: ValidityBitmap?, sortedDistinct: [Double], missingCode: UInt8,
        rows: Range<Int>? = nil
    ) -> [UInt8] {
        assignCodes(
            values: values, validity: validity, sortedDistinct: sortedDistinct, missingCode: missingCode, rows: rows)
    }

    static func assignCodes<Code: FixedWidthInteger & UnsignedInteger & SIMDScalar>(
        values: ColumnBuffer<Double>, validity: ValidityBitmap?, sortedDistinct: [Double], missingCode: Code,
        rows: Range<Int>? = nil
    ) -> [Code] {
        precondition(sortedDistinct.count <= Int(missingCode), "more values than codes")
        let rows = Binning.checkedRows(rows, count: values.count, validity: validity)
        guard !sortedDistinct.isEmpty else { return [Code](repeating: missingCode, count: rows.count) }
        if sortedDistinct.count <= countedValues {
            return Binning.assignCodes(
                values: values, validity: validity, edges: [sortedDistinct[0]] + sortedDistinct,
                missingCode: missingCode, rows: rows)
        }
        return searchedByBlocks(
            values, validity: validity, rows: rows, sortedDistinct: sortedDistinct, missingCode: missingCode
        ) { $0 }
    }

    /// The codes of an integer column.
    /// - Precondition: as for floats; the values are integers (as Doubles).
    public static func assign(
        values: ColumnBuffer<Int64>, validity: ValidityBitmap?, sortedDistinct: [Double], missingCode: UInt16,
        rows: Range<Int>? = nil
    ) -> [UInt16] {
        assignCodes(
            values: values, validity: validity, sortedDistinct: sortedDistinct, missingCode: missingCode, rows: rows)
    }

    /// The one-byte codes of an integer column (at most 255 values).
    /// A literal missing code picks the two-byte form.
    @_disfavoredOverload
    public static func assign(
        values: ColumnBuffer<Int64>, validity: ValidityBitmap?, sortedDistinct: [Double], missingCode: UInt8,
        rows: Range<Int>? = nil
    ) -> [UInt8] {
        assignCodes(
            values: values, validity: validity, sortedDistinct: sortedDistinct, missingCode: missingCode, rows: rows)
    }

    static func assignCodes<Code: FixedWidthInteger & UnsignedInteger>(
        values: ColumnBuffer<Int64>, validity: ValidityBitmap?, sortedDistinct: [Double], missingCode: Code,
        rows: Range<Int>? = nil
    ) -> [Code] {
        precondition(sortedDistinct.count <= Int(missingCode), "more values than codes")
        let rows = Binning.checkedRows(rows, count: values.count, validity: validity)
        // Within ±2⁵³ every integer is its own Double: past it, distinct integers can round onto one distinct
        // value, which only the search below (on Doubles) finds for all of them.
        guard let first = sortedDistinct.first, let last = sortedDistinct.last,
            first > -0x1p53, last < 0x1p53, last - first < Double(maximumSpan),
            sortedDistinct.allSatisfy({ $0 == $0.rounded() })
        else {
            return searchedByBlocks(
                values, validity: validity, rows: rows, sortedDistinct: sortedDistinct, missingCode: missingCode
            ) { Double($0) }
        }
        let low = Int64(first)
        let span = Int(Int64(last) - low)
        var table = [Code](repeating: missingCode, count: span + 1)
        for (code, value) in sortedDistinct.enumerated() { table[Int(Int64(value) - low)] = Code(code) }
        // Every row is written, so the codes are not filled first (a second pass over the output).
        var codes = unsafe [Code](writingCapacity: rows.count) { output, initialized in
            unsafe table.withUnsafeBufferPointer { lookup in
                // Run by run: values in pieces or stored narrow are not copied or widened whole.
                unsafe values.forEachRun(in: rows) { input, first in
                    for row in first..<(first + input.count) {
                        // Safe: row - first < input.count; row - rows.lowerBound < rows.count == the capacity; the
                        // offset is checked against the table's last index (a value below `low` wraps to a huge
                        // unsigned offset).
                        let offset = UInt64(bitPattern: unsafe input[row &- first] &- low)
                        let code = offset <= UInt64(span) ? unsafe lookup[Int(offset)] : missingCode
                        unsafe output.initializeElement(at: row &- rows.lowerBound, to: code)
                    }
                }
            }
            initialized = rows.count
        }
        Binning.fillMissing(&codes, validity: validity, rows: rows, with: missingCode)
        return codes
    }

    /// ``searched(_:validity:rows:sortedDistinct:missingCode:number:)`` over `rows` of a column, block by block
    /// (one block when the values are contiguous).
    private static func searchedByBlocks<Value, Code: FixedWidthInteger & UnsignedInteger>(
        _ values: ColumnBuffer<Value>, validity: ValidityBitmap?, rows: Range<Int>, sortedDistinct: [Double],
        missingCode: Code, number: (Value) -> Double
    ) -> [Code] {
        guard !values.isContiguous else {
            return unsafe values.withUnsafeBufferPointer(rows: rows) { buffer in
                unsafe searched(
                    buffer, validity: validity, rows: rows, sortedDistinct: sortedDistinct, missingCode: missingCode,
                    number: number)
            }
        }
        var codes: [Code] = []
        codes.reserveCapacity(rows.count)
        unsafe values.forEachBlock(in: rows) { input, block in
            codes += unsafe searched(
                input, validity: validity, rows: block, sortedDistinct: sortedDistinct, missingCode: missingCode,
                number: number)
        }
        return codes
    }

    /// A binary search per row.
    private static func searched<Value, Code: FixedWidthInteger & UnsignedInteger>(
        _ input: UnsafeBufferPointer<Value>, validity: ValidityBitmap?, rows: Range<Int>, sortedDistinct: [Double],
        missingCode: Code, number: (Value) -> Double
    ) -> [Code] {
        precondition(rows.count == input.count, "one value per row")
        var codes = [Code](repeating: missingCode, count: rows.count)
        unsafe sortedDistinct.withUnsafeBufferPointer { distinct in
            unsafe codes.withUnsafeMutableBufferPointer { output in
                for row in rows {
                    // Safe: row - rows.lowerBound < rows.count == input.count (input holds the rows' values).
                    let value = number(unsafe input[row &- rows.lowerBound])
                    var low = 0
                    var high = distinct.count
                    // Safe: low <= middle < high <= distinct.count.
                    while low < high {
                        let middle = (low + high) >> 1
                        if unsafe distinct[middle] < value { low = middle + 1 } else { high = middle }
                    }
                    // Safe: row - rows.lowerBound < rows.count == output.count.
                    if low < distinct.count, unsafe distinct[low] == value {
                        unsafe output[row &- rows.lowerBound] = Code(low)
                    }
                }
            }
        }
        Binning.fillMissing(&codes, validity: validity, rows: rows, with: missingCode)
        return codes
    }
}

extension DistinctCount {
    /// The distinct values of `values` in ascending order, or, once more than `limit` are found, `limit + 1` of
    /// them (which ones is unspecified): enough to tell a column with at most `limit` values. NaN is skipped and
    /// -0 counts as 0 (0 is returned).
    public static func sortedValues(_ values: [Double], limit: Int) -> [Double] {
        var table = _KeyCountTable(expected: min(values.count, limit + 1, 1 << 16))
        for value in values where !value.isNaN {
            table.add((value == 0 ? 0.0 : value).bitPattern)
            if table.count > limit { break }
        }
        var found: [Double] = []
        found.reserveCapacity(table.count)
        table.forEach { key, _ in found.append(Double(bitPattern: key)) }
        return found.sorted()
    }
}

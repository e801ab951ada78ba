import ColumnStore

extension Binning {
    /// The present, non-NaN values of a float column on the rows `keep` marks (every row when nil), in row order,
    /// and whether any is ±infinity.
    public static func presentValues(
        _ values: ColumnBuffer<Double>, validity: ValidityBitmap?, keep: [Bool]?
    ) -> (values: [Double], hasInfinity: Bool) {
        guard let keep else { return presentValues(values, validity: validity) }
        return keptValues(values, validity: validity, keep: keep) { $0 }
    }

    /// The present values of an integer column on the kept rows (every row when `keep` is nil) as Doubles, in row
    /// order (never infinite).
    public static func presentValues(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?, keep: [Bool]?
    ) -> (values: [Double], hasInfinity: Bool) {
        guard let keep else { return presentValues(values, validity: validity) }
        return keptValues(values, validity: validity, keep: keep) { Double($0) }
    }

    @inline(__always)
    private static func keptValues<Value>(
        _ values: ColumnBuffer<Value>, validity: ValidityBitmap?, keep: [Bool], _ number: (Value) -> Double
    ) -> (values: [Double], hasInfinity: Bool) {
        precondition(keep.count == values.count, "one keep flag per row")
        var present: [Double] = []
        present.reserveCapacity(values.count)
        var hasInfinity = false
        unsafe values.forEachRun(in: 0..<values.count) { input, first in
            for index in 0..<input.count where keep[first + index] && (validity?.isValid(first + index) ?? true) {
                // Safe: index < input.count.
                let value = number(unsafe input[index])
                if !value.isNaN { present.append(value) }
                if value.isInfinite { hasInfinity = true }
            }
        }
        return (present, hasInfinity)
    }

    /// The smallest and largest present values of an integer column on the kept rows (nil when none is present),
    /// and whether a kept row is missing.
    public static func keptRange(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?, keep: [Bool]?
    ) -> (range: (low: Int64, high: Int64)?, missing: Bool) {
        if let keep { precondition(keep.count == values.count, "one keep flag per row") }
        var low = Int64.max
        var high = Int64.min
        var missing = false
        unsafe values.forEachRun(in: 0..<values.count) { input, first in
            for index in 0..<input.count where keep?[first + index] ?? true {
                if validity?.isValid(first + index) ?? true {
                    // Safe: index < input.count.
                    low = min(low, unsafe input[index])
                    high = max(high, unsafe input[index])
                } else {
                    missing = true
                }
            }
        }
        return (low <= high ? (low, high) : nil, missing)
    }

    /// The codes of fixed-width buckets: `floor((value − origin) / step)` for a present value in `0..<count` buckets,
    /// `missingCode` for a missing row or a value outside them; of the rows `rows` only, when given (a block of the
    /// codes, written as it is counted).
    ///
    /// - Precondition: `step > 0`; `count <= missingCode` (every bucket has a code of its own); `rows` within the
    ///   values.
    public static func fixedWidthCodes(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?, origin: Int64, step: Int64, count: Int,
        missingCode: UInt16, rows: Range<Int>? = nil
    ) -> [UInt16] {
        fixedWidthCodeArray(
            values, validity: validity, origin: origin, step: step, count: count, missingCode: missingCode,
            rows: rows ?? 0..<values.count)
    }

    /// ``fixedWidthCodes(_:validity:origin:step:count:missingCode:rows:)`` to one-byte codes (at most 255 buckets).
    /// A literal missing code picks the two-byte form.
    @_disfavoredOverload
    public static func fixedWidthCodes(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?, origin: Int64, step: Int64, count: Int,
        missingCode: UInt8, rows: Range<Int>? = nil
    ) -> [UInt8] {
        fixedWidthCodeArray(
            values, validity: validity, origin: origin, step: step, count: count, missingCode: missingCode,
            rows: rows ?? 0..<values.count)
    }

    static func fixedWidthCodeArray<Code: FixedWidthInteger & UnsignedInteger>(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?, origin: Int64, step: Int64, count: Int,
        missingCode: Code, rows: Range<Int>
    ) -> [Code] {
        precondition(step > 0, "bucket width must be positive")
        precondition(count <= Int(missingCode), "more buckets than codes below the missing code")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= values.count, "rows out of range")
        let start = rows.lowerBound
        var codes = [Code](repeating: missingCode, count: rows.count)
        unsafe codes.withUnsafeMutableBufferPointer { output in
            // Run by run: values in pieces or stored narrow are not copied or widened whole.
            unsafe values.forEachRun(in: rows) { input, first in
                for row in first..<(first + input.count) where validity?.isValid(row) ?? true {
                    // Safe: row - first < input.count; row - start < rows.count == output.count.
                    let (offset, overflow) = unsafe input[row &- first].subtractingReportingOverflow(origin)
                    guard !overflow, offset >= 0 else { continue }
                    let index = offset / step
                    if index < Int64(count) { unsafe output[row &- start] = Code(truncatingIfNeeded: index) }
                }
            }
        }
        return codes
    }
}

import ColumnStore

/// Dense codes of a narrow integer column, numbered in order of first appearance: the class ids of integer label
/// and prediction columns.
///
/// One pass finds the range of the present values; a second looks each value up in a table indexed by the value
/// minus the smallest, giving it the next code the first time it is seen. Missing rows get -1.
public enum FirstAppearanceCodes {
    /// Widest range of values coded through the table.
    public static let maximumSpan = 1 << 16

    /// The code of every row (-1 where missing) and the distinct values in code order; nil when the present values
    /// span more than ``maximumSpan`` values.
    public static func of(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?
    ) -> (codes: [Int32], values: [Int64])? {
        if let validity { precondition(validity.count == values.count, "validity length mismatch") }
        return unsafe values.withUnsafeBufferPointer { input -> (codes: [Int32], values: [Int64])? in
            guard let low = unsafe range(input, validity: validity) else {
                return ([Int32](repeating: -1, count: input.count), [])
            }
            guard low.span > 0 else { return nil }
            var codeOfOffset = [Int32](repeating: -1, count: low.span)
            var distinct: [Int64] = []
            let codes = unsafe [Int32](unsafeUninitializedCapacity: input.count) { output, initialized in
                unsafe codeOfOffset.withUnsafeMutableBufferPointer { table in
                    for row in 0..<input.count {
                        // Safe: row < input.count == the capacity; a present value lies in
                        // [low, low + span), so its offset is below table.count.
                        guard validity?.isValid(row) ?? true else {
                            unsafe output.initializeElement(at: row, to: -1)
                            continue
                        }
                        let value = unsafe input[row]
                        let offset = Int(value &- low.value)
                        var code = unsafe table[offset]
                        if code < 0 {
                            code = Int32(distinct.count)
                            unsafe table[offset] = code
                            distinct.append(value)
                        }
                        unsafe output.initializeElement(at: row, to: code)
                    }
                }
                initialized = input.count
            }
            return (codes, distinct)
        }
    }

    /// The smallest present value and the span up to the largest (nil without a present value, and a span of 0 —
    /// never a valid table size — when it exceeds ``maximumSpan``).
    private static func range(
        _ input: UnsafeBufferPointer<Int64>, validity: ValidityBitmap?
    ) -> (value: Int64, span: Int)? {
        var low = Int64.max
        var high = Int64.min
        if let validity {
            for row in 0..<input.count where validity.isValid(row) {
                low = min(low, unsafe input[row])
                high = max(high, unsafe input[row])
            }
        } else {
            for row in 0..<input.count {
                low = min(low, unsafe input[row])
                high = max(high, unsafe input[row])
            }
        }
        guard low <= high else { return nil }
        let (difference, overflow) = high.subtractingReportingOverflow(low)
        return (low, !overflow && difference < maximumSpan ? Int(difference) + 1 : 0)
    }
}

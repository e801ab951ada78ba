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
            guard let (low, high) = unsafe range(input, validity: validity) else {
                return ([Int32](repeating: -1, count: input.count), [])
            }
            let (difference, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, difference < maximumSpan else { return nil }
            var codeOfOffset = [Int32](repeating: -1, count: Int(difference) + 1)
            var distinct: [Int64] = []
            let codes = unsafe [Int32](unsafeUninitializedCapacity: input.count) { output, initialized in
                unsafe codeOfOffset.withUnsafeMutableBufferPointer { table in
                    for row in 0..<input.count {
                        // Safe: row < input.count == the capacity; a present value lies in [low, high], so its
                        // offset is below table.count.
                        guard validity?.isValid(row) ?? true else {
                            unsafe output.initializeElement(at: row, to: -1)
                            continue
                        }
                        let value = unsafe input[row]
                        let offset = Int(value &- low)
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

    /// The distinct present values in ascending order; nil when they span more than ``maximumSpan`` values.
    ///
    /// A range pass, then a pass that marks each present value's offset in a table: what the binning of an integer
    /// label, prediction or batch id needs, without a copy of the column as Doubles.
    public static func sortedDistinct(_ values: ColumnBuffer<Int64>, validity: ValidityBitmap?) -> [Int64]? {
        if let validity { precondition(validity.count == values.count, "validity length mismatch") }
        return unsafe values.withUnsafeBufferPointer { input -> [Int64]? in
            guard let (low, high) = unsafe range(input, validity: validity) else { return [] }
            let (difference, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, difference < maximumSpan else { return nil }
            var seen = [UInt8](repeating: 0, count: Int(difference) + 1)
            unsafe seen.withUnsafeMutableBufferPointer { table in
                for row in 0..<input.count where validity?.isValid(row) ?? true {
                    // Safe: a present value lies in [low, high], so its offset is below table.count.
                    unsafe table[Int(input[row] &- low)] = 1
                }
            }
            return seen.indices.filter { seen[$0] != 0 }.map { low &+ Int64($0) }
        }
    }

    /// The smallest and largest present values (nil without a present value).
    private static func range(_ input: UnsafeBufferPointer<Int64>, validity: ValidityBitmap?) -> (Int64, Int64)? {
        var low = Int64.max
        var high = Int64.min
        if let validity {
            for row in 0..<input.count where validity.isValid(row) {
                // Safe: row < input.count.
                low = min(low, unsafe input[row])
                high = max(high, unsafe input[row])
            }
        } else {
            // Without a bitmap, a plain reduction the compiler vectorises.
            for row in 0..<input.count {
                // Safe: row < input.count.
                low = min(low, unsafe input[row])
                high = max(high, unsafe input[row])
            }
        }
        return low <= high ? (low, high) : nil
    }
}

import ColumnStore

/// Dense codes of a narrow integer column, numbered in order of first appearance: the class ids of integer label
/// and prediction columns.
///
/// Each value is looked up in a table indexed by the value minus the table's first value, and given the next code
/// the first time it is seen. Missing rows get -1. The table is first laid around the first present value, which
/// holds every value of a label or prediction column of small class numbers, so that one pass codes the column;
/// only a value outside it makes a pass for the range of the values, and a second pass over a table from the
/// smallest.
public enum FirstAppearanceCodes {
    /// Widest range of values coded through the table.
    public static let maximumSpan = 1 << 16

    /// The code of every row (-1 where missing) and the distinct values in code order; nil when the present values
    /// span more than ``maximumSpan`` values.
    public static func of(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?
    ) -> (codes: [Int32], values: [Int64])? {
        coded(values, validity: validity, as: Int32.self)
    }

    /// ``of(_:validity:)`` at one byte a row (-1 where missing): nil also past 128 distinct values. The class ids of a
    /// label and a prediction column are held until both are binned, so their width is the analysis's early peak
    /// memory (at 10M rows, 20 MB here where four-byte ids take 80 MB).
    public static func narrow(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?
    ) -> (codes: [Int8], values: [Int64])? {
        coded(values, validity: validity, as: Int8.self)
    }

    private static func coded<Code: FixedWidthInteger & SignedInteger>(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?, as: Code.Type
    ) -> (codes: [Code], values: [Int64])? {
        if let validity { precondition(validity.count == values.count, "validity length mismatch") }
        guard let first = firstPresent(values, validity: validity) else {
            return ([Code](repeating: -1, count: values.count), [])
        }
        let around = windowLow(around: first)
        switch codes(values, validity: validity, low: around, span: maximumSpan, as: Code.self) {
        case .coded(let codes, let distinct): return (codes, distinct)
        case .tooMany: return nil
        case .outside: break
        }
        guard let (low, high) = range(values, validity: validity) else {
            return ([Code](repeating: -1, count: values.count), [])
        }
        let (difference, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, difference < maximumSpan else { return nil }
        guard case .coded(let codes, let distinct) = codes(
            values, validity: validity, low: low, span: Int(difference) + 1, as: Code.self)
        else { return nil }
        return (codes, distinct)
    }

    private enum Coding<Code> {
        case coded([Code], [Int64])
        /// A present value outside the table.
        case outside
        /// More distinct values than codes.
        case tooMany
    }

    /// The codes through a table of `span` values from `low`; stops at the first present value outside it, or past
    /// the codes `Code` holds. The column is read run by run (`ColumnBuffer.forEachRun`), so values in record
    /// batches or stored narrow are not copied whole.
    private static func codes<Code: FixedWidthInteger & SignedInteger>(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?, low: Int64, span: Int, as: Code.Type
    ) -> Coding<Code> {
        var codeOfOffset = [Code](repeating: -1, count: span)
        var distinct: [Int64] = []
        var stop: Coding<Code>? = nil
        let count = values.count
        let codes = unsafe [Code](writingCapacity: count) { output, initialized in
            unsafe codeOfOffset.withUnsafeMutableBufferPointer { table in
                unsafe values.forEachRun(in: 0..<count) { input, first in
                    guard stop == nil else { return }
                    for index in 0..<input.count {
                        let row = first + index
                        // Safe: row < count == the capacity; the offset is checked below table.count.
                        guard validity?.isValid(row) ?? true else {
                            unsafe output.initializeElement(at: row, to: -1)
                            continue
                        }
                        let value = unsafe input[index]
                        let offset = UInt64(bitPattern: value &- low)
                        guard offset < UInt64(span) else {
                            stop = .outside
                            initialized = row
                            return
                        }
                        var code = unsafe table[Int(offset)]
                        if code < 0 {
                            guard distinct.count <= Int(Code.max) else {
                                stop = .tooMany
                                initialized = row
                                return
                            }
                            code = Code(distinct.count)
                            unsafe table[Int(offset)] = code
                            distinct.append(value)
                        }
                        unsafe output.initializeElement(at: row, to: code)
                    }
                }
                if stop == nil { initialized = count }
            }
        }
        return stop ?? .coded(codes, distinct)
    }

    /// The distinct present values in ascending order; nil when they span more than ``maximumSpan`` values.
    ///
    /// A pass that marks each present value's offset in a table (laid around the first present value, as in
    /// ``of(_:validity:)``, or from the smallest after a range pass): what the binning of an integer label,
    /// prediction or batch id needs, without a copy of the column as Doubles.
    public static func sortedDistinct(_ values: ColumnBuffer<Int64>, validity: ValidityBitmap?) -> [Int64]? {
        if let validity { precondition(validity.count == values.count, "validity length mismatch") }
        guard let first = firstPresent(values, validity: validity) else { return [] }
        if let marked = distinct(values, validity: validity, low: windowLow(around: first), span: maximumSpan) {
            return marked
        }
        guard let (low, high) = range(values, validity: validity) else { return [] }
        let (difference, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, difference < maximumSpan else { return nil }
        return distinct(values, validity: validity, low: low, span: Int(difference) + 1)
    }

    /// The distinct values through a table of `span` values from `low`; nil at the first present value outside it.
    private static func distinct(
        _ values: ColumnBuffer<Int64>, validity: ValidityBitmap?, low: Int64, span: Int
    ) -> [Int64]? {
        var seen = [UInt8](repeating: 0, count: span)
        var inside = true
        unsafe seen.withUnsafeMutableBufferPointer { table in
            unsafe values.forEachRun(in: 0..<values.count) { input, first in
                guard inside else { return }
                for index in 0..<input.count where validity?.isValid(first + index) ?? true {
                    // Safe: index < input.count; the offset is checked below table.count.
                    let offset = UInt64(bitPattern: unsafe input[index] &- low)
                    guard offset < UInt64(span) else {
                        inside = false
                        return
                    }
                    unsafe table[Int(offset)] = 1
                }
            }
        }
        return inside ? seen.indices.filter { seen[$0] != 0 }.map { low &+ Int64($0) } : nil
    }

    /// The first present value (nil without one).
    private static func firstPresent(_ values: ColumnBuffer<Int64>, validity: ValidityBitmap?) -> Int64? {
        guard let row = (0..<values.count).first(where: { validity?.isValid($0) ?? true }) else { return nil }
        return values[row]
    }

    /// The start of a table of ``maximumSpan`` values centred on `value`, clamped so that it does not overflow.
    private static func windowLow(around value: Int64) -> Int64 {
        let half = Int64(maximumSpan / 2)
        if value < Int64.min + half { return Int64.min }
        if value > Int64.max - half { return Int64.max - 2 * half + 1 }
        return value - half
    }

    /// The smallest and largest present values (nil without a present value).
    private static func range(_ values: ColumnBuffer<Int64>, validity: ValidityBitmap?) -> (Int64, Int64)? {
        var low = Int64.max
        var high = Int64.min
        unsafe values.forEachRun(in: 0..<values.count) { input, first in
            if let validity {
                for index in 0..<input.count where validity.isValid(first + index) {
                    // Safe: index < input.count.
                    low = min(low, unsafe input[index])
                    high = max(high, unsafe input[index])
                }
            } else {
                // Without a bitmap, a plain reduction the compiler vectorises.
                for index in 0..<input.count {
                    // Safe: index < input.count.
                    low = min(low, unsafe input[index])
                    high = max(high, unsafe input[index])
                }
            }
        }
        return low <= high ? (low, high) : nil
    }
}

/// The class id of every row of a label or prediction column (-1 where it has none): one byte a row while the ids
/// fit (at most 128 classes, nearly every classification), four otherwise.
public enum ClassIdColumn: Sendable, Equatable {
    case narrow([Int8])
    case wide([Int32])

    /// The number of rows.
    public var count: Int {
        switch self {
        case .narrow(let ids): ids.count
        case .wide(let ids): ids.count
        }
    }

    /// The ids at four bytes (a copy when narrow).
    public var wide: [Int32] {
        switch self {
        case .narrow(let ids): ids.map { Int32($0) }
        case .wide(let ids): ids
        }
    }

    /// Whether the ids are one byte each.
    public var isNarrow: Bool {
        if case .narrow = self { true } else { false }
    }
}

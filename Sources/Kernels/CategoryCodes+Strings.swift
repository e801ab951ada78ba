import ColumnStore

extension CategoryCodes {
    /// The rows of each dictionary entry among a string column's present rows, and the rows without a value
    /// (counted by ``_SlotCounter``).
    ///
    /// - Precondition: the code of every present row is below `entries` (a missing row's code is not read).
    public static func counts(
        codes: ColumnBuffer<UInt32>, validity: ValidityBitmap?, entries: Int
    ) -> (counts: [Int], missing: Int) {
        if let validity { precondition(validity.count == codes.count, "validity length mismatch") }
        var counter = _SlotCounter(width: entries + 1, validity: validity)
        // Run by run: codes in record batches or held narrow are read where they are, not copied whole.
        unsafe codes.forEachRun(in: 0..<codes.count) { input, first in
            counter.count(first..<(first + input.count)) { row, present in
                // Safe: row - first < input.count. A missing row's code is not read.
                guard present else { return entries }
                let code = Int(unsafe input[row &- first])
                precondition(code < entries, "dictionary code out of range")
                return code
            }
        }
        var totals = counter.finish()
        let missing = totals.removeLast()
        return (totals, missing)
    }

    /// As ``counts(codes:validity:entries:)`` over the rows `keep` marks (row by row: the binner meets a keep mask
    /// only when rows are dropped).
    public static func counts(
        codes: ColumnBuffer<UInt32>, validity: ValidityBitmap?, entries: Int, keep: [Bool]
    ) -> (counts: [Int], missing: Int) {
        precondition(keep.count == codes.count, "one keep flag per row")
        var counts = [Int](repeating: 0, count: entries)
        var missing = 0
        unsafe codes.forEachRun(in: 0..<codes.count) { input, first in
            for index in 0..<input.count where keep[first + index] {
                // Safe: index < input.count; the count's index is checked.
                if validity?.isValid(first + index) ?? true {
                    counts[Int(unsafe input[index])] += 1
                } else {
                    missing += 1
                }
            }
        }
        return (counts, missing)
    }

    /// Each present row's dictionary code through `table`, `missingCode` where the row is missing.
    ///
    /// - Precondition: the code of every present row is below `table.count`.
    /// - Parameter rows: the rows to remap (all when nil): the codes of a block, written where they are counted.
    public static func remap(
        codes: ColumnBuffer<UInt32>, validity: ValidityBitmap?, table: [UInt16], missingCode: UInt16,
        rows: Range<Int>? = nil
    ) -> [UInt16] {
        remapCodes(codes: codes, validity: validity, table: table, missingCode: missingCode, rows: rows)
    }

    /// ``remap(codes:validity:table:missingCode:)`` to one-byte codes.
    /// A literal missing code picks the two-byte form.
    @_disfavoredOverload
    public static func remap(
        codes: ColumnBuffer<UInt32>, validity: ValidityBitmap?, table: [UInt8], missingCode: UInt8,
        rows: Range<Int>? = nil
    ) -> [UInt8] {
        remapCodes(codes: codes, validity: validity, table: table, missingCode: missingCode, rows: rows)
    }

    static func remapCodes<Code: FixedWidthInteger & UnsignedInteger>(
        codes: ColumnBuffer<UInt32>, validity: ValidityBitmap?, table: [Code], missingCode: Code,
        rows: Range<Int>? = nil
    ) -> [Code] {
        let rows = Binning.checkedRows(rows, count: codes.count, validity: validity)
        return unsafe table.withUnsafeBufferPointer { lookup in
            unsafe [Code](writingCapacity: rows.count) { output, initialized in
                unsafe codes.forEachRun(in: rows) { input, first in
                    for row in first..<(first + input.count) {
                        // Safe: row - rows.lowerBound < rows.count == the capacity, row - first < input.count; the
                        // code is checked against the table.
                        guard validity?.isValid(row) ?? true else {
                            unsafe output.initializeElement(at: row - rows.lowerBound, to: missingCode)
                            continue
                        }
                        let code = Int(unsafe input[row &- first])
                        precondition(code < lookup.count, "dictionary code out of range")
                        unsafe output.initializeElement(at: row - rows.lowerBound, to: lookup[code])
                    }
                }
                initialized = rows.count
            }
        }
    }

    /// Each row's class id through `table`, `missingCode` where the id is negative (a row without a class): the
    /// bin codes of an integer label or prediction column from the class ids the failure definition already made.
    ///
    /// - Precondition: every non-negative id is below `table.count` (checked).
    public static func remap(classIds: ClassIdColumn, table: [UInt16], missingCode: UInt16) -> [UInt16] {
        switch classIds {
        case .narrow(let ids): remapClassIds(ids, table: table, missingCode: missingCode)
        case .wide(let ids): remapClassIds(ids, table: table, missingCode: missingCode)
        }
    }

    /// ``remap(classIds:table:missingCode:)`` to one-byte codes.
    /// A literal missing code picks the two-byte form.
    @_disfavoredOverload
    public static func remap(classIds: ClassIdColumn, table: [UInt8], missingCode: UInt8) -> [UInt8] {
        switch classIds {
        case .narrow(let ids): remapClassIds(ids, table: table, missingCode: missingCode)
        case .wide(let ids): remapClassIds(ids, table: table, missingCode: missingCode)
        }
    }

    static func remapClassIds<Id: FixedWidthInteger & SignedInteger, Code: FixedWidthInteger & UnsignedInteger>(
        _ classIds: [Id], table: [Code], missingCode: Code
    ) -> [Code] {
        unsafe classIds.withUnsafeBufferPointer { input in
            unsafe table.withUnsafeBufferPointer { lookup in
                unsafe [Code](writingCapacity: input.count) { output, initialized in
                    for row in 0..<input.count {
                        // Safe: row < input.count == the capacity; a non-negative id is checked against the table.
                        let id = Int(unsafe input[row])
                        guard id >= 0 else {
                            unsafe output.initializeElement(at: row, to: missingCode)
                            continue
                        }
                        precondition(id < lookup.count, "class id out of range")
                        unsafe output.initializeElement(at: row, to: lookup[id])
                    }
                    initialized = input.count
                }
            }
        }
    }

    /// ``remap(codes:validity:table:missingCode:)`` and the rows of each code it gives, counted in the same pass: for
    /// a table known before the counts (a dictionary whose every entry becomes its own bin), where the counts and
    /// then the codes would read the column twice.
    ///
    /// - Returns: The codes, and the rows per code `0...missingCode`.
    /// - Precondition: the code of every present row is below `table.count`; every table entry is at most
    ///   `missingCode`.
    public static func remapCounting(
        codes: ColumnBuffer<UInt32>, validity: ValidityBitmap?, table: [UInt16], missingCode: UInt16
    ) -> (codes: [UInt16], counts: [Int]) {
        remapCountingCodes(codes: codes, validity: validity, table: table, missingCode: missingCode)
    }

    /// ``remapCounting(codes:validity:table:missingCode:)`` to one-byte codes.
    /// A literal missing code picks the two-byte form.
    @_disfavoredOverload
    public static func remapCounting(
        codes: ColumnBuffer<UInt32>, validity: ValidityBitmap?, table: [UInt8], missingCode: UInt8
    ) -> (codes: [UInt8], counts: [Int]) {
        remapCountingCodes(codes: codes, validity: validity, table: table, missingCode: missingCode)
    }

    static func remapCountingCodes<Code: FixedWidthInteger & UnsignedInteger>(
        codes: ColumnBuffer<UInt32>, validity: ValidityBitmap?, table: [Code], missingCode: Code
    ) -> (codes: [Code], counts: [Int]) {
        if let validity { precondition(validity.count == codes.count, "validity length mismatch") }
        precondition(table.allSatisfy { $0 <= missingCode }, "table entry past the missing code")
        var counter = _SlotCounter(width: Int(missingCode) + 1, validity: validity)
        let remapped = unsafe table.withUnsafeBufferPointer { lookup in
            unsafe [Code](writingCapacity: codes.count) { output, initialized in
                unsafe codes.forEachRun(in: 0..<codes.count) { input, first in
                    // Each row's code is written as its slot is computed (once per row).
                    counter.count(first..<(first + input.count)) { row, present in
                        // Safe: row < codes.count == the capacity, row - first < input.count; the code is checked
                        // against the table.
                        guard present else {
                            unsafe output.initializeElement(at: row, to: missingCode)
                            return Int(missingCode)
                        }
                        let entry = Int(unsafe input[row &- first])
                        precondition(entry < lookup.count, "dictionary code out of range")
                        let mapped = unsafe lookup[entry]
                        unsafe output.initializeElement(at: row, to: mapped)
                        return Int(mapped)
                    }
                }
                initialized = codes.count
            }
        }
        return (remapped, counter.finish())
    }

    /// Counts the rows of each slot `0..<width` that `slot(row, present)` gives, every row asked once (`present`
    /// from `validity`), over ranges of rows handed in one after another (a column's runs): counted eight rows ahead
    /// into two copies of 32-bit counters (``GroupBy/countRows(_:into:width:slot:)``), added into 64-bit totals
    /// before 2³¹ rows. Row by row, each row's count waited on the previous row's store to the same few slots. The
    /// counters are made once, not per range.
    struct _SlotCounter {
        private(set) var totals: [Int]
        private var counters: [UInt32]
        private var pending = 0
        private let validity: ValidityBitmap?

        init(width: Int, validity: ValidityBitmap?) {
            totals = [Int](repeating: 0, count: width)
            counters = [UInt32](repeating: 0, count: 2 * width)
            self.validity = validity
        }

        /// Counts `rows`.
        /// - Precondition: every slot is below the width (checked); `rows` lies in the validity's rows.
        @inline(__always)
        mutating func count(_ rows: Range<Int>, slot: (_ row: Int, _ present: Bool) -> Int) {
            if let validity { precondition(rows.upperBound <= validity.count, "validity length mismatch") }
            let width = totals.count
            @inline(__always) func checked(_ value: Int) -> Int {
                precondition(UInt(bitPattern: value) < UInt(width), "slot out of range")
                return value
            }
            var start = rows.lowerBound
            while start < rows.upperBound {
                if pending == 1 << 31 { flush() }
                let end = min(start + (1 << 31) - pending, rows.upperBound)
                let validity = self.validity
                // Safe (countRows): every slot is checked below width; counts holds two copies of width counters.
                unsafe counters.withUnsafeMutableBufferPointer { counts in
                    if let validity {
                        unsafe validity.withUnsafeWords { words in
                            unsafe GroupBy.countRows(start..<end, into: counts, width: width) { row in
                                // Safe: row < rows.upperBound <= validity.count, so row >> 6 < words.count.
                                checked(slot(row, unsafe words[row >> 6] & (1 << UInt64(row & 63)) != 0))
                            }
                        }
                    } else {
                        unsafe GroupBy.countRows(start..<end, into: counts, width: width) { checked(slot($0, true)) }
                    }
                }
                pending += end - start
                start = end
            }
        }

        /// Adds the counters into the totals and clears them.
        private mutating func flush() {
            let width = totals.count
            for index in 0..<width {
                totals[index] += Int(counters[index]) + Int(counters[width + index])
                counters[index] = 0
                counters[width + index] = 0
            }
            pending = 0
        }

        /// The totals of every range counted.
        consuming func finish() -> [Int] {
            flush()
            return totals
        }
    }
}

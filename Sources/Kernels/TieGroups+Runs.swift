import ColumnStore

extension _TieGroups {
    /// The tie groups of values that may lie in pieces (an Arrow file of several record batches), counted run by run
    /// in place in one table, so that the pieces are never copied whole (8 bytes a row): the same groups as
    /// ``aggregate(values:validity:outcome:directLimit:)`` gives for the same values contiguous. Nil when the table
    /// reaches `directLimit` values or the rows are too many for 32-bit counts: the caller then counts a contiguous
    /// copy, whose rows the partitions read by index.
    /// - Parameter expected: the distinct values estimated (``estimatedDistinct(_:)``), to size the table once.
    /// - Precondition: one outcome per value, `validity` (when given) as long.
    static func aggregate(
        runsOf values: ColumnBuffer<Double>, validity: ValidityBitmap?, outcome: [UInt8], expected: Int,
        directLimit: Int = directLimit
    ) -> (keys: [UInt64], sums: [UInt64])? {
        precondition(values.count == outcome.count, "one outcome per value")
        if let validity { precondition(validity.count == values.count, "validity length mismatch") }
        guard values.count < Int(UInt32.max) else { return nil }
        var table = _KeyCountTable(expected: max(512, min(expected, directLimit)))
        var overflowed = false
        unsafe outcome.withUnsafeBufferPointer { outcomeBuffer in
            unsafe values.forEachRun(in: 0..<values.count) { run, first in
                guard !overflowed else { return }
                // Safe: the runs cover the values' rows, which are the outcomes' and the validity's.
                if let validity {
                    unsafe validity.withUnsafeWords { words in
                        // Safe: row < validity.count, so row >> 6 < words.count.
                        overflowed = unsafe add(
                            run, first: first, outcome: outcomeBuffer, into: &table, directLimit: directLimit
                        ) { row in unsafe words[row >> 6] & (1 << UInt64(row & 63)) != 0 }
                    }
                } else {
                    overflowed = unsafe add(
                        run, first: first, outcome: outcomeBuffer, into: &table, directLimit: directLimit
                    ) { _ in true }
                }
            }
        }
        if overflowed { return nil }
        var keys: [UInt64] = []
        var sums: [UInt64] = []
        keys.reserveCapacity(table.count)
        sums.reserveCapacity(table.count)
        table.forEach { key, sum in
            keys.append(key)
            sums.append(sum)
        }
        _RadixSort.sort(&keys, labels: &sums)
        return (keys, sums)
    }

    /// Adds the rows `first ..< first + values.count` that are not NaN and are `present` to `table`, with the slot
    /// `prefetchDistance` rows ahead prefetched once the table outgrows L2; true when the table reached
    /// `directLimit` values (the rest of the run is then not added).
    /// - Precondition: the rows lie within `outcome`.
    @unsafe
    @inline(__always)
    private static func add(
        _ values: UnsafeBufferPointer<Double>, first: Int, outcome: UnsafeBufferPointer<UInt8>,
        into table: inout _KeyCountTable, directLimit: Int, present: (Int) -> Bool
    ) -> Bool {
        precondition(first >= 0 && first + values.count <= outcome.count, "rows outside the outcomes")
        let count = values.count
        var prefetching = table.slotCount > prefetchFromSlots
        // The slots' address and size in registers: only a new value (an insert) may move them.
        var probe = unsafe table.probe
        for index in 0..<count {
            // Safe: index < count == values.count, first + index < outcome.count (checked above); the index
            // prefetched is checked against the count.
            if prefetching {
                let ahead = index &+ prefetchDistance
                if ahead < count { unsafe probe.prefetch(OrderStatistics.orderKey(unsafe values[ahead])) }
            }
            let value = unsafe values[index]
            let row = first &+ index
            if value.isNaN || !present(row) { continue }
            let key = OrderStatistics.orderKey(value)
            let added = increment(unsafe outcome[row] != 0)
            if unsafe probe.addIfHeld(key, added) { continue }
            let isNew = table.add(key, added)
            unsafe probe = table.probe
            guard isNew else { continue }
            prefetching = table.slotCount > prefetchFromSlots
            if table.count >= directLimit { return true }
        }
        return false
    }
}

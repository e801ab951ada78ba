import _KernelShims

/// An open-addressing, linear-probing table of 64-bit keys, each with a 64-bit sum of the increments added for it:
/// the hash set of ``DistinctCount`` (increments ignored) and the per-value counts of ``ValueCounts`` (the tie groups).
///
/// - The slot is the top bits of the key times ``fibonacciMultiplier`` (Fibonacci hashing, ``slot(of:)``): one
///   multiplication, where ``mix(_:)``'s five steps made a tie-group count of 10M rows a third slower. The product's
///   top bits depend on every bit of the key, so keys that differ only in their low bits (decimal fractions) still
///   spread: 1.0–1.4 probes per row on the benchmark dump's columns, at most 2.1 on sequences of integers, of
///   multiples of powers of two and of decimal steps.
/// - The partitioned counts pick a partition from ``mix(_:)``'s top bits, a function of the key unrelated to the
///   slot: the keys of one partition share their partition bits but not their slot bits.
/// - 0 marks an empty slot, so the key 0 is kept apart (`zeroSum`).
/// - The table in use is the first `size` slots: ``reset(expected:)`` clears only those, so a table reused for many
///   small partitions does not clear what a big one left allocated. It doubles at half full.
/// - The slots are one allocation the table owns, not an Array: an Array's element update checked its buffer's
///   uniqueness on every add (a call per row). Non-copyable, so no two tables share it.
@safe struct _KeyCountTable: ~Copyable {
    /// A key and its sum side by side: a probe that finds its key finds the sum in the same cache line.
    private struct _Slot {
        var key: UInt64 = 0
        var sum: UInt64 = 0
    }

    private var slots: UnsafeMutableBufferPointer<_Slot> = unsafe UnsafeMutableBufferPointer(start: nil, count: 0)
    private var size = 0
    private var shift: UInt64 = 0
    private var zeroSum: UInt64?
    /// Distinct keys held.
    private(set) var count = 0

    init(expected: Int) { reset(expected: expected) }

    deinit { unsafe slots.deallocate() }

    /// MurmurHash3's 64-bit finaliser: a bijection whose every output bit depends on every input bit.
    @inline(__always)
    static func mix(_ key: UInt64) -> UInt64 {
        var x = key
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// Empties the table and sizes it for about `expected` keys (it still grows past them).
    mutating func reset(expected: Int) {
        var newSize = 16
        while newSize < 2 * expected { newSize <<= 1 }
        if unsafe newSize > slots.count {
            unsafe slots.deallocate()
            unsafe slots = UnsafeMutableBufferPointer<_Slot>.allocate(capacity: newSize)
            unsafe slots.initialize(repeating: _Slot())
        } else {
            // Safe: newSize <= slots.count.
            unsafe UnsafeMutableBufferPointer(rebasing: slots[0..<newSize]).update(repeating: _Slot())
        }
        size = newSize
        shift = UInt64(64 - newSize.trailingZeroBitCount)
        zeroSum = nil
        count = 0
    }

    /// Slots in use (a power of two): twice the keys held at most.
    var slotCount: Int { size }

    /// 2⁶⁴/φ rounded to an odd number (Knuth, TAOCP vol. 3, §6.4, multiplicative hashing).
    static let fibonacciMultiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The slot where a probe for `key` begins: the top bits of `key` × ``fibonacciMultiplier``, below `size`.
    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* Self.fibonacciMultiplier) &>> shift)
    }

    /// Adds `increment` to the sum of `key`, inserting the key with a sum of 0 first when it is new; true when it
    /// was new (the only time ``count`` changes).
    @inline(__always)
    @discardableResult
    mutating func add(_ key: UInt64, _ increment: UInt64 = 0) -> Bool {
        guard key != 0 else {
            let isNew = zeroSum == nil
            if isNew { count += 1 }
            zeroSum = (zeroSum ?? 0) &+ increment
            return isNew
        }
        let mask = size - 1
        var index = slot(of: key)
        // Safe: index < size <= slots.count (masked).
        while true {
            let slotKey = unsafe slots[index].key
            if slotKey == key {
                unsafe slots[index].sum &+= increment
                return false
            }
            if slotKey == 0 { break }
            index = (index + 1) & mask
        }
        unsafe slots[index] = _Slot(key: key, sum: increment)
        count += 1
        // Sized for `size` keys: twice the slots.
        if 2 * count > size { grow(expected: size) }
        return true
    }

    /// Starts loading the slot where a probe for `key` begins, so that its `add` a few rows later finds the line in
    /// cache: in a table larger than L2 nearly every probe misses, and the misses of rows added one after another do
    /// not overlap. A hint only: it changes nothing in the table. (In a table that fits in L2 it only costs: 17
    /// distinct values in 10M rows counted in 48 ms with it, 31 ms without, in a C model of this loop.)
    @inline(__always)
    func prefetch(_ key: UInt64) {
        // Safe: slot(of:) < size <= slots.count.
        unsafe _kernels_prefetch(slots.baseAddress! + slot(of: key))
    }

    /// The table's slots as they are now, for a loop that mostly adds to keys it holds: a copy of the fields that
    /// stays in registers, where the table's own fields are read again on every row (``add(_:_:)`` may grow them).
    /// Valid until the table next changes: take a new one after any mutating call (an ``add(_:_:)`` that inserts,
    /// ``reserve(expected:)``, ``reset(expected:)``), which may move or resize the slots.
    var probe: _KeyCountProbe {
        unsafe _KeyCountProbe(keys: UnsafeMutableRawPointer(slots.baseAddress!), mask: size - 1, shift: shift)
    }

    /// Calls `body` with every key and its sum, in slot order (the key 0 first).
    func forEach(_ body: (_ key: UInt64, _ sum: UInt64) -> Void) {
        if let zeroSum { body(0, zeroSum) }
        // Safe: size <= slots.count.
        for index in 0..<size where unsafe slots[index].key != 0 { unsafe body(slots[index].key, slots[index].sum) }
    }

    /// Makes room for about `expected` keys at once, so that a table known to be headed for millions of keys is
    /// not rehashed at every doubling on the way (each rehash a pass of cache misses over the table).
    mutating func reserve(expected: Int) {
        if 2 * expected > size { grow(expected: expected) }
    }

    /// Rehashes the keys into a table sized for `expected` keys (``reset(expected:)``'s rule).
    private mutating func grow(expected: Int) {
        let old = unsafe Array(slots[0..<size])
        let oldZero = zeroSum
        reset(expected: expected)
        if let oldZero { zeroSum = oldZero; count = 1 }
        for slot in old where slot.key != 0 { add(slot.key, slot.sum) }
    }
}

/// A view of a ``_KeyCountTable``'s slots (``_KeyCountTable/probe``): the lookup of keys the table holds, and the
/// prefetch of a key's slot. It never inserts, so it never invalidates itself.
@unsafe struct _KeyCountProbe {
    /// The slots: a key, then its sum, 16 bytes each.
    let keys: UnsafeMutableRawPointer
    let mask: Int
    let shift: UInt64

    /// Adds `increment` to the sum of `key` and returns true when the table holds `key`; false, with nothing
    /// changed, when it does not or when `key` is 0 (kept apart by the table).
    @inline(__always)
    func addIfHeld(_ key: UInt64, _ increment: UInt64) -> Bool {
        guard key != 0 else { return false }
        var index = unsafe Int(truncatingIfNeeded: (key &* _KeyCountTable.fibonacciMultiplier) &>> shift)
        // Safe: index <= mask < the table's slot count, each of 16 bytes.
        while true {
            let slotKey = unsafe keys.load(fromByteOffset: index &<< 4, as: UInt64.self)
            if slotKey == key {
                let sum = unsafe keys.load(fromByteOffset: index &<< 4 &+ 8, as: UInt64.self)
                unsafe keys.storeBytes(of: sum &+ increment, toByteOffset: index &<< 4 &+ 8, as: UInt64.self)
                return true
            }
            if slotKey == 0 { return false }
            index = unsafe (index &+ 1) & mask
        }
    }

    /// ``_KeyCountTable/prefetch(_:)`` through the view.
    @inline(__always)
    func prefetch(_ key: UInt64) {
        let index = unsafe Int(truncatingIfNeeded: (key &* _KeyCountTable.fibonacciMultiplier) &>> shift)
        // Safe: a hint within the slots (index <= mask).
        unsafe _kernels_prefetch(keys + (index &<< 4))
    }
}

extension _KeyCountTable {
    /// Distinct keys per partition aimed at: a partition's table, twice as many slots of 16 bytes, fits in L2.
    static let partitionTarget = 1 << 13
    /// Partitions at most (2⁸): each is a write stream of the scatter, and more streams than this ran slower.
    static let maximumPartitionBits = 8

    /// The partition bits for about `distinct` distinct keys: ``partitionTarget`` keys each, 16 to 256 partitions.
    static func partitionBits(distinct: Double) -> Int {
        var bits = 4
        while bits < maximumPartitionBits && distinct / Double(1 << bits) > Double(partitionTarget) { bits += 1 }
        return bits
    }

    /// Pairs scattered at a time, about 18 MiB of keys and tags: more are scattered in rounds (below).
    static let scatterLimit = 1 << 21

    /// Counts many (key, tag) pairs in cache-sized tables, one per partition of the keys' top mixed bits.
    ///
    /// A random add into a table of millions of slots misses the cache on nearly every row. Here the pairs are
    /// first partitioned, a counting pass then a scatter, and each partition, a few tens of thousands of pairs, is
    /// added into one reused table. Equal keys share a partition, so a key's sum is whole within its partition.
    ///
    /// The first pass writes each row's partition to a byte per row, and a second counts those bytes: on these
    /// machines a load waits for the addresses of the stores before it, so a count whose address came out of the
    /// key's mix held back every row after it (the scatter and the counts then ran at a third of this speed).
    ///
    /// The scatter holds at most `scatterLimit` pairs: past it the partitioned order is taken in rounds of that many
    /// positions, each reading the partition bytes again and asking `pair` only about the rows of the partitions it
    /// overlaps (a partition cut by a round's end goes on filling its table in the next). So the memory is a byte per
    /// row and a bounded scatter (it was 9 bytes per pair, 90 MB a column at 10M rows, more with a key repeated on
    /// many rows), and the tables see the same keys in the same order as in one round.
    ///
    /// - Parameters:
    ///   - partitionBits: the partitions are 2^partitionBits (``partitionBits(distinct:)``), at most 2⁸.
    ///   - rows: how many rows `pair` is asked about.
    ///   - scatterLimit: the pairs scattered at a time (``scatterLimit``; smaller in tests, to take many rounds).
    ///   - pair: the key and tag of a row, nil for a row that has none; asked once in the first pass and again in
    ///     each round that takes the row's partition, giving the same answer each time.
    ///   - increment: what a pair's tag adds to its key's sum.
    ///   - body: called once per partition, in partition order, with the table holding that partition's keys.
    @inline(__always)
    static func forEachPartition(
        partitionBits bits: Int, rows: Int, scatterLimit: Int = _KeyCountTable.scatterLimit,
        pair: (Int) -> (key: UInt64, tag: UInt8)?, increment: (UInt8) -> UInt64,
        _ body: (borrowing _KeyCountTable) -> Void
    ) {
        precondition((1...maximumPartitionBits).contains(bits), "partition bits out of range")
        precondition(rows >= 0, "negative row count")
        precondition(scatterLimit > 0, "scatter limit must be positive")
        let partitions = 1 << bits
        let shift = UInt64(64 - bits)
        let partitionOfRow = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: rows)
        defer { unsafe partitionOfRow.deallocate() }
        var absent = 0
        for row in 0..<rows {
            // A row without a pair is written to partition 0 and taken off its count below.
            let partition = pair(row).map { UInt8(truncatingIfNeeded: mix($0.key) >> shift) }
            absent += partition == nil ? 1 : 0
            // Safe: row < rows == partitionOfRow.count.
            unsafe partitionOfRow[row] = partition ?? 0
        }
        let starts = UnsafeMutableBufferPointer<Int>.allocate(capacity: partitions + 1)
        defer { unsafe starts.deallocate() }
        unsafe starts.initialize(repeating: 0)
        // Safe: a byte's partition is below partitions, so its slot is below starts.count.
        for unsafe partition in unsafe partitionOfRow { unsafe starts[Int(partition) + 1] &+= 1 }
        unsafe starts[1] -= absent
        for partition in 0..<partitions { unsafe starts[partition + 1] += starts[partition] }
        let total = unsafe starts[partitions]
        let capacity = min(total, scatterLimit)
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: capacity)
        let tags = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        defer { unsafe keys.deallocate(); unsafe tags.deallocate() }
        let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: partitions)
        defer { unsafe seen.deallocate() }
        // A partition's table is sized from the previous partition's distinct keys, not its own pairs: one key
        // repeated on millions of rows fills a partition with pairs but not its table.
        var table = _KeyCountTable(expected: 512)
        // The next partition to finish; it may have begun in an earlier round.
        var partition = 0
        var low = 0
        while low < total {
            // This round: the pairs at positions low..<high of the partitioned order, in the partitions that
            // overlap it (partition..<end); one that begins before low or ends after high is cut.
            let high = min(low + capacity, total)
            var end = partition
            while end < partitions, unsafe starts[end] < high { end += 1 }
            for overlapping in partition..<end { unsafe seen[overlapping] = 0 }
            let first = partition
            let width = UInt(end - first)
            for row in 0..<rows {
                // Safe: row < rows == partitionOfRow.count.
                let rowPartition = Int(unsafe partitionOfRow[row])
                guard UInt(bitPattern: rowPartition &- first) < width, let (key, tag) = pair(row) else { continue }
                // Safe: rowPartition < partitions == seen.count, + 1 < starts.count.
                let position = unsafe starts[rowPartition] + seen[rowPartition]
                unsafe seen[rowPartition] += 1
                precondition(unsafe position < starts[rowPartition + 1], "pair gave another answer in a later pass")
                guard position >= low && position < high else { continue }
                // Safe: low <= position < high <= low + capacity, so position - low < keys.count == tags.count.
                unsafe keys[position &- low] = key
                unsafe tags[position &- low] = tag
            }
            for overlapping in partition..<end {
                // Safe: overlapping < partitions == seen.count, + 1 < starts.count.
                precondition(
                    unsafe seen[overlapping] == starts[overlapping + 1] - starts[overlapping],
                    "pair gave another answer in a later pass")
            }
            while partition < end {
                let (start, stop) = unsafe (starts[partition], starts[partition + 1])
                if start >= low {
                    // Half again the last partition's keys: twice as many slots, more than would fit in L2.
                    table.reset(expected: min(stop - start, table.count + table.count / 2 + 512))
                }
                // Safe: low <= max(start, low) and min(stop, high) <= high, so the indices are below capacity.
                for position in max(start, low)..<min(stop, high) {
                    unsafe table.add(keys[position &- low], increment(tags[position &- low]))
                }
                guard stop <= high else { break }
                body(table)
                partition += 1
            }
            low = high
        }
        // Partitions left are empty (they begin at total).
        while partition < partitions {
            table.reset(expected: 0)
            body(table)
            partition += 1
        }
    }
}

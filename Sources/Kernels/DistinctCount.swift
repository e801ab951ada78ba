import ColumnStore

/// The exact number of distinct values in a column, as `faultline inspect` reports it.
///
/// Values are reduced to 64-bit keys (below) and counted in an open-addressing hash set of their *mixed* keys:
/// the mixer (``mix(_:)``, MurmurHash3's finaliser) is a bijection, so distinct keys stay distinct and the set can
/// store the mixed key itself, with 0 as the empty slot and a flag for the one key that mixes to 0.
///
/// - **Few distinct values** (at most ``directLimit``): one small set that stays in cache.
/// - **Many**: a random insert into a set of millions of slots misses the cache on nearly every row (a
///   `Set<UInt64>` of a 10M-row timestamp column took 5 s). Past ``directLimit`` the keys are partitioned by the top
///   bits of their mixed key, a counting pass then a scatter, and each partition, a few tens of thousands of keys,
///   is counted in its own cache-sized set. Equal keys share a partition, so the partitions' counts add up.
///
/// Keys: a float64's bit pattern with -0 folded into +0 (one value, as `==` and pandas' `nunique` see them);
/// an int64's or a timestamp's two's-complement bits (exact, where a conversion to Double would merge integers
/// above 2⁵³); a string's dictionary code. NaN is not a value: it is skipped, like a missing row.
public enum DistinctCount {
    /// Distinct keys the single cache-resident set holds before the count switches to partitions.
    static let directLimit = 1 << 15
    /// Keys per partition aimed at: a partition's set, twice as many 8-byte slots, fits in a 512 KiB L2.
    static let partitionTarget = 1 << 15

    /// The number of distinct non-missing (and non-NaN) values of `column`.
    /// - Complexity: O(rows): one pass over the values, three when there are many distinct ones.
    public static func of(_ column: Column) -> Int {
        switch column.values {
        case .float64(let buffer):
            return unsafe buffer.withUnsafeBufferPointer { values in
                unsafe count(values, validity: column.validity) { value -> UInt64? in
                    value.isNaN ? nil : (value == 0 ? 0 : value.bitPattern)
                }
            }
        case .int64(let buffer), .timestamp(let buffer, _):
            return unsafe buffer.withUnsafeBufferPointer { values in
                unsafe count(values, validity: column.validity) { UInt64(bitPattern: $0) }
            }
        case .bool(let buffer):
            return unsafe buffer.withUnsafeBufferPointer { values in
                unsafe count(values, validity: column.validity) { UInt64($0 != 0 ? 1 : 0) }
            }
        case .string(let strings):
            // Dictionary codes are dense, so a flag per entry is the set.
            var seen = [Bool](repeating: false, count: strings.dictionary.count)
            for row in 0..<column.count where column.isValid(row) { seen[Int(strings.codes[row])] = true }
            return seen.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }

    /// The number of distinct values among `keys`.
    static func count(keys: [UInt64]) -> Int {
        unsafe keys.withUnsafeBufferPointer { unsafe count($0, validity: nil) { $0 } }
    }

    /// The number of distinct keys of the present values; `key` returns nil for a value that is not counted.
    static func count<Value>(
        _ values: UnsafeBufferPointer<Value>, validity: ValidityBitmap?, key: (Value) -> UInt64?
    ) -> Int {
        var small = _MixedKeySet(expected: 512)
        var overflowed = false
        unsafe forEachKey(values, validity: validity, key: key) { key in
            guard !overflowed else { return }
            small.insert(mix(key))
            if small.count > directLimit { overflowed = true }
        }
        guard overflowed else { return small.count }
        return unsafe countPartitioned(values, validity: validity, key: key)
    }

    /// ``count(_:validity:key:)`` by partitions of the mixed keys' top bits.
    static func countPartitioned<Value>(
        _ values: UnsafeBufferPointer<Value>, validity: ValidityBitmap?, key: (Value) -> UInt64?
    ) -> Int {
        var bits = 4
        while bits < 12 && (values.count >> bits) > partitionTarget { bits += 1 }
        let shift = UInt64(64 - bits)
        var starts = [Int](repeating: 0, count: (1 << bits) + 1)
        unsafe forEachKey(values, validity: validity, key: key) { starts[Int(mix($0) >> shift) + 1] += 1 }
        for partition in 0..<(1 << bits) {
            starts[partition + 1] += starts[partition]
        }
        var partitioned = [UInt64](repeating: 0, count: starts[1 << bits])
        var next = starts
        unsafe partitioned.withUnsafeMutableBufferPointer { destination in
            unsafe forEachKey(values, validity: validity, key: key) { key in
                let mixed = mix(key)
                let partition = Int(mixed >> shift)
                // Safe: the counting pass above sized each partition to exactly its keys, so `next[partition]`
                // stays below the partition's end, and the last end is destination.count.
                unsafe destination[next[partition]] = mixed
                next[partition] += 1
            }
        }
        // A partition's table is sized from the previous partition's distinct keys, not its own key count: one
        // value repeated on millions of rows fills a partition with keys but not its set.
        var set = _MixedKeySet(expected: 512)
        var total = 0
        for partition in 0..<(1 << bits) {
            set.reset(expected: min(starts[partition + 1] - starts[partition], 2 * set.count + 512))
            for index in starts[partition]..<starts[partition + 1] { set.insert(partitioned[index]) }
            total += set.count
        }
        return total
    }

    /// Calls `body` with the key of every present, counted value, in row order.
    @inline(__always)
    private static func forEachKey<Value>(
        _ values: UnsafeBufferPointer<Value>, validity: ValidityBitmap?, key: (Value) -> UInt64?,
        _ body: (UInt64) -> Void
    ) {
        guard let validity else {
            for row in 0..<values.count { if let value = unsafe key(values[row]) { body(value) } }
            return
        }
        precondition(validity.count == values.count, "validity length mismatch")
        unsafe validity.words.withUnsafeBufferPointer { words in
            for wordIndex in 0..<words.count {
                var bits = unsafe words[wordIndex]
                let base = wordIndex << 6
                // Safe: bits past validity.count are zero (ValidityBitmap), so every row below is < values.count.
                while bits != 0 {
                    let row = base + bits.trailingZeroBitCount
                    bits &= bits - 1
                    if let value = unsafe key(values[row]) { body(value) }
                }
            }
        }
    }

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
}

/// An open-addressing, linear-probing set of mixed keys (``DistinctCount/mix(_:)``): the slot is taken from the
/// key's top bits, 0 marks an empty slot, and the key 0 is a flag of its own. It doubles at half full.
///
/// The table in use is the first `size` slots of `slots`: ``reset(expected:)`` empties only those, so a set reused
/// for many small partitions does not clear the slots a big one left allocated.
struct _MixedKeySet {
    private var slots: [UInt64] = []
    private var size = 0
    private var shift: UInt64 = 0
    private var hasZero = false
    private(set) var count = 0

    init(expected: Int) { reset(expected: expected) }

    /// Empties the set and sizes its table for about `expected` keys (it still grows past them).
    mutating func reset(expected: Int) {
        var newSize = 16
        while newSize < 2 * expected { newSize <<= 1 }
        if newSize > slots.count {
            slots = [UInt64](repeating: 0, count: newSize)
        } else {
            for index in 0..<newSize { slots[index] = 0 }
        }
        size = newSize
        shift = UInt64(64 - newSize.trailingZeroBitCount)
        hasZero = false
        count = 0
    }

    @inline(__always)
    mutating func insert(_ key: UInt64) {
        guard key != 0 else {
            if !hasZero { hasZero = true; count += 1 }
            return
        }
        let mask = size - 1
        // Partitioned keys share their top bits; rotating by 16 puts fresh bits on top for the slot.
        var index = Int(((key << 16) | (key >> 48)) >> shift)
        while true {
            let slot = slots[index]
            if slot == key { return }
            if slot == 0 { break }
            index = (index + 1) & mask
        }
        slots[index] = key
        count += 1
        if 2 * count > size { grow() }
    }

    private mutating func grow() {
        let old = slots[0..<size]
        let hadZero = hasZero
        reset(expected: size)
        if hadZero { hasZero = true; count = 1 }
        for key in old where key != 0 { insert(key) }
    }
}

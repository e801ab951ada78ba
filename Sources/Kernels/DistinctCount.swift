import ColumnStore

/// The exact number of distinct values in a column, as `faultline inspect` reports it.
///
/// Values are reduced to 64-bit keys (below) and counted in an open-addressing table (``_KeyCountTable``).
///
/// - **Few distinct values** (at most ``directLimit``): one small table that stays in cache.
/// - **Many**: a random insert into a table of millions of slots misses the cache on nearly every row (a
///   `Set<UInt64>` of a 10M-row timestamp column took 5 s). Past ``directLimit`` the keys are partitioned by their
///   mixed top bits and each partition is counted in a cache-sized table (``_KeyCountTable/forEachPartition``);
///   equal keys share a partition, so the partitions' counts add up.
///
/// Keys: a float64's bit pattern with -0 folded into +0 (one value, as `==` and pandas' `nunique` see them);
/// an int64's or a timestamp's two's-complement bits (exact, where a conversion to Double would merge integers
/// above 2⁵³); a string's dictionary code. NaN is not a value: it is skipped, like a missing row.
public enum DistinctCount {
    /// Distinct keys the single cache-resident set holds before the count switches to partitions.
    static let directLimit = 1 << 15

    /// The number of distinct non-missing (and non-NaN) values of `column`.
    /// - Complexity: O(rows): one pass over the values, three when there are many distinct ones (and another over a
    ///   byte per row for each further 2M values, ``_KeyCountTable/forEachPartition``).
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
        var small = _KeyCountTable(expected: 512)
        var overflowed = false
        unsafe forEachKey(values, validity: validity, key: key) { key in
            guard !overflowed else { return }
            small.add(key)
            if small.count > directLimit { overflowed = true }
        }
        guard overflowed else { return small.count }
        return unsafe countPartitioned(values, validity: validity, key: key)
    }

    /// ``count(_:validity:key:)`` by partitions of the keys (``_KeyCountTable/forEachPartition``).
    static func countPartitioned<Value>(
        _ values: UnsafeBufferPointer<Value>, validity: ValidityBitmap?, key: (Value) -> UInt64?
    ) -> Int {
        var total = 0
        _KeyCountTable.forEachPartition(
            // Unknown until counted: at least directLimit, at most the rows.
            partitionBits: _KeyCountTable.partitionBits(distinct: Double(values.count)),
            rows: values.count,
            pair: { row in
                // Safe: row < values.count == validity.count.
                guard validity?.isValid(row) ?? true, let value = unsafe key(values[row]) else { return nil }
                return (value, 0)
            },
            increment: { _ in 0 }
        ) { total += $0.count }
        return total
    }

    /// The mixer of the partitions (``_KeyCountTable/mix(_:)``).
    static func mix(_ key: UInt64) -> UInt64 { _KeyCountTable.mix(key) }

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
        unsafe validity.withUnsafeWords { words in
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
}

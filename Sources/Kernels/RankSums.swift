/// The midrank sums behind the Mann–Whitney U and the ROC AUC of a numeric value against a binary outcome.
///
/// All non-NaN values are ranked together, ties sharing their average rank. The result holds what the statistics
/// need: the positive rows' rank sum and the tie correction `Σ (t³ − t)` over the tie groups.
///
/// The values' order keys are radix-sorted with their labels (``_RadixSort``). The rank sum is accumulated in
/// ascending value order, one term per tie group, which is the order the scalar reference
/// (`Stats.Association.rocAUC(values:outcome:)`) sums in: the two agree bit for bit.
public struct RankSums: Sendable, Equatable {
    /// Rows with a value and a non-zero outcome.
    public var positives: Int
    /// Rows with a value and a zero outcome.
    public var negatives: Int
    /// Σ of the positive rows' midranks (ranks 1…n).
    public var positiveRankSum: Double
    /// Σ (t³ − t) over the tie groups of size t.
    public var tieTerm: Double

    /// Creates the sums.
    public init(positives: Int, negatives: Int, positiveRankSum: Double, tieTerm: Double) {
        self.positives = positives
        self.negatives = negatives
        self.positiveRankSum = positiveRankSum
        self.tieTerm = tieTerm
    }

    /// The rank sums of `values` (NaN = missing, skipped) against `outcome` (non-zero = positive).
    ///
    /// A column of at most ``_TieGroups/limit`` distinct values (most binned features) is counted per value in a
    /// hash table, and only its distinct values are sorted; a column with more is radix-sorted whole. Both walk the
    /// tie groups in ascending order with the same arithmetic, so they give the same bits.
    ///
    /// - Precondition: `values.count == outcome.count`.
    /// - Complexity: O(n + d log d) for d ≤ ``_TieGroups/limit`` distinct values, else O(n): four counting and
    ///   scatter passes of 16 bits over the order keys.
    public static func of(values: [Double], outcome: [UInt8]) -> RankSums {
        precondition(values.count == outcome.count, "one outcome per value")
        if let groups = _TieGroups.aggregate(values: values, outcome: outcome) { return of(sortedGroups: groups) }
        return ofSorted(values: values, outcome: outcome)
    }

    /// The sums from the tie groups in ascending value order: (positives, size) per distinct value.
    static func of(sortedGroups groups: [(positives: Int, size: Int)]) -> RankSums {
        var positives = 0
        var count = 0
        for group in groups {
            positives += group.positives
            count += group.size
        }
        let negatives = count - positives
        guard positives > 0, negatives > 0 else {
            return RankSums(positives: positives, negatives: negatives, positiveRankSum: 0, tieTerm: 0)
        }
        var positiveRankSum = 0.0
        var tieTerm = 0.0
        var start = 0
        for group in groups {
            let end = start + group.size
            // The same terms, in the same order, as the sorted walk below.
            let midrank = Double(start + 1 + end) / 2
            positiveRankSum += midrank * Double(group.positives)
            let size = Double(end - start)
            tieTerm += size * size * size - size
            start = end
        }
        return RankSums(positives: positives, negatives: negatives, positiveRankSum: positiveRankSum, tieTerm: tieTerm)
    }

    /// ``of(values:outcome:)`` by a radix sort of every present value.
    static func ofSorted(values: [Double], outcome: [UInt8]) -> RankSums {
        precondition(values.count == outcome.count, "one outcome per value")
        var keys: [UInt64] = []
        var labels: [UInt8] = []
        keys.reserveCapacity(values.count)
        labels.reserveCapacity(values.count)
        var positives = 0
        for (row, value) in values.enumerated() where !value.isNaN {
            keys.append(OrderStatistics.orderKey(value))
            let positive: UInt8 = outcome[row] != 0 ? 1 : 0
            labels.append(positive)
            positives += Int(positive)
        }
        let count = keys.count
        let negatives = count - positives
        guard positives > 0, negatives > 0 else {
            return RankSums(positives: positives, negatives: negatives, positiveRankSum: 0, tieTerm: 0)
        }
        _RadixSort.sort(&keys, labels: &labels)
        // Equal keys are equal values (-0 and +0 share one), so the tie groups are runs of equal keys.
        var positiveRankSum = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < count {
            var end = start + 1
            var positivesInGroup = Int(labels[start])
            while end < count && keys[end] == keys[start] {
                positivesInGroup += Int(labels[end])
                end += 1
            }
            // Ranks start + 1 … end share their average.
            let midrank = Double(start + 1 + end) / 2
            positiveRankSum += midrank * Double(positivesInGroup)
            let size = Double(end - start)
            tieTerm += size * size * size - size
            start = end
        }
        return RankSums(positives: positives, negatives: negatives, positiveRankSum: positiveRankSum, tieTerm: tieTerm)
    }
}

/// The sort of ``RankSums``: least-significant-digit radix sort of 64-bit keys, 16 bits per pass, each key's label
/// byte moved with it (stable).
///
/// Measured against a most-significant-digit distribution sort (each class sorted on its own, then merged) at 10M
/// rows: the same speed alone, but 0.5 s slower in the analysis, where two features sort at once and share the
/// memory bandwidth; this one's four passes are sequential reads and 65,536-way scatters, whatever the data.
enum _RadixSort {
    static let digitBits = 16

    static func sort(_ keys: inout [UInt64], labels: inout [UInt8]) {
        precondition(keys.count == labels.count, "one label per key")
        let count = keys.count
        guard count > 1 else { return }
        var keyBuffer = [UInt64](repeating: 0, count: count)
        var labelBuffer = [UInt8](repeating: 0, count: count)
        let buckets = 1 << digitBits
        let mask = UInt64(buckets - 1)
        var offsets = [Int](repeating: 0, count: buckets)
        for pass in 0..<(UInt64.bitWidth / digitBits) {
            let shift = UInt64(pass * digitBits)
            for index in 0..<buckets { offsets[index] = 0 }
            unsafe keys.withUnsafeBufferPointer { source in
                unsafe offsets.withUnsafeMutableBufferPointer { counts in
                    // Safe: digits are masked below buckets == counts.count.
                    for key in unsafe source { unsafe counts[Int((key &>> shift) & mask)] &+= 1 }
                }
            }
            // A digit shared by every key leaves the order as it is.
            if offsets[Int((keys[0] &>> shift) & mask)] == count { continue }
            var total = 0
            for index in 0..<buckets {
                let size = offsets[index]
                offsets[index] = total
                total += size
            }
            unsafe keys.withUnsafeBufferPointer { sourceKeys in
                unsafe labels.withUnsafeBufferPointer { sourceLabels in
                    unsafe keyBuffer.withUnsafeMutableBufferPointer { targetKeys in
                        unsafe labelBuffer.withUnsafeMutableBufferPointer { targetLabels in
                            unsafe offsets.withUnsafeMutableBufferPointer { cursor in
                                for index in 0..<count {
                                    // Safe: index < count; each bucket's cursor stays below the next bucket's
                                    // start, so target < count.
                                    let key = unsafe sourceKeys[index]
                                    let digit = Int((key &>> shift) & mask)
                                    let target = unsafe cursor[digit]
                                    unsafe cursor[digit] = target &+ 1
                                    unsafe targetKeys[target] = key
                                    unsafe targetLabels[target] = sourceLabels[index]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keyBuffer)
            swap(&labels, &labelBuffer)
        }
    }
}

/// The tie groups of a column with few distinct values: the rows and positive rows per value, counted in an
/// open-addressing table of order keys, then sorted by value. One pass over the rows and a sort of the distinct
/// values, where the radix sort makes four scatter passes over every row.
enum _TieGroups {
    /// Distinct values counted in the table at most (its 2¹⁹ slots of 16 bytes fill the 8 MiB L3 at the limit;
    /// a column with more stops counting and is radix-sorted instead).
    static let limit = 1 << 18

    private struct _Slot {
        /// ``OrderStatistics/orderKey(_:)`` of the value, never 0 for a non-NaN value; 0 marks an empty slot.
        var key: UInt64 = 0
        /// Rows in the low 32 bits, positive rows in the high 32 bits.
        var counts: UInt64 = 0
    }

    /// The tie groups in ascending value order, or nil when `values` has more than ``limit`` distinct non-NaN
    /// values (or too many rows for 32-bit counts).
    static func aggregate(values: [Double], outcome: [UInt8]) -> [(positives: Int, size: Int)]? {
        precondition(values.count == outcome.count, "one outcome per value")
        guard values.count < Int(UInt32.max) else { return nil }
        var slots = [_Slot](repeating: _Slot(), count: 1024)
        var used = 0
        var overflowed = false
        unsafe values.withUnsafeBufferPointer { valueBuffer in
            unsafe outcome.withUnsafeBufferPointer { outcomeBuffer in
                var shift = UInt64(64 - slots.count.trailingZeroBitCount)
                var mask = slots.count - 1
                for row in 0..<valueBuffer.count {
                    // Safe: row < values.count == outcome.count.
                    let value = unsafe valueBuffer[row]
                    if value.isNaN { continue }
                    let key = OrderStatistics.orderKey(value)
                    let increment: UInt64 = unsafe outcomeBuffer[row] != 0 ? 1 | (1 << 32) : 1
                    var index = Int(DistinctCount.mix(key) >> shift)
                    while true {
                        let slotKey = slots[index].key
                        if slotKey == key { slots[index].counts &+= increment; break }
                        if slotKey == 0 {
                            slots[index] = _Slot(key: key, counts: increment)
                            used += 1
                            break
                        }
                        index = (index + 1) & mask
                    }
                    if 2 * used > slots.count {
                        if used > limit { overflowed = true; return }
                        slots = grown(slots)
                        shift -= 1
                        mask = slots.count - 1
                    }
                }
            }
        }
        if overflowed { return nil }
        var groups = slots.filter { $0.key != 0 }
        groups.sort { $0.key < $1.key }
        return groups.map { (positives: Int($0.counts >> 32), size: Int($0.counts & 0xFFFF_FFFF)) }
    }

    /// The table at twice the size, every entry re-inserted.
    private static func grown(_ slots: [_Slot]) -> [_Slot] {
        var larger = [_Slot](repeating: _Slot(), count: slots.count * 2)
        let shift = UInt64(64 - larger.count.trailingZeroBitCount)
        let mask = larger.count - 1
        for slot in slots where slot.key != 0 {
            var index = Int(DistinctCount.mix(slot.key) >> shift)
            while larger[index].key != 0 { index = (index + 1) & mask }
            larger[index] = slot
        }
        return larger
    }
}

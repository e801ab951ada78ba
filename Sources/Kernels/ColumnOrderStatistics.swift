import ColumnStore

/// Order statistics of a numeric column's values read where they lie (the mapped buffer), without copying the column:
/// what quantile binning needs at 10⁷–10⁸ rows, where a copy of every value cost more than the selection itself.
public enum ColumnOrderStatistics {
    /// One pass of facts about the values on the kept rows.
    public struct Summary: Sendable, Equatable {
        /// Kept rows with a value that is not NaN (infinities included).
        public var present = 0
        /// Kept rows with a finite value.
        public var finite = 0
        /// The smallest and largest finite value (NaN when there is none).
        public var minimum = Double.nan
        public var maximum = Double.nan
        /// Whether some kept value is −∞ or +∞.
        public var hasNegativeInfinity = false
        public var hasPositiveInfinity = false

        public init() {}
    }

    /// Counts and finite range of the values on the rows where `keep` is true (all when nil) and `validity` marks a
    /// value; NaN counts as missing.
    /// - Complexity: O(rows), one pass.
    public static func summarize(_ values: ColumnBuffer<Double>, validity: ValidityBitmap?, keep: [Bool]?) -> Summary {
        var summary = Summary()
        var minimum = Double.infinity
        var maximum = -Double.infinity
        forEachValue(values, validity: validity, keep: keep) { value in
            guard !value.isNaN else { return }
            summary.present += 1
            if value.isFinite {
                summary.finite += 1
                minimum = min(minimum, value)
                maximum = max(maximum, value)
            } else if value < 0 {
                summary.hasNegativeInfinity = true
            } else {
                summary.hasPositiveInfinity = true
            }
        }
        if summary.finite > 0 {
            summary.minimum = minimum
            summary.maximum = maximum
        }
        return summary
    }

    /// Buckets of the histogram pass: 4,096 32-bit counters (16 KiB) stay in L1.
    static let buckets = 1 << 12

    /// The finite values of ranks `ranks` (0-based, in ascending order of the finite values on the kept rows), keyed
    /// by rank. `summary` must be this column's ``summarize(_:validity:keep:)``.
    ///
    /// A histogram over `(x − min)·scale`, monotone in x, locates each rank's bucket; one more pass gathers only the
    /// wanted buckets' values, and ``OrderStatistics/select(_:ranks:)`` finishes within each. Data spread over its
    /// range gather a few thousandths of the column; a range too wide or too narrow for a finite scale gathers every
    /// finite value, as the copy-and-select path did.
    /// - Precondition: every rank is in `0..<summary.finite`.
    /// - Complexity: O(rows) for the two passes, plus the selection within the gathered values.
    public static func select(
        _ values: ColumnBuffer<Double>, validity: ValidityBitmap?, keep: [Bool]?, summary: Summary, ranks: [Int]
    ) -> [Int: Double] {
        let wanted = Array(Set(ranks)).sorted()
        precondition(wanted.allSatisfy { $0 >= 0 && $0 < summary.finite }, "rank out of range")
        guard !wanted.isEmpty else { return [:] }
        let minimum = summary.minimum
        if minimum == summary.maximum { return Dictionary(uniqueKeysWithValues: wanted.map { ($0, minimum) }) }
        let scale = Double(buckets) / (summary.maximum - minimum)
        let last = buckets - 1
        let spread = scale.isFinite && scale > 0
        @inline(__always) func bucket(_ value: Double) -> Int {
            spread ? min(last, Int((value - minimum) * scale)) : 0
        }
        var counts = [UInt32](repeating: 0, count: buckets)
        if spread {
            unsafe counts.withUnsafeMutableBufferPointer { histogram in
                forEachValue(values, validity: validity, keep: keep) { value in
                    // Safe: bucket(_:) is in 0..<buckets for finite values (NaN and ±∞ are skipped first).
                    if value.isFinite { unsafe histogram[bucket(value)] &+= 1 }
                }
            }
        } else {
            counts[0] = UInt32(truncatingIfNeeded: summary.finite)
        }
        // Each wanted rank's bucket and the values before it; each wanted bucket gets a slot.
        var slotOfBucket = [Int](repeating: -1, count: buckets)
        var slots: [(bucket: Int, before: Int, ranks: [Int])] = []
        var bucketIndex = 0
        var before = 0
        for rank in wanted {
            while before + Int(counts[bucketIndex]) <= rank {
                before += Int(counts[bucketIndex])
                bucketIndex += 1
            }
            if slotOfBucket[bucketIndex] < 0 {
                slotOfBucket[bucketIndex] = slots.count
                slots.append((bucketIndex, before, []))
            }
            slots[slotOfBucket[bucketIndex]].ranks.append(rank)
        }
        var gathered = slots.map { slot -> [Double] in
            var values: [Double] = []
            values.reserveCapacity(Int(counts[slot.bucket]))
            return values
        }
        forEachValue(values, validity: validity, keep: keep) { value in
            guard value.isFinite else { return }
            let slot = slotOfBucket[bucket(value)]
            if slot >= 0 { gathered[slot].append(value) }
        }
        var result: [Int: Double] = [:]
        for (index, slot) in slots.enumerated() {
            let local = slot.ranks.map { $0 - slot.before }
            for (rank, value) in zip(slot.ranks, OrderStatistics.select(&gathered[index], ranks: local)) {
                result[rank] = value
            }
        }
        return result
    }

    /// Calls `body` with the value of every row that `keep` keeps and `validity` marks present, in row order; the
    /// common case of neither runs a plain loop over the buffer.
    @inline(__always)
    static func forEachValue(
        _ values: ColumnBuffer<Double>, validity: ValidityBitmap?, keep: [Bool]?, _ body: (Double) -> Void
    ) {
        unsafe values.withUnsafeBufferPointer { input in
            switch (validity, keep) {
            case (nil, nil):
                for value in unsafe input { body(value) }
            case (let validity?, nil):
                for row in 0..<input.count where validity.isValid(row) { body(unsafe input[row]) }
            case (nil, let keep?):
                for row in 0..<input.count where keep[row] { body(unsafe input[row]) }
            case (let validity?, let keep?):
                for row in 0..<input.count where keep[row] && validity.isValid(row) { body(unsafe input[row]) }
            }
        }
    }
}

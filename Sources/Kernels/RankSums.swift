/// The midrank sums behind the Mann–Whitney U and the ROC AUC of a numeric value against a binary outcome.
///
/// All non-NaN values are ranked together, ties sharing their average rank. The result holds what the statistics
/// need: the positive rows' rank sum and the tie correction `Σ (t³ − t)` over the tie groups.
///
/// Each class's values are sorted by a most-significant-digit distribution sort (``_ValueSort``), then merged.
/// The rank sum is accumulated in ascending value order, one term per tie group, which is the order the scalar
/// reference (`Stats.Association.rocAUC(values:outcome:)`) sums in: the two agree bit for bit.
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
    /// - Precondition: `values.count == outcome.count`.
    /// - Complexity: O(n) expected for spread values (one scatter pass out of cache, the rest in cache);
    ///   O(n log n) at worst.
    public static func of(values: [Double], outcome: [UInt8]) -> RankSums {
        precondition(values.count == outcome.count, "one outcome per value")
        // Each class is sorted on its own, so that only 8-byte values move, then the two are merged by value.
        var positive: [Double] = []
        var negative: [Double] = []
        negative.reserveCapacity(values.count)
        for (row, value) in values.enumerated() where !value.isNaN {
            if outcome[row] != 0 { positive.append(value) } else { negative.append(value) }
        }
        guard !positive.isEmpty, !negative.isEmpty else {
            return RankSums(positives: positive.count, negatives: negative.count, positiveRankSum: 0, tieTerm: 0)
        }
        _ValueSort.sort(&positive)
        _ValueSort.sort(&negative)
        var positiveRankSum = 0.0
        var tieTerm = 0.0
        var nextPositive = 0
        var nextNegative = 0
        while nextPositive < positive.count || nextNegative < negative.count {
            // The next tie group: the smallest remaining value, in both classes (-0 == +0).
            let value =
                nextPositive == positive.count ? negative[nextNegative]
                : nextNegative == negative.count ? positive[nextPositive]
                : min(positive[nextPositive], negative[nextNegative])
            let start = nextPositive + nextNegative
            var positivesInGroup = 0
            while nextPositive < positive.count && positive[nextPositive] == value {
                nextPositive += 1
                positivesInGroup += 1
            }
            while nextNegative < negative.count && negative[nextNegative] == value { nextNegative += 1 }
            let end = nextPositive + nextNegative
            // Ranks start + 1 … end share their average.
            let midrank = Double(start + 1 + end) / 2
            positiveRankSum += midrank * Double(positivesInGroup)
            let size = Double(end - start)
            tieTerm += size * size * size - size
        }
        return RankSums(
            positives: positive.count, negatives: negative.count, positiveRankSum: positiveRankSum, tieTerm: tieTerm)
    }
}

/// The sort of ``RankSums``: non-NaN doubles ascending, by most-significant-digit distribution.
///
/// A range is spread over up to 2,048 buckets by `(x − min) · scale`, which is monotone in x (IEEE subtraction and
/// multiplication by a positive number are), so equal values share a bucket and buckets are ordered. Spread data
/// thus needs one scatter pass over the whole column and in-cache passes after it. A range whose width is not
/// finite (infinities, or a span beyond the largest double) or too narrow for a finite scale is split by 11 bits of the order key instead, which
/// always separates its minimum from its maximum.
enum _ValueSort {
    /// Buckets per pass: 2,048 counters (16 KiB) stay in L1.
    static let digitBits = 11
    /// Ranges this short are insertion-sorted.
    static let smallRange = 32
    /// Ranges longer than this (256 KiB of values) are split 256 ways.
    static let cacheRange = 1 << 15

    static func sort(_ values: inout [Double]) {
        guard values.count > 1 else { return }
        var scratch = [Double](repeating: 0, count: values.count)
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        unsafe values.withUnsafeMutableBufferPointer { valueBuffer in
            unsafe scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                unsafe counts.withUnsafeMutableBufferPointer { countBuffer in
                    let buffers = unsafe _Buffers(values: valueBuffer, scratch: scratchBuffer, counts: countBuffer)
                    buffers.sort(0..<valueBuffer.count)
                }
            }
        }
    }
}

/// The buffers of one sort; they live only inside ``_ValueSort/sort(_:)``'s closures.
@safe private struct _Buffers {
    let values: UnsafeMutableBufferPointer<Double>
    let scratch: UnsafeMutableBufferPointer<Double>
    /// 2^digitBits counters, reused range after range (bounds are copied out before the next range).
    let counts: UnsafeMutableBufferPointer<Int>

    func sort(_ range: Range<Int>) {
        // Ranges still to sort, depth first, so the stack holds at most 2^11 ranges per level.
        var pending: [Range<Int>] = [range]
        var bounds: [Int] = []
        while let range = pending.popLast() {
            let low = range.lowerBound
            let high = range.upperBound
            if high - low <= _ValueSort.smallRange {
                insertionSort(range)
                continue
            }
            // Safe here and below: low..<high lies within values and scratch (same count).
            var minimum = unsafe values[low]
            var maximum = minimum
            for index in (low + 1)..<high {
                let value = unsafe values[index]
                minimum = min(minimum, value)
                maximum = max(maximum, value)
            }
            // A range of equal values is one tie group: nothing to order.
            if minimum == maximum { continue }
            // Out of cache, a scatter to 2,048 places misses the TLB on most stores: big ranges take 256 buckets,
            // which leaves ranges that fit in L2 for the wider passes.
            let fanOut = high - low > _ValueSort.cacheRange ? 1 << 8 : 1 << _ValueSort.digitBits
            let bucketCount = min(fanOut, max(2, (high - low) / 2))
            let width = maximum - minimum
            let scale = Double(bucketCount) / width
            if scale.isFinite && scale > 0 {
                let last = bucketCount - 1
                // (x − min)·scale is in [0, bucketCount]; the top value lands in the last bucket.
                distribute(low, high, buckets: bucketCount, into: &pending, bounds: &bounds) { value in
                    min(last, Int((value - minimum) * scale))
                }
            } else {
                let base = OrderStatistics.orderKey(minimum)
                let spread = OrderStatistics.orderKey(maximum) - base
                let digitBits = fanOut.trailingZeroBitCount
                let shift = UInt64(max(0, UInt64.bitWidth - spread.leadingZeroBitCount - digitBits))
                distribute(low, high, buckets: Int(spread >> shift) + 1, into: &pending, bounds: &bounds) { value in
                    Int((OrderStatistics.orderKey(value) &- base) >> shift)
                }
            }
        }
    }

    /// One counting pass and one scatter pass of `low..<high` by `bucketOf` (monotone, below `buckets`), then the
    /// buckets of two or more values are queued.
    @inline(__always)
    private func distribute(
        _ low: Int, _ high: Int, buckets: Int, into pending: inout [Range<Int>], bounds: inout [Int],
        bucketOf: (Double) -> Int
    ) {
        for bucket in 0..<buckets { unsafe counts[bucket] = 0 }
        // Safe: low..<high lies within values and scratch; every bucket index is below buckets <= counts.count.
        for index in low..<high { unsafe counts[bucketOf(values[index])] &+= 1 }
        bounds.removeAll(keepingCapacity: true)
        var start = low
        for bucket in 0..<buckets {
            let size = unsafe counts[bucket]
            bounds.append(start)
            unsafe counts[bucket] = start
            start += size
        }
        bounds.append(high)
        for index in low..<high {
            let value = unsafe values[index]
            let bucket = bucketOf(value)
            // Safe: a bucket's cursor stays within its bounds, inside low..<high.
            let target = unsafe counts[bucket]
            unsafe counts[bucket] = target &+ 1
            unsafe scratch[target] = value
        }
        unsafe values.baseAddress.unsafelyUnwrapped.advanced(by: low).update(
            from: scratch.baseAddress.unsafelyUnwrapped.advanced(by: low), count: high - low)
        // Short buckets are finished here: queueing thousands of tiny ranges cost more than sorting them.
        for bucket in 0..<buckets {
            let range = bounds[bucket]..<bounds[bucket + 1]
            if range.count > _ValueSort.smallRange {
                pending.append(range)
            } else if range.count > 1 {
                insertionSort(range)
            }
        }
    }

    /// Insertion sort of a short range.
    func insertionSort(_ range: Range<Int>) {
        guard range.count > 1 else { return }
        for index in (range.lowerBound + 1)..<range.upperBound {
            // Safe: every position read or written is in range, within the buffer.
            let value = unsafe values[index]
            var position = index
            while unsafe position > range.lowerBound && values[position - 1] > value {
                unsafe values[position] = unsafe values[position - 1]
                position -= 1
            }
            unsafe values[position] = value
        }
    }
}

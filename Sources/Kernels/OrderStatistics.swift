/// Selection of several order statistics at once, without sorting everything.
///
/// Multi-quickselect (Hoare's FIND generalised to a set of ranks) with median-of-three pivots and
/// three-way (Dijkstra) partitioning so heavy ties cost nothing; a range that recursed too deep is
/// sorted instead (introselect), so the worst case stays O(n log n).
/// - Complexity: expected O(n log k) for k ranks.
public enum OrderStatistics {
    /// Ranges at most this long are finished with insertion sort.
    static let smallRange = 24

    /// The values of rank `ranks` (0-based positions in ascending order) of `values`, which must hold no NaN.
    /// `values` is reordered in place. Returns one value per requested rank, in the order given.
    public static func select(_ values: inout [Double], ranks: [Int]) -> [Double] {
        guard !values.isEmpty else { return [] }
        let wanted = Array(Set(ranks)).sorted()
        precondition(wanted.allSatisfy { $0 >= 0 && $0 < values.count }, "rank out of range")
        if values.count >= radixThreshold, let selected = selectByHistogram(values, ranks: wanted) {
            return ranks.map { selected[$0]! }
        }
        unsafe values.withUnsafeMutableBufferPointer { buffer in
            let depthLimit = 2 * (Int.bitWidth - buffer.count.leadingZeroBitCount) + 8
            unsafe selectRanks(buffer, 0, buffer.count, wanted[...], depth: depthLimit)
        }
        return ranks.map { values[$0] }
    }

    private static func selectRanks(
        _ buffer: UnsafeMutableBufferPointer<Double>, _ low: Int, _ high: Int, _ ranks: ArraySlice<Int>,
        depth: Int
    ) {
        var stack: [(low: Int, high: Int, ranks: ArraySlice<Int>, depth: Int)] = [(low, high, ranks, depth)]
        while let (low, high, ranks, depth) = stack.popLast() {
            guard !ranks.isEmpty else { continue }
            if high - low <= smallRange || depth <= 0 {
                var range = unsafe UnsafeMutableBufferPointer(rebasing: buffer[low..<high])
                unsafe range.sort()
                continue
            }
            let pivot = unsafe medianOfThree(buffer[low], buffer[low + (high - low) / 2], buffer[high - 1])
            // Dijkstra: [low, less) < pivot, [less, index) == pivot, [greater, high) > pivot.
            var less = low
            var index = low
            var greater = high
            while index < greater {
                // Safe: low <= less <= index < greater <= high <= buffer.count.
                let value = unsafe buffer[index]
                if value < pivot {
                    unsafe buffer.swapAt(less, index)
                    less += 1
                    index += 1
                } else if value > pivot {
                    greater -= 1
                    unsafe buffer.swapAt(index, greater)
                } else {
                    index += 1
                }
            }
            let left = ranks.prefix { $0 < less }
            let right = ranks.suffix(from: ranks.firstIndex { $0 >= greater } ?? ranks.endIndex)
            if !left.isEmpty { stack.append((low, less, left, depth - 1)) }
            if !right.isEmpty { stack.append((greater, high, right, depth - 1)) }
        }
    }

    /// Inputs at least this long are first narrowed by a histogram of their leading key bits.
    static let radixThreshold = 1 << 16
    /// Leading bits of the order-preserving key that pick a histogram bucket.
    static let radixBits: UInt64 = 16

    /// Two streaming passes instead of several partitioning ones: a histogram of the leading 16 bits of each value's
    /// order-preserving key locates every wanted rank in a bucket; the values of those buckets (usually a small
    /// fraction) are gathered and selected with the partitioning algorithm. Returns nil when the wanted buckets hold
    /// more than half the values (a narrow distribution), leaving the work to the partitioning algorithm.
    private static func selectByHistogram(_ values: [Double], ranks: [Int]) -> [Int: Double]? {
        let shift = 64 - radixBits
        var counts = [Int](repeating: 0, count: 1 << Int(radixBits))
        unsafe counts.withUnsafeMutableBufferPointer { histogram in
            // Safe: the bucket index is the key's top 16 bits, below histogram.count.
            for value in values { unsafe histogram[Int(orderKey(value) >> shift)] += 1 }
        }
        // The bucket of each rank, and the number of values in earlier buckets.
        var bucketOfRank: [(bucket: Int, before: Int)] = []
        var bucket = 0
        var before = 0
        for rank in ranks {
            while before + counts[bucket] <= rank {
                before += counts[bucket]
                bucket += 1
            }
            bucketOfRank.append((bucket, before))
        }
        var wanted = [Bool](repeating: false, count: counts.count)
        var gatheredCount = 0
        for entry in bucketOfRank where !wanted[entry.bucket] {
            wanted[entry.bucket] = true
            gatheredCount += counts[entry.bucket]
        }
        guard gatheredCount <= values.count / 2 else { return nil }
        var gathered: [Double] = []
        gathered.reserveCapacity(gatheredCount)
        for value in values where wanted[Int(orderKey(value) >> shift)] { gathered.append(value) }
        // Within the gathered values, a rank's position is its rank minus the values of skipped buckets before it.
        var firstOfBucket = [Int: Int]()
        var offset = 0
        for index in counts.indices where wanted[index] {
            firstOfBucket[index] = offset
            offset += counts[index]
        }
        let localRanks = bucketOfRank.enumerated().map { index, entry in
            firstOfBucket[entry.bucket]! + ranks[index] - entry.before
        }
        let selected = select(&gathered, ranks: localRanks)
        var result: [Int: Double] = [:]
        for (index, rank) in ranks.enumerated() { result[rank] = selected[index] }
        return result
    }

    /// An unsigned key ordered like the (non-NaN) doubles; -0 and +0 share a key.
    @inline(__always)
    static func orderKey(_ value: Double) -> UInt64 {
        let bits = (value == 0 ? 0.0 : value).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    @inline(__always)
    private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
        max(min(a, b), min(max(a, b), c))
    }
}

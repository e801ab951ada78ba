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
        if values.count >= radixThreshold {
            let byBrackets = values.count >= bracketThreshold ? selectByBrackets(values, ranks: wanted) : nil
            if let selected = byBrackets ?? selectByHistogram(values, ranks: wanted, level: 0) {
                return ranks.map { selected[$0]! }
            }
        }
        partition(&values, ranks: wanted)
        return ranks.map { values[$0] }
    }

    /// Reorders `values` so that each of `ranks` (ascending, no repeats) holds the value of that rank, by
    /// partitioning alone; the depth limit bounds the worst case.
    static func partition(_ values: inout [Double], ranks: [Int]) {
        unsafe values.withUnsafeMutableBufferPointer { buffer in
            let depthLimit = 2 * (Int.bitWidth - buffer.count.leadingZeroBitCount) + 8
            unsafe selectRanks(buffer, 0, buffer.count, ranks[...], depth: depthLimit)
        }
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

    /// Streaming passes instead of partitioning ones: a histogram of 16 bits of each value's order-preserving key
    /// (the leading 16 at level 0, the next 16 at level 1, ...) locates every wanted rank in a bucket; each wanted
    /// bucket's values are gathered on their own, and a big bucket (its values share the bits used so far) is
    /// narrowed again by the next 16 bits, a small one selected by partitioning. Returns nil when the wanted buckets
    /// hold more than half the values (a narrow distribution), leaving the work to the partitioning algorithm.
    ///
    /// One level is not enough for common data: uniform values in [0, 1000) put a sixteenth of a binade, several
    /// percent of the rows, in each leading-bits bucket, so the partitioning used to run on a third of the column.
    static func selectByHistogram(_ values: [Double], ranks: [Int], level: Int) -> [Int: Double]? {
        let shift = 64 - radixBits * UInt64(level + 1)
        let mask: UInt64 = (1 << radixBits) - 1
        // Two interleaved histograms: runs of values in one bucket (most of them, for data within a few binades)
        // would otherwise wait on each other's increment.
        // 32-bit counters: the two copies then take 512 KiB, half of L2, instead of all of it.
        guard values.count < Int(UInt32.max) else { return nil }
        let size = 1 << Int(radixBits)
        var twin = [UInt32](repeating: 0, count: 2 * size)
        unsafe twin.withUnsafeMutableBufferPointer { histogram in
            unsafe values.withUnsafeBufferPointer { input in
                var index = 0
                // Safe: bucket indices are masked to 16 bits; the second copy starts at `size`.
                while index + 1 < input.count {
                    unsafe histogram[Int((orderKey(input[index]) >> shift) & mask)] &+= 1
                    unsafe histogram[size + Int((orderKey(input[index + 1]) >> shift) & mask)] &+= 1
                    index += 2
                }
                if index < input.count { unsafe histogram[Int((orderKey(input[index]) >> shift) & mask)] &+= 1 }
            }
        }
        let counts = (0..<size).map { Int(twin[$0]) + Int(twin[size + $0]) }
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
        // Each wanted bucket gets a slot and an array of its own.
        var slotOfBucket = [Int32](repeating: -1, count: counts.count)
        var buckets: [Int] = []
        var gatheredCount = 0
        for entry in bucketOfRank where slotOfBucket[entry.bucket] < 0 {
            slotOfBucket[entry.bucket] = Int32(buckets.count)
            buckets.append(entry.bucket)
            gatheredCount += counts[entry.bucket]
        }
        guard gatheredCount <= values.count / 2 else { return nil }
        // One flat array, each wanted bucket's values contiguous (a counting-sort scatter of the wanted values).
        var starts: [Int] = []
        var total = 0
        for bucket in buckets {
            starts.append(total)
            total += counts[bucket]
        }
        var flat = [Double](repeating: 0, count: gatheredCount)
        var next = starts
        unsafe flat.withUnsafeMutableBufferPointer { output in
            unsafe next.withUnsafeMutableBufferPointer { cursor in
                for value in values {
                    let slot = Int(slotOfBucket[Int((orderKey(value) >> shift) & mask)])
                    guard slot >= 0 else { continue }
                    // Safe: each slot receives exactly counts[bucket] values from its start.
                    unsafe output[cursor[slot]] = value
                    unsafe cursor[slot] += 1
                }
            }
        }
        var gathered = buckets.indices.map { slot in
            Array(flat[starts[slot]..<(starts[slot] + counts[buckets[slot]])])
        }
        var result: [Int: Double] = [:]
        for (slot, bucket) in buckets.enumerated() {
            // A rank's position within its bucket is its rank minus the values of the buckets before.
            let inBucket = bucketOfRank.indices.filter { bucketOfRank[$0].bucket == bucket }
            let localRanks = inBucket.map { ranks[$0] - bucketOfRank[$0].before }
            let wantedLocal = Array(Set(localRanks)).sorted()
            var selected: [Int: Double]?
            if gathered[slot].count >= radixThreshold && shift > 0 {
                selected = selectByHistogram(gathered[slot], ranks: wantedLocal, level: level + 1)
            }
            if selected == nil {
                partition(&gathered[slot], ranks: wantedLocal)
                selected = Dictionary(uniqueKeysWithValues: wantedLocal.map { ($0, gathered[slot][$0]) })
            }
            for (index, local) in zip(inBucket, localRanks) { result[ranks[index]] = selected![local] }
        }
        return result
    }

    /// An unsigned key ordered like the (non-NaN) doubles; -0 and +0 share a key.
    @inline(__always)
    static func orderKey(_ value: Double) -> UInt64 {
        let bits = (value == 0 ? 0.0 : value).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The double of an ``orderKey(_:)`` (+0 for the key of ±0).
    @inline(__always)
    static func value(ofOrderKey key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    @inline(__always)
    private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
        max(min(a, b), min(max(a, b), c))
    }
}

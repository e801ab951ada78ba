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

    @inline(__always)
    private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
        max(min(a, b), min(max(a, b), c))
    }
}

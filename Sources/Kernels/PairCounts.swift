/// Rows and failures in every cell of two features' codes: the cross-tabulation of a pair of features (the report's
/// pair heatmap, and every 2-D slice of the pair at once).
///
/// - **One pass per pair, eight rows ahead.** A cell is `first · secondCount + second`; each row adds one to the
///   32-bit counter `2 · cell + failed`, counted by ``GroupBy``'s loop (one packed 64-bit increment of rows and failures, as in
///   ``PeriodCounts``, took 1.7 s instead of 1.0 s for the 120 pairs of 10M rows). Eight rows' counters are found
///   (their codes and failure flags all loaded) before any is updated: on the development machine a load issued
///   behind a store to a possibly equal address waits for it, and a row-by-row scatter ran several times slower.
///   Small tables keep two copies of the counters, even and odd rows, so runs of one cell do not wait on their own
///   increments.
/// - **Parallel over pairs and row segments** (``PeriodCounts/segmentRanges(rowCount:items:threads:)``, fewer than
///   2^32 rows each). Counts are integers, so the result is the same whatever the thread count.
/// - Codes are one byte (at most 256 codes per feature, the common case: half the memory traffic) or two.
public enum PairCounts {
    /// The cells of one pair, row-major: cell `first · secondCount + second`.
    public struct Table: Sendable, Equatable {
        /// Codes of the first feature (rows of the table) and of the second (columns).
        public var firstCount: Int
        public var secondCount: Int
        /// Rows of the data in each cell.
        public var rows: [Int]
        /// Failing rows (`failure != 0`) in each cell.
        public var failures: [Int]

        public init(firstCount: Int, secondCount: Int, rows: [Int], failures: [Int]) {
            self.firstCount = firstCount
            self.secondCount = secondCount
            self.rows = rows
            self.failures = failures
        }
    }

    /// The most cells one pair may have (its counters are allocated per row segment).
    public static let maximumCells = 1 << 22
    /// Up to this many cells, counters get two copies (even and odd rows).
    static let twoLaneCells = 1 << 15

    /// The cells of one pair of features.
    /// - Parameters:
    ///   - first, second: the code of each row, below `firstCount` and `secondCount`.
    ///   - failure: the failure flag of each row (counted when non-zero).
    ///   - threads: worker threads (at least 1); the result does not depend on it.
    /// - Precondition: the arrays have one entry per row; `firstCount · secondCount ≤ maximumCells`.
    /// - Complexity: O(rows + segments · cells).
    public static func count(
        first: [UInt8], firstCount: Int, second: [UInt8], secondCount: Int, failure: [UInt8], threads: Int
    ) -> Table {
        countPairs(
            features: [first, second], codeCounts: [firstCount, secondCount], pairs: [(0, 1)], failure: failure,
            threads: threads)[0]
    }

    /// The cells of one pair of features with two-byte codes.
    public static func count(
        first: [UInt16], firstCount: Int, second: [UInt16], secondCount: Int, failure: [UInt8], threads: Int
    ) -> Table {
        countPairs(
            features: [first, second], codeCounts: [firstCount, secondCount], pairs: [(0, 1)], failure: failure,
            threads: threads)[0]
    }

    /// The cells of every pair `(i, j)`, `i < j`, of `features`, in the order (0, 1), (0, 2), …, (1, 2), ….
    /// - Parameters:
    ///   - features: per feature, the code of each row, below its entry of `codeCounts`.
    public static func countAllPairs(
        features: [[UInt8]], codeCounts: [Int], failure: [UInt8], threads: Int
    ) -> [Table] {
        countPairs(
            features: features, codeCounts: codeCounts, pairs: allPairs(features.count), failure: failure,
            threads: threads)
    }

    /// Every pair's cells, for two-byte codes.
    public static func countAllPairs(
        features: [[UInt16]], codeCounts: [Int], failure: [UInt8], threads: Int
    ) -> [Table] {
        countPairs(
            features: features, codeCounts: codeCounts, pairs: allPairs(features.count), failure: failure,
            threads: threads)
    }

    /// The cells of each feature (the tables' rows) against one other column (their columns), such as the time
    /// column's buckets: every feature in one parallel batch.
    /// - Precondition: as for ``count(first:firstCount:second:secondCount:failure:threads:)``, for every feature.
    public static func countAgainst(
        features: [[UInt16]], codeCounts: [Int], column: [UInt16], columnCount: Int, failure: [UInt8], threads: Int
    ) -> [Table] {
        countPairs(
            features: features + [column], codeCounts: codeCounts + [columnCount],
            pairs: features.indices.map { ($0, features.count) }, failure: failure, threads: threads)
    }

    /// The pairs `(i, j)`, `i < j < count`, in lexicographic order.
    static func allPairs(_ count: Int) -> [(Int, Int)] {
        (0..<count).flatMap { i in (i + 1..<count).map { (i, $0) } }
    }

    static func countPairs<Code: FixedWidthInteger & UnsignedInteger & Sendable>(
        features: [[Code]], codeCounts: [Int], pairs: [(Int, Int)], failure: [UInt8], threads: Int
    ) -> [Table] {
        precondition(features.count == codeCounts.count, "one code count per feature")
        precondition(features.allSatisfy { $0.count == failure.count }, "codes and failures differ in length")
        precondition(codeCounts.allSatisfy { $0 > 0 && $0 <= Int(Code.max) + 1 }, "code count out of range")
        precondition(
            pairs.allSatisfy { codeCounts[$0.0] * codeCounts[$0.1] <= maximumCells }, "too many cells in a pair")
        guard !pairs.isEmpty else { return [] }
        let segments = PeriodCounts.segmentRanges(rowCount: failure.count, items: pairs.count, threads: threads)
        let counts = Parallel.map(count: pairs.count * segments.count, threads: threads) { item in
            let (first, second) = pairs[item / segments.count]
            return countSegment(
                first: features[first], second: features[second], secondCount: codeCounts[second],
                cells: codeCounts[first] * codeCounts[second], failure: failure,
                rows: segments[item % segments.count])
        }
        return pairs.indices.map { pair in
            let firstCount = codeCounts[pairs[pair].0]
            let secondCount = codeCounts[pairs[pair].1]
            let cells = firstCount * secondCount
            var rows = [Int](repeating: 0, count: cells)
            var failures = rows
            for segment in segments.indices {
                for (slot, counter) in counts[pair * segments.count + segment].enumerated() {
                    let cell = (slot >> 1) % cells
                    rows[cell] += Int(counter)
                    if slot & 1 == 1 { failures[cell] += Int(counter) }
                }
            }
            return Table(firstCount: firstCount, secondCount: secondCount, rows: rows, failures: failures)
        }
    }

    /// The counters of one pair over `rows` (fewer than 2^32): `2 · cell + failed` for every cell, then the same
    /// again for odd rows when the table is small.
    static func countSegment<Code: FixedWidthInteger & UnsignedInteger>(
        first: [Code], second: [Code], secondCount: Int, cells: Int, failure: [UInt8], rows: Range<Int>
    ) -> [UInt32] {
        precondition(rows.count <= PeriodCounts.maximumSegmentRows, "segment too long for 32-bit counters")
        precondition(rows.upperBound <= failure.count, "rows out of range")
        let odd = cells <= twoLaneCells ? 2 * cells : 0
        var counts = [UInt32](repeating: 0, count: 2 * cells + odd)
        unsafe first.withUnsafeBufferPointer { firstBuffer in
            unsafe second.withUnsafeBufferPointer { secondBuffer in
                unsafe failure.withUnsafeBufferPointer { failureBuffer in
                    unsafe counts.withUnsafeMutableBufferPointer { counters in
                        // Safe: row < failure.count == first.count == second.count; the cell is checked below
                        // `cells`, so a counter index is below `2 · cells`, and plus `odd` below counters.count. (One
                        // comparison in release builds: a second code past its count but inside the table is only
                        // caught in debug: checking both codes cost 12% of the time analysis at 10M rows, this 6%.)
                        @inline(__always) func counter(_ row: Int) -> Int {
                            let a = Int(unsafe firstBuffer[row])
                            let b = Int(unsafe secondBuffer[row])
                            assert(b < secondCount, "code out of range")
                            precondition(a &* secondCount &+ b < cells, "code out of range")
                            let failed = unsafe failureBuffer[row] != 0 ? 1 : 0
                            return (a &* secondCount &+ b) &<< 1 | failed
                        }
                        unsafe GroupBy.countRows(rows, into: counters, width: odd, slot: counter)
                    }
                }
            }
        }
        return counts
    }
}

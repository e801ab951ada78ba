/// What the intersection of some bitmap columns holds.
public struct IntersectionCounts: Sendable, Equatable {
    /// Rows in every column of the intersection.
    public var rows: Int
    /// Of those, the rows at positions below the `markedRows` the kernel was given (with rows stored failures first,
    /// the failures).
    public var markedRows: Int
    /// The sum of the per-row values over the rows, added in row-position order (0 without values).
    public var valueSum: Double
    /// The largest per-row value over the rows, and at least 0 (0 for an empty intersection or without values).
    public var valueMax: Double

    public init(rows: Int = 0, markedRows: Int = 0, valueSum: Double = 0, valueMax: Double = 0) {
        self.rows = rows
        self.markedRows = markedRows
        self.valueSum = valueSum
        self.valueMax = valueMax
    }
}

/// Counts the rows of intersections of ``RowBitmaps`` columns: AND of the columns' words, then popcount.
///
/// A candidate is `arity` column indices; `evaluate` takes many candidates of the same arity as one flat array
/// (candidate `i` is `columns[i·arity ..< (i+1)·arity]`) and returns their counts in order.
///
/// - **Layout of the work.** Candidates are split into contiguous chunks, one worker per chunk ("parallel over
///   candidates"). A worker walks the rows in blocks of ``blockWords`` words (16,384 rows: 2 KiB per column, so
///   the columns of a block stay in the core's cache while every candidate of the chunk reads them), and for each
///   block and candidate ANDs the columns 8 words (512 rows) at a time as `SIMD8<UInt64>` and adds the lane-wise
///   popcounts. Column padding is zero, so blocks need no scalar tail.
/// - **Marked rows** (the failures, when the caller stores failing rows first): a block wholly below the mark adds
///   its count, a block wholly above adds nothing, and the one block holding the mark is recounted word by word.
/// - **Values** (a continuous per-row error): the sum and maximum over the intersection's rows. Each candidate's
///   sum is accumulated by one worker in row-position order, so it is bit-for-bit the same for any thread count
///   (and equal to a plain sequential sum over the member rows in position order).
///
/// ``evaluateReference(_:columns:arity:markedRows:values:)`` is the scalar, row-by-row definition the tests hold
/// the kernel to.
public enum BitmapIntersection {
    /// Words per row block; a multiple of ``RowBitmaps/wordAlignment``.
    public static let blockWords = 256
    /// Fewer candidates than this per worker are not worth a thread.
    static let minimumCandidatesPerChunk = 32
    /// Chunks per worker thread (a little slack for uneven progress).
    static let chunksPerThread = 2

    /// The counts of every candidate.
    /// - Parameters:
    ///   - bitmaps: the columns.
    ///   - columns: `arity` column indices per candidate, candidates one after another.
    ///   - arity: columns per candidate, at least 1.
    ///   - markedRows: rows at positions `0..<markedRows` are counted in `markedRows` of the result.
    ///   - values: one value per row position (finite, at least 0), or `nil`.
    ///   - threads: worker threads (at least 1); the result does not depend on it.
    /// - Precondition: `columns.count` is a multiple of `arity`; every column index is below `bitmaps.columnCount`;
    ///   `0 ≤ markedRows ≤ bitmaps.rowCount`; `values`, when given, has `bitmaps.rowCount` entries.
    /// - Complexity: O(candidates · arity · rows / 64) word operations.
    public static func evaluate(
        _ bitmaps: RowBitmaps, columns: [Int32], arity: Int, markedRows: Int, values: [Double]?, threads: Int
    ) -> [IntersectionCounts] {
        checkArguments(bitmaps, columns: columns, arity: arity, markedRows: markedRows, values: values)
        return inChunks(candidateCount: columns.count / arity, threads: threads) { candidates in
            evaluateChunk(
                bitmaps, columns: columns, arity: arity, candidates: candidates, markedRows: markedRows,
                values: values)
        }
    }

    /// The rows of every candidate among the first `rowLimit` row positions only (with failing rows stored first
    /// and `rowLimit` the number of failures: the candidates' failures, at a fraction of the cost of ``evaluate``).
    /// Equal to `evaluate(…, markedRows: rowLimit, …)[i].markedRows`.
    /// - Precondition: as for ``evaluate(_:columns:arity:markedRows:values:threads:)``, with
    ///   `0 ≤ rowLimit ≤ bitmaps.rowCount`.
    /// - Complexity: O(candidates · arity · rowLimit / 64) word operations.
    public static func countBelow(
        _ bitmaps: RowBitmaps, columns: [Int32], arity: Int, rowLimit: Int, threads: Int
    ) -> [Int] {
        checkArguments(bitmaps, columns: columns, arity: arity, markedRows: rowLimit, values: nil)
        return inChunks(candidateCount: columns.count / arity, threads: threads) { candidates in
            countChunkBelow(bitmaps, columns: columns, arity: arity, candidates: candidates, rowLimit: rowLimit)
        }
    }

    /// `body` over consecutive candidate ranges in parallel, the results concatenated in candidate order (so they do
    /// not depend on the thread count).
    private static func inChunks<T>(
        candidateCount: Int, threads: Int, _ body: (Range<Int>) -> [T]
    ) -> [T] {
        guard candidateCount > 0 else { return [] }
        let chunkCount = max(
            1, min(max(1, threads) * chunksPerThread, candidateCount / minimumCandidatesPerChunk))
        let chunks = Parallel.map(count: chunkCount, threads: threads) { chunk in
            body(candidateCount * chunk / chunkCount..<candidateCount * (chunk + 1) / chunkCount)
        }
        var result: [T] = []
        result.reserveCapacity(candidateCount)
        for chunk in chunks { result.append(contentsOf: chunk) }
        return result
    }

    private static func countChunkBelow(
        _ bitmaps: RowBitmaps, columns: [Int32], arity: Int, candidates: Range<Int>, rowLimit: Int
    ) -> [Int] {
        var counts = [Int](repeating: 0, count: candidates.count)
        let stride = bitmaps.stride
        let fullWords = rowLimit >> 6
        let tailMask: UInt64 = rowLimit & 63 == 0 ? 0 : (1 << UInt64(rowLimit & 63)) - 1
        // Whole vectors below the limit, then the remaining words (the last one masked) word by word.
        let vectorEnd = fullWords / RowBitmaps.wordAlignment * RowBitmaps.wordAlignment
        let tailEnd = min(fullWords + 1, stride)
        var offsets = [Int](repeating: 0, count: arity)
        unsafe bitmaps.withWords { words in
            var blockStart = 0
            while blockStart < tailEnd {
                let blockEnd = min(blockStart + blockWords, vectorEnd)
                for (slot, candidate) in candidates.enumerated() {
                    for position in 0..<arity {
                        offsets[position] = Int(columns[candidate * arity + position]) * stride
                    }
                    if blockStart < blockEnd {
                        counts[slot] += unsafe countVectors(words, offsets, blockStart..<blockEnd)
                    }
                    if blockEnd == vectorEnd && vectorEnd < tailEnd {
                        counts[slot] += unsafe countMarkedWords(
                            words, offsets, vectorEnd..<tailEnd, fullMarkedWords: fullWords, tailMask: tailMask)
                    }
                }
                if blockEnd == vectorEnd { break }
                blockStart = blockEnd
            }
        }
        return counts
    }

    /// The scalar reference: for each candidate, every row is tested against every column, bit by bit.
    /// - Complexity: O(candidates · arity · rows).
    public static func evaluateReference(
        _ bitmaps: RowBitmaps, columns: [Int32], arity: Int, markedRows: Int, values: [Double]?
    ) -> [IntersectionCounts] {
        checkArguments(bitmaps, columns: columns, arity: arity, markedRows: markedRows, values: values)
        let candidateCount = columns.count / arity
        let columnWords = (0..<bitmaps.columnCount).map { bitmaps.words(ofColumn: $0) }
        return (0..<candidateCount).map { candidate in
            let members = columns[candidate * arity..<(candidate + 1) * arity].map { columnWords[Int($0)] }
            var counts = IntersectionCounts()
            for row in 0..<bitmaps.rowCount {
                let bit: UInt64 = 1 << UInt64(row & 63)
                guard members.allSatisfy({ $0[row >> 6] & bit != 0 }) else { continue }
                counts.rows += 1
                if row < markedRows { counts.markedRows += 1 }
                if let values {
                    counts.valueSum += values[row]
                    counts.valueMax = max(counts.valueMax, values[row])
                }
            }
            return counts
        }
    }

    /// The row positions in every one of `columns`, ascending.
    /// - Precondition: `columns` is not empty and every index is below `bitmaps.columnCount`.
    /// - Complexity: O(columns · rows / 64 + members).
    public static func members(_ bitmaps: RowBitmaps, columns: [Int32]) -> [Int] {
        precondition(!columns.isEmpty, "an intersection needs at least one column")
        precondition(columns.allSatisfy { $0 >= 0 && Int($0) < bitmaps.columnCount }, "column out of range")
        let stride = bitmaps.stride
        let wordCount = bitmaps.wordCount
        var rows: [Int] = []
        unsafe bitmaps.withWords { words in
            for wordIndex in 0..<wordCount {
                var word = ~UInt64(0)
                // Safe: every column index was checked, and wordIndex < wordCount <= stride.
                for column in columns { word &= unsafe words[Int(column) * stride + wordIndex] }
                while word != 0 {
                    rows.append(wordIndex << 6 | word.trailingZeroBitCount)
                    word &= word &- 1
                }
            }
        }
        return rows
    }

    // MARK: - Kernel

    private static func checkArguments(
        _ bitmaps: RowBitmaps, columns: [Int32], arity: Int, markedRows: Int, values: [Double]?
    ) {
        precondition(arity >= 1, "a candidate needs at least one column")
        precondition(columns.count % arity == 0, "the column list is not a whole number of candidates")
        precondition(columns.allSatisfy { $0 >= 0 && Int($0) < bitmaps.columnCount }, "column out of range")
        precondition(markedRows >= 0 && markedRows <= bitmaps.rowCount, "marked rows out of range")
        precondition(values.map { $0.count == bitmaps.rowCount } ?? true, "one value per row expected")
        precondition(blockWords % RowBitmaps.wordAlignment == 0, "blocks must be whole vectors")
    }

    /// Candidates `candidates` over every row block.
    private static func evaluateChunk(
        _ bitmaps: RowBitmaps, columns: [Int32], arity: Int, candidates: Range<Int>, markedRows: Int,
        values: [Double]?
    ) -> [IntersectionCounts] {
        var counts = [IntersectionCounts](repeating: IntersectionCounts(), count: candidates.count)
        let stride = bitmaps.stride
        let fullMarkedWords = markedRows >> 6
        let tailMask: UInt64 = markedRows & 63 == 0 ? 0 : (1 << UInt64(markedRows & 63)) - 1
        // The word offset of each candidate column (column · stride), so the kernels index one base pointer.
        var offsets = [Int](repeating: 0, count: arity)
        unsafe bitmaps.withWords { words in
            var blockStart = 0
            while blockStart < stride {
                let blockEnd = min(blockStart + blockWords, stride)
                for (slot, candidate) in candidates.enumerated() {
                    for position in 0..<arity {
                        offsets[position] = Int(columns[candidate * arity + position]) * stride
                    }
                    if let values {
                        unsafe accumulateWithValues(
                            &counts[slot], words, offsets, blockStart..<blockEnd, fullMarkedWords: fullMarkedWords,
                            tailMask: tailMask, values: values)
                        continue
                    }
                    let blockRows = unsafe countVectors(words, offsets, blockStart..<blockEnd)
                    counts[slot].rows += blockRows
                    if blockEnd <= fullMarkedWords {
                        counts[slot].markedRows += blockRows
                    } else if blockStart <= fullMarkedWords {
                        counts[slot].markedRows += unsafe countMarkedWords(
                            words, offsets, blockStart..<blockEnd, fullMarkedWords: fullMarkedWords,
                            tailMask: tailMask)
                    }
                }
                blockStart = blockEnd
            }
        }
        return counts
    }

    /// One vector (8 words, 512 rows) of column `offset` at word `word`.
    @inline(__always)
    private static func vector(_ words: UnsafePointer<UInt64>, _ offset: Int, _ word: Int) -> SIMD8<UInt64> {
        // Safe: callers pass an offset that starts a column and a word inside it; the load tolerates any alignment.
        unsafe UnsafeRawPointer(words + offset + word).loadUnaligned(as: SIMD8<UInt64>.self)
    }

    /// Σ popcount(AND of the columns) over `range` (whole vectors of 8 words), with lane-wise SIMD popcounts.
    @inline(__always)
    private static func countVectors(_ words: UnsafePointer<UInt64>, _ offsets: [Int], _ range: Range<Int>) -> Int {
        assert(range.lowerBound % 8 == 0 && range.upperBound % 8 == 0, "vector-aligned range expected")
        var total = SIMD8<UInt64>()
        let vectorStarts = Swift.stride(from: range.lowerBound, to: range.upperBound, by: 8)
        switch offsets.count {
        case 1:
            let a = offsets[0]
            for word in vectorStarts { total &+= unsafe vector(words, a, word).nonzeroBitCount }
        case 2:
            let a = offsets[0]
            let b = offsets[1]
            for word in vectorStarts {
                let first = unsafe vector(words, a, word)
                let second = unsafe vector(words, b, word)
                total &+= (first & second).nonzeroBitCount
            }
        case 3:
            let a = offsets[0]
            let b = offsets[1]
            let c = offsets[2]
            for word in vectorStarts {
                let first = unsafe vector(words, a, word)
                let second = unsafe vector(words, b, word)
                let third = unsafe vector(words, c, word)
                total &+= (first & second & third).nonzeroBitCount
            }
        default:
            for word in vectorStarts {
                var combined = SIMD8<UInt64>(repeating: ~0)
                for offset in offsets { combined &= unsafe vector(words, offset, word) }
                total &+= combined.nonzeroBitCount
            }
        }
        return Int(total.wrappedSum())
    }

    /// The AND of the columns at one word.
    @inline(__always)
    private static func word(_ words: UnsafePointer<UInt64>, _ offsets: [Int], _ index: Int) -> UInt64 {
        var word = ~UInt64(0)
        // Safe: every offset starts a column and `index` lies inside it.
        for offset in offsets { word &= unsafe words[offset + index] }
        return word
    }

    /// The marked rows of the block that holds the mark, word by word.
    private static func countMarkedWords(
        _ words: UnsafePointer<UInt64>, _ offsets: [Int], _ range: Range<Int>, fullMarkedWords: Int, tailMask: UInt64
    ) -> Int {
        var marked = 0
        for wordIndex in range.lowerBound..<min(range.upperBound, fullMarkedWords + 1) {
            let bits = unsafe word(words, offsets, wordIndex)
            marked += (wordIndex < fullMarkedWords ? bits : bits & tailMask).nonzeroBitCount
        }
        return marked
    }

    /// Counts, marked counts, and the sum and maximum of `values`, word by word in row order.
    private static func accumulateWithValues(
        _ counts: inout IntersectionCounts, _ words: UnsafePointer<UInt64>, _ offsets: [Int], _ range: Range<Int>,
        fullMarkedWords: Int, tailMask: UInt64, values: [Double]
    ) {
        for wordIndex in range {
            let bits = unsafe word(words, offsets, wordIndex)
            guard bits != 0 else { continue }
            counts.rows += bits.nonzeroBitCount
            if wordIndex < fullMarkedWords {
                counts.markedRows += bits.nonzeroBitCount
            } else if wordIndex == fullMarkedWords {
                counts.markedRows += (bits & tailMask).nonzeroBitCount
            }
            var remaining = bits
            while remaining != 0 {
                // Bits past the last row are zero, so the index is below rowCount == values.count.
                let value = values[wordIndex << 6 | remaining.trailingZeroBitCount]
                counts.valueSum += value
                counts.valueMax = max(counts.valueMax, value)
                remaining &= remaining &- 1
            }
        }
    }
}

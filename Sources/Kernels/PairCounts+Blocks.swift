extension PairCounts {
    /// ``count(first:firstCount:second:secondCount:failure:threads:)`` without writing codes that are not kept
    /// (``BinCodes/isRemade``) whole: each is written a ``GroupBy/blockRows``-row block at a time as it is counted
    /// (the report's pair grid after the binning let the features' codes go: at 10M rows, 10 to 40 MB less). Kept
    /// codes are read in place. The blocks are dealt out to `threads` workers in turn, each adding its blocks into
    /// counters of its own, which are then summed: integers, so the table is the same whatever the thread count.
    public static func count(
        blocksOf first: BinCodes, firstCount: Int, second: BinCodes, secondCount: Int, failure: [UInt8], threads: Int
    ) -> Table {
        let rowCount = failure.count
        checkCodes([first, second], codeCounts: [firstCount, secondCount], rows: rowCount)
        let cells = firstCount * secondCount
        precondition(cells <= maximumCells, "too many cells in a pair")
        precondition(threads >= 1, "at least one thread")
        // One worker's counters are 32-bit: past that many rows, the segmented count splits the rows further.
        guard rowCount <= PeriodCounts.maximumSegmentRows else {
            return count(
                first: first, firstCount: firstCount, second: second, secondCount: secondCount, failure: failure,
                threads: threads)
        }
        let slots = cells << 1
        let odd = cells <= twoLaneCells ? slots : 0
        let blockCount = (rowCount + GroupBy.blockRows - 1) / GroupBy.blockRows
        let workers = max(1, min(threads, blockCount))
        let counters = Parallel.map(count: workers, threads: workers) { worker -> [UInt32] in
            var counts = [UInt32](repeating: 0, count: slots + odd)
            for block in stride(from: worker, to: blockCount, by: workers) {
                let rows = block * GroupBy.blockRows..<min((block + 1) * GroupBy.blockRows, rowCount)
                let (firstCodes, firstStart) = codes(of: first, rows: rows)
                let (secondCodes, secondStart) = codes(of: second, rows: rows)
                switch (firstCodes.storage, secondCodes.storage) {
                case (.narrow(let a), .narrow(let b)):
                    addPairBlock(
                        a, from: firstStart, b, from: secondStart, secondCount: secondCount, cells: cells,
                        failure: failure, rows: rows, odd: odd, into: &counts)
                case (.narrow(let a), .wide(let b)):
                    addPairBlock(
                        a, from: firstStart, b, from: secondStart, secondCount: secondCount, cells: cells,
                        failure: failure, rows: rows, odd: odd, into: &counts)
                case (.wide(let a), .narrow(let b)):
                    addPairBlock(
                        a, from: firstStart, b, from: secondStart, secondCount: secondCount, cells: cells,
                        failure: failure, rows: rows, odd: odd, into: &counts)
                case (.wide(let a), .wide(let b)):
                    addPairBlock(
                        a, from: firstStart, b, from: secondStart, secondCount: secondCount, cells: cells,
                        failure: failure, rows: rows, odd: odd, into: &counts)
                case (.remade, _), (_, .remade): preconditionFailure("a recipe writes kept codes")
                }
            }
            return counts
        }
        var total = [Int](repeating: 0, count: slots)
        for counts in counters {
            // Two copies of the counters (even and odd rows) when the table is small: fold them.
            for (slot, counter) in counts.enumerated() { total[slot % slots] += Int(counter) }
        }
        return ClassTable(firstCount: firstCount, secondCount: secondCount, classBits: 1, counts: total).table
    }

    /// The codes of `rows`, and the row their first element is: kept codes whole (from row 0), codes not kept
    /// written for `rows` alone.
    private static func codes(of codes: BinCodes, rows: Range<Int>) -> (codes: BinCodes, start: Int) {
        guard case .remade(let recipe) = codes.storage else { return (codes, 0) }
        return (recipe.codes(rows: rows), rows.lowerBound)
    }

    /// Adds the rows of one block to the counters of
    /// ``count(blocksOf:firstCount:second:secondCount:failure:threads:)``: `cell << 1 | failed`, as
    /// ``countSegment(first:second:secondCount:cells:rowClasses:classBits:rows:rowClass:)`` counts them. Each
    /// feature's codes begin at row `from`.
    @inline(__always)
    private static func addPairBlock<
        First: FixedWidthInteger & UnsignedInteger, Second: FixedWidthInteger & UnsignedInteger
    >(
        _ first: [First], from firstStart: Int, _ second: [Second], from secondStart: Int, secondCount: Int,
        cells: Int, failure: [UInt8], rows: Range<Int>, odd: Int, into counts: inout [UInt32]
    ) {
        precondition(rows.lowerBound >= firstStart && rows.upperBound - firstStart <= first.count, "rows out of range")
        precondition(
            rows.lowerBound >= secondStart && rows.upperBound - secondStart <= second.count, "rows out of range")
        precondition(rows.upperBound <= failure.count, "rows out of range")
        unsafe first.withUnsafeBufferPointer { firstBuffer in
            unsafe second.withUnsafeBufferPointer { secondBuffer in
                unsafe failure.withUnsafeBufferPointer { failed in
                    unsafe counts.withUnsafeMutableBufferPointer { counters in
                        // Safe: each row less its feature's start is within that feature's codes, and the row within
                        // the failures (checked above); the cell is checked below `cells`, so a counter index is
                        // below `cells << 1`, and plus `odd` below counters.count.
                        @inline(__always) func counter(_ row: Int) -> Int {
                            let a = Int(unsafe firstBuffer[row &- firstStart])
                            let b = Int(unsafe secondBuffer[row &- secondStart])
                            assert(b < secondCount, "code out of range")
                            precondition(a &* secondCount &+ b < cells, "code out of range")
                            return (a &* secondCount &+ b) &<< 1 | (unsafe failed[row] != 0 ? 1 : 0)
                        }
                        unsafe GroupBy.countRows(rows, into: counters, width: odd, slot: counter)
                    }
                }
            }
        }
    }
}

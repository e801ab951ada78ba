/// Group-by accumulation of `GroupStats` per code.
///
/// Rows are split into fixed blocks of `blockRows` rows (independent of the thread count); each block is
/// aggregated on its own and the blocks are merged in row order, so integer counts and floating sums are
/// identical whatever the number of threads.
public enum GroupBy {
    /// Rows per block; a power of two.
    public static let blockRows = 1 << 16

    /// The statistics of every group `0..<groupCount`.
    /// - Parameters:
    ///   - codes: the group of each row, `< groupCount`.
    ///   - outcomes: the per-row failure, loss and error.
    ///   - threads: worker threads (at least 1).
    /// - Complexity: O(rows + blocks · groupCount).
    public static func aggregate(codes: [UInt16], groupCount: Int, outcomes: RowOutcomes, threads: Int) -> [GroupStats] {
        aggregateCodes(codes, groupCount: groupCount, outcomes: outcomes, threads: threads)
    }

    /// The statistics of every group `0..<groupCount` (at most 256) from one-byte codes: half the code stream of
    /// the two-byte form, with the same blocks, merge order and results.
    public static func aggregate(codes: [UInt8], groupCount: Int, outcomes: RowOutcomes, threads: Int) -> [GroupStats] {
        aggregateCodes(codes, groupCount: groupCount, outcomes: outcomes, threads: threads)
    }

    /// The statistics of every group `0..<groupCount` from a binned column's codes, at their stored width.
    public static func aggregate(codes: BinCodes, groupCount: Int, outcomes: RowOutcomes, threads: Int) -> [GroupStats] {
        switch codes.storage {
        case .narrow(let narrow):
            aggregateCodes(narrow, groupCount: groupCount, outcomes: outcomes, threads: threads)
        case .wide(let wide):
            aggregateCodes(wide, groupCount: groupCount, outcomes: outcomes, threads: threads)
        case .remade:
            aggregate(codes: codes.materialized(), groupCount: groupCount, outcomes: outcomes, threads: threads)
        }
    }

    /// Every public form; specialised for each code type within this module.
    static func aggregateCodes<Code: FixedWidthInteger & UnsignedInteger & Sendable>(
        _ codes: [Code], groupCount: Int, outcomes: RowOutcomes, threads: Int
    ) -> [GroupStats] {
        precondition(codes.count == outcomes.count, "codes and outcomes differ in length")
        precondition(groupCount > 0 && groupCount <= Int(Code.max) + 1, "group count out of range")
        return mergingBlocks(rows: codes.count, groupCount: groupCount, threads: threads) { range in
            aggregateBlock(codes: codes, range: range, groupCount: groupCount, outcomes: outcomes)
        }
    }

    /// The statistics of each ``blockRows``-row block of `rows` rows (`block`, on `threads` threads), merged in row
    /// order: the same sums whatever the thread count.
    static func mergingBlocks(
        rows: Int, groupCount: Int, threads: Int, _ block: (Range<Int>) -> [GroupStats]
    ) -> [GroupStats] {
        let blockCount = (rows + blockRows - 1) / blockRows
        let blocks = Parallel.map(count: blockCount, threads: threads) { blockIndex in
            block(blockIndex * blockRows..<min((blockIndex + 1) * blockRows, rows))
        }
        var total = [GroupStats](repeating: GroupStats(), count: groupCount)
        for block in blocks {
            for group in 0..<groupCount { total[group].merge(block[group]) }
        }
        return total
    }

    /// ``aggregate(codes:groupCount:outcomes:threads:)`` of codes that are not kept: `recipe` writes each block's
    /// codes as the block is counted, so that they never exist whole (10 MB at 10M rows, a worker each). The same
    /// blocks and merge order, so the same results, on one thread: the caller counts one feature a worker.
    /// - Parameter eachBlock: called with each block's rows and codes, in row order, once they are counted (to pick
    ///   out some rows' codes, ``BinCodes/Gathering``).
    public static func aggregate(
        blocksOf recipe: CodeRecipe, groupCount: Int, outcomes: RowOutcomes,
        eachBlock: (_ rows: Range<Int>, _ codes: BinCodes) -> Void = { _, _ in }
    ) -> [GroupStats] {
        precondition(recipe.count == outcomes.count, "codes and outcomes differ in length")
        precondition(
            groupCount > 0 && groupCount <= (recipe.isNarrow ? BinCodes.narrowCodeCount : 1 << 16),
            "group count out of range")
        var total = [GroupStats](repeating: GroupStats(), count: groupCount)
        recipe.forEachBlock { range, codes in
            let start = range.lowerBound
            let block: [GroupStats] =
                switch codes.storage {
                case .narrow(let codes):
                    aggregateBlock(
                        codes: codes, codeStart: start, range: range, groupCount: groupCount, outcomes: outcomes)
                case .wide(let codes):
                    aggregateBlock(
                        codes: codes, codeStart: start, range: range, groupCount: groupCount, outcomes: outcomes)
                case .remade: preconditionFailure("a recipe writes kept codes")
                }
            for group in 0..<groupCount { total[group].merge(block[group]) }
            eachBlock(range, codes)
        }
        return total
    }

    /// The statistics of all rows together (one group), without a codes array.
    /// Same blocks and merge order as `aggregate`, so the sums equal a one-group `aggregate` exactly.
    public static func total(outcomes: RowOutcomes, threads: Int) -> GroupStats {
        let rowCount = outcomes.count
        let blockCount = (rowCount + blockRows - 1) / blockRows
        let blocks = Parallel.map(count: blockCount, threads: threads) { blockIndex in
            let start = blockIndex * blockRows
            let range = start..<min(start + blockRows, rowCount)
            var stats = GroupStats()
            stats.rows = range.count
            var failures = 0
            for row in range { failures &+= Int(outcomes.failure[row] & 1) }
            stats.failures = failures
            if let loss = outcomes.heldLoss {
                for row in range {
                    let value = loss[row]
                    stats.lossSum += value
                    stats.lossSquaredSum += value * value
                    stats.lossMax = max(stats.lossMax, value)
                }
            } else if outcomes.lossOfError == nil {
                stats.lossSum = Double(failures)
                stats.lossSquaredSum = Double(failures)
                stats.lossMax = failures > 0 ? 1 : 0
            }
            if outcomes.hasErrors {
                // One read of the block's errors for both: each sum still adds its own values in row order.
                outcomes.withErrors(in: range) { errors, firstRow in
                    if let lossOfError = outcomes.lossOfError {
                        for row in range {
                            let value = lossOfError.loss(errors[row &- firstRow])
                            stats.lossSum += value
                            stats.lossSquaredSum += value * value
                            stats.lossMax = max(stats.lossMax, value)
                        }
                    }
                    for row in range {
                        let error = errors[row &- firstRow]
                        stats.absoluteErrorSum += abs(error)
                        stats.squaredErrorSum += error * error
                        stats.signedErrorSum += error
                    }
                }
            }
            if let confusion = outcomes.confusion {
                // Cells 1 to 3 counted from the cell's two bits with no branch (cell 0 is the rest): indexing the
                // counters by the cell compiled to a jump table, an unpredictable jump per row.
                var (one, two, three) = (0, 0, 0)
                unsafe confusion.withUnsafeBufferPointer { buffer in
                    // Safe: range is within 0..<confusion.count.
                    for row in range {
                        let cell = Int(unsafe buffer[row])
                        let (high, low) = ((cell >> 1) & 1, cell & 1)
                        one &+= low & (high ^ 1)
                        two &+= high & (low ^ 1)
                        three &+= high & low
                    }
                }
                stats.confusion = SIMD4(range.count - one - two - three, one, two, three)
            }
            return stats
        }
        var total = GroupStats()
        for block in blocks { total.merge(block) }
        return total
    }

    /// One block: a tight counting loop, then the floating sums only when the outcomes carry them. A block has fewer
    /// than 2^32 rows, so 32-bit counters do.
    /// `codes` hold the rows from `codeStart` on: the whole column's (0), or a block's own (`range.lowerBound`).
    static func aggregateBlock<Code: FixedWidthInteger & UnsignedInteger>(
        codes: [Code], codeStart: Int = 0, range: Range<Int>, groupCount: Int, outcomes: RowOutcomes
    ) -> [GroupStats] {
        precondition(
            range.lowerBound >= codeStart && range.upperBound - codeStart <= codes.count
                && range.upperBound <= outcomes.count, "rows out of range")
        // One counter per (group, row class), the class being the failure bit and, for binary classification, the
        // confusion cell: a single increment per row. Two copies of the counters (even and odd rows) keep runs of
        // one code (sorted time or batch columns) from waiting on their own increments.
        let classes = outcomes.confusion == nil ? 2 : 8
        let width = groupCount * classes
        var counters = [UInt32](repeating: 0, count: 2 * width)
        unsafe codes.withUnsafeBufferPointer { codeBuffer in
            unsafe outcomes.failure.withUnsafeBufferPointer { failureBuffer in
                unsafe counters.withUnsafeMutableBufferPointer { counts in
                    if let confusion = outcomes.confusion {
                        unsafe confusion.withUnsafeBufferPointer { confusionBuffer in
                            unsafe countRows(range, into: counts, width: width) { row in
                                // Safe: row - codeStart < codes.count and row < failure.count == confusion.count
                                // (checked above); codes are < groupCount (checked in debug), so the slot is below
                                // width.
                                let code = Int(unsafe codeBuffer[row &- codeStart])
                                assert(code < groupCount, "code out of range")
                                let failed = Int(unsafe failureBuffer[row] & 1)
                                let cell = Int(unsafe confusionBuffer[row] & 3)
                                return code &* 8 &+ (cell &<< 1 | failed)
                            }
                        }
                    } else {
                        unsafe countRows(range, into: counts, width: width) { row in
                            // Safe: row - codeStart < codes.count, row < failure.count (checked above); codes are
                            // < groupCount (checked in debug).
                            let code = Int(unsafe codeBuffer[row &- codeStart])
                            assert(code < groupCount, "code out of range")
                            return code &* 2 &+ Int(unsafe failureBuffer[row] & 1)
                        }
                    }
                }
            }
        }
        var stats = classStats(counters, groupCount: groupCount, classes: classes)
        addFloatSums(codes: codes, codeStart: codeStart, range: range, outcomes: outcomes, into: &stats)
        return stats
    }

    /// The loss sums and maximum of each group of `range` into `stats` (the 0/1 loss from its failures when the
    /// outcomes carry no loss), and the signed-error sums when they carry errors: the floating part of
    /// ``aggregateBlock(codes:codeStart:range:groupCount:outcomes:)``, whose block it is.
    static func addFloatSums<Code: FixedWidthInteger & UnsignedInteger>(
        codes: [Code], codeStart: Int, range: Range<Int>, outcomes: RowOutcomes, into stats: inout [GroupStats]
    ) {
        let groupCount = stats.count
        if let lossOfError = outcomes.lossOfError {
            addErrorSums(
                codes: codes, codeStart: codeStart, range: range, outcomes: outcomes, lossOfError: lossOfError,
                into: &stats)
            return
        }
        if let loss = outcomes.heldLoss {
            // Three sums per group in flat arrays, then copied into the statistics.
            var sums = [Double](repeating: 0, count: groupCount * 3)
            unsafe codes.withUnsafeBufferPointer { codeBuffer in
                unsafe loss.withUnsafeBufferPointer { lossBuffer in
                    unsafe sums.withUnsafeMutableBufferPointer { sum in
                        for row in range {
                            // Safe: row - codeStart < codes.count, row < loss.count; code * 3 + 2 < sum.count.
                            let base = Int(unsafe codeBuffer[row &- codeStart]) &* 3
                            let value = unsafe lossBuffer[row]
                            unsafe sum[base] += value
                            unsafe sum[base + 1] += value * value
                            unsafe sum[base + 2] = max(unsafe sum[base + 2], value)
                        }
                    }
                }
            }
            for group in 0..<groupCount {
                stats[group].lossSum = sums[group * 3]
                stats[group].lossSquaredSum = sums[group * 3 + 1]
                stats[group].lossMax = sums[group * 3 + 2]
            }
        } else {
            setZeroOneLoss(&stats)
        }
        guard outcomes.hasErrors else { return }
        outcomes.withErrors(in: range) { errors, errorStart in
            precondition(range.upperBound - errorStart <= errors.count, "errors out of range")
            var sums = [Double](repeating: 0, count: groupCount * 3)
            unsafe codes.withUnsafeBufferPointer { codeBuffer in
                unsafe errors.withUnsafeBufferPointer { errorBuffer in
                    unsafe sums.withUnsafeMutableBufferPointer { sum in
                        for row in range {
                            // Safe: row - codeStart < codes.count, row - errorStart < errors.count; code * 3 + 2 <
                            // sum.count.
                            let base = Int(unsafe codeBuffer[row &- codeStart]) &* 3
                            let error = unsafe errorBuffer[row &- errorStart]
                            unsafe sum[base] += abs(error)
                            unsafe sum[base + 1] += error * error
                            unsafe sum[base + 2] += error
                        }
                    }
                }
            }
            for group in 0..<groupCount {
                stats[group].absoluteErrorSum = sums[group * 3]
                stats[group].squaredErrorSum = sums[group * 3 + 1]
                stats[group].signedErrorSum = sums[group * 3 + 2]
            }
        }
    }

    /// Rows, failures and (with eight classes) confusion cells per group from counters `group · classes + class`,
    /// two copies of them (even and odd rows, the second from `counters.count / 2`).
    static func classStats(_ counters: [UInt32], groupCount: Int, classes: Int) -> [GroupStats] {
        let width = counters.count / 2
        var stats = [GroupStats](repeating: GroupStats(), count: groupCount)
        for group in 0..<groupCount {
            var rows = 0
            var failures = 0
            var confusion = SIMD4<Int>.zero
            for rowClass in 0..<classes {
                let slot = group * classes + rowClass
                let count = Int(counters[slot]) + Int(counters[width + slot])
                rows += count
                if rowClass & 1 == 1 { failures += count }
                if classes == 8 { confusion[rowClass >> 1] += count }
            }
            stats[group].rows = rows
            stats[group].failures = failures
            if classes == 8 { stats[group].confusion = confusion }
        }
        return stats
    }

    /// The loss sums of a 0/1 loss: each failure counts one.
    static func setZeroOneLoss(_ stats: inout [GroupStats]) {
        for group in stats.indices {
            let failuresInGroup = Double(stats[group].failures)
            stats[group].lossSum = failuresInGroup
            stats[group].lossSquaredSum = failuresInGroup
            stats[group].lossMax = failuresInGroup > 0 ? 1 : 0
        }
    }

    /// Adds one to counter `slot(row)` for every row of `range`: even rows in the first copy of the counters, odd
    /// rows in the second (from `width`; a `width` of 0 keeps one copy). ``PairCounts`` counts with it too.
    ///
    /// Eight rows' slots are computed, their codes and flags all loaded, before any of their counters is updated:
    /// interleaved row by row, each row's loads were issued behind the previous row's counter store, and the loop
    /// ran at a quarter of its speed in most benchmark runs (``PeriodCounts`` found the same).
    @inline(__always)
    static func countRows(
        _ range: Range<Int>, into counts: UnsafeMutableBufferPointer<UInt32>, width: Int, slot: (Int) -> Int
    ) {
        var row = range.lowerBound
        // Safe (here and below): the caller's slot(_:) is below width (or, with width 0, below counts.count), and
        // counts holds two copies of width counters.
        while row &+ 8 <= range.upperBound {
            let s0 = slot(row)
            let s1 = slot(row &+ 1)
            let s2 = slot(row &+ 2)
            let s3 = slot(row &+ 3)
            let s4 = slot(row &+ 4)
            let s5 = slot(row &+ 5)
            let s6 = slot(row &+ 6)
            let s7 = slot(row &+ 7)
            unsafe counts[s0] &+= 1
            unsafe counts[width &+ s1] &+= 1
            unsafe counts[s2] &+= 1
            unsafe counts[width &+ s3] &+= 1
            unsafe counts[s4] &+= 1
            unsafe counts[width &+ s5] &+= 1
            unsafe counts[s6] &+= 1
            unsafe counts[width &+ s7] &+= 1
            row &+= 8
        }
        while row &+ 1 < range.upperBound {
            unsafe counts[slot(row)] &+= 1
            unsafe counts[width &+ slot(row &+ 1)] &+= 1
            row &+= 2
        }
        if row < range.upperBound { unsafe counts[slot(row)] &+= 1 }
    }
}

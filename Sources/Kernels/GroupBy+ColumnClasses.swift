extension GroupBy {
    /// The statistics of every group `0..<groupCount` under a 0/1 loss, from each row's class as `classes` holds it
    /// (``PairCounts/ColumnClasses``: the failure bit, and the confusion cell when it has one): the same blocks,
    /// merge order and results as ``aggregate(codes:groupCount:outcomes:threads:)`` of the outcomes the classes were
    /// made from. So the classes can stand in for the outcomes.
    public static func aggregate(
        codes: BinCodes, groupCount: Int, classes: PairCounts.ColumnClasses, threads: Int
    ) -> [GroupStats] {
        switch codes.storage {
        case .narrow(let narrow):
            aggregateCodes(narrow, groupCount: groupCount, classes: classes, threads: threads)
        case .wide(let wide):
            aggregateCodes(wide, groupCount: groupCount, classes: classes, threads: threads)
        case .remade:
            aggregate(codes: codes.materialized(), groupCount: groupCount, classes: classes, threads: threads)
        }
    }

    /// ``aggregate(codes:groupCount:classes:threads:)`` of codes that are not kept, written a block at a time as
    /// ``aggregate(blocksOf:groupCount:outcomes:eachBlock:)`` writes them, on one thread.
    public static func aggregate(
        blocksOf recipe: CodeRecipe, groupCount: Int, classes: PairCounts.ColumnClasses,
        eachBlock: (_ rows: Range<Int>, _ codes: BinCodes) -> Void = { _, _ in }
    ) -> [GroupStats] {
        precondition(recipe.count == classes.rowCount, "codes and classes differ in length")
        precondition(
            groupCount > 0 && groupCount <= (recipe.isNarrow ? BinCodes.narrowCodeCount : 1 << 16),
            "group count out of range")
        var total = [GroupStats](repeating: GroupStats(), count: groupCount)
        recipe.forEachBlock { range, codes in
            let block: [GroupStats] =
                switch codes.storage {
                case .narrow(let codes):
                    aggregateBlock(
                        codes: codes, codeStart: range.lowerBound, range: range, groupCount: groupCount,
                        classes: classes)
                case .wide(let codes):
                    aggregateBlock(
                        codes: codes, codeStart: range.lowerBound, range: range, groupCount: groupCount,
                        classes: classes)
                case .remade: preconditionFailure("a recipe writes kept codes")
                }
            for group in 0..<groupCount { total[group].merge(block[group]) }
            eachBlock(range, codes)
        }
        return total
    }

    /// The statistics of every code of the column of `classes` (`0..<columnCount`): what
    /// ``aggregate(codes:groupCount:classes:threads:)`` gives for the column's own codes, the same blocks and merge
    /// order, from the combined rows alone (each is its own counter), so the column's codes need not be written.
    public static func aggregate(columnOf classes: PairCounts.ColumnClasses, threads: Int) -> [GroupStats] {
        if case .apart(let column, _) = classes.rows {
            return aggregate(codes: column, groupCount: classes.columnCount, classes: classes, threads: threads)
        }
        let groupCount = classes.columnCount
        let width = groupCount << classes.classBits
        return mergingBlocks(rows: classes.rowCount, groupCount: groupCount, threads: threads) { range in
            var counters = [UInt32](repeating: 0, count: 2 * width)
            unsafe classes.withCombinedRows(in: range) { rowBuffer, firstRow in
                unsafe counters.withUnsafeMutableBufferPointer { counts in
                    unsafe countRows(range, into: counts, width: width) { row in
                        // Safe: firstRow <= row and row - firstRow < rowBuffer.count (withCombinedRows covers
                        // `range`); the slot is checked below width.
                        let slot = Int(unsafe rowBuffer[row &- firstRow])
                        precondition(slot < width, "code out of range")
                        return slot
                    }
                }
            }
            var stats = classStats(counters, groupCount: groupCount, classes: 1 << classes.classBits)
            setZeroOneLoss(&stats)
            return stats
        }
    }

    static func aggregateCodes<Code: FixedWidthInteger & UnsignedInteger & Sendable>(
        _ codes: [Code], groupCount: Int, classes: PairCounts.ColumnClasses, threads: Int
    ) -> [GroupStats] {
        precondition(codes.count == classes.rowCount, "codes and classes differ in length")
        precondition(groupCount > 0 && groupCount <= Int(Code.max) + 1, "group count out of range")
        return mergingBlocks(rows: codes.count, groupCount: groupCount, threads: threads) { range in
            aggregateBlock(codes: codes, range: range, groupCount: groupCount, classes: classes)
        }
    }

    /// One block, with the classes read where `classes` keeps them (beside the column's codes, or apart).
    static func aggregateBlock<Code: FixedWidthInteger & UnsignedInteger>(
        codes: [Code], codeStart: Int = 0, range: Range<Int>, groupCount: Int, classes: PairCounts.ColumnClasses
    ) -> [GroupStats] {
        switch classes.rows {
        case .combined(let combined):
            aggregateBlock(
                codes: codes, codeStart: codeStart, range: range, groupCount: groupCount, rowClasses: combined,
                classBits: classes.classBits)
        case .runs:
            // The class alone is wanted: the combined rows' low bits.
            unsafe classes.withCombinedRows(in: range) { combined, firstRow in
                unsafe aggregateBlock(
                    codes: codes, codeStart: codeStart, range: range, groupCount: groupCount, classBuffer: combined,
                    classStart: firstRow, classBits: classes.classBits)
            }
        case .apart(_, let rowClasses):
            aggregateBlock(
                codes: codes, codeStart: codeStart, range: range, groupCount: groupCount, rowClasses: rowClasses,
                classBits: classes.classBits)
        }
    }

    /// One block, as ``aggregateBlock(codes:codeStart:range:groupCount:outcomes:)`` counts it: counter
    /// `code << classBits | class`, the class being the low `classBits` bits of `rowClasses`, two copies of the
    /// counters (even and odd rows).
    @inline(__always)
    static func aggregateBlock<Code: FixedWidthInteger & UnsignedInteger, Class: FixedWidthInteger & UnsignedInteger>(
        codes: [Code], codeStart: Int, range: Range<Int>, groupCount: Int, rowClasses: [Class], classBits: Int
    ) -> [GroupStats] {
        unsafe rowClasses.withUnsafeBufferPointer { classBuffer in
            unsafe aggregateBlock(
                codes: codes, codeStart: codeStart, range: range, groupCount: groupCount, classBuffer: classBuffer,
                classStart: 0, classBits: classBits)
        }
    }

    /// ``aggregateBlock(codes:codeStart:range:groupCount:rowClasses:classBits:)`` with the classes from
    /// `classStart` on.
    @unsafe
    @inline(__always)
    static func aggregateBlock<Code: FixedWidthInteger & UnsignedInteger, Class: FixedWidthInteger & UnsignedInteger>(
        codes: [Code], codeStart: Int, range: Range<Int>, groupCount: Int, classBuffer: UnsafeBufferPointer<Class>,
        classStart: Int, classBits: Int
    ) -> [GroupStats] {
        precondition(
            range.lowerBound >= codeStart && range.upperBound - codeStart <= codes.count
                && range.lowerBound >= classStart && range.upperBound - classStart <= classBuffer.count,
            "rows out of range")
        let width = groupCount << classBits
        let mask = (1 << classBits) - 1
        var counters = [UInt32](repeating: 0, count: 2 * width)
        unsafe codes.withUnsafeBufferPointer { codeBuffer in
            unsafe counters.withUnsafeMutableBufferPointer { counts in
                unsafe countRows(range, into: counts, width: width) { row in
                    // Safe: row - codeStart < codes.count and row - classStart < classBuffer.count (checked
                    // above); the slot is checked below width.
                    let code = Int(unsafe codeBuffer[row &- codeStart])
                    let rowClass = Int(truncatingIfNeeded: unsafe classBuffer[row &- classStart]) & mask
                    let slot = code &<< classBits | rowClass
                    precondition(slot < width, "code out of range")
                    return slot
                }
            }
        }
        var stats = classStats(counters, groupCount: groupCount, classes: 1 << classBits)
        setZeroOneLoss(&stats)
        return stats
    }
}

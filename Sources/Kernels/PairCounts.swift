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

    /// The cells of one pair with their rows split by row class: `counts[cell << classBits | class]`, the class
    /// being whether the row failed (one bit) or its ``ConfusionCell`` and whether it failed
    /// (`cell << 1 | failed`, three bits).
    public struct ClassTable: Sendable, Equatable {
        /// Row classes of three bits: a ``ConfusionCell`` and the failure flag.
        public static let confusionClassBits = 3

        public var firstCount: Int
        public var secondCount: Int
        /// 1 (failed or not) or ``confusionClassBits``.
        public var classBits: Int
        public var counts: [Int]

        public init(firstCount: Int, secondCount: Int, classBits: Int, counts: [Int]) {
            precondition(counts.count == firstCount * secondCount << classBits, "one count per cell and class")
            self.firstCount = firstCount
            self.secondCount = secondCount
            self.classBits = classBits
            self.counts = counts
        }

        /// Rows and failing rows per cell.
        public var table: Table {
            let cells = firstCount * secondCount
            var rows = [Int](repeating: 0, count: cells)
            var failures = rows
            for (slot, count) in counts.enumerated() {
                rows[slot >> classBits] += count
                if slot & 1 == 1 { failures[slot >> classBits] += count }
            }
            return Table(firstCount: firstCount, secondCount: secondCount, rows: rows, failures: failures)
        }

        /// The statistics of each first code over every second code: what ``GroupBy/aggregate(codes:groupCount:outcomes:threads:)``
        /// gives for the first feature when the loss is the 0/1 failure indicator (and no regression error), with
        /// the confusion counts when the classes hold them.
        public func groupStats() -> [GroupStats] {
            let classes = 1 << classBits
            return (0..<firstCount).map { first in
                var stats = GroupStats()
                for second in 0..<secondCount {
                    let base = (first * secondCount + second) << classBits
                    for rowClass in 0..<classes {
                        let count = counts[base + rowClass]
                        stats.rows += count
                        if rowClass & 1 == 1 { stats.failures += count }
                        if classBits == Self.confusionClassBits { stats.confusion[rowClass >> 1] += count }
                    }
                }
                let failures = Double(stats.failures)
                stats.lossSum = failures
                stats.lossSquaredSum = failures
                stats.lossMax = failures > 0 ? 1 : 0
                return stats
            }
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
        first: BinCodes, firstCount: Int, second: BinCodes, secondCount: Int, failure: [UInt8], threads: Int
    ) -> Table {
        countPairs(
            features: [first, second], codeCounts: [firstCount, secondCount], pairs: [(0, 1)], failure: failure,
            threads: threads)[0]
    }

    /// The cells of one pair of features with one-byte codes.
    public static func count(
        first: [UInt8], firstCount: Int, second: [UInt8], secondCount: Int, failure: [UInt8], threads: Int
    ) -> Table {
        count(
            first: BinCodes(first), firstCount: firstCount, second: BinCodes(second), secondCount: secondCount,
            failure: failure, threads: threads)
    }

    /// The cells of one pair of features with two-byte codes.
    public static func count(
        first: [UInt16], firstCount: Int, second: [UInt16], secondCount: Int, failure: [UInt8], threads: Int
    ) -> Table {
        count(
            first: BinCodes(first), firstCount: firstCount, second: BinCodes(second), secondCount: secondCount,
            failure: failure, threads: threads)
    }

    /// The cells of every pair `(i, j)`, `i < j`, of `features`, in the order (0, 1), (0, 2), …, (1, 2), ….
    /// - Parameters:
    ///   - features: per feature, the code of each row, below its entry of `codeCounts`.
    public static func countAllPairs(
        features: [BinCodes], codeCounts: [Int], failure: [UInt8], threads: Int
    ) -> [Table] {
        countPairs(
            features: features, codeCounts: codeCounts, pairs: allPairs(features.count), failure: failure,
            threads: threads)
    }

    /// Every pair's cells, for one-byte codes.
    public static func countAllPairs(
        features: [[UInt8]], codeCounts: [Int], failure: [UInt8], threads: Int
    ) -> [Table] {
        countAllPairs(features: features.map(BinCodes.init), codeCounts: codeCounts, failure: failure, threads: threads)
    }

    /// Every pair's cells, for two-byte codes.
    public static func countAllPairs(
        features: [[UInt16]], codeCounts: [Int], failure: [UInt8], threads: Int
    ) -> [Table] {
        countAllPairs(features: features.map(BinCodes.init), codeCounts: codeCounts, failure: failure, threads: threads)
    }

    /// The cells of each feature (the tables' rows) against one other column (their columns), such as the time
    /// column's buckets: every feature in one parallel batch.
    /// - Precondition: as for ``count(first:firstCount:second:secondCount:failure:threads:)``, for every feature.
    public static func countAgainst(
        features: [BinCodes], codeCounts: [Int], column: BinCodes, columnCount: Int, failure: [UInt8], threads: Int
    ) -> [Table] {
        countPairs(
            features: features + [column], codeCounts: codeCounts + [columnCount],
            pairs: features.indices.map { ($0, features.count) }, failure: failure, threads: threads)
    }

    /// ``countAgainst(features:codeCounts:column:columnCount:failure:threads:)`` for two-byte codes.
    public static func countAgainst(
        features: [[UInt16]], codeCounts: [Int], column: [UInt16], columnCount: Int, failure: [UInt8], threads: Int
    ) -> [Table] {
        countAgainst(
            features: features.map(BinCodes.init), codeCounts: codeCounts, column: BinCodes(column),
            columnCount: columnCount, failure: failure, threads: threads)
    }

    /// ``countAgainst(features:codeCounts:column:columnCount:failure:threads:)`` with each cell's rows split by
    /// outcome: by failure, and by confusion cell when `confusion` is given (binary classification), so that the
    /// tables also hold every bin's 1-D statistics (``ClassTable/groupStats()``), for a 0/1 loss.
    /// - Precondition: as for ``countAgainst(features:codeCounts:column:columnCount:failure:threads:)``; `failure` is
    ///   0 or 1 and `confusion` (when given) a ``ConfusionCell`` per row.
    public static func countAgainst(
        features: [BinCodes], codeCounts: [Int], column: BinCodes, columnCount: Int, failure: [UInt8],
        confusion: [UInt8]?, threads: Int
    ) -> [ClassTable] {
        countAgainst(
            features: features, codeCounts: codeCounts,
            classes: ColumnClasses(
                column: column, columnCount: columnCount, failure: failure, confusion: confusion, threads: threads),
            threads: threads)
    }

    /// A column's codes with each row's class (failed or not, and the confusion cell when given), made once for
    /// any number of ``countAgainst(features:codeCounts:classes:threads:)`` calls: by the analysis's binning jobs, one
    /// feature each, as soon as the feature is binned.
    ///
    /// Held as `code << classBits | class` in two bytes a row when that fits; as runs of one code and a byte a row of
    /// classes when the column's codes also never decrease (a time axis in time order: at 10M rows 10 MB instead of
    /// 20, and nothing written without confusion cells, the failure flags being the classes), the combined rows then
    /// written a block at a time where a kernel reads them; else the codes and classes apart.
    public struct ColumnClasses: Sendable {
        public let columnCount: Int
        /// 1, or ``ClassTable/confusionClassBits``.
        public let classBits: Int
        public let rowCount: Int
        enum Rows: Sendable {
            /// `code << classBits | class` per row, when that fits two bytes.
            case combined([UInt16])
            /// When it fits two bytes and the codes never decrease: their runs, and each row's class (the failure
            /// flags themselves with one class bit, any non-zero flag a failure; else `cell << 1 | failed`).
            case runs(AscendingRuns, rowClasses: [UInt8])
            /// Otherwise the codes and the classes apart.
            case apart(column: BinCodes, rowClasses: [UInt8])
        }
        let rows: Rows

        /// - Precondition: one failure flag (and confusion cell, when given) per row of `column`, every code below
        ///   `columnCount`.
        public init(column: BinCodes, columnCount: Int, failure: [UInt8], confusion: [UInt8]?, threads: Int) {
            precondition(column.count == failure.count, "one failure flag per row")
            if let confusion { precondition(confusion.count == failure.count, "one confusion cell per row") }
            let classBits = confusion == nil ? 1 : ClassTable.confusionClassBits
            self.columnCount = columnCount
            self.classBits = classBits
            rowCount = failure.count
            guard columnCount << classBits <= 1 << 16 else {
                let rowClasses = zip(failure.indices, failure).map { row, flag in
                    let failed: UInt8 = flag != 0 ? 1 : 0
                    return confusion.map { ($0[row] & 3) << 1 | failed } ?? failed
                }
                rows = .apart(column: column.materialized(), rowClasses: rowClasses)
                return
            }
            // An ascending column (a dump in time order) is held as its runs: the combined rows are written a block
            // at a time where they are read (at 10M rows, 20 MB less held through the binning).
            if let runs = AscendingRuns(column, threads: threads) {
                // Ascending, the codes are below the count when the last is (the combined rows check every code).
                precondition(runs.codes.last.map { Int($0) < columnCount } ?? true, "code out of range")
                rows = .runs(
                    runs,
                    rowClasses: PairCounts.ColumnClasses.runClasses(
                        failure: failure, confusion: confusion, threads: threads))
                return
            }
            rows = .combined(
                PairCounts.columnClasses(
                    column: column, columnCount: columnCount, failure: failure, confusion: confusion, threads: threads))
        }

        /// Whether the classes hold the column's codes with the rows' classes (combined, or as ascending runs), not
        /// apart: ``withCombinedRows(in:_:)`` reads them.
        public var holdsColumnCodes: Bool {
            if case .apart = rows { return false }
            return true
        }

        /// The number of runs of one code when the column's codes never decrease and are held as runs, else nil.
        public var ascendingRunCount: Int? {
            guard case .runs(let runs, _) = rows else { return nil }
            return runs.codes.count
        }

        /// Each row's code combined with its class, `code << classBits | class` (bit 0 the failure), when they are
        /// held so (nil when they are kept apart, past two bytes, or as ascending runs).
        public var combinedRows: [UInt16]? {
            guard case .combined(let combined) = rows else { return nil }
            return combined
        }

        /// The confusion cell of each row (``ConfusionCell``), nil without ``ClassTable/confusionClassBits``: the
        /// cells the classes were made from, written a ``GroupBy/blockRows``-row block per job on `threads` threads.
        /// So the cells need not be kept beside the classes: the analysis lets them go while the binning counts, and
        /// takes them back from here.
        public func confusionCells(threads: Int) -> [UInt8]? {
            guard classBits == ClassTable.confusionClassBits else { return nil }
            func cells<Class: FixedWidthInteger & UnsignedInteger>(_ classes: [Class]) -> [UInt8] {
                let rows = rowCount
                let blockCount = (rows + GroupBy.blockRows - 1) / GroupBy.blockRows
                return unsafe [UInt8](writingCapacity: rows) { output, initialized in
                    let cells = unsafe output
                    _ = Parallel.map(count: blockCount, threads: threads) { block -> Bool in
                        let range = block * GroupBy.blockRows..<min((block + 1) * GroupBy.blockRows, rows)
                        unsafe classes.withUnsafeBufferPointer { classBuffer in
                            for row in range {
                                // Safe: row < rows, the count of the classes and of the output; each block is
                                // written by one worker only.
                                let cell = UInt8(truncatingIfNeeded: unsafe classBuffer[row] >> 1 & 3)
                                unsafe cells.initializeElement(at: row, to: cell)
                            }
                        }
                        return true
                    }
                    initialized = rows
                }
            }
            return switch rows {
            case .combined(let combined): cells(combined)
            case .runs(_, let rowClasses), .apart(_, let rowClasses): cells(rowClasses)
            }
        }

        /// The column's codes again, at one byte when `narrow`: each combined row shifted right by ``classBits``
        /// (the codes kept apart, else). So the column need not keep its own codes beside these.
        /// - Precondition: with `narrow`, every code below ``BinCodes/narrowCodeCount``.
        public func columnCodes(narrow: Bool) -> BinCodes {
            switch rows {
            case .apart(let column, _): return column
            case .runs(let runs, _):
                precondition(!narrow || columnCount <= BinCodes.narrowCodeCount, "column codes past one byte")
                return runs.expanded(narrow: narrow)
            case .combined(let combined):
                let shift = UInt16(classBits)
                guard narrow else { return BinCodes(combined.map { $0 >> shift }) }
                precondition(columnCount <= BinCodes.narrowCodeCount, "column codes past one byte")
                return BinCodes(combined.map { UInt8(truncatingIfNeeded: $0 >> shift) })
            }
        }
    }

    /// Each feature against the column of `classes`, each cell's rows split by class: as
    /// ``countAgainst(features:codeCounts:column:columnCount:failure:confusion:threads:)``.
    public static func countAgainst(
        features: [BinCodes], codeCounts: [Int], classes: ColumnClasses, threads: Int
    ) -> [ClassTable] {
        switch classes.rows {
        case .combined, .runs:
            return countAgainstColumnClasses(
                features: features, codeCounts: codeCounts, classes: classes, threads: threads)
        case .apart(let column, let rowClasses):
            return countPairsByClass(
                features: features + [column], codeCounts: codeCounts + [classes.columnCount],
                pairs: features.indices.map { ($0, features.count) }, rowClasses: rowClasses,
                classBits: classes.classBits, threads: threads)
        }
    }

    /// ``countAgainst(features:codeCounts:classes:threads:)`` of one feature whose codes are not kept: `recipe`
    /// writes each 64k-row block's codes as the block is counted, so that they never exist whole. Nil when the
    /// column's codes and classes are kept apart, or the rows are too many for the counters of one segment: the
    /// caller then writes the codes whole.
    /// - Parameter eachBlock: as for ``GroupBy/aggregate(blocksOf:groupCount:outcomes:eachBlock:)``; not called
    ///   when nil is returned.
    public static func countAgainst(
        blocksOf recipe: CodeRecipe, codeCount: Int, classes: ColumnClasses,
        eachBlock: (_ rows: Range<Int>, _ codes: BinCodes) -> Void = { _, _ in }
    ) -> ClassTable? {
        guard classes.holdsColumnCodes, classes.rowCount <= PeriodCounts.maximumSegmentRows else { return nil }
        precondition(recipe.count == classes.rowCount, "codes and row classes differ in length")
        precondition(
            codeCount > 0 && codeCount <= (recipe.isNarrow ? BinCodes.narrowCodeCount : 1 << 16),
            "code count out of range")
        precondition(codeCount * classes.columnCount <= maximumCells, "too many cells in a pair")
        let stride = classes.columnCount << classes.classBits
        let slots = codeCount * stride
        let odd = codeCount * classes.columnCount <= twoLaneCells ? slots : 0
        var counts = [UInt32](repeating: 0, count: slots + odd)
        recipe.forEachBlock { rows, codes in
            unsafe classes.withCombinedRows(in: rows) { classBuffer, firstRow in
                switch codes.storage {
                case .narrow(let codes):
                    unsafe addBlock(
                        codes: codes, rows: rows, classBuffer: classBuffer, classStart: firstRow, stride: stride,
                        odd: odd, into: &counts)
                case .wide(let codes):
                    unsafe addBlock(
                        codes: codes, rows: rows, classBuffer: classBuffer, classStart: firstRow, stride: stride,
                        odd: odd, into: &counts)
                case .remade: preconditionFailure("a recipe writes kept codes")
                }
            }
            eachBlock(rows, codes)
        }
        var total = [Int](repeating: 0, count: slots)
        // Two copies of the counters (even and odd rows) when the table is small: fold them.
        for (slot, counter) in counts.enumerated() { total[slot % slots] += Int(counter) }
        return ClassTable(
            firstCount: codeCount, secondCount: classes.columnCount, classBits: classes.classBits, counts: total)
    }

    /// Adds one block's rows to the counters of ``countAgainst(blocksOf:codeCount:classes:eachBlock:)``, as
    /// ``countSegment(codes:codeCount:classes:stride:twoLanes:rows:)`` counts them: `codes` are the block's own,
    /// the combined rows from `classStart` on.
    @unsafe
    @inline(__always)
    private static func addBlock<Code: FixedWidthInteger & UnsignedInteger>(
        codes: [Code], rows: Range<Int>, classBuffer: UnsafeBufferPointer<UInt16>, classStart: Int, stride: Int,
        odd: Int, into counts: inout [UInt32]
    ) {
        precondition(codes.count == rows.count, "one code per row")
        unsafe codes.withUnsafeBufferPointer { codeBuffer in
            unsafe counts.withUnsafeMutableBufferPointer { counters in
                unsafe addRows(
                    rows, codes: codeBuffer, codeStart: rows.lowerBound, classes: classBuffer, classStart: classStart,
                    stride: stride, odd: odd, into: counters)
            }
        }
    }

    /// Adds `rows` to the counters `code · stride + columnClass` (and, when `odd` is not 0, odd rows to the copy
    /// `odd` further on): the loop of every count against combined rows, the codes from `codeStart` on, the
    /// combined rows from `classStart` on.
    @unsafe
    @inline(__always)
    static func addRows<Code: FixedWidthInteger & UnsignedInteger>(
        _ rows: Range<Int>, codes codeBuffer: UnsafeBufferPointer<Code>, codeStart: Int,
        classes classBuffer: UnsafeBufferPointer<UInt16>, classStart: Int, stride: Int, odd: Int,
        into counters: UnsafeMutableBufferPointer<UInt32>
    ) {
        precondition(
            rows.lowerBound >= codeStart && rows.upperBound - codeStart <= codeBuffer.count
                && rows.lowerBound >= classStart && rows.upperBound - classStart <= classBuffer.count,
            "rows out of range")
        let slots = counters.count - odd
        // Safe: row - codeStart < codeBuffer.count and row - classStart < classBuffer.count (checked above); the
        // counter is checked below `slots`, and plus `odd` below counters.count.
        @inline(__always) func counter(_ row: Int) -> Int {
            let slot =
                Int(unsafe codeBuffer[row &- codeStart]) &* stride &+ Int(unsafe classBuffer[row &- classStart])
            precondition(slot < slots, "code out of range")
            return slot
        }
        unsafe GroupBy.countRows(rows, into: counters, width: odd, slot: counter)
    }

    /// Each row's column code and class as one number, `code << classBits | class`: what every feature's counter
    /// adds to its own code's offset, so that each feature's loop loads two codes a row, not three. The class is
    /// the failure (0 or 1), after the confusion cell when that is given (`classBits` 1, or
    /// ``ClassTable/confusionClassBits``). Made in one pass over 64k-row blocks on `threads` threads (a serial copy
    /// of the failures and a second pass took 40 ms at 10M rows).
    /// - Precondition: every code below `columnCount`, one failure (and confusion cell) per code, and
    ///   `columnCount << classBits` at most 2¹⁶.
    static func columnClasses(
        column: BinCodes, columnCount: Int, failure: [UInt8], confusion: [UInt8]?, threads: Int
    ) -> [UInt16] {
        let rows = failure.count
        precondition(column.count == rows, "one class per row")
        precondition(confusion?.count ?? rows == rows, "one confusion cell per row")
        let classBits = confusion == nil ? 1 : ClassTable.confusionClassBits
        precondition(columnCount << classBits <= 1 << 16, "column codes and classes past two bytes")
        let blockCount = (rows + GroupBy.blockRows - 1) / GroupBy.blockRows
        func combine<Code: FixedWidthInteger & UnsignedInteger>(_ codes: [Code]) -> [UInt16] {
            unsafe [UInt16](writingCapacity: rows) { output, initialized in
                let combined = unsafe output
                _ = Parallel.map(count: blockCount, threads: threads) { block -> Bool in
                    let range = block * GroupBy.blockRows..<min((block + 1) * GroupBy.blockRows, rows)
                    // Compared as Ints: 256 codes in one-byte storage would make a one-byte limit of 0.
                    @inline(__always) func write(_ row: Int, _ rowClass: UInt16) {
                        let code = codes[row]
                        precondition(Int(code) < columnCount, "code out of range")
                        // Safe: row < rows == the buffer's count; each block is written by one worker only.
                        unsafe combined.initializeElement(
                            at: row, to: UInt16(truncatingIfNeeded: code) << classBits | rowClass)
                    }
                    if let confusion {
                        for row in range {
                            write(row, UInt16(confusion[row] & 3) << 1 | (failure[row] != 0 ? 1 : 0))
                        }
                    } else {
                        for row in range { write(row, failure[row] != 0 ? 1 : 0) }
                    }
                    return true
                }
                initialized = rows
            }
        }
        switch column.storage {
        case .narrow(let codes): return combine(codes)
        case .wide(let codes): return combine(codes)
        case .remade(let recipe):
            // Codes not kept are written a block at a time, each combined as it is written: the column's codes are
            // never held whole beside the combined rows (at 10M rows, 10 MB less).
            return unsafe [UInt16](writingCapacity: rows) { output, initialized in
                let combined = unsafe output
                _ = Parallel.map(count: blockCount, threads: threads) { block -> Bool in
                    let range = block * GroupBy.blockRows..<min((block + 1) * GroupBy.blockRows, rows)
                    func write<Code: FixedWidthInteger & UnsignedInteger>(_ codes: [Code]) {
                        for (offset, row) in range.enumerated() {
                            let code = UInt16(truncatingIfNeeded: codes[offset])
                            precondition(Int(code) < columnCount, "code out of range")
                            let failed: UInt16 = failure[row] != 0 ? 1 : 0
                            let rowClass = confusion.map { UInt16($0[row] & 3) << 1 | failed } ?? failed
                            // Safe: row < rows == the buffer's count; each block is written by one worker only.
                            unsafe combined.initializeElement(at: row, to: code << classBits | rowClass)
                        }
                    }
                    switch recipe.codes(rows: range).storage {
                    case .narrow(let codes): write(codes)
                    case .wide(let codes): write(codes)
                    case .remade: preconditionFailure("a recipe writes kept codes")
                    }
                    return true
                }
                initialized = rows
            }
        }
    }

    /// ``countAgainst(features:codeCounts:column:columnCount:failure:confusion:threads:)`` from the column's codes
    /// and classes combined (``columnClasses(column:columnCount:failure:confusion:threads:)``): counter
    /// `code · (columnCount << classBits) + columnClass`, which is `(code · columnCount + columnCode) << classBits |
    /// class`, the ``ClassTable`` layout.
    static func countAgainstColumnClasses(
        features: [BinCodes], codeCounts: [Int], classes: ColumnClasses, threads: Int
    ) -> [ClassTable] {
        let columnCount = classes.columnCount
        let classBits = classes.classBits
        checkCodes(features, codeCounts: codeCounts, rows: classes.rowCount)
        precondition(codeCounts.allSatisfy { $0 * columnCount <= maximumCells }, "too many cells in a pair")
        guard !features.isEmpty else { return [] }
        // Codes not kept are written once for the whole count, not per segment.
        let features = BinCodes.materializedOnce(features)
        let stride = columnCount << classBits
        let segments = PeriodCounts.segmentRanges(
            rowCount: classes.rowCount, items: features.count, threads: threads)
        let counts = Parallel.map(count: features.count * segments.count, threads: threads) { item in
            let feature = item / segments.count
            let rows = segments[item % segments.count]
            return switch features[feature].storage {
            case .narrow(let codes):
                countSegment(
                    codes: codes, codeCount: codeCounts[feature], classes: classes, stride: stride,
                    twoLanes: codeCounts[feature] * columnCount <= twoLaneCells, rows: rows)
            case .wide(let codes):
                countSegment(
                    codes: codes, codeCount: codeCounts[feature], classes: classes, stride: stride,
                    twoLanes: codeCounts[feature] * columnCount <= twoLaneCells, rows: rows)
            case .remade: preconditionFailure("codes written above")
            }
        }
        return features.indices.map { feature in
            let slots = codeCounts[feature] * stride
            var total = [Int](repeating: 0, count: slots)
            for segment in segments.indices {
                // Two copies of the counters (even and odd rows) when the table is small: fold them.
                for (slot, counter) in counts[feature * segments.count + segment].enumerated() {
                    total[slot % slots] += Int(counter)
                }
            }
            return ClassTable(
                firstCount: codeCounts[feature], secondCount: columnCount, classBits: classBits, counts: total)
        }
    }

    /// The checks every counting entry makes of its features: a code count per feature, each in range for the
    /// codes' width, and a code per row.
    static func checkCodes(_ features: [BinCodes], codeCounts: [Int], rows: Int) {
        precondition(features.count == codeCounts.count, "one code count per feature")
        precondition(features.allSatisfy { $0.count == rows }, "codes and row classes differ in length")
        precondition(
            zip(features, codeCounts).allSatisfy { $1 > 0 && $1 <= ($0.isNarrow ? BinCodes.narrowCodeCount : 1 << 16) },
            "code count out of range")
    }

    /// The counters of one feature over `rows` (fewer than 2^32): `code · stride + columnClass` for every row, then
    /// the same again for odd rows when `twoLanes` (a small table).
    /// Combined rows held as ascending runs are written a ``GroupBy/blockRows``-row block at a time.
    @inline(__always)
    static func countSegment<Code: FixedWidthInteger & UnsignedInteger>(
        codes: [Code], codeCount: Int, classes: ColumnClasses, stride: Int, twoLanes: Bool, rows: Range<Int>
    ) -> [UInt32] {
        precondition(rows.count <= PeriodCounts.maximumSegmentRows, "segment too long for 32-bit counters")
        precondition(rows.upperBound <= classes.rowCount && rows.upperBound <= codes.count, "rows out of range")
        let slots = codeCount * stride
        let odd = twoLanes ? slots : 0
        var counts = [UInt32](repeating: 0, count: slots + odd)
        let pieces =
            classes.combinedRows != nil
            ? [rows]
            : Swift.stride(from: rows.lowerBound, to: rows.upperBound, by: GroupBy.blockRows).map {
                $0..<min($0 + GroupBy.blockRows, rows.upperBound)
            }
        unsafe codes.withUnsafeBufferPointer { codeBuffer in
            unsafe counts.withUnsafeMutableBufferPointer { counters in
                for piece in pieces {
                    unsafe classes.withCombinedRows(in: piece) { classBuffer, firstRow in
                        unsafe addRows(
                            piece, codes: codeBuffer, codeStart: 0, classes: classBuffer, classStart: firstRow,
                            stride: stride, odd: odd, into: counters)
                    }
                }
            }
        }
        return counts
    }

    /// The class-split ``countAgainst(features:codeCounts:column:columnCount:failure:confusion:threads:)`` for
    /// two-byte codes.
    public static func countAgainst(
        features: [[UInt16]], codeCounts: [Int], column: [UInt16], columnCount: Int, failure: [UInt8],
        confusion: [UInt8]?, threads: Int
    ) -> [ClassTable] {
        countAgainst(
            features: features.map(BinCodes.init), codeCounts: codeCounts, column: BinCodes(column),
            columnCount: columnCount, failure: failure, confusion: confusion, threads: threads)
    }

    /// The pairs `(i, j)`, `i < j < count`, in lexicographic order.
    static func allPairs(_ count: Int) -> [(Int, Int)] {
        (0..<count).flatMap { i in (i + 1..<count).map { (i, $0) } }
    }

    static func countPairs(
        features: [BinCodes], codeCounts: [Int], pairs: [(Int, Int)], failure: [UInt8], threads: Int
    ) -> [Table] {
        countPairsByClass(
            features: features, codeCounts: codeCounts, pairs: pairs, rowClasses: failure, classBits: 1,
            threads: threads
        ).map(\.table)
    }

    /// Every pair's cells with each cell's rows split by row class (`classBits` bits of `rowClasses`; with one
    /// bit, the class is whether the byte is non-zero).
    static func countPairsByClass(
        features: [BinCodes], codeCounts: [Int], pairs: [(Int, Int)], rowClasses: [UInt8], classBits: Int,
        threads: Int
    ) -> [ClassTable] {
        checkCodes(features, codeCounts: codeCounts, rows: rowClasses.count)
        precondition(
            pairs.allSatisfy { codeCounts[$0.0] * codeCounts[$0.1] <= maximumCells }, "too many cells in a pair")
        precondition(classBits == 1 || classBits == ClassTable.confusionClassBits, "one or three class bits")
        guard !pairs.isEmpty else { return [] }
        // Codes not kept are written once for the whole count, not per segment, one feature per thread.
        let features = Parallel.map(count: features.count, threads: threads) { features[$0].materialized() }
        let segments = PeriodCounts.segmentRanges(rowCount: rowClasses.count, items: pairs.count, threads: threads)
        let counts = Parallel.map(count: pairs.count * segments.count, threads: threads) { item in
            let (first, second) = pairs[item / segments.count]
            let cells = codeCounts[first] * codeCounts[second]
            let rows = segments[item % segments.count]
            return classBits == 1
                ? countSegment(
                    first: features[first], second: features[second], secondCount: codeCounts[second], cells: cells,
                    rowClasses: rowClasses, classBits: 1, rows: rows
                ) { $0 != 0 ? 1 : 0 }
                : countSegment(
                    first: features[first], second: features[second], secondCount: codeCounts[second], cells: cells,
                    rowClasses: rowClasses, classBits: ClassTable.confusionClassBits, rows: rows
                ) { Int($0 & 7) }
        }
        let classes = 1 << classBits
        return pairs.indices.map { pair in
            let firstCount = codeCounts[pairs[pair].0]
            let secondCount = codeCounts[pairs[pair].1]
            let slots = firstCount * secondCount * classes
            var total = [Int](repeating: 0, count: slots)
            for segment in segments.indices {
                // Two copies of the counters (even and odd rows) when the table is small: fold them.
                for (slot, counter) in counts[pair * segments.count + segment].enumerated() {
                    total[slot % slots] += Int(counter)
                }
            }
            return ClassTable(firstCount: firstCount, secondCount: secondCount, classBits: classBits, counts: total)
        }
    }

    /// The counters of one pair over `rows` (fewer than 2^32): `cell << classBits | rowClass(byte)` for every cell,
    /// then the same again for odd rows when the table is small. The loop is specialised for the two features'
    /// code widths.
    @inline(__always)
    static func countSegment(
        first: BinCodes, second: BinCodes, secondCount: Int, cells: Int, rowClasses: [UInt8], classBits: Int,
        rows: Range<Int>, rowClass: (UInt8) -> Int
    ) -> [UInt32] {
        switch (first.storage, second.storage) {
        case (.narrow(let a), .narrow(let b)):
            countSegment(
                first: a, second: b, secondCount: secondCount, cells: cells, rowClasses: rowClasses,
                classBits: classBits, rows: rows, rowClass: rowClass)
        case (.narrow(let a), .wide(let b)):
            countSegment(
                first: a, second: b, secondCount: secondCount, cells: cells, rowClasses: rowClasses,
                classBits: classBits, rows: rows, rowClass: rowClass)
        case (.wide(let a), .narrow(let b)):
            countSegment(
                first: a, second: b, secondCount: secondCount, cells: cells, rowClasses: rowClasses,
                classBits: classBits, rows: rows, rowClass: rowClass)
        case (.wide(let a), .wide(let b)):
            countSegment(
                first: a, second: b, secondCount: secondCount, cells: cells, rowClasses: rowClasses,
                classBits: classBits, rows: rows, rowClass: rowClass)
        case (.remade, _), (_, .remade): preconditionFailure("codes written by the caller")
        }
    }

    @inline(__always)
    static func countSegment<First: FixedWidthInteger & UnsignedInteger, Second: FixedWidthInteger & UnsignedInteger>(
        first: [First], second: [Second], secondCount: Int, cells: Int, rowClasses: [UInt8], classBits: Int,
        rows: Range<Int>, rowClass: (UInt8) -> Int
    ) -> [UInt32] {
        precondition(rows.count <= PeriodCounts.maximumSegmentRows, "segment too long for 32-bit counters")
        precondition(rows.upperBound <= rowClasses.count, "rows out of range")
        let slots = cells << classBits
        let odd = cells <= twoLaneCells ? slots : 0
        var counts = [UInt32](repeating: 0, count: slots + odd)
        unsafe first.withUnsafeBufferPointer { firstBuffer in
            unsafe second.withUnsafeBufferPointer { secondBuffer in
                unsafe rowClasses.withUnsafeBufferPointer { classBuffer in
                    unsafe counts.withUnsafeMutableBufferPointer { counters in
                        // Safe: row < rowClasses.count == first.count == second.count; the cell is checked below
                        // `cells` and rowClass(_:) is below 2^classBits, so a counter index is below `slots`, and
                        // plus `odd` below counters.count. (One comparison in release builds: a second code past its
                        // count but inside the table is only caught in debug: checking both codes cost 12% of the time
                        // analysis at 10M rows, this 6%.)
                        @inline(__always) func counter(_ row: Int) -> Int {
                            let a = Int(unsafe firstBuffer[row])
                            let b = Int(unsafe secondBuffer[row])
                            assert(b < secondCount, "code out of range")
                            precondition(a &* secondCount &+ b < cells, "code out of range")
                            return (a &* secondCount &+ b) &<< classBits | rowClass(unsafe classBuffer[row])
                        }
                        unsafe GroupBy.countRows(rows, into: counters, width: odd, slot: counter)
                    }
                }
            }
        }
        return counts
    }
}

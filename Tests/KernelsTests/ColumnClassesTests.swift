import Kernels
import Testing
import _TestSupport

/// A column combined with the rows' classes stands in for the confusion cells while the analysis bins and counts:
/// what the kernels count from it must equal what they count from the outcomes it was made from, and the cells must
/// come back from it unchanged.
struct ColumnClassesTests {
    /// The lengths, and past one block.
    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 65_537, 200_003]

    struct Input {
        let codes: BinCodes
        let codeCount: Int
        /// Failure flags of several non-zero values (any counts as a failure).
        let flags: [UInt8]
        let outcomes: RowOutcomes
        let classes: PairCounts.ColumnClasses
    }

    /// Seeded codes of `codeCount` groups, failures (about a third), confusion cells when `confusion`, and a column
    /// of `columnCount` codes: 90 combine with the classes in two bytes, 40,000 do not (the classes are kept apart).
    /// With `ascending`, the column's codes are sorted (a dump in time order): the classes hold them as runs.
    static func input(
        length: Int, codeCount: Int, columnCount: Int, confusion: Bool, ascending: Bool = false, seed: UInt64
    ) -> Input {
        var random = SeededRandom(seed: seed)
        let flags = (0..<length).map { _ in random.next() % 3 == 0 ? UInt8(1 + random.next() % 3) : 0 }
        let cells: [UInt8]? = confusion ? (0..<length).map { _ in UInt8(random.next() % 4) } : nil
        let drawn = (0..<length).map { _ in UInt16(random.next() % UInt64(columnCount)) }
        let column = ascending ? drawn.sorted() : drawn
        let wide = (0..<length).map { _ in UInt16(random.next() % UInt64(codeCount)) }
        let classes = PairCounts.ColumnClasses(
            column: BinCodes(column, codeCount: columnCount), columnCount: columnCount, failure: flags,
            confusion: cells, threads: 2)
        let outcomes = RowOutcomes(
            failure: flags.map { $0 != 0 ? 1 : 0 }, loss: nil, signedError: nil, confusion: cells)
        return Input(
            codes: BinCodes(wide, codeCount: codeCount), codeCount: codeCount, flags: flags, outcomes: outcomes,
            classes: classes)
    }

    @Test(arguments: lengths, [false, true])
    func theConfusionCellsComeBack(length: Int, confusion: Bool) {
        for columnCount in [90, 40_000] {
            for ascending in [false, true] {
                let input = Self.input(
                    length: length, codeCount: 7, columnCount: columnCount, confusion: confusion, ascending: ascending,
                    seed: UInt64(length) &+ 3)
                let label = "\(columnCount) column codes, ascending \(ascending)"
                #expect(input.classes.holdsColumnCodes == (columnCount == 90), "\(label)")
                // Sorted codes are held as runs (so are few rows that happen to be in order); others combined.
                let column = Array(input.classes.columnCodes(narrow: false))
                let runs = columnCount == 90 && column == column.sorted()
                if ascending && columnCount == 90 { #expect(runs) }
                #expect((input.classes.ascendingRunCount != nil) == runs, "\(label)")
                #expect(input.classes.ascendingRunCount.map { $0 == Set(column).count } ?? true, "\(label)")
                #expect((input.classes.combinedRows != nil) == (columnCount == 90 && !runs), "\(label)")
                for threads in [1, 3] {
                    #expect(
                        input.classes.confusionCells(threads: threads) == input.outcomes.confusion,
                        "\(label), \(threads) threads")
                }
                if let combined = input.classes.combinedRows {
                    // Bit 0 of a combined row is its failure.
                    #expect(combined.map { UInt8($0 & 1) } == input.outcomes.failure)
                }
            }
        }
    }

    /// The column's own statistics from its classes alone are the group-by of its codes against the outcomes.
    @Test(arguments: lengths, [false, true])
    func theColumnsStatisticsComeFromItsClasses(length: Int, confusion: Bool) {
        for columnCount in [90, 40_000] {
            for ascending in [false, true] {
                let input = Self.input(
                    length: length, codeCount: 7, columnCount: columnCount, confusion: confusion,
                    ascending: ascending, seed: UInt64(length) &+ 13)
                let column = input.classes.columnCodes(narrow: columnCount <= BinCodes.narrowCodeCount)
                let expected = GroupBy.aggregate(
                    codes: column, groupCount: columnCount, outcomes: input.outcomes, threads: 1)
                for threads in [1, 2, 3] {
                    let counted = GroupBy.aggregate(columnOf: input.classes, threads: threads)
                    #expect(counted == expected, "\(columnCount) column codes, \(threads) threads, \(ascending)")
                }
            }
        }
    }

    /// Counted from the classes, every group's statistics are the group-by's of the outcomes, to the bit: for
    /// one-byte and two-byte codes, whole or written a block at a time, on any number of threads.
    @Test(arguments: lengths, [false, true])
    func groupByOfTheClassesIsTheGroupByOfTheOutcomes(length: Int, confusion: Bool) {
        for (codeCount, columnCount) in [(7, 90), (300, 90), (7, 40_000)] {
            for ascending in [false, true] {
                let input = Self.input(
                    length: length, codeCount: codeCount, columnCount: columnCount, confusion: confusion,
                    ascending: ascending, seed: UInt64(length) &+ 11)
                let expected = GroupBy.aggregate(
                    codes: input.codes, groupCount: codeCount, outcomes: input.outcomes, threads: 1)
                let label = "\(codeCount) codes, \(columnCount) column codes, ascending \(ascending)"
                for threads in [1, 2, 3] {
                    let counted = GroupBy.aggregate(
                        codes: input.codes, groupCount: codeCount, classes: input.classes, threads: threads)
                    #expect(counted == expected, "\(label), \(threads) threads")
                }
                let blocks = GroupBy.aggregate(
                    blocksOf: BlockCodesTests.recipe(input.codes, blocks: true), groupCount: codeCount,
                    classes: input.classes)
                #expect(blocks == expected, "\(label), by blocks")
                if codeCount <= BinCodes.narrowCodeCount {
                    let narrow = BinCodes(input.codes.map { UInt8($0) })
                    #expect(narrow.isNarrow)
                    let counted = GroupBy.aggregate(
                        codes: narrow, groupCount: codeCount, classes: input.classes, threads: 2)
                    #expect(counted == expected, "\(label), one-byte codes")
                }
            }
        }
    }

    /// A column whose codes are not kept is combined with the classes a block at a time: the same rows as from its
    /// codes written whole; and codes written back a block per thread are the codes.
    @Test(arguments: lengths, [false, true])
    func codesNotKeptCombineAsWrittenOnes(length: Int, confusion: Bool) {
        for columnCount in [90, 200] {
            for ascending in [false, true] {
                let input = Self.input(
                    length: length, codeCount: 7, columnCount: columnCount, confusion: confusion,
                    ascending: ascending, seed: UInt64(length) &+ 17)
                let column = input.classes.columnCodes(narrow: columnCount <= BinCodes.narrowCodeCount)
                let remade = BinCodes(remadeBy: BlockCodesTests.recipe(column, blocks: true))
                let classes = PairCounts.ColumnClasses(
                    column: remade, columnCount: columnCount, failure: input.flags, confusion: input.outcomes.confusion,
                    threads: 3)
                #expect(classes.combinedRows == input.classes.combinedRows, "\(columnCount) column codes")
                #expect(classes.ascendingRunCount == input.classes.ascendingRunCount, "\(columnCount) column codes")
                #expect(classes.columnCodes(narrow: column.isNarrow) == column, "\(columnCount) column codes")
                for threads in [1, 2, 3] {
                    let written = remade.materialized(threads: threads)
                    #expect(!written.isRemade && written.isNarrow == column.isNarrow)
                    #expect(written == column, "\(columnCount) column codes, \(threads) threads")
                }
            }
        }
    }

    /// A column code at or past the column's count stops the process, held as runs (ascending) as when combined:
    /// it would be counted in another code's cells.
    @Test func aColumnCodeOutOfRangeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = PairCounts.ColumnClasses(
                column: BinCodes([UInt8]([0, 0, 1, 5])), columnCount: 3, failure: [0, 1, 0, 1], confusion: nil,
                threads: 1)
        }
        await #expect(processExitsWith: .failure) {
            _ = PairCounts.ColumnClasses(
                column: BinCodes([UInt8]([5, 0, 1, 0])), columnCount: 3, failure: [0, 1, 0, 1], confusion: nil,
                threads: 1)
        }
    }

    /// A column out of order only in its last block, its codes not kept: the combined rows, not runs, and the same
    /// statistics as its codes written whole.
    @Test func aColumnOutOfOrderLateIsCombined() {
        let rows = 3 * GroupBy.blockRows + 17
        var codes = (0..<rows).map { UInt8($0 * 90 / rows) }
        codes[rows - 5] = 0
        let failure = (0..<rows).map { UInt8($0 % 7 == 0 ? 1 : 0) }
        let remade = BinCodes(remadeBy: BlockCodesTests.recipe(BinCodes(codes), blocks: true))
        let classes = PairCounts.ColumnClasses(
            column: remade, columnCount: 90, failure: failure, confusion: nil, threads: 2)
        #expect(classes.ascendingRunCount == nil && classes.combinedRows != nil)
        // Out of order only across a block boundary: each block ascends on its own.
        var acrossBlocks = codes.sorted()
        acrossBlocks[GroupBy.blockRows] = 0
        let across = PairCounts.ColumnClasses(
            column: BinCodes(remadeBy: BlockCodesTests.recipe(BinCodes(acrossBlocks), blocks: true)),
            columnCount: 90, failure: failure, confusion: nil, threads: 2)
        #expect(across.ascendingRunCount == nil && across.combinedRows != nil)
        let sorted = PairCounts.ColumnClasses(
            column: BinCodes(remadeBy: BlockCodesTests.recipe(BinCodes(codes.sorted()), blocks: true)),
            columnCount: 90, failure: failure, confusion: nil, threads: 2)
        #expect(sorted.ascendingRunCount == 90)
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        #expect(
            GroupBy.aggregate(columnOf: classes, threads: 2)
                == GroupBy.aggregate(codes: BinCodes(codes), groupCount: 90, outcomes: outcomes, threads: 1))
        #expect(
            GroupBy.aggregate(columnOf: sorted, threads: 2)
                == GroupBy.aggregate(codes: BinCodes(codes.sorted()), groupCount: 90, outcomes: outcomes, threads: 1))
    }

    /// Two hand-worked groups: every class of the confusion layout lands in its cell, the failures are the odd
    /// classes, and the 0/1 loss sums are the failures.
    @Test func handWorkedGroups() {
        // Rows: (code, failure, cell) with cells TP 0, FP 1, TN 2, FN 3.
        let rows: [(UInt16, UInt8, UInt8)] = [(0, 0, 0), (0, 1, 1), (0, 0, 2), (1, 1, 3), (1, 1, 3), (1, 0, 2)]
        let classes = PairCounts.ColumnClasses(
            column: BinCodes([UInt8](repeating: 4, count: rows.count)), columnCount: 5, failure: rows.map(\.1),
            confusion: rows.map(\.2), threads: 1)
        let stats = GroupBy.aggregate(
            codes: BinCodes(rows.map(\.0)), groupCount: 2, classes: classes, threads: 1)
        #expect(stats[0].rows == 3 && stats[0].failures == 1 && stats[0].confusion == SIMD4(1, 1, 1, 0))
        #expect(stats[1].rows == 3 && stats[1].failures == 2 && stats[1].confusion == SIMD4(0, 0, 1, 2))
        #expect(stats[1].lossSum == 2 && stats[1].lossSquaredSum == 2 && stats[1].lossMax == 1)
        #expect(stats[0].absoluteErrorSum == 0 && stats[0].signedErrorSum == 0)
    }
}

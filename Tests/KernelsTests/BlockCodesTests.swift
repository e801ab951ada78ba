import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// Codes written a block at a time (``CodeRecipe/codes(rows:)``) and counted as they are written: each block is the
/// same range of the whole column's codes, and the counts equal those of the codes written whole.
struct BlockCodesTests {
    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 65_535, 65_536, 65_537, 140_003]

    /// Ranges of `count` rows at and around word and block edges, and the whole.
    static func ranges(_ count: Int) -> [Range<Int>] {
        var bounds = [0, 1, 63, 64, 65, 127, 2048, 65_535, 65_536, 65_537, count - 1, count]
        bounds = bounds.filter { $0 >= 0 && $0 <= count }
        var ranges: [Range<Int>] = []
        for low in bounds { for high in bounds where high >= low { ranges.append(low..<high) } }
        return ranges
    }

    /// Values with NaN, infinities and a validity bitmap that is all valid, none, or mixed.
    static func column(_ count: Int, validity shape: Int, seed: UInt64) -> ([Double], ValidityBitmap?) {
        var random = SeededRandom(seed: seed)
        let values = (0..<count).map { _ -> Double in
            switch random.next() % 40 {
            case 0: .nan
            case 1: .infinity
            case 2: -.infinity
            default: (random.unit() * 100).rounded() / 4
            }
        }
        return (values, validity(count, shape: shape, random: &random))
    }

    /// No bitmap (0), every row missing (1), or about one row in `oneIn` missing (2).
    static func validity(_ count: Int, shape: Int, oneIn: UInt64 = 5, random: inout SeededRandom) -> ValidityBitmap? {
        switch shape {
        case 0: nil
        case 1: ValidityBitmap(count: count, allValid: false)
        default: ValidityBitmap((0..<count).map { _ in random.next() % oneIn != 0 })
        }
    }

    @Test(arguments: lengths, [0, 1, 2])
    func intervalCodesOfARangeAreThatRangeOfTheWholeColumns(count: Int, validity shape: Int) {
        let (values, validity) = Self.column(count, validity: shape, seed: UInt64(count) &* 31 &+ UInt64(shape))
        let doubles = ColumnBuffer(values)
        let integers = ColumnBuffer(values.map { $0.isFinite ? Int64($0 * 4) : 7 })
        let edges = [0.0, 10, 25.5, 40, 99.75]
        Self.expectEachRange(of: count, "narrow") {
            Binning.assign(values: doubles, validity: validity, edges: edges, missingCode: UInt8(9), rows: $0)
        }
        Self.expectEachRange(of: count, "wide") {
            Binning.assign(values: doubles, validity: validity, edges: edges, missingCode: UInt16(300), rows: $0)
        }
        Self.expectEachRange(of: count, "integers") {
            Binning.assign(values: integers, validity: validity, edges: edges, missingCode: UInt8(9), rows: $0)
        }
    }

    /// Expects the codes `ofRows` writes for each range of ``ranges(_:)`` to be that range of its codes of all rows.
    static func expectEachRange<Code: Equatable>(of count: Int, _ label: String, _ ofRows: (Range<Int>?) -> [Code]) {
        let whole = ofRows(nil)
        #expect(whole.count == count, "\(label)")
        for rows in ranges(count) { #expect(ofRows(rows) == Array(whole[rows]), "\(label) \(rows)") }
    }

    @Test(arguments: lengths, [0, 1, 2])
    func remappedCodesOfARangeAreThatRangeOfTheWholeColumns(count: Int, validity shape: Int) {
        var random = SeededRandom(seed: UInt64(count) &+ 77)
        let entries = 20
        let codes = ColumnBuffer((0..<count).map { _ in UInt32(random.next() % UInt64(entries)) })
        let validity = Self.validity(count, shape: shape, oneIn: 3, random: &random)
        let narrowTable = (0..<entries).map { UInt8(($0 * 7) % 11) }
        let wideTable = (0..<entries).map { UInt16($0 * 300) }
        Self.expectEachRange(of: count, "narrow") {
            CategoryCodes.remap(codes: codes, validity: validity, table: narrowTable, missingCode: UInt8(11), rows: $0)
        }
        Self.expectEachRange(of: count, "wide") {
            CategoryCodes.remap(codes: codes, validity: validity, table: wideTable, missingCode: UInt16(9999), rows: $0)
        }
    }

    /// A numeric column's codes by value, for each of `CategoryCodes.assign`'s paths: few float values (the
    /// bin-assignment kernel), many (a search per row), integers in a narrow span (a table) and in a wide one (the
    /// search). Some present values are not among the distinct ones (the missing code, or the count below).
    @Test(arguments: lengths, [0, 1, 2])
    func categoryCodesOfARangeAreThatRangeOfTheWholeColumns(count: Int, validity shape: Int) {
        let (values, validity) = Self.column(count, validity: shape, seed: UInt64(count) &* 37 &+ UInt64(shape))
        let doubles = ColumnBuffer(values)
        let few = stride(from: 0.0, through: 25, by: 1.25).map { $0 }
        let many = stride(from: 0.0, through: 100, by: 0.5).map { $0 }
        let integers = ColumnBuffer(values.map { $0.isFinite ? Int64($0 * 4) : -3 })
        let narrowSpan = stride(from: 0.0, through: 400, by: 2).map { $0 }
        let wideSpan = narrowSpan + [1e6]
        for (label, distinct) in [("few", few), ("many", many)] {
            Self.expectEachRange(of: count, "floats, \(label), narrow") {
                CategoryCodes.assign(
                    values: doubles, validity: validity, sortedDistinct: distinct, missingCode: UInt8(250), rows: $0)
            }
            Self.expectEachRange(of: count, "floats, \(label), wide") {
                CategoryCodes.assign(
                    values: doubles, validity: validity, sortedDistinct: distinct, missingCode: UInt16(999), rows: $0)
            }
        }
        for (label, distinct) in [("narrow span", narrowSpan), ("wide span", wideSpan)] {
            Self.expectEachRange(of: count, "integers, \(label)") {
                CategoryCodes.assign(
                    values: integers, validity: validity, sortedDistinct: distinct, missingCode: UInt16(999), rows: $0)
            }
        }
    }

    /// A recipe over `codes`, writing blocks by slicing them (or, without `blocks`, one row at a time).
    static func recipe(_ codes: BinCodes, blocks: Bool) -> CodeRecipe {
        let kept = codes
        @Sendable func block(_ rows: Range<Int>) -> BinCodes {
            switch kept.storage {
            case .narrow(let all): return BinCodes(Array(all[rows]))
            case .wide(let all): return BinCodes(Array(all[rows]))
            case .remade: return kept.materialized()
            }
        }
        guard blocks else {
            return CodeRecipe(count: codes.count, isNarrow: codes.isNarrow, all: { kept }) { kept[$0] }
        }
        return CodeRecipe(count: codes.count, isNarrow: codes.isNarrow, all: { kept }, block: block) { kept[$0] }
    }

    @Test(arguments: lengths, GroupByTests.Shape.allCases)
    func blockCountsEqualTheCountsOfTheWholeCodes(count: Int, shape: GroupByTests.Shape) {
        for groupCount in [1, 7, 300] {
            let input = GroupByTests.input(length: count, groupCount: groupCount, shape: shape, seed: UInt64(count))
            let codes = BinCodes(input.codes, codeCount: groupCount)
            let whole = GroupBy.aggregate(codes: codes, groupCount: groupCount, outcomes: input.outcomes, threads: 2)
            for blocks in [true, false] {
                let recipe = Self.recipe(codes, blocks: blocks)
                #expect(recipe.writesBlocks == blocks)
                let counted = GroupBy.aggregate(blocksOf: recipe, groupCount: groupCount, outcomes: input.outcomes)
                // The same blocks, merged in the same order: equal to the bit.
                #expect(counted == whole, "\(groupCount) groups, blocks \(blocks)")
            }
        }
    }

    @Test(arguments: lengths, [false, true])
    func blockTablesEqualTheTablesOfTheWholeCodes(count: Int, confusion: Bool) throws {
        var random = SeededRandom(seed: UInt64(count) &+ 5)
        let failure = (0..<count).map { _ in UInt8(random.next() % 3 == 0 ? 1 : 0) }
        let cells: [UInt8]? = confusion ? (0..<count).map { _ in UInt8(random.next() % 4) } : nil
        let axisCodes = (0..<count).map { _ in UInt8(random.next() % 12) }
        // A small table (two lanes of counters) and a large one (one lane).
        let features = [5, 3000].map { codeCount in
            BinCodes((0..<count).map { _ in UInt16(random.next() % UInt64(codeCount)) }, codeCount: codeCount)
        }
        // The axis in any order (combined with the classes), and ascending (held as runs).
        for axis in [axisCodes, axisCodes.sorted()] {
            let classes = PairCounts.ColumnClasses(
                column: BinCodes(axis), columnCount: 12, failure: failure, confusion: cells, threads: 1)
            for (codeCount, codes) in zip([5, 3000], features) {
                let whole = PairCounts.countAgainst(
                    features: [codes], codeCounts: [codeCount], classes: classes, threads: 2)[0]
                let counted = try #require(
                    PairCounts.countAgainst(
                        blocksOf: Self.recipe(codes, blocks: true), codeCount: codeCount, classes: classes))
                #expect(counted == whole, "\(codeCount) codes, runs \(classes.ascendingRunCount ?? -1)")
                // The scalar count of each cell and class.
                var expected = [Int](repeating: 0, count: codeCount * 12 << classes.classBits)
                for row in 0..<count {
                    let failed = failure[row] != 0 ? 1 : 0
                    let rowClass = cells.map { Int($0[row]) << 1 | failed } ?? failed
                    expected[(Int(codes[row]) * 12 + Int(axis[row])) << classes.classBits | rowClass] += 1
                }
                #expect(whole.counts == expected, "\(codeCount) codes, runs \(classes.ascendingRunCount ?? -1)")
            }
        }
    }

    /// The rows of ascending lists picked from the blocks as they are counted are the rows' codes, as
    /// ``BinCodes/gathered(_:)`` takes them from the whole codes; lists out of order are refused.
    @Test(arguments: lengths)
    func rowsPickedFromTheBlocksAreTheirCodes(count: Int) {
        var random = SeededRandom(seed: UInt64(count) &+ 11)
        let outcomes = RowOutcomes(
            failure: (0..<count).map { _ in UInt8(random.next() % 2) }, loss: nil, signedError: nil, confusion: nil)
        let lists: [[Int]] = [
            [], Array(stride(from: 0, to: count, by: 50)), (0..<count).filter { _ in random.next() % 97 == 0 },
            count > 0 ? [count - 1] : [],
        ]
        for codeCount in [9, 400] {
            let codes = BinCodes(
                (0..<count).map { _ in UInt16(random.next() % UInt64(codeCount)) }, codeCount: codeCount)
            for useTable in [false, true] {
                var gatherings = lists.map { BinCodes.Gathering(rows: $0, isNarrow: codes.isNarrow) }
                let eachBlock = { (rows: Range<Int>, block: BinCodes) in
                    for index in gatherings.indices { gatherings[index].add(block, rows: rows) }
                }
                if useTable {
                    let classes = PairCounts.ColumnClasses(
                        column: BinCodes([UInt8](repeating: 0, count: count)), columnCount: 1,
                        failure: outcomes.failure, confusion: nil, threads: 1)
                    _ = PairCounts.countAgainst(
                        blocksOf: Self.recipe(codes, blocks: true), codeCount: codeCount, classes: classes,
                        eachBlock: eachBlock)
                } else {
                    _ = GroupBy.aggregate(
                        blocksOf: Self.recipe(codes, blocks: true), groupCount: codeCount, outcomes: outcomes,
                        eachBlock: eachBlock)
                }
                for (list, gathering) in zip(lists, gatherings) {
                    #expect(gathering.codes == codes.gathered(list), "\(codeCount) codes, \(list.count) rows")
                }
            }
        }
        #expect(BinCodes.Gathering.isAscending([1, 2, 5]))
        #expect(!BinCodes.Gathering.isAscending([1, 5, 5]))
        #expect(!BinCodes.Gathering.isAscending([3, 2]))
    }
}

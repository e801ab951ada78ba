import ColumnStore
import Kernels
import Testing
import _TestSupport

/// One-byte codes against two-byte codes: `BinCodes` itself, every kernel that reads codes (the counts must be equal
/// whatever the widths, mixed widths included), and every kernel that writes them (the same codes at either width).
struct BinCodesTests {
    static let lengths = [0, 1, 7, 8, 9, 63, 64, 65, 2047, 2048, 2049, 4097, 100_003]

    static func codes(length: Int, codeCount: Int, random: inout SeededRandom) -> [UInt16] {
        (0..<length).map { _ in UInt16(random.next() % UInt64(codeCount)) }
    }

    static func failures(length: Int, random: inout SeededRandom) -> [UInt8] {
        (0..<length).map { _ in random.unit() < 0.3 ? 1 : 0 }
    }

    // MARK: - The type

    @Test func narrowsUpTo256CodesAndReadsTheSameCodes() {
        var random = SeededRandom(seed: 1)
        let wide = Self.codes(length: 1_000, codeCount: 256, random: &random)
        let narrow = BinCodes(wide, codeCount: 256)
        #expect(narrow.isNarrow)
        #expect(Array(narrow) == wide)
        #expect(narrow.wide == wide)
        #expect(narrow == BinCodes(wide))
        #expect(BinCodes(wide) == narrow)
        #expect(!BinCodes(wide, codeCount: 257).isNarrow)
        #expect(BinCodes(wide, codeCount: 257) == narrow)
        #expect(BinCodes.isNarrow(codeCount: 256) && !BinCodes.isNarrow(codeCount: 257))
        var changed = wide
        changed[999] = changed[999] == 0 ? 1 : 0
        #expect(BinCodes(changed, codeCount: 256) != narrow)
        #expect(BinCodes(changed) != narrow)
        #expect(BinCodes(Array(wide.dropLast())) != narrow)
    }

    @Test func gathersAndCompactsAtTheStoredWidth() {
        var random = SeededRandom(seed: 2)
        let wide = Self.codes(length: 500, codeCount: 40, random: &random)
        let rows = (0..<200).map { _ in Int(random.next() % 500) }
        let keep = (0..<500).map { _ in random.next() % 3 != 0 }
        for codes in [BinCodes(wide), BinCodes(wide, codeCount: 40)] {
            let gathered = codes.gathered(rows)
            #expect(gathered.isNarrow == codes.isNarrow)
            #expect(Array(gathered) == rows.map { wide[$0] })
            let compacted = codes.compacted(keep: keep)
            #expect(compacted.isNarrow == codes.isNarrow)
            #expect(Array(compacted) == wide.indices.filter { keep[$0] }.map { wide[$0] })
        }
    }

    // MARK: - Kernels that read codes

    @Test(arguments: lengths)
    func groupByIsTheSameAtEitherWidth(length: Int) {
        var random = SeededRandom(seed: 10 &+ UInt64(length))
        let wide = Self.codes(length: length, codeCount: 200, random: &random)
        let outcomes = RowOutcomes(
            failure: Self.failures(length: length, random: &random), loss: nil, signedError: nil, confusion: nil)
        let expected = GroupBy.aggregate(codes: wide, groupCount: 200, outcomes: outcomes, threads: 1)
        for threads in [1, 3] {
            let narrow = GroupBy.aggregate(
                codes: BinCodes(wide, codeCount: 200), groupCount: 200, outcomes: outcomes, threads: threads)
            #expect(narrow == expected)
        }
    }

    @Test(arguments: lengths)
    func pairCountsAreTheSameAtMixedWidths(length: Int) {
        var random = SeededRandom(seed: 20 &+ UInt64(length))
        let counts = [3, 200, 11]
        let wide = counts.map { Self.codes(length: length, codeCount: $0, random: &random) }
        let time = Self.codes(length: length, codeCount: 90, random: &random)
        let failure = Self.failures(length: length, random: &random)
        let confusion: [UInt8] = failure.map { $0 == 1 ? UInt8(1 + 2 * (random.next() % 2)) : UInt8(2 * (random.next() % 2)) }
        // The first and last feature one byte wide, the middle one two.
        let mixed = [BinCodes(wide[0], codeCount: 3), BinCodes(wide[1]), BinCodes(wide[2], codeCount: 11)]
        for column in [BinCodes(time), BinCodes(time, codeCount: 90)] {
            for threads in [1, 2, 3] {
                #expect(
                    PairCounts.countAgainst(
                        features: mixed, codeCounts: counts, column: column, columnCount: 90, failure: failure,
                        threads: threads)
                        == PairCounts.countAgainst(
                            features: wide, codeCounts: counts, column: time, columnCount: 90, failure: failure,
                            threads: 1))
                for split in [nil, confusion] {
                    #expect(
                        PairCounts.countAgainst(
                            features: mixed, codeCounts: counts, column: column, columnCount: 90, failure: failure,
                            confusion: split, threads: threads)
                            == PairCounts.countAgainst(
                                features: wide, codeCounts: counts, column: time, columnCount: 90, failure: failure,
                                confusion: split, threads: 1))
                }
            }
        }
        #expect(
            PairCounts.count(
                first: mixed[0], firstCount: 3, second: mixed[1], secondCount: 200, failure: failure, threads: 2)
                == PairCounts.count(
                    first: wide[0], firstCount: 3, second: wide[1], secondCount: 200, failure: failure, threads: 1))
        #expect(
            PairCounts.countAllPairs(features: mixed, codeCounts: counts, failure: failure, threads: 2)
                == PairCounts.countAllPairs(features: wide, codeCounts: counts, failure: failure, threads: 1))
    }

    @Test(arguments: lengths)
    func periodCountsAreTheSameAtMixedWidths(length: Int) {
        var random = SeededRandom(seed: 30 &+ UInt64(length))
        let counts = [200, 7]
        let wide = counts.map { Self.codes(length: length, codeCount: $0, random: &random) }
        let groups = Self.codes(length: length, codeCount: 12, random: &random)
        let periodOfGroup = (0..<12).map { UInt8($0 < 5 ? 0 : $0 < 11 ? 1 : 2) }
        let failure = Self.failures(length: length, random: &random)
        let expected = PeriodCounts.count(
            groups: groups, periodOfGroup: periodOfGroup, failure: failure, features: wide, codeCounts: counts,
            threads: 1)
        for (groupCodes, features) in [
            (BinCodes(groups, codeCount: 12), [BinCodes(wide[0]), BinCodes(wide[1], codeCount: 7)]),
            (BinCodes(groups), [BinCodes(wide[0], codeCount: 200), BinCodes(wide[1])]),
        ] {
            let counted = PeriodCounts.count(
                groups: groupCodes, periodOfGroup: periodOfGroup, failure: failure, features: features,
                codeCounts: counts, threads: 2)
            #expect(counted.map(\.trials) == expected.map(\.trials))
            #expect(counted.map(\.failures) == expected.map(\.failures))
        }
    }

    @Test(arguments: lengths)
    func conjunctionCountsAreTheSameAtMixedWidths(length: Int) {
        var random = SeededRandom(seed: 40 &+ UInt64(length))
        let first = Self.codes(length: length, codeCount: 4, random: &random)
        let second = Self.codes(length: length, codeCount: 3, random: &random)
        let third = Self.codes(length: length, codeCount: 50, random: &random)
        let groups = Self.codes(length: length, codeCount: 9, random: &random)
        let failure = Self.failures(length: length, random: &random)
        typealias Condition = ConjunctionCounts.Condition
        let wide: [[Condition]] = [
            [], [Condition(codes: first, code: 2)], [Condition(codes: first, code: 1), Condition(codes: second, code: 0)],
            [Condition(codes: third, code: 300)],
        ]
        let mixed: [[Condition]] = [
            [], [Condition(codes: BinCodes(first, codeCount: 4), code: 2)],
            [Condition(codes: BinCodes(first, codeCount: 4), code: 1), Condition(codes: BinCodes(second), code: 0)],
            // A code no byte holds matches no row (it is not truncated to 300 mod 256 = 44, a code of `third`).
            [Condition(codes: BinCodes(third, codeCount: 50), code: 300)],
        ]
        let expected = ConjunctionCounts.count(wide, groups: groups, groupCount: 9, failure: failure, threads: 1)
        for groupCodes in [BinCodes(groups), BinCodes(groups, codeCount: 9)] {
            let counted = ConjunctionCounts.count(
                mixed, groups: groupCodes, groupCount: 9, failure: failure, threads: 2)
            #expect(counted.map(\.trials) == expected.map(\.trials))
            #expect(counted.map(\.failures) == expected.map(\.failures))
            #expect(counted[3].trials.allSatisfy { $0 == 0 })
        }
    }

    @Test(arguments: [0, 1, 63, 64, 65, 4097])
    func oneHotBitmapsAreTheSameAtEitherWidth(length: Int) {
        var random = SeededRandom(seed: 50 &+ UInt64(length))
        let wide = [Self.codes(length: length, codeCount: 5, random: &random),
                    Self.codes(length: length, codeCount: 3, random: &random)]
        let columnOf: [[Int32]] = [[0, 1, -1, 2, 3], [4, -1, 5]]
        let order = (0..<length).map { Int32($0) }.shuffled(using: &random)
        let expected = RowBitmaps.oneHot(codes: wide, columnOf: columnOf, columnCount: 6, rowOrder: order, threads: 1)
        let narrow = RowBitmaps.oneHot(
            codes: [BinCodes(wide[0], codeCount: 5), BinCodes(wide[1])], columnOf: columnOf, columnCount: 6,
            rowOrder: order, threads: 2)
        for column in 0..<6 { #expect(narrow.words(ofColumn: column) == expected.words(ofColumn: column)) }
    }

    // MARK: - Kernels that write codes

    @Test(arguments: lengths, BinningTests.ValidityMode.allCases)
    func binAssignmentIsTheSameAtEitherWidth(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 60 &+ UInt64(length))
        let validity = BinningTests.validity(mode, count: length, random: &random)
        let values = ColumnBuffer(
            (0..<length).map { _ -> Double in random.next() % 17 == 0 ? .nan : random.unit() * 120 - 10 })
        // 255 bins: the missing code 255 is the largest a byte holds.
        let edges = (0...255).map { Double($0) * 100 / 255 }
        let missing = edges.count - 1
        let wide = Binning.assign(values: values, validity: validity, edges: edges, missingCode: UInt16(missing))
        let narrow = Binning.assign(values: values, validity: validity, edges: edges, missingCode: UInt8(missing))
        #expect(narrow.map(UInt16.init) == wide)
        let sortedDistinct = (0..<40).map { Double($0) * 2.5 }
        let rounded = ColumnBuffer(values.array.map { ($0 / 2.5).rounded() * 2.5 })
        for distinct in [Array(sortedDistinct.prefix(20)), sortedDistinct] {
            #expect(
                CategoryCodes.assign(values: rounded, validity: validity, sortedDistinct: distinct, missingCode: UInt8(200))
                    .map(UInt16.init)
                    == CategoryCodes.assign(
                        values: rounded, validity: validity, sortedDistinct: distinct, missingCode: UInt16(200)))
        }
        let integers = ColumnBuffer((0..<length).map { _ in Int64(random.next() % 50) - 5 })
        let integerDistinct = (0..<40).map { Double($0) }
        #expect(
            CategoryCodes.assign(values: integers, validity: validity, sortedDistinct: integerDistinct, missingCode: UInt8(40))
                .map(UInt16.init)
                == CategoryCodes.assign(
                    values: integers, validity: validity, sortedDistinct: integerDistinct, missingCode: UInt16(40)))
        let stamps = ColumnBuffer((0..<length).map { _ in Int64(random.next() % 100_000) - 1_000 })
        #expect(
            Binning.fixedWidthCodes(stamps, validity: validity, origin: 0, step: 3_600, count: 20, missingCode: UInt8(20))
                .map(UInt16.init)
                == Binning.fixedWidthCodes(
                    stamps, validity: validity, origin: 0, step: 3_600, count: 20, missingCode: UInt16(20)))
    }

    @Test(arguments: lengths, BinningTests.ValidityMode.allCases)
    func dictionaryRemapIsTheSameAtEitherWidth(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 70 &+ UInt64(length))
        let validity = BinningTests.validity(mode, count: length, random: &random)
        let entries = 30
        let codes = ColumnBuffer((0..<length).map { _ in UInt32(random.next() % UInt64(entries)) })
        let table = (0..<entries).map { ($0 * 7) % 25 }
        let wide = CategoryCodes.remap(
            codes: codes, validity: validity, table: table.map { UInt16($0) }, missingCode: UInt16(25))
        let narrow = CategoryCodes.remap(
            codes: codes, validity: validity, table: table.map { UInt8($0) }, missingCode: UInt8(25))
        #expect(narrow.map(UInt16.init) == wide)
        let wideCounted = CategoryCodes.remapCounting(
            codes: codes, validity: validity, table: table.map { UInt16($0) }, missingCode: UInt16(25))
        let narrowCounted = CategoryCodes.remapCounting(
            codes: codes, validity: validity, table: table.map { UInt8($0) }, missingCode: UInt8(25))
        #expect(narrowCounted.codes.map(UInt16.init) == wideCounted.codes)
        #expect(narrowCounted.counts == wideCounted.counts)
        #expect(wideCounted.codes == wide)
    }
}

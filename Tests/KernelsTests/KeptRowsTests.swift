import Testing
import _TestSupport

@testable import Kernels

/// `KeptRows` against the kept rows listed one by one, and a recipe compacted to them against the written codes
/// compacted.
struct KeptRowsTests {
    static func flags(count: Int, pattern: Int, seed: UInt64) -> [Bool] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { row in
            switch pattern {
            case 0: true
            case 1: false
            case 2: random.next() % 3 != 0
            // Runs of 200 rows left out: whole words without a kept row.
            default: (row / 200) % 2 == 0 && random.next() % 7 != 0
            }
        }
    }

    @Test(arguments: [0, 1, 63, 64, 65, 2_049, 10_000])
    func keptRowsMapToTheirColumnRows(count: Int) {
        for pattern in 0..<4 {
            let flags = Self.flags(count: count, pattern: pattern, seed: UInt64(count * 4 + pattern))
            let kept = KeptRows(flags)
            let listed = flags.indices.filter { flags[$0] }
            #expect(kept.count == count && kept.keptCount == listed.count)
            for (index, row) in listed.enumerated() {
                #expect(kept.row(ofKept: index) == row, "count \(count), pattern \(pattern), index \(index)")
            }
            let ranges = [(0, listed.count), (0, 0), (listed.count, listed.count), (listed.count / 3, listed.count / 2)]
            for (lower, upper) in ranges {
                let rows = kept.rows(ofKept: lower..<upper)
                if lower < upper {
                    #expect(rows == listed[lower]..<(listed[upper - 1] + 1), "pattern \(pattern), \(lower)..<\(upper)")
                } else {
                    #expect(rows.isEmpty && rows.lowerBound == (lower < listed.count ? listed[lower] : count))
                }
                // The kept codes among the rows spanned are the codes of those kept rows.
                let byte = { (row: Int) in UInt8(truncatingIfNeeded: row &* 7) }
                let codes = BinCodes(rows.map(byte))
                #expect(Array(kept.keptCodes(codes, rows: rows)) == listed[lower..<upper].map { UInt16(byte($0)) })
            }
        }
    }

    @Test(arguments: [0, 70_000, 140_001])
    func aCompactedRecipeWritesTheKeptRowsCodes(count: Int) {
        for (pattern, narrow) in [(2, true), (3, false)] {
            let flags = Self.flags(count: count, pattern: pattern, seed: UInt64(count + pattern))
            let kept = KeptRows(flags)
            let code: @Sendable (Int) -> UInt16 = {
                UInt16(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 7) % (narrow ? 200 : 3_000)
            }
            let written: @Sendable (Range<Int>) -> BinCodes = { rows in
                narrow ? BinCodes(rows.map { UInt8(code($0)) }) : BinCodes(rows.map(code))
            }
            for blocks in [false, true] {
                let whole: @Sendable () -> BinCodes = { written(0..<count) }
                let recipe =
                    blocks
                    ? CodeRecipe(count: count, isNarrow: narrow, all: whole, block: written, one: code)
                    : CodeRecipe(count: count, isNarrow: narrow, all: whole, one: code)
                let compacted = recipe.compacted(to: kept)
                let expected = flags.indices.filter { flags[$0] }.map(code)
                #expect(compacted.count == expected.count && compacted.isNarrow == narrow)
                #expect(compacted.writesBlocks == blocks)
                #expect(Array(compacted.all()) == expected)
                compacted.forEachBlock { rows, codes in
                    let wanted: [UInt16] = Array(expected[rows])
                    #expect(codes.map { $0 } == wanted, "rows \(rows)")
                }
                for index in stride(from: 0, to: expected.count, by: 997) {
                    #expect(compacted.code(index) == expected[index])
                }
                #expect(Array(BinCodes(remadeBy: compacted).materialized(threads: 2)) == expected)
            }
        }
    }
}

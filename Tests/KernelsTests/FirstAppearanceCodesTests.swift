import ColumnStore
import Kernels
import Testing
import _TestSupport

/// `FirstAppearanceCodes` against a dictionary built row by row.
struct FirstAppearanceCodesTests {
    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 100_003]

    /// Codes by first appearance through a dictionary, and the values in code order.
    static func reference(_ values: [Int64], validity: ValidityBitmap?) -> (codes: [Int32], values: [Int64]) {
        var codeOf: [Int64: Int32] = [:]
        var distinct: [Int64] = []
        let codes = values.indices.map { row -> Int32 in
            guard validity?.isValid(row) ?? true else { return -1 }
            if let code = codeOf[values[row]] { return code }
            codeOf[values[row]] = Int32(distinct.count)
            distinct.append(values[row])
            return Int32(distinct.count - 1)
        }
        return (codes, distinct)
    }

    @Test(arguments: lengths, BinningTests.ValidityMode.allCases)
    func codesMatchTheReference(length: Int, mode: BinningTests.ValidityMode) throws {
        var random = SeededRandom(seed: 0xF1A &+ UInt64(length))
        // Two classes, a few negative ones, and a range as wide as the table allows.
        // Also the ends of Int64, where the table around the first value is clamped.
        for (low, span) in [(Int64(0), Int64(2)), (-5, 11), (1_000_000, 65_536), (.max - 40, 41), (.min, 30)] {
            let values = (0..<length).map { _ in low + Int64(random.next() % UInt64(span)) }
            let validity = BinningTests.validity(mode, count: length, random: &random)
            let result = try #require(FirstAppearanceCodes.of(ColumnBuffer(values), validity: validity))
            let expected = Self.reference(values, validity: validity)
            #expect(result.codes == expected.codes, "rows \(length), span \(span)")
            #expect(result.values == expected.values, "rows \(length), span \(span)")
            #expect(
                FirstAppearanceCodes.sortedDistinct(ColumnBuffer(values), validity: validity) == expected.values.sorted(),
                "rows \(length), span \(span)")
        }
    }

    /// The table is first laid around the first present value; a value outside it, met late, gives the same codes
    /// through the table from the smallest value, or nil past its span.
    @Test func aValueOutsideTheFirstTableIsCodedAsWell() throws {
        var values = [Int64](repeating: 5, count: 10_000)
        values[1] = 6
        values[9_000] = 5 - 40_000
        values[9_001] = 6
        let validity = ValidityBitmap((0..<values.count).map { $0 != 0 })
        for mask in [nil, validity] {
            let result = try #require(FirstAppearanceCodes.of(ColumnBuffer(values), validity: mask))
            let expected = Self.reference(values, validity: mask)
            #expect(result.codes == expected.codes && result.values == expected.values)
            #expect(FirstAppearanceCodes.sortedDistinct(ColumnBuffer(values), validity: mask) == [5 - 40_000, 5, 6])
        }
        values[9_002] = 5 + 30_000
        #expect(FirstAppearanceCodes.of(ColumnBuffer(values), validity: nil) == nil)
        #expect(FirstAppearanceCodes.sortedDistinct(ColumnBuffer(values), validity: nil) == nil)
        // A first row whose value is far from the rest is missing: the table lies around the first present value.
        let far = [Int64.max, 3, 4, 3]
        let masked = try #require(FirstAppearanceCodes.of(ColumnBuffer(far), validity: ValidityBitmap([false, true, true, true])))
        #expect(masked.codes == [-1, 0, 1, 0] && masked.values == [3, 4])
    }

    /// Past 65,536 values (or a range that overflows Int64) there is no table: nil, for the caller's general path.
    @Test func wideRangesAreDeclined() throws {
        #expect(FirstAppearanceCodes.of(ColumnBuffer([Int64]([0, 65_536])), validity: nil) == nil)
        #expect(FirstAppearanceCodes.of(ColumnBuffer([Int64]([.min, .max])), validity: nil) == nil)
        // The widest accepted, and a wide value on a missing row does not count.
        let widest = try #require(FirstAppearanceCodes.of(ColumnBuffer([Int64]([65_535, 0, 65_535])), validity: nil))
        #expect(widest.codes == [0, 1, 0] && widest.values == [65_535, 0])
        let masked = try #require(
            FirstAppearanceCodes.of(ColumnBuffer([Int64]([7, .max, 7, 3])), validity: ValidityBitmap([true, false, true, true])))
        #expect(masked.codes == [0, -1, 0, 1] && masked.values == [7, 3])
        let none = try #require(FirstAppearanceCodes.of(ColumnBuffer([Int64]([1, 2])), validity: ValidityBitmap([false, false])))
        #expect(none.codes == [-1, -1] && none.values.isEmpty)
        #expect(FirstAppearanceCodes.sortedDistinct(ColumnBuffer([Int64]([0, 65_536])), validity: nil) == nil)
        #expect(FirstAppearanceCodes.sortedDistinct(ColumnBuffer([Int64]([.min, .max])), validity: nil) == nil)
        #expect(
            FirstAppearanceCodes.sortedDistinct(
                ColumnBuffer([Int64]([7, .max, 7, 3])), validity: ValidityBitmap([true, false, true, true])) == [3, 7])
        #expect(
            FirstAppearanceCodes.sortedDistinct(ColumnBuffer([Int64]([1, 2])), validity: ValidityBitmap([false, false]))
                == [])
    }

    /// One-byte codes are the four-byte codes whenever the column has at most 128 distinct present values, and nil
    /// past that (the caller then takes the four-byte codes), wherever the 129th value first appears.
    @Test(arguments: [0, 1, 64, 2049, 100_003], BinningTests.ValidityMode.allCases)
    func narrowCodesAreTheWideOnesUpTo128Values(length: Int, mode: BinningTests.ValidityMode) throws {
        var random = SeededRandom(seed: 0x8B17 &+ UInt64(length))
        for (low, span) in [(Int64(0), Int64(2)), (-60, 127), (7, 128), (1_000, 129), (.max - 200, 201), (0, 65_536)] {
            let values = (0..<length).map { _ in low + Int64(random.next() % UInt64(span)) }
            let validity = BinningTests.validity(mode, count: length, random: &random)
            let wide = try #require(FirstAppearanceCodes.of(ColumnBuffer(values), validity: validity))
            let narrow = FirstAppearanceCodes.narrow(ColumnBuffer(values), validity: validity)
            if wide.values.count <= 128 {
                let narrow = try #require(narrow, "rows \(length), span \(span)")
                #expect(narrow.codes.map { Int32($0) } == wide.codes, "rows \(length), span \(span)")
                #expect(narrow.values == wide.values, "rows \(length), span \(span)")
            } else {
                #expect(narrow == nil, "rows \(length), span \(span)")
            }
        }
        // The 129th value on the last row, and a value outside the first table after 128 values.
        var values = (0..<2_000).map { Int64($0 % 128) }
        #expect(FirstAppearanceCodes.narrow(ColumnBuffer(values), validity: nil)?.values.count == 128)
        values.append(128)
        #expect(FirstAppearanceCodes.narrow(ColumnBuffer(values), validity: nil) == nil)
        values[values.count - 1] = -40_000
        #expect(FirstAppearanceCodes.narrow(ColumnBuffer(values), validity: nil) == nil)
        // 128 values, the first far from the others: coded through a table from the smallest.
        let farFirst = [-40_000] + (0..<2_000).map { Int64($0 % 127) }
        let coded = try #require(FirstAppearanceCodes.narrow(ColumnBuffer(farFirst), validity: nil))
        #expect(coded.codes.map { Int32($0) } == Self.reference(farFirst, validity: nil).codes)
        #expect(coded.values.count == 128)
    }
}

import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// `CategoryCodes`, `Binning.presentValues` and `rowValues`, and `DistinctCount.sortedValues` against per-row
/// references.
struct CategoryCodesTests {
    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 100_003]
    static let missing: UInt16 = 60_000

    /// The reference: the value's index among the distinct values, or missing.
    static func referenceCode(_ value: Double, valid: Bool, distinct: [Double]) -> UInt16 {
        guard valid, !value.isNaN, let index = distinct.firstIndex(of: value) else { return missing }
        return UInt16(index)
    }

    static func validity(_ mode: BinningTests.ValidityMode, count: Int, random: inout SeededRandom) -> ValidityBitmap? {
        BinningTests.validity(mode, count: count, random: &random)
    }

    /// Distinct value sets for each path: few (counted), integral with a small span (table), and many or wide
    /// (binary search).
    static let valueCounts = [1, 2, 7, 32, 33, 500]

    @Test(arguments: lengths, BinningTests.ValidityMode.allCases)
    func floatCodesMatchTheReference(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 0xCA7 &+ UInt64(length))
        for valueCount in Self.valueCounts {
            let distinct = (0..<valueCount).map { Double($0) * 0.37 - 3 }
            // Rows hold the values, and NaN now and then.
            let values = (0..<length).map { _ -> Double in
                random.next() % 17 == 0 ? .nan : distinct[Int(random.next() % UInt64(valueCount))]
            }
            let validity = Self.validity(mode, count: length, random: &random)
            let codes = CategoryCodes.assign(
                values: ColumnBuffer(values), validity: validity, sortedDistinct: distinct, missingCode: Self.missing)
            let expected = values.indices.map {
                Self.referenceCode(values[$0], valid: validity?.isValid($0) ?? true, distinct: distinct)
            }
            #expect(codes == expected, "length \(length), \(valueCount) values, \(mode)")
        }
    }

    @Test(arguments: lengths, BinningTests.ValidityMode.allCases)
    func integerCodesMatchTheReference(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 0x1E7 &+ UInt64(length))
        // A small span (table), a span past the table's limit, and values near the ends of Int64 (search).
        let sets: [[Int64]] = [
            [0, 1], [-5, 0, 3, 17], (0..<300).map { Int64($0 * 3 - 400) }, [-1, 1 << 20, 1 << 40],
            [Int64.min + 1, -7, Int64.max - 1],
        ]
        for distinct in sets {
            let values = (0..<length).map { _ in distinct[Int(random.next() % UInt64(distinct.count))] }
            let validity = Self.validity(mode, count: length, random: &random)
            let sortedDistinct = distinct.map(Double.init)
            let codes = CategoryCodes.assign(
                values: ColumnBuffer(values), validity: validity, sortedDistinct: sortedDistinct,
                missingCode: Self.missing)
            let expected = values.indices.map { row -> UInt16 in
                guard validity?.isValid(row) ?? true else { return Self.missing }
                return UInt16(distinct.firstIndex(of: values[row])!)
            }
            #expect(codes == expected, "length \(length), values \(distinct.prefix(4)), \(mode)")
        }
    }

    @Test func valuesOutsideTheSetAreMissingInTheTableAndTheSearch() {
        // Rows that are not among the values (dropped rows' values, in the binner) get the missing code there.
        let integers = CategoryCodes.assign(
            values: ColumnBuffer([Int64]([2, 3, 4, 9, -1])), validity: nil, sortedDistinct: [2, 4], missingCode: 7)
        #expect(integers == [0, 7, 1, 7, 7])
        let many = (0..<40).map { Double($0) * 2 }
        let floats = CategoryCodes.assign(
            values: ColumnBuffer([1.0, 2.0, 79.0, 78.0]), validity: nil, sortedDistinct: many, missingCode: 99)
        #expect(floats == [99, 1, 99, 39])
    }

    @Test(arguments: lengths, BinningTests.ValidityMode.allCases)
    func presentValuesAreTheValidNonNaNValuesInOrder(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 0x9E5 &+ UInt64(length))
        let values = (0..<length).map { _ in random.next() % 9 == 0 ? Double.nan : random.unit() * 100 - 50 }
        let validity = Self.validity(mode, count: length, random: &random)
        let expected = values.indices.filter { (validity?.isValid($0) ?? true) && !values[$0].isNaN }.map { values[$0] }
        let present = Binning.presentValues(ColumnBuffer(values), validity: validity)
        #expect(present.values == expected)
        #expect(!present.hasInfinity)
        let integers = values.map { $0.isNaN ? Int64(-3) : Int64($0.rounded()) }
        let expectedIntegers = integers.indices.filter { validity?.isValid($0) ?? true }.map { Double(integers[$0]) }
        let presentIntegers = Binning.presentValues(ColumnBuffer(integers), validity: validity)
        #expect(presentIntegers.values == expectedIntegers)
        #expect(!presentIntegers.hasInfinity)
    }

    /// An infinity counts only on a present row: one in a missing row's slot is not a value of the column.
    @Test(arguments: lengths, BinningTests.ValidityMode.allCases)
    func presentValuesTellInfinitiesOnPresentRowsOnly(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 0x1F1 &+ UInt64(length))
        for infinity in [Double.infinity, -.infinity] {
            for _ in 0..<4 {
                let values = (0..<length).map { _ in
                    switch random.next() % 97 {
                    case 0: infinity
                    case 1: Double.nan
                    default: random.unit() * 100 - 50
                    }
                }
                let validity = Self.validity(mode, count: length, random: &random)
                let expected = values.indices.filter { (validity?.isValid($0) ?? true) && !values[$0].isNaN }
                    .map { values[$0] }
                let present = Binning.presentValues(ColumnBuffer(values), validity: validity)
                #expect(present.values == expected)
                #expect(present.hasInfinity == expected.contains(infinity))
            }
        }
    }

    @Test(arguments: lengths, BinningTests.ValidityMode.allCases)
    func rowValuesAreTheValuesWithNaNWhereMissing(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 0x20E &+ UInt64(length))
        let values = (0..<length).map { _ in random.next() % 9 == 0 ? Double.nan : random.unit() * 100 - 50 }
        let validity = Self.validity(mode, count: length, random: &random)
        let expected = values.indices.map { (validity?.isValid($0) ?? true) ? values[$0] : .nan }
        // Compared by bit pattern: NaN == NaN is false.
        #expect(Binning.rowValues(ColumnBuffer(values), validity: validity).map(\.bitPattern)
            == expected.map(\.bitPattern))
        let integers = (0..<length).map { _ in Int64(bitPattern: random.next()) >> 8 }
        let expectedIntegers = integers.indices.map { (validity?.isValid($0) ?? true) ? Double(integers[$0]) : .nan }
        #expect(Binning.rowValues(ColumnBuffer(integers), validity: validity).map(\.bitPattern)
            == expectedIntegers.map(\.bitPattern))
    }

    @Test func sortedValuesStopPastTheLimit() {
        let values: [Double] = [3, -0.0, 0, 2, .nan, 3, 1, 2]
        #expect(DistinctCount.sortedValues(values, limit: 10) == [0, 1, 2, 3])
        #expect(DistinctCount.sortedValues(values, limit: 4) == [0, 1, 2, 3])
        #expect(DistinctCount.sortedValues(values, limit: 2).count == 3)
        #expect(DistinctCount.sortedValues([], limit: 5).isEmpty)
        var random = SeededRandom(seed: 4)
        let many = (0..<50_000).map { _ in Double(random.next() % 3_000) }
        #expect(DistinctCount.sortedValues(many, limit: 5_000) == Set(many).sorted())
    }

    /// Past 2⁵³ distinct integers can round onto one Double, the value the binner keeps: every such integer gets
    /// that value's code (the integer table once gave all but one of them the missing code).
    @Test func integersThatRoundOntoOneDoubleShareItsCode() {
        let values: [Int64] = [1 << 53, (1 << 53) + 1, 877_381_384_396_835_755, -(1 << 53) - 1]
        let distinct = Array(Set(values.map(Double.init))).sorted()
        let codes: [UInt8] = CategoryCodes.assign(
            values: ColumnBuffer(values), validity: nil, sortedDistinct: distinct, missingCode: UInt8(distinct.count))
        #expect(codes == values.map { UInt8(distinct.firstIndex(of: Double($0))!) })
    }
}

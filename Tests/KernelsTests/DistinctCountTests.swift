import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// `DistinctCount` against `Set`-based references, on both of its paths (one set; partitions).
struct DistinctCountTests {
    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 200_003]

    enum Validity: CaseIterable { case none, allValid, allMissing, mixed }

    static func validity(_ kind: Validity, count: Int, random: inout SeededRandom) -> ValidityBitmap? {
        switch kind {
        case .none: nil
        case .allValid: ValidityBitmap(count: count, allValid: true)
        case .allMissing: ValidityBitmap(count: count, allValid: false)
        case .mixed: ValidityBitmap((0..<count).map { _ in random.next() % 3 != 0 })
        }
    }

    /// Integers drawn from `range` distinct values, so a shape can stay under or go past the one-set limit.
    static func integers(count: Int, range: UInt64, random: inout SeededRandom) -> [Int64] {
        (0..<count).map { _ in Int64(bitPattern: random.next() % range) &- Int64(range / 2) }
    }

    static func referenceCount(_ values: [Int64], validity: ValidityBitmap?) -> Int {
        Set(values.indices.filter { validity?.isValid($0) ?? true }.map { values[$0] }).count
    }

    @Test(arguments: lengths)
    func integerColumnsMatchASet(length: Int) {
        var random = SeededRandom(seed: UInt64(length) &+ 17)
        // Few values (one set), about as many as the set holds, and nearly all distinct (partitions).
        for range: UInt64 in [1, 5, 40_000, 1 << 40] {
            for kind in Validity.allCases {
                let values = Self.integers(count: length, range: range, random: &random)
                let validity = Self.validity(kind, count: length, random: &random)
                let expected = Self.referenceCount(values, validity: validity)
                let column = Column(name: "x", values: .int64(ColumnBuffer(values)), validity: validity)
                #expect(DistinctCount.of(column) == expected, "length \(length), range \(range), \(kind)")
                let timestamps = Column(
                    name: "t", values: .timestamp(ColumnBuffer(values), .microsecond), validity: validity)
                #expect(DistinctCount.of(timestamps) == expected, "timestamps: length \(length), range \(range)")
            }
        }
    }

    @Test(arguments: [0, 1, 65, 2049, 100_000])
    func thePartitionedCountMatchesASetOnItsOwn(length: Int) {
        var random = SeededRandom(seed: 99 &+ UInt64(length))
        for range: UInt64 in [1, 3, 1000, 1 << 62] {
            let keys = (0..<length).map { _ in random.next() % range }
            let expected = Set(keys).count
            let counted = unsafe keys.withUnsafeBufferPointer {
                unsafe DistinctCount.countPartitioned($0, validity: nil) { $0 }
            }
            #expect(counted == expected, "length \(length), range \(range)")
            #expect(DistinctCount.count(keys: keys) == expected)
        }
    }

    @Test func oneValueOnMostRowsOfAManyValuedColumn() {
        // One partition gets most keys but few distinct ones: the count must not depend on how keys spread.
        var random = SeededRandom(seed: 5)
        let values: [Int64] = (0..<300_000).map { _ in random.next() % 4 == 0 ? Int64(random.next() % 90_000) : 0 }
        #expect(DistinctCount.of(Column(name: "x", values: .int64(ColumnBuffer(values)), validity: nil))
            == Set(values).count)
    }

    @Test func zeroAndItsMixedKeyAreCountedOnce() {
        // The key 0 mixes to 0, the empty slot: it is a flag of the set, counted once, also after the table grows.
        let values: [Int64] = [0, 0] + (1...5_000).map { Int64($0) } + [0]
        let column = Column(name: "x", values: .int64(ColumnBuffer(values)), validity: nil)
        #expect(DistinctCount.of(column) == 5_001)
        #expect(DistinctCount.count(keys: [0]) == 1)
        #expect(DistinctCount.count(keys: []) == 0)
    }

    @Test func floatsFoldNegativeZeroAndSkipNaN() {
        let values: [Double] = [0, -0.0, .nan, -.nan, 1.5, 1.5, .infinity, -.infinity, 0x1p-1074, 2]
        let validity = ValidityBitmap([true, true, true, true, true, true, true, true, true, false])
        let column = Column(name: "x", values: .float64(ColumnBuffer(values)), validity: validity)
        // 0 (either sign), 1.5, +inf, -inf, the smallest subnormal; 2 is missing.
        #expect(DistinctCount.of(column) == 5)
    }

    @Test(arguments: [0, 1, 64, 2049, 200_003])
    func floatColumnsMatchASetOfEqualValues(length: Int) {
        var random = SeededRandom(seed: 3 &+ UInt64(length))
        for scale in [4.0, 1e5, 1e12] {
            let values = (0..<length).map { _ -> Double in
                let draw = random.next() % 10
                return draw == 0 ? .nan : draw == 1 ? -0.0 : (random.unit() * scale).rounded() / 4
            }
            let validity = ValidityBitmap((0..<length).map { _ in random.next() % 7 != 0 })
            // Set<Double> uses ==, which already makes -0 and +0 one value; NaN is dropped first.
            let expected = Set(values.indices.filter { validity.isValid($0) && !values[$0].isNaN }.map { values[$0] })
                .count
            let column = Column(name: "x", values: .float64(ColumnBuffer(values)), validity: validity)
            #expect(DistinctCount.of(column) == expected, "length \(length), scale \(scale)")
        }
    }

    @Test func largeIntegersAreNotMergedThroughDouble() {
        // 2⁵³ and 2⁵³ + 1 are one Double but two integers.
        let values: [Int64] = [1 << 53, (1 << 53) + 1, Int64.min, Int64.max, -1]
        #expect(DistinctCount.of(Column(name: "x", values: .int64(ColumnBuffer(values)), validity: nil)) == 5)
    }

    @Test func boolsAndStringsCountWhatIsPresent() {
        let bools = Column(
            name: "b", values: .bool(ColumnBuffer([UInt8]([1, 1, 0, 1]))), validity: ValidityBitmap([true, true, false, true]))
        #expect(DistinctCount.of(bools) == 1)
        let strings = DictionaryStrings(codes: ColumnBuffer([UInt32]([0, 2, 2, 1])), dictionary: ["a", "b", "c"])
        let column = Column(name: "s", values: .string(strings), validity: ValidityBitmap([true, true, true, false]))
        #expect(DistinctCount.of(column) == 2)
    }

    @Test func mixIsABijectionOnASample() {
        var random = SeededRandom(seed: 11)
        let keys = (0..<100_000).map { _ in random.next() } + (0..<1000).map { UInt64($0) }
        #expect(Set(keys.map(DistinctCount.mix)).count == Set(keys).count)
        #expect(DistinctCount.mix(0) == 0)
    }
}

import ColumnStore
import Testing
import _TestSupport

struct ValidityBitmapTests {
    static let counts = [0, 1, 2, 63, 64, 65, 127, 128, 129, 1_000, 2_049]

    /// The bits of the last word at or above `count % 64` (none when the count fills whole words).
    static func tailBits(_ bitmap: ValidityBitmap) -> UInt64 {
        let tail = bitmap.count % 64
        guard tail != 0, let last = bitmap.words.last else { return 0 }
        return last >> UInt64(tail)
    }

    @Test(arguments: counts)
    func allValidSetsExactlyCountBits(count: Int) {
        let bitmap = ValidityBitmap(count: count, allValid: true)
        #expect(bitmap.count == count)
        #expect(bitmap.words.count == (count + 63) / 64)
        #expect(Self.tailBits(bitmap) == 0, "bits past the last row must be zero")
        #expect(bitmap.validCount == count)
        #expect(bitmap.nullCount == 0)
        #expect((0..<count).allSatisfy { bitmap.isValid($0) })
        #expect(bitmap.words.dropLast().allSatisfy { $0 == ~0 })
    }

    @Test(arguments: counts)
    func allMissingHasNoBits(count: Int) {
        let bitmap = ValidityBitmap(count: count, allValid: false)
        #expect(bitmap.words.count == (count + 63) / 64)
        #expect(bitmap.words.allSatisfy { $0 == 0 })
        #expect(bitmap.validCount == 0)
        #expect(bitmap.nullCount == count)
        #expect(!(0..<count).contains { bitmap.isValid($0) })
    }

    @Test(arguments: counts)
    func flagsRoundTrip(count: Int) {
        var random = SeededRandom(seed: 0xB17 + UInt64(count))
        let flags = (0..<count).map { _ in random.next() % 3 != 0 }
        let bitmap = ValidityBitmap(flags)
        #expect(bitmap.count == count)
        #expect((0..<count).map { bitmap.isValid($0) } == flags)
        #expect(bitmap.validCount == flags.filter { $0 }.count)
        #expect(bitmap.nullCount == flags.filter { !$0 }.count)
        #expect(Self.tailBits(bitmap) == 0)
        // LSB first: row r is bit r % 64 of word r / 64.
        for row in 0..<count {
            #expect((bitmap.words[row / 64] >> UInt64(row % 64)) & 1 == (flags[row] ? 1 : 0))
        }
    }

    @Test func allTrueFlagsEqualAllValid() {
        for count in Self.counts {
            #expect(
                ValidityBitmap([Bool](repeating: true, count: count)) == ValidityBitmap(count: count, allValid: true))
            #expect(
                ValidityBitmap([Bool](repeating: false, count: count)) == ValidityBitmap(count: count, allValid: false))
        }
        #expect(ValidityBitmap([true, false]) != ValidityBitmap([false, true]))
    }

    @Test func setChangesOnlyOneRow() {
        var bitmap = ValidityBitmap(count: 130, allValid: true)
        bitmap.set(64, false)
        #expect(!bitmap.isValid(64))
        #expect(bitmap.isValid(63) && bitmap.isValid(65))
        #expect(bitmap.nullCount == 1 && bitmap.validCount == 129)
        bitmap.set(64, false)
        #expect(bitmap.nullCount == 1)
        bitmap.set(0, false)
        bitmap.set(129, false)
        #expect(bitmap.nullCount == 3)
        #expect(!bitmap.isValid(0) && !bitmap.isValid(129) && bitmap.isValid(128))
        bitmap.set(64, true)
        bitmap.set(64, true)
        #expect(bitmap.isValid(64) && bitmap.nullCount == 2)
        #expect(Self.tailBits(bitmap) == 0)

        var empty = ValidityBitmap(count: 70, allValid: false)
        empty.set(69, true)
        #expect(empty.validCount == 1 && empty.isValid(69) && !empty.isValid(68))
        #expect(empty.words == [0, 1 << 5])
    }
}

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

    /// The bytes of `flags` as an Arrow bitmap (LSB first, padded with zeros to whole words) after `lead` bytes.
    static func arrowBitmap(_ flags: [Bool], lead: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: lead + (flags.count + 63) / 64 * 8)
        for (row, flag) in flags.enumerated() where flag { bytes[lead + row / 8] |= 1 << UInt8(row % 8) }
        return bytes
    }

    @Test(arguments: counts.filter { $0 > 0 })
    func wordsInPlaceReadAsOwnedOnes(count: Int) throws {
        var random = SeededRandom(seed: 0x1A9 + UInt64(count))
        let flags = (0..<count).map { _ in random.next() % 3 != 0 }
        let owned = ValidityBitmap(flags)
        let file = MappedFile(copying: Self.arrowBitmap(flags, lead: 8))
        let mapped = try #require(ValidityBitmap(mapping: file, byteOffset: 8, count: count))
        #expect(mapped.isMapped && !owned.isMapped)
        #expect(mapped == owned && mapped.words == owned.words)
        #expect((0..<count).map { mapped.isValid($0) } == flags)
        #expect((0..<mapped.wordCount).map { mapped.word($0) } == owned.words)
        #expect(mapped.validCount == owned.validCount && mapped.nullCount == owned.nullCount)
        #expect(unsafe mapped.withUnsafeWords { unsafe Array($0) } == owned.words)
        // A change copies the words first: the file is not written, and the rest of the rows stay.
        var changed = mapped
        changed.set(count - 1, !flags[count - 1])
        #expect(!changed.isMapped && changed.isValid(count - 1) != flags[count - 1])
        #expect((0..<(count - 1)).allSatisfy { changed.isValid($0) == flags[$0] })
        #expect(mapped == owned && file.bytes(in: 0..<file.count) == Self.arrowBitmap(flags, lead: 8))
    }

    @Test func wordsThatCannotBeReadInPlaceAreRefused() {
        let flags = [Bool](repeating: true, count: 70)
        let file = MappedFile(copying: Self.arrowBitmap(flags, lead: 8) + [0, 0, 0, 0])
        #expect(ValidityBitmap(mapping: file, byteOffset: 8, count: 70) != nil)
        // Not aligned to 8 bytes; words past the end of the file; a bit set past the rows.
        #expect(ValidityBitmap(mapping: file, byteOffset: 4, count: 70) == nil)
        #expect(ValidityBitmap(mapping: file, byteOffset: 8, count: 200) == nil)
        #expect(ValidityBitmap(mapping: file, byteOffset: 8, count: 69) == nil)
        // No rows: nothing to use in place, in an empty file too.
        #expect(ValidityBitmap(mapping: file, byteOffset: 8, count: 0) == nil)
        #expect(ValidityBitmap(mapping: MappedFile(copying: []), byteOffset: 0, count: 0) == nil)
    }
}

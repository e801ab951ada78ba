import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// `CategoryCodes.counts` and `remap` of dictionary codes against per-row loops, with codes out of the dictionary
/// on missing rows (undefined there, so never read).
struct DictionaryCodeCountsTests {
    @Test(arguments: BinningTests.lengths, BinningTests.ValidityMode.allCases)
    func countsAndRemapMatchTheRowByRowReference(length: Int, mode: BinningTests.ValidityMode) {
        var random = SeededRandom(seed: 0xD1C7 &+ UInt64(length))
        for entries in [1, 3, 50, 70_000] {
            let validity = BinningTests.validity(mode, count: length, random: &random)
            // Mostly repeats of a few entries (the store-after-store case), some spread over all of them; a missing
            // row's code points past the dictionary.
            let codes = (0..<length).map { row -> UInt32 in
                if !(validity?.isValid(row) ?? true) { return UInt32(entries) + UInt32(random.next() % 1000) }
                return random.next() % 4 == 0
                    ? UInt32(random.next() % UInt64(entries)) : UInt32(random.next() % UInt64(min(entries, 3)))
            }
            var expected = [Int](repeating: 0, count: entries)
            var missing = 0
            for row in 0..<length {
                if validity?.isValid(row) ?? true { expected[Int(codes[row])] += 1 } else { missing += 1 }
            }
            let counted = CategoryCodes.counts(codes: ColumnBuffer(codes), validity: validity, entries: entries)
            #expect(counted.counts == expected, "length \(length) entries \(entries)")
            #expect(counted.missing == missing, "length \(length) entries \(entries)")

            let table = (0..<entries).map { _ in UInt16(random.next() % 60_000) }
            let remapped = CategoryCodes.remap(
                codes: ColumnBuffer(codes), validity: validity, table: table, missingCode: 65_535)
            let reference = (0..<length).map { row in
                validity?.isValid(row) ?? true ? table[Int(codes[row])] : 65_535
            }
            #expect(remapped == reference, "length \(length) entries \(entries)")

            // The one-pass form: the same codes, and the rows of each code (several entries may share one).
            let missingCode = UInt16(min(entries, 700))
            let shared = (0..<entries).map { UInt16($0 % Int(missingCode)) }
            let both = CategoryCodes.remapCounting(
                codes: ColumnBuffer(codes), validity: validity, table: shared, missingCode: missingCode)
            let sharedReference = (0..<length).map { row in
                validity?.isValid(row) ?? true ? shared[Int(codes[row])] : missingCode
            }
            var perCode = [Int](repeating: 0, count: Int(missingCode) + 1)
            for code in sharedReference { perCode[Int(code)] += 1 }
            #expect(both.codes == sharedReference, "length \(length) entries \(entries), one pass")
            #expect(both.counts == perCode, "length \(length) entries \(entries), one pass")
        }
    }
}

import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// The kernels that read integers and string codes stored narrow (an Arrow int8..int32 column, string codes held at
/// one or two bytes) give what they give on the same values in one array of full-width values.
struct NarrowKernelTests {
    /// `values` stored as `Stored` in pieces of `size` rows (the last takes the rest), each after 5 bytes.
    static func narrow<Stored: FixedWidthInteger & BitwiseCopyable, Element: FixedWidthInteger & BitwiseCopyable>(
        _ values: [Element], storedAs _: Stored.Type, size: Int
    ) -> ColumnBuffer<Element>? {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        var counts: [Int] = []
        for start in stride(from: 0, to: max(values.count, 1), by: size) {
            let end = min(values.count, start + size)
            bytes += [UInt8](repeating: 0xCD, count: 5)
            offsets.append(bytes.count)
            counts.append(end - start)
            for value in values[start..<end] {
                let stored = Stored(truncatingIfNeeded: value)
                bytes += (0..<(Stored.bitWidth / 8)).map { UInt8(truncatingIfNeeded: stored >> (8 * $0)) }
            }
        }
        return ColumnBuffer<Element>(
            mapping: MappedFile(copying: bytes), byteOffsets: offsets, counts: counts, storedAs: Stored.self)
    }

    static let shapes: [(rows: Int, size: Int)] = [(1, 1), (65, 64), (2_049, 100), (9_000, 9_000), (40_000, 6_553)]

    static func validity(rows: Int, random: inout SeededRandom, missing: Double) -> ValidityBitmap {
        var validity = ValidityBitmap(count: rows, allValid: true)
        for row in 0..<rows where random.unit() < missing { validity.set(row, false) }
        return validity
    }

    @Test(arguments: 0..<shapes.count)
    func integerKernelsReadNarrowValuesAsTheArray(shape: Int) throws {
        let (rows, size) = Self.shapes[shape]
        var random = SeededRandom(seed: UInt64(shape) + 31)
        let values = (0..<rows).map { _ in Int64(random.next() % 300) - 40 }
        let validity = Self.validity(rows: rows, random: &random, missing: 0.1)
        let whole = ColumnBuffer(values)
        let narrow = try #require(Self.narrow(values, storedAs: Int16.self, size: size))
        #expect(narrow.storedBytesPerValue == 2)
        let keep = (0..<rows).map { _ in random.unit() < 0.9 }
        PiecesKernelTests.expectIntegerKernels(
            narrow, agreeWith: whole, validity: validity, keep: keep,
            blocks: PiecesKernelTests.blocks(rows: rows, size: size))
    }

    @Test(arguments: 0..<shapes.count)
    func firstAppearanceCodesReadNarrowValuesAsTheArray(shape: Int) throws {
        let (rows, size) = Self.shapes[shape]
        var random = SeededRandom(seed: UInt64(shape) + 47)
        // Class numbers near zero (one pass), and values spread past the first window (a range pass first).
        let classes = (0..<rows).map { _ in Int64(random.next() % 5) }
        let spread = (0..<rows).map { row in row % 3 == 0 ? Int64(random.next() % 60_000) : Int64(-7) }
        let validity = Self.validity(rows: rows, random: &random, missing: 0.2)
        for values in [classes, spread] {
            let whole = ColumnBuffer(values)
            for narrow in [
                try #require(Self.narrow(values, storedAs: Int32.self, size: size)),
                try #require(Self.narrow(values, storedAs: Int32.self, size: rows)),
            ] {
                for bitmap in [nil, validity] {
                    let coded = FirstAppearanceCodes.of(narrow, validity: bitmap)
                    let reference = FirstAppearanceCodes.of(whole, validity: bitmap)
                    #expect(coded?.codes == reference?.codes)
                    #expect(coded?.values == reference?.values)
                    #expect((coded == nil) == (reference == nil))
                    #expect(FirstAppearanceCodes.narrow(narrow, validity: bitmap).map { $0.codes }
                        == FirstAppearanceCodes.narrow(whole, validity: bitmap).map { $0.codes })
                    #expect(FirstAppearanceCodes.sortedDistinct(narrow, validity: bitmap)
                        == FirstAppearanceCodes.sortedDistinct(whole, validity: bitmap))
                }
            }
        }
    }

    @Test(arguments: 0..<shapes.count)
    func stringCodeKernelsReadNarrowCodesAsTheArray(shape: Int) throws {
        let (rows, size) = Self.shapes[shape]
        var random = SeededRandom(seed: UInt64(shape) + 59)
        let entries = 200
        let codes = (0..<rows).map { _ in UInt32(random.next() % UInt64(entries)) }
        let validity = Self.validity(rows: rows, random: &random, missing: 0.05)
        let whole = ColumnBuffer(codes)
        let table = (0..<entries).map { UInt8($0 % 17) }
        let keep = (0..<rows).map { _ in random.unit() < 0.8 }
        for narrow in [
            try #require(Self.narrow(codes, storedAs: UInt8.self, size: size)),
            try #require(Self.narrow(codes, storedAs: UInt16.self, size: size)),
            ColumnBuffer<UInt32>(narrow: ContiguousArray(codes.map { UInt8($0) })),
        ] {
            #expect(CategoryCodes.counts(codes: narrow, validity: validity, entries: entries)
                == CategoryCodes.counts(codes: whole, validity: validity, entries: entries))
            #expect(CategoryCodes.counts(codes: narrow, validity: validity, entries: entries, keep: keep)
                == CategoryCodes.counts(codes: whole, validity: validity, entries: entries, keep: keep))
            let counted = CategoryCodes.remapCounting(codes: narrow, validity: validity, table: table, missingCode: 17)
            let reference = CategoryCodes.remapCounting(codes: whole, validity: validity, table: table, missingCode: 17)
            #expect(counted.codes == reference.codes)
            #expect(counted.counts == reference.counts)
            for block in [0..<rows, (rows / 3)..<(rows / 2)] {
                let remapped: [UInt8] = CategoryCodes.remap(
                    codes: narrow, validity: validity, table: table, missingCode: 17, rows: block)
                #expect(remapped == CategoryCodes.remap(
                    codes: whole, validity: validity, table: table, missingCode: 17, rows: block))
            }
        }
    }
}

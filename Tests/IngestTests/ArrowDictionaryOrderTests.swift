import ColumnStore
import Testing
import _TestSupport

@testable import Ingest

/// Dictionary-encoded strings read back whatever order the file's dictionary is in: the one-comparison scan for a
/// dictionary used in first-appearance order (no nulls), and the general loop it hands over to part way through.
struct ArrowDictionaryOrderTests {
    /// A string column written with `dictionary` and per-row `entries` (nil: a null row), read back.
    static func roundTrip(dictionary: [String], entries: [Int?], batchRows: Int = 1 << 20) throws -> Column {
        let codes = ContiguousArray(entries.map { UInt32($0 ?? 0) })
        let validity = entries.contains(nil) ? ValidityBitmap(entries.map { $0 != nil }) : nil
        let column = Column(
            name: "s", values: .string(DictionaryStrings(codes: ColumnBuffer(codes), dictionary: dictionary)),
            validity: validity)
        let bytes = try ArrowWriter.encode(Table(columns: [column]), options: ArrowWriteOptions(batchRows: batchRows))
        return try #require(try readArrow(bytes).get().column(named: "s"))
    }

    /// The distinct strings of the non-null rows, in order of first appearance: the dictionary Faultline builds.
    static func firstAppearance(_ values: [String?]) -> [String] {
        var seen = Set<String>()
        return values.compactMap { $0 }.filter { seen.insert($0).inserted }
    }

    static func check(dictionary: [String], entries: [Int?], batchRows: Int = 1 << 20) throws {
        let expected = entries.map { $0.map { dictionary[$0] } }
        let column = try Self.roundTrip(dictionary: dictionary, entries: entries, batchRows: batchRows)
        #expect(column.stringValues == expected)
        #expect(column.strings?.dictionary == Self.firstAppearance(expected))
    }

    @Test(arguments: [1, 2, 63, 64, 65, 2_049])
    func firstAppearanceOrderWithoutNulls(rows: Int) throws {
        var random = SeededRandom(seed: UInt64(rows))
        let dictionary = (0..<40).map { "v\($0)" }
        // Each row repeats an entry already used or takes the next one.
        var used = 0
        let entries: [Int?] = (0..<rows).map { _ in
            if used < dictionary.count && (used == 0 || random.next() % 4 == 0) {
                used += 1
                return used - 1
            }
            return Int(random.next() % UInt64(used))
        }
        try Self.check(dictionary: dictionary, entries: entries)
        // Several batches: the later ones go through the general loop (their dictionary was seen already).
        try Self.check(dictionary: dictionary, entries: entries, batchRows: 16)
    }

    /// Entry 2 used before entry 1, at the first row or deep into the column: the scan hands over, and the entries
    /// it has already coded keep their codes.
    @Test(arguments: [0, 1, 700])
    func outOfOrderEntryHandsOverToTheGeneralLoop(at row: Int) throws {
        let dictionary = ["a", "b", "c", "d"]
        var entries: [Int?] = (0..<1_000).map { _ in 0 }
        entries[row] = 2
        entries[min(row + 1, 999)] = 1
        entries[999] = 3
        try Self.check(dictionary: dictionary, entries: entries)
    }

    @Test func repeatedDictionaryTextIsOneCategory() throws {
        try Self.check(dictionary: ["x", "y", "x", "z"], entries: [0, 1, 2, 3, 2, 0, 1])
    }

    @Test func nullRowsTakeTheGeneralLoop() throws {
        try Self.check(dictionary: ["p", "q", "r"], entries: [0, nil, 1, 2, nil, 0, 2])
        try Self.check(dictionary: ["p", "q", "r"], entries: [nil, nil, nil])
    }

    /// A damaged index (past the dictionary, or negative: the int32 index -1) is reported with its row whether the
    /// scan, the range check of the rows after every entry was seen (from row 2), or the general loop meets it.
    @Test(arguments: [0, 1, 5, 63, 2_999], [2, 7, Int(UInt32.max)])
    func indexPastTheDictionaryNamesItsRow(row: Int, index: Int) throws {
        let dictionary = ["a", "b"]
        var entries: [Int?] = (0..<3_000).map { $0 % 2 }
        entries[row] = index
        let codes = ContiguousArray(entries.map { UInt32($0 ?? 0) })
        let column = Column(
            name: "s", values: .string(DictionaryStrings(codes: ColumnBuffer(codes), dictionary: dictionary)),
            validity: nil)
        let bytes = try ArrowWriter.encode(Table(columns: [column]))
        switch readArrow(bytes) {
        case .success:
            Issue.record("an index past the dictionary was read")
        case .failure(let error):
            #expect("\(error)".contains("row \(row + 1) of the batch"), "\(error)")
        }
    }

    static func allBelow<Index: FixedWidthInteger & BitwiseCopyable>(_ indices: [Index], _ count: Int) -> Bool {
        _ArrowColumnDecoder.allBelow(indices.span, count: count)
    }

    /// The range check of the indices, at the limits of each index type.
    @Test func rangeCheckAtTheLimitsOfEachIndexType() {
        #expect(Self.allBelow([Int8](), 0))
        #expect(Self.allBelow([Int8(0), 127, 5], 128))
        #expect(!Self.allBelow([Int8(0), 127, 5], 127))
        #expect(!Self.allBelow([Int8(0), -1, 5], 128))
        #expect(!Self.allBelow([Int32(3), Int32.min], 10))
        #expect(Self.allBelow([UInt8(255), 0], 256))
        #expect(!Self.allBelow([UInt64(1), UInt64.max], Int.max))
        #expect(Self.allBelow([UInt64(1), UInt64(Int.max - 1)], Int.max))
        #expect(!Self.allBelow([Int64(9)], 9))
    }
}

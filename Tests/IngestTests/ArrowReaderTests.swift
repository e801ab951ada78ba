import ColumnStore
import Foundation
import Testing

@testable import Ingest

struct ArrowReaderTests {
    @Test(arguments: readableArrowFixtures)
    func readsWhatPyarrowWrote(_ name: String) throws {
        let table = try ArrowReader.read(path: try arrowFixture(name))
        let found = try differences(table, expectedJSON: try arrowFixture(name + ".json"))
        #expect(found.isEmpty, "\(name): \(found.prefix(10))")
    }

    @Test func typesMapAsDocumented() throws {
        let table = try ArrowReader.read(path: try arrowFixture("types.arrow"))
        let types = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.type.description) })
        #expect(types["b"] == "bool")
        for name in ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"] { #expect(types[name] == "int64") }
        for name in ["f16", "f32", "f64", "nothing"] { #expect(types[name] == "float64") }
        for name in ["s", "ls", "d", "d8"] { #expect(types[name] == "string") }
        // Exact in microseconds: stored in microseconds, as the CSV reader stores timestamps.
        for name in ["date32", "date64", "ts_s", "ts_ms", "ts_us", "ts_ns", "ts_utc"] {
            #expect(types[name] == "timestamp[microsecond]", "\(name)")
        }
        // Not exact in microseconds: kept in nanoseconds.
        #expect(types["ts_ns_fine"] == "timestamp[nanosecond]")
        #expect(types["ts_ny"] == "timestamp[microsecond]")
        #expect(table.column(named: "nothing")?.nullCount == 5)
    }

    @Test func nanIsMissing() throws {
        let table = try ArrowReader.read(path: try arrowFixture("types.arrow"))
        let column = try #require(table.column(named: "f64"))
        #expect(column.presence == [true, false, false, true, true])
        #expect(column.doubleValue(at: 3) == -.infinity)
    }

    @Test func dictionariesAreInFirstSeenOrder() throws {
        let table = try ArrowReader.read(path: try arrowFixture("types.arrow"))
        // The file's dictionary is [zeta, alpha, mu] and its indices [1, 0, null, 2, 1].
        let strings = try #require(table.column(named: "d")?.strings)
        #expect(strings.dictionary == ["alpha", "zeta", "mu"])
        #expect(table.column(named: "d")?.stringValues == ["alpha", "zeta", nil, "mu", "alpha"])
        let plain = try #require(table.column(named: "s"))
        #expect(plain.strings?.dictionary == ["naïve", "", "日本語", "comma,\"quote\""])
    }

    @Test func oneBatchColumnsAreUsedInPlace() throws {
        let table = try ArrowReader.read(path: try arrowFixture("types.arrow"))
        func isMapped(_ name: String) -> Bool {
            switch table.column(named: name)?.values {
            case .int64(let values): values.isMapped
            case .float64(let values): values.isMapped
            case .timestamp(let values, _): values.isMapped
            case .string(let strings): strings.codes.isMapped
            default: false
            }
        }
        for name in ["i64", "u64", "f64", "ts_us", "ts_utc"] { #expect(isMapped(name), "\(name) is copied") }
        // Narrower integers in place at their width, read widened.
        for name in ["i8", "i16", "i32", "u8", "u16", "u32"] {
            #expect(isMapped(name), "\(name) is copied")
            if case .int64(let values)? = table.column(named: name)?.values {
                #expect(values.storedBytesPerValue == Int(name.dropFirst())! / 8, "\(name)")
            }
        }
        // Converted once: floats, other units, remapped dictionaries, plain strings (coded).
        for name in ["f32", "ts_s", "d", "s"] { #expect(!isMapped(name), "\(name) is in place") }
        // Codes of a few strings are held at a byte a row.
        #expect(table.column(named: "s")?.strings?.codes.storedBytesPerValue == 1)
        #expect(table.column(named: "d")?.strings?.codes.storedBytesPerValue == 1)
    }

    /// A column in one batch uses its validity bitmap in place too; split over batches, or with a bit set past its
    /// rows (Arrow leaves them undefined), the bitmap is copied, and the rows read the same every way.
    @Test func oneBatchValidityIsUsedInPlaceUnlessItsTailIsDirty() throws {
        let rows = 70
        let valid = (0..<rows).map { $0 % 7 != 3 }
        let expected = ValidityBitmap(valid)
        let values = ColumnBuffer((0..<rows).map { Double($0) / 3 })
        let table = Table(columns: [Column(name: "x", values: .float64(values), validity: expected)])
        func validity(_ bytes: [UInt8]) throws -> ValidityBitmap {
            try #require(try readArrow(bytes).get().column(named: "x")?.validity)
        }
        let clean = try ArrowWriter.encode(table)
        let inPlace = try validity(clean)
        #expect(inPlace.isMapped && inPlace == expected)
        // Rows 70 and 71 (bits 6 and 7 of byte 8, inside the buffer), then byte 9 (the buffer's padding to 8 bytes,
        // which the last word covers).
        let map = try ArrowFileMap(clean)
        let bitmapOffset = Int(littleEndian(clean, try map.bufferPositions(batch: 0)[0], 8))
        let bitmapStart = map.batchMessages[0].bodyStart + bitmapOffset
        for (byte, bits) in [(8, UInt8(0b1100_0000)), (9, UInt8(0xFF))] {
            var dirty = clean
            dirty[bitmapStart + byte] |= bits
            let copied = try validity(dirty)
            #expect(!copied.isMapped && copied == expected, "byte \(byte)")
        }
        let split = try validity(try ArrowWriter.encode(table, options: ArrowWriteOptions(batchRows: 64)))
        #expect(!split.isMapped && split == expected)
    }

    @Test func oneBatchColumnsKeepTheirBitmapInPlace() throws {
        let table = try ArrowReader.read(path: try arrowFixture("types.arrow"))
        // Every column of the file has a null; those whose values the reader converts or codes keep their bitmap in
        // place too. A float column's NaN rows are missing as well, which takes a bitmap of its own: f64 holds a
        // NaN, f32 none.
        for name in ["i64", "u64", "ts_us", "i32", "f32", "b", "ts_s", "date32", "s", "ls", "d", "d8"] {
            #expect(table.column(named: name)?.validity?.isMapped == true, "\(name)")
        }
        let f64 = try #require(table.column(named: "f64"))
        #expect(f64.validityExceptNaN?.isMapped == true && f64.validity?.isMapped == false)
        #expect(f64.validity?.nullCount == 2 && f64.validityExceptNaN?.nullCount == 1)
        // Rows that point at a null dictionary value are missing: the bitmap is copied to clear them (d), or made
        // (e has no null row).
        let nullValues = try ArrowReader.read(path: try arrowFixture("dictionary_null_values.arrow"))
        let d = try #require(nullValues.column(named: "d")?.validity)
        let e = try #require(nullValues.column(named: "e")?.validity)
        #expect(!d.isMapped && !e.isMapped)
        #expect(d.nullCount == 24 && e.nullCount == 18)
        #expect(nullValues.column(named: "n")?.validity == nil)
    }

    @Test func multipleBatchesAreConcatenated() throws {
        let table = try ArrowReader.read(path: try arrowFixture("batches.arrow"))
        #expect(table.rowCount == 201)
        guard case .float64(let values) = try #require(table.column(named: "x")).values else {
            Issue.record("x is not float64")
            return
        }
        // Three batches, read in place piece by piece.
        #expect(values.isMapped && !values.isContiguous)
        #expect(values.count == 201)
    }

    @Test func threadCountDoesNotChangeTheTable() throws {
        for name in ["types.feather", "batches.arrow", "sliced.arrow"] {
            let bytes = try arrowFixtureBytes(name)
            let one = try readArrow(bytes, threads: 1).get()
            let many = try readArrow(bytes, threads: 4).get()
            #expect(identical(one, many), "\(name)")
        }
    }

    @Test func mappedColumnsOutliveTheReader() throws {
        var column: Column?
        do {
            let table = try ArrowReader.read(path: try arrowFixture("types.arrow"))
            column = table.column(named: "i64")
        }
        #expect(column?.int64Values == [Int64.min, Int64.max, 0, 0, -1])
    }

    @Test func dictionaryDeltasAndReplacements() throws {
        let delta = try ArrowReader.read(path: try arrowFixture("dictionary_delta.arrows"))
        #expect(delta.column(named: "d")?.stringValues == ["a", "b", "c", nil, "a", "d", "b"])
        let replaced = try ArrowReader.read(path: try arrowFixture("dictionary_replacement.arrows"))
        #expect(replaced.column(named: "d")?.stringValues == ["x", "y", "y", "q", "q", "x", "y"])
        #expect(replaced.column(named: "d")?.strings?.dictionary == ["x", "y", "q"])
    }

    @Test func sniffsArrowFiles() throws {
        #expect(ArrowReader.isArrow(path: try arrowFixture("types.arrow")))
        #expect(ArrowReader.isArrow(path: try arrowFixture("types.arrows")))
        #expect(!ArrowReader.isArrow(path: try fixturePath("types.csv")))
        #expect(!ArrowReader.isArrow(path: "/nonexistent/file.arrow"))
    }

    @Test func uint64AboveInt64MaxIsAnError() throws {
        let error = ingestError { try ArrowReader.read(path: try arrowFixture("uint64_overflow.arrow")) }
        #expect(error?.code == .arrowValueOutOfRange(column: "id"))
        #expect(error?.description.contains("row 2") == true)
    }

    @Test func nestedTypesAreAnErrorNamingTheColumn() throws {
        let error = ingestError { try ArrowReader.read(path: try arrowFixture("list.arrow")) }
        #expect(error?.code == .arrowUnsupportedType(column: "embedding", type: "list"))
    }

    @Test func otherFilesAreRejectedClearly() throws {
        #expect(ingestError { try ArrowReader.read(bytes: [], path: "e.arrow") }?.code == .emptyFile)
        #expect(ingestError { try ArrowReader.read(path: try fixturePath("types.csv")) }?.code == .unsupportedFormat)
        let featherV1 = Array("FEA1".utf8) + [UInt8](repeating: 0, count: 32)
        let error = ingestError { try ArrowReader.read(bytes: featherV1, path: "old.feather") }
        #expect(error?.code == .unsupportedFormat)
        #expect(error?.message.contains("Feather version 1") == true)
        #expect(ingestError { try ArrowReader.read(path: "/nonexistent.arrow") }?.code == .unreadableFile)
        #expect(ingestError { try ArrowReader.read(path: "/tmp") }?.code == .unreadableFile)
    }
}

import ColumnStore
import Foundation
import Testing
import _TestSupport

@testable import Ingest

struct ArrowWriterTests {
    /// A table with every column type, nulls, and `rows` rows.
    static func sample(rows: Int, seed: UInt64) -> Table {
        var random = SeededRandom(seed: seed)
        var doubles = ContiguousArray<Double>()
        var ints = ContiguousArray<Int64>()
        var flags = ContiguousArray<UInt8>()
        var stamps = ContiguousArray<Int64>()
        var codes = ContiguousArray<UInt32>()
        var valid: [Bool] = []
        let words = ["alpha", "beta", "", "δέλτα", "gamma"]
        var dictionary: [String] = []
        var codeOf: [String: UInt32] = [:]
        for _ in 0..<rows {
            let present = random.unit() > 0.2
            valid.append(present)
            doubles.append(present ? random.unit() * 1e6 - 5e5 : .nan)
            ints.append(present ? Int64(bitPattern: random.next()) : 0)
            flags.append(random.unit() < 0.5 ? 1 : 0)
            stamps.append(Int64(bitPattern: random.next() >> 8) - (1 << 54))
            let word = words[Int(random.next() % UInt64(words.count))]
            if present {
                if codeOf[word] == nil {
                    codeOf[word] = UInt32(dictionary.count)
                    dictionary.append(word)
                }
                codes.append(codeOf[word] ?? 0)
            } else {
                codes.append(0)
            }
        }
        // The reader gives no bitmap to a column without nulls; an exact nanosecond column becomes microseconds.
        let validity = valid.contains(false) ? ValidityBitmap(valid) : nil
        let oddStamps = ContiguousArray(stamps.map { $0 | 1 })
        let nanoseconds = Column(name: "ns", values: .timestamp(ColumnBuffer(oddStamps), .nanosecond), validity: nil)
        return Table(columns: [
            Column(name: "x", values: .float64(ColumnBuffer(doubles)), validity: validity),
            Column(name: "n", values: .int64(ColumnBuffer(ints)), validity: validity),
            Column(name: "flag", values: .bool(ColumnBuffer(flags)), validity: nil),
            Column(name: "when", values: .timestamp(ColumnBuffer(stamps), .microsecond), validity: nil),
            Column(
                name: "label", values: .string(DictionaryStrings(codes: ColumnBuffer(codes), dictionary: dictionary)),
                validity: validity),
            Column(name: "empty", values: .float64(ColumnBuffer([Double](repeating: .nan, count: rows))),
                   validity: rows == 0 ? nil : ValidityBitmap(count: rows, allValid: false)),
        ] + (rows > 0 ? [nanoseconds] : []))
    }

    @Test(arguments: [0, 1, 63, 64, 65, 2047, 2048, 2049])
    func roundTripsEveryLength(_ rows: Int) throws {
        let table = Self.sample(rows: rows, seed: UInt64(rows) + 1)
        for batchRows in [1, 64, 100, ArrowWriteOptions.defaultBatchRows] {
            let bytes = try ArrowWriter.encode(table, options: ArrowWriteOptions(batchRows: batchRows))
            let back = try readArrow(bytes).get()
            #expect(identical(table, back), "\(rows) rows, batches of \(batchRows)")
        }
    }

    @Test func csvRoundTrips() throws {
        for name in ["types.csv", "quoted_crlf_bom.csv", "semicolon.csv"] {
            let table = try CSVReader.read(path: try fixturePath(name))
            let back = try readArrow(try ArrowWriter.encode(table)).get()
            #expect(identical(table, back), "\(name)")
        }
    }

    @Test func arrowRoundTripsThroughFaultline() throws {
        for name in readableArrowFixtures {
            let table = try ArrowReader.read(path: try arrowFixture(name))
            let back = try readArrow(try ArrowWriter.encode(table, options: ArrowWriteOptions(batchRows: 3))).get()
            #expect(identical(table, back), "\(name)")
        }
    }

    @Test func layoutIsAlignedAndFramed() throws {
        let bytes = try ArrowWriter.encode(Self.sample(rows: 1000, seed: 9), options: ArrowWriteOptions(batchRows: 300))
        #expect(Array(bytes.prefix(8)) == Array("ARROW1".utf8) + [0, 0])
        #expect(Array(bytes.suffix(6)) == Array("ARROW1".utf8))
        let map = try ArrowFileMap(bytes)
        #expect(map.dictionaryMessages.count == 1)
        #expect(map.batchMessages.count == 4)
        for (index, message) in map.batchMessages.enumerated() {
            #expect(message.bodyStart % 64 == 0)
            for position in try map.bufferPositions(batch: index) {
                #expect(littleEndian(bytes, position, 8) % 64 == 0, "buffer offsets are 64-byte aligned")
            }
        }
        // The message framing: a continuation marker before each message's metadata.
        for message in map.batchMessages + map.dictionaryMessages {
            #expect(littleEndian(bytes, message.flatbufferStart - 8, 4) == 0xFFFF_FFFF)
        }
    }

    /// A mapped file of many batches is read in place, a piece per batch, for its float columns (the others are
    /// copied, and the pages of each copied buffer handed back as they are copied, `MappedFile.releasePages`):
    /// every value reads the same, on one and two threads, with batches of whole pages and of odd sizes.
    @Test func columnsSplitOverBatchesReadTheSameFromTheMapping() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-batches-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = Self.sample(rows: 70_001, seed: 5)
        for batchRows in [4096, 10_007] {
            let path = directory.appendingPathComponent("batches-\(batchRows).arrow").path
            try ArrowWriter.write(table, to: path, options: ArrowWriteOptions(batchRows: batchRows))
            for threads in [1, 2] {
                let back = try ArrowReader.read(path: path, options: ArrowReadOptions(threads: threads))
                #expect(identical(table, back), "batches of \(batchRows), \(threads) threads")
                if case .float64(let values) = back.columns[0].values {
                    #expect(values.isMapped && !values.isContiguous)
                } else {
                    Issue.record("the first column is not float64")
                }
            }
        }
    }

    @Test func ownFilesAreReadInPlace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-arrow-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sample.arrow").path
        let table = Self.sample(rows: 5000, seed: 3)
        try ArrowWriter.write(table, to: path)
        let back = try ArrowReader.read(path: path)
        #expect(identical(table, back))
        for column in back.columns {
            switch column.values {
            case .float64(let values): #expect(values.isMapped, "\(column.name)")
            case .int64(let values), .timestamp(let values, _): #expect(values.isMapped, "\(column.name)")
            case .string(let strings): #expect(strings.codes.isMapped, "\(column.name)")
            case .bool: break  // bit-packed in Arrow, one byte per row in Faultline
            }
        }
        // Writing over a file that is mapped replaces it (rename), leaving the mapped table intact.
        try ArrowWriter.write(Self.sample(rows: 10, seed: 4), to: path)
        #expect(identical(table, back))
        #expect(try ArrowReader.read(path: path).rowCount == 10)
    }

    @Test func unwritablePathIsAnError() {
        let error = ingestError {
            try ArrowWriter.write(Self.sample(rows: 3, seed: 1), to: "/nonexistent/dir/out.arrow")
            return Table(columns: [])
        }
        #expect(error?.code == .unreadableFile)
    }
}

import ColumnStore
import Foundation
import Testing
import _TestSupport

@testable import Ingest

/// Truncated, corrupted and hostile Arrow files: each gives an `IngestError` with a clear code, never a crash.
struct ArrowHostileInputTests {
    /// Whether an error code is one of the Arrow reader's (or the generic format / empty-file codes).
    static func isArrowCode(_ code: IngestError.Code) -> Bool {
        switch code {
        case .arrowTruncated, .arrowInvalidMetadata, .arrowBufferOutOfBounds, .arrowInvalidLength,
            .arrowInvalidOffsets, .arrowInvalidDictionaryIndex, .arrowMissingDictionary, .arrowUnsupportedType,
            .arrowUnsupportedCompression, .arrowDecompressionFailed, .arrowUnsupportedVersion, .arrowBigEndian,
            .arrowSchemaMismatch, .arrowValueOutOfRange, .arrowInvalidUTF8, .unsupportedFormat, .emptyFile,
            .duplicateColumnName:
            true
        default:
            false
        }
    }

    @Test(arguments: ["types.arrow", "types.feather", "types_zstd.arrow", "batches.arrow", "empty.arrow"])
    func cutAtEveryByteIsAnError(_ name: String) throws {
        let bytes = try arrowFixtureBytes(name)
        for length in 0..<bytes.count {
            switch readArrow(Array(bytes.prefix(length))) {
            case .success:
                Issue.record("\(name) cut at \(length) of \(bytes.count) bytes was read")
            case .failure(let error):
                #expect(Self.isArrowCode(error.code), "\(name) cut at \(length): \(error)")
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test func cutsAtSectionBoundariesNameTheSection() throws {
        let bytes = try arrowFixtureBytes("batches.arrow")
        let map = try ArrowFileMap(bytes)
        var boundaries = [8, map.footerStart, bytes.count - 10, bytes.count - 6]
        for message in map.dictionaryMessages + map.batchMessages {
            boundaries += [message.flatbufferStart - 8, message.flatbufferStart, message.bodyStart]
        }
        for boundary in boundaries {
            let error = try #require(readArrow(Array(bytes.prefix(boundary))).failure)
            // A file cut anywhere loses its trailer: the footer is what is missing.
            #expect(error.code == .arrowTruncated(section: "footer"), "cut at \(boundary): \(error)")
            #expect(error.description.contains("cut short"))
        }
    }

    @Test(arguments: ["types.arrows", "dictionary_delta.arrows"])
    func streamCutsFailOrGiveAPrefix(_ name: String) throws {
        let bytes = try arrowFixtureBytes(name)
        let whole = try readArrow(bytes).get()
        for length in 0..<bytes.count {
            switch readArrow(Array(bytes.prefix(length))) {
            case .success(let table):
                // A stream cut exactly between messages is a shorter stream.
                #expect(table.rowCount <= whole.rowCount, "\(name) cut at \(length)")
                #expect(table.columns.map(\.name) == whole.columns.map(\.name))
            case .failure(let error):
                #expect(Self.isArrowCode(error.code), "\(name) cut at \(length): \(error)")
            }
        }
    }

    @Test(arguments: ["types.arrow", "types.feather", "types_zstd.arrow", "types.arrows", "batches.arrow",
                      "sliced.arrow", "dictionary_delta.arrows"])
    func randomByteFlipsNeverCrash(_ name: String) throws {
        let bytes = try arrowFixtureBytes(name)
        var random = SeededRandom(seed: 0xA770 &+ UInt64(name.utf8.count))
        var errors = 0
        let trials = 400
        for _ in 0..<trials {
            var damaged = bytes
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let position = Int(random.next() % UInt64(bytes.count))
                damaged[position] ^= UInt8(truncatingIfNeeded: 1 + random.next() % 255)
            }
            switch readArrow(damaged, threads: 2) {
            case .success(let table):
                // Flips in values give other values; anything read must still be a consistent table.
                for column in table.columns { #expect(column.count == table.rowCount) }
                _ = table.columns.map { column in (0..<column.count).map { column.textValue(at: $0) } }
            case .failure(let error):
                errors += 1
                #expect(Self.isArrowCode(error.code), "\(error)")
            }
        }
        #expect(errors > 0, "no flip of \(name) was detected")
    }

    @Test func footerBlockPastTheEnd() throws {
        let map = try ArrowFileMap(try arrowFixtureBytes("types.arrow"))
        let position = try map.blockPosition(slot: 3, index: 0)
        let error = try #require(readArrow(map.patched(position, size: 8, to: Int64(map.bytes.count) * 4)).failure)
        #expect(error.code == .arrowBufferOutOfBounds(column: ""))
    }

    @Test func bufferOffsetPastTheBody() throws {
        let map = try ArrowFileMap(try arrowFixtureBytes("types.arrow"))
        let buffers = try map.bufferPositions(batch: 0)
        // Buffer 1 is the values of column 0 ("b").
        let error = try #require(readArrow(map.patched(buffers[1], size: 8, to: 1 << 40)).failure)
        #expect(error.code == .arrowBufferOutOfBounds(column: "b"))
        let longer = try #require(readArrow(map.patched(buffers[1] + 8, size: 8, to: 1 << 30)).failure)
        #expect(longer.code == .arrowBufferOutOfBounds(column: "b"))
    }

    @Test func stringOffsetsPastTheText() throws {
        let map = try ArrowFileMap(try arrowFixtureBytes("types.arrow"))
        let names = try ArrowReader.read(bytes: map.bytes, path: "t").columns.map(\.name)
        let column = try #require(names.firstIndex(of: "s"))
        // Columns before "s" take 2 buffers each except null (none); "s" takes validity, offsets, text.
        let buffers = try map.bufferPositions(batch: 0)
        let offsetsBuffer = 2 * column + 1
        let offsetsStart = map.batchMessages[0].bodyStart + Int(littleEndian(map.bytes, buffers[offsetsBuffer], 8))
        let error = try #require(readArrow(map.patched(offsetsStart + 4, size: 4, to: 1_000_000)).failure)
        #expect(error.code == .arrowInvalidOffsets(column: "s"))
        let backwards = try #require(readArrow(map.patched(offsetsStart + 4, size: 4, to: -5)).failure)
        #expect(backwards.code == .arrowInvalidOffsets(column: "s"))
    }

    @Test func absurdLengths() throws {
        let map = try ArrowFileMap(try arrowFixtureBytes("types.arrow"))
        // The batch claims 2^40 rows (and so does a column's node).
        let batch = try #require(readArrow(map.patched(try map.batchLengthPosition(batch: 0), size: 8, to: 1 << 40)).failure)
        #expect(batch.code == .arrowInvalidLength(column: ""))
        let nodes = try map.nodePositions(batch: 0)
        let node = try #require(readArrow(map.patched(nodes[0], size: 8, to: 1 << 40)).failure)
        #expect(node.code == .arrowInvalidLength(column: "b"))
        let negative = try #require(readArrow(map.patched(nodes[0] + 8, size: 8, to: -1)).failure)
        #expect(negative.code == .arrowInvalidMetadata(section: "record batch 1"))
        // A length beyond the metadata's limits, and a footer that claims more bytes than the file has.
        let huge = try #require(readArrow(map.patched(nodes[0], size: 8, to: .max)).failure)
        #expect(huge.code == .arrowInvalidMetadata(section: "record batch 1"))
        let footer = try #require(readArrow(map.patched(map.bytes.count - 10, size: 4, to: 1 << 30)).failure)
        #expect(footer.code == .arrowInvalidMetadata(section: "footer"))
        // A vector count (the number of buffers) far beyond the metadata.
        let buffers = try map.bufferPositions(batch: 0)
        let vector = try #require(readArrow(map.patched(buffers[0] - 4, size: 4, to: 1 << 30)).failure)
        #expect(vector.code == .arrowInvalidMetadata(section: "record batch 1"))
    }

    @Test func absurdUncompressedLength() throws {
        let map = try ArrowFileMap(try arrowFixtureBytes("types_zstd.arrow"))
        let buffers = try map.bufferPositions(batch: 0)
        // The values buffer of column 0: its 8-byte uncompressed-length prefix claims 2^50 bytes.
        let start = map.batchMessages[0].bodyStart + Int(littleEndian(map.bytes, buffers[1], 8))
        let error = try #require(readArrow(map.patched(start, size: 8, to: 1 << 50)).failure)
        #expect(error.code == .arrowDecompressionFailed(column: "b"))
        // A slightly wrong length: the data decompresses to another size.
        let declared = Int64(littleEndian(map.bytes, start, 8))
        let off = try #require(readArrow(map.patched(start, size: 8, to: declared + 1)).failure)
        #expect(off.code == .arrowDecompressionFailed(column: "b"))
        // Corrupt compressed bytes.
        var corrupt = map.bytes
        for index in (start + 8)..<(start + 12) { corrupt[index] ^= 0xFF }
        #expect(readArrow(corrupt).failure?.code == .arrowDecompressionFailed(column: "b"))
    }

    @Test func unknownCodec() throws {
        let map = try ArrowFileMap(try arrowFixtureBytes("types_zstd.arrow"))
        let position = try #require(try map.codecPosition(batch: 0), "ZSTD (1) is stored explicitly")
        let error = try #require(readArrow(map.patched(position, size: 1, to: 7)).failure)
        #expect(error.code == .arrowUnsupportedCompression(codec: 7))
        #expect(error.message.contains("LZ4_FRAME and ZSTD"))
    }

    @Test func missingDictionaryID() throws {
        let map = try ArrowFileMap(try arrowFixtureBytes("types.arrow"))
        // Dictionary 1 (column "d8") is renamed 99: the record batch's dictionary 1 is then missing.
        let position = try #require(try map.dictionaryIDPosition(dictionary: 1))
        #expect(littleEndian(map.bytes, position, 8) == 1)
        let error = try #require(readArrow(map.patched(position, size: 8, to: 99)).failure)
        #expect(error.code == .arrowMissingDictionary(id: 1))
        #expect(error.message.contains("\"d8\""))
    }

    @Test func dictionaryIndexOutsideTheDictionary() throws {
        let map = try ArrowFileMap(try arrowFixtureBytes("types.arrow"))
        let names = try ArrowReader.read(bytes: map.bytes, path: "t").columns.map(\.name)
        let column = try #require(names.firstIndex(of: "d"))
        // Columns before "d": "s" and "ls" take 3 buffers, the others 2.
        let bufferIndex = 2 * column + 2 + 1
        let buffers = try map.bufferPositions(batch: 0)
        let start = map.batchMessages[0].bodyStart + Int(littleEndian(map.bytes, buffers[bufferIndex], 8))
        let error = try #require(readArrow(map.patched(start, size: 4, to: 3)).failure)
        #expect(error.code == .arrowInvalidDictionaryIndex(column: "d"))
    }

    @Test func unsupportedMetadataVersion() throws {
        let map = try ArrowFileMap(try arrowFixtureBytes("types.arrow"))
        let (start, message, _) = map.batchMessages[0]
        let position = start + (try #require(try message.position(ofField: 0)))
        let error = try #require(readArrow(map.patched(position, size: 2, to: 1)).failure)
        #expect(error.code == .arrowUnsupportedVersion(1))
    }
}

extension Result {
    /// The error, when the result is one.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

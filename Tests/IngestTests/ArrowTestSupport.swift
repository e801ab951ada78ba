import ColumnStore
import Foundation
import Testing

@testable import Ingest

/// Readable Arrow fixtures (Fixtures/arrow/NAME with NAME.json beside it).
let readableArrowFixtures = [
    "types.arrow", "types.feather", "types_zstd.arrow", "types.arrows", "batches.arrow", "sliced.arrow",
    "dictionary_delta.arrows", "dictionary_replacement.arrows", "empty.arrow", "dictionary_null_values.arrow",
]

/// The path of `Fixtures/arrow/name`.
func arrowFixture(_ name: String) throws -> String { try fixturePath("arrow/" + name) }

/// The bytes of `Fixtures/arrow/name`.
func arrowFixtureBytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: try arrowFixture(name))))
}

/// Reads Arrow bytes, returning the table or the `IngestError`.
func readArrow(_ bytes: [UInt8], threads: Int = 1) -> Result<Table, IngestError> {
    Result { () throws(IngestError) -> Table in
        try ArrowReader.read(bytes: bytes, path: "test.arrow", options: ArrowReadOptions(threads: threads))
    }
}

/// Where `table` differs from the expected columns in `jsonPath` (written by `arrow_roundtrip.normalize`): an
/// empty list when it matches. Column types are compared by `ColumnType.description`; timestamps as instants.
func differences(_ table: Table, expectedJSON jsonPath: String) throws -> [String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: jsonPath))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let rows = try #require(root["rows"] as? Int)
    let columns = try #require(root["columns"] as? [[String: Any]])
    var found: [String] = []
    if table.rowCount != rows { found.append("rows: \(table.rowCount), expected \(rows)") }
    if table.columns.map(\.name) != columns.compactMap({ $0["name"] as? String }) {
        found.append("names: \(table.columns.map(\.name)), expected \(columns.compactMap { $0["name"] as? String })")
        return found
    }
    for (column, expected) in zip(table.columns, columns) {
        let type = expected["type"] as? String ?? "?"
        if column.type.description != type {
            found.append("\(column.name): type \(column.type), expected \(type)")
            continue
        }
        let values = expected["values"] as? [Any] ?? []
        for row in 0..<min(values.count, column.count) {
            let want = values[row] is NSNull ? nil : values[row]
            let got = cellText(column, row)
            let wanted = want.map { expectedText($0, type: type) }
            if got != wanted {
                found.append("\(column.name) row \(row): \(got ?? "null"), expected \(wanted ?? "null")")
            }
        }
    }
    return found
}

/// A cell as the JSON encodes it: ints in decimal, floats as `float.hex()`-comparable doubles, timestamps as ns.
private func cellText(_ column: Column, _ row: Int) -> String? {
    guard column.isValid(row) else { return nil }
    switch column.values {
    case .float64(let values): return "\(values[row].bitPattern)"
    case .int64(let values): return String(values[row])
    case .bool(let values): return values[row] != 0 ? "true" : "false"
    case .timestamp(let values, let unit):
        return String(Int128(values[row]) * Int128(1_000_000_000 / unit.perSecond))
    case .string(let strings): return strings.dictionary[Int(strings.codes[row])]
    }
}

private func expectedText(_ value: Any, type: String) -> String {
    switch type {
    case "float64":
        let text = value as? String ?? ""
        let number = Double(text) ?? Double.nan  // Swift parses Python's float.hex() ("0x1.8p+0", "inf", "-0x0p+0")
        return "\(number.bitPattern)"
    case "bool":
        return (value as? Bool ?? false) ? "true" : "false"
    default:
        return value as? String ?? "\(value)"
    }
}

/// A map of an Arrow IPC *file*'s metadata, for tests that damage it on purpose: where the footer, the messages and
/// their flatbuffers lie, so that single fields can be overwritten.
struct ArrowFileMap {
    var bytes: [UInt8]
    var footerStart: Int
    var footer: _FlatTable
    /// Per dictionary block, then per record batch block: the message's offset and its Message table (positions
    /// are relative to `flatbufferStart`).
    var dictionaryMessages: [(flatbufferStart: Int, message: _FlatTable, bodyStart: Int)] = []
    var batchMessages: [(flatbufferStart: Int, message: _FlatTable, bodyStart: Int)] = []

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        let footerLength = Int(littleEndian(bytes, bytes.count - 10, 4))
        footerStart = bytes.count - 10 - footerLength
        footer = try _FlatBuffer(Array(bytes[footerStart..<(bytes.count - 10)])).root()
        for (slot, isDictionary) in [(2, true), (3, false)] {
            guard let blocks = try footer.vector(slot, elementSize: 24) else { continue }
            for index in 0..<blocks.count {
                let at = blocks.elementPosition(index)
                let offset = Int(try blocks.buffer.int64(at))
                let metadataLength = Int(try blocks.buffer.int32(at + 8))
                let size = Int(littleEndian(bytes, offset + 4, 4))
                let message = try _FlatBuffer(Array(bytes[(offset + 8)..<(offset + 8 + size)])).root()
                let entry = (offset + 8, message, offset + metadataLength)
                if isDictionary { dictionaryMessages.append(entry) } else { batchMessages.append(entry) }
            }
        }
    }

    /// The absolute position of the footer's block `index` of kind `slot` (2 dictionaries, 3 record batches).
    func blockPosition(slot: Int, index: Int) throws -> Int {
        footerStart + (try #require(try footer.vector(slot, elementSize: 24))).elementPosition(index)
    }

    /// The absolute positions of a record batch's `Buffer` structs (offset, then length at +8).
    func bufferPositions(batch: Int) throws -> [Int] {
        let (start, message, _) = batchMessages[batch]
        let header = try #require(try message.table(2))
        let buffers = try #require(try header.vector(2, elementSize: 16))
        return (0..<buffers.count).map { start + buffers.elementPosition($0) }
    }

    /// The absolute positions of a record batch's `FieldNode` structs (length, then null count at +8).
    func nodePositions(batch: Int) throws -> [Int] {
        let (start, message, _) = batchMessages[batch]
        let header = try #require(try message.table(2))
        let nodes = try #require(try header.vector(1, elementSize: 16))
        return (0..<nodes.count).map { start + nodes.elementPosition($0) }
    }

    /// The absolute position of a record batch's `length` field.
    func batchLengthPosition(batch: Int) throws -> Int {
        let (start, message, _) = batchMessages[batch]
        let header = try #require(try message.table(2))
        return start + (try #require(try header.position(ofField: 0)))
    }

    /// The absolute position of the codec byte of a record batch's `BodyCompression` (absent for LZ4_FRAME, the
    /// default, in pyarrow's files).
    func codecPosition(batch: Int) throws -> Int? {
        let (start, message, _) = batchMessages[batch]
        let header = try #require(try message.table(2))
        guard let compression = try header.table(3), let position = try compression.position(ofField: 0) else {
            return nil
        }
        return start + position
    }

    /// The absolute position of a dictionary batch's `id` field.
    func dictionaryIDPosition(dictionary: Int) throws -> Int? {
        let (start, message, _) = dictionaryMessages[dictionary]
        let header = try #require(try message.table(2))
        return try header.position(ofField: 0).map { start + $0 }
    }

    /// `bytes` with the little-endian integer at `position` (of `size` bytes) set to `value`.
    func patched(_ position: Int, size: Int, to value: Int64) -> [UInt8] {
        var copy = bytes
        for index in 0..<size { copy[position + index] = UInt8(truncatingIfNeeded: UInt64(bitPattern: value) >> (8 * index)) }
        return copy
    }
}

/// The little-endian unsigned integer of `size` bytes at `offset`.
func littleEndian(_ bytes: [UInt8], _ offset: Int, _ size: Int) -> UInt64 {
    (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
}

import ColumnStore

/// The compression codec of a record batch's buffers (`CompressionType` in Message.fbs).
enum _ArrowCodec: Int, Sendable {
    case lz4Frame = 0
    case zstd = 1

    var name: String { self == .lz4Frame ? "LZ4_FRAME" : "ZSTD" }
}

/// A `FieldNode`: the length and null count of one array.
struct _ArrowFieldNode: Sendable, Equatable {
    var length: Int
    var nullCount: Int
}

/// A `Buffer`: where one buffer lies in its message body.
struct _ArrowBufferSpec: Sendable, Equatable {
    var offset: Int
    var length: Int
}

/// The metadata of a record batch (or of a dictionary batch's data).
struct _ArrowRecordBatch: Sendable {
    var length: Int
    var nodes: [_ArrowFieldNode]
    var buffers: [_ArrowBufferSpec]
    /// The raw `CompressionType` when the buffers are compressed (-1 for a compression method other than BUFFER).
    var compression: Int?

    /// The codec, when the buffers are compressed with a known one (`ArrowReader` rejects unknown ones).
    var codec: _ArrowCodec? { compression.flatMap { _ArrowCodec(rawValue: $0) } }
}

/// A message's header, for the kinds Faultline reads.
enum _ArrowMessageHeader: Sendable {
    case schema(_FlatTable)
    case dictionaryBatch(id: Int64, data: _ArrowRecordBatch, isDelta: Bool)
    case recordBatch(_ArrowRecordBatch)
    /// A tensor or another message kind, by its `MessageHeader` tag.
    case other(UInt8)
}

/// A message of an Arrow IPC stream or file, with the place of its body in the file.
///
/// Encapsulated message format (Arrow 0.15 and later; older files omit the continuation marker):
/// ```
/// [0xFFFFFFFF continuation][int32 metadata size][Message flatbuffer + padding][body: buffers, padded]
/// ```
/// An int32 size of 0 (after the marker, or alone) ends a stream.
struct _ArrowMessage: Sendable {
    var header: _ArrowMessageHeader
    /// Where the body starts in the file, and its length.
    var bodyStart: Int
    var bodyLength: Int
    /// Where the message ends (the next message starts) in the file.
    var end: Int

    /// `MessageHeader` union tags.
    enum Tag {
        static let schema: UInt8 = 1
        static let dictionaryBatch: UInt8 = 2
        static let recordBatch: UInt8 = 3
    }

    /// The oldest and newest `MetadataVersion`s Faultline reads: V4 (3) and V5 (4).
    static let supportedVersions: ClosedRange<Int16> = 3...4
    static let continuation: UInt32 = 0xFFFF_FFFF

    /// Reads the message that starts at `offset`; `nil` at an end-of-stream marker.
    ///
    /// - Parameters:
    ///   - limit: the end of the region the message must lie in (the file, or the footer's start).
    ///   - metadataLimit: for file blocks, the most metadata bytes the block declares.
    /// - Throws: `.arrowTruncated` when the message runs past `limit`; `.arrowInvalidMetadata` when it is malformed.
    static func read(
        _ file: MappedFile, at offset: Int, limit: Int, metadataLimit: Int? = nil, path: String, section: String
    ) throws(IngestError) -> _ArrowMessage? {
        guard offset <= limit - 4 else {
            throw .arrowTruncated(path, section: section, detail: "no room for the message length at byte \(offset)")
        }
        var prefix = 4
        var size = Int32(bitPattern: _ArrowBytes.uint32(file, at: offset))
        if UInt32(bitPattern: size) == continuation {
            guard offset <= limit - 8 else {
                throw .arrowTruncated(path, section: section, detail: "no room for the message length at byte \(offset)")
            }
            prefix = 8
            size = Int32(bitPattern: _ArrowBytes.uint32(file, at: offset + 4))
        }
        if size == 0 { return nil }
        guard size > 0 else {
            throw .arrow(
                .arrowInvalidMetadata(section: section), path,
                "the \(section) declares a negative metadata size (\(size)); the file is damaged. Write it again.")
        }
        let metadataStart = offset + prefix
        let metadataEnd = metadataStart + Int(size)
        if let metadataLimit, prefix + Int(size) > metadataLimit {
            throw .arrow(
                .arrowInvalidMetadata(section: section), path,
                "the \(section) declares \(size) bytes of metadata, more than its block in the footer "
                    + "(\(metadataLimit)); the file is damaged. Write it again.")
        }
        guard metadataEnd <= limit else {
            throw .arrowTruncated(
                path, section: section,
                detail: "its metadata needs bytes \(metadataStart)..<\(metadataEnd), the data ends at \(limit)")
        }
        let buffer = _FlatBuffer(file.bytes(in: metadataStart..<metadataEnd))
        let parsed = try IngestError.flat(path, section) { () throws(_FlatBufferError) in try parse(buffer) }
        guard supportedVersions.contains(parsed.version) else {
            throw .arrow(
                .arrowUnsupportedVersion(Int(parsed.version)), path,
                "the \(section) has Arrow metadata version V\(Int(parsed.version) + 1); Faultline reads V4 and V5 "
                    + "(Arrow 0.8 and later). Write the file again with a current Arrow library.")
        }
        let batch: _ArrowRecordBatch?
        switch parsed.header {
        case .recordBatch(let data), .dictionaryBatch(_, let data, _): batch = data
        case .schema, .other: batch = nil
        }
        if let compression = batch?.compression, _ArrowCodec(rawValue: compression) == nil {
            throw .arrow(
                .arrowUnsupportedCompression(codec: compression), path,
                "the \(section) is compressed with codec \(compression), which Faultline does not know; it reads "
                    + "LZ4_FRAME and ZSTD. Write the file uncompressed or with one of those.")
        }
        let bodyStart = metadataLimit.map { offset + $0 } ?? metadataEnd
        guard parsed.bodyLength >= 0, parsed.bodyLength <= Int64(limit - bodyStart) else {
            if parsed.bodyLength < 0 {
                throw .arrowLength(path, column: "", section: section, "the body length is negative")
            }
            throw .arrowTruncated(
                path, section: section,
                detail: "its body of \(parsed.bodyLength) bytes from byte \(bodyStart) runs past byte \(limit)")
        }
        let bodyLength = Int(parsed.bodyLength)
        return _ArrowMessage(
            header: parsed.header, bodyStart: bodyStart, bodyLength: bodyLength, end: bodyStart + bodyLength)
    }

    /// Message: 0 version (short), 1 header_type (u8), 2 header, 3 bodyLength (long), 4 custom_metadata.
    private static func parse(_ buffer: _FlatBuffer) throws(_FlatBufferError)
        -> (version: Int16, header: _ArrowMessageHeader, bodyLength: Int64)
    {
        let message = try buffer.root()
        let version = try message.int16(0)
        let tag = try message.uint8(1)
        let bodyLength = try message.int64(3)
        let table = try message.table(2)
        switch tag {
        case Tag.schema:
            guard let table else { throw _FlatBufferError(reason: "a schema message has no schema") }
            return (version, .schema(table), bodyLength)
        case Tag.dictionaryBatch:
            // DictionaryBatch: 0 id (long), 1 data (RecordBatch), 2 isDelta (bool).
            guard let table, let data = try table.table(1) else {
                throw _FlatBufferError(reason: "a dictionary batch has no data")
            }
            let batch = try recordBatch(data)
            return (version, .dictionaryBatch(id: try table.int64(0), data: batch, isDelta: try table.bool(2)), bodyLength)
        case Tag.recordBatch:
            guard let table else { throw _FlatBufferError(reason: "a record batch message has no record batch") }
            return (version, .recordBatch(try recordBatch(table)), bodyLength)
        default:
            return (version, .other(tag), bodyLength)
        }
    }

    /// RecordBatch: 0 length (long), 1 nodes [FieldNode], 2 buffers [Buffer], 3 compression, 4 variadic counts.
    /// FieldNode and Buffer are structs of two longs. BodyCompression: 0 codec (byte), 1 method (byte, 0 BUFFER).
    private static func recordBatch(_ table: _FlatTable) throws(_FlatBufferError) -> _ArrowRecordBatch {
        let length = try table.int64(0)
        let structSize = 16
        var nodes: [_ArrowFieldNode] = []
        if let vector = try table.vector(1, elementSize: structSize) {
            nodes.reserveCapacity(vector.count)
            for index in 0..<vector.count {
                let at = vector.elementPosition(index)
                nodes.append(
                    _ArrowFieldNode(
                        length: try checkedInt(try vector.buffer.int64(at), "a field length"),
                        nullCount: try checkedInt(try vector.buffer.int64(at + 8), "a null count")))
            }
        }
        var buffers: [_ArrowBufferSpec] = []
        if let vector = try table.vector(2, elementSize: structSize) {
            buffers.reserveCapacity(vector.count)
            for index in 0..<vector.count {
                let at = vector.elementPosition(index)
                buffers.append(
                    _ArrowBufferSpec(
                        offset: try checkedInt(try vector.buffer.int64(at), "a buffer offset"),
                        length: try checkedInt(try vector.buffer.int64(at + 8), "a buffer length")))
            }
        }
        var compression: Int?
        if let table = try table.table(3) {
            let method = try table.int8(1)
            compression = method == 0 ? Int(try table.int8(0)) : -1
        }
        return _ArrowRecordBatch(
            length: try checkedInt(length, "a record batch length"), nodes: nodes, buffers: buffers,
            compression: compression)
    }

    /// A length, count or offset, which must be between 0 and `Int32.max` * 2^16 (far beyond any real file).
    private static func checkedInt(_ value: Int64, _ what: String) throws(_FlatBufferError) -> Int {
        guard value >= 0, value <= maximumValue else {
            throw _FlatBufferError(reason: "\(what) is \(value), outside 0...\(maximumValue)")
        }
        return Int(value)
    }

    /// The largest length, offset or count accepted in metadata (2^47): beyond any file Faultline can analyse, and
    /// small enough that sums and products by a type's width cannot overflow.
    static let maximumValue: Int64 = 1 << 47
}

import ColumnStore

/// Options for `ArrowWriter`.
public struct ArrowWriteOptions: Sendable {
    /// Rows per record batch (at least 1).
    ///
    /// The default, 2^24 rows, makes most dumps one batch, so that `ArrowReader` uses their columns and bitmaps in
    /// place as single ranges (several batches' number columns are used in place too, piece by piece, but their
    /// bitmaps and dictionary indices are copied); it bounds what a reader that works batch by batch (DuckDB,
    /// streaming readers) holds at once.
    public var batchRows: Int

    public static let defaultBatchRows = 1 << 24

    public init(batchRows: Int = ArrowWriteOptions.defaultBatchRows) {
        self.batchRows = batchRows
    }
}

/// Writes a `Table` as an uncompressed Arrow IPC file (Feather v2), which pyarrow, Polars, DuckDB (through
/// pyarrow) and `ArrowReader` read back to the same values.
///
/// | Column | Arrow type |
/// |---|---|
/// | `.float64` | double |
/// | `.int64` | int64 |
/// | `.bool` | bool |
/// | `.timestamp(_, unit)` | timestamp[unit] without time zone (the values are UTC) |
/// | `.string` | dictionary<int32, string> (large_string when the dictionary holds 2 GiB or more of text) |
///
/// Layout: the magic, the schema, one dictionary batch per string column (its values in Faultline's first-seen
/// order, so that the file's indices are Faultline's codes and are read in place), record batches of
/// `ArrowWriteOptions.batchRows` rows, the end-of-stream marker and the footer. Every message body and every buffer
/// starts at a 64-byte-aligned file offset; validity bitmaps are written only for batches that have nulls, and the
/// value under a missing row is whatever the table holds (0 for dictionary indices).
///
/// ```swift
/// try ArrowWriter.write(table, to: "predictions.arrow")
/// ```
public enum ArrowWriter {
    /// Writes `table` to `path`, atomically: into a temporary file next to it, renamed over `path` at the end (so a
    /// file that is mapped, even the input of a conversion, is never changed in place).
    ///
    /// - Throws: `IngestError` with `.unreadableFile` when the file cannot be written, `.arrowInvalidLength` when a
    ///   dictionary is too large for Arrow's 32-bit indices.
    public static func write(_ table: Table, to path: String, options: ArrowWriteOptions = ArrowWriteOptions())
        throws(IngestError)
    {
        var encoder = try _ArrowFileEncoder(table, options: options, path: path)
        var writer: AtomicFileWriter
        switch AtomicFileWriter.open(path) {
        case .success(let opened): writer = opened
        case .failure(let failure):
            throw IngestError(code: .unreadableFile, path: path, message: failure.description, underlying: failure)
        }
        do throws(AtomicFileError) {
            while let chunk = encoder.next() { try writer.write(chunk) }
            try writer.commit()
        } catch {
            throw IngestError(code: .unreadableFile, path: path, message: error.description, underlying: error)
        }
    }

    /// The bytes of the Arrow IPC file that `write(_:to:options:)` would write.
    public static func encode(_ table: Table, options: ArrowWriteOptions = ArrowWriteOptions()) throws(IngestError)
        -> [UInt8]
    {
        var encoder = try _ArrowFileEncoder(table, options: options, path: "<memory>")
        var bytes: [UInt8] = []
        while let chunk = encoder.next() { bytes.append(contentsOf: chunk) }
        return bytes
    }
}

/// Lays out an Arrow IPC file for a table and hands it out piece by piece (the metadata of every message is
/// planned first, so the footer's blocks are known; buffers are rendered one at a time as they are written).
struct _ArrowFileEncoder {
    private enum Piece {
        case bytes([UInt8])
        /// The values (or validity) of one column in one batch, padded to 64 bytes.
        case buffer(column: Int, batch: Int, kind: BufferKind)
        /// The values of one string column's dictionary.
        case dictionary(column: Int, part: DictionaryPart)
    }

    private enum BufferKind { case validity, values }
    private enum DictionaryPart { case offsets, text }

    static let alignment = 64
    static let metadataVersion: Int16 = 4  // V5

    private let table: Table
    private let batchRows: Int
    private var pieces: [Piece] = []
    private var position = 0
    /// Per string column: the dictionary's UTF-8 text, and whether it needs 64-bit offsets.
    private var dictionaryText: [Int: (bytes: [UInt8], ends: [Int], large: Bool)] = [:]

    init(_ table: Table, options: ArrowWriteOptions, path: String) throws(IngestError) {
        self.table = table
        self.batchRows = max(1, options.batchRows)
        for (index, column) in table.columns.enumerated() {
            guard case .string(let strings) = column.values else { continue }
            guard strings.dictionary.count <= Int(Int32.max) else {
                throw .arrowLength(
                    path, column: column.name, section: "dictionary",
                    "\(strings.dictionary.count) distinct strings do not fit Arrow's 32-bit dictionary indices")
            }
            var bytes: [UInt8] = []
            var ends: [Int] = []
            ends.reserveCapacity(strings.dictionary.count)
            for value in strings.dictionary {
                bytes.append(contentsOf: value.utf8)
                ends.append(bytes.count)
            }
            dictionaryText[index] = (bytes, ends, bytes.count > Int(Int32.max))
        }
        plan()
    }

    /// The next piece of the file, or `nil` at the end.
    mutating func next() -> [UInt8]? {
        guard position < pieces.count else { return nil }
        defer { position += 1 }
        switch pieces[position] {
        case .bytes(let bytes): return bytes
        case .buffer(let column, let batch, let kind): return render(column: column, batch: batch, kind: kind)
        case .dictionary(let column, let part): return renderDictionary(column: column, part: part)
        }
    }

    // MARK: - Plan

    private var batchCount: Int { table.rowCount == 0 ? 0 : (table.rowCount + batchRows - 1) / batchRows }

    private func rows(ofBatch batch: Int) -> Range<Int> {
        (batch * batchRows)..<min(table.rowCount, (batch + 1) * batchRows)
    }

    private static func padded(_ length: Int) -> Int { (length + alignment - 1) / alignment * alignment }

    private mutating func plan() {
        var offset = 0
        func emit(_ bytes: [UInt8]) -> Int {
            let start = offset
            pieces.append(.bytes(bytes))
            offset += bytes.count
            return start
        }
        _ = emit(Array("ARROW1".utf8) + [0, 0])
        let schema = schemaTable()
        _ = emit(Self.frame(message(header: 1, .table(schema), bodyLength: 0), at: offset))
        var dictionaryBlocks: [UInt8] = []
        var dictionaryCount = 0
        for index in table.columns.indices {
            guard let text = dictionaryText[index] else { continue }
            let offsetsLength = (text.ends.count + 1) * (text.large ? 8 : 4)
            let buffers = [(0, offsetsLength), (Self.padded(offsetsLength), text.bytes.count)]
            let bodyLength = Self.padded(offsetsLength) + Self.padded(text.bytes.count)
            let batch = recordBatch(
                length: text.ends.count, nodes: [(text.ends.count, 0)], buffers: [(0, 0)] + buffers)
            var dictionary = _FlatTableBuilder()
            dictionary.add(0, int64: Int64(index))
            dictionary.add(1, .table(batch))
            dictionary.add(2, bool: false)
            let metadata = Self.frame(message(header: 2, .table(dictionary), bodyLength: bodyLength), at: offset)
            let start = emit(metadata)
            pieces.append(.dictionary(column: index, part: .offsets))
            pieces.append(.dictionary(column: index, part: .text))
            offset += bodyLength
            dictionaryBlocks += Self.block(offset: start, metadataLength: metadata.count, bodyLength: bodyLength)
            dictionaryCount += 1
        }
        var batchBlocks: [UInt8] = []
        for batch in 0..<batchCount {
            let range = rows(ofBatch: batch)
            var nodes: [(Int, Int)] = []
            var buffers: [(Int, Int)] = []
            var bodyPieces: [Piece] = []
            var bodyLength = 0
            for (index, column) in table.columns.enumerated() {
                let nulls = nullCount(column, range)
                nodes.append((range.count, nulls))
                if nulls > 0 {
                    let length = (range.count + 7) / 8
                    buffers.append((bodyLength, length))
                    bodyPieces.append(.buffer(column: index, batch: batch, kind: .validity))
                    bodyLength += Self.padded(length)
                } else {
                    buffers.append((bodyLength, 0))
                }
                let length = valuesLength(column, rows: range.count)
                buffers.append((bodyLength, length))
                bodyPieces.append(.buffer(column: index, batch: batch, kind: .values))
                bodyLength += Self.padded(length)
            }
            let batchTable = recordBatch(length: range.count, nodes: nodes, buffers: buffers)
            let metadata = Self.frame(message(header: 3, .table(batchTable), bodyLength: bodyLength), at: offset)
            let start = emit(metadata)
            pieces += bodyPieces
            offset += bodyLength
            batchBlocks += Self.block(offset: start, metadataLength: metadata.count, bodyLength: bodyLength)
        }
        _ = emit(_FlatTableBuilder.littleEndian(UInt64(_ArrowMessage.continuation), 4) + [0, 0, 0, 0])
        var footer = _FlatTableBuilder()
        footer.add(0, int16: Self.metadataVersion)
        footer.add(1, .table(schema))
        footer.add(2, .structs(dictionaryBlocks, count: dictionaryCount))
        footer.add(3, .structs(batchBlocks, count: batchCount))
        let footerBytes = _FlatBufferWriter.serialize(footer)
        _ = emit(
            footerBytes + _FlatTableBuilder.littleEndian(UInt64(footerBytes.count), 4) + Array("ARROW1".utf8))
    }

    /// An encapsulated message starting at file offset `offset`: continuation marker, metadata size, flatbuffer,
    /// padding so that the body after it starts 64-byte aligned.
    private static func frame(_ flatbuffer: [UInt8], at offset: Int) -> [UInt8] {
        let prefix = 8
        let end = padded(offset + prefix + flatbuffer.count)
        let metadataSize = end - offset - prefix
        var bytes = _FlatTableBuilder.littleEndian(UInt64(_ArrowMessage.continuation), 4)
        bytes += _FlatTableBuilder.littleEndian(UInt64(metadataSize), 4)
        bytes += flatbuffer
        bytes += repeatElement(0, count: metadataSize - flatbuffer.count)
        return bytes
    }

    /// A footer `Block`: offset (long), metaDataLength (int) and 4 bytes of padding, bodyLength (long).
    private static func block(offset: Int, metadataLength: Int, bodyLength: Int) -> [UInt8] {
        _FlatTableBuilder.littleEndian(UInt64(offset), 8) + _FlatTableBuilder.littleEndian(UInt64(metadataLength), 4)
            + [0, 0, 0, 0] + _FlatTableBuilder.littleEndian(UInt64(bodyLength), 8)
    }

    /// Message: 0 version, 1 header_type, 2 header, 3 bodyLength.
    private func message(header tag: UInt8, _ header: _FlatValue, bodyLength: Int) -> [UInt8] {
        var message = _FlatTableBuilder()
        message.add(0, int16: Self.metadataVersion)
        message.add(1, uint8: tag)
        message.add(2, header)
        message.add(3, int64: Int64(bodyLength))
        return _FlatBufferWriter.serialize(message)
    }

    /// RecordBatch: 0 length, 1 nodes [FieldNode], 2 buffers [Buffer].
    private func recordBatch(length: Int, nodes: [(Int, Int)], buffers: [(Int, Int)]) -> _FlatTableBuilder {
        func pairs(_ values: [(Int, Int)]) -> [UInt8] {
            values.flatMap {
                _FlatTableBuilder.littleEndian(UInt64($0.0), 8) + _FlatTableBuilder.littleEndian(UInt64($0.1), 8)
            }
        }
        var batch = _FlatTableBuilder()
        batch.add(0, int64: Int64(length))
        batch.add(1, .structs(pairs(nodes), count: nodes.count))
        batch.add(2, .structs(pairs(buffers), count: buffers.count))
        return batch
    }

    /// Schema: 1 fields. Field: 0 name, 1 nullable, 2 type_type, 3 type, 4 dictionary, 5 children.
    private func schemaTable() -> _FlatTableBuilder {
        var fields: [_FlatTableBuilder] = []
        for (index, column) in table.columns.enumerated() {
            var field = _FlatTableBuilder()
            field.add(0, .string(column.name))
            field.add(1, bool: true)
            var type = _FlatTableBuilder()
            let tag: UInt8
            switch column.values {
            case .float64:
                tag = _ArrowType.Tag.floatingPoint
                type.add(0, int16: 2)
            case .int64:
                tag = _ArrowType.Tag.int
                type.add(0, int32: 64)
                type.add(1, bool: true)
            case .bool:
                tag = _ArrowType.Tag.bool
            case .timestamp(_, let unit):
                tag = _ArrowType.Tag.timestamp
                let units: [TimeUnit] = [.second, .millisecond, .microsecond, .nanosecond]
                type.add(0, int16: Int16(units.firstIndex(of: unit) ?? 2))
            case .string:
                tag = dictionaryText[index]?.large == true ? _ArrowType.Tag.largeUTF8 : _ArrowType.Tag.utf8
                var indexType = _FlatTableBuilder()
                indexType.add(0, int32: 32)
                indexType.add(1, bool: true)
                var encoding = _FlatTableBuilder()
                encoding.add(0, int64: Int64(index))
                encoding.add(1, .table(indexType))
                encoding.add(2, bool: false)
                field.add(4, .table(encoding))
            }
            field.add(2, uint8: tag)
            field.add(3, .table(type))
            field.add(5, .tables([]))
            fields.append(field)
        }
        var schema = _FlatTableBuilder()
        schema.add(0, int16: 0)  // little-endian
        schema.add(1, .tables(fields))
        return schema
    }

    // MARK: - Buffers

    private func nullCount(_ column: Column, _ range: Range<Int>) -> Int {
        guard let validity = column.validity else { return 0 }
        if range.lowerBound % 64 == 0 {
            // Whole words, then the tail (bits past the bitmap's count are zero, past the range masked off).
            var valid = 0
            var row = range.lowerBound
            while row + 64 <= range.upperBound {
                valid += validity.word(row >> 6).nonzeroBitCount
                row += 64
            }
            if row < range.upperBound {
                valid += (validity.word(row >> 6) & ((1 << UInt64(range.upperBound - row)) - 1)).nonzeroBitCount
            }
            return range.count - valid
        }
        var nulls = 0
        for row in range where !validity.isValid(row) { nulls += 1 }
        return nulls
    }

    private func valuesLength(_ column: Column, rows: Int) -> Int {
        switch column.values {
        case .float64, .int64, .timestamp: rows * 8
        case .bool: (rows + 7) / 8
        case .string: rows * 4
        }
    }

    private func render(column index: Int, batch: Int, kind: BufferKind) -> [UInt8] {
        let column = table.columns[index]
        let range = rows(ofBatch: batch)
        var bytes: [UInt8]
        switch kind {
        case .validity:
            bytes = [UInt8](repeating: 0, count: (range.count + 7) / 8)
            if let validity = column.validity {
                if range.lowerBound % 64 == 0 {
                    // Whole words, little-endian: byte k of word w is rows 64w + 8k ..< 64w + 8k + 8.
                    for index in bytes.indices {
                        let row = range.lowerBound + 8 * index
                        bytes[index] = UInt8(truncatingIfNeeded: validity.word(row >> 6) >> UInt64(row & 63))
                    }
                    let tail = range.count % 8
                    if tail != 0 { bytes[bytes.count - 1] &= UInt8((1 << tail) - 1) }
                } else {
                    for (position, row) in range.enumerated() where validity.isValid(row) {
                        bytes[position >> 3] |= 1 << UInt8(position & 7)
                    }
                }
            }
        case .values:
            switch column.values {
            case .float64(let values): bytes = Self.rawBytes(values, range)
            case .int64(let values): bytes = Self.rawBytes(values, range)
            case .timestamp(let values, _): bytes = Self.rawBytes(values, range)
            case .bool(let values):
                bytes = [UInt8](repeating: 0, count: (range.count + 7) / 8)
                for (position, row) in range.enumerated() where values[row] != 0 {
                    bytes[position >> 3] |= 1 << UInt8(position & 7)
                }
            case .string(let strings):
                var codes = ContiguousArray<UInt32>()
                codes.reserveCapacity(range.count)
                let validity = column.validity
                // The batch's rows only, run by run: codes held narrow are widened a run at a time.
                unsafe strings.codes.forEachRun(in: range) { run, first in
                    for row in first..<(first + run.count) {
                        // Safe: row - first < run.count.
                        let valid = validity.map { $0.isValid(row) } ?? true
                        codes.append(valid ? unsafe run[row &- first] : 0)
                    }
                }
                bytes = Self.rawBytes(ColumnBuffer(codes), 0..<codes.count)
            }
        }
        bytes += repeatElement(0, count: Self.padded(bytes.count) - bytes.count)
        return bytes
    }

    private func renderDictionary(column: Int, part: DictionaryPart) -> [UInt8] {
        guard let text = dictionaryText[column] else { return [] }
        var bytes: [UInt8]
        switch part {
        case .offsets:
            let width = text.large ? 8 : 4
            bytes = _FlatTableBuilder.littleEndian(0, width)
            bytes.reserveCapacity((text.ends.count + 1) * width)
            for end in text.ends { bytes += _FlatTableBuilder.littleEndian(UInt64(end), width) }
        case .text:
            bytes = text.bytes
        }
        bytes += repeatElement(0, count: Self.padded(bytes.count) - bytes.count)
        return bytes
    }

    /// The bytes of `values[range]` as they lie in memory (little-endian on every platform Faultline runs on): the
    /// batch's rows only, so a column in pieces or stored narrow is not copied whole for every batch.
    private static func rawBytes<T: BitwiseCopyable>(_ values: ColumnBuffer<T>, _ range: Range<Int>) -> [UInt8] {
        unsafe values.withUnsafeBufferPointer(rows: range) { buffer in
            // Safe: the buffer holds exactly the range's values; the raw view is read at once.
            unsafe Array(UnsafeRawBufferPointer(buffer))
        }
    }
}

import ColumnStore

/// The body of one message: where its buffers lie, and how they are compressed.
struct _ArrowBody: Sendable {
    let file: MappedFile
    let start: Int
    let length: Int
    let codec: _ArrowCodec?

    /// The bytes of buffer `spec`, decompressed when the body is compressed.
    ///
    /// - Throws: `.arrowBufferOutOfBounds` when the buffer lies outside the body; `.arrowDecompressionFailed`.
    func buffer(_ spec: _ArrowBufferSpec, column: String, section: String, path: String) throws(IngestError)
        -> _ArrowBuffer
    {
        guard spec.offset <= length, spec.length <= length - spec.offset,
            let stored = _ArrowBuffer(file: file, offset: start + spec.offset, length: spec.length)
        else {
            throw .arrowBounds(
                path, column: column, section: section,
                "a buffer at \(spec.offset) of \(spec.length) bytes lies outside its message body of \(length) bytes")
        }
        guard let codec, stored.length > 0 else { return stored }
        do {
            return try _ArrowCompression.decompress(stored, codec: codec)
        } catch {
            throw .arrow(
                .arrowDecompressionFailed(column: column), path,
                "\(IngestError.location(column, section)): a \(codec.name) buffer cannot be decompressed: \(error.reason). "
                    + "The file is damaged; write it again.")
        }
    }
}

/// One column's share of a record batch: its field node and its buffers, in order.
struct _ArrowColumnChunk: Sendable {
    var node: _ArrowFieldNode
    var buffers: [_ArrowBufferSpec]
}

/// Which version of a dictionary a record batch sees: generation (a replacement starts a new one) and size.
struct _ArrowDictionaryReference: Sendable {
    var generation: Int
    var count: Int
}

/// A record batch, ready for its columns to be decoded.
struct _ArrowBatchPlan: Sendable {
    /// "record batch N" (1-based), for messages.
    var section: String
    var length: Int
    var body: _ArrowBody
    var columns: [_ArrowColumnChunk]
    var dictionaries: [Int64: _ArrowDictionaryReference]
}

/// The values of one generation of a dictionary: strings back to back, with a validity flag each.
struct _ArrowDictionaryValues: Sendable {
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var valid: [Bool] = []

    var count: Int { ends.count }

    func range(of entry: Int) -> Range<Int> { (entry == 0 ? 0 : ends[entry - 1])..<ends[entry] }
}

/// A whole file or stream, parsed down to its record batches: the schema, the dictionaries and the batch plans.
struct _ArrowLayout: Sendable {
    var schema: _ArrowSchema
    var batches: [_ArrowBatchPlan]
    /// Per dictionary id, every generation.
    var dictionaries: [Int64: [_ArrowDictionaryValues]]

    static let fileMagic: [UInt8] = Array("ARROW1".utf8)
    static let featherV1Magic: [UInt8] = Array("FEA1".utf8)
    /// The file format's trailer: int32 footer length + "ARROW1".
    static let trailerLength = 10
    /// "ARROW1" and two bytes of padding.
    static let headerLength = 8

    /// What a file starts with.
    enum Kind: Sendable, Equatable {
        case file, stream, featherV1, other
    }

    /// Whether `file` is an Arrow IPC file, a stream, a Feather v1 file, or something else.
    static func kind(of file: MappedFile) -> Kind {
        if file.count >= 6 && file.bytes(in: 0..<6) == fileMagic { return .file }
        if file.count >= 4 && file.bytes(in: 0..<4) == featherV1Magic { return .featherV1 }
        if file.count >= 8 && _ArrowBytes.uint32(file, at: 0) == _ArrowMessage.continuation {
            let size = Int32(bitPattern: _ArrowBytes.uint32(file, at: 4))
            if size > 0 { return .stream }
        }
        return .other
    }

    /// Parses the file format: the footer's schema and blocks.
    ///
    /// ```
    /// "ARROW1" 00 00 | schema message | dictionary batches | record batches | EOS | footer | int32 size | "ARROW1"
    /// ```
    static func parseFile(_ file: MappedFile, path: String) throws(IngestError) -> _ArrowLayout {
        let size = file.count
        guard size >= headerLength + trailerLength else {
            throw .arrowTruncated(path, section: "footer", detail: "the file has only \(size) bytes")
        }
        guard file.bytes(in: (size - 6)..<size) == fileMagic else {
            throw .arrowTruncated(
                path, section: "footer", detail: "it does not end with the ARROW1 magic, so the footer is missing")
        }
        let footerLength = Int(Int32(bitPattern: _ArrowBytes.uint32(file, at: size - trailerLength)))
        let footerEnd = size - trailerLength
        guard footerLength > 0, footerLength <= footerEnd - headerLength else {
            throw .arrow(
                .arrowInvalidMetadata(section: "footer"), path,
                "the footer declares \(footerLength) bytes, which do not fit in the file of \(size) bytes; the file "
                    + "is damaged. Write it again.")
        }
        let footerStart = footerEnd - footerLength
        let footer = _FlatBuffer(file.bytes(in: footerStart..<footerEnd))
        // Footer: 0 version, 1 schema, 2 dictionaries [Block], 3 recordBatches [Block].
        // Block: offset (long), metaDataLength (int, then 4 bytes of padding), bodyLength (long): 24 bytes.
        let (schemaTable, dictionaryBlocks, batchBlocks) = try IngestError.flat(path, "footer") {
            () throws(_FlatBufferError) in
            let root = try footer.root()
            guard let schema = try root.table(1) else { throw _FlatBufferError(reason: "the footer has no schema") }
            return (schema, try blocks(root, slot: 2), try blocks(root, slot: 3))
        }
        let schema = try _ArrowSchema.parse(schemaTable, path: path, section: "footer")
        var builder = Builder(schema: schema, file: file, path: path)
        try builder.checkSchema()
        for (index, block) in dictionaryBlocks.enumerated() {
            let section = "dictionary batch \(index + 1)"
            let message = try readBlock(file, block, limit: footerStart, path: path, section: section)
            guard case .dictionaryBatch(let id, let data, let isDelta) = message.header else {
                throw .arrow(
                    .arrowInvalidMetadata(section: section), path,
                    "the footer lists a \(section) whose message is not a dictionary batch; the file is damaged.")
            }
            try builder.addDictionary(id: id, data: data, isDelta: isDelta, message: message, section: section)
        }
        for (index, block) in batchBlocks.enumerated() {
            let section = "record batch \(index + 1)"
            let message = try readBlock(file, block, limit: footerStart, path: path, section: section)
            guard case .recordBatch(let batch) = message.header else {
                throw .arrow(
                    .arrowInvalidMetadata(section: section), path,
                    "the footer lists a \(section) whose message is not a record batch; the file is damaged.")
            }
            try builder.addBatch(batch, message: message, section: section)
        }
        return builder.layout
    }

    /// A `Block` of the footer.
    struct Block {
        var offset: Int
        var metadataLength: Int
        var bodyLength: Int
    }

    private static func blocks(_ footer: _FlatTable, slot: Int) throws(_FlatBufferError) -> [Block] {
        guard let vector = try footer.vector(slot, elementSize: 24) else { return [] }
        var blocks: [Block] = []
        blocks.reserveCapacity(vector.count)
        for index in 0..<vector.count {
            let at = vector.elementPosition(index)
            let offset = try vector.buffer.int64(at)
            let metadataLength = Int64(try vector.buffer.int32(at + 8))
            let bodyLength = try vector.buffer.int64(at + 16)
            for value in [offset, metadataLength, bodyLength] where value < 0 || value > _ArrowMessage.maximumValue {
                throw _FlatBufferError(reason: "a block has an offset or length of \(value)")
            }
            blocks.append(Block(offset: Int(offset), metadataLength: Int(metadataLength), bodyLength: Int(bodyLength)))
        }
        return blocks
    }

    private static func readBlock(_ file: MappedFile, _ block: Block, limit: Int, path: String, section: String)
        throws(IngestError) -> _ArrowMessage
    {
        guard block.offset >= headerLength, block.offset <= limit, block.metadataLength <= limit - block.offset,
            block.bodyLength <= limit - block.offset - block.metadataLength
        else {
            throw .arrowBounds(
                path, column: "", section: section,
                "the footer places it at bytes \(block.offset)..<\(block.offset + block.metadataLength + block.bodyLength), "
                    + "outside the data (which ends at \(limit))")
        }
        guard
            let message = try _ArrowMessage.read(
                file, at: block.offset, limit: limit, metadataLimit: block.metadataLength, path: path, section: section)
        else {
            throw .arrow(
                .arrowInvalidMetadata(section: section), path,
                "the footer points the \(section) at an end-of-stream marker; the file is damaged. Write it again.")
        }
        return message
    }

    /// Parses the stream format: a schema message, then dictionary and record batches, up to an end-of-stream
    /// marker or the end of the bytes.
    static func parseStream(_ file: MappedFile, path: String) throws(IngestError) -> _ArrowLayout {
        guard let first = try _ArrowMessage.read(file, at: 0, limit: file.count, path: path, section: "schema") else {
            throw .arrowTruncated(path, section: "schema", detail: "the stream ends before its schema")
        }
        guard case .schema(let table) = first.header else {
            throw .arrow(
                .arrowInvalidMetadata(section: "schema"), path,
                "the stream does not start with a schema message; the file is damaged or not an Arrow stream.")
        }
        let schema = try _ArrowSchema.parse(table, path: path, section: "schema")
        var builder = Builder(schema: schema, file: file, path: path)
        try builder.checkSchema()
        var offset = first.end
        var dictionaryCount = 0
        var batchCount = 0
        while offset < file.count {
            let section = "message at byte \(offset)"
            guard let message = try _ArrowMessage.read(file, at: offset, limit: file.count, path: path, section: section)
            else { break }  // end-of-stream marker
            switch message.header {
            case .dictionaryBatch(let id, let data, let isDelta):
                dictionaryCount += 1
                try builder.addDictionary(
                    id: id, data: data, isDelta: isDelta, message: message,
                    section: "dictionary batch \(dictionaryCount)")
            case .recordBatch(let batch):
                batchCount += 1
                try builder.addBatch(batch, message: message, section: "record batch \(batchCount)")
            case .schema:
                throw .arrow(
                    .arrowInvalidMetadata(section: section), path,
                    "the stream holds a second schema message; the file is damaged or two streams were joined.")
            case .other:
                break  // tensors and future message kinds carry no columns
            }
            offset = message.end
        }
        return builder.layout
    }

    /// Accumulates dictionaries and batch plans in message order.
    private struct Builder {
        var layout: _ArrowLayout
        let file: MappedFile
        let path: String
        /// The buffers each top-level field takes in a record batch.
        var bufferCounts: [Int] = []
        /// The value type of each dictionary id (from the first field that uses it).
        var dictionaryTypes: [Int64: (field: String, type: _ArrowType)] = [:]

        init(schema: _ArrowSchema, file: MappedFile, path: String) {
            self.layout = _ArrowLayout(schema: schema, batches: [], dictionaries: [:])
            self.file = file
            self.path = path
        }

        /// Rejects types Faultline does not read, and duplicate names; works out the buffers per field.
        mutating func checkSchema() throws(IngestError) {
            var names: Set<String> = []
            for field in layout.schema.fields {
                guard names.insert(field.name).inserted else {
                    throw IngestError(
                        code: .duplicateColumnName(field.name), path: path,
                        message: "the column name \"\(field.name)\" appears more than once in the schema. "
                            + "Rename one of the columns so every name is unique.")
                }
                if let encoding = field.dictionary {
                    guard field.type == .utf8 || field.type == .largeUTF8 else {
                        throw unsupported(field, "dictionary<\(field.type.name)>", advice: "decode the dictionary")
                    }
                    guard [8, 16, 32, 64].contains(encoding.indexBitWidth) else {
                        throw unsupported(
                            field, "dictionary with \(encoding.indexBitWidth)-bit indices", advice: "rewrite it")
                    }
                    if dictionaryTypes[encoding.id] == nil { dictionaryTypes[encoding.id] = (field.name, field.type) }
                    bufferCounts.append(2)
                    continue
                }
                if case .unsupported(let name) = field.type { throw unsupported(field, name, advice: "cast or drop it") }
                if field.hasChildren { throw unsupported(field, field.type.name + " with children", advice: "drop it") }
                switch field.type {
                case .null: bufferCounts.append(0)
                case .utf8, .largeUTF8: bufferCounts.append(3)
                default: bufferCounts.append(2)
                }
            }
        }

        private func unsupported(_ field: _ArrowField, _ type: String, advice: String) -> IngestError {
            .arrow(
                .arrowUnsupportedType(column: field.name, type: type), path,
                "column \"\(field.name)\" has Arrow type \(type), which Faultline does not read (it reads bool, "
                    + "integers, floats, strings, dictionary-encoded strings, dates, timestamps and null); "
                    + "\(advice) before writing the file (pyarrow: table.cast(...) or table.drop_columns([...])).")
        }

        /// The nodes and buffers of a batch, split per column, after checking their numbers and lengths.
        private func chunks(
            _ batch: _ArrowRecordBatch, fieldCount: Int, bufferCounts: [Int], section: String
        ) throws(IngestError) -> [_ArrowColumnChunk] {
            let expectedBuffers = bufferCounts.reduce(0, +)
            guard batch.nodes.count == fieldCount, batch.buffers.count == expectedBuffers else {
                throw .arrow(
                    .arrowSchemaMismatch(section: section), path,
                    "the \(section) has \(batch.nodes.count) field nodes and \(batch.buffers.count) buffers, but the "
                        + "schema needs \(fieldCount) and \(expectedBuffers); the file is damaged. Write it again.")
            }
            var chunks: [_ArrowColumnChunk] = []
            chunks.reserveCapacity(fieldCount)
            var next = 0
            for column in 0..<fieldCount {
                let node = batch.nodes[column]
                guard node.length == batch.length, node.nullCount <= node.length else {
                    throw .arrowLength(
                        path, column: column < layout.schema.fields.count ? layout.schema.fields[column].name : "",
                        section: section,
                        "the column has \(node.length) rows and \(node.nullCount) nulls in a batch of \(batch.length) rows")
                }
                chunks.append(_ArrowColumnChunk(node: node, buffers: Array(batch.buffers[next..<(next + bufferCounts[column])])))
                next += bufferCounts[column]
            }
            return chunks
        }

        /// The largest batch length accepted when no column's buffers bound it (only null-type columns): 8 rows
        /// per byte of the file, which every column with a validity bitmap or values needs at least.
        private var maximumUnboundedLength: Int { 8 * file.count + 64 }

        mutating func addBatch(_ batch: _ArrowRecordBatch, message: _ArrowMessage, section: String)
            throws(IngestError)
        {
            guard batch.length <= Int(Int32.max) else {
                throw .arrowLength(path, column: "", section: section, "the batch claims \(batch.length) rows")
            }
            let fields = layout.schema.fields
            if fields.allSatisfy({ $0.type == .null && $0.dictionary == nil }), batch.length > maximumUnboundedLength {
                throw .arrowLength(
                    path, column: "", section: section,
                    "the batch claims \(batch.length) rows of null columns, far more than the file can describe")
            }
            let columns = try chunks(batch, fieldCount: fields.count, bufferCounts: bufferCounts, section: section)
            var references: [Int64: _ArrowDictionaryReference] = [:]
            for field in fields {
                guard let id = field.dictionary?.id else { continue }
                guard let generations = layout.dictionaries[id], let current = generations.last else {
                    throw .arrow(
                        .arrowMissingDictionary(id: id), path,
                        "\(section), column \"\(field.name)\" uses dictionary \(id), but no dictionary batch with "
                            + "that id comes before it; the file is damaged or incomplete. Write it again.")
                }
                references[id] = _ArrowDictionaryReference(generation: generations.count - 1, count: current.count)
            }
            let body = _ArrowBody(
                file: file, start: message.bodyStart, length: message.bodyLength, codec: batch.codec)
            layout.batches.append(
                _ArrowBatchPlan(
                    section: section, length: batch.length, body: body, columns: columns, dictionaries: references))
        }

        mutating func addDictionary(
            id: Int64, data: _ArrowRecordBatch, isDelta: Bool, message: _ArrowMessage, section: String
        ) throws(IngestError) {
            guard let (fieldName, type) = dictionaryTypes[id] else { return }  // a dictionary no column uses
            let column = "\(fieldName) (dictionary \(id))"
            guard data.length <= Int(Int32.max) else {
                throw .arrowLength(path, column: column, section: section, "the dictionary claims \(data.length) values")
            }
            let chunks = try chunks(data, fieldCount: 1, bufferCounts: [3], section: section)
            let body = _ArrowBody(file: file, start: message.bodyStart, length: message.bodyLength, codec: data.codec)
            var generations = layout.dictionaries[id] ?? []
            var values = _ArrowDictionaryValues()
            let extendsLast = isDelta && !generations.isEmpty
            if extendsLast, let last = generations.last { values = last }
            try _ArrowColumnDecoder.appendDictionaryValues(
                chunks[0], rows: data.length, body: body, largeOffsets: type == .largeUTF8, to: &values,
                column: column, section: section, path: path)
            if extendsLast {
                generations[generations.count - 1] = values
            } else {
                generations.append(values)
            }
            layout.dictionaries[id] = generations
        }
    }
}

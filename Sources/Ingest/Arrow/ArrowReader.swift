import ColumnStore
import Dispatch
import Synchronization

/// Options for `ArrowReader`.
public struct ArrowReadOptions: Sendable {
    /// Columns decoded in parallel (at least 1).
    public var threads: Int

    public init(threads: Int = 1) {
        self.threads = threads
    }
}

/// Reads Arrow IPC files (`.arrow`, `.feather` = Feather v2, `.ipc`) and Arrow IPC streams into a `Table`, using
/// the file's buffers in place where their layout is Faultline's.
///
/// **Formats.** The IPC *file* format (magic `ARROW1`, footer with the schema and the blocks of the dictionary and
/// record batches) and the IPC *stream* format (a schema message, then dictionary and record batches, up to an
/// end-of-stream marker), metadata versions V4 and V5, little-endian. Buffers may be uncompressed, or compressed
/// with LZ4_FRAME or ZSTD (pyarrow's `write_feather` uses LZ4 by default); compressed buffers are decompressed
/// once, through the system's liblz4 and libzstd.
///
/// **Types** (see `_ArrowColumnDecoder` for the table): bool, int8 to int64 and uint8 to uint64 (as int64; a
/// uint64 value above `Int64.max` is an error naming the column), float16/32/64 (as float64; NaN is missing, as in
/// the CSV reader), utf8, large_utf8 and dictionary-encoded strings (as dictionary strings in first-seen order),
/// date32, date64 and timestamps of every unit with or without a time zone (values are UTC instants; stored in
/// microseconds when that is exact, as the CSV reader stores them, else in their own unit), and null (an all-missing
/// float64 column). Nested and other types are an error naming the column (cast or drop them before writing).
///
/// **Zero copy.** The file is memory-mapped read-only (`MappedFile`). An integer, float64 or timestamp[us] column,
/// uncompressed, is used in place: its `ColumnBuffer` views the mapping and keeps it alive, as one range when the
/// file is one record batch and as one piece per batch when it has several (pyarrow writes 64k-row batches);
/// int8 to int32 and uint8 to uint32 stay at their width and are widened as kernels read them. So are dictionary
/// indices that already are Faultline's codes (dictionary in first-use order, as `ArrowWriter` and pyarrow's
/// `dictionary_encode` write them; pandas sorts a categorical's categories). Everything else is converted once into owned buffers, string codes at 1, 2 or 4 bytes as the
/// dictionary needs. A one-batch file's validity bitmaps are used in place when aligned; several batches' are
/// copied into 64-bit words.
///
/// **Safety.** Every offset, length and count in the metadata is checked before it is used, and every buffer
/// against its message body and the file: a truncated, corrupt or hostile file throws an `IngestError` whose code
/// says what is wrong (`.arrowTruncated`, `.arrowInvalidMetadata`, `.arrowBufferOutOfBounds`, ...), never traps.
///
/// ```swift
/// let table = try ArrowReader.read(path: "predictions.feather")
/// ```
public enum ArrowReader {
    /// The file name extensions of Arrow IPC files and streams.
    public static let fileExtensions: Set<String> = ["arrow", "feather", "ipc", "arrows"]

    /// Reads the Arrow IPC file or stream at `path`.
    ///
    /// - Parameters:
    ///   - path: the file; it is memory-mapped and must not change while the table is in use.
    ///   - options: the number of threads that decode columns.
    /// - Returns: one column per schema field, in schema order.
    /// - Throws: `IngestError`; `.unreadableFile` when the file cannot be opened or mapped.
    /// - Complexity: O(metadata) for columns used in place; O(rows) for converted ones.
    public static func read(path: String, options: ArrowReadOptions = ArrowReadOptions()) throws(IngestError) -> Table {
        let file: MappedFile
        do {
            file = try MappedFile.open(path: path)
        } catch {
            throw IngestError(
                code: .unreadableFile, path: path,
                message: "cannot \(error.code == .openFailed ? "open" : "read") the file. Check that the path exists, "
                    + "is a readable file (not a directory), and that you have permission to read it.",
                underlying: error)
        }
        return try read(file: file, options: options)
    }

    /// Reads Arrow IPC bytes held in memory (copied into an aligned buffer first).
    ///
    /// - Parameters:
    ///   - bytes: an Arrow IPC file or stream.
    ///   - path: the name to use in error messages.
    public static func read(bytes: [UInt8], path: String, options: ArrowReadOptions = ArrowReadOptions())
        throws(IngestError) -> Table
    {
        try read(file: MappedFile(copying: bytes, path: path), options: options)
    }

    /// Reads an Arrow IPC file or stream from a mapped file.
    public static func read(file: MappedFile, options: ArrowReadOptions = ArrowReadOptions()) throws(IngestError)
        -> Table
    {
        let path = file.path
        guard file.count > 0 else {
            throw IngestError(
                code: .emptyFile, path: path, message: "the file is empty. An Arrow file needs at least a schema.")
        }
        let layout: _ArrowLayout
        switch _ArrowLayout.kind(of: file) {
        case .file: layout = try _ArrowLayout.parseFile(file, path: path)
        case .stream: layout = try _ArrowLayout.parseStream(file, path: path)
        case .featherV1:
            throw .unsupported(
                path,
                "the file is Feather version 1, which Faultline does not read. Write it again as Feather v2 (pyarrow: "
                    + "feather.write_feather(table, path), the default) or as an Arrow IPC file.")
        case .other:
            throw .unsupported(
                path,
                "the file is not an Arrow IPC file (it does not start with ARROW1) nor an Arrow IPC stream.")
        }
        return try table(layout, path: path, threads: options.threads)
    }

    /// Whether the file at `path` starts like an Arrow IPC file (`ARROW1`) or stream; `false` when it cannot be
    /// read.
    public static func isArrow(path: String) -> Bool {
        guard let file = try? MappedFile.open(path: path) else { return false }
        let kind = _ArrowLayout.kind(of: file)
        return kind == .file || kind == .stream
    }

    /// Decodes every column, in parallel over columns.
    static func table(_ layout: _ArrowLayout, path: String, threads: Int) throws(IngestError) -> Table {
        var totalRows = 0
        for batch in layout.batches {
            let (sum, overflow) = totalRows.addingReportingOverflow(batch.length)
            guard !overflow, sum <= Int(_ArrowMessage.maximumValue) else {
                throw .arrowLength(path, column: "", section: batch.section, "the batches hold too many rows")
            }
            totalRows = sum
        }
        let context = _ArrowColumnDecoder.Context(layout: layout, path: path, totalRows: totalRows)
        let fields = layout.schema.fields
        let results = parallelMap(fields.count, threads: threads) { index in
            Result { () throws(IngestError) -> Column in
                try _ArrowColumnDecoder.decode(field: fields[index], index: index, context: context)
            }
        }
        var columns: [Column] = []
        columns.reserveCapacity(fields.count)
        for result in results {
            switch result {
            case .success(let column): columns.append(column)
            case .failure(let error): throw error  // the first failing column, in schema order
            }
        }
        return Table(columns: columns)
    }

    /// Runs `body` for `0..<count` on up to `threads` threads and returns the results in order.
    private static func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count <= 1 || threads <= 1 { return (0..<count).map(body) }
        let results = Locked<[T?]>(Array(repeating: nil, count: count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(threads, count)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let value = body(index)
                results.withLock { $0[index] = value }
            }
        }
        return results.withLock { slots in slots.compactMap { $0 } }
    }
}

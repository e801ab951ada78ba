import ColumnStore
import Dispatch

/// Reads CSV files into a `Table`, inferring each column's type from every cell of the file.
///
/// **Format.** RFC 4180 with LF or CRLF line ends: quoted fields may hold delimiters, line breaks and doubled
/// quotes; a UTF-8 byte-order mark is skipped; a header record is required; entirely empty lines are skipped (as
/// pandas does, which also means a one-column file reads an empty unquoted line as no record); a final line break
/// is optional. Header names are used as written, without their quotes; an empty name becomes `Unnamed: i` (the
/// 0-based column index, as in pandas) and two equal names are an error. Every record must have as many fields as
/// the header.
///
/// **Missing values.** A cell is missing when its unquoted text equals one of pandas' default markers or
/// `CSVOptions.extraMissingValues` (see there). Missing cells are clear bits of the column's validity bitmap,
/// which is `nil` when the column has none; the value stored under a missing cell is NaN for float64, 0 for
/// int64, bool and timestamp, and code 0 for strings.
///
/// **Types.** Each column gets the narrowest of bool < int64 < float64 < timestamp < string that fits all its
/// non-missing cells (see `_CellTypes`):
/// - bool: `True`, `False`, `TRUE`, `FALSE`, `true`, `false`;
/// - int64: an optional sign and digits that fit in `Int64` (larger integers make the column float64);
/// - float64: decimal or scientific notation, and `inf`/`infinity` in any case with an optional sign, correctly
///   rounded (the value of Python's `float(text)`); a column mixing integers and floats is float64;
/// - timestamp: ISO-8601 dates and date-times, stored as `.timestamp(_, .microsecond)` in UTC (see
///   `_TimestampParser`); values with an offset are converted to UTC, and values without one are taken as UTC, so
///   a column that mixes both is still a timestamp column;
/// - string: anything else, dictionary-encoded with the distinct values in order of first appearance.
///
/// Numbers with surrounding spaces are strings. A column whose cells are all missing is float64 and all-null; a
/// file with a header but no records gives a table of zero rows whose columns are float64.
///
/// **How it works.** The file is memory-mapped (`read(path:options:)`) and split at line breaks into
/// `CSVOptions.threads` chunks, which are parsed in parallel in a single pass: each chunk infers its columns' types
/// while it stores their values (`_ChunkParseSink`). A chunk is parsed speculatively, as if its first byte were
/// outside quotes; when the previous chunk's last record runs past that point (a quoted field held the line
/// break), the chunk is parsed again from where that record ends. The chunks' types are then intersected. Where a
/// column that turns out to be text was stored as numbers, bools or timestamps for a while (in a chunk of its own,
/// or before a text cell appeared), those cells are read again as text (`_StringFixupSink`). Last, the chunks'
/// values are concatenated in order, string dictionaries merged so that codes follow first appearance in the
/// whole file. The result does not depend on the number of threads.
///
/// Errors in the structure of the file (NUL bytes, quotes, field counts) are found before encoding errors
/// (invalid UTF-8), each kind reported at its first occurrence in the file.
///
/// Memory: the mapped file (page cache), 8 bytes per cell while chunks are parsed (4 once a column holds
/// strings), the final typed columns (each chunk buffer is freed as soon as it is copied, so at most one column
/// exists twice), and the distinct strings of each string column. Nothing is kept per cell besides its value.
public enum CSVReader {
    /// Reads the CSV file at `path`.
    ///
    /// - Parameters:
    ///   - path: the file to read; it is memory-mapped and must not change while it is read.
    ///   - options: delimiter, extra missing-value markers, and thread count.
    /// - Returns: one column per header field, in header order.
    /// - Throws: `IngestError`; its `code` says what is wrong and where (line and column).
    /// - Complexity: O(n) in the file size: one pass over the bytes, plus the cells read again as text.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws(IngestError) -> Table {
        let file = try _FileBytes.load(path: path)
        return try file.withBytesReleasing { (bytes, release) throws(IngestError) -> Table in
            try _CSVParse.table(
                bytes, path: path, options: options, minimumChunkBytes: _CSVParse.minimumChunkBytes, release: release
            ).table
        }
    }

    /// Reads CSV text held in memory.
    ///
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - path: the name to use in error messages.
    ///   - options: delimiter, extra missing-value markers, and thread count.
    /// - Returns: one column per header field, in header order.
    /// - Throws: `IngestError`; its `code` says what is wrong and where (line and column).
    /// - Complexity: O(n) in the number of bytes (see `read(path:options:)`).
    public static func read(bytes: [UInt8], path: String, options: CSVOptions = CSVOptions()) throws(IngestError)
        -> Table
    {
        try _CSVParse.table(bytes.span, path: path, options: options, minimumChunkBytes: _CSVParse.minimumChunkBytes)
            .table
    }
}

/// Counters that tests use to check that chunking did what they meant it to.
struct _CSVReadStatistics: Sendable, Equatable {
    /// The number of chunks the records were split into.
    var chunks: Int
    /// The chunks tokenized again because their speculative start lay inside a quoted field.
    var reparsedChunks: Int
    /// The chunks whose first records were read again because a column of theirs turned to strings.
    var fixedUpChunks: Int
}

/// The steps of `CSVReader`, over the bytes of one file.
enum _CSVParse {
    /// Files smaller than `threads` times this are split into fewer chunks.
    static let minimumChunkBytes = 64 * 1024

    /// The settings every chunk shares.
    private struct Setup: Sendable {
        var delimiter: UInt8
        var columnCount: Int
        var missing: _MissingValueMatcher
        var strtodUsable: Bool
        /// The average record length in the first lines, to size the chunks' buffers.
        var recordBytes: Int
    }

    /// A chunk after parsing: where it starts, how it ended, and its values.
    private struct ParsedChunk: Sendable {
        var start: Int
        var outcome: _CSVTokenizer.Outcome
        var sink: _ChunkParseSink
    }

    /// Reads `bytes` (see `CSVReader`), splitting records into chunks of at least `minimumChunkBytes`.
    /// Pages of the mapped file are released (`release`) this many bytes at a time behind each pass, so at most
    /// about this much text per thread is resident.
    static let releaseWindow = 32 << 20


    static func table(
        _ bytes: Span<UInt8>, path: String, options: CSVOptions, minimumChunkBytes: Int,
        release: _PageRelease = .none, releaseWindow: Int = releaseWindow
    ) throws(IngestError) -> (table: Table, statistics: _CSVReadStatistics) {
        let start = _CSVDialect.contentStart(bytes)
        guard start < bytes.count else { throw .empty(path) }
        if let format = _CSVDialect.binaryFormat(bytes) {
            throw .unsupported(path, "the file is not CSV text: it looks like \(format).")
        }
        var scanned = 0
        while scanned < bytes.count {
            let end = min(bytes.count, scanned + max(1, releaseWindow))
            if let offset = _UnsafeLibC.firstNUL(in: bytes.extracting(scanned..<end)) {
                throw .nulByte(path, line: _CSVTokenizer.lineNumber(of: scanned + offset, in: bytes))
            }
            release(scanned..<end)
            scanned = end
        }
        if _CSVDialect.usesCarriageReturnLineEnds(bytes, from: start) {
            throw .unsupported(
                path,
                "the lines end with a carriage return alone (classic Mac OS line ends), so the file reads as one "
                    + "line. Convert the line ends to line feeds, e.g. tr '\\r' '\\n' < in.csv > out.csv.")
        }
        let delimiter = options.delimiter ?? _CSVDialect.detectDelimiter(bytes, from: start)
        guard _CSVDialect.isUsableDelimiter(delimiter) else {
            throw .unsupported(
                path,
                "byte \(delimiter) cannot be a delimiter (a quote, line break or NUL); "
                    + "choose another delimiter.")
        }

        // The header.
        var header = _HeaderSink()
        var scratch: [UInt8] = []
        let headerOutcome = _CSVTokenizer.tokenize(
            bytes, from: start, until: bytes.count, delimiter: delimiter, expectedFields: nil, maximumRecords: 1,
            sink: &header, scratch: &scratch)
        if let failure = headerOutcome.failure { throw error(failure, bytes: bytes, path: path, expected: 0) }
        guard headerOutcome.records == 1, let headerStart = header.start else { throw .noHeader(path) }
        let names = try columnNames(
            header.fields, line: _CSVTokenizer.lineNumber(of: headerStart, in: bytes), path: path)

        // Chunks, parsed speculatively in parallel, then checked in order.
        let dataStart = headerOutcome.end
        let threads = max(1, options.threads)
        let chunkCount = max(1, min(threads, (bytes.count - dataStart) / max(1, minimumChunkBytes)))
        let nominalStarts = chunkStarts(bytes, from: dataStart, count: chunkCount)
        let setup = Setup(
            delimiter: delimiter, columnCount: names.count,
            missing: _MissingValueMatcher(extra: options.extraMissingValues),
            strtodUsable: _UnsafeLibC.decimalPointIsDot(),
            recordBytes: averageRecordBytes(bytes, from: dataStart))
        var chunks = parallelMap(chunkCount) { chunk in
            parse(
                bytes, setup, from: nominalStarts[chunk], until: nominalStarts[chunk + 1], release: release,
                window: releaseWindow)
        }
        var expectedStart = dataStart
        var reparsed = 0
        for chunk in 0..<chunkCount {
            if chunks[chunk].start != expectedStart {
                chunks[chunk] = parse(
                    bytes, setup, from: expectedStart,
                    until: max(expectedStart, nominalStarts[chunk + 1]), release: release,
                    window: releaseWindow)
                reparsed += 1
            }
            if let failure = chunks[chunk].outcome.failure {
                throw error(failure, bytes: bytes, path: path, expected: names.count)
            }
            expectedStart = chunks[chunk].outcome.end
        }

        // The file's types.
        var types = chunks[0].sink.types
        for chunk in chunks.dropFirst() {
            for column in types.indices { types[column].formIntersection(chunk.sink.types[column]) }
        }
        let columnTypes = types.map { $0.columnType(sawValue: $0 != .all) }

        // Chunks whose string columns started as something else read those cells again.
        let fixups = chunks.indices.filter { chunk in
            columnTypes.indices.contains { fixupRestart(chunks[chunk].sink, column: $0, type: columnTypes[$0]) > 0 }
        }
        // (`parsed` is a constant copy for the parallel closure; the chunks' buffers are shared, not copied.)
        let parsed = chunks
        let fixed = parallelMap(fixups.count) { index in
            var chunk = parsed[fixups[index]]
            fixUp(bytes, setup, &chunk, types: columnTypes)
            return chunk
        }
        for (index, chunk) in fixups.enumerated() { chunks[chunk] = fixed[index] }
        // The text is read; what follows builds the columns (an error's line number maps pages in again).
        release(0..<bytes.count)

        let columns = try assemble(
            chunks.map(\.sink), names: names, types: columnTypes,
            recordCounts: chunks.map(\.outcome.records), bytes: bytes, path: path)
        let statistics = _CSVReadStatistics(chunks: chunkCount, reparsedChunks: reparsed, fixedUpChunks: fixups.count)
        return (Table(columns: columns), statistics)
    }

    // MARK: - Steps

    /// The header names: UTF-8, empty names replaced by `Unnamed: i`, no duplicates.
    private static func columnNames(_ fields: [[UInt8]], line: Int, path: String) throws(IngestError) -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        for (index, field) in fields.enumerated() {
            guard let decoded = String(validating: field, as: UTF8.self) else {
                throw .invalidUTF8(path, line: line, column: "header field \(index + 1)")
            }
            let name = decoded.isEmpty ? "Unnamed: \(index)" : decoded
            guard seen.insert(name).inserted else { throw .duplicateColumn(path, name: name, line: line) }
            names.append(name)
        }
        return names
    }

    /// `count + 1` offsets: where each chunk would start if no line break near a split point were inside quotes
    /// (the first line start at or after an even split), then `bytes.count`.
    private static func chunkStarts(_ bytes: Span<UInt8>, from dataStart: Int, count: Int) -> [Int] {
        var starts = [dataStart]
        let length = bytes.count - dataStart
        for chunk in 1..<max(1, count) {
            var position = max(dataStart + length / count * chunk, starts[chunk - 1]) - 1
            while position < bytes.count, bytes[position] != _CSVTokenizer.lineFeed { position += 1 }
            starts.append(min(position + 1, bytes.count))
        }
        starts.append(bytes.count)
        return starts
    }

    /// The average length of the first records (at most 64 KiB of them), at least 1.
    private static func averageRecordBytes(_ bytes: Span<UInt8>, from start: Int) -> Int {
        let sampleEnd = min(bytes.count, start + 64 * 1024)
        var lines = 0
        for index in start..<sampleEnd where bytes[index] == _CSVTokenizer.lineFeed { lines += 1 }
        return max(1, (sampleEnd - start) / max(1, lines))
    }

    private static func parse(
        _ bytes: Span<UInt8>, _ setup: Setup, from start: Int, until limit: Int, release: _PageRelease, window: Int
    ) -> ParsedChunk {
        // Room for 5% more records than the first lines suggest, but never more than the chunk can hold (every
        // record has at least one byte per column); buffers are uninitialized, so unused room costs no memory.
        let chunkBytes = max(0, limit - start)
        let expectedRecords = min(chunkBytes / setup.recordBytes * 21 / 20, chunkBytes / setup.columnCount) + 16
        var sink = _ChunkParseSink(
            columnCount: setup.columnCount, expectedRecords: expectedRecords, missing: setup.missing,
            strtodUsable: setup.strtodUsable)
        var scratch: [UInt8] = []
        // In windows, releasing the text of each once it is read; a window goes on where the previous one's last
        // record ended, so this reads the same records as one call.
        var outcome = _CSVTokenizer.Outcome(end: start, records: 0, failure: nil)
        while outcome.end < limit {
            let windowStart = outcome.end
            let part = _CSVTokenizer.tokenize(
                bytes, from: windowStart, until: min(limit, windowStart + max(1, window)), delimiter: setup.delimiter,
                expectedFields: setup.columnCount, sink: &sink, scratch: &scratch)
            outcome = _CSVTokenizer.Outcome(end: part.end, records: outcome.records + part.records, failure: part.failure)
            if part.failure != nil || part.end <= windowStart { break }
            release(windowStart..<part.end)
        }
        return ParsedChunk(start: start, outcome: outcome, sink: sink)
    }

    /// The number of first records of a chunk's column that must be read again as strings (0 when none).
    private static func fixupRestart(_ sink: _ChunkParseSink, column: Int, type: ColumnType) -> Int {
        guard type == .string else { return 0 }
        switch sink.representations[column] {
        case .string: return sink.stringStarts[column]
        case .undetermined: return 0
        case .bool, .int64, .float64, .timestamp: return sink.record
        }
    }

    /// Reads a chunk's first records again to store the cells of its columns that turned to strings.
    private static func fixUp(_ bytes: Span<UInt8>, _ setup: Setup, _ chunk: inout ParsedChunk, types: [ColumnType]) {
        let restarts = types.indices.map { fixupRestart(chunk.sink, column: $0, type: types[$0]) }
        var fixup = _StringFixupSink(restarts: restarts, columns: chunk.sink.columns, missing: setup.missing)
        var scratch: [UInt8] = []
        let outcome = _CSVTokenizer.tokenize(
            bytes, from: chunk.start, until: chunk.outcome.end, delimiter: setup.delimiter,
            expectedFields: setup.columnCount, maximumRecords: fixup.recordsToRead, sink: &fixup, scratch: &scratch)
        assert(outcome.failure == nil && outcome.records == fixup.recordsToRead, "a fix-up read differs")
        fixup.finish(&chunk.sink)
    }

    /// Concatenates the chunks' values column by column, merging string dictionaries in chunk order; each chunk
    /// buffer is freed as soon as it is copied, so at most one column exists twice.
    private static func assemble(
        _ sinks: [_ChunkParseSink], names: [String], types: [ColumnType], recordCounts: [Int], bytes: Span<UInt8>,
        path: String
    ) throws(IngestError) -> [Column] {
        var sinks = sinks
        let total = recordCounts.reduce(0, +)
        var firstInvalid: (offset: Int, column: String)?
        var columns: [Column] = []
        columns.reserveCapacity(names.count)
        for column in names.indices {
            let missing = sinks.map { $0.missing[column] }
            let validity = validityBitmap(missing, recordCounts: recordCounts, total: total)
            let values: ColumnValues
            switch types[column] {
            case .float64:
                var array = ContiguousArray<Double>()
                array.reserveCapacity(total)
                for (chunk, sink) in sinks.enumerated() {
                    if sink.representations[column] == .int64 {
                        sink.columns.moveWords(column: column, count: recordCounts[chunk], into: &array) {
                            Double(Int64(bitPattern: $0))
                        }
                    } else {
                        sink.columns.moveWords(column: column, count: recordCounts[chunk], into: &array) {
                            Double(bitPattern: $0)
                        }
                    }
                }
                forEachMissing(missing, recordCounts: recordCounts) { array[$0] = .nan }
                values = .float64(ColumnBuffer(array))
            case .int64, .timestamp:
                var array = ContiguousArray<Int64>()
                array.reserveCapacity(total)
                for (chunk, sink) in sinks.enumerated() {
                    sink.columns.moveWords(column: column, count: recordCounts[chunk], into: &array) {
                        Int64(bitPattern: $0)
                    }
                }
                forEachMissing(missing, recordCounts: recordCounts) { array[$0] = 0 }
                let buffer = ColumnBuffer(array)
                values = types[column] == .int64 ? .int64(buffer) : .timestamp(buffer, .microsecond)
            case .bool:
                var array = ContiguousArray<UInt8>()
                array.reserveCapacity(total)
                for (chunk, sink) in sinks.enumerated() {
                    sink.columns.moveWords(column: column, count: recordCounts[chunk], into: &array) {
                        UInt8(truncatingIfNeeded: $0)
                    }
                }
                forEachMissing(missing, recordCounts: recordCounts) { array[$0] = 0 }
                values = .bool(ColumnBuffer(array))
            case .string:
                var strings = mergeStrings(&sinks, column: column, recordCounts: recordCounts, total: total)
                forEachMissing(missing, recordCounts: recordCounts) { strings.codes[$0] = 0 }
                switch strings.dictionary {
                case .success(let dictionary):
                    // Held at one or two bytes a row when the dictionary allows, for the rest of the analysis.
                    let codes = _NarrowCodesBuilder.narrowed(strings.codes, below: dictionary.count)
                    strings.codes = []
                    values = .string(DictionaryStrings(codes: codes, dictionary: dictionary))
                case .failure(let invalid):
                    // Report the invalid cell that comes first in the file, whichever column it is in.
                    if firstInvalid.map({ invalid.offset < $0.offset }) ?? true {
                        firstInvalid = (invalid.offset, names[column])
                    }
                    values = .string(DictionaryStrings(codes: ColumnBuffer(strings.codes), dictionary: []))
                }
            }
            for chunk in sinks.indices { sinks[chunk].releaseMissing(column: column) }
            if firstInvalid == nil { columns.append(Column(name: names[column], values: values, validity: validity)) }
        }
        if let firstInvalid {
            throw .invalidUTF8(
                path, line: _CSVTokenizer.lineNumber(of: firstInvalid.offset, in: bytes), column: firstInvalid.column)
        }
        return columns
    }

    /// The file offset of the first occurrence of a string that is not valid UTF-8.
    private struct InvalidUTF8: Error {
        var offset: Int
    }

    /// Merges one string column's chunks: codes remapped to the dictionary of the whole file, in first-seen
    /// order, and the dictionary's entries validated as UTF-8 and turned into `String`s.
    private static func mergeStrings(
        _ sinks: inout [_ChunkParseSink], column: Int, recordCounts: [Int], total: Int
    ) -> (codes: ContiguousArray<UInt32>, dictionary: Result<[String], InvalidUTF8>) {
        var table = _ByteStringTable()
        swap(&table, &sinks[0].tables[column])
        var codes = ContiguousArray<UInt32>()
        codes.reserveCapacity(total)
        sinks[0].columns.moveCodes(column: column, count: recordCounts[0], remap: nil, into: &codes)
        for chunk in sinks.indices.dropFirst() {
            var local = _ByteStringTable()
            swap(&local, &sinks[chunk].tables[column])
            var remap: [UInt32] = []
            remap.reserveCapacity(local.count)
            for entry in 0..<local.count { remap.append(table.code(ofEntry: entry, in: local)) }
            sinks[chunk].columns.moveCodes(column: column, count: recordCounts[chunk], remap: remap, into: &codes)
        }
        var dictionary: [String] = []
        dictionary.reserveCapacity(table.count)
        let arena = table.bytes
        for entry in 0..<table.count {
            let range = table.range(of: entry)
            // Entries are in first-seen order, so the first invalid one is the column's first invalid cell.
            guard _UTF8Validation.isValid(arena.span.extracting(range)) else {
                return (codes, .failure(InvalidUTF8(offset: table.firstOffsets[entry])))
            }
            dictionary.append(String(decoding: arena[range], as: UTF8.self))  // valid, so nothing is repaired
        }
        return (codes, .success(dictionary))
    }

    /// Calls `body` with the file-wide record index of every missing cell of one column.
    private static func forEachMissing(_ missing: [[UInt64]], recordCounts: [Int], _ body: (Int) -> Void) {
        var firstRecord = 0
        for (chunk, words) in missing.enumerated() {
            for (wordIndex, word) in words.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    body(firstRecord + wordIndex * 64 + bits.trailingZeroBitCount)
                    bits &= bits - 1
                }
            }
            firstRecord += recordCounts[chunk]
        }
    }

    /// The validity of one column from the chunks' missing bits, or `nil` when no cell is missing.
    private static func validityBitmap(_ missing: [[UInt64]], recordCounts: [Int], total: Int) -> ValidityBitmap? {
        guard missing.contains(where: { words in words.contains { $0 != 0 } }) else { return nil }
        var bitmap = ValidityBitmap(count: total, allValid: true)
        forEachMissing(missing, recordCounts: recordCounts) { bitmap.set($0, false) }
        return bitmap
    }

    private static func error(
        _ failure: _TokenizerFailure, bytes: Span<UInt8>, path: String, expected: Int
    ) -> IngestError {
        switch failure {
        case .ragged(let offset, let found):
            .ragged(path, line: _CSVTokenizer.lineNumber(of: offset, in: bytes), expected: expected, found: found)
        case .unterminatedQuote(let offset):
            .unterminatedQuote(path, line: _CSVTokenizer.lineNumber(of: offset, in: bytes))
        }
    }

    /// Runs `body` for `0..<count`, in parallel when `count > 1`, and returns the results in order.
    private static func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count <= 1 { return count == 1 ? [body(0)] : [] }
        let results = Locked<[T?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let value = body(index)
            results.withLock { $0[index] = value }
        }
        let collected = results.withLock { slots in slots.compactMap { $0 } }
        assert(collected.count == count, "a parallel task produced no result")
        return collected
    }
}

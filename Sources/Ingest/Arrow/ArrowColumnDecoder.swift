import ColumnStore

/// Builds a validity bitmap batch by batch.
struct _ValidityBuilder: Sendable {
    private(set) var words: [UInt64] = []
    private(set) var count = 0
    private(set) var nullCount = 0
    /// The bitmap of a column's one batch, kept as it is (it may be in place in the file).
    private var whole: ValidityBitmap?

    init(reservingCapacity rows: Int) { words.reserveCapacity((rows + 63) / 64) }

    /// Appends a batch's bitmap, or `rows` valid rows when `nil`. The first batch's bitmap is kept whole, words in
    /// place included, until another batch follows it.
    mutating func append(_ batch: ValidityBitmap?, rows: Int) {
        if count == 0, let batch, batch.count == rows {
            whole = batch
            count = rows
            nullCount = batch.nullCount
            return
        }
        if let kept = whole {
            whole = nil
            count = 0
            nullCount = 0
            appendWords(kept.words, rows: kept.count)
        }
        appendWords(batch?.words, rows: rows)
    }

    /// Appends `rows` rows whose validity is `batchWords` (LSB first, bits past `rows` clear), or all valid when
    /// `nil`.
    private mutating func appendWords(_ batchWords: [UInt64]?, rows: Int) {
        precondition(whole == nil, "a kept bitmap is appended to as words")
        guard rows > 0 else { return }
        let newCount = count + rows
        let newWordCount = (newCount + 63) / 64
        let shift = count % 64
        guard let batchWords else {
            // All valid: set the bits count..<newCount.
            if shift != 0 { words[words.count - 1] |= ~0 << UInt64(shift) }
            while words.count < newWordCount { words.append(~0) }
            count = newCount
            clearTail()
            return
        }
        nullCount += rows - batchWords.reduce(0) { $0 + $1.nonzeroBitCount }
        if shift == 0 {
            words.append(contentsOf: batchWords)
        } else {
            for word in batchWords {
                words[words.count - 1] |= word << UInt64(shift)
                words.append(word >> UInt64(64 - shift))
            }
        }
        words.removeLast(words.count - newWordCount)
        count = newCount
        clearTail()
    }

    private mutating func clearTail() {
        let tail = count % 64
        if tail != 0 { words[words.count - 1] &= (1 << UInt64(tail)) - 1 }
    }

    /// Whether row `row` is valid.
    func isValid(_ row: Int) -> Bool {
        if let whole { return whole.isValid(row) }
        return words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// The bitmap, or `nil` when no row is missing.
    func build() -> ValidityBitmap? {
        nullCount == 0 ? nil : whole ?? ValidityBitmap(words: words, count: count)
    }
}

/// Turns the buffers of one schema field, across all record batches, into a `Column`.
///
/// | Arrow type | Column | storage |
/// |---|---|---|
/// | int64, uint64 (all values <= Int64.max) | `.int64` | in place (one piece per batch), copied when compressed |
/// | int8, int16, int32, uint8, uint16, uint32 | `.int64` | in place at their width, widened as read; converted when compressed |
/// | double | `.float64` | in place, as int64 (NaN is missing, as in the CSV reader) |
/// | float, halffloat | `.float64` | converted |
/// | bool (bit-packed) | `.bool` | one byte per row |
/// | timestamp[us] (any time zone) | `.timestamp(_, .microsecond)` | in place, as int64 |
/// | timestamp[s, ms, ns], date32, date64 | `.timestamp(_, .microsecond)` when exact, else their own unit | converted |
/// | string, large_string, dictionary<_, string> | `.string` | dictionary in first-seen order; codes at 1, 2 or 4 bytes (as few as the dictionary allows), in place when they already are |
/// | null | `.float64`, all missing | |
enum _ArrowColumnDecoder {
    /// Everything a column decoder reads.
    struct Context {
        let layout: _ArrowLayout
        let path: String
        let totalRows: Int

        /// Whether the columns are in one batch with rows: then they use their buffers in place where they can.
        var isOneBatch: Bool { layout.batches.lazy.filter { $0.length > 0 }.count == 1 }
    }

    /// One batch's share of a column, with the batch's validity (`nil`: all valid).
    private struct Piece {
        var batch: Int
        var rows: Int
        var validity: ValidityBitmap?
        /// The buffers after the validity bitmap, decompressed.
        var buffers: [_ArrowBuffer]
    }

    static func decode(field: _ArrowField, index: Int, context: Context) throws(IngestError) -> Column {
        let name = field.name
        if field.dictionary != nil { return try dictionaryStrings(field, index: index, context: context) }
        switch field.type {
        case .null:
            let rows = context.totalRows
            return Column(
                name: name, values: .float64(ColumnBuffer([Double](repeating: .nan, count: rows))),
                validity: rows == 0 ? nil : ValidityBitmap(count: rows, allValid: false))
        case .bool:
            var validity = _ValidityBuilder(reservingCapacity: context.totalRows)
            let pieces = try pieces(field, index: index, context: context, validity: &validity) { rows in
                [(rows + 7) / 8]
            }
            let values = unsafe filled(context.totalRows, pieces) { piece, target, start in
                unsafe piece.buffers[0].unpackBits(piece.rows, into: target, at: start)
            }
            return Column(name: name, values: .bool(ColumnBuffer(values)), validity: validity.build())
        case .int(let width, let signed):
            var validity = _ValidityBuilder(reservingCapacity: context.totalRows)
            let pieces = try pieces(field, index: index, context: context, validity: &validity) { [$0 * width / 8] }
            let values: ColumnBuffer<Int64>
            switch (width, signed) {
            case (8, true): values = widened(pieces, Int8.self, context)
            case (16, true): values = widened(pieces, Int16.self, context)
            case (32, true): values = widened(pieces, Int32.self, context)
            case (8, false): values = widened(pieces, UInt8.self, context)
            case (16, false): values = widened(pieces, UInt16.self, context)
            case (32, false): values = widened(pieces, UInt32.self, context)
            case (64, false):
                try checkUInt64(pieces, column: name, context: context)
                values = int64s(pieces, context)
            default: values = int64s(pieces, context)
            }
            return Column(name: name, values: .int64(values), validity: validity.build())
        case .floatingPoint(let precision):
            var validity = _ValidityBuilder(reservingCapacity: context.totalRows)
            let width = [2, 4, 8][precision]
            let pieces = try pieces(field, index: index, context: context, validity: &validity) { [$0 * width] }
            let values: ColumnBuffer<Double>
            switch precision {
            case 0: values = converted(pieces, Float16.self, context) { Double($0) }
            case 1: values = converted(pieces, Float.self, context) { Double($0) }
            default: values = doubles(pieces, context)
            }
            // NaN is missing too: which rows hold it is found when a kernel first needs it.
            return Column(name: name, float64: values, nulls: validity.build())
        case .date(let days):
            var validity = _ValidityBuilder(reservingCapacity: context.totalRows)
            let width = days ? 4 : 8
            let pieces = try pieces(field, index: index, context: context, validity: &validity) { [$0 * width] }
            let stored = days ? widened(pieces, Int32.self, context) : int64s(pieces, context)
            // Days become seconds (exact) and then microseconds when that cannot overflow.
            let (values, unit) =
                days
                ? microseconds(scaled(stored, by: 86_400, validity) ?? stored, unit: .second, validity)
                : microseconds(stored, unit: .millisecond, validity)
            return Column(name: name, values: .timestamp(values, unit), validity: validity.build())
        case .timestamp(let unit, _):
            var validity = _ValidityBuilder(reservingCapacity: context.totalRows)
            let pieces = try pieces(field, index: index, context: context, validity: &validity) { [$0 * 8] }
            let (values, normalized) = microseconds(int64s(pieces, context), unit: unit, validity)
            return Column(name: name, values: .timestamp(values, normalized), validity: validity.build())
        case .utf8, .largeUTF8:
            return try plainStrings(field, index: index, context: context)
        case .unsupported(let type):
            // The schema check rejects these first.
            throw .arrow(
                .arrowUnsupportedType(column: name, type: type), context.path,
                "column \"\(name)\" has Arrow type \(type), which Faultline does not read.")
        }
    }

    // MARK: - Buffers

    /// The validity and value buffers of every batch with rows, after checking that each value buffer holds
    /// `neededBytes(rows)[k]` bytes.
    private static func pieces(
        _ field: _ArrowField, index: Int, context: Context, validity: inout _ValidityBuilder,
        neededBytes: (Int) -> [Int]
    ) throws(IngestError) -> [Piece] {
        var pieces: [Piece] = []
        // A column in one batch uses its bitmap in place, as it does its values.
        let inPlace = context.isOneBatch
        for (batchIndex, batch) in context.layout.batches.enumerated() where batch.length > 0 {
            let chunk = batch.columns[index]
            let rowsValidity = try batchValidity(
                chunk, batch: batch, column: field.name, path: context.path, inPlace: inPlace)
            validity.append(rowsValidity, rows: batch.length)
            var buffers: [_ArrowBuffer] = []
            let needed = neededBytes(batch.length)
            for (offset, spec) in chunk.buffers.dropFirst().enumerated() {
                let buffer = try batch.body.buffer(spec, column: field.name, section: batch.section, path: context.path)
                if offset < needed.count, buffer.length < needed[offset] {
                    throw .arrowLength(
                        context.path, column: field.name, section: batch.section,
                        "\(batch.length) rows need \(needed[offset]) bytes of values, the buffer has \(buffer.length)")
                }
                buffers.append(buffer)
            }
            pieces.append(Piece(batch: batchIndex, rows: batch.length, validity: rowsValidity, buffers: buffers))
        }
        return pieces
    }

    /// A chunk's validity bitmap as words, or `nil` when it has no nulls.
    private static func validityWords(
        _ chunk: _ArrowColumnChunk, batch: _ArrowBatchPlan, column: String, path: String
    ) throws(IngestError) -> [UInt64]? {
        try validityBuffer(chunk, batch: batch, column: column, path: path).map(copiedWords)
    }

    /// A chunk's validity, or `nil` when it has no nulls: in place when `inPlace` (the column is this one batch) and
    /// the file's bitmap can be read as words (8-byte aligned, bits past the rows clear), else copied.
    private static func batchValidity(
        _ chunk: _ArrowColumnChunk, batch: _ArrowBatchPlan, column: String, path: String, inPlace: Bool
    ) throws(IngestError) -> ValidityBitmap? {
        guard let (buffer, rows) = try validityBuffer(chunk, batch: batch, column: column, path: path) else {
            return nil
        }
        // The last word ends within the buffer's padding to 8 bytes, which an aligned buffer owns; the mapping
        // checks that its bits past the rows are clear.
        if inPlace, let bitmap = ValidityBitmap(mapping: buffer.file, byteOffset: buffer.offset, count: rows) {
            return bitmap
        }
        return ValidityBitmap(words: copiedWords(buffer, rows: rows), count: rows)
    }

    /// A chunk's validity buffer, checked to hold a bit per row, or `nil` when the chunk has no nulls.
    private static func validityBuffer(
        _ chunk: _ArrowColumnChunk, batch: _ArrowBatchPlan, column: String, path: String
    ) throws(IngestError) -> (buffer: _ArrowBuffer, rows: Int)? {
        guard chunk.node.nullCount > 0 else { return nil }
        guard let spec = chunk.buffers.first else { return nil }
        let buffer = try batch.body.buffer(spec, column: column, section: batch.section, path: path)
        let rows = chunk.node.length
        guard buffer.holds((rows + 7) / 8, width: 1) else {
            throw .arrowLength(
                path, column: column, section: batch.section,
                "\(rows) rows with \(chunk.node.nullCount) nulls need a validity bitmap of \((rows + 7) / 8) bytes, "
                    + "it has \(buffer.length)")
        }
        return (buffer, rows)
    }

    /// The bitmap's words, copied; its pages are handed back, as it is not read again.
    private static func copiedWords(_ buffer: _ArrowBuffer, rows: Int) -> [UInt64] {
        let words = buffer.validityWords(rows: rows)
        buffer.releasePages()
        return words
    }

    // MARK: - Numbers

    /// Int64 values: in place when every batch's values are aligned in the file, else one copy.
    private static func int64s(_ pieces: [Piece], _ context: Context) -> ColumnBuffer<Int64> {
        if pieces.count == 1, let mapped = pieces[0].buffers[0].mapped(pieces[0].rows, as: Int64.self) {
            return mapped
        }
        if let file = sharedFile(pieces), let mapped = ColumnBuffer<Int64>(
            mapping: file, byteOffsets: pieces.map { $0.buffers[0].offset }, counts: pieces.map(\.rows))
        {
            return mapped
        }
        return ColumnBuffer(
            unsafe filled(context.totalRows, pieces) { piece, target, start in
                unsafe piece.buffers[0].copy(piece.rows, of: Int64.self, into: target, at: start)
            })
    }

    /// Double values: in place when every batch's values are aligned in the file, else one copy.
    private static func doubles(_ pieces: [Piece], _ context: Context) -> ColumnBuffer<Double> {
        if pieces.count == 1, let mapped = pieces[0].buffers[0].mapped(pieces[0].rows, as: Double.self) {
            return mapped
        }
        if let file = sharedFile(pieces), let mapped = ColumnBuffer<Double>(
            mapping: file, byteOffsets: pieces.map { $0.buffers[0].offset }, counts: pieces.map(\.rows))
        {
            return mapped
        }
        return ColumnBuffer(
            unsafe filled(context.totalRows, pieces) { piece, target, start in
                unsafe piece.buffers[0].copy(piece.rows, of: Double.self, into: target, at: start)
            })
    }

    /// The file every piece's values lie in, when they all lie in the same one: the input's bytes (a compressed
    /// batch's buffers are each decompressed into bytes of their own, and are copied).
    private static func sharedFile(_ pieces: [Piece]) -> MappedFile? {
        guard let file = pieces.first?.buffers[0].file,
            pieces.allSatisfy({ $0.buffers[0].file === file })
        else { return nil }
        return file
    }

    /// Narrower integers read as Int64: in place, widened as kernels read them, when every batch's values lie in the
    /// file (not decompressed); else widened into one copy.
    private static func widened<Source: FixedWidthInteger & BitwiseCopyable>(
        _ pieces: [Piece], _ source: Source.Type, _ context: Context
    ) -> ColumnBuffer<Int64> {
        if let file = sharedFile(pieces), let narrow = ColumnBuffer<Int64>(
            mapping: file, byteOffsets: pieces.map { $0.buffers[0].offset }, counts: pieces.map(\.rows),
            storedAs: Source.self)
        {
            return narrow
        }
        return ColumnBuffer(
            unsafe filled(context.totalRows, pieces) { piece, target, start in
                unsafe piece.buffers[0].convert(piece.rows, of: Source.self, into: target, at: start) { Int64($0) }
            })
    }

    /// Values of another type, converted to Double.
    private static func converted<Source: AdditiveArithmetic & BitwiseCopyable>(
        _ pieces: [Piece], _ source: Source.Type, _ context: Context, _ convert: (Source) -> Double
    ) -> ColumnBuffer<Double> {
        ColumnBuffer(
            unsafe filled(context.totalRows, pieces) { piece, target, start in
                unsafe piece.buffers[0].convert(piece.rows, of: Source.self, into: target, at: start, convert)
            })
    }

    /// An array of `count` values that `write` fills piece by piece: each call must write `piece.rows` values from
    /// `start`, and the pieces' rows add up to `count`.
    private static func filled<T>(
        _ count: Int, _ pieces: [Piece], _ write: (Piece, UnsafeMutableBufferPointer<T>, Int) -> Void
    ) -> ContiguousArray<T> {
        precondition(pieces.reduce(0) { $0 + $1.rows } == count, "pieces do not cover the column")
        // An empty column must not go through `unsafeUninitializedCapacity`: with capacity 0 it writes the count
        // into the shared empty-array storage, a data race (ThreadSanitizer) when columns decode in parallel.
        guard count > 0 else { return [] }
        return unsafe ContiguousArray(unsafeUninitializedCapacity: count) { buffer, initialized in
            var start = 0
            for piece in pieces {
                // Safe: the pieces cover 0..<count exactly, each written completely by `write`.
                unsafe write(piece, buffer, start)
                // Copied, the piece's values are not read again: a column split over batches is not held twice.
                for source in piece.buffers { source.releasePages() }
                start += piece.rows
            }
            initialized = count
        }
    }

    /// Rejects a uint64 column with a present value above `Int64.max` (it is then read as Int64, bit for bit).
    private static func checkUInt64(_ pieces: [Piece], column: String, context: Context) throws(IngestError) {
        for piece in pieces {
            let tooLarge: Int? = piece.buffers[0].withSpan(piece.rows, of: UInt64.self) { values in
                for row in values.indices where values[row] > UInt64(Int64.max) {
                    if let validity = piece.validity, !validity.isValid(row) { continue }
                    return row
                }
                return nil
            }
            if let row = tooLarge {
                let section = context.layout.batches[piece.batch].section
                throw .arrow(
                    .arrowValueOutOfRange(column: column), context.path,
                    "\(section), column \"\(column)\", row \(row + 1) of the batch: the uint64 value is above "
                        + "\(Int64.max), the largest integer Faultline holds. Cast the column to double (or drop it) "
                        + "before writing the file.")
            }
        }
    }

    /// The values times `factor`, or `nil` when a present value overflows.
    private static func scaled(_ values: ColumnBuffer<Int64>, by factor: Int64, _ validity: _ValidityBuilder)
        -> ColumnBuffer<Int64>?
    {
        var result = ContiguousArray<Int64>()
        result.reserveCapacity(values.count)
        let checkValidity = validity.nullCount > 0
        var failed = false
        // Run by run: narrow days are widened a few thousand at a time, not into a second whole copy.
        unsafe values.forEachRun(in: 0..<values.count) { buffer, first in
            guard !failed else { return }
            for index in buffer.indices {
                let (product, overflow) = unsafe buffer[index].multipliedReportingOverflow(by: factor)
                if overflow {
                    if !checkValidity || validity.isValid(first + index) {
                        failed = true
                        return
                    }
                    result.append(0)
                } else {
                    result.append(product)
                }
            }
        }
        return failed ? nil : ColumnBuffer(result)
    }

    /// Timestamps in microseconds when that is exact and fits (as the CSV reader gives them, so that an analysis
    /// does not depend on the format), else in their own unit.
    private static func microseconds(_ values: ColumnBuffer<Int64>, unit: TimeUnit, _ validity: _ValidityBuilder)
        -> (ColumnBuffer<Int64>, TimeUnit)
    {
        switch unit {
        case .microsecond:
            return (values, .microsecond)
        case .second, .millisecond:
            let factor = TimeUnit.microsecond.perSecond / unit.perSecond
            guard let scaled = scaled(values, by: factor, validity) else { return (values, unit) }
            return (scaled, .microsecond)
        case .nanosecond:
            let checkValidity = validity.nullCount > 0
            let divisor: Int64 = 1_000
            var exact = true
            unsafe values.withUnsafeBufferPointer { buffer in
                for row in buffer.indices where unsafe buffer[row] % divisor != 0 {
                    if checkValidity && !validity.isValid(row) { continue }
                    exact = false
                    return
                }
            }
            guard exact else { return (values, .nanosecond) }
            var result = ContiguousArray<Int64>()
            result.reserveCapacity(values.count)
            unsafe values.withUnsafeBufferPointer { buffer in
                for row in buffer.indices { result.append(unsafe buffer[row] / divisor) }
            }
            return (ColumnBuffer(result), .microsecond)
        }
    }

    // MARK: - Strings

    /// Appends the values of a dictionary batch's string array to `values`.
    static func appendDictionaryValues(
        _ chunk: _ArrowColumnChunk, rows: Int, body: _ArrowBody, largeOffsets: Bool,
        to values: inout _ArrowDictionaryValues, column: String, section: String, path: String
    ) throws(IngestError) {
        guard rows > 0 else { return }
        let batch = _ArrowBatchPlan(section: section, length: rows, body: body, columns: [chunk], dictionaries: [:])
        let words = try validityWords(chunk, batch: batch, column: column, path: path)
        let (offsets, data) = try stringBuffers(
            chunk, rows: rows, body: body, large: largeOffsets, column: column, section: section, path: path)
        let failure =
            largeOffsets
            ? appendValues(offsets, Int64.self, data, rows: rows, words: words, to: &values)
            : appendValues(offsets, Int32.self, data, rows: rows, words: words, to: &values)
        if let failure {
            throw badOffsets(path, column: column, section: section, failure, dataLength: data.length)
        }
    }

    private static func appendValues<Offset: FixedWidthInteger & BitwiseCopyable>(
        _ offsets: _ArrowBuffer, _ type: Offset.Type, _ data: _ArrowBuffer, rows: Int, words: [UInt64]?,
        to values: inout _ArrowDictionaryValues
    ) -> (row: Int, start: Int, end: Int)? {
        offsets.withSpan(rows + 1, of: Offset.self) { offsets in
            data.withBytes { bytes in
                for row in 0..<rows {
                    let valid = words.map { $0[row >> 6] & (1 << UInt64(row & 63)) != 0 } ?? true
                    if valid {
                        let start = Int(truncatingIfNeeded: offsets[row])
                        let end = Int(truncatingIfNeeded: offsets[row + 1])
                        guard start >= 0, start <= end, end <= bytes.count else { return (row, start, end) }
                        for index in start..<end { values.bytes.append(bytes[index]) }
                    }
                    values.ends.append(values.bytes.count)
                    values.valid.append(valid)
                }
                return nil
            }
        }
    }

    /// The offsets buffer (checked to hold `rows + 1` offsets) and character data of a string array.
    private static func stringBuffers(
        _ chunk: _ArrowColumnChunk, rows: Int, body: _ArrowBody, large: Bool, column: String, section: String,
        path: String
    ) throws(IngestError) -> (offsets: _ArrowBuffer, data: _ArrowBuffer) {
        guard chunk.buffers.count == 3 else {
            throw .arrow(.arrowSchemaMismatch(section: section), path, "\(section): a string array needs 3 buffers")
        }
        let offsets = try body.buffer(chunk.buffers[1], column: column, section: section, path: path)
        let data = try body.buffer(chunk.buffers[2], column: column, section: section, path: path)
        guard offsets.holds(rows + 1, width: large ? 8 : 4) else {
            throw .arrowLength(
                path, column: column, section: section,
                "\(rows) strings need \(rows + 1) offsets, the offsets buffer has \(offsets.length) bytes")
        }
        return (offsets, data)
    }

    private static func badOffsets(
        _ path: String, column: String, section: String, _ failure: (row: Int, start: Int, end: Int), dataLength: Int
    ) -> IngestError {
        .arrow(
            .arrowInvalidOffsets(column: column), path,
            "\(IngestError.location(column, section)), row \(failure.row + 1) of the batch: the string offsets "
                + "\(failure.start)..<\(failure.end) do not lie within its \(dataLength) bytes of text; the file is "
                + "damaged. Write it again.")
    }

    /// Why a batch of strings stopped: offsets outside the text, or more distinct strings than codes.
    private enum StringFailure {
        case offsets(row: Int, start: Int, end: Int)
        case full
    }

    /// A string or large_string column, dictionary-encoded in first-seen order; its codes are held at one byte a row
    /// while there are at most 256 distinct strings, two up to 65,536, else four.
    private static func plainStrings(_ field: _ArrowField, index: Int, context: Context) throws(IngestError) -> Column {
        let path = context.path
        var validity = _ValidityBuilder(reservingCapacity: context.totalRows)
        var coder = _ArrowStringCoder()
        var codes = _NarrowCodesBuilder(reservingCapacity: context.totalRows)
        // A run of four-byte codes at a time, narrowed as it is appended (a one-batch file is coded in runs too).
        var run = ContiguousArray<UInt32>()
        run.reserveCapacity(min(context.totalRows, codeRunRows))
        let large = field.type == .largeUTF8
        let inPlace = context.isOneBatch
        for batch in context.layout.batches where batch.length > 0 {
            let chunk = batch.columns[index]
            let rows = batch.length
            let rowsValidity = try batchValidity(chunk, batch: batch, column: field.name, path: path, inPlace: inPlace)
            validity.append(rowsValidity, rows: rows)
            let (offsets, data) = try stringBuffers(
                chunk, rows: rows, body: batch.body, large: large, column: field.name, section: batch.section,
                path: path)
            let batchFirstRow = codes.count
            let flush = { (run: Span<UInt32>, distinct: Int) in codes.append(run, below: distinct) }
            let failure =
                large
                ? encode(
                    offsets, Int64.self, data, rows: rows, firstRow: batchFirstRow, validity: rowsValidity,
                    coder: &coder, run: &run, flush: flush)
                : encode(
                    offsets, Int32.self, data, rows: rows, firstRow: batchFirstRow, validity: rowsValidity,
                    coder: &coder, run: &run, flush: flush)
            switch failure {
            case .offsets(let row, let start, let end)?:
                throw badOffsets(
                    path, column: field.name, section: batch.section, (row, start, end), dataLength: data.length)
            case .full?:
                throw tooManyStrings(field.name, batch.section, path)
            case nil:
                break
            }
            // The strings are coded: their text is not read again.
            offsets.releasePages()
            data.releasePages()
        }
        let dictionary = try strings(of: coder.table, column: field.name, path: path)
        return Column(
            name: field.name, values: .string(DictionaryStrings(codes: codes.build(), dictionary: dictionary)),
            validity: validity.build())
    }

    /// Rows of a string column coded at a time before their codes are narrowed.
    private static let codeRunRows = 1 << 16

    /// Codes a batch's rows (0 under nulls) a run at a time, handing each full run, and the last, to `flush` with
    /// the count of distinct strings so far; `firstRow` is the batch's first row in the column.
    private static func encode<Offset: FixedWidthInteger & BitwiseCopyable>(
        _ offsets: _ArrowBuffer, _ type: Offset.Type, _ data: _ArrowBuffer, rows: Int, firstRow: Int,
        validity: ValidityBitmap?, coder: inout _ArrowStringCoder, run: inout ContiguousArray<UInt32>,
        flush: (Span<UInt32>, Int) -> Void
    ) -> StringFailure? {
        offsets.withSpan(rows + 1, of: Offset.self) { offsets in
            data.withBytes { bytes in
                let count = bytes.count
                for row in 0..<rows {
                    if run.count == codeRunRows {
                        flush(run.span, coder.table.count)
                        run.removeAll(keepingCapacity: true)
                    }
                    if let validity, !validity.isValid(row) {
                        run.append(0)
                        continue
                    }
                    let start = Int(truncatingIfNeeded: offsets[row])
                    let end = Int(truncatingIfNeeded: offsets[row + 1])
                    guard start >= 0, start <= end, end <= count else {
                        return .offsets(row: row, start: start, end: end)
                    }
                    guard !coder.isFull else { return .full }
                    run.append(coder.code(bytes, start, end, row: firstRow + row))
                }
                flush(run.span, coder.table.count)
                run.removeAll(keepingCapacity: true)
                return nil
            }
        }
    }

    private static func tooManyStrings(_ column: String, _ section: String, _ path: String) -> IngestError {
        .arrowLength(path, column: column, section: section, "the column has more distinct strings than UInt32 codes")
    }

    /// The table's entries as `String`s, after checking that each is UTF-8.
    private static func strings(of table: _ByteStringTable, column: String, path: String) throws(IngestError)
        -> [String]
    {
        var dictionary: [String] = []
        dictionary.reserveCapacity(table.count)
        let arena = table.bytes
        for entry in 0..<table.count {
            let range = table.range(of: entry)
            guard _UTF8Validation.isValid(arena.span.extracting(range)) else {
                throw .arrow(
                    .arrowInvalidUTF8(column: column), path,
                    "column \"\(column)\", row \(table.firstOffsets[entry] + 1): the text is not valid UTF-8, "
                        + "which Arrow strings must be. Write the column as binary, or fix its encoding.")
            }
            dictionary.append(String(decoding: arena[range], as: UTF8.self))
        }
        return dictionary
    }

    /// A dictionary-encoded string column: codes remapped to a dictionary of the used values in first-seen order,
    /// or the file's indices used in place when they already are exactly that.
    private static func dictionaryStrings(_ field: _ArrowField, index: Int, context: Context) throws(IngestError)
        -> Column
    {
        let encoding = field.dictionary ?? _ArrowDictionaryEncoding(id: 0, indexBitWidth: 32, indexSigned: true)
        switch (encoding.indexBitWidth, encoding.indexSigned) {
        case (8, true): return try dictionaryStrings(field, index: index, context: context, Int8.self)
        case (16, true): return try dictionaryStrings(field, index: index, context: context, Int16.self)
        case (32, true): return try dictionaryStrings(field, index: index, context: context, Int32.self)
        case (64, true): return try dictionaryStrings(field, index: index, context: context, Int64.self)
        case (8, false): return try dictionaryStrings(field, index: index, context: context, UInt8.self)
        case (16, false): return try dictionaryStrings(field, index: index, context: context, UInt16.self)
        case (32, false): return try dictionaryStrings(field, index: index, context: context, UInt32.self)
        default: return try dictionaryStrings(field, index: index, context: context, UInt64.self)
        }
    }

    private static func dictionaryStrings<Index: FixedWidthInteger & BitwiseCopyable>(
        _ field: _ArrowField, index: Int, context: Context, _ indexType: Index.Type
    ) throws(IngestError) -> Column {
        let path = context.path
        let name = field.name
        let id = field.dictionary?.id ?? 0  // `decode` calls this for dictionary-encoded fields only
        let width = MemoryLayout<Index>.size
        var validity = _ValidityBuilder(reservingCapacity: context.totalRows)
        var pieces: [Piece] = []
        var table = _ByteStringTable()
        let unassigned = UInt32.max
        var remaps: [Int: [UInt32]] = [:]  // per dictionary generation: entry -> code
        var identity = true
        var largestNullIndex = -1
        let inPlace = context.isOneBatch
        // Pass 1: check every index, give each used entry its code in order of first use, find null entries.
        for (batchIndex, batch) in context.layout.batches.enumerated() where batch.length > 0 {
            let chunk = batch.columns[index]
            let rows = batch.length
            guard let reference = batch.dictionaries[id],
                let values = context.layout.dictionaries[id]?[reference.generation]
            else {
                throw .arrow(
                    .arrowMissingDictionary(id: id), path,
                    "\(batch.section): dictionary \(id) of column \"\(name)\" is missing")
            }
            let nulls = try batchValidity(chunk, batch: batch, column: name, path: path, inPlace: inPlace)
            guard chunk.buffers.count == 2 else {
                throw .arrow(.arrowSchemaMismatch(section: batch.section), path, "\(batch.section): bad buffers")
            }
            let indices = try batch.body.buffer(chunk.buffers[1], column: name, section: batch.section, path: path)
            guard indices.holds(rows, width: width) else {
                throw .arrowLength(
                    path, column: name, section: batch.section,
                    "\(rows) rows need \(rows * width) bytes of dictionary indices, the buffer has \(indices.length)")
            }
            var remap = remaps[reference.generation] ?? []
            if remap.count < reference.count {
                remap.append(contentsOf: repeatElement(unassigned, count: reference.count - remap.count))
            }
            // Rows whose entry is a null value are missing too: cleared after the scan, so that a bitmap in place is
            // copied only then.
            var pointingAtNull: [Int] = []
            let allValuesValid = !values.valid.prefix(reference.count).contains(false)
            let entryCount = UInt(reference.count)
            var badRow: Int?
            var full = false
            let firstRow = validity.count
            // Most dumps: no null row or value, and a dictionary the batch uses in order (pandas and pyarrow write
            // the entries as they first appear). Then a row's index is either one already seen, below the count
            // of entries seen, or the next entry: one comparison per row. Anything else stops this scan, and the
            // general loop below starts over; the entries given codes here keep them, as it would give them.
            // The code of an entry met for the first time at `row` (its text added to the table), nil when the
            // table is full.
            func firstCode(of entry: Int, at row: Int) -> UInt32? {
                guard table.count < _ByteStringTable.maximumCount - 1 else { return nil }
                return table.code(of: values.bytes.span.extracting(values.range(of: entry)), offset: firstRow + row)
            }
            var rowsValidity = nulls
            var firstUseOrder = false
            if nulls == nil, allValuesValid, remaps[reference.generation] == nil {
                unsafe remap.withUnsafeMutableBufferPointer { remapped in
                    indices.withSpan(rows, of: Index.self) { stored in
                        var seen = 0
                        for row in 0..<rows {
                            let entry = Int(truncatingIfNeeded: stored[row])
                            // Negative indices (or, for uint64, above Int.max) are large as UInt: not below `seen`.
                            if UInt(bitPattern: entry) < UInt(seen) { continue }
                            guard entry == seen, UInt(bitPattern: entry) < entryCount,
                                let code = firstCode(of: entry, at: row)
                            else { return }
                            // Safe: entry < entryCount <= remapped.count (checked above).
                            unsafe remapped[entry] = code
                            if Int(code) != entry { identity = false }
                            seen += 1
                            // Every entry has its code: the rows left need only lie inside the dictionary, which
                            // a range of the indices tells without a branch per row (else the general loop below
                            // finds the row that does not).
                            if UInt(seen) == entryCount {
                                firstUseOrder = Self.allBelow(stored.extracting((row + 1)...), count: seen)
                                return
                            }
                        }
                        firstUseOrder = true
                    }
                }
            }
            if !firstUseOrder {
                let bitmap = nulls ?? ValidityBitmap(count: rows, allValid: true)
                unsafe remap.withUnsafeMutableBufferPointer { remapped in
                    unsafe bitmap.withUnsafeWords { bits in
                        indices.withSpan(rows, of: Index.self) { stored in
                            for row in 0..<rows {
                                let entry = Int(truncatingIfNeeded: stored[row])
                                // Negative (or, for uint64, above Int.max) indices fail this test too.
                                let inRange = UInt(bitPattern: entry) < entryCount
                                // Safe: row < rows, so row >> 6 < bits.count.
                                if unsafe bits[row >> 6] & (1 << UInt64(row & 63)) == 0 {
                                    largestNullIndex = max(largestNullIndex, inRange ? entry : Int.max)
                                    continue
                                }
                                guard inRange else {
                                    badRow = row
                                    return
                                }
                                if !allValuesValid && !values.valid[entry] {
                                    // A row that points at a null dictionary value is missing.
                                    pointingAtNull.append(row)
                                    identity = false
                                    continue
                                }
                                // Safe: entry < entryCount <= remapped.count (checked above).
                                var code = unsafe remapped[entry]
                                if code == unassigned {
                                    guard let first = firstCode(of: entry, at: row) else {
                                        full = true
                                        return
                                    }
                                    code = first
                                    // Safe: as above.
                                    unsafe remapped[entry] = code
                                }
                                if Int(code) != entry { identity = false }
                            }
                        }
                    }
                }
                if !pointingAtNull.isEmpty {
                    var cleared = bitmap
                    for row in pointingAtNull { cleared.set(row, false) }
                    rowsValidity = cleared
                }
            }
            if let badRow {
                throw .arrow(
                    .arrowInvalidDictionaryIndex(column: name), path,
                    "\(batch.section), column \"\(name)\", row \(badRow + 1) of the batch: the dictionary index is "
                        + "outside the dictionary of \(reference.count) values; the file is damaged. Write it again.")
            }
            if full { throw tooManyStrings(name, batch.section, path) }
            remaps[reference.generation] = remap
            validity.append(rowsValidity, rows: rows)
            pieces.append(Piece(batch: batchIndex, rows: rows, validity: rowsValidity, buffers: [indices]))
        }
        let dictionary = try strings(of: table, column: name, path: path)
        // In place: indices that already are the codes (and point into the dictionary under nulls too), in the file.
        if identity, largestNullIndex < table.count, let mapped = indicesAsCodes(pieces, width: width) {
            return Column(
                name: name, values: .string(DictionaryStrings(codes: mapped, dictionary: dictionary)),
                validity: validity.build())
        }
        // Pass 2: the remapped codes (0 under nulls), at the width the dictionary needs.
        func remapped<Code: FixedWidthInteger & BitwiseCopyable>(_: Code.Type) -> ContiguousArray<Code> {
            unsafe filled(context.totalRows, pieces) { piece, target, start in
                let batch = context.layout.batches[piece.batch]
                let remap = batch.dictionaries[id].flatMap { remaps[$0.generation] } ?? []
                piece.buffers[0].withSpan(piece.rows, of: Index.self) { stored in
                    for row in 0..<piece.rows {
                        let valid = piece.validity?.isValid(row) ?? true
                        // Checked in pass 1: a valid row's entry is inside the dictionary and was given a code.
                        let code = valid ? remap[Int(truncatingIfNeeded: stored[row])] : 0
                        // Safe: start + row < start + piece.rows, inside the target (see `filled`).
                        unsafe target[start + row] = Code(truncatingIfNeeded: code)
                    }
                }
            }
        }
        let codes: ColumnBuffer<UInt32> =
            switch _NarrowCodesBuilder.width(forCodesBelow: table.count) {
            case 1: ColumnBuffer(narrow: remapped(UInt8.self))
            case 2: ColumnBuffer(narrow: remapped(UInt16.self))
            default: ColumnBuffer(remapped(UInt32.self))
            }
        return Column(
            name: name, values: .string(DictionaryStrings(codes: codes, dictionary: dictionary)),
            validity: validity.build())
    }

    /// Dictionary indices of `width` bytes that already are the codes, read in place as `UInt32` (those narrower
    /// widened as they are read): nil unless every batch's indices lie in the file, aligned when four bytes wide.
    private static func indicesAsCodes(_ pieces: [Piece], width: Int) -> ColumnBuffer<UInt32>? {
        guard let file = sharedFile(pieces) else { return nil }
        let offsets = pieces.map { $0.buffers[0].offset }
        let counts = pieces.map(\.rows)
        // Codes are non-negative, so signed indices read as unsigned.
        switch width {
        case 1: return ColumnBuffer(mapping: file, byteOffsets: offsets, counts: counts, storedAs: UInt8.self)
        case 2: return ColumnBuffer(mapping: file, byteOffsets: offsets, counts: counts, storedAs: UInt16.self)
        case 4: return ColumnBuffer(mapping: file, byteOffsets: offsets, counts: counts)
        default: return nil
        }
    }

    /// Whether every index lies in `0..<count`: the smallest and largest index, found without a branch per row.
    static func allBelow<Index: FixedWidthInteger & BitwiseCopyable>(_ indices: Span<Index>, count: Int) -> Bool {
        guard !indices.isEmpty else { return true }
        var smallest = Index.max
        var largest = Index.min
        // Safe: the buffer is the span's own storage, read only inside the call.
        unsafe indices.withUnsafeBufferPointer { buffer in
            for unsafe index in unsafe buffer {
                smallest = min(smallest, index)
                largest = max(largest, index)
            }
        }
        return smallest >= 0 && Int(exactly: largest).map { $0 < count } ?? false
    }
}

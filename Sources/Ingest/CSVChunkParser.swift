import ColumnStore

/// Parses one chunk's records in a single pass: infers each column's type and stores its values at the same time.
///
/// Each column is stored in the narrowest representation its cells so far allow (`_Representation`). A cell
/// that fits the current representation is converted and stored directly, which is the common case. A cell that
/// does not narrows the column's type set (`_CellTypes`) and changes the representation:
/// - from `undetermined` (only missing cells so far): nothing to convert;
/// - from int64 to float64: the stored integers are converted in place (Int64 to Double rounds correctly, so
///   this equals parsing their text as floats);
/// - to string: the column stores codes from this record on, and `stringStart` remembers that the earlier
///   records' texts must be read again (`_StringFixupSink`) before the chunk is assembled.
///
/// Missing cells set a bit in `missing` (and store 0); the placeholders under them are set when columns are
/// assembled.
struct _ChunkParseSink: _CSVFieldSink {
    /// Per column: the types every non-missing cell so far fits.
    private(set) var types: [_CellTypes]
    /// Per column: how the values are stored.
    private(set) var representations: [_Representation]
    /// Per column that holds strings: the first record whose code is stored; earlier records need a fix-up.
    private(set) var stringStarts: [Int]
    /// Per column that holds strings: its chunk-local dictionary (empty for other columns).
    var tables: [_ByteStringTable]
    /// Per column: one bit per record, set when the cell is missing (words are added as records come).
    private(set) var missing: [[UInt64]]
    /// The chunk's values.
    let columns: _ChunkColumns
    /// The records parsed so far.
    private(set) var record = 0
    private let missingMatcher: _MissingValueMatcher
    private let strtodUsable: Bool
    private var numberScratch: [CChar] = []

    /// A sink for `columnCount` columns, with room for `expectedRecords` records before the buffers grow.
    init(columnCount: Int, expectedRecords: Int, missing matcher: _MissingValueMatcher, strtodUsable: Bool) {
        types = Array(repeating: .all, count: columnCount)
        representations = Array(repeating: .undetermined, count: columnCount)
        stringStarts = Array(repeating: 0, count: columnCount)
        tables = Array(repeating: _ByteStringTable(), count: columnCount)
        missing = Array(repeating: [], count: columnCount)
        columns = _ChunkColumns(columnCount: columnCount, capacity: expectedRecords)
        missingMatcher = matcher
        self.strtodUsable = strtodUsable
    }

    @inline(__always)
    mutating func field(_ text: Span<UInt8>, column: Int, offset: Int) {
        if missingMatcher.matches(text) {
            markMissing(column)
            return
        }
        if store(text, column: column, offset: offset, as: representations[column]) { return }
        widen(column, for: text, offset: offset)
    }

    mutating func endRecord() {
        record += 1
        columns.completeRecord()
    }

    /// Converts and stores `text` as `representation`, or returns `false` when it does not fit.
    @inline(__always)
    private mutating func store(_ text: Span<UInt8>, column: Int, offset: Int, as representation: _Representation)
        -> Bool
    {
        switch representation {
        case .int64:
            guard let value = _DecimalParser.int64(text) else { return false }
            columns.setWord(UInt64(bitPattern: value), column: column, record: record)
        case .float64:
            guard let number = _DecimalParser.scan(text, integerFastPath: false) else { return false }
            let value = _DecimalParser.doubleValue(
                number, text: text, scratch: &numberScratch, strtodUsable: strtodUsable)
            columns.setWord(value.bitPattern, column: column, record: record)
        case .string:
            columns.setCode(tables[column].code(of: text, offset: offset), column: column, record: record)
        case .bool:
            guard let value = _CellTypes.boolValue(text) else { return false }
            columns.setWord(value ? 1 : 0, column: column, record: record)
        case .timestamp:
            guard let value = _TimestampParser.microseconds(text) else { return false }
            columns.setWord(UInt64(bitPattern: value), column: column, record: record)
        case .undetermined:
            return false
        }
        return true
    }

    /// Narrows the column's types for a cell that does not fit its representation, changes the representation,
    /// and stores the cell.
    @inline(never)
    private mutating func widen(_ column: Int, for text: Span<UInt8>, offset: Int) {
        let narrowed = types[column].intersection(_CellTypes.of(text, candidates: types[column]))
        types[column] = narrowed
        let previous = representations[column]
        let next = _Representation(narrowed)
        switch (previous, next) {
        case (.int64, .float64):
            columns.convertInt64ToFloat64(column: column, count: record)
        case (_, .string):
            // Earlier records of an undetermined column are all missing: nothing to read again.
            stringStarts[column] = previous == .undetermined ? 0 : record
            columns.releaseWords(column: column)
            columns.allocateCodes(column: column)
        default:
            assert(previous == .undetermined, "unexpected change from \(previous) to \(next)")
        }
        representations[column] = next
        let stored = store(text, column: column, offset: offset, as: next)
        assert(stored, "a cell does not fit the type it was classified as")
    }

    @inline(never)
    private mutating func markMissing(_ column: Int) {
        // Every column of a record is written (see `_ChunkColumns`); the real placeholder comes at assembly.
        if representations[column] == .string {
            columns.setCode(0, column: column, record: record)
        } else {
            columns.setWord(0, column: column, record: record)
        }
        let word = record >> 6
        if missing[column].count <= word {
            missing[column].append(contentsOf: repeatElement(0, count: word + 1 - missing[column].count))
        }
        missing[column][word] |= 1 << UInt64(record & 63)
    }

    /// Records that column `column`'s first `stringStart` records were read again as strings into `table`.
    mutating func finishFixup(column: Int, table: _ByteStringTable) {
        tables[column] = table
        representations[column] = .string
        stringStarts[column] = 0
        columns.releaseWords(column: column)
    }

    /// Frees column `column`'s missing bits once they are assembled.
    mutating func releaseMissing(column: Int) { missing[column] = [] }
}

/// Reads the first records of a chunk again to turn the columns that became strings into codes.
///
/// For each column to fix, the records before its `restart` are interned into a new dictionary, in order; the
/// chunk's existing dictionary (built from the records from `restart` on) is then merged into it and the later
/// codes remapped, so the dictionary stays in first-seen order.
struct _StringFixupSink: _CSVFieldSink {
    /// Per column: the record before which codes must be written (0 = nothing to do for this column).
    private let restarts: [Int]
    /// Per column: the new dictionary.
    private(set) var tables: [_ByteStringTable]
    private let columns: _ChunkColumns
    private let missingMatcher: _MissingValueMatcher
    private var record = 0

    init(restarts: [Int], columns: _ChunkColumns, missing matcher: _MissingValueMatcher) {
        self.restarts = restarts
        self.columns = columns
        self.missingMatcher = matcher
        tables = Array(repeating: _ByteStringTable(), count: restarts.count)
        for (column, restart) in restarts.enumerated() where restart > 0 { columns.allocateCodes(column: column) }
    }

    /// How many records must be read again.
    var recordsToRead: Int { restarts.max() ?? 0 }

    mutating func field(_ text: Span<UInt8>, column: Int, offset: Int) {
        guard record < restarts[column], !missingMatcher.matches(text) else { return }
        columns.setCode(tables[column].code(of: text, offset: offset), column: column, record: record)
    }

    mutating func endRecord() { record += 1 }

    /// Merges the chunk's later dictionaries into the new ones, remaps the later codes, and hands the new
    /// dictionaries to `chunk`.
    func finish(_ chunk: inout _ChunkParseSink) {
        for (column, restart) in restarts.enumerated() where restart > 0 {
            var table = tables[column]
            if chunk.representations[column] == .string {
                let later = chunk.tables[column]
                var remap: [UInt32] = []
                remap.reserveCapacity(later.count)
                for entry in 0..<later.count { remap.append(table.code(ofEntry: entry, in: later)) }
                columns.remapCodes(column: column, records: restart..<chunk.record, through: remap)
            }
            chunk.finishFixup(column: column, table: table)
        }
    }
}

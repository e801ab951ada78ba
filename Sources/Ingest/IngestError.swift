/// The error thrown by the Ingest readers: a stable `code` for programs, a `message` for people.
///
/// Line numbers are 1-based physical lines of the file (counted by line feeds, so the header is line 1 when the
/// file does not start with blank lines). A record that spans several lines, because a quoted value holds a line
/// break, is reported by the line on which the record (or, for `invalidUTF8`, the cell) starts.
///
/// ```swift
/// do {
///     let table = try CSVReader.read(path: "predictions.csv")
/// } catch {
///     print(error)          // predictions.csv: line 12: expected 5 fields as in the header, found 6. …
///     if case .raggedRow(let line, _, _) = error.code { … }
/// }
/// ```
public struct IngestError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the location where it applies.
    public enum Code: Sendable, Equatable {
        /// The file could not be opened, inspected, mapped or read (see `underlying`).
        case unreadableFile
        /// The file has no bytes (a lone UTF-8 byte-order mark counts as none).
        case emptyFile
        /// The file has bytes but no header row (only line breaks).
        case noHeader
        /// Two header fields have the same name.
        case duplicateColumnName(String)
        /// A record has a different number of fields than the header.
        case raggedRow(line: Int, expected: Int, found: Int)
        /// A quoted field is still open at the end of the file; `line` is where the field starts.
        case unterminatedQuote(line: Int)
        /// A cell of a string column (or a header name) is not valid UTF-8.
        case invalidUTF8(line: Int, column: String)
        /// The file contains a NUL byte, which text never does (binary or UTF-16 input).
        case nulByte(line: Int)
        /// The bytes are not CSV text: a compressed, Arrow or Parquet file, UTF-16 text, or an unusable delimiter.
        case unsupportedFormat

        // Arrow IPC files and streams (see `ArrowReader`). `section` names the part of the file, e.g. "footer",
        // "record batch 3"; `column` names the column, or is empty when the problem is not in one column.

        /// The file ends inside `section`: it was cut short.
        case arrowTruncated(section: String)
        /// A flatbuffer of `section` is malformed: an offset, length or count points outside it.
        case arrowInvalidMetadata(section: String)
        /// A buffer of `column` lies outside its message body, or the body outside the file.
        case arrowBufferOutOfBounds(column: String)
        /// A length or count is negative, absurdly large, or disagrees with the buffers that hold the values.
        case arrowInvalidLength(column: String)
        /// The offsets of a string column decrease, or point outside its character data.
        case arrowInvalidOffsets(column: String)
        /// A dictionary index lies outside the dictionary.
        case arrowInvalidDictionaryIndex(column: String)
        /// A column uses a dictionary id that no dictionary batch defines.
        case arrowMissingDictionary(id: Int64)
        /// A column's Arrow type is not one Faultline reads; `type` is Arrow's name for it.
        case arrowUnsupportedType(column: String, type: String)
        /// Buffers are compressed with a codec other than LZ4_FRAME (0) or ZSTD (1).
        case arrowUnsupportedCompression(codec: Int)
        /// A compressed buffer of `column` is corrupt, or decompresses to another length than it declares.
        case arrowDecompressionFailed(column: String)
        /// The metadata version is older than V4 (Arrow 0.x before 0.8), which Faultline does not read.
        case arrowUnsupportedVersion(Int)
        /// The file is big-endian.
        case arrowBigEndian
        /// The record batches do not match the schema (number of columns, field nodes or buffers).
        case arrowSchemaMismatch(section: String)
        /// An unsigned 64-bit value is above `Int64.max`.
        case arrowValueOutOfRange(column: String)
        /// A string of `column` is not valid UTF-8.
        case arrowInvalidUTF8(column: String)
    }

    /// The stable, matchable kind of error.
    public var code: Code
    /// The file the error is about (for `CSVReader.read(bytes:path:options:)`, the name given by the caller).
    public var path: String
    /// What happened and what to do about it, without the path.
    public var message: String
    /// The system error behind `unreadableFile`, if any.
    public var underlying: (any Error)?

    /// Creates an error; `message` should say what happened and what to do, and name the line and column.
    public init(code: Code, path: String, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.underlying = underlying
    }

    /// `path: message`, followed by the underlying system error when there is one.
    public var description: String {
        var text = path + ": " + message
        if let underlying { text += " (" + String(describing: underlying) + ")" }
        return text
    }
}

extension IngestError {
    static func unreadable(_ path: String, _ what: String, _ cause: SystemCallError) -> IngestError {
        IngestError(
            code: .unreadableFile, path: path,
            message: "cannot \(what) the file. Check that the path exists, is a readable file (not a directory), "
                + "and that you have permission to read it.",
            underlying: cause)
    }

    static func empty(_ path: String) -> IngestError {
        IngestError(
            code: .emptyFile, path: path,
            message: "the file is empty. A CSV file needs at least a header line naming the columns.")
    }

    static func noHeader(_ path: String) -> IngestError {
        IngestError(
            code: .noHeader, path: path,
            message: "the file holds only blank lines, so there is no header. Add a first line naming the columns.")
    }

    static func duplicateColumn(_ path: String, name: String, line: Int) -> IngestError {
        IngestError(
            code: .duplicateColumnName(name), path: path,
            message: "line \(line): the column name \"\(name)\" appears more than once in the header. "
                + "Rename one of the columns so every name is unique.")
    }

    static func ragged(_ path: String, line: Int, expected: Int, found: Int) -> IngestError {
        let advice =
            found > expected
            ? "Quote values that contain the delimiter, or remove the extra delimiter."
            : "Add the missing fields (an empty field is read as missing), or check for a stray line break."
        return IngestError(
            code: .raggedRow(line: line, expected: expected, found: found), path: path,
            message: "line \(line): expected \(expected) fields as in the header, found \(found). " + advice)
    }

    static func unterminatedQuote(_ path: String, line: Int) -> IngestError {
        IngestError(
            code: .unterminatedQuote(line: line), path: path,
            message: "line \(line): a quoted field is never closed before the end of the file. "
                + "Close the quote, and write a quote inside a quoted value as two quotes (\"\").")
    }

    static func invalidUTF8(_ path: String, line: Int, column: String) -> IngestError {
        IngestError(
            code: .invalidUTF8(line: line, column: column), path: path,
            message: "line \(line), column \"\(column)\": the text is not valid UTF-8. "
                + "Re-encode the file as UTF-8 (for example `iconv -f latin1 -t utf-8`).")
    }

    static func nulByte(_ path: String, line: Int) -> IngestError {
        IngestError(
            code: .nulByte(line: line), path: path,
            message: "line \(line): the file contains a NUL byte, so it is not UTF-8 text "
                + "(it may be binary, or UTF-16 encoded). Convert it to a UTF-8 CSV file.")
    }

    static func unsupported(_ path: String, _ what: String) -> IngestError {
        IngestError(code: .unsupportedFormat, path: path, message: what)
    }
}

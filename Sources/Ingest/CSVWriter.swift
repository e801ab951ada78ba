import ColumnStore

/// Writes a table as CSV that `CSVReader` (and pandas) read back to the same values: a header row,
/// RFC 4180 quoting where needed, `\n` line ends, empty cells for missing values, floats in their
/// shortest round-trip form, timestamps as ISO-8601 UTC without the `Z` (`2024-01-01T00:00:00`).
/// The file appears atomically (written to a temporary file, then renamed).
public enum CSVWriter {
    /// Rows rendered per buffered write.
    static let rowsPerChunk = 4_096

    public static func write(_ table: Table, to path: String) throws(IngestError) {
        var writer: AtomicFileWriter
        switch AtomicFileWriter.open(path) {
        case .success(let opened): writer = opened
        case .failure(let failure):
            throw IngestError(code: .unreadableFile, path: path, message: failure.description, underlying: failure)
        }
        do {
            try writer.write(table.columns.map { quote($0.name) }.joined(separator: ",") + "\n")
            var chunk = ""
            for row in 0..<table.rowCount {
                for (index, column) in table.columns.enumerated() {
                    if index > 0 { chunk += "," }
                    chunk += cell(column, row)
                }
                chunk += "\n"
                if row % rowsPerChunk == rowsPerChunk - 1 {
                    try writer.write(chunk)
                    chunk = ""
                }
            }
            try writer.write(chunk)
            try writer.commit()
        } catch {
            throw IngestError(code: .unreadableFile, path: path, message: error.description, underlying: error)
        }
    }

    static func cell(_ column: Column, _ row: Int) -> String {
        guard column.isValid(row) else { return "" }
        switch column.values {
        case .float64(let buffer):
            let value = buffer[row]
            if value.isNaN { return "" }
            if value.isInfinite { return value < 0 ? "-inf" : "inf" }
            return value.description
        case .int64(let buffer): return String(buffer[row])
        case .bool(let buffer): return buffer[row] != 0 ? "True" : "False"
        case .timestamp(let buffer, let unit):
            let text = TimestampFormat.iso8601(buffer[row], unit: unit)
            return String(text.dropLast())
        case .string(let strings): return quote(strings.dictionary[Int(strings.codes[row])])
        }
    }

    /// Quotes a field holding a delimiter, quote, line break, or a missing-value marker, or leading/trailing spaces.
    static func quote(_ field: String) -> String {
        let needsQuotes = field.isEmpty || field.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        var escaped = "\""
        for character in field {
            if character == "\"" { escaped += "\"\"" } else { escaped.append(character) }
        }
        return escaped + "\""
    }
}

import ColumnStore
import Dispatch

/// Writes a table as CSV that `CSVReader` (and pandas) read back to the same values: a header row,
/// RFC 4180 quoting where needed, `\n` line ends, empty cells for missing values, floats in their
/// shortest round-trip form, timestamps as ISO-8601 UTC without the `Z` (`2024-01-01T00:00:00`).
/// The file appears atomically (written to a temporary file, then renamed).
public enum CSVWriter {
    /// Rows rendered per block; blocks are rendered in parallel and written in order.
    static let rowsPerBlock = 16_384

    public static func write(_ table: Table, to path: String, threads: Int = 1) throws(IngestError) {
        var writer: AtomicFileWriter
        switch AtomicFileWriter.open(path) {
        case .success(let opened): writer = opened
        case .failure(let failure):
            throw IngestError(code: .unreadableFile, path: path, message: failure.description, underlying: failure)
        }
        do {
            try writer.write(table.columns.map { quote($0.name) }.joined(separator: ",") + "\n")
            let cells = table.columns.map(_CellText.init)
            let blocks = (table.rowCount + rowsPerBlock - 1) / rowsPerBlock
            let width = max(1, threads)
            var first = 0
            // `width` blocks at a time, so memory stays a few blocks whatever the table's size.
            while first < blocks {
                let count = min(width, blocks - first)
                let rendered = Locked<[[UInt8]]>(Array(repeating: [], count: count))
                let base = first
                DispatchQueue.concurrentPerform(iterations: count) { index in
                    let start = (base + index) * rowsPerBlock
                    let bytes = render(cells, rows: start..<min(table.rowCount, start + rowsPerBlock))
                    rendered.withLock { $0[index] = bytes }
                }
                for bytes in rendered.withLock({ $0 }) { try writer.write(bytes) }
                first += count
            }
            try writer.commit()
        } catch {
            throw IngestError(code: .unreadableFile, path: path, message: error.description, underlying: error)
        }
    }

    private static func render(_ cells: [_CellText], rows: Range<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.count * 128)
        for row in rows {
            for index in cells.indices {
                if index > 0 { bytes.append(44) }
                cells[index].append(row, to: &bytes)
            }
            bytes.append(10)
        }
        return bytes
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

/// One column's cells as CSV text, the same as `CSVWriter.cell`, with the string dictionary quoted once per column
/// rather than once per cell (most of the writer's time when it was per cell).
private struct _CellText: Sendable {
    let column: Column
    let quoted: [[UInt8]]

    init(_ column: Column) {
        self.column = column
        if case .string(let strings) = column.values {
            quoted = strings.dictionary.map { Array(CSVWriter.quote($0).utf8) }
        } else {
            quoted = []
        }
    }

    func append(_ row: Int, to bytes: inout [UInt8]) {
        if case .string(let strings) = column.values {
            if column.isValid(row) { bytes.append(contentsOf: quoted[Int(strings.codes[row])]) }
            return
        }
        bytes.append(contentsOf: CSVWriter.cell(column, row).utf8)
    }
}

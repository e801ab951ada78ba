/// One generated query, with what it is for (named in messages and in saved aggregates).
public struct SQLQuery: Sendable, Equatable {
    /// A short name of the step: `schema`, `roles`, `profile`, `values`, `level-1`, `level-2`, ...
    public var step: String
    public var text: String

    public init(step: String, text: String) {
        self.step = step
        self.text = text
    }

    /// A stable 64-bit FNV-1a hash of the text, in hex: saved results are keyed by it (`--aggregates`).
    public var key: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The file name its result is saved under: `<step>-<key>.csv`.
    public var resultFileName: String { "\(step)-\(key).csv" }
}

/// Runs generated queries on the user's engine (a shell command, saved results, a driver of an embedding app) and
/// returns their results as CSV with a header.
public protocol SQLQueryRunner {
    /// The result of `query`: CSV text with a header row, NULL as an empty unquoted field.
    func run(_ query: SQLQuery) throws(AnalysisError) -> String
}

/// A query result: a header and rows of fields, nil for NULL (an empty unquoted field; `""` is the empty string).
struct SQLResultTable: Sendable {
    var header: [String]
    var rows: [[String?]]
    let query: SQLQuery

    /// Parses RFC 4180 CSV (`,` separator, `"` quotes doubled inside, LF or CRLF line ends).
    init(csv text: String, query: SQLQuery) throws(AnalysisError) {
        self.query = query
        var records: [[String?]] = []
        var record: [String?] = []
        var field = ""
        var quoted = false
        var inQuotes = false
        var atFieldStart = true
        var characters = Array(text.unicodeScalars)
        if characters.last != "\n" { characters.append("\n") }
        var index = 0
        func endField() {
            record.append(quoted || !field.isEmpty ? field : nil)
            field = ""
            quoted = false
            atFieldStart = true
        }
        while index < characters.count {
            let character = characters[index]
            index += 1
            if inQuotes {
                if character == "\"" {
                    if index < characters.count && characters[index] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(character)
                }
                continue
            }
            switch character {
            case "\"" where atFieldStart:
                inQuotes = true
                quoted = true
                atFieldStart = false
            case ",":
                endField()
            case "\r" where index < characters.count && characters[index] == "\n":
                continue
            case "\n":
                endField()
                if !(record.count == 1 && record[0] == nil) { records.append(record) }
                record = []
            default:
                field.unicodeScalars.append(character)
                atFieldStart = false
            }
        }
        guard !inQuotes else {
            throw AnalysisError(
                code: .sqlEngine, message: "the result of the \(query.step) query ends inside a quoted field")
        }
        guard let first = records.first else {
            throw AnalysisError(
                code: .sqlEngine,
                message: "the \(query.step) query returned no header: the command must print CSV with a header row "
                    + "(duckdb -csv, psql --csv, ...)")
        }
        header = first.map { ($0 ?? "").lowercased() }
        rows = Array(records.dropFirst())
        for (number, row) in rows.enumerated() where row.count != header.count {
            throw AnalysisError(
                code: .sqlEngine,
                message: "the result of the \(query.step) query has \(row.count) fields on row \(number + 1), "
                    + "but its header has \(header.count)")
        }
    }

    /// The position of column `name` (case-insensitive).
    func column(_ name: String) throws(AnalysisError) -> Int {
        guard let index = header.firstIndex(of: name.lowercased()) else {
            throw AnalysisError(
                code: .sqlEngine,
                message: "the result of the \(query.step) query has no column '\(name)' (it has: "
                    + header.joined(separator: ", ") + ")")
        }
        return index
    }

    /// The field as an integer (nil for NULL); engines may print integral sums as `12.0` or `12`.
    func integer(_ row: Int, _ column: Int) throws(AnalysisError) -> Int? {
        guard let text = rows[row][column] else { return nil }
        if let value = Int(text) { return value }
        if let value = Double(text), value == value.rounded(), abs(value) < 9.0e15 { return Int(value) }
        throw bad(row, column, "an integer")
    }

    func double(_ row: Int, _ column: Int) throws(AnalysisError) -> Double? {
        guard let text = rows[row][column] else { return nil }
        if let value = Double(text) { return value }
        switch text.lowercased() {
        case "nan": return .nan
        case "inf", "infinity", "+inf", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: throw bad(row, column, "a number")
        }
    }

    private func bad(_ row: Int, _ column: Int, _ expected: String) -> AnalysisError {
        AnalysisError(
            code: .sqlEngine,
            message: "the result of the \(query.step) query has '\(rows[row][column] ?? "")' in column "
                + "'\(header[column])' on row \(row + 1), where \(expected) was expected")
    }
}

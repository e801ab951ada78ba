import ColumnStore
import Foundation
import Ingest
import Testing

/// Reads CSV text with `CSVReader.read(bytes:path:options:)`.
func readCSV(_ text: String, options: CSVOptions = CSVOptions()) throws(IngestError) -> Table {
    try CSVReader.read(bytes: Array(text.utf8), path: "test.csv", options: options)
}

/// The `IngestError` that `body` throws, or `nil` when it succeeds (any other error is recorded as an issue).
func ingestError(_ body: () throws -> Table) -> IngestError? {
    do {
        _ = try body()
        return nil
    } catch let error as IngestError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

/// The path of a file in `Fixtures/`.
func fixturePath(_ name: String) throws -> String {
    let directory = try #require(Bundle.module.resourcePath, "test bundle has no resources")
    return directory + "/Fixtures/" + name
}

extension Column {
    var float64Values: [Double]? {
        if case .float64(let buffer) = values { return Array(buffer.array) }
        return nil
    }

    var int64Values: [Int64]? {
        if case .int64(let buffer) = values { return Array(buffer.array) }
        return nil
    }

    var timestampValues: [Int64]? {
        if case .timestamp(let buffer, .microsecond) = values { return Array(buffer.array) }
        return nil
    }

    var boolValues: [UInt8]? {
        if case .bool(let buffer) = values { return Array(buffer.array) }
        return nil
    }

    var strings: DictionaryStrings? {
        if case .string(let strings) = values { return strings }
        return nil
    }

    /// The cell texts of a string column, `nil` for missing cells.
    var stringValues: [String?]? {
        guard let strings else { return nil }
        return (0..<count).map { isValid($0) ? strings.dictionary[Int(strings.codes[$0])] : nil }
    }

    /// Which rows are present.
    var presence: [Bool] { (0..<count).map { isValid($0) } }
}

/// Whether two tables are identical: names, types, validity, and values bit for bit (dictionaries and codes too).
func identical(_ left: Table, _ right: Table) -> Bool {
    guard left.rowCount == right.rowCount, left.columns.count == right.columns.count else { return false }
    for (a, b) in zip(left.columns, right.columns) {
        guard a.name == b.name, a.type == b.type, a.validity == b.validity else { return false }
        switch (a.values, b.values) {
        case (.float64(let x), .float64(let y)):
            guard x.array.map(\.bitPattern) == y.array.map(\.bitPattern) else { return false }
        case (.int64(let x), .int64(let y)), (.timestamp(let x, _), .timestamp(let y, _)):
            guard x.array == y.array else { return false }
        case (.bool(let x), .bool(let y)):
            guard x.array == y.array else { return false }
        case (.string(let x), .string(let y)):
            guard x.dictionary == y.dictionary, x.codes.array == y.codes.array else { return false }
        default:
            return false
        }
    }
    return true
}

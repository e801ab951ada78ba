import ColumnStore
import Ingest

/// Opens a prediction dump by its file name.
public enum TableLoader {
    /// Extensions read as delimited text.
    public static let textExtensions: Set<String> = ["csv", "tsv", "txt", "psv"]

    /// Reads `path` into a table. CSV-like files go through the CSV reader.
    /// - Throws: `AnalysisError` with `.unreadableInput` (the reader's message, naming file, row and column)
    ///   or `.unsupportedFormat`.
    public static func load(path: String, options: AnalysisOptions) throws(AnalysisError) -> Table {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let pieces = fileName.split(separator: ".")
        let fileExtension = pieces.count > 1 ? pieces.last.map { $0.lowercased() } ?? "" : ""
        guard fileExtension.isEmpty || textExtensions.contains(fileExtension) else {
            throw AnalysisError(
                code: .unsupportedFormat,
                message: "\(path): unsupported file type '.\(fileExtension)'; Faultline reads CSV (.csv, .tsv, .txt, .psv)")
        }
        var csvOptions = CSVOptions()
        csvOptions.extraMissingValues = options.missingValues
        csvOptions.threads = options.threads
        if fileExtension == "tsv" { csvOptions.delimiter = UInt8(ascii: "\t") }
        do {
            return try CSVReader.read(path: path, options: csvOptions)
        } catch {
            throw AnalysisError(code: .unreadableInput, message: error.description, underlying: error)
        }
    }
}

import ColumnStore
import Ingest

/// Opens a prediction dump by its file name.
public enum TableLoader {
    /// Extensions read as delimited text.
    public static let textExtensions: Set<String> = ["csv", "tsv", "txt", "psv"]

    /// Extensions read as Arrow IPC files or streams (Feather v2 is the IPC file format).
    public static let arrowExtensions: Set<String> = ArrowReader.fileExtensions

    /// Reads `path` into a table. Arrow IPC files and streams (by extension, or by their `ARROW1` magic whatever
    /// the name) go through the Arrow reader, which maps the file and uses its columns in place; CSV-like files go
    /// through the CSV reader.
    /// - Throws: `AnalysisError` with `.unreadableInput` (the reader's message, naming file, row and column)
    ///   or `.unsupportedFormat`.
    public static func load(path: String, options: AnalysisOptions) throws(AnalysisError) -> Table {
        let fileExtension = self.fileExtension(of: path)
        if arrowExtensions.contains(fileExtension) || ArrowReader.isArrow(path: path) {
            do {
                return try ArrowReader.read(path: path, options: ArrowReadOptions(threads: options.threads))
            } catch {
                throw AnalysisError(code: .unreadableInput, message: error.description, underlying: error)
            }
        }
        guard fileExtension.isEmpty || textExtensions.contains(fileExtension) else {
            throw AnalysisError(
                code: .unsupportedFormat,
                message: "\(path): unsupported file type '.\(fileExtension)'; Faultline reads CSV (.csv, .tsv, .txt, "
                    + ".psv) and Arrow IPC / Feather v2 (.arrow, .feather, .ipc, .arrows)")
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

    /// The lowercased extension of the file name in `path` ("" when it has none).
    public static func fileExtension(of path: String) -> String {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let pieces = fileName.split(separator: ".")
        return pieces.count > 1 ? pieces.last.map { $0.lowercased() } ?? "" : ""
    }
}

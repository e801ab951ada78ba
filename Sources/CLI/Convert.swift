import ArgumentParser
import ColumnStore
import Faultline
import Foundation
import Ingest
import Report

extension FaultlineCommand {
    /// `faultline convert IN OUT.arrow`: a dump rewritten as an Arrow IPC file, which later runs map instead of parse.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a dump (CSV or Arrow) to an uncompressed Arrow IPC file that loads without parsing.",
            discussion: """
                Reads INPUT as analyze does (CSV with type inference, or Arrow IPC / Feather v2) and writes OUTPUT as \
                an uncompressed Arrow IPC file (Feather v2): 64-byte-aligned buffers, strings dictionary-encoded. \
                Later runs of analyze and inspect memory-map OUTPUT and use its columns in place, so convert big \
                CSVs once. pyarrow, Polars and DuckDB read the file too. OUTPUT is replaced atomically.
                """
        )

        @Argument(help: "The dump to convert (CSV or Arrow).", completion: .file())
        var input: String

        @Argument(help: "The Arrow file to write (.arrow, .feather or .ipc).", completion: .file())
        var output: String

        @Option(
            help: "Rows per record batch (default: 16777216; one batch is read in place whole, several batch by batch).")
        var batchRows: Int = ArrowWriteOptions.defaultBatchRows

        @Option(help: "Extra missing-value markers for CSV input, comma-separated (pandas' defaults always apply).")
        var naValues: String?

        @OptionGroup var common: CommonOptions

        static let outputExtensions: Set<String> = ["arrow", "feather", "ipc"]

        func validate() throws {
            guard Self.outputExtensions.contains(TableLoader.fileExtension(of: output)) else {
                throw ValidationError(
                    "OUTPUT must end in .arrow, .feather or .ipc: convert writes an Arrow IPC file, not '\(output)'")
            }
            guard batchRows >= 1 && batchRows <= Int(Int32.max) else {
                throw ValidationError("--batch-rows must be between 1 and \(Int32.max)")
            }
        }

        func run() throws {
            var options = AnalysisOptions()
            options.threads = common.threads
            if let naValues {
                options.missingValues = naValues.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            let progress = ProgressLine(quiet: common.quiet)
            let started = Date()
            progress.update("reading \(input)")
            let table: Table
            do {
                table = try TableLoader.load(path: input, options: options)
            } catch {
                progress.finish()
                Stderr.write("faultline: \(error.description)\n")
                throw ExitCodes.code(for: error)
            }
            progress.update("writing \(output)")
            do {
                try ArrowWriter.write(table, to: output, options: ArrowWriteOptions(batchRows: batchRows))
            } catch {
                progress.finish()
                Stderr.write("faultline: \(error.description)\n")
                throw ExitCodes.cannotCreate
            }
            progress.finish()
            if !common.quiet {
                let bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
                let seconds = Date().timeIntervalSince(started)
                Stderr.write(
                    "faultline: wrote \(output): \(HumanFormat.count(table.rowCount)) rows, \(table.columns.count) "
                        + "columns, \(String(format: "%.1f", Double(bytes) / 1_048_576)) MiB in "
                        + "\(String(format: "%.1f", seconds)) s\n")
            }
        }
    }
}

/// The hint `analyze` prints (on stderr, unless --quiet) before parsing a large CSV.
enum LargeCSVHint {
    /// CSV files above this size get the hint.
    static let thresholdBytes = 100 * 1_000_000
    static let text = "hint: convert big CSVs once with 'faultline convert IN OUT.arrow'"

    /// Whether `path` is a CSV (not an Arrow file) larger than `thresholdBytes`.
    static func applies(to path: String) -> Bool {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
            size > thresholdBytes
        else { return false }
        return !TableLoader.arrowExtensions.contains(TableLoader.fileExtension(of: path)) && !ArrowReader.isArrow(path: path)
    }

    static func show(for path: String) {
        if applies(to: path) { Stderr.write(text + "\n") }
    }
}

import ArgumentParser
import ColumnStore
import Faultline
import Foundation
import Ingest
import Report

extension FaultlineCommand {
    /// `faultline generate`: a seeded synthetic dump with planted hotspots, for benchmarks and demos.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a seeded synthetic prediction dump with planted failure hotspots.",
            discussion: """
                Writes OUT (CSV) and ground_truth.json beside it. The failure model: base rate 5%; 30% where \
                cat_3 = c7 and num_2 > 90 (H1); x2 on 2024-03-01..08 (H2); x1.6 when label = 1 (H3); capped at 95%. \
                With --task regression, label and pred are numbers: the error's standard deviation is 1, x4 in H1, \
                x2 in H2 and x1.6 where label > 120 (H3).
                """)

        @Option(help: "Rows to generate.")
        var rows: Int = 1_000_000

        @Option(help: "Output file (.csv).")
        var out: String

        @Option(help: "Random seed; the same seed and rows give the same file.")
        var seed: UInt64 = 42

        @Option(help: "binary (label and pred are 0/1, with a score) or regression (numeric label and pred).")
        var task: String = "binary"

        @Flag(help: "No summary on stderr.")
        var quiet = false

        func validate() throws {
            guard rows >= 1 && rows <= 2_000_000_000 else { throw ValidationError("--rows must be between 1 and 2e9") }
            guard out.lowercased().hasSuffix(".csv") else {
                throw ValidationError("--out must end in .csv (write Arrow with 'faultline convert' afterwards)")
            }
            guard task == "binary" || task == "regression" else {
                throw ValidationError("--task must be binary or regression, not '\(task)'")
            }
        }

        func run() throws {
            let dump = SyntheticDump.generate(
                rows: rows, seed: seed, task: task == "regression" ? .regression : .binary)
            let directory = URL(fileURLWithPath: out).deletingLastPathComponent().path
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try CSVWriter.write(dump.table, to: out, threads: ProcessorCount.online)
                let truthPath = directory + "/ground_truth.json"
                var writer = try AtomicFileWriter.open(truthPath).get()
                try writer.write(dump.groundTruth)
                try writer.commit()
            } catch {
                Stderr.write("faultline: \(error)\n")
                throw ExitCodes.cannotCreate
            }
            if !quiet {
                Stderr.write("faultline: wrote \(HumanFormat.count(rows)) rows to \(out) and ground_truth.json\n")
            }
        }
    }
}

import Foundation
import Testing
import _TestSupport

/// `faultline convert`, and `analyze` / `inspect` on Arrow files, through the built executable.
@Suite(.serialized)
struct ConvertCommandTests {
    typealias CLI = CommandLineTests

    @Test func convertedFileAnalysesLikeTheCSV() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("dump.csv").path
        let arrow = directory.appendingPathComponent("dump.arrow").path
        try Data(CLI.smallDump.utf8).write(to: URL(fileURLWithPath: csv))

        let converted = try CLI.run(["convert", csv, arrow])
        #expect(converted.status == 0, "\(converted.stderr)")
        #expect(converted.stderr.contains("wrote \(arrow): 6 rows, 4 columns"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: arrow))
        #expect(bytes.prefix(6) == Data("ARROW1".utf8))

        // inspect: the same schema, counts and roles (only the source line names another file).
        let fromCSV = try CLI.run(["inspect", csv])
        let fromArrow = try CLI.run(["inspect", arrow])
        #expect(fromArrow.status == 0, "\(fromArrow.stderr)")
        #expect(fromArrow.stdout.replacingOccurrences(of: arrow, with: csv) == fromCSV.stdout)

        // analyze: the same analysis.json (with the source name made equal).
        for (input, out) in [(csv, "from-csv"), (arrow, "from-arrow")] {
            let run = try CLI.run(["analyze", input, "--out", directory.appendingPathComponent(out).path,
                                   "--format", "json", "--quiet", "--min-support", "1"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let jsonCSV = try String(contentsOfFile: directory.appendingPathComponent("from-csv/analysis.json").path, encoding: .utf8)
        let jsonArrow = try String(contentsOfFile: directory.appendingPathComponent("from-arrow/analysis.json").path, encoding: .utf8)
        #expect(jsonArrow.replacingOccurrences(of: arrow, with: csv) == jsonCSV)
    }

    @Test func convertRejectsBadArguments() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("dump.csv").path
        try Data(CLI.smallDump.utf8).write(to: URL(fileURLWithPath: csv))
        let wrongExtension = try CLI.run(["convert", csv, directory.appendingPathComponent("out.csv").path])
        #expect(wrongExtension.status == 64)
        #expect(wrongExtension.stderr.contains(".arrow, .feather or .ipc"))
        let missing = try CLI.run(["convert", directory.appendingPathComponent("none.csv").path,
                                   directory.appendingPathComponent("out.arrow").path])
        #expect(missing.status == 66)
        let unwritable = try CLI.run(["convert", csv, "/nonexistent/dir/out.arrow"])
        #expect(unwritable.status == 73)
        let damaged = directory.appendingPathComponent("damaged.arrow").path
        try Data("ARROW1\0\0garbage".utf8).write(to: URL(fileURLWithPath: damaged))
        let broken = try CLI.run(["inspect", damaged])
        #expect(broken.status == 65)
        #expect(broken.stderr.contains("damaged.arrow"))
    }

    @Test func analyzeHintsAtConvertForLargeCSVs() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A sparse file just over 100 MB: a header, then NUL bytes (the CSV reader rejects it quickly).
        let path = directory.appendingPathComponent("big.csv").path
        try Data("a,label,pred\n".utf8).write(to: URL(fileURLWithPath: path))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 100_000_001)
        try handle.close()
        let out = directory.appendingPathComponent("out").path
        let run = try CLI.run(["analyze", path, "--out", out])
        #expect(run.stderr.contains("hint: convert big CSVs once with 'faultline convert IN OUT.arrow'"))
        let quiet = try CLI.run(["analyze", path, "--out", out, "--quiet"])
        #expect(!quiet.stderr.contains("hint:"))
        let small = directory.appendingPathComponent("small.csv").path
        try Data(CLI.smallDump.utf8).write(to: URL(fileURLWithPath: small))
        #expect(!(try CLI.run(["analyze", small, "--out", out])).stderr.contains("hint:"))
    }
}

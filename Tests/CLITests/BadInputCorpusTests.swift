import Foundation
import Testing

/// One bad or odd input of `Corpus/manifest.json` and how `faultline` must answer it.
struct CorpusCase: Codable, Sendable, CustomTestStringConvertible {
    /// What the case is, for people.
    var name: String
    /// A file of `Corpus/`, or the name of the generated, missing or directory input.
    var input: String
    /// `corpus` (default), `generated` (written by `BadInputCorpusTests.generate`), `missing` or `directory`.
    var source: String?
    /// `analyze` (default) or `inspect`.
    var command: String?
    var args: [String]?
    /// `fresh` (default: a new path), `existingFile` (a regular file), `belowFile` (a path under a regular file)
    /// or `empty` (`--out ""`).
    var out: String?
    /// The documented exit code (docs/exit-codes.md).
    var exit: Int32
    /// Substrings stderr must contain: the file, the line or column, what is wrong.
    var stderr: [String]?
    /// Substrings of one of the report's notes, in analysis.json and summary.md.
    var notes: [String]?
    /// Substrings of analysis.json.
    var json: [String]?

    var testDescription: String { name }
}

/// Runs the built `faultline` on every input of the bad-input corpus (Tests/CLITests/Corpus, listed with the
/// expected outcome in its manifest.json) and checks: the documented exit code, never a signal or a hang; stderr
/// names the file and what is wrong; the report is written whole or not at all (no staging leftovers); the input
/// is byte-identical afterwards. The corpus files are written by scripts/make_bad_input_corpus.py; the big inputs
/// are generated here.
@Suite(.serialized)
struct BadInputCorpusTests {
    static let corpus: URL? = Bundle.module.url(forResource: "Corpus", withExtension: nil)

    static let cases: [CorpusCase] = {
        guard let corpus, let data = try? Data(contentsOf: corpus.appendingPathComponent("manifest.json")) else {
            return []
        }
        return (try? JSONDecoder().decode([CorpusCase].self, from: data)) ?? []
    }()

    /// A run longer than this is a hang (a debug build on a loaded 2-core machine takes up to ~15 s per case).
    static let timeoutSeconds = 180.0

    /// Every report file `analyze` writes by default.
    static let allOutputs = ["analysis.json", "charts", "report.html", "slices.csv", "summary.md", "top_slices.csv"]

    struct Run {
        var status: Int32
        var reason: Process.TerminationReason
        var stderr: String
    }

    /// Runs the binary with stdout and stderr in files, killing it after `timeoutSeconds`.
    static func run(_ arguments: [String], in directory: URL) throws -> Run {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let errURL = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardError = errHandle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            Issue.record("faultline \(arguments.joined(separator: " ")) ran over \(timeoutSeconds) s: a hang")
        }
        process.waitUntilExit()
        try errHandle.close()
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        try FileManager.default.removeItem(at: errURL)
        return Run(status: process.terminationStatus, reason: process.terminationReason, stderr: stderr)
    }

    @Test func manifestListsEveryCorpusFile() throws {
        let corpus = try #require(Self.corpus, "the Corpus resource is missing")
        #expect(Self.cases.count >= 30, "manifest.json did not decode, or lists too few cases")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0 != "manifest.json" }
        let used = Set(Self.cases.filter { ($0.source ?? "corpus") == "corpus" }.map(\.input))
        #expect(Set(files).subtracting(used).sorted() == [], "corpus files without a case")
        #expect(used.subtracting(files).sorted() == [], "cases naming files that are not in the corpus")
    }

    @Test(arguments: cases)
    func badInput(_ testCase: CorpusCase) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("faultline-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent(testCase.input)
        switch testCase.source ?? "corpus" {
        case "corpus":
            let corpus = try #require(Self.corpus)
            try FileManager.default.copyItem(at: corpus.appendingPathComponent(testCase.input), to: input)
        case "generated": try Self.generate(testCase.input, at: input)
        case "directory": try FileManager.default.createDirectory(at: input, withIntermediateDirectories: false)
        default: break  // missing
        }
        let inputBefore = try? Data(contentsOf: input)

        let out: URL
        var outBefore: Data?
        switch testCase.out ?? "fresh" {
        case "existingFile":
            out = directory.appendingPathComponent("existing.txt")
            outBefore = Data("keep me\n".utf8)
            try outBefore?.write(to: out)
        case "belowFile":
            let file = directory.appendingPathComponent("existing.txt")
            outBefore = Data("keep me\n".utf8)
            try outBefore?.write(to: file)
            out = file.appendingPathComponent("report")
        default:
            out = directory.appendingPathComponent("report")
        }

        let command = testCase.command ?? "analyze"
        var arguments = [command, input.path, "--quiet", "--threads", "2"]
        if command == "analyze" { arguments += ["--out", testCase.out == "empty" ? "" : out.path] }
        arguments += testCase.args ?? []
        let run = try Self.run(arguments, in: directory)

        // The documented code, from a normal exit (not a signal: a crash).
        #expect(run.reason == .exit, "killed by signal \(run.status): \(run.stderr)")
        #expect(run.status == testCase.exit, "\(run.stderr)")
        for expected in testCase.stderr ?? [] {
            #expect(run.stderr.contains(expected), "stderr lacks '\(expected)': \(run.stderr)")
        }
        // The input is untouched.
        if let inputBefore { #expect((try? Data(contentsOf: input)) == inputBefore, "the input was modified") }

        // The report is whole, or not there; no staging folder is left anywhere.
        let manager = FileManager.default
        let everything = manager.enumerator(atPath: directory.path)?.allObjects as? [String] ?? []
        #expect(everything.filter { $0.contains(".faultline-") } == [], "staging leftovers")
        if let outBefore {
            let kept = directory.appendingPathComponent("existing.txt")
            #expect((try? Data(contentsOf: kept)) == outBefore, "the file named by --out was modified")
        } else if command == "analyze" && testCase.exit == 0 {
            let entries = try manager.contentsOfDirectory(atPath: out.path).sorted()
            #expect(entries == Self.expectedOutputs(testCase.args ?? []), "\(entries)")
        } else if command == "analyze" {
            #expect(!manager.fileExists(atPath: out.path), "--out was created although the run failed")
        }

        guard testCase.exit == 0, command == "analyze" else { return }
        let json = try String(contentsOf: out.appendingPathComponent("analysis.json"), encoding: .utf8)
        for expected in testCase.json ?? [] { #expect(json.contains(expected), "analysis.json lacks '\(expected)'") }
        if let notes = testCase.notes {
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let written = parsed?["notes"] as? [String] ?? []
            let summary = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
            for expected in notes {
                #expect(written.contains { $0.contains(expected) }, "no note with '\(expected)': \(written)")
                #expect(summary.contains(expected), "summary.md does not say '\(expected)'")
            }
        }
    }

    /// The report files a successful run with `arguments` writes.
    static func expectedOutputs(_ arguments: [String]) -> [String] {
        guard let index = arguments.firstIndex(of: "--format"), index + 1 < arguments.count else { return allOutputs }
        var files: [String] = []
        for format in arguments[index + 1].split(separator: ",") {
            switch format {
            case "json": files.append("analysis.json")
            case "md": files.append("summary.md")
            case "csv": files += ["slices.csv", "top_slices.csv"]
            default: files += ["report.html", "charts"]
            }
        }
        return files.sorted()
    }

    // MARK: - Generated inputs (too big to commit)

    /// Writes the generated input `name`.
    ///
    /// - `far_text.csv`: 200,000 rows whose `amount` is a number except on row 180,000 (`n/a-text`), far past the
    ///   rows a reader might sample, and in the second of the reader's parallel chunks (2.3 MB).
    /// - `big_cell.csv`: 40 rows, one of whose `note` cells is 5 MiB of text. (The test asks for json, md and csv
    ///   only: the HTML report copies the 5 MiB category into two charts' tooltips, ~10 s in a debug build.)
    /// - `many_categories.csv`: 100,000 distinct categories (1.6 MB, ~2 s in a debug build; a million takes ~10x
    ///   longer, which is too slow for a unit test on 2 cores).
    static func generate(_ name: String, at url: URL) throws {
        var text = ""
        switch name {
        case "far_text.csv":
            text.reserveCapacity(2_400_000)
            text += "amount,colour,label,pred\n"
            let colours = ["r", "g", "b"]
            for row in 0..<200_000 {
                let amount = row == 180_000 ? "n/a-text" : String(Double(row % 997) * 0.5)
                text += "\(amount),\(colours[row % 3]),\(row % 2),\((row / 3) % 2)\n"
            }
        case "big_cell.csv":
            text += "note,age,label,pred\n"
            for row in 0..<40 {
                let note = row == 7 ? String(repeating: "x", count: 5 * 1024 * 1024) : "short"
                text += "\(note),\(20 + row),\(row % 2),\((row / 3) % 2)\n"
            }
        case "many_categories.csv":
            text.reserveCapacity(1_700_000)
            text += "id,age,label,pred\n"
            for row in 0..<100_000 {
                text += "c\(row),\(20 + row % 50),\(row % 2),\((row / 3) % 2)\n"
            }
        default:
            Issue.record("no generator for \(name)")
        }
        try Data(text.utf8).write(to: url)
    }
}

import Foundation
import Testing
import _TestSupport

/// Runs the built `faultline` executable end to end: outputs, exit codes, and no partial reports.
@Suite(.serialized)
struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("faultline"),
            Bundle.main.bundleURL.appendingPathComponent("faultline"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("faultline"),
            URL(fileURLWithPath: RepositoryPaths.root + "/.build/debug/faultline"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[3]
    }

    /// Runs the executable with `arguments`, in `directory` when given, with `environment` added to this process's.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let smallDump = """
        age,colour,label,pred
        30,red,1,1
        40,blue,0,1
        50,red,1,0
        60,green,0,0
        35,blue,1,1
        45,red,0,0

        """

    @Test func analyzeWritesAllThreeOutputs() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("dump.csv")
        try Self.smallDump.write(to: input, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("report")
        let run = try Self.run(["analyze", input.path, "--out", out.path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try String(contentsOf: out.appendingPathComponent("analysis.json"), encoding: .utf8)
        #expect(json.contains("\"rows\": 6") && json.contains("\"failures\": 2"))
        let markdown = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(markdown.contains("33.3%"))
        let csv = try String(contentsOf: out.appendingPathComponent("slices.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("feature,kind,bin,"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
        let input2 = try String(contentsOf: input, encoding: .utf8)
        #expect(input2 == Self.smallDump)
    }

    @Test func analyzeReplacesAnEarlierReport() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("dump.csv")
        try Self.smallDump.write(to: input, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("report")
        let first = try Self.run(["analyze", input.path, "--out", out.path, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try Self.run(["analyze", input.path, "--out", out.path, "--quiet", "--bins", "3"])
        #expect(second.status == 0, "\(second.stderr)")
        let json = try String(contentsOf: out.appendingPathComponent("analysis.json"), encoding: .utf8)
        #expect(json.contains("\"bins\": 3"))
        let entries = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(entries == ["analysis.json", "charts", "report.html", "slices.csv", "summary.md", "top_slices.csv"])
    }

    @Test func analyzeWithoutInputUsesTheBundledDemo() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Self.run(["analyze", "--out", directory.path, "--format", "json", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try String(contentsOf: directory.appendingPathComponent("analysis.json"), encoding: .utf8)
        #expect(json.contains("\"rows\": 48842"))
        #expect(json.contains("\"failures\": 6161"))
    }

    @Test func malformedInputExits65WithFileAndLineAndWritesNothing() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("bad.csv")
        try "a,label,pred\n1,0,1\n2,1\n".write(to: input, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("report")
        let run = try Self.run(["analyze", input.path, "--out", out.path])
        #expect(run.status == 65)
        #expect(run.stderr.contains("bad.csv") && run.stderr.contains("3"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func missingFileExits66() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Self.run(["analyze", directory.appendingPathComponent("nope.csv").path, "--out", directory.path])
        #expect(run.status == 66)
        #expect(run.stderr.contains("nope.csv"))
    }

    @Test(arguments: [["--bins", "0"], ["--failure", "abs-error>banana"], ["--task", "ranking"], ["--format", "pdf"]])
    func nonsenseOptionsExit64(arguments: [String]) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("dump.csv")
        try Self.smallDump.write(to: input, atomically: true, encoding: .utf8)
        let run = try Self.run(["analyze", input.path, "--out", directory.appendingPathComponent("r").path] + arguments)
        #expect(run.status == 64, "\(arguments): \(run.stderr)")
    }

    @Test func outNamingAFileExits73() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("dump.csv")
        try Self.smallDump.write(to: input, atomically: true, encoding: .utf8)
        let run = try Self.run(["analyze", input.path, "--out", input.path])
        #expect(run.status == 73)
        #expect(try String(contentsOf: input, encoding: .utf8) == Self.smallDump)
    }

    @Test func inspectShowsSchemaAndRoles() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("dump.csv")
        try Self.smallDump.write(to: input, atomically: true, encoding: .utf8)
        let run = try Self.run(["inspect", input.path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("6 rows, 4 columns"))
        #expect(run.stdout.contains("colour"))
        #expect(run.stdout.contains("roles: label=label prediction=pred"))
    }

    @Test func inspectCountsDistinctValuesPerColumn() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("dump.csv")
        // x: 0 and -0 are one value, the empty field is missing: 2 distinct. n: 2^53 and 2^53 + 1 are two
        // integers, though one Double. c: 2 of its 3 strings. With --threads 1 and 2 the counts are the same.
        let csv = "x,n,c,label,pred\n0,9007199254740992,a,0,0\n-0,9007199254740993,b,1,1\n,1,a,0,1\n2.5,1,a,1,0\n"
        try csv.write(to: input, atomically: true, encoding: .utf8)
        for threads in ["1", "2"] {
            let run = try Self.run(["inspect", input.path, "--threads", threads])
            #expect(run.status == 0, "\(run.stderr)")
            let rows = run.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            let distinct = Dictionary(rows.filter { $0.count == 5 }.map { ($0[0], $0[3]) }) { first, _ in first }
            #expect(distinct["x"] == "2")
            #expect(distinct["n"] == "3")
            #expect(distinct["c"] == "2")
        }
    }
}

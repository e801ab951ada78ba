import Foundation
import Testing
import _TestSupport

/// SIGINT and SIGTERM during `faultline analyze --out DIR`: exit 130/143, no staging folder left, and the report in
/// DIR is the earlier one or the new one whole, never a mix; the input is not touched.
@Suite(.serialized)
struct InterruptTests {
    /// Every file under `directory` (relative path → bytes), hidden ones included.
    static func contents(of directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return files }
        while let name = walker.nextObject() as? String {
            let url = directory.appendingPathComponent(name)
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if attributes[.type] as? FileAttributeType == .typeRegular { files[name] = try Data(contentsOf: url) }
        }
        return files
    }

    static func leftovers(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".faultline-") }
    }

    /// Starts `faultline` with `arguments`, sends `signal` (through `send`) after `delay`, and waits for it.
    static func interrupt(
        _ arguments: [String], after delay: TimeInterval, with send: (Process) -> Void
    ) throws -> (reason: Process.TerminationReason, status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        waitForHandlers(of: process)
        Thread.sleep(forTimeInterval: delay)
        send(process)
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    /// Waits until the process handles SIGINT and SIGTERM (`SigIgn` or `SigCgt` in /proc: `faultline` ignores them,
    /// then Dispatch catches them), as it does first thing: a signal before that would kill it the default way,
    /// whatever the code does.
    static func waitForHandlers(of process: Process) {
        let pid = process.processIdentifier
        let wanted: UInt64 = (1 << (UInt64(SIGINT) - 1)) | (1 << (UInt64(SIGTERM) - 1))
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && process.isRunning {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            var handled: UInt64 = 0
            for line in status.split(separator: "\n") where line.hasPrefix("SigIgn:") || line.hasPrefix("SigCgt:") {
                handled |= UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
            }
            if handled & wanted == wanted { return }
            Thread.sleep(forTimeInterval: 0.002)
        }
        if process.isRunning { Issue.record("faultline (pid \(pid)) did not install its signal handlers within 10 s") }
    }

    /// A previous report written by a tiny run, in a fresh folder.
    static func setUp() throws -> (directory: URL, out: URL, previous: [String: Data]) {
        let directory = try CommandLineTests.temporaryDirectory()
        let tiny = directory.appendingPathComponent("tiny.csv")
        try CommandLineTests.smallDump.write(to: tiny, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("report")
        let first = try CommandLineTests.run(["analyze", tiny.path, "--out", out.path, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        return (directory, out, try contents(of: out))
    }

    /// A generated dump of `rows` rows in `directory` (20,000 rows: about 2 MB, 5 s to analyse in a debug build,
    /// under a second in an optimized one).
    static func generatedDump(rows: Int, in directory: URL) throws -> URL {
        let input = directory.appendingPathComponent("big-\(rows)/dump.csv")
        let generated = try CommandLineTests.run([
            "generate", "--rows", String(rows), "--out", input.path, "--quiet",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        return input
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aSignalDuringTheAnalysisLeavesTheEarlierReport(_ signal: Int32, _ expected: Int32) throws {
        // How long the analysis takes depends on the build (debug, -O, a sanitizer) and the machine's load: when the
        // run beats the signal, the dump was too small to be caught mid-run, so the test starts over with one five
        // times bigger rather than pass without having interrupted anything.
        for rows in [20_000, 100_000, 500_000] {
            let (directory, out, previous) = try Self.setUp()
            defer { try? FileManager.default.removeItem(at: directory) }
            let input = try Self.generatedDump(rows: rows, in: directory)
            let inputBefore = try Data(contentsOf: input)
            let arguments = ["analyze", input.path, "--out", out.path, "--quiet"]
            let run = try Self.interrupt(arguments, after: 0.3) { process in
                if signal == SIGINT { process.interrupt() } else { process.terminate() }
            }
            if run.reason == .exit && run.status == 0 && rows < 500_000 { continue }
            // An exit with a status, not a death by the signal (which Process reports as .uncaughtSignal).
            #expect(run.reason == .exit, "\(run.stderr)")
            #expect(run.status == expected, "\(rows) rows: \(run.stderr)")
            #expect(run.stderr.contains("interrupted"))
            #expect(try Self.leftovers(in: out).isEmpty)
            #expect(try Self.contents(of: out) == previous)
            #expect(try Data(contentsOf: input) == inputBefore)
            return
        }
    }

    /// Signals at delays spread over a short run, to land in every stage (reading, analysis, staging, publishing):
    /// each run either finished (0) or was interrupted (130), and DIR holds one whole report.
    @Test func signalsAtAnyMomentLeaveOneWholeReport() throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("dump.csv")
        try CommandLineTests.smallDump.write(to: input, atomically: true, encoding: .utf8)
        let old = directory.appendingPathComponent("old")
        let fresh = directory.appendingPathComponent("new")
        #expect(try CommandLineTests.run(["analyze", input.path, "--out", old.path, "--quiet"]).status == 0)
        let newArguments = ["analyze", input.path, "--quiet", "--bins", "3"]
        #expect(try CommandLineTests.run(newArguments + ["--out", fresh.path]).status == 0)
        let oldReport = try Self.contents(of: old)
        let newReport = try Self.contents(of: fresh)
        #expect(oldReport != newReport && !oldReport.isEmpty)

        var outcomes: [Int32: Int] = [:]
        for step in 0..<12 {
            let out = directory.appendingPathComponent("run\(step)")
            try FileManager.default.copyItem(at: old, to: out)
            let run = try Self.interrupt(newArguments + ["--out", out.path], after: 0.015 * Double(step)) {
                $0.interrupt()
            }
            #expect(run.reason == .exit && (run.status == 0 || run.status == 130), "\(run.reason) \(run.status)")
            outcomes[run.status, default: 0] += 1
            #expect(try Self.leftovers(in: out).isEmpty, "run \(step)")
            let report = try Self.contents(of: out)
            #expect(report == oldReport || report == newReport, "run \(step): a mix of two reports")
        }
        // The early signals must have stopped a run; otherwise the test checked nothing.
        #expect(outcomes[130, default: 0] > 0, "\(outcomes)")
    }
}

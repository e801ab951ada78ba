import ColumnStore
import Faultline
import Foundation

/// Runs each query through `/bin/sh -c COMMAND`: the query (with a closing `;`) on its standard input, CSV with a
/// header expected on its standard output. With `recordTo`, every query and its result are also saved there
/// (`<step>-<key>.sql` and `.csv`), so `--aggregates DIR` can finish the analysis later without the engine.
final class ShellSQLRunner: SQLQueryRunner {
    let command: String
    let recordTo: String?

    init(command: String, recordTo: String?) {
        self.command = command
        self.recordTo = recordTo
    }

    func run(_ query: SQLQuery) throws(AnalysisError) -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "faultline-sql-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw AnalysisError(code: .sqlEngine, message: "cannot create a temporary folder for the SQL command: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("query.sql")
        let output = scratch.appendingPathComponent("result.csv")
        let errors = scratch.appendingPathComponent("stderr.txt")
        let status: Int32
        do {
            try (query.text + ";\n").write(to: input, atomically: false, encoding: .utf8)
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.standardInput = try FileHandle(forReadingFrom: input)
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
            process.waitUntilExit()
            status = process.terminationStatus
        } catch {
            throw AnalysisError(code: .sqlEngine, message: "cannot run the SQL command '\(command)': \(error)")
        }
        let stderrText = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let tail = stderrText.split(separator: "\n").suffix(8).joined(separator: "\n")
            throw AnalysisError(
                code: .sqlEngine,
                message: "the SQL command '\(command)' failed (exit \(status)) on the \(query.step) query"
                    + (tail.isEmpty ? "" : ":\n\(tail)"))
        }
        guard let result = try? String(contentsOf: output, encoding: .utf8) else {
            throw AnalysisError(code: .sqlEngine, message: "the \(query.step) query's output is not UTF-8 text")
        }
        if let recordTo { try SavedAggregates(directory: recordTo).save(query, result: result) }
        return result
    }
}

/// Query results saved in a directory, one `<step>-<key>.csv` per query (the key hashes the query text, so a
/// result is only reused for exactly the query that produced it).
struct SavedAggregates: SQLQueryRunner {
    let directory: String

    func path(of query: SQLQuery) -> String { directory + "/" + query.resultFileName }

    func run(_ query: SQLQuery) throws(AnalysisError) -> String {
        guard let text = try? String(contentsOfFile: path(of: query), encoding: .utf8) else {
            throw AnalysisError(
                code: .missingAggregate,
                message: "\(directory) has no result for the \(query.step) query (\(query.resultFileName)); "
                    + "`faultline sql` with the same options prints the query to run")
        }
        return text
    }

    /// Saves the query and its result atomically.
    func save(_ query: SQLQuery, result: String) throws(AnalysisError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw AnalysisError(code: .sqlEngine, message: "cannot create --aggregates \(directory): \(error)")
        }
        let base = directory + "/" + query.resultFileName.dropLast(4)
        for (path, text) in [(base + ".sql", query.text + ";\n"), (base + ".csv", result)] {
            switch AtomicFileWriter.open(path) {
            case .failure(let error):
                throw AnalysisError(code: .sqlEngine, message: "cannot save \(path): \(error.reason)")
            case .success(var writer):
                do {
                    try writer.write(text)
                    try writer.commit()
                } catch {
                    throw AnalysisError(code: .sqlEngine, message: "cannot save \(path): \(error.reason)")
                }
            }
        }
    }
}

/// For `faultline sql`: answers from saved results while there are some, and stops at the first query without
/// one, remembering it so the command can print it.
final class NextQueryRunner: SQLQueryRunner {
    let saved: SavedAggregates?
    private(set) var pending: SQLQuery?

    init(saved: SavedAggregates?) { self.saved = saved }

    func run(_ query: SQLQuery) throws(AnalysisError) -> String {
        if let saved, let text = try? saved.run(query) { return text }
        pending = query
        throw AnalysisError(code: .missingAggregate, message: "the \(query.step) query has no saved result")
    }
}

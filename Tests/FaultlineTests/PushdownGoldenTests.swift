import Foundation
import Report
import SliceSearch
import Testing
import _TestSupport

@testable import Faultline

/// The pushdown on every dialect, offline: the answers DuckDB gave to the queries for a small dump are replayed in
/// order (the answers do not depend on the dialect, only the query text does), so each dialect's whole query
/// sequence is checked against its golden SQL, and the analysis built from the answers against the in-memory one.
///
/// Re-record (needs `python3` with `duckdb`): `RECORD_SNAPSHOTS=1 swift test --filter PushdownGoldenTests`.
@Suite(.serialized)
struct PushdownGoldenTests {
    static let folder = RepositoryPaths.root + "/Tests/FaultlineTests/Fixtures/pushdown"
    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// Answers queries from a list, in order, and keeps the queries asked.
    final class ReplayRunner: SQLQueryRunner {
        let answers: [String]
        var queries: [SQLQuery] = []

        init(answers: [String]) { self.answers = answers }

        func run(_ query: SQLQuery) throws(AnalysisError) -> String {
            queries.append(query)
            guard queries.count <= answers.count else {
                throw AnalysisError(code: .missingAggregate, message: "no recorded answer for query \(queries.count)")
            }
            return answers[queries.count - 1]
        }
    }

    /// Runs queries on a DuckDB file through scripts/sql/duckdb_csv.py (recording only).
    final class DuckDBRunner: SQLQueryRunner {
        let database: String
        var answers: [(SQLQuery, String)] = []

        init(database: String) { self.database = database }

        func run(_ query: SQLQuery) throws(AnalysisError) -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", RepositoryPaths.root + "/scripts/sql/duckdb_csv.py", database]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            do {
                try process.run()
                input.fileHandleForWriting.write(Data((query.text + ";\n").utf8))
                try input.fileHandleForWriting.close()
            } catch {
                throw AnalysisError(code: .sqlEngine, message: "\(error)")
            }
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            answers.append((query, text))
            return text
        }
    }

    static let options: AnalysisOptions = {
        var options = AnalysisOptions()
        options.slicing.minSupport = 20
        options.sliceLine.maxLevel = 3
        // A baseline splits the time axis, so the before/after query is part of the sequence (2024-02-15).
        options.baselineUntil = 1_707_955_200
        return options
    }()

    static func answers() throws -> [String] {
        if recording { try record() }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/answers").sorted()
        return try names.map { try String(contentsOfFile: folder + "/answers/" + $0, encoding: .utf8) }
    }

    /// Loads small.csv into DuckDB, runs the duckdb pipeline live and saves its answers.
    static func record() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-golden-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let database = scratch.appendingPathComponent("small.duckdb").path
        let load = Process()
        load.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        load.arguments = [
            "python3", "-c",
            "import duckdb, sys; duckdb.connect(sys.argv[1]).execute(\"CREATE TABLE small AS SELECT * FROM read_csv('\" + sys.argv[2] + \"')\")",
            database, folder + "/small.csv",
        ]
        try load.run()
        load.waitUntilExit()
        #expect(load.terminationStatus == 0)
        let runner = DuckDBRunner(database: database)
        _ = try PushdownAnalysis.run(source: SQLSource(dialect: .duckdb, table: "small"), runner: runner, options: options)
        try? FileManager.default.removeItem(atPath: folder + "/answers")
        try FileManager.default.createDirectory(atPath: folder + "/answers", withIntermediateDirectories: true)
        for (index, (query, text)) in runner.answers.enumerated() {
            let name = String(format: "%02d-%@.csv", index + 1, query.step)
            try text.write(toFile: folder + "/answers/" + name, atomically: true, encoding: .utf8)
        }
    }

    /// The JSON sections the pushdown must reproduce.
    static func sections(_ result: AnalysisResult) throws -> [String: NSObject] {
        let json = try JSONSerialization.jsonObject(with: Data(JSONReport.render(result).utf8)) as? [String: Any]
        var kept: [String: NSObject] = [:]
        for key in [
            "rows", "failures", "features", "hotspots", "slices", "slice_search", "failure_definition", "task", "time",
        ] {
            kept[key] = json?[key] as? NSObject
        }
        return kept
    }

    @Test(arguments: SQLDialect.allCases)
    func replayedAnswersGiveTheInMemoryAnalysisAndTheGoldenSQL(dialect: SQLDialect) throws {
        let runner = ReplayRunner(answers: try Self.answers())
        let pushed = try PushdownAnalysis.run(
            source: SQLSource(dialect: dialect, table: "small"), runner: runner, options: Self.options)
        #expect(runner.queries.count == runner.answers.count)
        let native = try FailureAnalysis.run(path: Self.folder + "/small.csv", options: Self.options)
        let expected = try Self.sections(native)
        let actual = try Self.sections(pushed)
        for key in expected.keys.sorted() {
            #expect(actual[key] == expected[key], "\(dialect): \(key)")
        }
        #expect(!pushed.slices.isEmpty && !pushed.hotspots.isEmpty)
        #expect(pushed.time?.split != nil && !pushed.timeSlices.isEmpty)

        let goldenFolder = Self.folder + "/sql/" + dialect.rawValue
        if Self.recording {
            try? FileManager.default.removeItem(atPath: goldenFolder)
            try FileManager.default.createDirectory(atPath: goldenFolder, withIntermediateDirectories: true)
        }
        for (index, query) in runner.queries.enumerated() {
            let path = goldenFolder + String(format: "/%02d-%@.sql", index + 1, query.step)
            if Self.recording { try (query.text + ";\n").write(toFile: path, atomically: true, encoding: .utf8) }
            let golden = try String(contentsOfFile: path, encoding: .utf8)
            #expect(query.text + ";\n" == golden, "\(dialect): query \(index + 1) (\(query.step)) differs from \(path)")
        }
    }

    @Test func dialectsQuoteIdentifiersAndLiteralsTheirOwnWay() {
        #expect(SQLDialect.duckdb.quote("a\"b") == "\"a\"\"b\"")
        #expect(SQLDialect.spark.quote("a`b") == "`a``b`")
        #expect(SQLDialect.postgres.literal("it's \\n") == "'it''s \\n'")
        #expect(SQLDialect.spark.literal("it's \\n") == "'it\\'s \\\\n'")
        #expect(SQLDialect.bigquery.double(0.1) == "CAST('0.1' AS FLOAT64)")
        #expect(SQLDialect.postgres.double(1e-300) == "CAST('1e-300' AS DOUBLE PRECISION)")
    }

    @Test func engineTypeNamesMapToColumnKinds() {
        #expect(SQLColumnType(engineType: "BIGINT") == .integer)
        #expect(SQLColumnType(engineType: "NUMBER(38,0)") == .integer)
        #expect(SQLColumnType(engineType: "numeric(10,2)") == .float)
        #expect(SQLColumnType(engineType: "double precision") == .float)
        #expect(SQLColumnType(engineType: "character varying(20)") == .string)
        #expect(SQLColumnType(engineType: "timestamp without time zone") == .timestamp)
        #expect(SQLColumnType(engineType: "BOOLEAN") == .bool)
        #expect(SQLColumnType(engineType: "STRUCT<a INT>") == nil)
        #expect(SQLColumnType(engineType: "BLOB") == nil)
    }

    @Test func resultCSVKeepsNullApartFromTheEmptyString() throws {
        let query = SQLQuery(step: "test", text: "SELECT 1")
        let table = try SQLResultTable(csv: "a,B,c\r\n1,,\"\"\n\"x,\"\"y\"\"\",2.5,\n", query: query)
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0][1] == nil && table.rows[0][2] == "")
        #expect(table.rows[1][0] == "x,\"y\"")
        #expect(try table.double(1, 1) == 2.5)
        #expect(try table.integer(0, 0) == 1)
        #expect(throws: AnalysisError.self) { try SQLResultTable(csv: "a,b\n1\n", query: query) }
        #expect(throws: AnalysisError.self) { try SQLResultTable(csv: "a\n\"open\n", query: query) }
        #expect(throws: AnalysisError.self) { try table.integer(1, 0) }
    }

    @Test func queryKeysAreStableHashesOfTheText() {
        let query = SQLQuery(step: "level-1", text: "SELECT 1")
        #expect(query.key == SQLQuery(step: "other", text: "SELECT 1").key)
        #expect(query.key != SQLQuery(step: "level-1", text: "SELECT 2").key)
        #expect(query.key.count == 16)
        #expect(query.resultFileName == "level-1-\(query.key).csv")
    }
}

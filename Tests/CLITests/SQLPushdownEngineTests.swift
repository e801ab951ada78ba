import Foundation
import Testing
import _TestSupport

/// `faultline analyze --sql-dialect` against real engines, on the two demo dumps: the analysis pushed down to DuckDB
/// (Python package) and PostgreSQL (a local server) equals the in-memory analysis of the same rows. Each dump goes
/// through `faultline convert`, so the engine's table has exactly the types Faultline reads
/// (`scripts/sql/load_table.py`).
///
/// DuckDB runs when python3 imports duckdb and pyarrow (`FAULTLINE_REQUIRE_DUCKDB=1`, as in CI, makes it mandatory).
/// PostgreSQL runs when `FAULTLINE_POSTGRES_DB` names a database that `psql -d` reaches (`.ci/run` starts one).
/// Spark runs in local mode, one session for the whole test (`scripts/sql/spark_server.py`), when python3 imports
/// pyspark and `java` exists (`FAULTLINE_REQUIRE_SPARK=1` makes it mandatory).
@Suite(.serialized)
struct SQLPushdownEngineTests {
    typealias CLI = CommandLineTests
    static let environment = ProcessInfo.processInfo.environment
    static let requireDuckDB = environment["FAULTLINE_REQUIRE_DUCKDB"] == "1"
    static let postgresDatabase = environment["FAULTLINE_POSTGRES_DB"]
    static let duckDBAvailable: Bool = (try? shell("python3 -c 'import duckdb, pyarrow'").status == 0) ?? false
    static let requireSpark = environment["FAULTLINE_REQUIRE_SPARK"] == "1"
    static let sparkAvailable: Bool =
        (try? shell("python3 -c 'import pyspark, pyarrow' && java -version").status == 0) ?? false
    static let demos = [("adult", "adult_predictions.csv"), ("bike", "bike_sharing_hourly_predictions.csv")]

    static func shell(_ command: String, in directory: URL? = nil) throws -> (status: Int32, output: String) {
        try Subprocess.run("/bin/sh", ["-c", command], in: directory)
    }

    /// The sections of analysis.json the pushdown reproduces (the associations and the joint model need rows).
    static func sections(_ directory: URL) throws -> [String: NSObject] {
        let data = try Data(contentsOf: directory.appendingPathComponent("analysis.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var kept: [String: NSObject] = [:]
        for key in [
            "rows", "failures", "failure_rate", "task", "failure_definition", "exclusions", "features", "hotspots",
            "slices", "slice_search", "time",
        ] {
            kept[key] = json[key] as? NSObject
        }
        return kept
    }

    /// Converts each demo, analyses it in memory, and returns the folder.
    static func prepare() throws -> URL {
        let directory = try CLI.temporaryDirectory()
        for (table, file) in demos {
            let converted = try CLI.run(["convert", RepositoryPaths.data(file), "\(table).arrow", "--quiet"], in: directory)
            try #require(converted.status == 0, "\(converted.stderr)")
            let native = try CLI.run(
                ["analyze", "\(table).arrow", "--out", "native-\(table)", "--format", "json", "--quiet"], in: directory)
            try #require(native.status == 0, "\(native.stderr)")
        }
        return directory
    }

    static func loader() -> String { "python3 '\(RepositoryPaths.root)/scripts/sql/load_table.py'" }

    @Test(.enabled(if: duckDBAvailable || requireDuckDB, "python3 cannot import duckdb and pyarrow"))
    func duckDBPushdownEqualsTheInMemoryAnalysis() throws {
        try #require(Self.duckDBAvailable, "FAULTLINE_REQUIRE_DUCKDB=1 but python3 cannot import duckdb and pyarrow")
        let directory = try Self.prepare()
        defer { try? FileManager.default.removeItem(at: directory) }
        let command = "python3 '\(RepositoryPaths.root)/scripts/sql/duckdb_csv.py' demo.duckdb"
        for (table, _) in Self.demos {
            let loaded = try Self.shell("\(Self.loader()) \(table).arrow --table \(table) --duckdb demo.duckdb", in: directory)
            try #require(loaded.status == 0, "\(loaded.output)")
            let pushed = try CLI.run(
                [
                    "analyze", "--sql-dialect", "duckdb", "--sql-table", table, "--sql-command", command,
                    "--aggregates", "saved-\(table)", "--out", "duckdb-\(table)", "--quiet",
                ], in: directory)
            try #require(pushed.status == 0, "\(pushed.stderr)")
            let expected = try Self.sections(directory.appendingPathComponent("native-\(table)"))
            let actual = try Self.sections(directory.appendingPathComponent("duckdb-\(table)"))
            for key in expected.keys.sorted() { #expect(actual[key] == expected[key], "\(table): \(key)") }
            for name in ["summary.md", "report.html", "slices.csv", "top_slices.csv"] {
                #expect(FileManager.default.fileExists(atPath: directory.path + "/duckdb-\(table)/" + name))
            }

            // The saved results finish the same analysis without the engine, byte for byte.
            let replayed = try CLI.run(
                [
                    "analyze", "--sql-dialect", "duckdb", "--sql-table", table, "--aggregates", "saved-\(table)",
                    "--out", "replayed-\(table)", "--format", "json", "--quiet",
                ], in: directory)
            try #require(replayed.status == 0, "\(replayed.stderr)")
            let first = try Data(contentsOf: directory.appendingPathComponent("duckdb-\(table)/analysis.json"))
            let second = try Data(contentsOf: directory.appendingPathComponent("replayed-\(table)/analysis.json"))
            #expect(first == second)

            // `faultline sql` finds every result and says how to finish.
            let next = try CLI.run(
                ["sql", "--sql-dialect", "duckdb", "--sql-table", table, "--aggregates", "saved-\(table)"], in: directory)
            #expect(next.status == 0)
            #expect(next.stdout.isEmpty)
            #expect(next.stderr.contains("every query's result is in saved-\(table)"))
        }

        // A failing engine command is exit 69 with the engine's message, and no report.
        let failing = try CLI.run(
            [
                "analyze", "--sql-dialect", "duckdb", "--sql-table", "no_such_table", "--sql-command", command,
                "--out", "failed", "--quiet",
            ], in: directory)
        #expect(failing.status == 69)
        #expect(failing.stderr.contains("failed (exit 1) on the schema query"))
        #expect(failing.stderr.contains("no_such_table"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/failed/analysis.json"))
    }

    @Test(.enabled(if: postgresDatabase != nil, "FAULTLINE_POSTGRES_DB is not set"))
    func postgresPushdownEqualsTheInMemoryAnalysis() throws {
        let database = try #require(Self.postgresDatabase)
        let directory = try Self.prepare()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (table, _) in Self.demos {
            let loaded = try Self.shell("\(Self.loader()) \(table).arrow --table \(table) --postgres \(database)", in: directory)
            try #require(loaded.status == 0, "\(loaded.output)")
            let pushed = try CLI.run(
                [
                    "analyze", "--sql-dialect", "postgres", "--sql-table", table, "--sql-command",
                    "psql -X -q --csv -v ON_ERROR_STOP=1 -d \(database)", "--out", "postgres-\(table)", "--format", "json",
                    "--quiet",
                ], in: directory)
            try #require(pushed.status == 0, "\(pushed.stderr)")
            let expected = try Self.sections(directory.appendingPathComponent("native-\(table)"))
            let actual = try Self.sections(directory.appendingPathComponent("postgres-\(table)"))
            for key in expected.keys.sorted() { #expect(actual[key] == expected[key], "\(table): \(key)") }
        }
    }

    @Test(.enabled(if: sparkAvailable || requireSpark, "python3 cannot import pyspark, or there is no java"))
    func sparkPushdownEqualsTheInMemoryAnalysis() throws {
        try #require(Self.sparkAvailable, "FAULTLINE_REQUIRE_SPARK=1 but pyspark or java is missing")
        let directory = try Self.prepare()
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("spark.sock").path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments =
            ["python3", RepositoryPaths.root + "/scripts/sql/spark_server.py", "--socket", socket]
            + Self.demos.flatMap { ["--table", "\($0.0)=\(directory.path)/\($0.0).arrow"] }
        let log = directory.appendingPathComponent("spark.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        server.standardOutput = try FileHandle(forWritingTo: log)
        server.standardError = server.standardOutput
        try server.run()
        defer { server.terminate() }
        let deadline = Date().addingTimeInterval(300)
        while !FileManager.default.fileExists(atPath: socket) && server.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
        }
        try #require(
            FileManager.default.fileExists(atPath: socket),
            "the Spark session did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        for (table, _) in Self.demos {
            let pushed = try CLI.run(
                [
                    "analyze", "--sql-dialect", "spark", "--sql-table", table, "--sql-command",
                    "python3 '\(RepositoryPaths.root)/scripts/sql/spark_client.py' '\(socket)'", "--out", "spark-\(table)",
                    "--format", "json", "--quiet",
                ], in: directory)
            try #require(pushed.status == 0, "\(pushed.stderr)")
            let expected = try Self.sections(directory.appendingPathComponent("native-\(table)"))
            let actual = try Self.sections(directory.appendingPathComponent("spark-\(table)"))
            for key in expected.keys.sorted() { #expect(actual[key] == expected[key], "\(table): \(key)") }
        }
    }

    @Test func sqlPrintsTheFirstQueryAndWhereToSaveItsResult() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try CLI.run(["sql", "--sql-dialect", "trino", "--sql-table", "lake.preds", "--aggregates", "saved"], in: directory)
        #expect(run.status == 0)
        #expect(run.stdout == "DESCRIBE lake.preds;\n")
        #expect(run.stderr.contains("save its CSV result (with a header) as saved/schema-"))
        let missing = try CLI.run(
            ["analyze", "--sql-dialect", "trino", "--sql-table", "lake.preds", "--aggregates", "saved", "--quiet"],
            in: directory)
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("has no result for the schema query"))
        let bad = try CLI.run(["analyze", "--sql-dialect", "oracle", "--sql-table", "t", "--aggregates", "x"], in: directory)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--sql-dialect must be one of duckdb, postgres, spark, trino, bigquery, snowflake"))
        let both = try CLI.run(["analyze", "data.csv", "--sql-dialect", "duckdb", "--sql-table", "t", "--aggregates", "x"], in: directory)
        #expect(both.status == 64)
    }
}

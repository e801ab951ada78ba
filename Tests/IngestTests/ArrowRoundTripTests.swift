import ColumnStore
import Foundation
import Testing
import _TestSupport

@testable import Ingest

/// Round trips with pyarrow (and Polars, DuckDB when installed): pyarrow writes random seeded tables that
/// Faultline reads; Faultline writes them back, and pyarrow (Polars, DuckDB) must read them equal
/// (`scripts/arrow_roundtrip.py`).
///
/// Skipped when python3 cannot import pyarrow, unless `FAULTLINE_REQUIRE_PYARROW=1` (CI), which makes a missing
/// pyarrow a failure. `FAULTLINE_ROUNDTRIP_DIR=DIR` keeps the files in DIR.
struct ArrowRoundTripTests {
    static let requirePyarrow = Subprocess.requirePyarrow
    static let script = RepositoryPaths.root + "/scripts/arrow_roundtrip.py"

    /// Runs python3 with `arguments`; returns the exit status and the combined output.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Subprocess.python(arguments)
    }

    static let pyarrowAvailable = Subprocess.pyarrowAvailable

    @Test(.enabled(if: pyarrowAvailable || requirePyarrow, "pyarrow is not installed (pip install pyarrow)"))
    func randomTablesRoundTrip() throws {
        try #require(Self.pyarrowAvailable, "FAULTLINE_REQUIRE_PYARROW=1 but python3 cannot import pyarrow")
        // FAULTLINE_ROUNDTRIP_DIR keeps the files for a look after a failure.
        let kept = ProcessInfo.processInfo.environment["FAULTLINE_ROUNDTRIP_DIR"]
        let directory = kept.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("faultline-roundtrip-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        defer { if kept == nil { try? FileManager.default.removeItem(at: directory) } }
        let generated = try Self.python([Self.script, "generate", "--out", directory.path, "--seed", "20240601", "--count", "40"])
        try #require(generated.status == 0, "generate failed: \(generated.output)")

        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { !$0.hasSuffix(".json") }.sorted()
        #expect(files.count == 40)
        for (index, file) in files.enumerated() {
            let path = directory.path + "/" + file
            let stem = String(file.prefix { $0 != "." })
            // pyarrow -> Faultline: the values pyarrow wrote, with Faultline's documented types.
            let table = try ArrowReader.read(path: path, options: ArrowReadOptions(threads: 2))
            let found = try differences(table, expectedJSON: directory.path + "/" + stem + ".json")
            #expect(found.isEmpty, "\(file): \(found.prefix(5))")
            // Faultline -> pyarrow, Polars, DuckDB (checked by the script below); batch sizes vary.
            let batchRows = [7, 64, 1000, ArrowWriteOptions.defaultBatchRows][index % 4]
            try ArrowWriter.write(
                table, to: directory.path + "/" + stem + ".faultline.arrow", options: ArrowWriteOptions(batchRows: batchRows))
        }
        let verified = try Self.python([Self.script, "verify", "--dir", directory.path])
        #expect(verified.status == 0, "\(verified.output)")
    }
}

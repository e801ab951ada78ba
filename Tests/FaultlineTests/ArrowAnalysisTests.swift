import ColumnStore
import Foundation
import Ingest
import Report
import Testing
import _TestSupport

@testable import Faultline

/// The analysis of an Arrow file is the analysis of the CSV with the same data, byte for byte.
struct ArrowAnalysisTests {
    static let source = "adult_predictions"

    static func json(_ table: Table) throws -> String {
        JSONReport.render(try FailureAnalysis.run(table: table, source: source, options: AnalysisOptions()))
    }

    static func csvTable() throws -> Table {
        try CSVReader.read(path: RepositoryPaths.data("adult_predictions.csv"))
    }

    @Test func faultlineWrittenArrowGivesTheCSVAnalysis() throws {
        let csv = try Self.csvTable()
        let arrow = try ArrowReader.read(bytes: try ArrowWriter.encode(csv), path: "adult_predictions.arrow")
        #expect(try Self.json(arrow) == (try Self.json(csv)))
    }

    @Test func pyarrowWrittenFeatherGivesTheCSVAnalysis() throws {
        // pandas.read_csv of the same file, written by pyarrow (ZSTD, 3 batches, some categoricals, large_string).
        let directory = try #require(Bundle.module.resourcePath)
        let feather = try ArrowReader.read(path: directory + "/Fixtures/adult_predictions.feather")
        #expect(feather.rowCount == (try Self.csvTable()).rowCount)
        #expect(try Self.json(feather) == (try Self.json(try Self.csvTable())))
    }

    @Test func tableLoaderDispatchesArrowByExtensionAndMagic() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-loader-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = try Self.csvTable()
        let bytes = try ArrowWriter.encode(csv)
        for name in ["dump.arrow", "dump.feather", "dump.ipc", "dump.csv", "dump"] {
            let path = directory.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let table = try TableLoader.load(path: path, options: AnalysisOptions())
            #expect(table.rowCount == csv.rowCount, "\(name)")
            #expect(table.columns.map(\.name) == csv.columns.map(\.name), "\(name)")
        }
        let broken = directory.appendingPathComponent("broken.arrow").path
        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: broken))
        #expect(throws: AnalysisError.self) { try TableLoader.load(path: broken, options: AnalysisOptions()) }
    }
}

import ColumnStore
import Foundation
import Ingest
import Report
import Testing

@testable import Faultline
@testable import SliceSearch

struct SyntheticDumpTests {
    @Test func sameSeedSameTableAndPlantedHotspotsAreFound() throws {
        let first = SyntheticDump.generate(rows: 30_000, seed: 7)
        let second = SyntheticDump.generate(rows: 30_000, seed: 7)
        #expect(first.groundTruth == second.groundTruth)
        let result = try FailureAnalysis.run(table: first.table, source: "synthetic", options: AnalysisOptions())
        #expect(result.roles.time == "ts" && result.roles.batch == "batch_id")
        let hot = result.hotspots.map { "\($0.feature)=\($0.identity.label)" }
        #expect(hot.contains("cat_3=c7"), "\(hot)")
        #expect(hot.contains("label=1"), "\(hot)")
        // The planted window 2024-03-01..08 shows up as hot days or batches.
        #expect(result.hotspots.contains { $0.feature == "ts" || $0.feature == "batch_id" }, "\(hot)")
    }

    @Test func csvWriterAndReaderRoundTripToTheSameAnalysis() throws {
        let dump = SyntheticDump.generate(rows: 5_000, seed: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roundtrip-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try CSVWriter.write(dump.table, to: path)
        let reread = try CSVReader.read(path: path)
        #expect(reread.rowCount == dump.table.rowCount)
        #expect(reread.columns.map(\.name) == dump.table.columns.map(\.name))
        #expect(reread.columns.map(\.type) == dump.table.columns.map(\.type))
        let direct = JSONReport.render(try FailureAnalysis.run(table: dump.table, source: "s", options: AnalysisOptions()))
        let viaCSV = JSONReport.render(try FailureAnalysis.run(table: reread, source: "s", options: AnalysisOptions()))
        #expect(direct == viaCSV)
    }
}

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

    /// The regression dump: the same features, time and batch as the binary dump of its seed, numeric label and
    /// prediction, and its three planted hotspots found under the default failure (absolute error above its 90th
    /// percentile), whose threshold the ground truth states as the analysis resolves it.
    @Test func regressionDumpPlantsItsHotspots() throws {
        let dump = SyntheticDump.generate(rows: 40_000, seed: 7, task: .regression)
        #expect(SyntheticDump.generate(rows: 40_000, seed: 7, task: .regression).groundTruth == dump.groundTruth)
        let binary = SyntheticDump.generate(rows: 40_000, seed: 7)
        let shared = binary.table.columns.filter { !["label", "pred", "score"].contains($0.name) }.map(\.name)
        for name in shared {
            let a = try #require(dump.table.column(named: name))
            let b = try #require(binary.table.column(named: name))
            #expect((0..<a.count).allSatisfy { a.textValue(at: $0) == b.textValue(at: $0) }, "\(name)")
        }
        #expect(dump.table.column(named: "score") == nil)
        #expect(
            dump.table.column(named: "label")?.type == .float64 && dump.table.column(named: "pred")?.type == .float64)
        let result = try FailureAnalysis.run(table: dump.table, source: "synthetic", options: AnalysisOptions())
        #expect(result.task == "regression")
        #expect(dump.groundTruth.contains("\"task\": \"regression\""))
        let threshold = try #require(result.failureDefinition.threshold)
        #expect(dump.groundTruth.contains("> \(NumberFormat.shortest(threshold)) "), "\(dump.groundTruth)")
        let hot = result.hotspots.map { "\($0.feature)=\($0.identity.label)" }
        #expect(hot.contains("cat_3=c7"), "\(hot)")
        #expect(result.hotspots.contains { $0.feature == "label" }, "\(hot)")
        #expect(result.hotspots.contains { $0.feature == "ts" || $0.feature == "batch_id" }, "\(hot)")
    }

    @Test func csvWriterAndReaderRoundTripToTheSameAnalysis() throws {
        let dump = SyntheticDump.generate(rows: 5_000, seed: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roundtrip-\(UUID().uuidString).csv")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try CSVWriter.write(dump.table, to: path)
        let reread = try CSVReader.read(path: path)
        #expect(reread.rowCount == dump.table.rowCount)
        #expect(reread.columns.map(\.name) == dump.table.columns.map(\.name))
        #expect(reread.columns.map(\.type) == dump.table.columns.map(\.type))
        let direct = JSONReport.render(
            try FailureAnalysis.run(table: dump.table, source: "s", options: AnalysisOptions()))
        let viaCSV = JSONReport.render(try FailureAnalysis.run(table: reread, source: "s", options: AnalysisOptions()))
        #expect(direct == viaCSV)
    }
}

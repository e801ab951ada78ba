import ColumnStore
import Foundation
import Ingest
import Report
import SliceSearch
import Testing

@testable import Faultline

/// An Arrow file of many record batches is read in place, batch by batch (its 64-bit number columns are pieces of
/// the file, not copies), and analysed to the byte as the same table in one batch.
struct RecordBatchPiecesTests {
    static func json(_ table: Table, _ change: (inout AnalysisOptions) -> Void) throws -> String {
        var options = AnalysisOptions()
        change(&options)
        return JSONReport.render(try FailureAnalysis.run(table: table, source: "d", options: options))
    }

    /// The float and timestamp columns of `table` come back as pieces once written in batches of `batchRows`.
    static func batched(_ table: Table, batchRows: Int) throws -> Table {
        let bytes = try ArrowWriter.encode(table, options: ArrowWriteOptions(batchRows: batchRows))
        return try ArrowReader.read(bytes: bytes, path: "batched.arrow")
    }

    // Level 1 (codes let go and written again block by block from the columns, across batch boundaries), the
    // default search, one thread, and the loss scoring; regression reads its label and prediction in pieces too.
    @Test(arguments: [(Task.binary, 1_000), (.binary, 4_093), (.regression, 1_000)])
    func manyBatchesGiveTheOneBatchAnalysis(task: Task, batchRows: Int) throws {
        let table = SyntheticDump.generate(rows: 30_000, seed: 3, task: task).table
        let one = try ArrowReader.read(bytes: try ArrowWriter.encode(table), path: "one.arrow")
        let many = try Self.batched(table, batchRows: batchRows)
        let pieces = many.columns.filter {
            switch $0.values {
            case .float64(let buffer): !buffer.isContiguous
            case .int64(let buffer), .timestamp(let buffer, _): !buffer.isContiguous
            default: false
            }
        }
        #expect(pieces.count >= 5, "\(pieces.map(\.name))")
        let variants: [(inout AnalysisOptions) -> Void] = [
            { $0.sliceLine.maxLevel = 1 }, { _ in }, { $0.threads = 1 }, { $0.sliceLine.error = .loss },
        ]
        for (index, change) in variants.enumerated() {
            #expect(try Self.json(many, change) == (try Self.json(one, change)), "variant \(index)")
        }
    }

    @Test func demoInManyBatchesGivesTheOneBatchAnalysis() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../data/bike_sharing_hourly_predictions.csv"
        ).standardizedFileURL.path
        let table = try CSVReader.read(path: path)
        let one = try ArrowReader.read(bytes: try ArrowWriter.encode(table), path: "one.arrow")
        let many = try Self.batched(table, batchRows: 640)
        #expect(try Self.json(many) { $0.sliceLine.maxLevel = 1 } == (try Self.json(one) { $0.sliceLine.maxLevel = 1 }))
    }
}

import ColumnStore
import Foundation
import Ingest
import Report
import SliceSearch
import Testing
import _TestSupport

@testable import Faultline

/// The Arrow reader leaves a float column's NaN rows to be found when a kernel first needs the whole validity
/// (``ColumnStore/Column/init(name:float64:nulls:)``), and the binning never does: the analysis of such columns
/// must be the one of the columns with their NaN rows marked up front, to the byte, and at `--max-level 1` no
/// feature's NaN rows are looked for at all.
struct DeferredNaNAnalysisTests {
    /// The generator's dump with every float column twice over: NaN where a row is missing and a few more NaN
    /// (`deferred`), and the same rows marked in a bitmap up front (`eager`). Odd columns also keep the generator's
    /// bitmap as the file's nulls.
    static func tables(rows: Int, seed: UInt64) -> (deferred: Table, eager: Table) {
        let table = SyntheticDump.generate(rows: rows, seed: seed).table
        var random = SeededRandom(seed: seed &+ 99)
        var deferred: [Column] = []
        var eager: [Column] = []
        for (index, column) in table.columns.enumerated() {
            guard case .float64(let buffer) = column.values else {
                deferred.append(column)
                eager.append(column)
                continue
            }
            let keepsNulls = index % 2 == 1
            var values = buffer.array
            for row in values.indices where random.unit() < 0.03 { values[row] = .nan }
            if !keepsNulls {
                for row in values.indices where !column.isValid(row) { values[row] = .nan }
            }
            let nulls = keepsNulls ? column.validity : nil
            let flags = values.indices.map { (nulls?.isValid($0) ?? true) && !values[$0].isNaN }
            deferred.append(Column(name: column.name, float64: ColumnBuffer(values), nulls: nulls))
            eager.append(
                Column(
                    name: column.name, values: .float64(ColumnBuffer(values)),
                    validity: flags.allSatisfy { $0 } && nulls == nil ? nil : ValidityBitmap(flags)))
        }
        return (Table(columns: deferred), Table(columns: eager))
    }

    static func json(_ table: Table, _ change: (inout AnalysisOptions) -> Void) throws -> String {
        var options = AnalysisOptions()
        change(&options)
        return JSONReport.render(try FailureAnalysis.run(table: table, source: "d", options: options))
    }

    @Test(arguments: [(30_000, UInt64(5)), (4_000, 6)])
    func theAnalysisIsTheOneWithNaNMarkedUpFront(rows: Int, seed: UInt64) throws {
        let variants: [(String, (inout AnalysisOptions) -> Void)] = [
            ("level 1", { $0.sliceLine.maxLevel = 1 }),
            ("level 1, one thread", { $0.sliceLine.maxLevel = 1; $0.threads = 1 }),
            ("level 2", { $0.sliceLine.maxLevel = 2 }),
            ("uniform bins", { $0.sliceLine.maxLevel = 1; $0.slicing.binning = .uniform }),
            ("loss scoring", { $0.sliceLine.maxLevel = 1; $0.sliceLine.error = .loss }),
            ("log loss", { $0.sliceLine.maxLevel = 1; $0.failure = .logLoss(.value(0.7)) }),
        ]
        for (name, change) in variants {
            let (deferred, eager) = Self.tables(rows: rows, seed: seed)
            #expect(try Self.json(deferred, change) == Self.json(eager, change), "\(name), rows \(rows)")
        }
    }

    /// At `--max-level 1` with the failures read from the label and prediction, nothing asks a float feature for
    /// its whole validity: the pass that finds the NaN rows is never made.
    @Test func theBinningNeverLooksForTheNaNRows() throws {
        let (deferred, _) = Self.tables(rows: 20_000, seed: 8)
        _ = try Self.json(deferred) { $0.sliceLine.maxLevel = 1 }
        let features = deferred.columns.filter { $0.name.hasPrefix("num_") }
        #expect(!features.isEmpty)
        for column in features { #expect(column.isNaNScanPending, "\(column.name)") }
    }
}

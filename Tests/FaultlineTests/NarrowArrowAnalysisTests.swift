import ColumnStore
import Foundation
import Ingest
import Report
import SliceSearch
import _TestSupport
import Testing

@testable import Faultline

/// A dump that pyarrow writes with narrow types (int8 labels, an int32 batch id, int16 numbers, plain strings and
/// dictionaries with int8 indices) in many record batches is read at those widths, in place, and analysed to the
/// byte as the same dump with 64-bit integers and 32-bit codes in one batch.
///
/// Skipped when python3 cannot import pyarrow, unless `FAULTLINE_REQUIRE_PYARROW=1` (CI).
struct NarrowArrowAnalysisTests {
    static let requirePyarrow = Subprocess.requirePyarrow

    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Subprocess.python(arguments)
    }

    static let pyarrowAvailable = Subprocess.pyarrowAvailable

    /// Reads argv[1] and writes argv[2]: label and prediction as int8, the batch id as int32, `int_feature` as
    /// int16, `cat_0` as a dictionary with int8 indices (int16 past 127 values) and the other strings plain, in
    /// uncompressed batches of 3,001 rows.
    static let narrowing = """
        import sys
        import pyarrow as pa
        table = pa.ipc.open_file(sys.argv[1]).read_all()
        columns = {}
        for name in table.column_names:
            column = table[name]
            if name in ("label", "pred"):
                column = column.cast(pa.int8())
            elif name == "batch_id":
                column = column.cast(pa.int32())
            elif name == "int_feature":
                column = column.cast(pa.int16())
            elif pa.types.is_dictionary(column.type):
                plain = column.cast(pa.string())
                index = pa.int8() if len(plain.unique()) <= 127 else pa.int16()
                indexed = plain.dictionary_encode().cast(pa.dictionary(index, pa.string()))
                column = indexed if name == "cat_0" else plain
            columns[name] = column
        narrow = pa.table(columns)
        with pa.ipc.new_file(sys.argv[2], narrow.schema) as writer:
            for batch in narrow.to_batches(max_chunksize=3001):
                writer.write_batch(batch)
        """

    static func json(_ table: Table, maxLevel: Int) throws -> String {
        var options = AnalysisOptions()
        options.sliceLine.maxLevel = maxLevel
        return JSONReport.render(try FailureAnalysis.run(table: table, source: "d", options: options))
    }

    @Test(.enabled(if: pyarrowAvailable || requirePyarrow, "pyarrow is not installed (pip install pyarrow)"))
    func narrowTypesInManyBatchesGiveTheWideAnalysis() throws {
        try #require(Self.pyarrowAvailable, "FAULTLINE_REQUIRE_PYARROW=1 but python3 cannot import pyarrow")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-narrow-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var table = SyntheticDump.generate(rows: 20_000, seed: 8, task: .binary).table
        // An integer feature of a few hundred values, with missing rows.
        let values = (0..<table.rowCount).map { Int64(($0 * 7_919) % 301) - 150 }
        let valid = (0..<table.rowCount).map { $0 % 13 != 5 }
        table = Table(
            columns: table.columns + [
                Column(name: "int_feature", values: .int64(ColumnBuffer(values)), validity: ValidityBitmap(valid))
            ])
        let widePath = directory.appendingPathComponent("wide.arrow").path
        let narrowPath = directory.appendingPathComponent("narrow.arrow").path
        try Data(try ArrowWriter.encode(table)).write(to: URL(fileURLWithPath: widePath))
        let run = try Self.python(["-c", Self.narrowing, widePath, narrowPath])
        try #require(run.status == 0, "\(run.output)")

        let wide = try ArrowReader.read(path: widePath)
        let narrow = try ArrowReader.read(path: narrowPath)
        func storedBytes(_ name: String) -> Int? {
            switch narrow.column(named: name)?.values {
            case .int64(let buffer)?: buffer.isMapped ? buffer.storedBytesPerValue : nil
            case .string(let strings)?: strings.codes.storedBytesPerValue
            default: nil
            }
        }
        #expect(storedBytes("label") == 1)
        #expect(storedBytes("pred") == 1)
        #expect(storedBytes("batch_id") == 4)
        #expect(storedBytes("int_feature") == 2)
        // Dictionary indices in place at their width; plain strings' codes at the width their count needs.
        func entries(_ name: String) -> Int {
            if case .string(let strings)? = narrow.column(named: name)?.values { strings.dictionary.count } else { 0 }
        }
        #expect(storedBytes("cat_0") == (entries("cat_0") <= 127 ? 1 : 2))
        if case .string(let strings)? = narrow.column(named: "cat_0")?.values {
            #expect(strings.codes.isMapped, "pyarrow's indices are in first-seen order: the codes, in place")
        }
        for name in narrow.columns.map(\.name) where name.hasPrefix("cat_") && name != "cat_0" {
            #expect(storedBytes(name) == (entries(name) <= 256 ? 1 : entries(name) <= 65_536 ? 2 : 4), "\(name)")
        }
        for level in [1, 2] {
            #expect(try Self.json(narrow, maxLevel: level) == (try Self.json(wide, maxLevel: level)), "level \(level)")
        }
    }
}

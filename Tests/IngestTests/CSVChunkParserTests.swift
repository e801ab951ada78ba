import ColumnStore
import Testing

@testable import Ingest

/// The single-pass parser: columns whose type changes within or across chunks, buffer growth, and dictionaries,
/// checked with many small chunks (the internal entry point lowers the minimum chunk size).
struct CSVChunkParserTests {
    /// Reads `text` split into `threads` chunks regardless of its size.
    private func read(_ text: String, threads: Int) throws -> (table: Table, statistics: _CSVReadStatistics) {
        try _CSVParse.table(
            Array(text.utf8).span, path: "chunks.csv", options: CSVOptions(threads: threads),
            minimumChunkBytes: 1)
    }

    @Test(arguments: [1, 2, 3, 8])
    func columnTurnsToStringLateInAChunk(threads: Int) throws {
        var text = "id,value\n"
        var expected: [String?] = []
        for row in 0..<2000 {
            let cell = row == 1500 ? "text" : (row % 7 == 0 ? "" : String(row % 50))
            text += "\(row),\(cell)\n"
            expected.append(cell.isEmpty ? nil : cell)
        }
        let (table, statistics) = try read(text, threads: threads)
        let column = try #require(table.column(named: "value"))
        #expect(column.type == .string)
        #expect(column.stringValues == expected)
        // First-seen order over the whole file.
        var order: [String] = []
        for case let cell? in expected where !order.contains(cell) { order.append(cell) }
        #expect(column.strings?.dictionary == order)
        #expect(statistics.fixedUpChunks >= 1)
    }

    @Test(arguments: [1, 2, 5])
    func integersTurnToFloatsExactly(threads: Int) throws {
        // 2^53 + 1 rounds to even as a Double, whether converted from Int64 or parsed as text.
        var text = "x\n"
        for row in 0..<1000 { text += row == 999 ? "0.5\n" : (row % 2 == 0 ? "9007199254740993\n" : "-\(row)\n") }
        let column = try #require(try read(text, threads: threads).table.column(named: "x"))
        #expect(column.type == .float64)
        let values = try #require(column.float64Values)
        #expect(values[0] == 9_007_199_254_740_992)
        #expect(values[1] == -1)
        #expect(values[999] == 0.5)
    }

    @Test(arguments: [1, 4])
    func typesThatDoNotMixBecomeStringsWithTheirText(threads: Int) throws {
        // A bool chunk and an int chunk: the column is text, every cell keeps its spelling.
        var text = "b,t\n"
        var bools: [String] = []
        var times: [String] = []
        for row in 0..<400 {
            let b = row < 200 ? (row % 2 == 0 ? "True" : "false") : String(row)
            let t = row == 399 ? "soon" : "2024-01-\(String(format2: row % 28 + 1))"
            text += "\(b),\(t)\n"
            bools.append(b)
            times.append(t)
        }
        let (table, _) = try read(text, threads: threads)
        #expect(table.column(named: "b")?.type == .string)
        #expect(table.column(named: "b")?.stringValues == bools)
        #expect(table.column(named: "t")?.type == .string)
        #expect(table.column(named: "t")?.stringValues == times)
    }

    @Test func chunkWithOnlyMissingCells() throws {
        var text = "a,b\n"
        for row in 0..<300 { text += row < 250 ? "\(row),\n" : "\(row),x\(row % 3)\n" }
        for threads in [1, 3, 6] {
            let column = try #require(try read(text, threads: threads).table.column(named: "b"))
            #expect(column.type == .string)
            #expect(column.nullCount == 250)
            #expect(column.strings?.dictionary == ["x1", "x2", "x0"])
            #expect(column.strings?.codes.array.prefix(250).allSatisfy { $0 == 0 } == true)
        }
    }

    @Test func buffersGrowWhenRecordsAreShorterThanTheFirstOnes() throws {
        // The first lines are long, so the first estimate of the record count is far too small.
        var text = "s,n\n"
        let long = String(repeating: "x", count: 200)
        for row in 0..<400 { text += "\(long)\(row),\(row)\n" }
        for row in 400..<60_000 { text += "s,\(row)\n" }
        let (table, _) = try read(text, threads: 2)
        #expect(table.rowCount == 60_000)
        #expect(table.column(named: "n")?.int64Values == (0..<60_000).map(Int64.init))
        #expect(table.column(named: "s")?.strings?.dictionary.count == 401)
    }

    @Test func manyDistinctStringsAcrossChunks() throws {
        var text = "key\n"
        var expected: [String] = []
        var state: UInt64 = 12_345
        for _ in 0..<30_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let key = "k\(state >> 50)-" + String(repeating: "é", count: Int(state >> 61))
            text += key + "\n"
            expected.append(key)
        }
        var order: [String] = []
        var seen: Set<String> = []
        for key in expected where seen.insert(key).inserted { order.append(key) }
        for threads in [1, 7] {
            let column = try #require(try read(text, threads: threads).table.column(named: "key"))
            #expect(column.strings?.dictionary == order)
            #expect(column.stringValues == expected)
        }
    }
}

extension String {
    /// A number with at least two digits.
    fileprivate init(format2 value: Int) { self = value < 10 ? "0\(value)" : String(value) }
}

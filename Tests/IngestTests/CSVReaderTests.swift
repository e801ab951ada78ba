import ColumnStore
import Testing
import _TestSupport

@testable import Ingest

/// The format `CSVReader` accepts: quoting, line ends, byte-order mark, header, delimiters, chunking, real files.
struct CSVReaderTests {
    // MARK: - Quoting

    @Test func quotedFieldHoldsTheDelimiter() throws {
        let table = try readCSV("name,age\n\"Smith, Jane\",41\nBob,7\n")
        #expect(table.rowCount == 2)
        #expect(table.column(named: "name")?.stringValues == ["Smith, Jane", "Bob"])
        #expect(table.column(named: "age")?.int64Values == [41, 7])
    }

    @Test func doubledQuotesAreOneQuote() throws {
        let table = try readCSV("text,n\n\"she said \"\"hi\"\"\",1\n\"\"\"\",2\n")
        #expect(table.column(named: "text")?.stringValues == ["she said \"hi\"", "\""])
    }

    @Test func lineBreaksInsideQuotes() throws {
        let table = try readCSV("a,b\n\"line one\nline two\",1\n\"x\r\ny\",2\n")
        #expect(table.rowCount == 2)
        #expect(table.column(named: "a")?.stringValues == ["line one\nline two", "x\r\ny"])
        #expect(table.column(named: "b")?.int64Values == [1, 2])
    }

    @Test func quotesInTheMiddleOfAnUnquotedFieldAreText() throws {
        let table = try readCSV("a,b\nab\"c,1\n")
        #expect(table.column(named: "a")?.stringValues == ["ab\"c"])
    }

    @Test func textAfterTheClosingQuoteIsAppended() throws {
        // pandas reads `"ab"c` as `abc`.
        let table = try readCSV("a,b\n\"ab\"c,1\n")
        #expect(table.column(named: "a")?.stringValues == ["abc"])
    }

    @Test func quotedNumbersAreNumbers() throws {
        let table = try readCSV("a,b\n\"12\",\"1.5\"\n\"-3\",\"\"\n")
        #expect(table.column(named: "a")?.int64Values == [12, -3])
        #expect(table.column(named: "b")?.presence == [true, false])
    }

    // MARK: - Line ends, byte-order mark, blank lines

    @Test func crlfLineEnds() throws {
        let table = try readCSV("a,b\r\n1,x\r\n2,y\r\n")
        #expect(table.rowCount == 2)
        #expect(table.column(named: "b")?.stringValues == ["x", "y"])
        #expect(table.columns.map(\.name) == ["a", "b"])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,v\n1,2\n".utf8)
        let table = try CSVReader.read(bytes: bytes, path: "bom.csv")
        #expect(table.columns.map(\.name) == ["id", "v"])
        #expect(table.column(named: "id")?.int64Values == [1])
    }

    @Test func lastRowWithoutLineBreak() throws {
        let table = try readCSV("a,b\n1,2\n3,4")
        #expect(table.column(named: "b")?.int64Values == [2, 4])
    }

    @Test func finalLineBreakIsNotARow() throws {
        #expect(try readCSV("a\n1\n").rowCount == 1)
        #expect(try readCSV("a\r\n1\r\n").rowCount == 1)
    }

    @Test func blankLinesAreSkipped() throws {
        let table = try readCSV("\n\na,b\n\n1,2\n\r\n\n3,4\n\n")
        #expect(table.rowCount == 2)
        #expect(table.column(named: "a")?.int64Values == [1, 3])
    }

    @Test func lineOfDelimitersIsARowOfMissingCells() throws {
        let table = try readCSV("a,b\n1,2\n,\n")
        #expect(table.rowCount == 2)
        #expect(table.column(named: "a")?.presence == [true, false])
    }

    // MARK: - Header

    @Test func headerNamesLoseOnlyTheirQuotes() throws {
        let table = try readCSV("\" spaced \",\"a,b\",plain\n1,2,3\n")
        #expect(table.columns.map(\.name) == [" spaced ", "a,b", "plain"])
    }

    @Test func emptyHeaderNamesAreUnnamed() throws {
        // pandas' `to_csv` writes the index under an empty name.
        let table = try readCSV(",x,\n0,1,2\n")
        #expect(table.columns.map(\.name) == ["Unnamed: 0", "x", "Unnamed: 2"])
    }

    @Test func headerOnlyGivesZeroRowsOfFloat64() throws {
        let table = try readCSV("a,b,c\n")
        #expect(table.rowCount == 0)
        #expect(table.columns.map(\.type) == [.float64, .float64, .float64])
        #expect(table.columns.allSatisfy { $0.validity == nil })
    }

    // MARK: - Delimiters

    @Test(arguments: [",", ";", "\t", "|"])
    func delimiterIsDetected(text: String) throws {
        // Values hold the other candidates, but only `delimiter` splits every line the same way.
        let others = [",", ";", "|"].filter { $0 != text }.joined()
        let csv =
            ["id", "name", "score"].joined(separator: text) + "\n"
            + ["1", "\"a\(others)\"", "0.5"].joined(separator: text) + "\n"
            + ["2", "b", "1.5"].joined(separator: text) + "\n"
        let table = try readCSV(csv)
        #expect(table.columns.map(\.name) == ["id", "name", "score"])
        #expect(table.column(named: "name")?.stringValues == ["a\(others)", "b"])
        #expect(table.column(named: "score")?.float64Values == [0.5, 1.5])
    }

    @Test func detectionPrefersTheMostConsistentDelimiter() throws {
        // Commas appear in the values, but only `;` gives every line as many fields as the header.
        let table = try readCSV("city;price\nParis;1,5\nLyon;2,25\nNice;3\n")
        #expect(table.columns.map(\.name) == ["city", "price"])
        #expect(table.column(named: "price")?.stringValues == ["1,5", "2,25", "3"])
    }

    @Test func detectionTiesGoToTheCandidateOrder() throws {
        let table = try readCSV("a,b;c\n1,2;3\n")
        #expect(table.columns.map(\.name) == ["a", "b;c"])
    }

    @Test func singleColumnFileUsesComma() throws {
        let table = try readCSV("value\n1\n2\n")
        #expect(table.columns.map(\.name) == ["value"])
        #expect(table.column(named: "value")?.int64Values == [1, 2])
    }

    @Test func explicitDelimiterIsUsed() throws {
        let table = try readCSV("a,b|c\n1,2|3\n", options: CSVOptions(delimiter: UInt8(ascii: "|")))
        #expect(table.columns.map(\.name) == ["a,b", "c"])
    }

    // MARK: - Chunks and threads

    /// A CSV whose string cells often hold quoted line breaks, delimiters and quotes, so that chunk boundaries land
    /// inside quoted fields.
    private static func randomCSV(rows: Int, seed: UInt64) -> String {
        var random = SeededRandom(seed: seed)
        var text = "id,value,flag,label,note\n"
        let pieces = ["alpha", "beta", "x,y", "say \"\"no\"\"", "line\nbreak", "multi\nline\ntext", "é", "NA"]
        for row in 0..<rows {
            var fields: [String] = [String(row)]
            switch random.next() % 4 {
            case 0: fields.append("")
            case 1: fields.append(String(Double(Int(random.next() % 2_000_000)) / 1000 - 1000))
            case 2: fields.append("\(random.next() % 1000)e-\(random.next() % 5)")
            default: fields.append(String(Int(random.next() % 100) - 50))
            }
            fields.append(random.next() % 7 == 0 ? "NA" : (random.next() % 2 == 0 ? "True" : "false"))
            fields.append("cat\(random.next() % 13)")
            var note = ""
            for _ in 0..<(1 + random.next() % 4) { note += pieces[Int(random.next() % UInt64(pieces.count))] }
            fields.append(random.next() % 10 == 0 ? "" : "\"" + note + "\"")
            text += fields.joined(separator: ",") + (random.next() % 3 == 0 ? "\r\n" : "\n")
        }
        return text
    }

    @Test func chunkingDoesNotChangeTheTable() throws {
        let bytes = Array(Self.randomCSV(rows: 3000, seed: 42).utf8)
        var reparsed = 0
        var tables: [Table] = []
        for threads in [1, 2, 7] {
            let result = try _CSVParse.table(
                bytes.span, path: "random.csv", options: CSVOptions(threads: threads), minimumChunkBytes: 1)
            #expect(result.statistics.chunks == threads)
            reparsed += result.statistics.reparsedChunks
            tables.append(result.table)
        }
        #expect(reparsed > 0, "no chunk boundary fell inside a quoted field; the test data should make some")
        #expect(tables[0].rowCount == 3000)
        #expect(tables[0].columns.map(\.type) == [.int64, .float64, .bool, .string, .string])
        #expect(identical(tables[0], tables[1]))
        #expect(identical(tables[0], tables[2]))
    }

    @Test(arguments: [1, 2, 7])
    func publicReaderIsIndependentOfThreads(threads: Int) throws {
        let bytes = Array(Self.randomCSV(rows: 20_000, seed: 7).utf8)
        let reference = try CSVReader.read(bytes: bytes, path: "random.csv", options: CSVOptions(threads: 1))
        let table = try CSVReader.read(bytes: bytes, path: "random.csv", options: CSVOptions(threads: threads))
        #expect(identical(reference, table))
    }

    @Test func manyChunksOnATinyFile() throws {
        let text = "a,b\n1,\"x\ny\"\n2,z\n"
        let result = try _CSVParse.table(
            Array(text.utf8).span, path: "tiny.csv", options: CSVOptions(threads: 16), minimumChunkBytes: 1)
        #expect(result.table.column(named: "b")?.stringValues == ["x\ny", "z"])
    }

    // MARK: - Files

    @Test func fixtureWithQuotesCRLFAndByteOrderMark() throws {
        let table = try CSVReader.read(path: try fixturePath("quoted_crlf_bom.csv"))
        #expect(table.columns.map(\.name) == ["id", "name", "note", "score"])
        #expect(table.rowCount == 3)
        #expect(table.column(named: "name")?.stringValues == ["Smith, Jane", "Émile Zola", "plain"])
        #expect(table.column(named: "note")?.stringValues == ["said \"hi\"", "line one\nline two", nil])
        #expect(
            table.column(named: "score")?.float64Values?.enumerated().filter { $0.offset != 1 }.map(\.element)
                == [0.5, 1000])
        #expect(table.column(named: "score")?.presence == [true, false, true])
    }

    @Test func fixtureWithSemicolons() throws {
        let table = try CSVReader.read(path: try fixturePath("semicolon.csv"))
        #expect(table.columns.map(\.name) == ["city", "price", "qty"])
        #expect(table.column(named: "price")?.stringValues == ["1,5", "2,25"])
        #expect(table.column(named: "qty")?.int64Values == [3, 4])
    }

    @Test func adultPredictions() throws {
        let table = try CSVReader.read(path: RepositoryPaths.data("adult_predictions.csv"))
        #expect(table.rowCount == 48_842)
        #expect(table.columns.count == 17)
        #expect(table.column(named: "age")?.type == .int64)
        #expect(table.column(named: "workclass")?.type == .string)
        #expect(table.column(named: "workclass")?.strings?.dictionary.count == 9)
        #expect(table.column(named: "score")?.type == .float64)
        #expect(table.column(named: "label")?.int64Values?.reduce(0, +) == 11_687)
        #expect(table.columns.allSatisfy { $0.validity == nil })
        let single = try CSVReader.read(
            path: RepositoryPaths.data("adult_predictions.csv"), options: CSVOptions(threads: 1))
        #expect(identical(table, single))
    }
}

/// String codes are held at the width their dictionary needs: one byte up to 256 strings, two up to 65,536.
struct CSVStringCodeWidthTests {
    @Test(arguments: [(3, 1), (256, 1), (257, 2), (70_001, 4)])
    func codesTakeTheWidthTheDictionaryNeeds(distinct: Int, bytes: Int) throws {
        let rows = max(distinct, 1_000)
        let text = "s,n\n" + (0..<rows).map { "v\(($0 * 7) % distinct),\($0)\n" }.joined()
        let table = try readCSV(text)
        guard case .string(let strings)? = table.column(named: "s")?.values else {
            Issue.record("not a string column")
            return
        }
        #expect(strings.dictionary.count == distinct)
        #expect(strings.codes.storedBytesPerValue == bytes)
        #expect(table.column(named: "s")?.stringValues == (0..<rows).map { "v\(($0 * 7) % distinct)" })
    }
}

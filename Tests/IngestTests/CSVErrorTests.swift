import ColumnStore
import Ingest
import Testing

/// Bad input throws `IngestError` with the right code and a message that says where and what to do.
struct CSVErrorTests {
    @Test func longRowNamesItsLine() throws {
        let error = try #require(ingestError { try readCSV("a,b\n1,2\n3,4,5\n6,7\n") })
        #expect(error.code == .raggedRow(line: 3, expected: 2, found: 3))
        #expect(error.description.contains("test.csv"))
        #expect(error.description.contains("line 3"))
    }

    @Test func shortRowNamesItsLine() throws {
        let error = try #require(ingestError { try readCSV("a,b,c\n1,2,3\n\n4,5\n") })
        #expect(error.code == .raggedRow(line: 4, expected: 3, found: 2))
    }

    @Test func raggedRowAfterAQuotedLineBreakCountsPhysicalLines() throws {
        let error = try #require(ingestError { try readCSV("a,b\n\"x\ny\",1\n2\n") })
        #expect(error.code == .raggedRow(line: 4, expected: 2, found: 1))
    }

    @Test func raggedRowInALaterChunk() throws {
        var text = "a,b\n"
        for row in 0..<50_000 { text += "\(row),\(row)\n" }
        text += "1,2,3\n"
        for row in 0..<1000 { text += "\(row),x\n" }
        let error = try #require(ingestError { try readCSV(text, options: CSVOptions(threads: 4)) })
        #expect(error.code == .raggedRow(line: 50_002, expected: 2, found: 3))
    }

    @Test func carriageReturnLineEndsAreNamed() throws {
        let error = try #require(ingestError { try readCSV("a,b\r1,2\r3,4\r") })
        #expect(error.code == .unsupportedFormat)
        #expect(error.message.contains("carriage return alone"))
        // CRLF files, and a carriage return inside quotes, are CSV.
        #expect(try readCSV("a,b\r\n1,2\r\n").rowCount == 1)
        #expect(try readCSV("a,\"x\ry\"").rowCount == 0)
    }

    @Test func unterminatedQuote() throws {
        let error = try #require(ingestError { try readCSV("a,b\n1,2\n3,\"open\n4,5\n") })
        #expect(error.code == .unterminatedQuote(line: 3))
        #expect(error.description.contains("line 3"))
    }

    @Test func nulByte() throws {
        let bytes = Array("a,b\n1,2\n3,".utf8) + [0] + Array("4\n".utf8)
        let error = try #require(ingestError { try CSVReader.read(bytes: bytes, path: "nul.csv") })
        #expect(error.code == .nulByte(line: 3))
        #expect(error.description.hasPrefix("nul.csv: line 3"))
    }

    @Test func invalidUTF8NamesLineAndColumn() throws {
        let bytes = Array("id,name\n1,ok\n2,caf".utf8) + [0xE9] + Array("\n3,ok\n4,b".utf8) + [0xFF] + [0x0A]
        let error = try #require(ingestError { try CSVReader.read(bytes: bytes, path: "latin1.csv") })
        #expect(error.code == .invalidUTF8(line: 3, column: "name"))
        #expect(error.description.contains("line 3"))
        #expect(error.description.contains("\"name\""))
    }

    @Test func invalidUTF8InAChunkAfterTheFirst() throws {
        var bytes = Array("id,name\n".utf8)
        for row in 0..<30_000 { bytes += Array("\(row),name\(row % 10)\n".utf8) }
        bytes += Array("30000,bad".utf8) + [0xC3, 0x28] + [0x0A]
        let error = try #require(
            ingestError {
                try CSVReader.read(bytes: bytes, path: "x.csv", options: CSVOptions(threads: 3))
            })
        #expect(error.code == .invalidUTF8(line: 30_002, column: "name"))
    }

    @Test func invalidUTF8InANumericLookingColumnIsText() throws {
        // Non-ASCII bytes make a cell text, so the error is reported for that column.
        let bytes = Array("n\n1\n".utf8) + [0x80] + [0x0A]
        let error = try #require(ingestError { try CSVReader.read(bytes: bytes, path: "x.csv") })
        #expect(error.code == .invalidUTF8(line: 3, column: "n"))
    }

    @Test func firstInvalidCellInTheFileWinsAcrossColumns() throws {
        let laterColumnFirst =
            Array("a,b\nok,ok\nok,bad".utf8) + [0xFF] + Array("\nbad".utf8) + [0xFE]
            + Array(",ok\n".utf8)
        #expect(
            ingestError { try CSVReader.read(bytes: laterColumnFirst, path: "x.csv") }?.code
                == .invalidUTF8(line: 3, column: "b"))
        let earlierColumnFirst = Array("a,b\nok,ok\nbad".utf8) + [0xFE] + Array(",ok\nok,bad".utf8) + [0xFF, 0x0A]
        #expect(
            ingestError { try CSVReader.read(bytes: earlierColumnFirst, path: "x.csv") }?.code
                == .invalidUTF8(line: 3, column: "a"))
    }

    @Test func invalidUTF8InTheHeader() throws {
        let bytes = Array("id,".utf8) + [0xC0, 0x80] + Array("\n1,2\n".utf8)
        let error = try #require(ingestError { try CSVReader.read(bytes: bytes, path: "x.csv") })
        #expect(error.code == .invalidUTF8(line: 1, column: "header field 2"))
    }

    @Test func duplicateColumnNames() throws {
        let error = try #require(ingestError { try readCSV("a,b,a\n1,2,3\n") })
        #expect(error.code == .duplicateColumnName("a"))
        #expect(error.description.contains("\"a\""))
    }

    @Test func emptyFile() throws {
        #expect(ingestError { try readCSV("") }?.code == .emptyFile)
        #expect(ingestError { try CSVReader.read(bytes: [0xEF, 0xBB, 0xBF], path: "bom.csv") }?.code == .emptyFile)
    }

    @Test func onlyBlankLinesHaveNoHeader() throws {
        #expect(ingestError { try readCSV("\n\r\n\n") }?.code == .noHeader)
    }

    @Test func unreadablePath() throws {
        let error = try #require(ingestError { try CSVReader.read(path: "/nonexistent/dir/predictions.csv") })
        #expect(error.code == .unreadableFile)
        #expect(error.underlying != nil)
        #expect(error.description.contains("/nonexistent/dir/predictions.csv"))
    }

    @Test func directoryIsUnreadable() throws {
        #expect(ingestError { try CSVReader.read(path: "/tmp") }?.code == .unreadableFile)
    }

    @Test func compressedFileIsUnsupported() throws {
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00]
        let error = try #require(ingestError { try CSVReader.read(bytes: gzip, path: "data.csv.gz") })
        #expect(error.code == .unsupportedFormat)
        #expect(error.description.contains("gzip"))
    }

    @Test func unusableDelimiterIsUnsupported() throws {
        let error = ingestError { try readCSV("a\n1\n", options: CSVOptions(delimiter: UInt8(ascii: "\""))) }
        #expect(error?.code == .unsupportedFormat)
    }

    @Test func firstErrorInTheFileWins() throws {
        // A ragged row (line 3) comes before an unterminated quote (line 5), whatever the chunking.
        var text = "a,b\n1,2\n1,2,3\n"
        for row in 0..<20_000 { text += "\(row),\(row)\n" }
        text += "\"open,1\n"
        for threads in [1, 2, 5] {
            let error = ingestError { try readCSV(text, options: CSVOptions(threads: threads)) }
            #expect(error?.code == .raggedRow(line: 3, expected: 2, found: 3))
        }
    }
}

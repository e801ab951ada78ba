import ColumnStore
import Foundation
import Testing

@testable import Ingest

/// Reading a mapped file while dropping its pages behind the parser (`_PageRelease`, so a multi-GB CSV is not
/// resident as text) gives the same table as reading it from memory in one piece, whatever the window.
struct PageReleaseTests {
    /// A file with quoted line breaks and delimiters, a column that turns to text late, and a missing cell, long
    /// enough to span several 4 KiB pages.
    static let text: String = {
        var text = "id,note,value\n"
        for row in 0..<3000 {
            let note = row % 97 == 0 ? "\"two\nlines, one \"\"quote\"\"\"" : "n\(row % 13)"
            let value = row == 2900 ? "late text" : (row % 11 == 0 ? "" : String(Double(row) / 8))
            text += "\(row),\(note),\(value)\n"
        }
        return text
    }()

    @Test(arguments: [(1, 1), (7, 2), (4096, 3), (5000, 2), (1 << 20, 1)])
    func windowedReadOfAMappedFileMatchesAWholeRead(window: Int, threads: Int) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("page-release-\(UUID().uuidString).csv")
        try Self.text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let options = CSVOptions(threads: threads)
        let whole = try _CSVParse.table(
            Array(Self.text.utf8).span, path: "whole.csv", options: options, minimumChunkBytes: 1
        ).table
        let file = try _FileBytes.load(path: url.path)
        let windowed = try file.withBytesReleasing { (bytes, release) throws(IngestError) -> Table in
            #expect(release.address != 0, "the file was not mapped, so nothing was released")
            return try _CSVParse.table(
                bytes, path: url.path, options: options, minimumChunkBytes: 1, release: release,
                releaseWindow: window
            ).table
        }
        #expect(identical(windowed, whole))
        #expect(windowed.rowCount == 3000)
        #expect(windowed.column(named: "value")?.type == .string)
    }

    @Test func anErrorAfterReleasedPagesStillNamesItsLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("page-release-\(UUID().uuidString).csv")
        try (Self.text + "1,2\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try _FileBytes.load(path: url.path)
        let error = file.withBytesReleasing { (bytes, release) -> IngestError? in
            do throws(IngestError) {
                _ = try _CSVParse.table(
                    bytes, path: url.path, options: CSVOptions(threads: 2), minimumChunkBytes: 1, release: release,
                    releaseWindow: 512)
                return nil
            } catch {
                return error
            }
        }
        let line = Self.text.utf8.filter { $0 == 10 }.count + 1
        #expect(error?.description.contains("line \(line)") == true, "\(String(describing: error))")
    }
}

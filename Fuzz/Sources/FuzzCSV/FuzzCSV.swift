import CFuzzerDriver
import ColumnStore

@testable import Ingest

/// libFuzzer entry point: the CSV reader on arbitrary bytes throws `IngestError` or returns a table, never traps
/// (built with AddressSanitizer), and its answer does not depend on how the file is split into parallel chunks:
/// the input is read whole, then in chunks of at least 16 bytes on 3 threads, and both must agree.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    var options = CSVOptions()
    options.threads = 1
    let whole = Result { () throws(IngestError) -> Table in
        try CSVReader.read(bytes: bytes, path: "fuzz.csv", options: options)
    }
    options.threads = 3
    let chunked = Result { () throws(IngestError) -> Table in
        try _CSVParse.table(bytes.span, path: "fuzz.csv", options: options, minimumChunkBytes: 16).table
    }
    switch (whole, chunked) {
    case (.success(let one), .success(let other)):
        precondition(
            describe(one) == describe(other), "chunked read differs:\n\(describe(one))\n---\n\(describe(other))")
    case (.failure(let one), .failure(let other)):
        precondition(one.code == other.code, "chunked read fails otherwise: \(one) / \(other)")
    default:
        preconditionFailure("one read fails and the other does not: \(whole) / \(chunked)")
    }
    return 0
}

/// Every column's name, type and cells, as text.
private func describe(_ table: Table) -> String {
    table.columns.map { column in
        "\(column.name) \(column.type): "
            + (0..<column.count).map { column.textValue(at: $0) ?? "NA" }.joined(separator: "|")
    }.joined(separator: "\n")
}

/// The entry point SwiftPM links as `main`: runs libFuzzer with `fuzzCSV`.
@_cdecl("FuzzCSV_main")
public func fuzzCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzCSV)
}

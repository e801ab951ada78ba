import CFuzzerDriver
import ColumnStore
import Ingest

/// libFuzzer entry point: `ArrowReader` on arbitrary bytes throws `IngestError` or returns a table whose every cell
/// can be read; it never traps or reads out of bounds (built with AddressSanitizer).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArrow(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    for threads in [1, 2] {
        guard
            let table = try? ArrowReader.read(
                bytes: bytes, path: "fuzz.arrow", options: ArrowReadOptions(threads: threads))
        else { continue }
        for column in table.columns {
            precondition(
                column.count == table.rowCount, "column \(column.name) has \(column.count) rows, not \(table.rowCount)")
            for row in 0..<column.count { _ = column.textValue(at: row) }
        }
    }
    return 0
}

/// The entry point SwiftPM links as `main`: runs libFuzzer with `fuzzArrow`.
@_cdecl("FuzzArrow_main")
public func fuzzArrowMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzArrow)
}

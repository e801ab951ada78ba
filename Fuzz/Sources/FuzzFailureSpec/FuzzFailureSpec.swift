import CFuzzerDriver
import Faultline

/// libFuzzer entry point: `FailureSpec.parse` on arbitrary text never traps, and a parsed spec round-trips through
/// its description (what analysis.json and the report print).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFailureSpec(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    guard let spec = try? FailureSpec.parse(text) else { return 0 }
    guard let again = try? FailureSpec.parse(spec.description), again == spec else {
        fatalError("'\(text)' parses as \(spec), whose description does not parse back to it")
    }
    return 0
}

/// The entry point SwiftPM links as `main`: runs libFuzzer with `fuzzFailureSpec`.
@_cdecl("FuzzFailureSpec_main")
public func fuzzFailureSpecMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzFailureSpec)
}

import Foundation

/// Runs other programs for the tests that check interop (pyarrow, the SQL engines) and the command line.
public enum Subprocess {
    /// Runs `executable` with `arguments` (in `directory` when given) and waits for it: its exit status, and its
    /// standard output and error together.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Runs the `python3` first on PATH with `arguments`.
    public static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try run("/usr/bin/env", ["python3"] + arguments)
    }

    /// Whether `python3` can import pyarrow.
    public static let pyarrowAvailable: Bool = (try? python(["-c", "import pyarrow"]).status == 0) ?? false

    /// Whether a missing pyarrow is a failure rather than a skip (`FAULTLINE_REQUIRE_PYARROW=1`, as in CI).
    public static let requirePyarrow = ProcessInfo.processInfo.environment["FAULTLINE_REQUIRE_PYARROW"] == "1"
}

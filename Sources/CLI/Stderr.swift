import Foundation

/// Writes to standard error, unbuffered.
enum Stderr {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether standard error is a terminal (progress lines are shown only then).
    static var isTerminal: Bool { isatty(2) == 1 }
}

/// A one-line progress display on stderr, shown only on a terminal and unless `--quiet`.
final class ProgressLine: Sendable {
    private let enabled: Bool

    init(quiet: Bool) { enabled = !quiet && Stderr.isTerminal }

    func update(_ message: String) {
        guard enabled else { return }
        Stderr.write("\r\u{1B}[2K[faultline] " + message + "...")
    }

    func finish() {
        guard enabled else { return }
        Stderr.write("\r\u{1B}[2K")
    }
}

import Foundation

/// `--timings`: wall-clock time per analysis stage, printed to stderr at the end (for benchmarking; the reports
/// themselves stay free of timings so they are byte-identical from run to run).
final class StageTimer: @unchecked Sendable {
    // Stages are reported from the analysis thread one after another; the lock only guards against misuse.
    private let lock = NSLock()
    private var stages: [(name: String, start: UInt64)] = []
    private let origin = DispatchTime.now().uptimeNanoseconds

    func begin(_ name: String) {
        lock.lock()
        stages.append((name, DispatchTime.now().uptimeNanoseconds))
        lock.unlock()
    }

    /// One line per stage with its seconds, then the total.
    func report() -> String {
        lock.lock()
        defer { lock.unlock() }
        let end = DispatchTime.now().uptimeNanoseconds
        var lines: [String] = []
        for (index, stage) in stages.enumerated() {
            let next = index + 1 < stages.count ? stages[index + 1].start : end
            lines.append(Self.seconds(next - stage.start) + "  " + stage.name)
        }
        lines.append(Self.seconds(end - origin) + "  total")
        return lines.map { "faultline: timing " + $0 + "\n" }.joined()
    }

    static func seconds(_ nanoseconds: UInt64) -> String {
        let milliseconds = Int((Double(nanoseconds) / 1e6).rounded())
        let text = String(milliseconds / 1000) + "." + String(1000 + milliseconds % 1000).dropFirst()
        return String(repeating: " ", count: max(0, 7 - text.count)) + text + " s"
    }
}

import Foundation

/// `--timings`: wall-clock and process CPU time per analysis stage, printed to stderr at the end (for benchmarking;
/// the reports themselves stay free of timings so they are byte-identical from run to run). CPU time near twice the
/// wall time on two cores says a stage keeps both busy; near the wall time, that it runs on one.
final class StageTimer: @unchecked Sendable {
    // Stages are reported from the analysis thread one after another; the lock only guards against misuse.
    private let lock = NSLock()
    private var stages: [(name: String, start: UInt64, cpu: UInt64)] = []
    private let origin = DispatchTime.now().uptimeNanoseconds
    private let originCPU = StageTimer.processCPUNanoseconds()

    func begin(_ name: String) {
        lock.lock()
        stages.append((name, DispatchTime.now().uptimeNanoseconds, Self.processCPUNanoseconds()))
        lock.unlock()
    }

    /// One line per stage with its seconds, then the total.
    func report() -> String {
        lock.lock()
        defer { lock.unlock() }
        let end = DispatchTime.now().uptimeNanoseconds
        let endCPU = Self.processCPUNanoseconds()
        var lines: [String] = []
        for (index, stage) in stages.enumerated() {
            let next = index + 1 < stages.count ? stages[index + 1] : (name: "", start: end, cpu: endCPU)
            lines.append(
                Self.seconds(next.start - stage.start) + ", CPU " + Self.seconds(next.cpu &- stage.cpu) + "  "
                    + stage.name)
        }
        lines.append(Self.seconds(end - origin) + ", CPU " + Self.seconds(endCPU &- originCPU) + "  total")
        return lines.map { "faultline: timing " + $0 + "\n" }.joined()
    }

    /// User and system CPU time of every thread of the process so far (`clock()`, which takes no pointer: the CLI
    /// holds no unsafe code), 0 when unavailable.
    static func processCPUNanoseconds() -> UInt64 {
        let ticks = clock()
        guard ticks >= 0 else { return 0 }
        return UInt64(ticks) * (1_000_000_000 / UInt64(CLOCKS_PER_SEC))
    }

    static func seconds(_ nanoseconds: UInt64) -> String {
        let milliseconds = Int((Double(nanoseconds) / 1e6).rounded())
        let text = String(milliseconds / 1000) + "." + String(1000 + milliseconds % 1000).dropFirst()
        return String(repeating: " ", count: max(0, 7 - text.count)) + text + " s"
    }
}

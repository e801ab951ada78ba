#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import Testing

@testable import Stats

/// The CLI's BLAS set-up (``LinearAlgebra/computeOnCallingThread()``): OpenBLAS on one thread, and BLAS calls big
/// enough to be split between threads still right afterwards, on that one thread.
///
/// In a child process: the setting is process-wide and not thread-safe, and changing it while another test computes
/// would change that test's last digits.
struct BLASThreadsTests {
    @Test func openBLASComputesOnTheCallingThread() async {
        await #expect(processExitsWith: .success) {
            guard LinearAlgebra.computeOnCallingThread(), LinearAlgebra.blasThreads == 1 else { exit(2) }
            // AᵀA of a 600×300 matrix of small integers: exact in doubles, checked entry by entry.
            let rows = 600
            let columns = 300
            let a = (0..<rows * columns).map { Double(($0 * 7 + $0 / columns) % 5) - 2 }
            guard let gram = try? LinearAlgebra.gramMatrix(a, rows: rows, columns: columns) else { exit(3) }
            for (i, j) in [(0, 0), (0, 299), (17, 42), (299, 299), (150, 3)] {
                let expected = (0..<rows).reduce(0.0) { $0 + a[$1 * columns + i] * a[$1 * columns + j] }
                guard gram[i * columns + j] == expected, gram[j * columns + i] == expected else { exit(4) }
            }
            // Still one thread, and a second call changes nothing.
            guard LinearAlgebra.blasThreads == 1, LinearAlgebra.computeOnCallingThread(), LinearAlgebra.blasThreads == 1
            else { exit(5) }
        }
    }

    /// The idle class is given only when the other threads are exactly the number expected (OpenBLAS's workers at
    /// the start of `main`): in the test process, with its many threads, nothing changes.
    @Test func otherThreadsAreLeftAloneUnlessTheyAreExactlyTheWorkers() throws {
        #if os(Linux)
            let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { Int32($0) }
            #expect(tasks.count > 1)
            for expected in [0, 1, 100_000] where expected != tasks.count - 1 {
                #expect(!LinearAlgebra.idleOtherThreads(expected: expected))
            }
            for task in tasks {
                // SCHED_OTHER is 0, SCHED_IDLE 5; a thread that ended meanwhile answers -1.
                let policy = sched_getscheduler(task)
                #expect(policy == 0 || policy == -1, "thread \(task)")
            }
        #endif
    }
}

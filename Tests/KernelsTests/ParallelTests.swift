import Foundation
import Kernels
import Synchronization
import Testing

struct ParallelTests {
    @Test(arguments: [0, 1, 2, 7, 64, 1_000])
    func resultsAreInIndexOrder(count: Int) {
        for threads in [1, 2, 3, 8, 2 * count + 1] {
            let squares = Parallel.map(count: count, threads: threads) { $0 * $0 }
            #expect(squares == (0..<count).map { $0 * $0 }, "threads \(threads)")
        }
    }

    @Test func zeroItemsNeverCallTheBody() {
        let calls = Atomic<Int>(0)
        let result = Parallel.map(count: 0, threads: 4) { index -> Int in
            calls.add(1, ordering: .relaxed)
            return index
        }
        #expect(result.isEmpty)
        #expect(calls.load(ordering: .relaxed) == 0)
    }

    @Test func oneItemWithManyThreads() {
        #expect(Parallel.map(count: 1, threads: 16) { "item \($0)" } == ["item 0"])
    }

    /// Fewer threads than one, or more threads than items, still run every index exactly once: every index is
    /// seen, and there are as many calls as indices. (Atomics, not a `Mutex`: ThreadSanitizer does not see the
    /// standard library's `Mutex` synchronise, and reported the counts updated under it as a race.)
    @Test(arguments: [-3, 0, 1, 5, 100])
    func everyIndexRunsExactlyOnce(threads: Int) {
        let count = 37
        let seen = Atomic<UInt64>(0)
        let calls = Atomic<Int>(0)
        let result = Parallel.map(count: count, threads: threads) { index -> String in
            seen.bitwiseOr(1 << UInt64(index), ordering: .relaxed)
            calls.add(1, ordering: .relaxed)
            return String(index)
        }
        #expect(result == (0..<count).map { String($0) })
        #expect(seen.load(ordering: .relaxed) == (1 << UInt64(count)) - 1)
        #expect(calls.load(ordering: .relaxed) == count)
    }

    /// Heap-allocated results (arrays) survive the hand-off from worker threads.
    @Test func nonTrivialResults() {
        let result = Parallel.map(count: 200, threads: 3) { index in
            [Double](repeating: Double(index), count: index % 5)
        }
        for (index, values) in result.enumerated() {
            #expect(values == [Double](repeating: Double(index), count: index % 5))
        }
    }

    // MARK: - Pending

    @Test(arguments: [false, true])
    func pendingGivesItsWorksValue(onItsOwnThread: Bool) {
        let pending = Parallel.Pending(onItsOwnThread: onItsOwnThread) { (0..<1_000).map { $0 * 2 } }
        let beside = Parallel.map(count: 100, threads: 2) { $0 + 1 }
        #expect(pending.value() == (0..<1_000).map { $0 * 2 })
        #expect(beside == Array(1...100))
    }

    @Test func pendingOnTheCallersThreadRunsWhenAskedOnly() {
        let runs = Atomic<Int>(0)
        let pending = Parallel.Pending(onItsOwnThread: false) { runs.add(1, ordering: .relaxed).newValue }
        Thread.sleep(forTimeInterval: 0.02)
        #expect(runs.load(ordering: .relaxed) == 0)
        #expect(pending.value() == 1)
    }

    /// A pending work dropped without asking for its value (as when an error is thrown past it) is waited for:
    /// none of it runs on after its owner is gone.
    @Test func aDroppedPendingIsWaitedFor() {
        let finished = Atomic<Int>(0)
        do {
            _ = Parallel.Pending(onItsOwnThread: true) {
                // Long enough that the scope ends first.
                Thread.sleep(forTimeInterval: 0.05)
                finished.add(1, ordering: .relaxed)
                return 0
            }
        }
        #expect(finished.load(ordering: .relaxed) == 1)
    }

    /// A pending work runs beside both items of a `map`: the three meet (each waits up to 10 s for the others to
    /// start). As two items of one outer `map`, Dispatch ran an inner `map`'s items one after the other.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2))
    func aPendingWorkRunsBesideBothItemsOfAMap() {
        final class Meeting: Sendable {
            let started = Atomic<Int>(0)
            /// Marks one more arrival and waits for `count` in all; whether they came.
            func arrive(waitingFor count: Int) -> Bool {
                started.add(1, ordering: .relaxed)
                let deadline = Date().addingTimeInterval(10)
                while started.load(ordering: .relaxed) < count && Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.001)
                }
                return started.load(ordering: .relaxed) >= count
            }
        }
        let meeting = Meeting()
        let pending = Parallel.Pending(onItsOwnThread: true) { meeting.arrive(waitingFor: 3) }
        let met = Parallel.map(count: 2, threads: 2) { _ in meeting.arrive(waitingFor: 3) }
        #expect(met == [true, true])
        #expect(pending.value())
    }

    /// On the caller's thread, the work runs once, in the first `value()`; later calls give the kept value.
    @Test func pendingOnTheCallersThreadRunsOnce() {
        final class Runs: Sendable { let count = Atomic<Int>(0) }
        let runs = Runs()
        let pending = Parallel.Pending(onItsOwnThread: false) { runs.count.add(1, ordering: .relaxed).newValue }
        #expect(pending.value() == 1)
        #expect(pending.value() == 1)
        #expect(runs.count.load(ordering: .relaxed) == 1)
    }
}

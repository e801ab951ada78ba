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
}

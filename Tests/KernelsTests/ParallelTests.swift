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

    /// Fewer threads than one, or more threads than items, still run every index exactly once.
    @Test(arguments: [-3, 0, 1, 5, 100])
    func everyIndexRunsExactlyOnce(threads: Int) {
        let count = 37
        let hits = Mutex([Int](repeating: 0, count: count))
        let result = Parallel.map(count: count, threads: threads) { index -> String in
            hits.withLock { $0[index] += 1 }
            return String(index)
        }
        #expect(result == (0..<count).map { String($0) })
        #expect(hits.withLock { $0 } == [Int](repeating: 1, count: count))
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

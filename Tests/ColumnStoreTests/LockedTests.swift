import Dispatch
import Testing

import ColumnStore

struct LockedTests {
    struct Refused: Error, Equatable { let at: Int }

    /// Many threads contend for the lock (the case that Swift's Mutex hands over in the kernel): no update is lost,
    /// and under ThreadSanitizer (scripts/sanitizers.sh thread) no access is reported as a race.
    @Test func contendedUpdatesAreAllKept() {
        let counts = Locked([Int](repeating: 0, count: 8))
        DispatchQueue.concurrentPerform(iterations: 64) { worker in
            for step in 0..<2_000 { counts.withLock { $0[(worker + step) % 8] += 1 } }
        }
        #expect(counts.withLock { $0 } == [Int](repeating: 64 * 2_000 / 8, count: 8))
    }

    @Test func resultsAndTypedErrorsComeThrough() {
        let value = Locked(10)
        #expect(value.withLock { number -> Int in
            number += 5
            return number * 2
        } == 30)
        #expect(throws: Refused(at: 15)) {
            try value.withLock { (number) throws(Refused) in throw Refused(at: number) }
        }
        // A throwing body keeps what it changed before it threw, as with any inout argument.
        #expect(value.withLock { $0 } == 15)
    }

    @Test func aValueTakenOutIsGone() {
        let held = Locked<[Int]?>([1, 2, 3])
        #expect(held.withLock { $0.take() } == [1, 2, 3])
        #expect(held.withLock { $0 } == nil)
    }
}

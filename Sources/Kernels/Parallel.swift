import Dispatch
import Synchronization

/// Runs independent pieces of work on a fixed number of threads.
public enum Parallel {
    /// Calls `body` for every index in `0..<count` on up to `threads` threads and returns the results
    /// in index order, so callers that merge them in that order get the same answer for any thread count.
    /// - Complexity: O(count) calls of `body`.
    public static func map<T>(count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = max(1, min(threads, count))
        if workers == 1 { return (0..<count).map(body) }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        unsafe slots.initialize(repeating: nil)
        defer { unsafe slots.deinitialize(); unsafe slots.deallocate() }
        let sharedSlots = unsafe _SendableSlots(base: slots)
        withoutActuallyEscaping(body) { escapableBody in
            let sharedBody = _SendableBody(body: escapableBody)
            // Indices are handed out one at a time, so a slow piece of work does not hold back the others queued
            // behind it on the same worker; the results still land in index order.
            let nextIndex = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let index = nextIndex.add(1, ordering: .relaxed).oldValue
                    guard index < count else { break }
                    // Safe: each index is written by exactly one worker, and read only after all have joined.
                    unsafe sharedSlots.base[index] = sharedBody.body(index)
                }
            }
        }
        return unsafe slots.map { $0! }
    }
}

extension Parallel {
    /// Work handed to Dispatch's global pool at once, or left to run on the caller's thread when its value is
    /// asked for.
    ///
    /// The caller goes on meanwhile and may use ``map(count:threads:_:)`` with every thread: two items of an outer
    /// `map` would not do, as Dispatch runs a `concurrentPerform` nested inside another one on fewer threads (one
    /// each, for two items on two cores). The work always runs to its end: a `Pending` dropped unasked (on an error
    /// thrown past it) waits for it, so none of it outlives the caller. Not `Sendable`: one owner asks for the
    /// value, once or more (it is kept).
    @safe public final class Pending<Value: Sendable> {
        private let work: @Sendable () -> Value
        private let group: DispatchGroup?
        private let box = unsafe _ResultBox<Value>()
        private var kept: Value?

        /// Queues `work` at once when `onItsOwnThread` (it starts as soon as the pool has a thread), else runs it
        /// in the first ``value()``.
        public init(onItsOwnThread: Bool, _ work: @escaping @Sendable () -> Value) {
            self.work = work
            guard onItsOwnThread else {
                group = nil
                return
            }
            let group = DispatchGroup()
            let box = unsafe box
            DispatchQueue.global().async(group: group) { unsafe box.value = work() }
            self.group = group
        }

        /// The work's value, once it is done.
        public func value() -> Value {
            if let kept { return kept }
            let result: Value
            if let group {
                group.wait()
                // Safe: written once, by the block the group waited for.
                result = unsafe box.value!
            } else {
                result = work()
            }
            kept = result
            return result
        }

        deinit { group?.wait() }
    }
}

/// The value of a ``Parallel/Pending``: written by its block, read after the group's wait.
@unsafe private final class _ResultBox<T>: @unchecked Sendable {
    var value: T?
}

@safe private struct _SendableSlots<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T?>
}

private struct _SendableBody<T>: @unchecked Sendable {
    let body: (Int) -> T
}

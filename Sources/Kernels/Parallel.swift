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

@safe private struct _SendableSlots<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T?>
}

private struct _SendableBody<T>: @unchecked Sendable {
    let body: (Int) -> T
}

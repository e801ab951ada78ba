#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value that threads share behind a pthread mutex: the lock of the values the engine's parallel loops and its
/// signal handling share (Stats, which does not see ColumnStore, has its two threads write their own slots).
///
/// Not the standard library's `Mutex`: on Linux a contended `Mutex` is handed over in the kernel (a PI futex, in
/// library code the sanitizers do not instrument), so ThreadSanitizer sees no order between two holders and reports
/// the guarded accesses as races, now and then (a `faultline` under TSan, DeterminismTests). ThreadSanitizer
/// intercepts `pthread_mutex_lock`, so under it this lock is seen for what it is.
@safe public final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: sending Value) {
        unsafe self.mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        unsafe mutex.initialize(to: pthread_mutex_t())
        unsafe pthread_mutex_init(mutex, nil)
        self.value = value
    }

    deinit {
        unsafe pthread_mutex_destroy(mutex)
        unsafe mutex.deinitialize(count: 1)
        unsafe mutex.deallocate()
    }

    /// Runs `body` on the value with the lock held; the value and the result cross threads only through here.
    public func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E)
        -> sending Result
    {
        unsafe pthread_mutex_lock(mutex)
        defer { unsafe pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

/// The error thrown by ColumnStore when a file cannot be opened or mapped: a stable `code` for programs, a
/// `message` for people, and the failed system call behind it.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// `open` failed (missing file, no permission, ...).
        case openFailed
        /// The path names a directory.
        case isDirectory
        /// `fstat` failed.
        case statFailed
        /// `mmap` failed (out of address space, a file system that cannot map).
        case mapFailed
        /// `read` failed (for files that are read rather than mapped: pipes, devices).
        case readFailed
    }

    /// The stable, matchable kind of error.
    public var code: Code
    /// The file the error is about.
    public var path: String
    /// The C function that failed, e.g. `mmap`.
    public var function: String
    /// The `errno` value the call left.
    public var errno: Int32
    /// The C library's text for `errno`.
    public var reason: String

    init(code: Code, path: String, _ failure: _SyscallFailure) {
        self.code = code
        self.path = path
        self.function = failure.function
        self.errno = failure.errno
        self.reason = failure.text
    }

    /// `path: function: reason (errno N)`.
    public var description: String { "\(path): \(function): \(reason) (errno \(errno))" }
}

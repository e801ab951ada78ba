import Glibc

// The C library calls behind `MappedFile`, each a thin wrapper with a `// Safe:` note. (`AtomicFile.swift` keeps
// the calls of the atomic writer next to it.)

/// A failed C library call: the function's name and the `errno` value it left.
struct _SyscallFailure: Error, Sendable {
    /// The C function that failed, e.g. `mmap`.
    var function: String
    /// The `errno` value right after the call.
    var errno: Int32

    /// The C library's text for `errno`. Calls `strerror`.
    var text: String {
        // Safe: strerror returns a NUL-terminated string that stays valid until the next strerror call on this
        // thread; it is copied at once.
        unsafe String(cString: strerror(errno))
    }
}

/// Thin wrappers over the C library calls that open and map files.
enum _MappingSyscalls {
    /// What `fstat` says about an open file.
    struct FileStatus {
        var isDirectory: Bool
        var isRegular: Bool
        var size: Int
    }

    /// Opens `path` read-only. Calls `open`.
    static func openReadOnly(_ path: String) -> Result<Int32, _SyscallFailure> {
        // Safe: withCString passes a NUL-terminated copy of the path that lives for the call.
        let descriptor = unsafe path.withCString { unsafe open($0, O_RDONLY | O_CLOEXEC) }
        return descriptor >= 0 ? .success(descriptor) : .failure(_SyscallFailure(function: "open", errno: errno))
    }

    /// Closes a descriptor, ignoring errors (read-only descriptors lose nothing). Calls `close`.
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// The kind and size of an open file. Calls `fstat`.
    static func status(_ descriptor: Int32) -> Result<FileStatus, _SyscallFailure> {
        var info = stat()
        // Safe: `info` is a live local that fstat fills in.
        guard unsafe fstat(descriptor, &info) == 0 else {
            return .failure(_SyscallFailure(function: "fstat", errno: errno))
        }
        let kind = info.st_mode & S_IFMT
        return .success(
            FileStatus(
                isDirectory: kind == S_IFDIR, isRegular: kind == S_IFREG, size: Int(exactly: info.st_size) ?? 0))
    }

    /// Maps `size` bytes of an open file read-only and private. Calls `mmap`.
    ///
    /// - Precondition: `size > 0`.
    static func mapReadOnly(_ descriptor: Int32, size: Int) -> Result<UnsafeRawPointer, _SyscallFailure> {
        precondition(size > 0, "mmap of zero bytes")
        // Safe: a read-only private mapping of `size` bytes of an open descriptor; checked against MAP_FAILED.
        let address = unsafe mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address = unsafe address, unsafe address != MAP_FAILED else {
            return unsafe .failure(_SyscallFailure(function: "mmap", errno: errno))
        }
        return unsafe .success(UnsafeRawPointer(address))
    }

    /// Unmaps a mapping made by `mapReadOnly`. Calls `munmap`.
    static func unmap(_ address: UnsafeRawPointer, size: Int) {
        // Safe: the caller passes exactly the address and size of a live mapping it owns, once.
        _ = unsafe munmap(UnsafeMutableRawPointer(mutating: address), size)
    }

    /// Tells the kernel the mapping will be read soon. Calls `madvise` with `MADV_WILLNEED`.
    static func adviseWillNeed(_ address: UnsafeRawPointer, size: Int) {
        // Safe: advice only; the range is a live mapping of this size.
        _ = unsafe madvise(UnsafeMutableRawPointer(mutating: address), size, MADV_WILLNEED)
    }

    /// Drops pages of a read-only file mapping from the process: they stay in the page cache, and a later read of
    /// them maps them again from the file. Calls `madvise` with `MADV_DONTNEED`.
    static func adviseDontNeed(_ address: UnsafeRawPointer, size: Int) {
        // Safe: advice only; the range is page-aligned and inside a live read-only file mapping, whose pages are
        // never written, so dropping them loses nothing.
        _ = unsafe madvise(UnsafeMutableRawPointer(mutating: address), size, MADV_DONTNEED)
    }

    /// The size of a memory page. Calls `sysconf`.
    static let pageSize = max(1, sysconf(Int32(_SC_PAGESIZE)))

    /// Reads up to `buffer.count` bytes. Calls `read`, retrying on `EINTR`.
    /// - Returns: the number of bytes read (0 at the end of the file).
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, _SyscallFailure>
    {
        while true {
            // Safe: read writes at most `buffer.count` bytes into the caller's live buffer.
            let count = unsafe Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return .success(count) }
            if errno != EINTR { return .failure(_SyscallFailure(function: "read", errno: errno)) }
        }
    }
}

import Glibc

// Every C library call of the module lives in this file, as a thin wrapper with a `// Safe:` note.

/// A failed C library call: the function's name and the `errno` value it left.
struct SystemCallError: Error, CustomStringConvertible, Sendable {
    /// The C function that failed, e.g. `open`.
    var function: String
    /// The `errno` value right after the call.
    var errno: Int32

    var description: String {
        // Safe: strerror returns a NUL-terminated string that stays valid until the next strerror call on this
        // thread; it is copied at once.
        let text = unsafe String(cString: strerror(errno))
        return "\(function): \(text) (errno \(errno))"
    }
}

/// The bytes of a file, kept alive as long as the value: a read-only private mapping of a regular file, or an array
/// for anything that cannot be mapped (pipes, character devices, empty files).
///
/// - Warning: a mapped file that another process truncates while it is being read raises `SIGBUS`; files are
///   expected not to change while they are read.
@safe final class _FileBytes {
    /// The mapping, unmapped in `deinit`; `nil` when the bytes are in `owned`.
    private let mapping: UnsafeRawBufferPointer?
    private let owned: [UInt8]

    private init(mapping: UnsafeRawBufferPointer?, owned: [UInt8]) {
        unsafe self.mapping = mapping
        self.owned = owned
    }

    deinit {
        if let mapping = unsafe mapping, let base = mapping.baseAddress {
            // Safe: this object created the mapping with exactly this address and length, and no span derived from
            // it outlives `withBytes`.
            _ = unsafe munmap(UnsafeMutableRawPointer(mutating: base), mapping.count)
        }
    }

    /// Files up to this size are read in ahead of the parser (`MADV_WILLNEED`); larger ones are left to the
    /// kernel's on-demand read-ahead, so that a file larger than memory does not evict its own pages.
    private static let readAheadLimit = 1 << 30

    /// Opens `path` and maps it (or reads it, when it cannot be mapped).
    ///
    /// Calls `open`, `fstat`, `mmap`, `madvise`, `read` and `close`.
    /// - Throws: `IngestError` with code `.unreadableFile` and the `SystemCallError` as `underlying`.
    static func load(path: String) throws(IngestError) -> _FileBytes {
        // Safe: withCString passes a NUL-terminated copy of the path that lives for the call.
        let descriptor = unsafe path.withCString { unsafe open($0, O_RDONLY | O_CLOEXEC) }
        if descriptor < 0 {
            throw .unreadable(path, "open", SystemCallError(function: "open", errno: errno))
        }
        defer { _ = close(descriptor) }

        var info = stat()
        // Safe: `info` is a live local that fstat fills in.
        if unsafe fstat(descriptor, &info) != 0 {
            throw .unreadable(path, "inspect", SystemCallError(function: "fstat", errno: errno))
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            throw .unreadable(path, "read", SystemCallError(function: "open", errno: EISDIR))
        }
        if kind == S_IFREG, info.st_size > 0, let size = Int(exactly: info.st_size) {
            // Safe: a read-only private mapping of `size` bytes of an open descriptor; checked against MAP_FAILED.
            let address = unsafe mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
            if let address = unsafe address, unsafe address != MAP_FAILED {
                if size <= readAheadLimit {
                    // Safe: advice only (start reading the file in); the range is the mapping just created.
                    _ = unsafe madvise(address, size, MADV_WILLNEED)
                }
                return unsafe _FileBytes(mapping: UnsafeRawBufferPointer(start: address, count: size), owned: [])
            }
            // Some file systems cannot map; read instead.
        }
        return unsafe _FileBytes(mapping: nil, owned: try readAll(descriptor, path: path))
    }

    private static func readAll(_ descriptor: Int32, path: String) throws(IngestError) -> [UInt8] {
        let blockSize = 1 << 20
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: blockSize)
        while true {
            // Safe: read writes at most `block.count` bytes into the live array storage.
            let count = unsafe block.withUnsafeMutableBytes { unsafe read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path, "read", SystemCallError(function: "read", errno: errno))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: block[0..<count])
        }
    }

    /// Calls `body` with the file's bytes.
    ///
    /// - Warning: the span must not escape `body`.
    func withBytes<R, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        try withBytesReleasing { (bytes, _) throws(E) -> R in try body(bytes) }
    }

    /// Calls `body` with the file's bytes, and with what drops pages of the mapping that were read (see
    /// `_PageRelease`).
    ///
    /// - Warning: the span must not escape `body`.
    func withBytesReleasing<R, E: Error>(_ body: (Span<UInt8>, _PageRelease) throws(E) -> R) throws(E) -> R {
        if let mapping = unsafe mapping {
            // Safe: the mapping stays valid while `self` is alive, which the call guarantees; it holds bytes, so
            // binding it to UInt8 is always valid; the span is scoped to this call.
            let buffer = unsafe mapping.assumingMemoryBound(to: UInt8.self)
            let release = _PageRelease(address: UInt(bitPattern: mapping.baseAddress), count: mapping.count)
            return try body(unsafe buffer.span, release)
        }
        let owned = self.owned  // a local, so the span can borrow it
        return try body(owned.span, _PageRelease.none)
    }
}

/// Drops the pages of a read-only file mapping that the reader is done with, so that its resident memory is the
/// columns being built, not the text: a mapped page that was read counts in the process's resident set until it is
/// unmapped, and a multi-GB file would otherwise be resident whole by the end of a pass.
///
/// `MADV_DONTNEED` on a private mapping that was never written only unmaps the pages: the page cache keeps them,
/// and a later read of the same bytes (a fix-up pass, an error's line number) faults them in again, with the same
/// content. So releasing a range another thread still reads costs time, never correctness.
struct _PageRelease: Sendable {
    /// The mapping's address (0 when the bytes are not mapped) and length.
    let address: UInt
    let count: Int

    static let none = _PageRelease(address: 0, count: 0)

    private static let pageSize = UInt(max(4096, sysconf(Int32(_SC_PAGESIZE))))

    /// Releases the whole pages that lie in `range` (file offsets), the page holding its start included.
    /// Calls `madvise`.
    func callAsFunction(_ range: Range<Int>) {
        guard address != 0, !range.isEmpty, range.lowerBound >= 0, range.upperBound <= count else { return }
        let mask = Self.pageSize - 1
        // The mapping starts on a page boundary; round the start down and the end down to whole pages.
        let start = (address + UInt(range.lowerBound)) & ~mask
        let end = range.upperBound == count ? address + UInt(count) : (address + UInt(range.upperBound)) & ~mask
        guard end > start, let pointer = unsafe UnsafeMutableRawPointer(bitPattern: start) else { return }
        // Safe: [start, end) lies inside the mapping (start >= address since address is page-aligned); the advice
        // only unmaps pages, which the next read of those bytes maps again from the page cache.
        _ = unsafe madvise(pointer, Int(end - start), MADV_DONTNEED)
    }
}

/// Thin wrappers over C library functions that read bytes.
enum _UnsafeLibC {
    /// The offset of the first NUL byte in `bytes`, if any. Calls `memchr`.
    static func firstNUL(in bytes: Span<UInt8>) -> Int? {
        // Safe: memchr reads at most `buffer.count` bytes of the buffer, which the span keeps alive for the closure;
        // the returned pointer is only turned into an offset.
        unsafe bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return nil }
            guard let hit = unsafe memchr(base, 0, buffer.count) else { return nil }
            return unsafe UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
        }
    }

    /// Whether the C locale's decimal point is `.`, as `strtod` then expects. Calls `localeconv`.
    ///
    /// Swift programs run in the "C" locale unless they call `setlocale`; a program that switches to a locale with
    /// a decimal comma makes the reader fall back to the standard library's parser.
    static func decimalPointIsDot() -> Bool {
        // Safe: localeconv returns a pointer to a static struct whose decimal_point is a NUL-terminated string;
        // both bytes are read at once.
        guard let conventions = unsafe localeconv(), let point = unsafe conventions.pointee.decimal_point else {
            return true
        }
        return unsafe point[0] == CChar(UInt8(ascii: ".")) && point[1] == 0
    }

    /// The correctly rounded Double of an ASCII decimal `text` whose syntax the caller has checked.
    ///
    /// Calls `strtod` on a NUL-terminated copy of `text` in `scratch` (reused to avoid allocating).
    static func strtod(_ text: Span<UInt8>, scratch: inout [CChar]) -> Double {
        // Indexed writes into a reused buffer (removeAll/append would go through unspecialized generic paths).
        if scratch.count <= text.count { scratch = Array(repeating: 0, count: max(64, text.count + 1)) }
        for index in text.indices { scratch[index] = CChar(bitPattern: text[index]) }
        scratch[text.count] = 0
        // Safe: the copy is NUL-terminated and alive for the closure; strtod keeps no pointer.
        return unsafe scratch.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .nan }
            return unsafe Glibc.strtod(base, nil)
        }
    }
}

/// Read-only bytes that stay at one address for the object's whole life: a private, read-only memory mapping of a
/// file (`PROT_READ`, `MAP_PRIVATE`), or an owned 64-byte-aligned allocation for bytes that are not in a mappable
/// file (pipes, decompressed buffers, bytes handed over by a caller).
///
/// ```
/// MappedFile ──owns──► [ byte 0 ........................................ byte count-1 ]
///      ▲                 page-aligned (mapping) or 64-byte-aligned (allocation)
///      └── kept alive by every ColumnBuffer that views a range of it
/// ```
///
/// The object is the one owner of its mapping or allocation: it `munmap`s (or frees) it in `deinit`, and it never
/// hands out a pointer except inside a closure (`withUnsafeBytes(_:)`), which must not escape it. Column buffers
/// that view the bytes in place hold a reference to it, so the mapping lives exactly as long as they do.
///
/// - Warning: a mapped file that another process truncates while it is read raises `SIGBUS`; files are expected
///   not to change while they are mapped. Writers in this package write to a temporary file and rename it, which
///   never changes a file that is mapped.
@safe public final class MappedFile: @unchecked Sendable {
    // @unchecked Sendable: the bytes are never written after `init`, so sharing them between threads is a read-only
    // use; the pointer itself is private.
    private let base: UnsafeRawPointer?
    /// The number of bytes.
    public let count: Int
    /// The file the bytes came from, or the name given for bytes in memory (for messages).
    public let path: String
    /// Whether the bytes are a memory mapping of the file (else an owned allocation).
    public let isMapped: Bool

    /// Owned allocations are aligned to this many bytes, like Arrow buffers.
    public static let allocationAlignment = 64
    /// Files up to this size are read in ahead of use (`MADV_WILLNEED`); larger ones are left to the kernel's
    /// on-demand read-ahead, so that a file larger than memory does not evict its own pages.
    private static let readAheadLimit = 1 << 30

    private init(base: UnsafeRawPointer?, count: Int, path: String, isMapped: Bool) {
        unsafe self.base = base
        self.count = count
        self.path = path
        self.isMapped = isMapped
    }

    deinit {
        guard let base = unsafe base else { return }
        if isMapped {
            // Safe: this object created the mapping with exactly this address and length, and nothing derived from
            // it outlives the object (views hold the object).
            unsafe _MappingSyscalls.unmap(base, size: count)
        } else {
            // Safe: this object allocated the memory and is its only owner.
            unsafe UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// Opens `path` and maps it read-only; files that cannot be mapped (pipes, devices, some file systems) are read
    /// into an owned allocation instead, and an empty file gives zero bytes.
    ///
    /// Calls `open`, `fstat`, `mmap`, `madvise`, `read` and `close`.
    /// - Throws: `StoreError` naming the path and the failed call.
    public static func open(path: String) throws(StoreError) -> MappedFile {
        let descriptor: Int32
        switch _MappingSyscalls.openReadOnly(path) {
        case .success(let opened): descriptor = opened
        case .failure(let failure): throw StoreError(code: .openFailed, path: path, failure)
        }
        defer { _MappingSyscalls.close(descriptor) }
        let status: _MappingSyscalls.FileStatus
        switch _MappingSyscalls.status(descriptor) {
        case .success(let value): status = value
        case .failure(let failure): throw StoreError(code: .statFailed, path: path, failure)
        }
        if status.isDirectory {
            throw StoreError(code: .isDirectory, path: path, _SyscallFailure(function: "open", errno: 21))  // EISDIR
        }
        if status.isRegular {
            if status.size == 0 { return unsafe MappedFile(base: nil, count: 0, path: path, isMapped: false) }
            switch unsafe _MappingSyscalls.mapReadOnly(descriptor, size: status.size) {
            case .success(let address):
                if status.size <= readAheadLimit { unsafe _MappingSyscalls.adviseWillNeed(address, size: status.size) }
                return unsafe MappedFile(base: address, count: status.size, path: path, isMapped: true)
            case .failure:
                break  // some file systems cannot map: read instead
            }
        }
        return try readAll(descriptor, path: path)
    }

    /// Reads a descriptor to its end into an owned allocation.
    private static func readAll(_ descriptor: Int32, path: String) throws(StoreError) -> MappedFile {
        let blockSize = 1 << 20
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: blockSize)
        while true {
            // Safe: the buffer is the live array storage, used only during the call.
            let result = unsafe block.withUnsafeMutableBytes { unsafe _MappingSyscalls.read(descriptor, into: $0) }
            switch result {
            case .failure(let failure): throw StoreError(code: .readFailed, path: path, failure)
            case .success(0): return MappedFile(copying: bytes, path: path)
            case .success(let count): bytes.append(contentsOf: block[0..<count])
            }
        }
    }

    /// Copies `bytes` into an owned 64-byte-aligned allocation.
    /// - Parameter path: the name to use in messages.
    public convenience init(copying bytes: [UInt8], path: String = "<memory>") {
        let count = bytes.count
        // Safe: the allocation has `count` bytes and the copy writes exactly `count` bytes into it.
        let base = unsafe Self.allocate(count) { target in
            unsafe bytes.withUnsafeBytes { source in unsafe target.copyMemory(from: source) }
        }
        unsafe self.init(base: base, count: count, path: path, isMapped: false)
    }

    /// Creates an owned allocation of `count` bytes that `body` must initialize completely, e.g. by decompressing
    /// into it.
    ///
    /// - Parameter body: called once with the uninitialized bytes; the pointer must not escape it.
    /// - Throws: what `body` throws (the allocation is then freed).
    package static func allocate<E: Error>(
        count: Int, path: String, initializingWith body: (UnsafeMutableRawBufferPointer) throws(E) -> Void
    ) throws(E) -> MappedFile {
        precondition(count >= 0, "negative byte count")
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: allocationAlignment)
        do {
            // Safe: the buffer covers exactly the allocation's first `count` bytes, for the duration of the call.
            try unsafe body(UnsafeMutableRawBufferPointer(start: raw, count: count))
        } catch {
            // Safe: allocated above, never shared.
            unsafe raw.deallocate()
            throw error
        }
        return unsafe MappedFile(base: UnsafeRawPointer(raw), count: count, path: path, isMapped: false)
    }

    private static func allocate(_ count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) -> UnsafeRawPointer {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: allocationAlignment)
        unsafe fill(UnsafeMutableRawBufferPointer(start: raw, count: count))
        return UnsafeRawPointer(raw)
    }

    /// Calls `body` with the bytes.
    ///
    /// - Warning: the pointer must not escape `body`; it is valid only while `self` is alive.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        // Safe: the bytes stay valid while `self` is alive, which the call guarantees.
        try unsafe body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the bytes as a span.
    public func withBytes<R, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        try unsafe withUnsafeBytes { (raw) throws(E) -> R in
            // Safe: the memory holds bytes, so viewing it as UInt8 is always valid; the span is scoped to the call.
            let buffer = unsafe raw.assumingMemoryBound(to: UInt8.self)
            return try body(unsafe buffer.span)
        }
    }

    /// Whether `length` bytes from `offset` lie inside the bytes (no overflow).
    public func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && length <= count - offset
    }

    /// Hands the whole pages inside `length` bytes from `offset` back to the kernel, when the bytes are a mapping
    /// (nothing otherwise): for bytes that were copied out and will not be read in place (an Arrow column split over
    /// record batches), so the process does not hold them twice. The pages stay in the page cache, and reading them
    /// again maps them again from the file, so no value ever changes.
    /// - Precondition: the range lies inside the bytes.
    public func releasePages(offset: Int, length: Int) {
        precondition(contains(offset: offset, length: length), "range outside the bytes")
        guard isMapped, let base = unsafe base else { return }
        let page = _MappingSyscalls.pageSize
        // Only pages wholly inside the range: a page it shares with other bytes may still be read in place.
        let start = (offset + page - 1) / page * page
        let end = (offset + length) / page * page
        guard end > start else { return }
        // Safe: start..<end is page-aligned (the mapping starts on a page) and inside the mapping.
        unsafe _MappingSyscalls.adviseDontNeed(base + start, size: end - start)
    }

    /// A copy of the bytes in `range`.
    /// - Precondition: `range` lies inside the bytes.
    public func bytes(in range: Range<Int>) -> [UInt8] {
        precondition(contains(offset: range.lowerBound, length: range.count), "byte range out of bounds")
        return unsafe withUnsafeBytes { raw in unsafe Array(raw[range]) }
    }

    /// The value of type `T` stored at `offset`.
    @inline(__always)
    func load<T: BitwiseCopyable>(fromByteOffset offset: Int, as type: T.Type) -> T {
        precondition(contains(offset: offset, length: MemoryLayout<T>.size), "load out of bounds")
        // Safe: the range was checked above and the bytes are alive while `self` is; callers use only types for
        // which every bit pattern is valid (see ColumnBuffer's mapped initializers).
        return unsafe UnsafeRawPointer(base.unsafelyUnwrapped).loadUnaligned(fromByteOffset: offset, as: T.self)
    }
}

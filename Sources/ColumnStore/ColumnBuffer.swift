/// A typed, immutable buffer of fixed-width column values.
///
/// Storage is either owned (a contiguous array) or a typed view of a range of a `MappedFile` (values used in
/// place, e.g. an Arrow column in a memory-mapped file); the API is the same for both. A mapped buffer keeps its
/// `MappedFile` alive.
///
/// ```
/// owned:   storage = [v0, v1, ..., vN-1]
/// mapped:  MappedFile [ ... | v0 v1 ... vN-1 | ... ]     region = (file, byteOffset), aligned for Element
///                             ^ byteOffset
/// ```
///
/// Raw access is only through the closure-scoped `withUnsafeBufferPointer(_:)`: the pointer must not escape the
/// closure.
public struct ColumnBuffer<Element: BitwiseCopyable & Sendable>: Sendable {
    @usableFromInline
    internal let storage: ContiguousArray<Element>
    /// The mapping the values live in, when they are not owned (`storage` is then empty).
    @usableFromInline
    internal let region: _MappedRegion?
    /// The number of values.
    public let count: Int

    /// A range of a mapped file that holds values in place.
    @usableFromInline
    internal struct _MappedRegion: Sendable {
        let file: MappedFile
        let byteOffset: Int
    }

    /// Creates a buffer that owns `values`.
    public init(_ values: ContiguousArray<Element>) {
        self.storage = values
        self.region = nil
        self.count = values.count
    }

    /// Creates a buffer that owns a copy of `values`.
    public init(_ values: [Element]) {
        self.init(ContiguousArray(values))
    }

    /// Creates a buffer over `count` values stored in place in `file` from `byteOffset` (no copy).
    ///
    /// Only for element types for which every bit pattern is a valid value (integers and floating-point numbers).
    /// - Returns: `nil` when the range is not inside the file or `byteOffset` is not aligned for `Element`.
    package init?(mapping file: MappedFile, byteOffset: Int, count: Int) where Element: FixedWidthInteger {
        self.init(validatedMapping: file, byteOffset: byteOffset, count: count)
    }

    /// Creates a buffer over `count` values stored in place in `file` from `byteOffset` (no copy).
    ///
    /// - Returns: `nil` when the range is not inside the file or `byteOffset` is not aligned for `Element`.
    package init?(mapping file: MappedFile, byteOffset: Int, count: Int) where Element: BinaryFloatingPoint {
        self.init(validatedMapping: file, byteOffset: byteOffset, count: count)
    }

    private init?(validatedMapping file: MappedFile, byteOffset: Int, count: Int) {
        let stride = MemoryLayout<Element>.stride
        guard count >= 0, byteOffset >= 0, byteOffset % MemoryLayout<Element>.alignment == 0,
            case (let length, false) = count.multipliedReportingOverflow(by: stride),
            file.contains(offset: byteOffset, length: length)
        else { return nil }
        // The mapping (or allocation) starts at least 64-byte aligned, so an aligned offset is an aligned address.
        self.storage = []
        self.region = _MappedRegion(file: file, byteOffset: byteOffset)
        self.count = count
    }

    /// Whether the values are used in place from a `MappedFile` (rather than owned).
    public var isMapped: Bool { region != nil }

    /// The value at `index`. Bounds-checked.
    public subscript(index: Int) -> Element {
        guard let region else { return storage[index] }
        precondition(index >= 0 && index < count, "index out of range")
        return region.file.load(fromByteOffset: region.byteOffset + index * MemoryLayout<Element>.stride, as: Element.self)
    }

    /// Calls `body` with a pointer to the contiguous values.
    ///
    /// - Warning: do not escape the pointer from the closure.
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        guard let region else {
            return try unsafe storage.withUnsafeBufferPointer { (buffer) throws(E) -> R in try unsafe body(buffer) }
        }
        let length = count * MemoryLayout<Element>.stride
        return try unsafe region.file.withUnsafeBytes { (raw) throws(E) -> R in
            // Safe: the range was checked against the file and is aligned for Element (init); every bit pattern is a
            // valid Element (the mapped initializers require integers or floating-point numbers); the typed view
            // lives only for the closure.
            let bytes = unsafe UnsafeRawBufferPointer(rebasing: raw[region.byteOffset..<(region.byteOffset + length)])
            return try unsafe bytes.withMemoryRebound(to: Element.self) { (typed) throws(E) -> R in
                try unsafe body(typed)
            }
        }
    }

    /// The values as an array (a copy for mapped storage; free for owned storage).
    public var array: ContiguousArray<Element> {
        guard region != nil else { return storage }
        return unsafe withUnsafeBufferPointer { unsafe ContiguousArray($0) }
    }
}

/// A typed, immutable buffer of fixed-width column values.
///
/// Storage is owned (a contiguous array), a typed view of a range of a `MappedFile` (values used in place, e.g. an
/// Arrow column in a memory-mapped file), several such ranges in order (an Arrow column split over record batches,
/// used in place batch by batch), or integers stored narrower than `Element` in one or more ranges, widened as they
/// are read (an Arrow int32 column read as Int64, string codes kept at a byte); the API is the same for all four. A
/// mapped buffer keeps its `MappedFile` alive.
///
/// ```
/// owned:   storage = [v0, v1, ..., vN-1]
/// mapped:  MappedFile [ ... | v0 v1 ... vN-1 | ... ]     region = (file, byteOffset), aligned for Element
///                             ^ byteOffset
/// pieces:  MappedFile [ ... | v0 ... vK-1 | ... | vK ... vN-1 | ... ]   pieces = offsets and first rows
/// narrow:  as pieces (one or more), each value 1, 2 or 4 bytes             narrow = pieces and stored width
/// ```
///
/// Raw access is only through closure-scoped methods; the pointers must not escape the closure.
/// `forEachRun(in:_:)` reads pieces in place and narrow values widened a few thousand at a time;
/// `withUnsafeBufferPointer(rows:_:)` gives a range contiguous (in place inside a piece, else copied or widened for
/// the call), and `forEachBlock(in:blockRows:_:)` a range block by block; `withUnsafeBufferPointer(_:)` hands pieces
/// or narrow values over as one contiguous copy made for the call, so kernels that read every row use the others.
public struct ColumnBuffer<Element: BitwiseCopyable & Sendable>: Sendable {
    @usableFromInline
    internal let storage: ContiguousArray<Element>
    /// The mapping the values live in, when they are not owned (`storage` is then empty).
    @usableFromInline
    internal let region: _MappedRegion?
    /// The ranges the values live in when they are split over several (then `storage` is empty, `region` nil).
    @usableFromInline
    internal let pieces: _MappedPieces?
    /// The narrower integers the values are read from, widened (then the other three are empty).
    @usableFromInline
    internal let narrow: _NarrowIntegers?
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
        self.pieces = nil
        self.narrow = nil
        self.count = values.count
    }

    /// Creates a buffer that reads `count` values from `narrow`.
    init(narrow: _NarrowIntegers, count: Int) {
        self.storage = []
        self.region = nil
        self.pieces = nil
        self.narrow = narrow
        self.count = count
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
        self.pieces = nil
        self.narrow = nil
        self.count = count
    }

    /// Creates a buffer over values stored in place in `file` in several ranges, in order: `counts[k]` values from
    /// `byteOffsets[k]` (no copy). One range makes the same buffer as ``init(mapping:byteOffset:count:)``.
    ///
    /// Only for element types for which every bit pattern is a valid value.
    /// - Returns: `nil` when a range is not inside the file or not aligned for `Element`, or the counts differ from
    ///   the offsets in number.
    package init?(mapping file: MappedFile, byteOffsets: [Int], counts: [Int]) where Element: FixedWidthInteger {
        self.init(validatedPieces: file, byteOffsets: byteOffsets, counts: counts)
    }

    /// Creates a buffer over values stored in place in `file` in several ranges, in order (no copy).
    ///
    /// - Returns: `nil` when a range is not inside the file or not aligned for `Element`, or the counts differ from
    ///   the offsets in number.
    package init?(mapping file: MappedFile, byteOffsets: [Int], counts: [Int]) where Element: BinaryFloatingPoint {
        self.init(validatedPieces: file, byteOffsets: byteOffsets, counts: counts)
    }

    private init?(validatedPieces file: MappedFile, byteOffsets: [Int], counts: [Int]) {
        guard
            let (offsets, starts) = _MappedPieces.layout(
                file, byteOffsets: byteOffsets, counts: counts, stride: MemoryLayout<Element>.stride,
                alignment: MemoryLayout<Element>.alignment)
        else { return nil }
        // Empty pieces hold nothing to read; one piece left is an ordinary mapped range.
        if offsets.count <= 1 {
            guard let one = ColumnBuffer(validatedMapping: file, byteOffset: offsets.first ?? 0, count: starts.last ?? 0)
            else { return nil }
            self = one
            return
        }
        self.storage = []
        self.region = nil
        self.pieces = _MappedPieces(file: file, byteOffsets: offsets, starts: starts)
        self.narrow = nil
        self.count = starts[starts.count - 1]
    }

    /// Whether the values are used in place from a `MappedFile` (rather than owned).
    public var isMapped: Bool { region != nil || pieces != nil || narrow?.isOwnCopy == false }

    /// Whether the values lie in one contiguous range (owned, or one mapped range), so that
    /// ``withUnsafeBufferPointer(_:)`` reads them in place.
    public var isContiguous: Bool { pieces == nil && narrow == nil }

    /// The bytes each value takes where it is stored: `Element`'s stride, or less for narrow storage.
    public var storedBytesPerValue: Int { narrow?.storedBytes ?? MemoryLayout<Element>.stride }

    /// The value at `index`. Bounds-checked.
    public subscript(index: Int) -> Element {
        if let narrow {
            precondition(index >= 0 && index < count, "index out of range")
            return narrow.element(at: index, as: Element.self)
        }
        if let pieces {
            precondition(index >= 0 && index < count, "index out of range")
            return pieces.load(index, as: Element.self)
        }
        guard let region else { return storage[index] }
        precondition(index >= 0 && index < count, "index out of range")
        return region.file.load(fromByteOffset: region.byteOffset + index * MemoryLayout<Element>.stride, as: Element.self)
    }

    /// Calls `body` with a pointer to the contiguous values: in place for owned values and one mapped range, a copy
    /// made for the call when the values are in pieces (prefer ``forEachRun(in:_:)`` then).
    ///
    /// - Warning: do not escape the pointer from the closure.
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        if !isContiguous {
            let copy = array
            return try unsafe copy.withUnsafeBufferPointer { (buffer) throws(E) -> R in try unsafe body(buffer) }
        }
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

    /// The values as an array (a copy, except for owned full-width values, which are shared).
    public var array: ContiguousArray<Element> {
        if !isContiguous { return copied(0..<count) }
        guard region != nil else { return storage }
        return unsafe withUnsafeBufferPointer { unsafe ContiguousArray($0) }
    }
}

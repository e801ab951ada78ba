/// Integers stored narrower than the buffer's element type, widened as they are read: an Arrow int8 to int32 column
/// or dictionary indices read as Int64 or UInt32 in place, and string codes kept at one or two bytes while the
/// dictionary is small. Where a widened copy would hold 8 (or 4) bytes a row for good, this holds what the file or
/// the codes take, and a kernel widens a few thousand rows at a time into scratch it owns for the call.
///
/// ```
/// piece k: rows starts[k] ..< starts[k + 1], from byteOffsets[k], storedBytes bytes each
/// ```
@usableFromInline
final class _NarrowIntegers: Sendable {
    /// The integer type the values are stored as.
    enum Stored: Sendable {
        case int8, uint8, int16, uint16, int32, uint32

        init?<T: FixedWidthInteger>(_ type: T.Type) {
            switch (T.bitWidth, T.isSigned) {
            case (8, true): self = .int8
            case (8, false): self = .uint8
            case (16, true): self = .int16
            case (16, false): self = .uint16
            case (32, true): self = .int32
            case (32, false): self = .uint32
            default: return nil
            }
        }

        var bytes: Int {
            switch self {
            case .int8, .uint8: 1
            case .int16, .uint16: 2
            case .int32, .uint32: 4
            }
        }
    }

    /// Where the values lie (one piece or more).
    let pieces: _MappedPieces
    let stored: Stored
    /// Whether the buffer's elements, the integers the values are widened to, are signed.
    let elementIsSigned: Bool
    /// Whether the bytes are the buffer's own copy (held narrow values), rather than a file's values in place.
    let isOwnCopy: Bool
    /// Bytes per stored value: 1, 2 or 4.
    var storedBytes: Int { stored.bytes }

    init(pieces: _MappedPieces, stored: Stored, elementIsSigned: Bool, isOwnCopy: Bool) {
        self.pieces = pieces
        self.stored = stored
        self.elementIsSigned = elementIsSigned
        self.isOwnCopy = isOwnCopy
    }

    /// The element types values are widened to (those `widen` writes as themselves).
    static func isTarget<Element>(_ type: Element.Type) -> Bool {
        let targets: [Any.Type] = [Int64.self, UInt64.self, Int32.self, UInt32.self, Int16.self, UInt16.self]
        return targets.contains { $0 == type }
    }

    /// The value of `row`, widened to `Element` (one of the types ``isTarget(_:)`` accepts): a load, no scratch.
    /// - Precondition: `row` is in `0..<pieces.starts.last`.
    func element<Element: BitwiseCopyable>(at row: Int, as _: Element.Type) -> Element {
        let wide: Int64 =
            switch stored {
            case .int8: Int64(pieces.load(row, as: Int8.self))
            case .uint8: Int64(pieces.load(row, as: UInt8.self))
            case .int16: Int64(pieces.load(row, as: Int16.self))
            case .uint16: Int64(pieces.load(row, as: UInt16.self))
            case .int32: Int64(pieces.load(row, as: Int32.self))
            case .uint32: Int64(pieces.load(row, as: UInt32.self))
            }
        // The element is an integer that holds the value: its bytes are the low bytes of the Int64's.
        let low = 1.littleEndian == 1 ? 0 : MemoryLayout<Int64>.size - MemoryLayout<Element>.size
        return unsafe Swift.withUnsafeBytes(of: wide) { unsafe $0.load(fromByteOffset: low, as: Element.self) }
    }

    /// Rows a run of widened values holds at most: small enough to stay in the first-level cache.
    static let runRows = 4096

    /// Widens the values of `rows` into `target`, which has room for `rows.count` integers of `elementStride` (2, 4
    /// or 8) bytes: the buffer's element type, an integer type that holds every stored value, so that its bit
    /// pattern is the value's, sign- or zero-extended.
    /// - Precondition: `rows` lies in `0..<pieces.starts.last`.
    func widen(_ rows: Range<Int>, into target: UnsafeMutableRawPointer, elementStride: Int) {
        unsafe pieces.file.withUnsafeBytes { raw in
            pieces.forEachRange(in: rows, stride: storedBytes) { start, row, count in
                // Safe: each piece's range was checked against the file (init) and the range lies in it; the target
                // has room for rows.count values, of which this writes those of row..<row + count.
                unsafe widen(
                    raw.baseAddress.unsafelyUnwrapped + start, count,
                    into: target + (row - rows.lowerBound) * elementStride, elementStride: elementStride)
            }
        }
    }

    /// Widens `count` stored values from `source` into `target`, as integers of `elementStride` bytes.
    private func widen(
        _ source: UnsafeRawPointer, _ count: Int, into target: UnsafeMutableRawPointer, elementStride: Int
    ) {
        switch stored {
        case .int8: unsafe widen(source, count, Int8.self, into: target, elementStride)
        case .uint8: unsafe widen(source, count, UInt8.self, into: target, elementStride)
        case .int16: unsafe widen(source, count, Int16.self, into: target, elementStride)
        case .uint16: unsafe widen(source, count, UInt16.self, into: target, elementStride)
        case .int32: unsafe widen(source, count, Int32.self, into: target, elementStride)
        case .uint32: unsafe widen(source, count, UInt32.self, into: target, elementStride)
        }
    }

    /// Widens into the integer type of the elements' size and signedness.
    @inline(__always)
    private func widen<Source: FixedWidthInteger & BitwiseCopyable>(
        _ source: UnsafeRawPointer, _ count: Int, _: Source.Type, into target: UnsafeMutableRawPointer,
        _ elementStride: Int
    ) {
        switch (elementStride, elementIsSigned) {
        case (8, true): unsafe Self.widen(source, count, Source.self, into: target, Int64.self)
        case (8, false): unsafe Self.widen(source, count, Source.self, into: target, UInt64.self)
        case (4, true): unsafe Self.widen(source, count, Source.self, into: target, Int32.self)
        case (4, false): unsafe Self.widen(source, count, Source.self, into: target, UInt32.self)
        case (2, true): unsafe Self.widen(source, count, Source.self, into: target, Int16.self)
        case (2, false): unsafe Self.widen(source, count, Source.self, into: target, UInt16.self)
        default: preconditionFailure("narrow values read as an element of \(elementStride) bytes")
        }
    }

    @inline(__always)
    private static func widen<Source: FixedWidthInteger & BitwiseCopyable, Target: FixedWidthInteger & BitwiseCopyable>(
        _ source: UnsafeRawPointer, _ count: Int, _: Source.Type, into target: UnsafeMutableRawPointer,
        _: Target.Type
    ) {
        // Safe (callers): `count` stored values lie from `source` (read unaligned: a piece needs no alignment) and
        // the target has room for `count` Targets, aligned: it is bound to the buffer's elements, integers of
        // Target's size and signedness (so Target is their type).
        let typed = unsafe target.assumingMemoryBound(to: Target.self)
        for index in 0..<count {
            let value = unsafe source.loadUnaligned(
                fromByteOffset: index &* MemoryLayout<Source>.stride, as: Source.self)
            unsafe (typed + index).initialize(to: Target(truncatingIfNeeded: value))
        }
    }
}

extension ColumnBuffer where Element: FixedWidthInteger {
    /// Creates a buffer over integers stored narrower than `Element` in place in `file`, in one or more ranges, in
    /// order: `counts[k]` values of type `stored` from `byteOffsets[k]` (no copy). They are widened to `Element` as
    /// they are read, a few thousand at a time.
    ///
    /// - Returns: `nil` when a range is not inside the file, the counts differ from the offsets in number, `Element`
    ///   is not one of Int64, Int32, Int16 and their unsigned kin, or is no wider than `Stored`, or some `Stored`
    ///   value has no equal `Element` (`Int32` as `UInt32`, say).
    package init?<Stored: FixedWidthInteger & BitwiseCopyable>(
        mapping file: MappedFile, byteOffsets: [Int], counts: [Int], storedAs stored: Stored.Type
    ) {
        guard let kind = _NarrowIntegers.Stored(Stored.self),
            _NarrowIntegers.isTarget(Element.self), MemoryLayout<Element>.stride > MemoryLayout<Stored>.stride,
            Element(exactly: Stored.min) != nil, Element(exactly: Stored.max) != nil,
            // Read unaligned: a piece may start anywhere.
            let (offsets, starts) = _MappedPieces.layout(
                file, byteOffsets: byteOffsets, counts: counts, stride: MemoryLayout<Stored>.stride, alignment: 1)
        else { return nil }
        guard !offsets.isEmpty else {
            self.init(ContiguousArray<Element>())
            return
        }
        let pieces = _MappedPieces(file: file, byteOffsets: offsets, starts: starts)
        let narrow = _NarrowIntegers(pieces: pieces, stored: kind, elementIsSigned: Element.isSigned, isOwnCopy: false)
        self.init(narrow: narrow, count: starts.last ?? 0)
    }

    /// Creates a buffer that holds `values` at their own width (one copy, into storage of its own) and reads them as
    /// `Element`: codes that fit a byte or two, kept at that width.
    ///
    /// - Precondition: `Element` is one of Int64, Int32, Int16 and their unsigned kin, wider than `Stored`, and every
    ///   `Stored` value has an equal `Element`.
    package init<Stored: FixedWidthInteger & BitwiseCopyable>(narrow values: ContiguousArray<Stored>) {
        guard let kind = _NarrowIntegers.Stored(Stored.self),
            _NarrowIntegers.isTarget(Element.self), MemoryLayout<Element>.stride > MemoryLayout<Stored>.stride,
            Element(exactly: Stored.min) != nil, Element(exactly: Stored.max) != nil
        else { preconditionFailure("narrow values must be narrower than the elements and representable") }
        let byteCount = values.count * MemoryLayout<Stored>.stride
        let file = unsafe MappedFile.allocate(count: byteCount, path: "<narrow values>") { target in
            // Safe: the allocation holds exactly the array's bytes.
            unsafe values.withUnsafeBytes { source in unsafe target.copyMemory(from: source) }
        }
        guard byteCount > 0 else {
            self.init(ContiguousArray<Element>())
            return
        }
        let pieces = _MappedPieces(file: file, byteOffsets: [0], starts: [0, values.count])
        let narrow = _NarrowIntegers(pieces: pieces, stored: kind, elementIsSigned: Element.isSigned, isOwnCopy: true)
        self.init(narrow: narrow, count: values.count)
    }
}

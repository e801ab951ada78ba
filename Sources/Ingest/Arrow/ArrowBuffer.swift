import ColumnStore

/// The bytes of one Arrow buffer: a range of the mapped file, or of a decompressed copy (also a `MappedFile`).
///
/// Every range is checked against its `MappedFile` when the value is made (`init?`), so the loads below only need
/// the caller's promise that the buffer holds as many values as it asks for, which each method `precondition`s.
struct _ArrowBuffer: Sendable {
    let file: MappedFile
    let offset: Int
    let length: Int

    /// A buffer over `length` bytes of `file` from `offset`, or `nil` when that range is not inside the file.
    init?(file: MappedFile, offset: Int, length: Int) {
        guard file.contains(offset: offset, length: length) else { return nil }
        self.file = file
        self.offset = offset
        self.length = length
    }

    /// Hands the buffer's pages back to the kernel once its bytes have been copied out and will not be read in
    /// place (``ColumnStore/MappedFile/releasePages(offset:length:)``).
    func releasePages() { file.releasePages(offset: offset, length: length) }

    /// Whether the buffer holds `count` values of `width` bytes (no overflow).
    func holds(_ count: Int, width: Int) -> Bool {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
        return count >= 0 && !overflow && bytes <= length
    }

    /// A column buffer that uses `count` values of this buffer in place, when the values are aligned for `T`.
    func mapped<T: FixedWidthInteger>(_ count: Int, as type: T.Type) -> ColumnBuffer<T>? {
        ColumnBuffer<T>(mapping: file, byteOffset: offset, count: count)
    }

    /// A column buffer that uses `count` values of this buffer in place, when the values are aligned for `T`.
    func mapped<T: BinaryFloatingPoint>(_ count: Int, as type: T.Type) -> ColumnBuffer<T>? {
        ColumnBuffer<T>(mapping: file, byteOffset: offset, count: count)
    }

    /// The first `rows` bits as validity words (LSB first; bits past `rows` cleared).
    ///
    /// - Precondition: the buffer holds `(rows + 7) / 8` bytes.
    func validityWords(rows: Int) -> [UInt64] {
        let byteCount = (rows + 7) / 8
        precondition(holds(byteCount, width: 1), "validity buffer too short")
        var words = [UInt64](repeating: 0, count: (rows + 63) / 64)
        unsafe file.withUnsafeBytes { raw in
            unsafe words.withUnsafeMutableBytes { target in
                // Safe: the source range was checked above and lies in the file; the target holds 8 bytes per word,
                // at least `byteCount`. Bytes are LSB-first, which is the words' little-endian layout.
                unsafe target.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + byteCount)]))
            }
        }
        let tail = rows % 64
        if tail != 0 { words[words.count - 1] &= (1 << UInt64(tail)) - 1 }
        return words
    }

    /// Writes `rows` values of type `Source`, converted by `convert`, into `target[start..<start + rows]`.
    ///
    /// `Source` must be an integer or floating-point type (every bit pattern is a value).
    /// - Precondition: the buffer holds `rows` values of `Source`, and the target range lies in `target`.
    func convert<Source: AdditiveArithmetic & BitwiseCopyable, Target>(
        _ rows: Int, of source: Source.Type, into target: UnsafeMutableBufferPointer<Target>, at start: Int,
        _ convert: (Source) -> Target
    ) {
        precondition(start >= 0 && rows <= target.count - start, "target range out of bounds")
        withSpan(rows, of: Source.self) { values in
            for row in 0..<rows {
                // Safe: start + row < target.count (checked above); Target is a trivial type written once.
                unsafe target[start + row] = convert(values[row])
            }
        }
    }

    /// Copies `rows` values of type `T` into `target[start..<start + rows]`.
    ///
    /// `T` must be an integer or floating-point type.
    /// - Precondition: the buffer holds `rows` values of `T`, and the target range lies in `target`.
    func copy<T: BitwiseCopyable>(_ rows: Int, of type: T.Type, into target: UnsafeMutableBufferPointer<T>, at start: Int)
    {
        let stride = MemoryLayout<T>.stride
        precondition(holds(rows, width: stride), "buffer too short")
        precondition(start >= 0 && rows <= target.count - start, "target range out of bounds")
        let source = offset
        unsafe file.withUnsafeBytes { raw in
            // Safe: both ranges hold rows * stride bytes (checked above); a byte copy needs no alignment.
            let bytes = unsafe UnsafeRawBufferPointer(rebasing: raw[source..<(source + rows * stride)])
            let destination = unsafe UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: target[start..<(start + rows)]))
            unsafe destination.copyMemory(from: bytes)
        }
    }

    /// Writes the first `rows` bits as 0/1 bytes into `target[start..<start + rows]`.
    /// - Precondition: the buffer holds `(rows + 7) / 8` bytes, and the target range lies in `target`.
    func unpackBits(_ rows: Int, into target: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        precondition(holds((rows + 7) / 8, width: 1), "bit buffer too short")
        precondition(start >= 0 && rows <= target.count - start, "target range out of bounds")
        withBytes { bytes in
            for row in 0..<rows {
                // Safe: start + row < target.count (checked above).
                unsafe target[start + row] = (bytes[row >> 3] >> UInt8(row & 7)) & 1
            }
        }
    }

    /// Appends `rows` values of type `T` to `target` unchanged (a copy).
    ///
    /// `T` must be an integer or floating-point type.
    /// - Precondition: the buffer holds `rows` values of `T`.
    func appendCopy<T: AdditiveArithmetic & BitwiseCopyable>(
        _ rows: Int, of type: T.Type, to target: inout ContiguousArray<T>
    ) {
        let stride = MemoryLayout<T>.stride
        precondition(holds(rows, width: stride), "buffer too short")
        let first = target.count
        let start = offset
        target.append(contentsOf: repeatElement(T.zero, count: rows))
        unsafe file.withUnsafeBytes { raw in
            unsafe target.withUnsafeMutableBytes { bytes in
                // Safe: both ranges hold rows * stride bytes: the source was checked above, the target was just
                // extended by `rows` values; a byte copy needs no alignment.
                let source = unsafe UnsafeRawBufferPointer(rebasing: raw[start..<(start + rows * stride)])
                unsafe UnsafeMutableRawBufferPointer(rebasing: bytes[(first * stride)...]).copyMemory(from: source)
            }
        }
    }

    /// Calls `body` with the buffer's bytes.
    func withBytes<R, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        let range = offset..<(offset + length)
        return try file.withBytes { (bytes) throws(E) -> R in try body(bytes.extracting(range)) }
    }

    /// Calls `body` with the buffer's first `count` values of `T` (an integer or floating-point type) as a span:
    /// in place when they are aligned for `T`, else from an aligned copy.
    /// - Precondition: the buffer holds `count` values of `T`.
    func withSpan<T: AdditiveArithmetic & BitwiseCopyable, R, E: Error>(
        _ count: Int, of type: T.Type, _ body: (Span<T>) throws(E) -> R
    ) throws(E) -> R {
        let stride = MemoryLayout<T>.stride
        precondition(holds(count, width: stride), "buffer too short")
        guard offset % MemoryLayout<T>.alignment == 0 else {
            var copy = ContiguousArray<T>()
            appendCopy(count, of: T.self, to: &copy)
            return try body(copy.span)
        }
        let start = offset
        return try unsafe file.withUnsafeBytes { (raw) throws(E) -> R in
            // Safe: the range holds `count` values (checked above) inside the file and is aligned for T (the file's
            // bytes start 64-byte aligned); T accepts any bytes; the span does not outlive the call.
            let bytes = unsafe UnsafeRawBufferPointer(rebasing: raw[start..<(start + count * stride)])
            return try unsafe bytes.withMemoryRebound(to: T.self) { (typed) throws(E) -> R in
                try body(unsafe typed.span)
            }
        }
    }
}

/// Small reads of the file's framing (message lengths, the footer length and magic).
enum _ArrowBytes {
    /// The little-endian `UInt32` at `offset`.
    /// - Precondition: 4 bytes from `offset` lie in the file.
    static func uint32(_ file: MappedFile, at offset: Int) -> UInt32 {
        let bytes = file.bytes(in: offset..<(offset + 4))
        return bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The little-endian `Int64` at `offset`.
    /// - Precondition: 8 bytes from `offset` lie in the file.
    static func int64(_ file: MappedFile, at offset: Int) -> Int64 {
        let bytes = file.bytes(in: offset..<(offset + 8))
        return Int64(bitPattern: bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) })
    }
}

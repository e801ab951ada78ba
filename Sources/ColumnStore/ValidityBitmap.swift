/// Which values of a column are present, one bit per row, least significant bit first,
/// in 64-bit words (the Arrow layout, widened to words so kernels test 64 rows at once).
///
/// ```
/// word 0: bit 0 = row 0 ... bit 63 = row 63 | word 1: row 64 ... | ...
/// ```
/// Bits past `count` in the last word are zero.
///
/// The words are owned, or used in place from a mapped file (an Arrow column's own bitmap, which is then part of
/// the mapped column rather than a copy beside it); the API is the same for both, and a change to a bitmap in place
/// copies its words first.
public struct ValidityBitmap: Sendable, Equatable {
    /// The words when they are owned (empty when they are in place).
    @usableFromInline internal var owned: [UInt64]
    /// The words when they are in place in a mapped file.
    @usableFromInline internal var inPlace: _WordsInPlace?
    /// The number of rows covered.
    public let count: Int

    /// Words in place: their address, kept so that per-row reads inlined in other modules cost one load, and the
    /// file that keeps them alive.
    @usableFromInline
    @safe internal struct _WordsInPlace: @unchecked Sendable {
        // @unchecked Sendable: the words lie in the bytes of `file`, which are never written and live as long as
        // `file` does (held here).
        @usableFromInline internal let address: UnsafeRawPointer
        internal let file: MappedFile
    }

    /// A bitmap of `count` rows, all valid or all missing.
    public init(count: Int, allValid: Bool) {
        precondition(count >= 0, "negative row count")
        self.count = count
        inPlace = nil
        let wordCount = (count + 63) / 64
        if allValid {
            owned = [UInt64](repeating: ~0, count: wordCount)
            let tail = count % 64
            if tail != 0 { owned[wordCount - 1] = (1 << UInt64(tail)) - 1 }
        } else {
            owned = [UInt64](repeating: 0, count: wordCount)
        }
    }

    /// A bitmap from its words (least significant bit first, as above); bits past `count` are cleared.
    /// - Precondition: `words.count == (count + 63) / 64`.
    package init(words: [UInt64], count: Int) {
        precondition(count >= 0 && words.count == (count + 63) / 64, "validity word count mismatch")
        self.count = count
        owned = words
        inPlace = nil
        let tail = count % 64
        if tail != 0 { owned[words.count - 1] &= (1 << UInt64(tail)) - 1 }
    }

    /// A bitmap of `count` rows whose words are used in place in `file` from `byteOffset` (no copy): an Arrow
    /// validity bitmap, whose bytes are the words' little-endian layout.
    ///
    /// - Returns: `nil` when there are no rows, the words (`(count + 63) / 64` of them, so the bytes padded to 8) are
    ///   not inside the file, `byteOffset` is not 8-byte aligned, or a bit past `count` is set (Arrow does not
    ///   require them clear, and kernels count whole words): the caller copies the bitmap then.
    package init?(mapping file: MappedFile, byteOffset: Int, count: Int) {
        let wordCount = (count + 63) / 64
        // The mapping (or allocation) starts at least 64-byte aligned, so an aligned offset is an aligned address.
        guard count > 0, byteOffset >= 0, byteOffset % 8 == 0, file.contains(offset: byteOffset, length: wordCount * 8)
        else { return nil }
        // Safe: the range was checked against the file above (so the file has bytes), and `file` is held with the
        // address, so the bytes stay mapped while the address is used.
        let start = unsafe file.withUnsafeBytes { raw in unsafe raw.baseAddress.map { unsafe $0 + byteOffset } }
        guard let address = unsafe start else { return nil }
        let tail = count % 64
        if tail != 0, unsafe address.load(fromByteOffset: (wordCount - 1) * 8, as: UInt64.self) >> UInt64(tail) != 0 {
            return nil
        }
        self.count = count
        owned = []
        inPlace = unsafe _WordsInPlace(address: address, file: file)
    }

    /// A bitmap from per-row flags.
    public init(_ flags: [Bool]) {
        self.init(count: flags.count, allValid: false)
        for (row, flag) in flags.enumerated() where flag { set(row, true) }
    }

    /// Whether the words are used in place from a mapped file (rather than owned).
    public var isMapped: Bool { inPlace != nil }

    /// The number of words, `(count + 63) / 64`.
    public var wordCount: Int { (count + 63) / 64 }

    /// Word `index` (rows `64 * index ..< 64 * index + 64`). Bounds-checked. Inlinable: kernels in other modules
    /// read a word per 64 rows.
    @inlinable @inline(__always)
    public func word(_ index: Int) -> UInt64 {
        if let inPlace {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: wordCount), "word index out of range")
            // Safe: index < wordCount, whose words lie in the file `inPlace` holds (checked when it was made).
            return unsafe inPlace.address.load(fromByteOffset: index &* 8, as: UInt64.self)
        }
        return owned[index]
    }

    /// The words, copied when they are in place. For tests and writers; kernels read ``word(_:)`` or
    /// ``withUnsafeWords(_:)``.
    public var words: [UInt64] { inPlace == nil ? owned : unsafe withUnsafeWords { unsafe Array($0) } }

    /// Calls `body` with a pointer to the `wordCount` words.
    ///
    /// - Warning: do not escape the pointer from the closure.
    public func withUnsafeWords<R, E: Error>(_ body: (UnsafeBufferPointer<UInt64>) throws(E) -> R) throws(E) -> R {
        guard let inPlace else {
            return try unsafe owned.withUnsafeBufferPointer { (words) throws(E) -> R in try unsafe body(words) }
        }
        // Safe: the words lie in the file `inPlace` holds, aligned for UInt64 (checked when it was made); every bit
        // pattern is a word, and the typed view lives only for the call.
        let bytes = unsafe UnsafeRawBufferPointer(start: inPlace.address, count: wordCount * 8)
        return try unsafe bytes.withMemoryRebound(to: UInt64.self) { (words) throws(E) -> R in try unsafe body(words) }
    }

    /// Whether row `row` holds a value. Inlinable: per-row loops in other modules call it.
    @inlinable @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        word(row >> 6) & (1 << UInt64(row & 63)) != 0
    }

    /// Marks row `row` valid or missing (words in place are copied first).
    @inline(__always)
    public mutating func set(_ row: Int, _ valid: Bool) {
        if inPlace != nil {
            owned = words
            inPlace = nil
        }
        let mask: UInt64 = 1 << UInt64(row & 63)
        if valid { owned[row >> 6] |= mask } else { owned[row >> 6] &= ~mask }
    }

    /// The number of valid rows.
    public var validCount: Int {
        unsafe withUnsafeWords { words in unsafe words.reduce(0) { $0 + $1.nonzeroBitCount } }
    }

    /// The number of missing rows.
    public var nullCount: Int { count - validCount }

    /// Same rows, same bits, owned or in place.
    public static func == (lhs: ValidityBitmap, rhs: ValidityBitmap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return unsafe lhs.withUnsafeWords { left in
            unsafe rhs.withUnsafeWords { right in unsafe left.elementsEqual(right) }
        }
    }
}

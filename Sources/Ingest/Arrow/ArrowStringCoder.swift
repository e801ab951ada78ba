/// Gives a string column's values their codes in first-seen order: a `_ByteStringTable`, fronted by a cache of the
/// strings of at most 8 bytes (most categories), keyed by their bytes as one word, so that a repeated short string
/// costs one 8-byte load, a multiply and a slot compare.
///
/// ```
/// cache slots (open addressing, linear probing; meta 0 = empty):
///   word = the string's bytes, little-endian, zero-padded      meta = (length + 1) << 32 | code
/// ```
struct _ArrowStringCoder {
    private(set) var table = _ByteStringTable()
    private var words: [UInt64]
    private var metas: [UInt64]
    private var mask: Int
    private var used = 0

    private static let initialSlots = 256  // a power of two
    private static let wordSize = 8

    init() {
        words = Array(repeating: 0, count: Self.initialSlots)
        metas = Array(repeating: 0, count: Self.initialSlots)
        mask = Self.initialSlots - 1
    }

    /// Whether another distinct string would exceed the codes' range.
    var isFull: Bool { table.count >= _ByteStringTable.maximumCount - 1 }

    /// The code of `data[start..<end]`, adding it when new (`row` is recorded as its first occurrence).
    ///
    /// - Precondition: `0 <= start <= end <= data.count`, and `!isFull`.
    @inline(__always)
    mutating func code(_ data: Span<UInt8>, _ start: Int, _ end: Int, row: Int) -> UInt32 {
        let length = end - start
        guard length <= Self.wordSize else { return table.code(of: data.extracting(start..<end), offset: row) }
        let word = Self.word(data, start, length)
        let meta = UInt64(length + 1) << 32
        var slot = Self.slot(word, length) & mask
        while true {
            let stored = metas[slot]
            if stored == 0 { break }
            if stored & ~0xFFFF_FFFF == meta && words[slot] == word { return UInt32(truncatingIfNeeded: stored) }
            slot = (slot + 1) & mask
        }
        let code = table.code(of: data.extracting(start..<end), offset: row)
        words[slot] = word
        metas[slot] = meta | UInt64(code)
        used += 1
        if used * 2 > metas.count { grow() }
        return code
    }

    /// The `length` (at most 8) bytes from `start` as a zero-padded little-endian word.
    @inline(__always)
    private static func word(_ data: Span<UInt8>, _ start: Int, _ length: Int) -> UInt64 {
        if start + wordSize <= data.count {
            // Safe: a RawSpan view of the same bytes (bounds-checked load), used only within this call.
            let raw = unsafe data.bytes
            let loaded = _ByteWords.word(raw, at: start)
            return length == wordSize ? loaded : loaded & ((1 << UInt64(8 * length)) - 1)
        }
        var word: UInt64 = 0
        for index in 0..<length { word |= UInt64(data[start + index]) << UInt64(8 * index) }
        return word
    }

    @inline(__always)
    private static func slot(_ word: UInt64, _ length: Int) -> Int {
        let mixed = (word ^ UInt64(length) << 59) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 32)
    }

    private mutating func grow() {
        let capacity = metas.count * 2
        var grownWords = [UInt64](repeating: 0, count: capacity)
        var grownMetas = [UInt64](repeating: 0, count: capacity)
        let grownMask = capacity - 1
        for index in metas.indices where metas[index] != 0 {
            let length = Int(metas[index] >> 32) - 1
            var slot = Self.slot(words[index], length) & grownMask
            while grownMetas[slot] != 0 { slot = (slot + 1) & grownMask }
            grownWords[slot] = words[index]
            grownMetas[slot] = metas[index]
        }
        words = grownWords
        metas = grownMetas
        mask = grownMask
    }
}

/// Word-at-a-time (SWAR) helpers over byte spans: finding structural bytes, hashing, comparing.
///
/// Loads go through `RawSpan`, which checks bounds; they are marked `unsafe` only because a load could in general
/// produce an invalid value of the loaded type, which cannot happen for `UInt64` (every bit pattern is valid).
/// Words are read little-endian, so byte `k` of a word is the byte at offset `+k`.
enum _ByteWords {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    private static let wordSize = 8

    /// The 8 bytes at `offset` as a little-endian word.
    ///
    /// - Precondition: `offset + 8 <= raw.byteCount` (checked by `RawSpan`).
    @inline(__always)
    static func word(_ raw: RawSpan, at offset: Int) -> UInt64 {
        // Safe: RawSpan checks the bounds, and every bit pattern is a valid UInt64.
        UInt64(littleEndian: unsafe raw.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The high bit of each byte of the result is set exactly where `word` has a zero byte (no false positives:
    /// the addition cannot carry across bytes).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        ~(((word & low7) &+ low7) | word | low7)
    }

    /// The offset of the first `delimiter` or line feed at or after `start`, or `bytes.count` when there is none.
    @inline(__always)
    static func fieldEnd(_ bytes: Span<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        let count = bytes.count
        var index = start
        if index + wordSize <= count {
            // Safe: a RawSpan view of the same bytes, used only within this call.
            let raw = unsafe bytes.bytes
            let delimiters = UInt64(delimiter) &* ones
            let lineFeeds = UInt64(_CSVTokenizer.lineFeed) &* ones
            repeat {
                let value = word(raw, at: index)
                let hits = zeroBytes(value ^ delimiters) | zeroBytes(value ^ lineFeeds)
                if hits != 0 { return index + hits.trailingZeroBitCount >> 3 }
                index += wordSize
            } while index + wordSize <= count
        }
        while index < count {
            let byte = bytes[index]
            if byte == delimiter || byte == _CSVTokenizer.lineFeed { return index }
            index += 1
        }
        return count
    }

    /// The offset of the first `"` at or after `start`, or `bytes.count` when there is none.
    @inline(__always)
    static func nextQuote(_ bytes: Span<UInt8>, from start: Int) -> Int {
        let count = bytes.count
        var index = start
        if index + wordSize <= count {
            // Safe: a RawSpan view of the same bytes, used only within this call.
            let raw = unsafe bytes.bytes
            let quotes = UInt64(_CSVTokenizer.quote) &* ones
            repeat {
                let hits = zeroBytes(word(raw, at: index) ^ quotes)
                if hits != 0 { return index + hits.trailingZeroBitCount >> 3 }
                index += wordSize
            } while index + wordSize <= count
        }
        while index < count, bytes[index] != _CSVTokenizer.quote { index += 1 }
        return index
    }

    /// A 64-bit hash of `bytes`: one multiply-xorshift round per 8-byte word (the tail zero-padded, the length
    /// mixed in), then the MurmurHash3 finalizer. Not cryptographic; inputs are file contents, and a collision only
    /// costs a comparison.
    static func hash(_ bytes: Span<UInt8>) -> UInt64 {
        let count = bytes.count
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash = UInt64(truncatingIfNeeded: count) &* multiplier
        var index = 0
        if count >= wordSize {
            // Safe: a RawSpan view of the same bytes, used only within this call.
            let raw = unsafe bytes.bytes
            while index + wordSize <= count {
                hash = (hash ^ word(raw, at: index)) &* multiplier
                hash ^= hash >> 29
                index += wordSize
            }
        }
        if index < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            hash = (hash ^ tail) &* multiplier
            hash ^= hash >> 29
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// Whether `left` and `right` hold the same bytes.
    static func equal(_ left: Span<UInt8>, _ right: Span<UInt8>) -> Bool {
        let count = left.count
        guard right.count == count else { return false }
        var index = 0
        if count >= wordSize {
            // Safe: RawSpan views of the same bytes, used only within this call.
            let leftRaw = unsafe left.bytes
            let rightRaw = unsafe right.bytes
            while index + wordSize <= count {
                if word(leftRaw, at: index) != word(rightRaw, at: index) { return false }
                index += wordSize
            }
        }
        while index < count {
            if left[index] != right[index] { return false }
            index += 1
        }
        return true
    }
}

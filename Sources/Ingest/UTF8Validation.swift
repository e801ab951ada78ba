/// UTF-8 well-formedness, checked without the generic machinery of `String(validating:as:)` (which costs about a
/// thousand instructions per string, a lot for columns with millions of distinct values).
enum _UTF8Validation {
    private static let asciiMask: UInt64 = 0x8080_8080_8080_8080

    /// Whether `bytes` is well-formed UTF-8: the byte sequences of The Unicode Standard, Table 3-7 (no overlong
    /// forms, no surrogates, nothing above U+10FFFF).
    ///
    /// - Complexity: O(n); ASCII runs are checked 8 bytes at a time.
    static func isValid(_ bytes: Span<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        // Safe: a RawSpan view of the same bytes, used only within this call.
        let raw = unsafe bytes.bytes
        while index < count {
            if index + 8 <= count, _ByteWords.word(raw, at: index) & asciiMask == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80  // the allowed range of the second byte
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}

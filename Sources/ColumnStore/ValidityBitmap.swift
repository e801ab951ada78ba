/// Which values of a column are present, one bit per row, least significant bit first,
/// in 64-bit words (the Arrow layout, widened to words so kernels test 64 rows at once).
///
/// ```
/// word 0: bit 0 = row 0 ... bit 63 = row 63 | word 1: row 64 ... | ...
/// ```
/// Bits past `count` in the last word are zero.
public struct ValidityBitmap: Sendable, Equatable {
    /// The words, `(count + 63) / 64` of them.
    public private(set) var words: [UInt64]
    /// The number of rows covered.
    public let count: Int

    /// A bitmap of `count` rows, all valid or all missing.
    public init(count: Int, allValid: Bool) {
        precondition(count >= 0, "negative row count")
        self.count = count
        let wordCount = (count + 63) / 64
        if allValid {
            words = [UInt64](repeating: ~0, count: wordCount)
            let tail = count % 64
            if tail != 0 { words[wordCount - 1] = (1 << UInt64(tail)) - 1 }
        } else {
            words = [UInt64](repeating: 0, count: wordCount)
        }
    }

    /// A bitmap from its words (least significant bit first, as above); bits past `count` are cleared.
    /// - Precondition: `words.count == (count + 63) / 64`.
    package init(words: [UInt64], count: Int) {
        precondition(count >= 0 && words.count == (count + 63) / 64, "validity word count mismatch")
        self.count = count
        self.words = words
        let tail = count % 64
        if tail != 0 { self.words[words.count - 1] &= (1 << UInt64(tail)) - 1 }
    }

    /// A bitmap from per-row flags.
    public init(_ flags: [Bool]) {
        self.init(count: flags.count, allValid: false)
        for (row, flag) in flags.enumerated() where flag { set(row, true) }
    }

    /// Whether row `row` holds a value. Inlinable: per-row loops in other modules call it.
    @inlinable @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// Marks row `row` valid or missing.
    @inline(__always)
    public mutating func set(_ row: Int, _ valid: Bool) {
        let mask: UInt64 = 1 << UInt64(row & 63)
        if valid { words[row >> 6] |= mask } else { words[row >> 6] &= ~mask }
    }

    /// The number of valid rows.
    public var validCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The number of missing rows.
    public var nullCount: Int { count - validCount }
}

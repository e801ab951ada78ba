/// Bits in 64-bit words with, per word, the set bits in the words before it: the position of the `index`-th set bit
/// is then a binary search over the words and a select within one word. The occupied slots of ``_GridSlots``, the
/// kept rows of ``KeptRows``.
struct _SetBitIndex: Sendable {
    /// Bit `i % 64` of word `i / 64` is bit `i`.
    let words: [UInt64]
    /// Per word, the set bits in the words before it; then the total.
    private let before: [Int]

    init(words: [UInt64]) {
        var before = [Int](repeating: 0, count: words.count + 1)
        for index in words.indices { before[index + 1] = before[index] + words[index].nonzeroBitCount }
        self.words = words
        self.before = before
    }

    /// The number of set bits.
    var setCount: Int { before[words.count] }

    /// The position of the `index`-th set bit (from 0).
    /// - Precondition: `index` in `0..<setCount`.
    func position(ofSetBit index: Int) -> Int {
        precondition(index >= 0 && index < setCount, "set bit out of range")
        // The last word with at most `index` set bits before it holds the bit: every later word has more.
        var lower = 0
        var upper = words.count - 1
        while lower < upper {
            let middle = (lower + upper + 1) >> 1
            if before[middle] <= index { lower = middle } else { upper = middle - 1 }
        }
        var bits = words[lower]
        for _ in 0..<(index - before[lower]) { bits &= bits - 1 }
        return lower * 64 + bits.trailingZeroBitCount
    }
}

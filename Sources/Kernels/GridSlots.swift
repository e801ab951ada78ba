/// The tie groups of a column counted on a decimal grid (``_DecimalGrid``), kept in the grid's slots: a slot per step
/// of the grid, empty where no row holds that step's value. ``ValueCounts`` reads them in place, so no sorted list of
/// the values is written beside the grid (at 1M distinct values, 16 MB more a worker while it was written).
///
/// Slots ascend with their values, so walking the occupied slots walks the values in order. The `index`-th value
/// is found through a bit per slot and, per 64 slots, the number of occupied slots before them.
struct _GridSlots: Sendable {
    /// Per slot: its rows in the low 32 bits, its positive rows in the high 32 bits; 0 when empty.
    let sums: [UInt64]
    /// 10ᵏ of the grid.
    let scale: Double
    /// The step of slot 0, a whole number.
    let low: Double
    /// A set bit per occupied slot.
    private let occupied: _SetBitIndex
    /// Rows counted.
    let count: Int
    /// Positive rows counted.
    let positives: Int

    /// - Precondition: fewer than 2³² rows in all.
    init(sums: [UInt64], scale: Double, low: Double) {
        var occupied = [UInt64](repeating: 0, count: (sums.count + 63) / 64)
        var count = 0
        var positives = 0
        for word in occupied.indices {
            var bits: UInt64 = 0
            for slot in word * 64..<min(word * 64 + 64, sums.count) {
                let sum = sums[slot]
                count += Int(sum & 0xFFFF_FFFF)
                positives += Int(sum >> 32)
                bits |= (sum != 0 ? 1 : 0) << UInt64(slot & 63)
            }
            occupied[word] = bits
        }
        self.sums = sums
        self.scale = scale
        self.low = low
        self.occupied = _SetBitIndex(words: occupied)
        self.count = count
        self.positives = positives
    }

    /// How many slots are occupied: the distinct values.
    var groupCount: Int { occupied.setCount }

    /// The order key of the value of `slot` (``OrderStatistics/orderKey(_:)``), as the grid divides it back.
    @inline(__always)
    func key(ofSlot slot: Int) -> UInt64 { OrderStatistics.orderKey((low + Double(slot)) / scale) }

    /// The slot of the `index`-th smallest value: a binary search of the words, then the bit within the word.
    /// - Precondition: `index` in `0..<groupCount`.
    func slot(ofGroup index: Int) -> Int { occupied.position(ofSetBit: index) }

    /// Calls `body` with each occupied slot's order key and sum, in ascending order.
    @inline(__always)
    func forEachGroup(_ body: (_ key: UInt64, _ sum: UInt64) -> Void) {
        for word in occupied.words.indices {
            var bits = occupied.words[word]
            while bits != 0 {
                let slot = word * 64 + bits.trailingZeroBitCount
                body(key(ofSlot: slot), sums[slot])
                bits &= bits - 1
            }
        }
    }
}

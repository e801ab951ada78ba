/// An insertion-ordered set of byte strings, numbered 0, 1, 2, … in first-seen order: the dictionary of a string
/// column while it is being built, before its entries are validated and turned into `String`s.
///
/// ```
/// bytes:  [S t a t e - g o v P r i v a t e …]       every distinct string once, back to back
/// ends:   [9, 16, …]                                entry i = bytes[ends[i-1] ..< ends[i]]  (ends[-1] = 0)
/// slots:  open addressing, linear probing, 16 bytes each, key 0 = empty:
///         key     = hash bits (high 24) | length (8 bits, 255 = 255 or more) | entry + 1 (low 32)
///         payload = the string itself, zero-padded, when it has at most 8 bytes; else its start in `bytes`
/// ```
/// A lookup of a short string (most categories and codes) touches one slot; a longer one touches the slot and
/// the candidate's bytes. The key's hash and length bits reject almost every other string before any comparison.
/// Memory is proportional to the distinct strings, not to the rows.
struct _ByteStringTable: Sendable {
    private struct Slot: Sendable {
        var key: UInt64
        var payload: UInt64
    }

    /// The distinct strings' bytes, concatenated.
    private(set) var bytes: [UInt8] = []
    /// Where each entry ends in `bytes`.
    private(set) var ends: [Int] = []
    /// Each entry's first occurrence as a file byte offset (for error messages).
    private(set) var firstOffsets: [Int] = []
    private var slots: [Slot]
    private var slotMask: Int

    private static let initialSlots = 64  // a power of two
    /// The table grows when more than half of its slots are used.
    private static let maximumLoadDivisor = 2
    private static let entryBits: UInt64 = 32
    private static let lengthMask: UInt64 = 0xFF
    /// Hash bits kept in the key, above the length and entry bits.
    private static let tagMask: UInt64 = ~((1 << 40) - 1)
    private static let inlineLength = 8
    /// Codes are `UInt32`, and keys keep entry + 1 in 32 bits.
    static let maximumCount = Int(UInt32.max) - 1

    init() {
        slots = Array(repeating: Slot(key: 0, payload: 0), count: Self.initialSlots)
        slotMask = Self.initialSlots - 1
    }

    /// The number of distinct strings.
    var count: Int { ends.count }

    /// The byte range of entry `entry` in `bytes`.
    func range(of entry: Int) -> Range<Int> {
        (entry == 0 ? 0 : ends[entry - 1])..<ends[entry]
    }

    /// The code of `text`, adding it (with `offset`, the file offset of this first occurrence) when it is new.
    ///
    /// - Precondition: fewer than `maximumCount` distinct strings.
    /// - Complexity: O(n) in the length of `text`, amortized.
    @inline(__always)
    mutating func code(of text: Span<UInt8>, offset: Int) -> UInt32 {
        let (slot, probe) = find(text)
        if let slot { return slot }
        let start = bytes.count
        for index in text.indices { bytes.append(text[index]) }
        return insert(probe, text: text, start: start, offset: offset)
    }

    /// The code of entry `entry` of `other`, adding it when it is new; merges chunks' tables in chunk order.
    mutating func code(ofEntry entry: Int, in other: _ByteStringTable) -> UInt32 {
        let source = other.range(of: entry)
        let otherBytes = other.bytes.span
        let text = otherBytes.extracting(source)
        let (slot, probe) = find(text)
        if let slot { return slot }
        let start = bytes.count
        bytes.append(contentsOf: other.bytes[source])
        return insert(probe, text: text, start: start, offset: other.firstOffsets[entry])
    }

    /// Where the search for a string ended: its key bits and the empty slot it would take.
    private struct Probe {
        var keyBits: UInt64
        var slot: Int
    }

    /// The code of `text` if present, else where to insert it.
    @inline(__always)
    private func find(_ text: Span<UInt8>) -> (UInt32?, Probe) {
        let hash = _ByteWords.hash(text)
        let keyBits = Self.keyBits(hash: hash, length: text.count)
        let short = text.count <= Self.inlineLength ? Self.shortWord(text) : nil
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let stored = slots[slot]
            if stored.key == 0 { return (nil, Probe(keyBits: keyBits, slot: slot)) }
            if stored.key & ~Self.entryMask == keyBits {
                let matched: Bool
                if let short {
                    matched = stored.payload == short
                } else {
                    matched = matchesLong(stored, text)
                }
                if matched {
                    return (
                        UInt32(truncatingIfNeeded: (stored.key & Self.entryMask) &- 1), Probe(keyBits: 0, slot: slot)
                    )
                }
            }
            slot = (slot + 1) & slotMask
        }
    }

    private static let entryMask: UInt64 = (1 << entryBits) - 1

    private static func keyBits(hash: UInt64, length: Int) -> UInt64 {
        (hash & tagMask) | (UInt64(min(length, Int(lengthMask))) << entryBits)
    }

    /// A string of at most 8 bytes as a zero-padded little-endian word.
    @inline(__always)
    private static func shortWord(_ text: Span<UInt8>) -> UInt64 {
        var word: UInt64 = 0
        var shift: UInt64 = 0
        for index in text.indices {
            word |= UInt64(text[index]) << shift
            shift += 8
        }
        return word
    }

    private func matchesLong(_ slot: Slot, _ text: Span<UInt8>) -> Bool {
        let entry = Int(truncatingIfNeeded: slot.key & Self.entryMask) - 1
        let stored = range(of: entry)
        guard stored.count == text.count else { return false }
        let arena = bytes.span
        return _ByteWords.equal(arena.extracting(stored), text)
    }

    private mutating func insert(_ probe: Probe, text: Span<UInt8>, start: Int, offset: Int) -> UInt32 {
        let entry = count
        precondition(entry < Self.maximumCount, "more distinct strings than UInt32 codes")
        ends.append(bytes.count)
        firstOffsets.append(offset)
        let payload = text.count <= Self.inlineLength ? Self.shortWord(text) : UInt64(start)
        slots[probe.slot] = Slot(key: probe.keyBits | UInt64(entry + 1), payload: payload)
        if count * Self.maximumLoadDivisor > slots.count { grow() }
        return UInt32(truncatingIfNeeded: entry)
    }

    /// Doubles the slots, rehashing every entry from its bytes.
    private mutating func grow() {
        let grown = rehashed(capacity: slots.count * 2)
        slots = grown
        slotMask = grown.count - 1
    }

    private func rehashed(capacity: Int) -> [Slot] {
        let mask = capacity - 1
        var grown = Array(repeating: Slot(key: 0, payload: 0), count: capacity)
        let arena = bytes.span
        for stored in slots where stored.key != 0 {
            let entry = Int(truncatingIfNeeded: stored.key & Self.entryMask) - 1
            var slot = Int(truncatingIfNeeded: _ByteWords.hash(arena.extracting(range(of: entry)))) & mask
            while grown[slot].key != 0 { slot = (slot + 1) & mask }
            grown[slot] = stored
        }
        return grown
    }
}

import ColumnStore

/// The rows an analysis keeps (a row without a label or a prediction is left out), and the way from a kept row's
/// index to its row in the column: the codes of the kept rows can then be written again from the mapped column
/// (``CodeRecipe/compacted(to:)``) instead of being held compacted, a byte or two per row per column.
///
/// Beside the flags (a byte a row, shared with the caller's), the index is a bitmap of them and the kept rows before
/// each 64-row word (2 bits a row, ``_SetBitIndex``): a kept row's column row is a binary search over the words,
/// then a select within one word.
public final class KeptRows: Sendable {
    /// One flag per row of the column: whether the row is kept.
    public let flags: [Bool]
    private let keptBits: _SetBitIndex

    public init(_ flags: [Bool]) {
        self.flags = flags
        var words = [UInt64](repeating: 0, count: (flags.count + 63) / 64)
        for row in flags.indices where flags[row] { words[row >> 6] |= 1 << UInt64(row & 63) }
        keptBits = _SetBitIndex(words: words)
    }

    /// The number of kept rows.
    public var keptCount: Int { keptBits.setCount }

    /// The number of rows of the column.
    public var count: Int { flags.count }

    /// The column's row of the kept row `index` (the index-th kept row, from 0).
    public func row(ofKept index: Int) -> Int {
        precondition(index >= 0 && index < keptCount, "kept row out of range")
        return keptBits.position(ofSetBit: index)
    }

    /// The column's rows from the first of the kept rows `kept` to the last: every row between them, kept or not.
    public func rows(ofKept kept: Range<Int>) -> Range<Int> {
        precondition(kept.lowerBound >= 0 && kept.upperBound <= keptCount, "kept rows out of range")
        guard let last = kept.last else {
            let at = kept.lowerBound < keptCount ? row(ofKept: kept.lowerBound) : count
            return at..<at
        }
        return row(ofKept: kept.lowerBound)..<(row(ofKept: last) + 1)
    }

    /// The rows both kept and valid in `validity` (all rows when nil): the validity of a column whose left-out
    /// rows read as missing.
    public func validity(and validity: ValidityBitmap?) -> ValidityBitmap {
        precondition(validity.map { $0.count == count } ?? true, "validity length mismatch")
        var both = keptBits.words
        if let validity { for index in both.indices { both[index] &= validity.word(index) } }
        return ValidityBitmap(words: both, count: count)
    }

    /// The codes of the kept rows among `codes`, the codes of the column's rows `rows`.
    public func keptCodes(_ codes: BinCodes, rows: Range<Int>) -> BinCodes {
        precondition(codes.count == rows.count && rows.upperBound <= count, "a code per row")
        func kept<Code>(_ codes: [Code]) -> [Code] {
            var result: [Code] = []
            result.reserveCapacity(codes.count)
            for (offset, row) in rows.enumerated() where flags[row] { result.append(codes[offset]) }
            return result
        }
        switch codes.storage {
        case .narrow(let codes): return BinCodes(kept(codes))
        case .wide(let codes): return BinCodes(kept(codes))
        case .remade: return keptCodes(codes.materialized(), rows: rows)
        }
    }
}

extension CodeRecipe {
    /// This recipe's codes of `kept`'s rows only, in their order: the codes of a column whose left-out rows are
    /// compacted away, still written again from the column (each block of kept rows from the column's rows it
    /// spans), so that they need not be held.
    /// - Precondition: the recipe writes a code per row of the column (`kept.count` of them), remembering none.
    public func compacted(to kept: KeptRows) -> CodeRecipe {
        precondition(kept.count == count, "one keep flag per row of the column")
        let whole = self
        let one: @Sendable (Int) -> UInt16 = { whole.code(kept.row(ofKept: $0)) }
        let all: @Sendable () -> BinCodes = { kept.keptCodes(whole.all(), rows: 0..<kept.count) }
        guard writesBlocks else { return CodeRecipe(count: kept.keptCount, isNarrow: isNarrow, all: all, one: one) }
        let block: @Sendable (Range<Int>) -> BinCodes = { keptRows in
            let rows = kept.rows(ofKept: keptRows)
            return kept.keptCodes(whole.codes(rows: rows), rows: rows)
        }
        return CodeRecipe(count: kept.keptCount, isNarrow: isNarrow, all: all, block: block, one: one)
    }
}

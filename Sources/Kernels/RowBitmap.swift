/// Row bitmaps of many columns: for each column, one bit per row (1 = the row belongs to the column), least
/// significant bit first in 64-bit words, the columns one after another in one 64-byte-aligned allocation.
///
/// ```
/// column 0: [ w0 | w1 | ... | w(W-1) | 0 ... ]   W = ceil(rows / 64) words, padded with zero words to `stride`
/// column 1: [ w0 | w1 | ... ]                     stride = W rounded up to a multiple of 8 words (64 bytes)
/// ...
/// word w, bit b = row 64·w + b;  bits past `rowCount` are zero
/// ```
///
/// Every column starts on a 64-byte boundary, so kernels may load `SIMD8<UInt64>` vectors at any multiple of 8
/// words. The bitmaps are immutable once built; ``BitmapIntersection`` counts the rows of intersections of them.
public struct RowBitmaps: Sendable {
    /// Words per column are a multiple of this (8 words = 64 bytes).
    public static let wordAlignment = 8

    /// The number of rows every column covers.
    public let rowCount: Int
    /// The number of columns.
    public let columnCount: Int
    /// Words from the start of one column to the start of the next (a multiple of ``wordAlignment``).
    public let stride: Int
    let storage: _RowBitmapStorage

    /// The number of meaningful words per column, `ceil(rowCount / 64)`.
    public var wordCount: Int { (rowCount + 63) / 64 }

    /// Bitmaps of the given size, all zero, or (`zeroed: false`) for a builder that writes every word.
    private init(rowCount: Int, columnCount: Int, zeroed: Bool = true) {
        precondition(rowCount >= 0 && columnCount >= 0, "negative bitmap size")
        self.rowCount = rowCount
        self.columnCount = columnCount
        let words = (rowCount + 63) / 64
        stride = (words + Self.wordAlignment - 1) / Self.wordAlignment * Self.wordAlignment
        storage = _RowBitmapStorage(wordCount: stride * columnCount, zeroed: zeroed)
    }

    /// One-hot bitmaps of coded features: feature `f`'s code `c` at row `r` sets the bit of row `position(r)` in
    /// column `columnOf[f][c]` (codes mapped to -1 get no column).
    ///
    /// Each feature is built 64 rows at a time: the rows' bits are gathered per code in a small array, then each
    /// column's word is stored once, so columns are written sequentially and never read back.
    ///
    /// - Parameters:
    ///   - codes: one code array per feature, all of the same length (the rows).
    ///   - columnOf: per feature, the column of each code (`-1`: none); every column in `0..<columnCount` must be
    ///     the target of exactly one (feature, code), and every code must be below `columnOf[f].count`.
    ///   - columnCount: the number of columns.
    ///   - rowOrder: `rowOrder[p]` is the row stored at bit position `p` (a permutation of the rows); `nil` keeps
    ///     rows in order.
    ///   - threads: worker threads; features are built in parallel (each writes only its own columns).
    /// - Complexity: O(rows · features + columns · rows / 64) operations.
    public static func oneHot(
        codes: [[UInt16]], columnOf: [[Int32]], columnCount: Int, rowOrder: [Int32]?, threads: Int
    ) -> RowBitmaps {
        oneHot(
            codes: codes.map(BinCodes.init), columnOf: columnOf, columnCount: columnCount, rowOrder: rowOrder,
            threads: threads)
    }

    /// ``oneHot(codes:columnOf:columnCount:rowOrder:threads:)`` for codes at their stored width.
    public static func oneHot(
        codes: [BinCodes], columnOf: [[Int32]], columnCount: Int, rowOrder: [Int32]?, threads: Int
    ) -> RowBitmaps {
        precondition(codes.count == columnOf.count, "one column map per feature")
        let rows = codes.first?.count ?? (rowOrder?.count ?? 0)
        precondition(codes.allSatisfy { $0.count == rows }, "features differ in length")
        precondition(rowOrder.map { $0.count == rows } ?? true, "row order length mismatch")
        precondition(rowOrder.map { $0.allSatisfy { $0 >= 0 && Int($0) < rows } } ?? true, "row order out of range")
        var targets = [Int](repeating: 0, count: columnCount)
        for map in columnOf {
            for column in map where column >= 0 {
                precondition(Int(column) < columnCount, "column out of range")
                targets[Int(column)] += 1
            }
        }
        precondition(targets.allSatisfy { $0 == 1 }, "every column needs exactly one (feature, code)")
        let bitmaps = RowBitmaps(rowCount: rows, columnCount: columnCount, zeroed: false)
        let identity = rowOrder == nil ? (0..<rows).map { Int32($0) } : []
        let order = rowOrder ?? identity
        _ = Parallel.map(count: codes.count, threads: threads) { feature -> Int in
            let map = columnOf[feature]
            let stored = (0..<map.count).filter { map[$0] >= 0 }
            guard !stored.isEmpty else { return 0 }
            // Codes not kept are written here, by the feature's worker, and let go after.
            switch codes[feature].materialized().storage {
            case .narrow(let narrow):
                fillColumns(narrow, map: map, stored: stored, order: order, rows: rows, bitmaps: bitmaps)
            case .wide(let wide):
                fillColumns(wide, map: map, stored: stored, order: order, rows: rows, bitmaps: bitmaps)
            case .remade: preconditionFailure("materialized codes are kept")
            }
            return stored.count
        }
        return bitmaps
    }

    /// Writes the columns of one feature (`map[code]`, for the codes in `stored`) over every word of rows.
    private static func fillColumns<Code: FixedWidthInteger & UnsignedInteger>(
        _ featureCodes: [Code], map: [Int32], stored: [Int], order: [Int32], rows: Int, bitmaps: RowBitmaps
    ) {
        let stride = bitmaps.stride
        let wordCount = bitmaps.wordCount
        let domain = map.count
        precondition(featureCodes.allSatisfy { Int($0) < domain }, "a code without a column entry")
        // Bits of consecutive rows go to `lanes` separate words per code, so rows with the same code do not wait
        // on each other's read-modify-write; the lanes are ORed when the word is stored.
        let lanes = 4
        var local = [UInt64](repeating: 0, count: domain * lanes)
        unsafe bitmaps.storage.withMutableWords { words in
            unsafe featureCodes.withUnsafeBufferPointer { codeBuffer in
                unsafe order.withUnsafeBufferPointer { orderBuffer in
                    unsafe local.withUnsafeMutableBufferPointer { bits in
                        for wordIndex in 0..<wordCount {
                            let first = wordIndex << 6
                            for position in first..<min(first + 64, rows) {
                                // Safe: position < rows == orderBuffer.count; the order holds rows < rows, and
                                // every code is < domain, so the slot is < bits.count.
                                let row = Int(unsafe orderBuffer[position])
                                let slot = Int(unsafe codeBuffer[row]) * lanes + position & (lanes - 1)
                                unsafe bits[slot] |= 1 << UInt64(position & 63)
                            }
                            for code in stored {
                                let base = code * lanes
                                // Safe: base + 3 < bits.count; the column is < columnCount and
                                // wordIndex < wordCount <= stride.
                                unsafe words[Int(map[code]) * stride + wordIndex] =
                                    unsafe bits[base] | bits[base + 1] | bits[base + 2] | bits[base + 3]
                            }
                            unsafe bits.update(repeating: 0)
                        }
                    }
                }
            }
            // The padding words of this feature's columns.
            for code in stored {
                // Safe: the range lies inside column map[code].
                unsafe (words + Int(map[code]) * stride + wordCount).initialize(
                    repeating: 0, count: stride - wordCount)
            }
        }
    }

    /// Bitmaps from explicit member lists: column `c` holds the rows in `members[c]` (any order, duplicates
    /// allowed). For tests and small inputs.
    /// - Precondition: every row is in `0..<rowCount`.
    public static func fromMembers(_ members: [[Int]], rowCount: Int) -> RowBitmaps {
        let bitmaps = RowBitmaps(rowCount: rowCount, columnCount: members.count)
        let stride = bitmaps.stride
        unsafe bitmaps.storage.withMutableWords { words in
            for (column, rows) in members.enumerated() {
                for row in rows {
                    precondition(row >= 0 && row < rowCount, "row \(row) out of range")
                    // Safe: column < columnCount and row < rowCount, so the word lies inside the column.
                    unsafe words[column * stride + row >> 6] |= 1 << UInt64(row & 63)
                }
            }
        }
        return bitmaps
    }

    /// Whether `row` belongs to `column`.
    /// - Precondition: `row < rowCount`, `column < columnCount`.
    public func contains(row: Int, column: Int) -> Bool {
        precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount, "bitmap index out of range")
        return unsafe storage.withWords { words in
            // Safe: both indices were checked against the bitmap's size.
            unsafe words[column * stride + row >> 6] & (1 << UInt64(row & 63)) != 0
        }
    }

    /// The meaningful words of `column` (without padding), copied out. For tests.
    public func words(ofColumn column: Int) -> [UInt64] {
        precondition(column >= 0 && column < columnCount, "column out of range")
        return unsafe storage.withWords { words in
            // Safe: the column's words lie in [column · stride, column · stride + wordCount).
            (0..<wordCount).map { unsafe words[column * stride + $0] }
        }
    }

    /// Calls `body` with the words of every column (`columnCount · stride` of them). The pointer must not escape.
    func withWords<Result>(_ body: (UnsafePointer<UInt64>) -> Result) -> Result {
        unsafe storage.withWords(body)
    }
}

/// The one owner of a bitmap allocation: zeroed, 64-byte aligned, freed in `deinit`.
@safe final class _RowBitmapStorage: @unchecked Sendable {
    // @unchecked Sendable: the words are written only while the bitmaps are built (each feature by one worker, into
    // disjoint columns), before the value is shared; afterwards they are only read.
    private let base: UnsafeMutablePointer<UInt64>
    let wordCount: Int

    /// - Parameter zeroed: whether to zero the words; without, the owner must write every word before any is read
    ///   (`UInt64` is trivial, so writing uninitialized words is allowed).
    init(wordCount: Int, zeroed: Bool) {
        self.wordCount = wordCount
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(1, wordCount) * MemoryLayout<UInt64>.stride, alignment: 64)
        unsafe base = unsafe raw.bindMemory(to: UInt64.self, capacity: max(1, wordCount))
        if zeroed { unsafe base.initialize(repeating: 0, count: max(1, wordCount)) }
    }

    deinit {
        // Safe: this object allocated the memory and is its only owner; pointers never escape the closures below.
        unsafe base.deallocate()
    }

    func withWords<Result>(_ body: (UnsafePointer<UInt64>) -> Result) -> Result {
        unsafe body(UnsafePointer(base))
    }

    func withMutableWords<Result>(_ body: (UnsafeMutablePointer<UInt64>) -> Result) -> Result {
        unsafe body(base)
    }
}

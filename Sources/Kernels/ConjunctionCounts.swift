/// Rows and failures per group of the rows matching conjunctions of `code == c` conditions: the series of slices
/// over the time column.
///
/// A conjunction is a list of ``Condition``s, each a feature's per-row codes and the code the row must have; an
/// empty conjunction matches every row. For each conjunction the kernel counts, per group (the time column's
/// code), the matching rows and their failures (`failure != 0`).
///
/// - **Row masks, then a selection vector.** Rows are walked in blocks of ``selectionRows``. Each condition ANDs
///   its matches into one bit per row of the block (64 rows per word, compared without branches, words already
///   empty skipped), so later conditions cost little once the first is selective. The surviving rows' offsets are
///   then listed in order and counted eight at a time, all eight loaded before any counter is updated, with one
///   packed increment each (rows in the low 32 bits, failures in the high 32 bits, as in ``GroupBy``) spread over
///   lanes as in ``PeriodCounts``. (On the 2-core development machine, a loop whose stores go to places that depend
///   on what it just loaded, such as a compaction by a running count, ran several times slower: loads wait on the
///   earlier stores.)
/// - **Parallel over conjunctions and row segments** (``PeriodCounts/segmentRanges(rowCount:items:threads:)``),
///   merged in row order; the counts are integers, identical whatever the thread count.
public enum ConjunctionCounts {
    /// Rows must have `code` in `codes`.
    public struct Condition: Sendable {
        /// The code of each row.
        public var codes: BinCodes
        /// The code a matching row has.
        public var code: UInt16

        public init(codes: BinCodes, code: UInt16) {
            self.codes = codes
            self.code = code
        }

        /// A condition on two-byte codes.
        public init(codes: [UInt16], code: UInt16) {
            self.init(codes: BinCodes(codes), code: code)
        }
    }

    /// Rows per selection block; below 2^16, so a block offset fits a `UInt16`.
    static let selectionRows = 4096

    /// The rows and failures per group of every conjunction.
    /// - Parameters:
    ///   - conjunctions: the conditions of each conjunction (all must hold; none: every row).
    ///   - groups: the group of each row, below `groupCount`.
    ///   - groupCount: the number of groups, at least 1.
    ///   - failure: the failure flag of each row (counted when non-zero).
    ///   - threads: worker threads (at least 1); the result does not depend on it.
    /// - Precondition: every condition's codes, `groups` and `failure` have the same length.
    /// - Complexity: O(conjunctions · rows · conditions) in the worst case; a condition reads only the rows the
    ///   ones before it kept.
    public static func count(
        _ conjunctions: [[Condition]], groups: [UInt16], groupCount: Int, failure: [UInt8], threads: Int
    ) -> [(trials: [Int], failures: [Int])] {
        count(conjunctions, groups: BinCodes(groups), groupCount: groupCount, failure: failure, threads: threads)
    }

    /// ``count(_:groups:groupCount:failure:threads:)`` for groups at their stored width.
    public static func count(
        _ conjunctions: [[Condition]], groups: BinCodes, groupCount: Int, failure: [UInt8], threads: Int
    ) -> [(trials: [Int], failures: [Int])] {
        precondition(groups.count == failure.count, "groups and outcomes differ in length")
        precondition(groupCount > 0 && groupCount <= Int(UInt16.max) + 1, "group count out of range")
        for conditions in conjunctions {
            for condition in conditions {
                precondition(condition.codes.count == failure.count, "feature codes and outcomes differ in length")
            }
        }
        guard !conjunctions.isEmpty else { return [] }
        // Codes not kept are written once for the whole count, not per segment.
        let groups = groups.materialized()
        // A feature in several conjunctions (a slice series per hotspot) is written once.
        let written = BinCodes.materializedOnce(conjunctions.flatMap { $0.map(\.codes) })
        var next = 0
        let conjunctions = conjunctions.map { conditions in
            conditions.map { condition in
                defer { next += 1 }
                return Condition(codes: written[next], code: condition.code)
            }
        }
        let segments = PeriodCounts.segmentRanges(rowCount: groups.count, items: conjunctions.count, threads: threads)
        let packed = Parallel.map(count: conjunctions.count * segments.count, threads: threads) { item in
            switch groups.storage {
            case .narrow(let narrow):
                countSegment(
                    conjunctions[item / segments.count], groups: narrow, groupCount: groupCount, failure: failure,
                    rows: segments[item % segments.count])
            case .wide(let wide):
                countSegment(
                    conjunctions[item / segments.count], groups: wide, groupCount: groupCount, failure: failure,
                    rows: segments[item % segments.count])
            case .remade: preconditionFailure("codes written above")
            }
        }
        return conjunctions.indices.map { conjunction in
            var trials = [Int](repeating: 0, count: groupCount)
            var failures = [Int](repeating: 0, count: groupCount)
            for segment in segments.indices {
                let counters = packed[conjunction * segments.count + segment]
                for group in 0..<groupCount {
                    trials[group] += Int(counters[group] & 0xFFFF_FFFF)
                    failures[group] += Int(counters[group] >> 32)
                }
            }
            return (trials, failures)
        }
    }

    /// The packed counters per group of one conjunction over `rows` (fewer than 2^32).
    static func countSegment<Group: FixedWidthInteger & UnsignedInteger>(
        _ conditions: [Condition], groups: [Group], groupCount: Int, failure: [UInt8], rows: Range<Int>
    ) -> [UInt64] {
        precondition(rows.count <= PeriodCounts.maximumSegmentRows, "segment too long for packed counters")
        precondition(rows.upperBound <= groups.count && groups.count == failure.count, "rows out of range")
        precondition(conditions.allSatisfy { $0.codes.count == groups.count }, "codes and groups differ in length")
        // Survivors are counted in lanes, as in `PeriodCounts`: the time column often comes in runs of one group.
        let laneCount = PeriodCounts.laneCount(counters: groupCount)
        let lane1 = laneCount > 1 ? groupCount : 0
        let lane2 = 2 &* lane1
        let lane3 = 3 &* lane1
        var packed = [UInt64](repeating: 0, count: groupCount * laneCount)
        var selection = [UInt16](repeating: 0, count: selectionRows)
        var masks = [UInt64](repeating: 0, count: selectionRows / 64)
        unsafe selection.withUnsafeMutableBufferPointer { selected in
            for start in stride(from: rows.lowerBound, to: rows.upperBound, by: selectionRows) {
                let blockRows = min(selectionRows, rows.upperBound - start)
                let wordCount = (blockRows + 63) / 64
                // The block's rows that meet every condition, one bit per row (bit i of word w: row 64w + i).
                for word in 0..<wordCount {
                    let width = min(64, blockRows - word * 64)
                    masks[word] = width == 64 ? ~0 : (1 << UInt64(width)) - 1
                }
                for condition in conditions {
                    switch condition.codes.storage {
                    case .narrow(let codes):
                        keepMatches(codes, wanted: condition.code, start: start, blockRows: blockRows, in: &masks)
                    case .wide(let codes):
                        keepMatches(codes, wanted: condition.code, start: start, blockRows: blockRows, in: &masks)
                    case .remade: preconditionFailure("codes written by the caller")
                    }
                }
                // The survivors' offsets, in row order. The stores go to consecutive places (not to places that
                // depend on loaded codes), so the loads that follow never wait on them.
                var kept = 0
                for word in 0..<wordCount {
                    var bits = masks[word]
                    while bits != 0 {
                        // Safe: kept counts set bits of rows < blockRows <= selectionRows == selected.count.
                        unsafe selected[kept] = UInt16(truncatingIfNeeded: word &* 64 &+ bits.trailingZeroBitCount)
                        kept &+= 1
                        bits &= bits &- 1
                    }
                }
                guard kept > 0 else { continue }
                unsafe groups.withUnsafeBufferPointer { groupBuffer in
                    unsafe failure.withUnsafeBufferPointer { failureBuffer in
                        unsafe packed.withUnsafeMutableBufferPointer { counters in
                            var position = 0
                            // Eight survivors at a time, all loaded before any counter is updated (see
                            // `PeriodCounts.countSegment`).
                            while kept &- position >= 8 {
                                // Safe: position + 7 < kept, and the offsets are < blockRows, so every row is
                                // < rows.upperBound <= groups.count == failure.count.
                                let r0 = start &+ Int(unsafe selected[position])
                                let r1 = start &+ Int(unsafe selected[position &+ 1])
                                let r2 = start &+ Int(unsafe selected[position &+ 2])
                                let r3 = start &+ Int(unsafe selected[position &+ 3])
                                let r4 = start &+ Int(unsafe selected[position &+ 4])
                                let r5 = start &+ Int(unsafe selected[position &+ 5])
                                let r6 = start &+ Int(unsafe selected[position &+ 6])
                                let r7 = start &+ Int(unsafe selected[position &+ 7])
                                let g0 = Int(unsafe groupBuffer[r0]), g1 = Int(unsafe groupBuffer[r1])
                                let g2 = Int(unsafe groupBuffer[r2]), g3 = Int(unsafe groupBuffer[r3])
                                let g4 = Int(unsafe groupBuffer[r4]), g5 = Int(unsafe groupBuffer[r5])
                                let g6 = Int(unsafe groupBuffer[r6]), g7 = Int(unsafe groupBuffer[r7])
                                let f0 = unsafe failureBuffer[r0], f1 = unsafe failureBuffer[r1]
                                let f2 = unsafe failureBuffer[r2], f3 = unsafe failureBuffer[r3]
                                let f4 = unsafe failureBuffer[r4], f5 = unsafe failureBuffer[r5]
                                let f6 = unsafe failureBuffer[r6], f7 = unsafe failureBuffer[r7]
                                precondition(
                                    max(max(max(g0, g1), max(g2, g3)), max(max(g4, g5), max(g6, g7))) < groupCount,
                                    "group out of range")
                                // Safe: every group is < groupCount, so each index is < lane3 + groupCount <=
                                // counters.count.
                                unsafe counters[g0] &+= increment(f0)
                                unsafe counters[lane1 &+ g1] &+= increment(f1)
                                unsafe counters[lane2 &+ g2] &+= increment(f2)
                                unsafe counters[lane3 &+ g3] &+= increment(f3)
                                unsafe counters[g4] &+= increment(f4)
                                unsafe counters[lane1 &+ g5] &+= increment(f5)
                                unsafe counters[lane2 &+ g6] &+= increment(f6)
                                unsafe counters[lane3 &+ g7] &+= increment(f7)
                                position &+= 8
                            }
                            while position < kept {
                                // Safe: as above, for one survivor.
                                let row = start &+ Int(unsafe selected[position])
                                let group = Int(unsafe groupBuffer[row])
                                precondition(group < groupCount, "group out of range")
                                unsafe counters[group] &+= increment(unsafe failureBuffer[row])
                                position &+= 1
                            }
                        }
                    }
                }
            }
        }
        PeriodCounts.foldLanes(&packed, counters: groupCount, laneCount: laneCount)
        return packed
    }

    /// Clears the bits of the block's rows (from `start`, `blockRows` of them) whose code is not `wanted`.
    @inline(__always)
    static func keepMatches<Code: FixedWidthInteger & UnsignedInteger>(
        _ codes: [Code], wanted: UInt16, start: Int, blockRows: Int, in masks: inout [UInt64]
    ) {
        precondition(start + blockRows <= codes.count && blockRows <= masks.count * 64, "block out of range")
        // A wanted code past the width matches no row (and must not be truncated into one that does).
        guard let wantedCode = Code(exactly: wanted) else {
            for word in masks.indices { masks[word] = 0 }
            return
        }
        let wordCount = (blockRows + 63) / 64
        unsafe codes.withUnsafeBufferPointer { codeBuffer in
            unsafe masks.withUnsafeMutableBufferPointer { words in
                for word in 0..<wordCount where unsafe words[word] != 0 {
                    // Safe: word < wordCount <= words.count; the word's rows lie in
                    // start + 64 · word ..< start + blockRows <= codes.count.
                    let first = start &+ word &* 64
                    let width = min(64, blockRows &- word &* 64)
                    var bits: UInt64 = 0
                    for bit in 0..<width {
                        // Safe: the row is inside the word's rows. `(x - 1) >> 63` is all ones exactly when x == 0
                        // (x is at most 65,535): a match without a branch, which would be mispredicted on
                        // half-and-half codes.
                        let match = (Int(unsafe codeBuffer[first &+ bit] ^ wantedCode) &- 1) >> 63
                        bits |= UInt64(truncatingIfNeeded: match) & (1 &<< UInt64(bit))
                    }
                    unsafe words[word] &= bits
                }
            }
        }
    }

    /// One row, and one failure if its flag is non-zero, as a packed increment.
    @inline(__always)
    static func increment(_ failure: UInt8) -> UInt64 {
        1 | UInt64(min(failure, 1)) << 32
    }
}

/// Rows and failures per period and code of many coded features: the before/after tables of the time analysis.
///
/// Every row has a *group* (the time column's code); `periodOfGroup` maps each group to a period, 0 (before the
/// split) or 1 (after), or anything else (not counted). For every feature the kernel counts, per period and per
/// code of the feature, the rows and the failures (`failure != 0`).
///
/// - **One pass over the rows for the row tags.** The period and the failure flag of each row are packed once into
///   a byte, `period | failed << 2` (period 2 for rows not counted), shared by all features.
/// - **Per feature, one increment per row.** The counters are packed like ``GroupBy``'s, rows in the low 32 bits
///   and failures in the high 32 bits of a `UInt64`, and indexed by the composite key `period · codes + code`, so
///   uncounted rows land in a third section that is thrown away instead of costing a branch. Rows are taken eight
///   at a time, their tags and codes all loaded before any counter is updated (a row-by-row scatter, whose loads
///   wait on the previous row's store, ran three times slower on the 2-core development machine). Small tables
///   keep ``lanes`` copies of the counters, consecutive rows going to different copies, so runs of equal codes do
///   not wait on each other's read-modify-write.
/// - **Parallel over features and row segments.** Each work item is one feature over one segment of whole
///   ``GroupBy/blockRows``-row blocks (at most ``maximumSegmentRows`` rows, so the packed halves cannot overflow);
///   segments are merged in row order. The counts are integers, so they are identical whatever the thread count.
public enum PeriodCounts {
    /// The counts of one feature: `trials[period][code]` and `failures[period][code]`, period 0 and 1.
    public typealias Table = (trials: [[Int]], failures: [[Int]])

    /// Rows per segment at most: the low 32 bits of a packed counter hold any segment's rows.
    static let maximumSegmentRows = 1 << 31
    /// Tables of at most this many counters (three sections of a feature's codes) are kept in ``lanes`` copies.
    static let maximumLanedCounters = 4096
    /// Copies of a small table's counters.
    static let lanes = 4

    /// The before/after table of every feature.
    /// - Parameters:
    ///   - groups: the group (time code) of each row.
    ///   - periodOfGroup: the period of each group: 0 or 1 counted, any other value not.
    ///   - failure: the failure flag of each row (counted when non-zero).
    ///   - features: the code of each row, per feature.
    ///   - codeCounts: per feature, the number of codes (at least 1); every code is below it.
    ///   - threads: worker threads (at least 1); the result does not depend on it.
    /// - Precondition: all arrays of rows have the same length; every group is below `periodOfGroup.count`.
    /// - Complexity: O(rows · (1 + features) + segments · Σ codeCounts).
    public static func count(
        groups: BinCodes, periodOfGroup: [UInt8], failure: [UInt8], features: [BinCodes], codeCounts: [Int],
        threads: Int
    ) -> [Table] {
        precondition(groups.count == failure.count, "groups and outcomes differ in length")
        precondition(features.count == codeCounts.count, "one code count per feature")
        precondition(features.allSatisfy { $0.count == groups.count }, "feature codes and outcomes differ in length")
        precondition(codeCounts.allSatisfy { $0 > 0 && $0 <= Int(UInt16.max) + 1 }, "code count out of range")
        guard !features.isEmpty else { return [] }
        // Codes not kept are written once for the whole count, not per segment.
        let features = BinCodes.materializedOnce(features)
        let tags = rowTags(groups: groups, periodOfGroup: periodOfGroup, failure: failure, threads: threads)
        let segments = segmentRanges(rowCount: groups.count, items: features.count, threads: threads)
        let packed = Parallel.map(count: features.count * segments.count, threads: threads) { item in
            let feature = item / segments.count
            return countSegment(
                tags: tags, codes: features[feature], codeCount: codeCounts[feature],
                rows: segments[item % segments.count])
        }
        return features.indices.map { feature in
            let codeCount = codeCounts[feature]
            var trials = [[Int]](repeating: [Int](repeating: 0, count: codeCount), count: 2)
            var failures = trials
            for segment in segments.indices {
                let counters = packed[feature * segments.count + segment]
                for period in 0..<2 {
                    for code in 0..<codeCount {
                        let counter = counters[period * codeCount + code]
                        trials[period][code] += Int(counter & 0xFFFF_FFFF)
                        failures[period][code] += Int(counter >> 32)
                    }
                }
            }
            return (trials, failures)
        }
    }

    /// ``count(groups:periodOfGroup:failure:features:codeCounts:threads:)`` for two-byte codes.
    public static func count(
        groups: [UInt16], periodOfGroup: [UInt8], failure: [UInt8], features: [[UInt16]], codeCounts: [Int],
        threads: Int
    ) -> [Table] {
        count(
            groups: BinCodes(groups), periodOfGroup: periodOfGroup, failure: failure,
            features: features.map(BinCodes.init), codeCounts: codeCounts, threads: threads)
    }

    /// `min(period, 2) | (failed ? 4 : 0)` per row, over ``GroupBy/blockRows``-row blocks in parallel.
    static func rowTags(groups: BinCodes, periodOfGroup: [UInt8], failure: [UInt8], threads: Int) -> [UInt8] {
        switch groups.storage {
        case .narrow(let codes):
            rowTags(groups: codes, periodOfGroup: periodOfGroup, failure: failure, threads: threads)
        case .wide(let codes):
            rowTags(groups: codes, periodOfGroup: periodOfGroup, failure: failure, threads: threads)
        case .remade:
            rowTags(groups: groups.materialized(), periodOfGroup: periodOfGroup, failure: failure, threads: threads)
        }
    }

    static func rowTags<Group: FixedWidthInteger & UnsignedInteger>(
        groups: [Group], periodOfGroup: [UInt8], failure: [UInt8], threads: Int
    ) -> [UInt8] {
        // Periods other than 0 and 1 are all "not counted", section 2 of the counters.
        let tagOfGroup = periodOfGroup.map { min($0, 2) }
        let groupCount = tagOfGroup.count
        let rowCount = groups.count
        let blockCount = (rowCount + GroupBy.blockRows - 1) / GroupBy.blockRows
        return unsafe [UInt8](writingCapacity: rowCount) { buffer, initialized in
            let tags = unsafe buffer
            _ = Parallel.map(count: blockCount, threads: threads) { block -> Int in
                let start = block * GroupBy.blockRows
                let end = min(start + GroupBy.blockRows, rowCount)
                unsafe groups.withUnsafeBufferPointer { groupBuffer in
                    unsafe failure.withUnsafeBufferPointer { failureBuffer in
                        unsafe tagOfGroup.withUnsafeBufferPointer { tagOfGroupBuffer in
                            for row in start..<end {
                                // Safe: row < rowCount == groups.count == failure.count == the capacity, and each
                                // block's rows are written by one worker only; the group is checked against
                                // tagOfGroup.count.
                                let group = Int(unsafe groupBuffer[row])
                                precondition(group < groupCount, "group without a period")
                                let failed: UInt8 = unsafe failureBuffer[row] != 0 ? 4 : 0
                                unsafe tags.initializeElement(at: row, to: unsafe tagOfGroupBuffer[group] | failed)
                            }
                        }
                    }
                }
                return end - start
            }
            initialized = rowCount
        }
    }

    /// Row segments of whole ``GroupBy/blockRows``-row blocks: one segment unless there are fewer work items than
    /// threads (then enough to keep every thread busy), and never more than ``maximumSegmentRows`` rows each.
    static func segmentRanges(rowCount: Int, items: Int, threads: Int) -> [Range<Int>] {
        let blockRows = GroupBy.blockRows
        let blockCount = max(1, (rowCount + blockRows - 1) / blockRows)
        let maximumBlocks = maximumSegmentRows / blockRows
        let wanted = items >= threads ? 1 : (threads + items - 1) / max(1, items)
        let segmentCount = min(blockCount, max(wanted, (blockCount + maximumBlocks - 1) / maximumBlocks))
        let blocksPerSegment = (blockCount + segmentCount - 1) / segmentCount
        return stride(from: 0, to: blockCount, by: blocksPerSegment).map { firstBlock in
            min(firstBlock * blockRows, rowCount)..<min((firstBlock + blocksPerSegment) * blockRows, rowCount)
        }
    }

    /// The packed counters of one feature over `rows` (fewer than 2^32): `period · codeCount + code` for periods
    /// 0 and 1 (the first `2 · codeCount` entries are meaningful).
    static func countSegment(tags: [UInt8], codes: BinCodes, codeCount: Int, rows: Range<Int>) -> [UInt64] {
        switch codes.storage {
        case .narrow(let narrow): countSegment(tags: tags, codes: narrow, codeCount: codeCount, rows: rows)
        case .wide(let wide): countSegment(tags: tags, codes: wide, codeCount: codeCount, rows: rows)
        case .remade: preconditionFailure("codes written by the caller")
        }
    }

    static func countSegment<Code: FixedWidthInteger & UnsignedInteger>(
        tags: [UInt8], codes: [Code], codeCount: Int, rows: Range<Int>
    ) -> [UInt64] {
        precondition(rows.count <= maximumSegmentRows, "segment too long for packed counters")
        precondition(rows.upperBound <= tags.count && tags.count == codes.count, "rows out of range")
        let sections = 3 * codeCount
        let laneCount = Self.laneCount(counters: sections)
        // The start of lanes 1, 2 and 3 (all 0 with one lane).
        let lane1 = laneCount > 1 ? sections : 0
        let lane2 = 2 &* lane1
        let lane3 = 3 &* lane1
        var packed = [UInt64](repeating: 0, count: sections * laneCount)
        unsafe tags.withUnsafeBufferPointer { tagBuffer in
            unsafe codes.withUnsafeBufferPointer { codeBuffer in
                unsafe packed.withUnsafeMutableBufferPointer { counters in
                    var row = rows.lowerBound
                    // Eight rows at a time: their tags and codes are all loaded before any counter is updated, so
                    // the loads do not queue behind the updates' stores (a scatter of one row after another runs
                    // about three times slower). Rows 0-3 and 4-7 go to lanes 0-3.
                    while rows.upperBound &- row >= 8 {
                        // Safe: row + 7 < rows.upperBound <= tags.count == codes.count.
                        let c0 = Int(unsafe codeBuffer[row]), c1 = Int(unsafe codeBuffer[row &+ 1])
                        let c2 = Int(unsafe codeBuffer[row &+ 2]), c3 = Int(unsafe codeBuffer[row &+ 3])
                        let c4 = Int(unsafe codeBuffer[row &+ 4]), c5 = Int(unsafe codeBuffer[row &+ 5])
                        let c6 = Int(unsafe codeBuffer[row &+ 6]), c7 = Int(unsafe codeBuffer[row &+ 7])
                        let t0 = unsafe tagBuffer[row], t1 = unsafe tagBuffer[row &+ 1]
                        let t2 = unsafe tagBuffer[row &+ 2], t3 = unsafe tagBuffer[row &+ 3]
                        let t4 = unsafe tagBuffer[row &+ 4], t5 = unsafe tagBuffer[row &+ 5]
                        let t6 = unsafe tagBuffer[row &+ 6], t7 = unsafe tagBuffer[row &+ 7]
                        precondition(
                            max(max(max(c0, c1), max(c2, c3)), max(max(c4, c5), max(c6, c7))) < codeCount,
                            "code out of range")
                        // Safe: every code is < codeCount and a tag's low two bits are at most 2, so each slot is
                        // < lane3 + 3 · codeCount <= counters.count.
                        unsafe counters[slot(t0, c0, codeCount)] &+= increment(t0)
                        unsafe counters[lane1 &+ slot(t1, c1, codeCount)] &+= increment(t1)
                        unsafe counters[lane2 &+ slot(t2, c2, codeCount)] &+= increment(t2)
                        unsafe counters[lane3 &+ slot(t3, c3, codeCount)] &+= increment(t3)
                        unsafe counters[slot(t4, c4, codeCount)] &+= increment(t4)
                        unsafe counters[lane1 &+ slot(t5, c5, codeCount)] &+= increment(t5)
                        unsafe counters[lane2 &+ slot(t6, c6, codeCount)] &+= increment(t6)
                        unsafe counters[lane3 &+ slot(t7, c7, codeCount)] &+= increment(t7)
                        row &+= 8
                    }
                    while row < rows.upperBound {
                        // Safe: row < tags.count == codes.count; the code is checked, the slot is as above.
                        let code = Int(unsafe codeBuffer[row])
                        let tag = unsafe tagBuffer[row]
                        precondition(code < codeCount, "code out of range")
                        unsafe counters[slot(tag, code, codeCount)] &+= increment(tag)
                        row &+= 1
                    }
                }
            }
        }
        foldLanes(&packed, counters: sections, laneCount: laneCount)
        return packed
    }

    /// The copies a table of `counters` packed counters is kept in: ``lanes`` for small tables, else one.
    static func laneCount(counters: Int) -> Int { counters <= maximumLanedCounters ? lanes : 1 }

    /// Adds every lane's copy into the first `counters` entries (each lane holds fewer rows than the segment, so no
    /// half overflows).
    static func foldLanes(_ packed: inout [UInt64], counters: Int, laneCount: Int) {
        for lane in 1..<laneCount {
            for slot in 0..<counters { packed[slot] &+= packed[lane * counters + slot] }
        }
    }

    /// The counter of a row with `tag` and `code` within a lane: `period · codeCount + code`.
    @inline(__always)
    static func slot(_ tag: UInt8, _ code: Int, _ codeCount: Int) -> Int {
        Int(tag & 3) &* codeCount &+ code
    }

    /// One row, and one failure if the tag says so, as a packed increment.
    @inline(__always)
    static func increment(_ tag: UInt8) -> UInt64 {
        1 | UInt64(tag >> 2) << 32
    }
}

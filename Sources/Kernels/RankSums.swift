import ColumnStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The midrank sums behind the Mann–Whitney U and the ROC AUC of a numeric value against a binary outcome.
///
/// All non-NaN values are ranked together, ties sharing their average rank. The result holds what the statistics
/// need: the positive rows' rank sum and the tie correction `Σ (t³ − t)` over the tie groups.
///
/// The values are counted per distinct value (``ValueCounts``: hash tables, or a radix sort of the order keys with
/// their labels, ``_RadixSort``). The rank sum is accumulated in ascending value order, one term per tie group, which
/// is the order the scalar reference
/// (`Stats.Association.rocAUC(values:outcome:)`) sums in: the two agree bit for bit.
public struct RankSums: Sendable, Equatable {
    /// Rows with a value and a non-zero outcome.
    public var positives: Int
    /// Rows with a value and a zero outcome.
    public var negatives: Int
    /// Σ of the positive rows' midranks (ranks 1…n).
    public var positiveRankSum: Double
    /// Σ (t³ − t) over the tie groups of size t.
    public var tieTerm: Double

    /// Creates the sums.
    public init(positives: Int, negatives: Int, positiveRankSum: Double, tieTerm: Double) {
        self.positives = positives
        self.negatives = negatives
        self.positiveRankSum = positiveRankSum
        self.tieTerm = tieTerm
    }

    /// The rank sums of `values` (NaN = missing, skipped) against `outcome` (non-zero = positive).
    ///
    /// A column whose values repeat (most features) is counted per value in hash tables, and only its distinct
    /// values are sorted (``_TieGroups``); a column of nearly all distinct values is radix-sorted whole. Both walk
    /// the tie groups in ascending order with the same arithmetic, so they give the same bits.
    ///
    /// - Precondition: `values.count == outcome.count`.
    /// - Complexity: O(n + d): one to three passes over the rows and a radix sort of the d distinct values, or a
    ///   counting pass and up to eight scatter passes of a byte over the order keys of every row.
    public static func of(values: [Double], outcome: [UInt8]) -> RankSums {
        precondition(values.count == outcome.count, "one outcome per value")
        if let counts = ValueCounts.of(values: values, outcome: outcome) { return counts.rankSums }
        return ofSorted(values: values, outcome: outcome)
    }

    /// The sums taken one tie group at a time, in ascending value order, once the rows and positive rows of all of
    /// them are known: what ``ValueCounts/rankSums`` walks its groups with, wherever it keeps them. Each group is
    /// its rows and positive rows packed as ``ValueCounts`` keeps them (rows in the low 32 bits, positives in the
    /// high 32).
    struct Accumulator {
        let positives: Int
        let negatives: Int
        private var positiveRankSum = 0.0
        private var tieTerm = 0.0
        private var start = 0

        init(positives: Int, count: Int) {
            self.positives = positives
            negatives = count - positives
        }

        /// Adds the next tie group, packed as ``ValueCounts`` keeps it.
        @inline(__always)
        mutating func add(_ sum: UInt64) {
            // Without both outcomes the sums are 0 (the AUC is undefined), as the sorted walk leaves them.
            guard positives > 0, negatives > 0 else { return }
            let end = start + Int(sum & 0xFFFF_FFFF)
            // The same terms, in the same order, as the sorted walk below.
            let midrank = Double(start + 1 + end) / 2
            positiveRankSum += midrank * Double(sum >> 32)
            let size = Double(end - start)
            tieTerm += size * size * size - size
            start = end
        }

        var result: RankSums {
            RankSums(positives: positives, negatives: negatives, positiveRankSum: positiveRankSum, tieTerm: tieTerm)
        }
    }

    /// ``of(values:outcome:)`` by a radix sort of every present value.
    static func ofSorted(values: [Double], outcome: [UInt8]) -> RankSums {
        precondition(values.count == outcome.count, "one outcome per value")
        var keys: [UInt64] = []
        var labels: [UInt8] = []
        keys.reserveCapacity(values.count)
        labels.reserveCapacity(values.count)
        var positives = 0
        for (row, value) in values.enumerated() where !value.isNaN {
            keys.append(OrderStatistics.orderKey(value))
            let positive: UInt8 = outcome[row] != 0 ? 1 : 0
            labels.append(positive)
            positives += Int(positive)
        }
        let count = keys.count
        let negatives = count - positives
        guard positives > 0, negatives > 0 else {
            return RankSums(positives: positives, negatives: negatives, positiveRankSum: 0, tieTerm: 0)
        }
        _RadixSort.sort(&keys, labels: &labels)
        // Equal keys are equal values (-0 and +0 share one), so the tie groups are runs of equal keys.
        var positiveRankSum = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < count {
            var end = start + 1
            var positivesInGroup = Int(labels[start])
            while end < count && keys[end] == keys[start] {
                positivesInGroup += Int(labels[end])
                end += 1
            }
            // Ranks start + 1 … end share their average.
            let midrank = Double(start + 1 + end) / 2
            positiveRankSum += midrank * Double(positivesInGroup)
            let size = Double(end - start)
            tieTerm += size * size * size - size
            start = end
        }
        return RankSums(positives: positives, negatives: negatives, positiveRankSum: positiveRankSum, tieTerm: tieTerm)
    }
}

/// The sort of ``RankSums``: least-significant-digit radix sort of 64-bit keys, a byte per pass, each key's label
/// moved with it (stable): a row's outcome byte, or a tie group's packed counts. The eight digits' counts are taken
/// in one pass before the scatters, and a pass whose digit every key shares is skipped.
///
/// Measured against a most-significant-digit distribution sort (each class sorted on its own, then merged) at 10M
/// rows: the same speed alone, but 0.5 s slower in the analysis, where two features sort at once and share the
/// memory bandwidth. Against 16-bit digits (four passes of 65,536-way scatters, whose write cursors miss the
/// caches): 10M normal doubles with a byte label each sorted and grouped in 0.50–0.70 s against 0.71–0.97 s, alone
/// or two at once (one-off measurement, `swiftc -O`).
enum _RadixSort {
    static let digitBits = 8

    static func sort<Label: BitwiseCopyable>(_ keys: inout [UInt64], labels: inout [Label]) {
        precondition(keys.count == labels.count, "one label per key")
        let count = keys.count
        guard count > 1 else { return }
        let buckets = 1 << digitBits
        let passes = UInt64.bitWidth / digitBits
        let mask = UInt64(buckets - 1)
        // Every digit's counts in one read of the keys: `histograms[pass * buckets + digit]`.
        var histograms = [Int](repeating: 0, count: passes * buckets)
        unsafe keys.withUnsafeBufferPointer { source in
            unsafe histograms.withUnsafeMutableBufferPointer { counts in
                for unsafe key in unsafe source {
                    var shift: UInt64 = 0
                    for pass in 0..<passes {
                        // Safe: pass < passes and the digit is masked below buckets, so the index is below
                        // passes * buckets == counts.count.
                        unsafe counts[pass &* buckets &+ Int((key &>> shift) & mask)] &+= 1
                        shift &+= UInt64(digitBits)
                    }
                }
            }
        }
        // A digit shared by every key leaves the order as it is: its pass is skipped.
        let scattered = (0..<passes).filter { pass in
            histograms[pass * buckets + Int((keys[0] &>> UInt64(pass * digitBits)) & mask)] != count
        }
        guard !scattered.isEmpty else { return }
        // Scratch of the keys' and labels' size, every element written by the first scatter before it is read.
        var keyBuffer = unsafe [UInt64](writingCapacity: count) { _, initialized in initialized = count }
        var labelBuffer = unsafe [Label](writingCapacity: count) { _, initialized in initialized = count }
        var offsets = [Int](repeating: 0, count: buckets)
        for pass in scattered {
            let shift = UInt64(pass * digitBits)
            var total = 0
            for digit in 0..<buckets {
                offsets[digit] = total
                total += histograms[pass * buckets + digit]
            }
            unsafe keys.withUnsafeBufferPointer { sourceKeys in
                unsafe labels.withUnsafeBufferPointer { sourceLabels in
                    unsafe keyBuffer.withUnsafeMutableBufferPointer { targetKeys in
                        unsafe labelBuffer.withUnsafeMutableBufferPointer { targetLabels in
                            unsafe offsets.withUnsafeMutableBufferPointer { cursor in
                                for index in 0..<count {
                                    // Safe: index < count; each bucket's cursor stays below the next bucket's
                                    // start, so target < count.
                                    let key = unsafe sourceKeys[index]
                                    let digit = Int((key &>> shift) & mask)
                                    let target = unsafe cursor[digit]
                                    unsafe cursor[digit] = target &+ 1
                                    unsafe targetKeys[target] = key
                                    unsafe targetLabels[target] = sourceLabels[index]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keyBuffer)
            swap(&labels, &labelBuffer)
        }
    }
}

/// The tie groups of a column whose values repeat: the rows and positive rows per value, counted in hash tables
/// (``_KeyCountTable``), then only the distinct values sorted. Where the radix sort makes up to eight scatter passes
/// over every row, this makes one pass while the values fit one table (``directLimit``), and three when they do not (a
/// counting pass and a scatter into partitions, then a cache-sized table per partition).
///
/// A column of nearly all distinct values gains nothing from counting: its groups are as many as its rows, and are
/// better radix-sorted directly. ``aggregate(values:outcome:directLimit:)`` tells it from a strided sample
/// (``estimatedDistinct(_:)``) once its table holds 2¹⁴ values: more than a quarter of the rows distinct, and it
/// returns nil.
enum _TieGroups {
    /// Distinct values counted in the one table before the rows are partitioned: 2²¹, a table of at most 64 MiB
    /// (2²² slots, half full). With its slots prefetched, one table beats the partitions' scatter even far past L3:
    /// 1M distinct values in 10M rows counted in 0.30 s against 0.34 s partitioned (median of 5), in a table of
    /// 32 MiB where the partitions' buffers take 100 MB. (At 2¹⁸, the limit before, partitioning columns of
    /// 60,000–220,000 distinct values had cost the associations stage 0.5 s.)
    static let directLimit = 1 << 21
    /// Rows sampled to estimate the distinct values.
    static let sampleSize = 1 << 16
    /// How many rows ahead the table's slot is prefetched.
    static let prefetchDistance = 16
    /// Table slots (of 16 bytes) past which the slots are prefetched: 512 KiB, this machine's L2.
    static let prefetchFromSlots = 1 << 15

    /// What a row adds to its value's sum: one row, in the low 32 bits, and one positive row, in the high 32 bits.
    @inline(__always)
    static func increment(_ positive: Bool) -> UInt64 { positive ? 1 | (1 << 32) : 1 }

    /// The tie groups in ascending value order, as order keys and packed sums (``increment(_:)``), or nil when
    /// `values` looks nearly all distinct (or has too many rows for 32-bit counts): then the caller radix-sorts the
    /// rows.
    static func aggregate(
        values: [Double], outcome: [UInt8], directLimit: Int = directLimit
    ) -> (keys: [UInt64], sums: [UInt64])? {
        precondition(values.count == outcome.count, "one outcome per value")
        return unsafe values.withUnsafeBufferPointer { valueBuffer in
            unsafe outcome.withUnsafeBufferPointer { outcomeBuffer in
                unsafe aggregate(values: valueBuffer, outcome: outcomeBuffer, directLimit: directLimit)
            }
        }
    }

    /// As ``aggregate(values:outcome:directLimit:)``, over values read in place, a row missing where it is NaN or
    /// where `validity` (when given) says so.
    static func aggregate(
        values valueBuffer: UnsafeBufferPointer<Double>, validity: ValidityBitmap? = nil,
        outcome outcomeBuffer: UnsafeBufferPointer<UInt8>, directLimit: Int = directLimit
    ) -> (keys: [UInt64], sums: [UInt64])? {
        guard let validity else {
            return unsafe aggregate(valueBuffer, outcomeBuffer, directLimit) { _ in true }
        }
        precondition(validity.count == valueBuffer.count, "validity length mismatch")
        return unsafe validity.withUnsafeWords { words in
            // Safe: row < validity.count, so row >> 6 < words.count.
            unsafe aggregate(valueBuffer, outcomeBuffer, directLimit) { row in
                unsafe words[row >> 6] & (1 << UInt64(row & 63)) != 0
            }
        }
    }

    @inline(__always)
    private static func aggregate(
        _ valueBuffer: UnsafeBufferPointer<Double>, _ outcomeBuffer: UnsafeBufferPointer<UInt8>, _ directLimit: Int,
        present: (Int) -> Bool
    ) -> (keys: [UInt64], sums: [UInt64])? {
        precondition(valueBuffer.count == outcomeBuffer.count, "one outcome per value")
        guard valueBuffer.count < Int(UInt32.max) else { return nil }
        var entries: [(key: UInt64, sum: UInt64)] = []
        var table = _KeyCountTable(expected: 512)
        var overflowed = false
        var nearlyAllDistinct = false
        // Estimated once the table holds `estimateAt` values: a nearly all distinct column goes to the radix sort
        // before the table grows (filling it with 2¹⁸ values first cost a quarter more than the sort at 1M rows).
        let estimateAt = min(1 << 14, directLimit)
        var distinct = Double.nan
        // The slot `prefetchDistance` rows ahead is prefetched once the table outgrows L2 (below that the prefetch
        // only costs instructions).
        var prefetching = false
        let rows = valueBuffer.count
        // The slots' address and size in registers: only a new value (an insert) may move them.
        var probe = unsafe table.probe
        for row in 0..<rows {
            // Safe: row < values.count == outcome.count; the row prefetched is checked against the count.
            if prefetching {
                let ahead = row &+ prefetchDistance
                if ahead < rows { unsafe probe.prefetch(OrderStatistics.orderKey(unsafe valueBuffer[ahead])) }
            }
            let value = unsafe valueBuffer[row]
            if value.isNaN || !present(row) { continue }
            let key = OrderStatistics.orderKey(value)
            let added = increment(unsafe outcomeBuffer[row] != 0)
            if unsafe probe.addIfHeld(key, added) { continue }
            // Only a new value changes the table's size and count, so the checks below run once per value, not per
            // row.
            let isNew = table.add(key, added)
            defer { unsafe probe = table.probe }
            guard isNew else { continue }
            if table.count >= estimateAt && distinct.isNaN {
                distinct = unsafe estimatedDistinct(valueBuffer)
                if distinct > Double(rows) / 4 {
                    nearlyAllDistinct = true
                    break
                }
                // Filling the one table to its limit first would only delay the partitions.
                if distinct > Double(directLimit) {
                    overflowed = true
                    break
                }
                table.reserve(expected: Int(min(distinct, Double(directLimit))))
            }
            prefetching = table.slotCount > prefetchFromSlots
            // At the limit the table is half full: the next new value would double it (to 128 MiB at 2²¹, with a
            // copy of the old slots) just before it is left for the partitions.
            if table.count >= directLimit {
                overflowed = true
                break
            }
        }
        if nearlyAllDistinct { return nil }
        if !overflowed {
            table.forEach { entries.append(($0, $1)) }
        } else {
            _KeyCountTable.forEachPartition(
                partitionBits: _KeyCountTable.partitionBits(distinct: distinct),
                rows: valueBuffer.count,
                pair: { row in
                    // Safe: row < values.count == outcome.count.
                    let value = unsafe valueBuffer[row]
                    guard !value.isNaN && present(row) else { return nil }
                    return (OrderStatistics.orderKey(value), unsafe outcomeBuffer[row] != 0 ? 1 : 0)
                },
                increment: { increment($0 != 0) }
            ) { partition in partition.forEach { entries.append(($0, $1)) } }
        }
        var keys = entries.map(\.key)
        var sums = entries.map(\.sum)
        _RadixSort.sort(&keys, labels: &sums)
        return (keys, sums)
    }

    /// The distinct non-NaN values, estimated from a strided sample of at most ``sampleSize`` rows: m draws from D
    /// equally frequent values show about D (1 − e^(−m/D)) distinct ones, solved here for D (infinity when the
    /// sample has no repeat). Only the speed depends on it (a nearly all distinct column is radix-sorted; the
    /// partitions are sized by it), not the result: a missing row's stored value may be drawn.
    static func estimatedDistinct(_ values: [Double]) -> Double {
        unsafe values.withUnsafeBufferPointer { unsafe estimatedDistinct($0) }
    }

    static func estimatedDistinct(_ values: UnsafeBufferPointer<Double>) -> Double {
        // Safe: the strided rows are below values.count.
        estimatedDistinct(count: values.count) { unsafe values[$0] }
    }

    /// ``estimatedDistinct(_:)`` of values that may lie in pieces: the same rows sampled, so the same estimate.
    static func estimatedDistinct(_ values: ColumnBuffer<Double>) -> Double {
        estimatedDistinct(count: values.count) { values[$0] }
    }

    @inline(__always)
    private static func estimatedDistinct(count: Int, value: (Int) -> Double) -> Double {
        // Every eighth row at least: a short column's estimate would otherwise cost as much as its sort.
        let stride = max(8, count / sampleSize)
        var sample = _KeyCountTable(expected: sampleSize)
        var drawn = 0
        for row in Swift.stride(from: 0, to: count, by: stride) {
            let sampled = value(row)
            guard !sampled.isNaN else { continue }
            sample.add(OrderStatistics.orderKey(sampled))
            drawn += 1
        }
        let seen = Double(sample.count)
        guard sample.count < drawn else { return .infinity }
        let draws = Double(drawn)
        // Increasing in D, from `seen` at D = seen towards `draws`.
        func expectedSeen(_ distinct: Double) -> Double { -distinct * expm1(-draws / distinct) }
        var low = seen
        var high = seen
        while expectedSeen(high) < seen { high *= 2 }
        for _ in 0..<64 {
            let middle = (low + high) / 2
            if expectedSeen(middle) < seen { low = middle } else { high = middle }
        }
        return high
    }
}

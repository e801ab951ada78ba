import ColumnStore

/// A numeric column's distinct values in ascending order, with the rows and the positive rows that hold each: what
/// the quantile edges, the midrank sums (``RankSums``) and the point-biserial correlation of the column against a
/// binary outcome all follow from, so that one pass over the rows serves the three.
///
/// Values on a decimal grid (rounded to a few decimals, or whole numbers, within a span of a few million steps) are
/// counted in an array indexed by their step (``_DecimalGrid``), and read there (``_GridSlots``). Other values that
/// repeat are counted per value in hash tables and only the distinct values are sorted (``_TieGroups``); a column of
/// nearly all distinct values is radix-sorted whole and its runs counted. NaN is a missing value; -0 and +0 are one
/// value, +0.
public struct ValueCounts: Sendable, Equatable {
    /// Where the distinct values and their sums are kept.
    enum Storage: Sendable {
        /// The distinct values' order keys (``OrderStatistics/orderKey(_:)``), ascending, with per value its rows in
        /// the low 32 bits of its sum and its positive rows in the high 32 bits.
        case listed(keys: [UInt64], sums: [UInt64])
        /// The decimal grid's own slots, read in place: no list of the values is written (16 bytes a distinct
        /// value, 16 MB for the benchmark column of 1M values, held beside the grid while it was written).
        case grid(_GridSlots)
    }
    let storage: Storage
    /// Rows with a value.
    public let count: Int
    /// Rows with a value and a non-zero outcome.
    public let positives: Int
    /// How many distinct values there are.
    public let distinctCount: Int

    init(keys: [UInt64], sums: [UInt64]) {
        precondition(keys.count == sums.count, "one sum per key")
        var count = 0
        var positives = 0
        for sum in sums {
            count += Int(sum & 0xFFFF_FFFF)
            positives += Int(sum >> 32)
        }
        storage = .listed(keys: keys, sums: sums)
        self.count = count
        self.positives = positives
        distinctCount = keys.count
    }

    init(grid: _GridSlots) {
        storage = .grid(grid)
        count = grid.count
        positives = grid.positives
        distinctCount = grid.groupCount
    }

    /// Calls `body` with each distinct value's order key and packed sum, in ascending order.
    @inline(__always)
    func forEachGroup(_ body: (_ key: UInt64, _ sum: UInt64) -> Void) {
        switch storage {
        case .listed(let keys, let sums): for index in keys.indices { body(keys[index], sums[index]) }
        case .grid(let grid): grid.forEachGroup(body)
        }
    }

    /// The order key and packed sum of the `index`-th smallest distinct value.
    func keyAndSum(at index: Int) -> (key: UInt64, sum: UInt64) {
        switch storage {
        case .listed(let keys, let sums): return (keys[index], sums[index])
        case .grid(let grid):
            let slot = grid.slot(ofGroup: index)
            return (grid.key(ofSlot: slot), grid.sums[slot])
        }
    }

    /// Equal when they hold the same values with the same sums, however each keeps them.
    public static func == (lhs: ValueCounts, rhs: ValueCounts) -> Bool {
        guard lhs.distinctCount == rhs.distinctCount, lhs.count == rhs.count, lhs.positives == rhs.positives else {
            return false
        }
        var same = true
        var index = 0
        lhs.forEachGroup { key, sum in
            let other = rhs.keyAndSum(at: index)
            same = same && other.key == key && other.sum == sum
            index += 1
        }
        return same
    }

    /// The counts of `values` (NaN = missing) against `outcome` (non-zero = positive); nil when there are too many
    /// rows for 32-bit counts (2³² − 1 or more).
    ///
    /// - Precondition: `values.count == outcome.count`.
    /// - Complexity: O(n + d log d) for d distinct values: one to three passes over the rows, or a radix sort of
    ///   every value when nearly all are distinct.
    public static func of(values: [Double], outcome: [UInt8]) -> ValueCounts? {
        precondition(values.count == outcome.count, "one outcome per value")
        return unsafe values.withUnsafeBufferPointer { valueBuffer in
            unsafe outcome.withUnsafeBufferPointer { unsafe of(values: valueBuffer, outcome: $0) }
        }
    }

    /// As ``of(values:outcome:)``, from a float column read in place (a mapped column), a row missing where its
    /// value is NaN or where `validity` (when given) says so.
    public static func of(values: ColumnBuffer<Double>, validity: ValidityBitmap?, outcome: [UInt8]) -> ValueCounts? {
        precondition(values.count == outcome.count, "one outcome per value")
        // Values in pieces (an Arrow file of several record batches) are read in place: on a decimal grid, or
        // (below) radix-sorted or counted in one table run by run; past one table, the partitions take them
        // contiguous, a copy made for the call.
        if !values.isContiguous, values.count < Int(UInt32.max) {
            if let validity { precondition(validity.count == values.count, "validity length mismatch") }
            if let grid = _DecimalGrid.detect(values) {
                return unsafe outcome.withUnsafeBufferPointer {
                    unsafe grid.aggregate(values: values, validity: validity, outcome: $0)
                }
            }
            // Off the grid the values are read run by run too, so that the contiguous copy (8 bytes a row, 80 MB a
            // worker at 10M rows) is not made: a nearly all distinct column is radix-sorted from its runs, one whose
            // distinct values fit one table is counted in it. Every way is exact, so the estimate only picks the
            // faster (it may pick another than the contiguous path, which estimates only once its table holds 2¹⁴
            // values).
            let distinct = _TieGroups.estimatedDistinct(values)
            if distinct > Double(values.count) / 4 {
                return sortingEveryValue(values, validity: validity, outcome: outcome)
            }
            if distinct < Double(_TieGroups.directLimit),
                let groups = _TieGroups.aggregate(
                    runsOf: values, validity: validity, outcome: outcome, expected: Int(distinct))
            {
                return ValueCounts(keys: groups.keys, sums: groups.sums)
            }
        }
        return unsafe values.withUnsafeBufferPointer { valueBuffer in
            unsafe outcome.withUnsafeBufferPointer { unsafe of(values: valueBuffer, validity: validity, outcome: $0) }
        }
    }

    /// As ``of(values:outcome:)``, from values read in place (a mapped column), a row missing where its value is
    /// NaN or where `validity` (when given) says so.
    public static func of(
        values: UnsafeBufferPointer<Double>, validity: ValidityBitmap? = nil, outcome: UnsafeBufferPointer<UInt8>
    ) -> ValueCounts? {
        precondition(values.count == outcome.count, "one outcome per value")
        if let validity { precondition(validity.count == values.count, "validity length mismatch") }
        guard values.count < Int(UInt32.max) else { return nil }
        if let grid = unsafe _DecimalGrid.detect(values) {
            return unsafe grid.aggregate(values: values, validity: validity, outcome: outcome)
        }
        if let groups = unsafe _TieGroups.aggregate(values: values, validity: validity, outcome: outcome) {
            return ValueCounts(keys: groups.keys, sums: groups.sums)
        }
        return unsafe sortingEveryValue(values, validity: validity, outcome: outcome)
    }

    /// The runs of equal keys after a radix sort of every present value, compacted into the keys' own storage so
    /// that a column of distinct values does not hold its sorted keys twice.
    static func sortingEveryValue(
        _ values: UnsafeBufferPointer<Double>, validity: ValidityBitmap? = nil, outcome: UnsafeBufferPointer<UInt8>
    ) -> ValueCounts {
        precondition(values.count == outcome.count, "one outcome per value")
        let (keys, labels) = unsafe keysAndLabels(rows: values.count) { keyBuffer, labelBuffer in
            // Safe: the one run is the whole buffer, whose rows are the outcomes' and the buffers' capacity.
            unsafe writeKeys(
                values, first: 0, validity: validity, outcome: outcome, keys: keyBuffer, labels: labelBuffer, at: 0)
        }
        return sorted(keys: keys, labels: labels)
    }

    /// ``sortingEveryValue(_:validity:outcome:)`` of values that may lie in pieces, read run by run in place.
    static func sortingEveryValue(
        _ values: ColumnBuffer<Double>, validity: ValidityBitmap?, outcome: [UInt8]
    ) -> ValueCounts {
        precondition(values.count == outcome.count, "one outcome per value")
        let (keys, labels) = unsafe keysAndLabels(rows: values.count) { keyBuffer, labelBuffer in
            var written = 0
            unsafe outcome.withUnsafeBufferPointer { outcomeBuffer in
                unsafe values.forEachRun(in: 0..<values.count) { run, first in
                    // Safe: the runs cover the values' rows, which are the outcomes' and the buffers' capacity, in
                    // order, so at most `first` keys were written before the run.
                    written = unsafe writeKeys(
                        run, first: first, validity: validity, outcome: outcomeBuffer, keys: keyBuffer,
                        labels: labelBuffer, at: written)
                }
            }
            return written
        }
        return sorted(keys: keys, labels: labels)
    }

    /// Keys and labels of room for `rows` each, `write` filling the first ones and returning how many.
    @unsafe
    private static func keysAndLabels(
        rows: Int,
        _ write: (UnsafeMutableBufferPointer<UInt64>, UnsafeMutableBufferPointer<UInt8>) -> Int
    ) -> (keys: [UInt64], labels: [UInt8]) {
        var labels: [UInt8] = []
        let keys = unsafe [UInt64](writingCapacity: rows) { keyBuffer, keysWritten in
            labels = unsafe [UInt8](writingCapacity: rows) { labelBuffer, labelsWritten in
                let written = unsafe write(keyBuffer, labelBuffer)
                precondition(written <= rows, "more keys than rows")
                labelsWritten = written
                keysWritten = written
            }
        }
        return (keys, labels)
    }

    /// Writes, from `start` on, the order key and the outcome (0 or 1) of each row `first ..< first + values.count`
    /// that is not NaN and is valid; returns the index after the last written.
    /// - Precondition: those rows lie within `outcome` and `validity`, and `keys` and `labels` have room for every
    ///   value from `start` on.
    @unsafe
    private static func writeKeys(
        _ values: UnsafeBufferPointer<Double>, first: Int, validity: ValidityBitmap?,
        outcome: UnsafeBufferPointer<UInt8>, keys: UnsafeMutableBufferPointer<UInt64>,
        labels: UnsafeMutableBufferPointer<UInt8>, at start: Int
    ) -> Int {
        precondition(first >= 0 && first + values.count <= outcome.count, "rows outside the outcomes")
        precondition(
            start >= 0 && start + values.count <= keys.count && keys.count == labels.count, "no room for the keys")
        var next = start
        for index in 0..<values.count {
            // Safe: index < values.count, first + index < outcome.count, and next < start + values.count <=
            // keys.count == labels.count (checked above).
            let value = unsafe values[index]
            if value.isNaN || !(validity?.isValid(first &+ index) ?? true) { continue }
            unsafe keys.initializeElement(at: next, to: OrderStatistics.orderKey(value))
            unsafe labels.initializeElement(at: next, to: unsafe outcome[first &+ index] != 0 ? 1 : 0)
            next &+= 1
        }
        return next
    }

    /// The counts of the rows' order keys and outcomes, radix-sorted, then one group per run of equal keys.
    private static func sorted(keys: consuming [UInt64], labels: consuming [UInt8]) -> ValueCounts {
        var keys = keys
        var labels = labels
        _RadixSort.sort(&keys, labels: &labels)
        var runs = 0
        for index in keys.indices where index == 0 || keys[index] != keys[index - 1] { runs += 1 }
        var sums = [UInt64](repeating: 0, count: runs)
        var run = -1
        for index in keys.indices {
            if index == 0 || keys[index] != keys[index - 1] {
                run += 1
                keys[run] = keys[index]
            }
            sums[run] &+= _TieGroups.increment(labels[index] != 0)
        }
        keys.removeLast(keys.count - runs)
        return ValueCounts(keys: keys, sums: sums)
    }

    /// The `index`-th smallest distinct value.
    public func value(at index: Int) -> Double { OrderStatistics.value(ofOrderKey: keyAndSum(at: index).key) }

    /// The rows holding the `index`-th smallest distinct value.
    public func rows(at index: Int) -> Int { Int(keyAndSum(at: index).sum & 0xFFFF_FFFF) }

    /// The positive rows among them.
    public func positives(at index: Int) -> Int { Int(keyAndSum(at: index).sum >> 32) }

    /// The `index`-th smallest distinct value with its rows and positive rows.
    public func group(at index: Int) -> (value: Double, rows: Int, positives: Int) {
        let (key, sum) = keyAndSum(at: index)
        return (value: OrderStatistics.value(ofOrderKey: key), rows: Int(sum & 0xFFFF_FFFF), positives: Int(sum >> 32))
    }

    /// Calls `body` with each distinct value, its rows and its positive rows, in ascending value order: one step a
    /// value, where ``group(at:)`` may search for it.
    public func forEachGroup(_ body: (_ value: Double, _ rows: Int, _ positives: Int) -> Void) {
        forEachGroup { key, sum in
            body(OrderStatistics.value(ofOrderKey: key), Int(sum & 0xFFFF_FFFF), Int(sum >> 32))
        }
    }

    /// The values at the 0-based `ranks` of the sorted values (each row a value), as a sort would place them.
    ///
    /// - Precondition: every rank is in `0..<count`.
    /// - Complexity: O(d + r log r) for d distinct values and r ranks.
    public func orderStatistics(ranks: [Int]) -> [Double] {
        for rank in ranks { precondition(rank >= 0 && rank < count, "rank out of range") }
        let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        var result = [Double](repeating: .nan, count: ranks.count)
        var next = 0
        var end = 0
        forEachGroup { key, sum in
            end += Int(sum & 0xFFFF_FFFF)
            while next < order.count && ranks[order[next]] < end {
                result[order[next]] = OrderStatistics.value(ofOrderKey: key)
                next += 1
            }
        }
        return result
    }

    /// The midrank sums of the values against the outcome.
    public var rankSums: RankSums {
        var sums = RankSums.Accumulator(positives: positives, count: count)
        forEachGroup { _, sum in sums.add(sum) }
        return sums.result
    }
}

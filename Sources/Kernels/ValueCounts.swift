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
        // Values in pieces (an Arrow file of several record batches) are read in place on a decimal grid; the
        // other ways take them contiguous, a copy made for the call.
        if !values.isContiguous, values.count < Int(UInt32.max), let grid = _DecimalGrid.detect(values) {
            if let validity { precondition(validity.count == values.count, "validity length mismatch") }
            return unsafe outcome.withUnsafeBufferPointer {
                unsafe grid.aggregate(values: values, validity: validity, outcome: $0)
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
        var keys: [UInt64] = []
        var labels: [UInt8] = []
        keys.reserveCapacity(values.count)
        labels.reserveCapacity(values.count)
        for row in 0..<values.count {
            // Safe: row < values.count == outcome.count.
            let value = unsafe values[row]
            if value.isNaN || !(validity?.isValid(row) ?? true) { continue }
            keys.append(OrderStatistics.orderKey(value))
            labels.append(unsafe outcome[row] != 0 ? 1 : 0)
        }
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

import ColumnStore

/// A numeric column's distinct values in ascending order, with the rows and the positive rows that hold each: what
/// the quantile edges, the midrank sums (``RankSums``) and the point-biserial correlation of the column against a
/// binary outcome all follow from, so that one pass over the rows serves the three.
///
/// Values on a decimal grid (rounded to a few decimals, or whole numbers, within a span of a few million steps) are
/// counted in an array indexed by their step (``_DecimalGrid``). Other values that repeat are counted per value in
/// hash tables and only the distinct values are sorted (``_TieGroups``); a column of nearly all distinct values is
/// radix-sorted whole and its runs counted. NaN is a
/// missing value; -0 and +0 are one value, +0.
public struct ValueCounts: Sendable, Equatable {
    /// The distinct values' order keys (``OrderStatistics/orderKey(_:)``), ascending.
    let keys: [UInt64]
    /// Per distinct value: its rows in the low 32 bits, its positive rows in the high 32 bits.
    let sums: [UInt64]
    /// Rows with a value.
    public let count: Int
    /// Rows with a value and a non-zero outcome.
    public let positives: Int

    init(keys: [UInt64], sums: [UInt64]) {
        precondition(keys.count == sums.count, "one sum per key")
        self.keys = keys
        self.sums = sums
        var count = 0
        var positives = 0
        for sum in sums {
            count += Int(sum & 0xFFFF_FFFF)
            positives += Int(sum >> 32)
        }
        self.count = count
        self.positives = positives
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
            let groups = unsafe grid.aggregate(values: values, validity: validity, outcome: outcome)
            return ValueCounts(keys: groups.keys, sums: groups.sums)
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

    /// How many distinct values there are.
    public var distinctCount: Int { keys.count }

    /// The `index`-th smallest distinct value.
    public func value(at index: Int) -> Double { OrderStatistics.value(ofOrderKey: keys[index]) }

    /// The rows holding the `index`-th smallest distinct value.
    public func rows(at index: Int) -> Int { Int(sums[index] & 0xFFFF_FFFF) }

    /// The positive rows among them.
    public func positives(at index: Int) -> Int { Int(sums[index] >> 32) }

    /// The `index`-th smallest distinct value with its rows and positive rows.
    public func group(at index: Int) -> (value: Double, rows: Int, positives: Int) {
        (value: value(at: index), rows: rows(at: index), positives: positives(at: index))
    }

    /// The values at the 0-based `ranks` of the sorted values (each row a value), as a sort would place them.
    ///
    /// - Precondition: every rank is in `0..<count`.
    /// - Complexity: O(d + r log r) for d distinct values and r ranks.
    public func orderStatistics(ranks: [Int]) -> [Double] {
        let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        var result = [Double](repeating: .nan, count: ranks.count)
        var index = 0
        var end = sums.isEmpty ? 0 : rows(at: 0)
        for position in order {
            let rank = ranks[position]
            precondition(rank >= 0 && rank < count, "rank out of range")
            while rank >= end {
                index += 1
                end += rows(at: index)
            }
            result[position] = value(at: index)
        }
        return result
    }

    /// The midrank sums of the values against the outcome.
    public var rankSums: RankSums { RankSums.of(sortedGroups: sums) }
}

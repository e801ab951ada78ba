import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// The value counts against a dictionary of the present values and a sort, through both of their paths.
struct ValueCountsTests {
    /// (value, rows, positives) per distinct present value, ascending, by a dictionary and the standard sort.
    static func reference(values: [Double], outcome: [UInt8]) -> [(value: Double, rows: Int, positives: Int)] {
        var counts: [Double: (rows: Int, positives: Int)] = [:]
        for (value, flag) in zip(values, outcome) where !value.isNaN {
            // -0 and +0 are one value (a Dictionary<Double> key treats them as equal), reported as +0.
            let key = value == 0 ? 0.0 : value
            counts[key, default: (0, 0)].rows += 1
            counts[key, default: (0, 0)].positives += flag != 0 ? 1 : 0
        }
        return counts.keys.sorted().map { (value: $0, rows: counts[$0]!.rows, positives: counts[$0]!.positives) }
    }

    static func groups(_ counts: ValueCounts) -> [(value: Double, rows: Int, positives: Int)] {
        (0..<counts.distinctCount).map(counts.group(at:))
    }

    static func same(
        _ a: [(value: Double, rows: Int, positives: Int)], _ b: [(value: Double, rows: Int, positives: Int)]
    ) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy {
                $0.value.bitPattern == $1.value.bitPattern && $0.rows == $1.rows && $0.positives == $1.positives
            }
    }

    @Test(arguments: [0, 1, 63, 64, 65, 2047, 2048, 2049, 100_000])
    func countsEqualTheReferenceThroughBothPaths(count: Int) {
        for shape in 0..<5 {
            for nulls in 0..<3 {
                let seed = UInt64(count * 32 + shape * 4 + nulls) &+ 11
                let values = RankSumsTests.values(count: count, shape: shape, nulls: nulls, seed: seed)
                var random = SeededRandom(seed: seed ^ 0x5EED)
                let outcome = (0..<count).map { _ in UInt8(random.next() % 3 == 0 ? 1 + random.next() % 3 : 0) }
                let expected = Self.reference(values: values, outcome: outcome)
                let label = "count \(count) shape \(shape) nulls \(nulls)"
                guard let counts = ValueCounts.of(values: values, outcome: outcome) else {
                    Issue.record("no counts, \(label)")
                    continue
                }
                #expect(Self.same(Self.groups(counts), expected), "\(label)")
                #expect(counts.count == expected.reduce(0) { $0 + $1.rows }, "\(label)")
                #expect(counts.positives == expected.reduce(0) { $0 + $1.positives }, "\(label)")
                let sorted = unsafe values.withUnsafeBufferPointer { valueBuffer in
                    unsafe outcome.withUnsafeBufferPointer {
                        unsafe ValueCounts.sortingEveryValue(valueBuffer, outcome: $0)
                    }
                }
                #expect(sorted == counts, "\(label)")
                #expect(counts.rankSums == RankSums.ofSorted(values: values, outcome: outcome), "\(label)")
            }
        }
    }

    /// Rows the validity bitmap marks missing are left out whatever their stored value, through the one table, the
    /// partitions (a limit of 64 values) and the sort.
    @Test(arguments: [0, 1, 63, 64, 65, 2049, 100_000])
    func validityMasksRowsThroughEveryPath(count: Int) {
        for shape in 0..<5 {
            let seed = UInt64(count * 8 + shape) &+ 0xBEEF
            let values = RankSumsTests.values(count: count, shape: shape, nulls: 1, seed: seed)
            var random = SeededRandom(seed: seed)
            let valid = (0..<count).map { _ in random.next() % 4 != 0 }
            let validity = ValidityBitmap(valid)
            let outcome = (0..<count).map { _ in UInt8(random.next() % 2) }
            let masked = values.indices.map { valid[$0] ? values[$0] : .nan }
            let expected = Self.reference(values: masked, outcome: outcome)
            let label = "count \(count) shape \(shape)"
            unsafe values.withUnsafeBufferPointer { valueBuffer in
                unsafe outcome.withUnsafeBufferPointer { outcomeBuffer in
                    let counts = unsafe ValueCounts.of(values: valueBuffer, validity: validity, outcome: outcomeBuffer)
                    #expect(counts.map { Self.same(Self.groups($0), expected) } == true, "\(label)")
                    let sorted = unsafe ValueCounts.sortingEveryValue(
                        valueBuffer, validity: validity, outcome: outcomeBuffer)
                    #expect(Self.same(Self.groups(sorted), expected), "\(label)")
                    let partitioned = unsafe _TieGroups.aggregate(
                        values: valueBuffer, validity: validity, outcome: outcomeBuffer, directLimit: 64)
                    // Only the spread shape may be nearly all distinct (nil: the caller sorts); with 64 values
                    // in the one table, the others of more values are partitioned.
                    if shape != 0 { #expect(partitioned != nil, "\(label)") }
                    if let partitioned {
                        #expect(
                            Self.same(Self.groups(ValueCounts(keys: partitioned.keys, sums: partitioned.sums)), expected),
                            "\(label) partitioned")
                    }
                }
            }
        }
    }

    /// Every order statistic equals the sorted present values' element at that rank, in any order of ranks.
    @Test(arguments: [1, 2, 65, 2049, 100_000])
    func orderStatisticsAreTheSortedValuesAtTheirRanks(count: Int) {
        for shape in 0..<5 {
            let values = RankSumsTests.values(count: count, shape: shape, nulls: 1, seed: UInt64(count + shape))
            let outcome = [UInt8](repeating: 0, count: count)
            let sorted = values.filter { !$0.isNaN }.map { $0 == 0 ? 0.0 : $0 }.sorted()
            guard let counts = ValueCounts.of(values: values, outcome: outcome), !sorted.isEmpty else { continue }
            var random = SeededRandom(seed: UInt64(count * 7 + shape))
            var ranks = [0, sorted.count - 1] + (0..<50).map { _ in Int(random.next() % UInt64(sorted.count)) }
            ranks.shuffle(using: &random)
            let selected = counts.orderStatistics(ranks: ranks)
            #expect(selected.map(\.bitPattern) == ranks.map { sorted[$0].bitPattern }, "count \(count) shape \(shape)")
        }
    }

    @Test func orderKeysRoundTrip() {
        for value in RankSumsTests.specials + [0.1, -2.5, 1e300, -1e-300, .leastNonzeroMagnitude] {
            let back = OrderStatistics.value(ofOrderKey: OrderStatistics.orderKey(value))
            #expect(back.bitPattern == (value == 0 ? 0.0 : value).bitPattern, "\(value)")
        }
    }

    @Test func emptyAndMissingOnly() {
        let empty = ValueCounts.of(values: [], outcome: [])
        #expect(empty?.distinctCount == 0 && empty?.count == 0)
        let missing = ValueCounts.of(values: [.nan, .nan], outcome: [1, 0])
        #expect(missing?.distinctCount == 0 && missing?.count == 0 && missing?.positives == 0)
    }
}

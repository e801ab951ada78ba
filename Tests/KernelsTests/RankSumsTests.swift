import Testing
import _TestSupport

@testable import Kernels

/// The radix sort and the rank sums against the standard library's sort and a pairwise count.
struct RankSumsTests {
    static let specials: [Double] = [
        0, -0.0, .infinity, -.infinity, 0x1p-1030, -0x1p-1030, .greatestFiniteMagnitude, 1, -1,
    ]

    /// Values of one of several shapes: spread, heavily tied, specials, narrow (one exponent), all equal.
    static func values(count: Int, shape: Int, nulls: Int, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ -> Double in
            if nulls == 2 || (nulls == 1 && random.next() % 5 == 0) { return .nan }
            switch shape {
            case 0: return (random.unit() - 0.5) * 1e6
            case 1: return Double(Int(random.next() % 7) - 3)
            case 2: return specials[Int(random.next() % UInt64(specials.count))]
            case 3: return 32 + (random.unit() * 32).rounded(.down) / 1e4  // one exponent, 4 decimals
            default: return 2.5
            }
        }
    }

    /// Midranks by the standard library's sort: the positive rank sum and Σ(t³ − t).
    static func reference(values: [Double], outcome: [UInt8]) -> RankSums {
        let present = values.indices.filter { !values[$0].isNaN }.map { (values[$0], outcome[$0] != 0) }
            .sorted { $0.0 < $1.0 }
        var rankSum = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < present.count {
            var end = start
            var positives = 0
            while end < present.count && present[end].0 == present[start].0 {
                positives += present[end].1 ? 1 : 0
                end += 1
            }
            rankSum += Double(start + 1 + end) / 2 * Double(positives)
            let size = Double(end - start)
            tieTerm += size * size * size - size
            start = end
        }
        let positives = present.reduce(0) { $0 + ($1.1 ? 1 : 0) }
        return RankSums(
            positives: positives, negatives: present.count - positives, positiveRankSum: rankSum, tieTerm: tieTerm)
    }

    @Test(arguments: [0, 1, 2, 63, 64, 65, 2047, 2048, 2049, 70_000, 300_000])
    func sortsLikeTheStandardLibraryAndIsStable(count: Int) {
        for shape in 0..<5 {
            let values = Self.values(count: count, shape: shape, nulls: 0, seed: UInt64(count * 8 + shape))
            var keys = values.map(OrderStatistics.orderKey)
            var labels = (0..<count).map { UInt8(truncatingIfNeeded: $0) }
            _RadixSort.sort(&keys, labels: &labels)
            #expect(keys == values.map(OrderStatistics.orderKey).sorted(), "shape \(shape)")
            // Stable: equal values keep their input order (-0 and +0 are one value).
            let normalized = values.map { $0 == 0 ? 0.0 : $0 }
            let stable = normalized.indices.sorted { (normalized[$0], $0) < (normalized[$1], $1) }
            #expect(labels == stable.map { UInt8(truncatingIfNeeded: $0) }, "shape \(shape)")
        }
    }

    @Test(arguments: [0, 1, 63, 64, 65, 2047, 2048, 2049, 100_000])
    func rankSumsEqualTheReferenceExactly(count: Int) {
        for shape in 0..<5 {
            for nulls in 0..<3 {
                let seed = UInt64(count * 64 + shape * 4 + nulls)
                let values = Self.values(count: count, shape: shape, nulls: nulls, seed: seed)
                var random = SeededRandom(seed: seed ^ 0xABCD)
                let outcome = (0..<count).map { _ in UInt8(random.next() % 3 == 0 ? 1 : 0) }
                let sums = RankSums.of(values: values, outcome: outcome)
                var expected = Self.reference(values: values, outcome: outcome)
                if expected.positives == 0 || expected.negatives == 0 {
                    expected.positiveRankSum = 0
                    expected.tieTerm = 0
                }
                #expect(sums == expected, "count \(count) shape \(shape) nulls \(nulls)")
            }
        }
    }

    /// The per-value tables and the radix sort of every value give the same bits, whatever the shape, with one
    /// table (the default limit) and with partitions (a limit of 64 distinct values).
    @Test(arguments: [0, 1, 64, 2049, 100_000])
    func tieGroupsAndTheRadixSortAgreeBitForBit(count: Int) {
        for shape in 0..<5 {
            for nulls in 0..<3 {
                let seed = UInt64(count * 16 + shape * 4 + nulls) &+ 5
                let values = Self.values(count: count, shape: shape, nulls: nulls, seed: seed)
                var random = SeededRandom(seed: seed)
                let outcome = (0..<count).map { _ in UInt8(random.next() % 4 == 0 ? 2 : 0) }
                let sorted = RankSums.ofSorted(values: values, outcome: outcome)
                for limit in [_TieGroups.directLimit, 64] {
                    let groups = _TieGroups.aggregate(values: values, outcome: outcome, directLimit: limit)
                    // Only the spread shape is nearly all distinct: it may go to the radix sort (nil).
                    if shape != 0 {
                        #expect(groups != nil, "count \(count) shape \(shape) limit \(limit)")
                    }
                    if let groups {
                        #expect(ValueCounts(keys: groups.keys, sums: groups.sums).rankSums == sorted,
                            "count \(count) shape \(shape) nulls \(nulls) limit \(limit)")
                    }
                }
            }
        }
    }

    @Test func partitionedGroupsAreTheValuesInOrderWithTheirCounts() {
        // 20,000 rows of 2,000 values (-1000 ... 999), each value's positives known: past a limit of 100 distinct
        // values the rows are partitioned, and the groups must still come out in value order with exact counts.
        var random = SeededRandom(seed: 8)
        let values = (0..<20_000).map { _ in Double(Int(random.next() % 2000) - 1000) }
        let outcome = values.map { UInt8($0 < 0 ? 1 : 0) }
        let groups = _TieGroups.aggregate(values: values, outcome: outcome, directLimit: 100)
        Self.expectGroupsAreTheValues(groups, values: values, outcome: outcome, context: "limit 100")
    }

    /// Expects `groups` to hold every present value of `values` once, in value order, with its rows and positive
    /// rows. (Compared as Bools: a failure would otherwise print arrays of thousands of counts.)
    static func expectGroupsAreTheValues(
        _ groups: (keys: [UInt64], sums: [UInt64])?, values: [Double], outcome: [UInt8], context: String
    ) {
        var expected: [Double: (positives: Int, size: Int)] = [:]
        for (value, positive) in zip(values, outcome) where !value.isNaN {
            expected[value, default: (0, 0)].positives += Int(positive)
            expected[value, default: (0, 0)].size += 1
        }
        let order = expected.keys.sorted()
        #expect(groups != nil, "\(context)")
        let keysMatch = groups?.keys == order.map(OrderStatistics.orderKey)
        let positivesMatch = groups?.sums.map { Int($0 >> 32) } == order.map { expected[$0]!.positives }
        let sizesMatch = groups?.sums.map { Int($0 & 0xFFFF_FFFF) } == order.map { expected[$0]!.size }
        #expect(keysMatch, "\(context)")
        #expect(positivesMatch, "\(context)")
        #expect(sizesMatch, "\(context)")
    }

    /// Past the estimate (2¹⁴ values), every way gives each value's exact counts, in value order:
    /// - 200,000 rows of 40,000 shuffled values (with missing rows): with the default limit, one table sized from
    ///   the estimate and prefetched; with a limit of 20,000, the partitions at once;
    /// - a skewed column (most rows on 100 values, then 30,000 rare ones), whose estimate is below a limit of 20,000
    ///   and its values above: the table sized from the estimate is left for the partitions half way.
    @Test(arguments: [(_TieGroups.directLimit, false), (20_000, false), (20_000, true)])
    func groupsPastTheEstimateAreExact(limit: Int, skewed: Bool) {
        var random = SeededRandom(seed: 23)
        var values: [Double]
        if skewed {
            let frequent: [Double] = (0..<150_000).map { Double($0 % 100) }
            let rare: [Double] = (0..<50_000).map { Double(1_000 + $0 % 30_000) * 0.5 }
            values = frequent + rare
        } else {
            values = (0..<200_000).map { Double($0 % 40_000) * 0.25 - 3_000 }
        }
        values.shuffle(using: &random)
        for index in stride(from: 0, to: values.count, by: 101) { values[index] = .nan }
        if skewed {
            #expect(_TieGroups.estimatedDistinct(values) < Double(limit))
        }
        let outcome = (0..<values.count).map { _ in UInt8(random.next() % 3 == 0 ? 1 : 0) }
        #expect(skewed ? Set(values.filter { !$0.isNaN }).count > limit : true)
        let groups = _TieGroups.aggregate(values: values, outcome: outcome, directLimit: limit)
        Self.expectGroupsAreTheValues(groups, values: values, outcome: outcome, context: "limit \(limit)")
    }

    /// A column of nearly all distinct values is radix-sorted, with the same result as the reference.
    @Test func nearlyAllDistinctValuesAreSorted() {
        let count = 100_000
        var random = SeededRandom(seed: 42)
        var values = (0..<count).map { Double($0) - 1000 }
        values.shuffle(using: &random)
        for index in stride(from: 0, to: count, by: 997) { values[index] = .nan }
        let outcome = (0..<count).map { _ in UInt8(random.next() % 5 == 0 ? 1 : 0) }
        #expect(_TieGroups.estimatedDistinct(values) == .infinity)
        #expect(_TieGroups.aggregate(values: values, outcome: outcome, directLimit: 1000) == nil)
        #expect(RankSums.of(values: values, outcome: outcome) == Self.reference(values: values, outcome: outcome))
        // Values repeated 20 times each (5,000 distinct), and 300,000 rows of 60,000 distinct values, shuffled: the
        // estimate is within a factor of 1.5.
        // (Shuffled: a strided sample of a periodic column sees only some of its values.)
        var repeated = (0..<count).map { Double($0 % 5000) }
        repeated.shuffle(using: &random)
        let estimate = _TieGroups.estimatedDistinct(repeated)
        #expect(estimate > 5_000 / 1.5 && estimate < 5_000 * 1.5, "estimate \(estimate)")
        var many = (0..<300_000).map { Double($0 % 60_000) }
        many.shuffle(using: &random)
        let manyEstimate = _TieGroups.estimatedDistinct(many)
        #expect(manyEstimate > 60_000 / 1.5 && manyEstimate < 60_000 * 1.5, "estimate \(manyEstimate)")
    }

    /// U from the rank sum equals the pairwise count Σ [x₁ > x₀] + ½ [x₁ = x₀] over positive × negative pairs.
    @Test func rankSumGivesTheMannWhitneyPairCount() {
        for shape in 0..<5 {
            let values = Self.values(count: 400, shape: shape, nulls: 1, seed: UInt64(shape) + 99)
            var random = SeededRandom(seed: 7 + UInt64(shape))
            let outcome = values.map { _ in UInt8(random.next() % 4 == 0 ? 1 : 0) }
            let sums = RankSums.of(values: values, outcome: outcome)
            var pairs = 0.0
            for i in values.indices where outcome[i] != 0 && !values[i].isNaN {
                for j in values.indices where outcome[j] == 0 && !values[j].isNaN {
                    pairs += values[i] > values[j] ? 1 : (values[i] == values[j] ? 0.5 : 0)
                }
            }
            let n1 = Double(sums.positives)
            #expect(sums.positiveRankSum - n1 * (n1 + 1) / 2 == pairs, "shape \(shape)")
        }
    }

    @Test func aClassAbsentGivesZeroSums() {
        #expect(RankSums.of(values: [], outcome: []) == RankSums(positives: 0, negatives: 0, positiveRankSum: 0, tieTerm: 0))
        #expect(RankSums.of(values: [1, 2, .nan], outcome: [1, 1, 0]).negatives == 0)
    }
}

import Testing
import _TestSupport

@testable import Kernels

/// `_KeyCountTable` against a `Dictionary` of sums, alone and partitioned.
struct KeyCountTableTests {
    static func pairs(count: Int, range: UInt64, seed: UInt64) -> [(key: UInt64, increment: UInt64)] {
        var random = SeededRandom(seed: seed)
        // Key 0 (the empty-slot marker, kept apart) is drawn as often as any other key.
        return (0..<count).map { _ in (random.next() % range, random.next() % 3) }
    }

    static func reference(_ pairs: [(key: UInt64, increment: UInt64)]) -> [UInt64: UInt64] {
        var sums: [UInt64: UInt64] = [:]
        for pair in pairs { sums[pair.key, default: 0] &+= pair.increment }
        return sums
    }

    @Test(arguments: [0, 1, 17, 5_000, 100_000])
    func sumsMatchADictionaryThroughGrowthReserveAndReset(count: Int) {
        var table = _KeyCountTable(expected: 4)
        for range: UInt64 in [1, 2, 100, 1 << 40] {
            let pairs = Self.pairs(count: count, range: range, seed: UInt64(count) &+ range)
            // The same table is reset between inputs, as the partitioned counts reuse it.
            table.reset(expected: 8)
            var distinct = Set<UInt64>()
            for (index, pair) in pairs.enumerated() {
                // Room made mid-way (as the tie groups do once they have an estimate) keeps every sum.
                if index == pairs.count / 2 { table.reserve(expected: 3 * table.count + 100) }
                let isNew = distinct.insert(pair.key).inserted
                #expect(table.add(pair.key, pair.increment) == isNew, "key \(pair.key) at \(index)")
            }
            var sums: [UInt64: UInt64] = [:]
            table.forEach { key, sum in
                #expect(sums[key] == nil, "key \(key) listed twice")
                sums[key] = sum
            }
            #expect(sums == Self.reference(pairs), "count \(count), range \(range)")
            #expect(table.count == sums.count)
        }
    }

    /// The probe adds to the keys the table holds and to no other (nor to 0, kept apart), leaving the table as if
    /// `add` had been called; a probe taken after each insert follows the table through its growth.
    @Test(arguments: [100, 50_000])
    func probeAddsToHeldKeysOnly(count: Int) {
        let pairs = Self.pairs(count: count, range: 1 << 40, seed: UInt64(count)) + Self.pairs(count: 20, range: 3, seed: 5)
        var table = _KeyCountTable(expected: 4)
        var probe = unsafe table.probe
        var probed = 0
        for pair in pairs {
            if unsafe probe.addIfHeld(pair.key, pair.increment) {
                probed += 1
                continue
            }
            table.add(pair.key, pair.increment)
            unsafe probe = table.probe
        }
        var sums: [UInt64: UInt64] = [:]
        table.forEach { key, sum in sums[key] = sum }
        #expect(sums == Self.reference(pairs))
        // Every pair whose key was met before, but the key 0, went through the probe.
        var seen = Set<UInt64>()
        let repeats = pairs.filter { pair in !seen.insert(pair.key).inserted && pair.key != 0 }.count
        #expect(probed == repeats)
        #expect(unsafe !probe.addIfHeld(0, 1))
    }

    /// Room made for fewer keys than the table holds changes nothing; room for more leaves every sum in place. The
    /// table stays a power of two of at least twice its keys, for keys that differ only in their high bits too.
    @Test func reserveKeepsEverySumAndTheSizeRule() {
        var table = _KeyCountTable(expected: 4)
        var reference: [UInt64: UInt64] = [:]
        for index in 0..<3_000 {
            let key = UInt64(index % 1_500) << 44
            table.add(key, UInt64(index % 5))
            reference[key, default: 0] &+= UInt64(index % 5)
            if index == 1_000 {
                let slots = table.slotCount
                table.reserve(expected: table.count / 2)
                #expect(table.slotCount == slots, "a smaller reservation resized the table")
                table.reserve(expected: 5_000)
                #expect(table.slotCount >= 10_000)
            }
            #expect(table.slotCount.nonzeroBitCount == 1 && table.slotCount >= 2 * table.count)
        }
        var sums: [UInt64: UInt64] = [:]
        table.forEach { key, sum in sums[key] = sum }
        #expect(sums == reference)
    }

    @Test(arguments: [4, 6, 8])
    func partitionsHoldEveryKeyOnceWithItsWholeSum(bits: Int) {
        let pairs = Self.pairs(count: 50_000, range: 9_000, seed: UInt64(bits))
        var sums: [UInt64: UInt64] = [:]
        var partitionsSeen = 0
        _KeyCountTable.forEachPartition(
            partitionBits: bits,
            rows: pairs.count + 1,
            // The extra row has no pair, and rows without one are left out.
            pair: { row in row < pairs.count ? (pairs[row].key, UInt8(pairs[row].increment)) : nil },
            increment: { UInt64($0) }
        ) { table in
            partitionsSeen += 1
            table.forEach { key, sum in
                #expect(sums[key] == nil, "key \(key) in two partitions")
                sums[key] = sum
            }
        }
        #expect(partitionsSeen == 1 << bits)
        #expect(sums == Self.reference(pairs))
    }

    /// The partitions' tables, each listed in its own order, when at most `limit` pairs are scattered at a time.
    static func partitionListings(
        _ pairs: [(key: UInt64, increment: UInt64)], bits: Int, limit: Int
    ) -> [[(key: UInt64, sum: UInt64)]] {
        var listings: [[(key: UInt64, sum: UInt64)]] = []
        _KeyCountTable.forEachPartition(
            partitionBits: bits, rows: pairs.count, scatterLimit: limit,
            // Every seventh row has no pair.
            pair: { row in row % 7 == 3 ? nil : (pairs[row].key, UInt8(pairs[row].increment)) },
            increment: { UInt64($0) }
        ) { table in
            var listing: [(key: UInt64, sum: UInt64)] = []
            table.forEach { listing.append(($0, $1)) }
            listings.append(listing)
        }
        return listings
    }

    @Test(arguments: [13, 997, 5_000, 40_000])
    func partitionsScatteredInRoundsHoldTheSameKeysInTheSameOrder(limit: Int) {
        var pairs = Self.pairs(count: 20_000, range: 6_000, seed: UInt64(limit))
        // One key on a third of the rows: its partition is bigger than the smaller limits, cut by many rounds.
        for row in stride(from: 0, to: pairs.count, by: 3) { pairs[row].key = 4_242 }
        let whole = Self.partitionListings(pairs, bits: 6, limit: .max)
        let rounds = Self.partitionListings(pairs, bits: 6, limit: limit)
        #expect(rounds.count == 1 << 6)
        #expect(rounds.map { $0.map(\.key) } == whole.map { $0.map(\.key) })
        #expect(rounds.map { $0.map(\.sum) } == whole.map { $0.map(\.sum) })
        var sums: [UInt64: UInt64] = [:]
        for listing in rounds { for entry in listing { sums[entry.key] = entry.sum } }
        let present = pairs.enumerated().filter { $0.offset % 7 != 3 }.map(\.element)
        #expect(sums == Self.reference(present))
    }

    @Test func partitionBitsFollowTheDistinctKeys() {
        #expect(_KeyCountTable.partitionBits(distinct: 10) == 4)
        #expect(_KeyCountTable.partitionBits(distinct: 1e6) == 7)
        #expect(_KeyCountTable.partitionBits(distinct: .infinity) == _KeyCountTable.maximumPartitionBits)
    }
}

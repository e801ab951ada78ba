import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// The decimal grid's choice of decimals and its counts, against a dictionary of the values and the hash tables.
struct DecimalGridTests {
    static func grid(_ values: [Double]) -> _DecimalGrid? {
        unsafe values.withUnsafeBufferPointer { unsafe _DecimalGrid.detect($0) }
    }

    static func aggregate(
        _ grid: _DecimalGrid, _ values: [Double], validity: ValidityBitmap? = nil, outcome: [UInt8]
    ) -> ValueCounts {
        unsafe values.withUnsafeBufferPointer { valueBuffer in
            unsafe outcome.withUnsafeBufferPointer {
                unsafe grid.aggregate(values: valueBuffer, validity: validity, outcome: $0)
            }
        }
    }

    /// `count` values rounded to `decimals`, spread over ±`span` around `center`.
    static func rounded(count: Int, decimals: Int, center: Double, span: Double, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (0..<count).map { _ in ((center + (random.unit() * 2 - 1) * span) * scale).rounded() / scale }
    }

    @Test(arguments: 0...7)
    func findsTheFewestDecimalsThatHoldTheValues(decimals: Int) {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        // About 40,000 steps: within the 100,000 slots that 50,000 rows may have.
        let span = 20_000 / scale
        let values = Self.rounded(count: 50_000, decimals: decimals, center: -3, span: span, seed: UInt64(decimals))
        let grid = Self.grid(values)
        #expect(grid?.scale == scale)
        // The sample's span (nearly 2 × span steps), widened by an eighth at each end.
        let steps = 2 * span * scale
        #expect(grid.map { Double($0.slotCount) >= steps * 1.2 && Double($0.slotCount) <= steps * 1.26 } == true)
    }

    @Test func noGridWhereTheValuesAreNotOnOneOrWouldNeedTooManySlots() {
        var random = SeededRandom(seed: 3)
        let fullPrecision = (0..<10_000).map { _ in random.unit() * 100 }
        #expect(Self.grid(fullPrecision) == nil)
        // Whole numbers over 10¹²: too many slots.
        let spread = (0..<10_000).map { _ in (random.unit() * 1e12).rounded() }
        #expect(Self.grid(spread) == nil)
        // 10,000 rows may not have more than 2 × 10,000 slots (at least 4,096).
        let sparse = (0..<10_000).map { _ in (random.unit() * 1e5).rounded() }
        #expect(Self.grid(sparse) == nil)
        #expect(Self.grid([Double](repeating: .nan, count: 100)) == nil)
        #expect(Self.grid([]) == nil)
        // Products past 2⁵⁰ are off the grid, even where they are whole.
        #expect(Self.grid((0..<1000).map { Double(1 << 52) + Double($0) }) == nil)
    }

    /// Rows off the grid, past its ends (where no sampled row was), special values and missing rows all count as
    /// the dictionary of values says, with validity or without, and the same as the hash tables count them.
    @Test(arguments: [1, 64, 2049, 100_000, 600_000])
    func countsEqualTheReferenceOnAndOffTheGrid(count: Int) {
        let stride = max(8, count / _TieGroups.sampleSize)
        for mix in 0..<4 {
            let seed = UInt64(count * 4 + mix)
            // Few enough steps for the rows (at least 4,096 slots are allowed).
            let span = count < 10_000 ? 0.1 : 3
            var values = Self.rounded(count: count, decimals: 4, center: 2, span: span, seed: seed)
            var random = SeededRandom(seed: seed ^ 0xD1CE)
            let specials: [Double] = [
                .nan, 0, -0.0, .infinity, -.infinity, 1e300, -1e300, Double(1 << 53), -Double(1 << 60),
                .leastNonzeroMagnitude, 2.00005, 1 / 3,
            ]
            for row in values.indices where random.next() % 50 < UInt64(mix) {
                // Off the sampled rows: past the grid's ends, special, or between its steps.
                guard row % stride != 0 else { continue }
                switch random.next() % 3 {
                case 0: values[row] = (random.unit() < 0.5 ? -1 : 1) * (100 + (random.unit() * 1e4).rounded() / 1e4)
                case 1: values[row] = specials[Int(random.next() % UInt64(specials.count))]
                default: values[row] = random.unit()
                }
            }
            let outcome = (0..<count).map { _ in UInt8(random.next() % 3 == 0 ? 1 + random.next() % 4 : 0) }
            let valid = (0..<count).map { _ in random.next() % 7 != 0 }
            let label = "count \(count) mix \(mix)"
            guard let grid = Self.grid(values) else {
                Issue.record("no grid, \(label)")
                continue
            }
            // One row may need fewer decimals.
            if count > 1 { #expect(grid.scale == 1e4, "\(label)") }
            for validity in [nil, ValidityBitmap(valid)] {
                let masked = validity == nil ? values : values.indices.map { valid[$0] ? values[$0] : .nan }
                let expected = ValueCountsTests.reference(values: masked, outcome: outcome)
                let counts = Self.aggregate(grid, values, validity: validity, outcome: outcome)
                #expect(
                    ValueCountsTests.same(ValueCountsTests.groups(counts), expected),
                    "\(label) validity \(validity != nil)")
                // The hash tables' counts (or, for nearly distinct values, the sort's).
                let other = unsafe values.withUnsafeBufferPointer { valueBuffer in
                    unsafe outcome.withUnsafeBufferPointer { outcomeBuffer in
                        if let groups = unsafe _TieGroups.aggregate(
                            values: valueBuffer, validity: validity, outcome: outcomeBuffer)
                        {
                            return ValueCounts(keys: groups.keys, sums: groups.sums)
                        }
                        return unsafe ValueCounts.sortingEveryValue(valueBuffer, validity: validity, outcome: outcomeBuffer)
                    }
                }
                // Compared first: a failure would print every key.
                let sameAsOther = other == counts
                #expect(sameAsOther, "\(label)")
                let viaPublic = unsafe values.withUnsafeBufferPointer { valueBuffer in
                    unsafe outcome.withUnsafeBufferPointer {
                        unsafe ValueCounts.of(values: valueBuffer, validity: validity, outcome: $0)
                    }
                }
                let sameViaPublic = viaPublic == counts
                #expect(sameViaPublic, "\(label)")
            }
        }
    }

    /// Whole numbers (no decimals), negative and positive, with -0 and +0 one value, reported as +0.
    @Test func wholeNumbersAndSignedZero() {
        var random = SeededRandom(seed: 17)
        let values = (0..<5000).map { row -> Double in
            row % 10 == 3 ? (row % 20 == 3 ? -0.0 : 0.0) : Double(Int(random.next() % 201) - 100)
        }
        let outcome = values.indices.map { UInt8($0 % 3 == 0 ? 1 : 0) }
        guard let grid = Self.grid(values) else {
            Issue.record("no grid")
            return
        }
        #expect(grid.scale == 1)
        let counts = Self.aggregate(grid, values, outcome: outcome)
        #expect(ValueCountsTests.same(ValueCountsTests.groups(counts), ValueCountsTests.reference(values: values, outcome: outcome)))
        #expect(counts.group(at: 100).value.bitPattern == 0.0.bitPattern)
    }

    /// Counts that fall wholly on the grid are read in its slots; one row off the grid lists them. Either way the
    /// walk, the search for the `index`-th value, the order statistics and the rank sums agree with the reference,
    /// over occupied slots at and around the 64-slot words' edges.
    @Test(arguments: [0, 1, 63, 64, 65, 127, 128, 129, 4095])
    func slotsAreReadInPlaceUnlessARowIsOffTheGrid(occupied: Int) {
        var random = SeededRandom(seed: UInt64(occupied) + 5)
        // Whole numbers 0..<occupied, one or more rows each, with gaps between some of them.
        var values: [Double] = []
        for step in 0..<occupied where step % 7 != 3 || occupied < 3 {
            for _ in 0...(random.next() % 3) { values.append(Double(step)) }
        }
        values.append(contentsOf: [.nan, .nan])
        let outcome = values.indices.map { _ in UInt8(random.next() % 2) }
        for offGrid in [false, true] {
            let rows = offGrid ? values + [0.5] : values
            let flags = offGrid ? outcome + [1] : outcome
            let grid = _DecimalGrid(scale: 1, low: -2, slotCount: max(occupied, 1) + 4)
            let counts = Self.aggregate(grid, rows, outcome: flags)
            let inSlots: Bool = if case .grid = counts.storage { true } else { false }
            #expect(inSlots == !offGrid, "occupied \(occupied) off grid \(offGrid)")
            let expected = ValueCountsTests.reference(values: rows, outcome: flags)
            #expect(ValueCountsTests.same(ValueCountsTests.groups(counts), expected), "\(occupied) \(offGrid)")
            var walked: [(value: Double, rows: Int, positives: Int)] = []
            counts.forEachGroup { walked.append((value: $0, rows: $1, positives: $2)) }
            #expect(ValueCountsTests.same(walked, expected), "walk \(occupied) \(offGrid)")
            let present = rows.filter { !$0.isNaN }.sorted()
            #expect(counts.count == present.count)
            if !present.isEmpty {
                let ranks = [0, present.count / 3, present.count - 1, present.count / 2]
                #expect(counts.orderStatistics(ranks: ranks) == ranks.map { present[$0] })
            }
            #expect(counts.rankSums == RankSums.ofSorted(values: rows, outcome: flags))
        }
    }
}

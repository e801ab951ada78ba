import Stats
import Testing
import _TestSupport

/// Benjamini–Hochberg against statsmodels' fdr_bh (re-implemented in scripts/make_stats_fixtures.py), plus the
/// properties every adjustment must satisfy.
struct MultipleTestingTests {
    /// Same arithmetic (`p / (rank/m)` and a running minimum), so 1e-15 relative.
    @Test(arguments: try ReferenceFixture.load().benjamini_hochberg)
    func matchesStatsmodels(_ reference: ReferenceFixture.AdjustmentValue) {
        let adjusted = MultipleTesting.benjaminiHochberg(reference.pvalues)
        #expect(adjusted.count == reference.qvalues.count)
        for (index, (ours, theirs)) in zip(adjusted, reference.qvalues).enumerated() {
            #expect(isClose(ours, theirs, relative: 1e-15), "index \(index): \(ours) vs \(theirs)")
        }
    }

    @Test func handExample() {
        // m = 4: raw p·m/rank = [0.04, 0.04, 0.04, 0.08] -> running minimum from the top.
        let q = MultipleTesting.benjaminiHochberg([0.02, 0.01, 0.03, 0.08])
        for (ours, expected) in zip(q, [0.04, 0.04, 0.04, 0.08]) {
            #expect(isClose(ours, expected, relative: 1e-15), "\(q)")
        }
        #expect(MultipleTesting.benjaminiHochberg([]) == [])
        #expect(MultipleTesting.benjaminiHochberg([0.3]) == [0.3])
        #expect(MultipleTesting.benjaminiHochberg([0.9, 0.95]) == [0.95, 0.95])
    }

    @Test func nanIsSkippedAndNotCounted() {
        let q = MultipleTesting.benjaminiHochberg([0.01, .nan, 0.04, .nan])
        #expect(q[1].isNaN && q[3].isNaN)
        // m = 2, not 4.
        #expect(q[0] == 0.02)
        #expect(q[2] == 0.04)
        #expect(MultipleTesting.benjaminiHochberg([.nan, .nan]).allSatisfy { $0.isNaN })
    }

    /// On seeded random vectors (with deliberate ties): p ≤ q ≤ 1, and q is monotone in p
    /// (p_i ≤ p_j implies q_i ≤ q_j; equal p give equal q).
    @Test(arguments: [1, 2, 7, 64, 500, 4096])
    func adjustedValuesAreMonotoneAndConservative(_ count: Int) {
        var random = SeededRandom(seed: UInt64(count) &* 0x9E37_79B9)
        let pValues = (0..<count).map { _ -> Double in
            let draw = random.unit()
            return draw < 0.2 ? (draw * 25).rounded() / 100 : draw * draw * draw  // ties on a 0.01 grid
        }
        let q = MultipleTesting.benjaminiHochberg(pValues)
        for index in q.indices {
            #expect(q[index] >= pValues[index] && q[index] <= 1, "p = \(pValues[index]), q = \(q[index])")
        }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        for (previous, next) in zip(order, order.dropFirst()) {
            #expect(
                q[previous] <= q[next], "p \(pValues[previous]) -> q \(q[previous]); p \(pValues[next]) -> q \(q[next])"
            )
            if pValues[previous] == pValues[next] { #expect(q[previous] == q[next]) }
        }
    }

    @Test func permutingInputsPermutesOutputs() {
        var random = SeededRandom(seed: 99)
        let pValues = (0..<200).map { _ in random.unit() }
        let q = MultipleTesting.benjaminiHochberg(pValues)
        let reversed = MultipleTesting.benjaminiHochberg(pValues.reversed())
        #expect(Array(reversed.reversed()) == q)
    }

    /// A family larger than the tests: the same q-values as BH over the tests plus p = 1 for every untested member.
    @Test func familySizeCountsUntestedMembersAsOnes() {
        var random = SeededRandom(seed: 31)
        for _ in 0..<50 {
            let tested = 1 + Int(random.next() % 40)
            let untested = Int(random.next() % 60)
            let pValues = (0..<tested).map { _ in random.unit() * random.unit() }
            let padded = MultipleTesting.benjaminiHochberg(pValues + [Double](repeating: 1, count: untested))
            let sized = MultipleTesting.benjaminiHochberg(pValues, familySize: Double(tested + untested))
            for index in 0..<tested { #expect(isClose(sized[index], padded[index], relative: 1e-14)) }
            // Never below the q-values of the tested ones alone.
            let alone = MultipleTesting.benjaminiHochberg(pValues)
            for index in 0..<tested { #expect(sized[index] >= alone[index]) }
        }
        #expect(MultipleTesting.benjaminiHochberg([0.01, 0.5], familySize: nil) == MultipleTesting.benjaminiHochberg([0.01, 0.5]))
    }
}

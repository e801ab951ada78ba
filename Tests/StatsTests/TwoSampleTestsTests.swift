import Stats
import Testing
import _TestSupport

/// Fisher's exact test, the pooled z-test, the compare dispatcher and the chi-square homogeneity test against scipy
/// (and the statsmodels z-test formula), plus edge cases and properties.
struct TwoSampleTestsTests {
    // MARK: - Fisher

    /// scipy 1.17 fisher_exact(alternative="two-sided"); measured agreement 1.2e-14, tested at 1e-12 relative
    /// (1e-300 absolute for the table whose p-value underflows in scipy).
    @Test(arguments: try ReferenceFixture.load().fisher_exact)
    func fisherMatchesScipy(_ reference: ReferenceFixture.FisherValue) {
        let table = reference.table
        let pValue = TwoSampleTests.fisherExact(table[0][0], table[0][1], table[1][0], table[1][1])
        #expect(isClose(pValue, reference.pvalue, relative: 1e-12, absolute: 1e-300), "got \(pValue)")
        #expect(pValue >= 0 && pValue <= 1)
    }

    @Test func fisherTextbookValues() {
        // Lady tasting tea, 4 of 4 cups right: p = 2/70.
        #expect(isClose(TwoSampleTests.fisherExact(4, 0, 0, 4), 2.0 / 70, relative: 1e-14))
        // scipy's docstring example.
        #expect(isClose(TwoSampleTests.fisherExact(8, 2, 1, 5), 0.034965034965034975, relative: 1e-13))
        // Empty row or column: nothing to test.
        #expect(TwoSampleTests.fisherExact(0, 0, 3, 4) == 1)
        #expect(TwoSampleTests.fisherExact(0, 3, 0, 4) == 1)
        // The observed table is the mode: every table is at most as likely.
        #expect(TwoSampleTests.fisherExact(5, 5, 5, 5) == 1)
    }

    /// Transposing the table or swapping its rows or columns describes the same data: same p-value.
    @Test func fisherIsInvariantUnderTableSymmetries() {
        var random = SeededRandom(seed: 2024)
        for _ in 0..<300 {
            let a = Int(random.unit() * 40), b = Int(random.unit() * 40)
            let c = Int(random.unit() * 400), d = Int(random.unit() * 400)
            let p = TwoSampleTests.fisherExact(a, b, c, d)
            for other in [
                TwoSampleTests.fisherExact(a, c, b, d), TwoSampleTests.fisherExact(b, a, d, c),
                TwoSampleTests.fisherExact(c, d, a, b), TwoSampleTests.fisherExact(d, c, b, a),
            ] {
                #expect(isClose(p, other, relative: 1e-12), "[[\(a), \(b)], [\(c), \(d)]]: \(p) vs \(other)")
            }
        }
    }

    /// The 48,842-row example is fast: one call well under 100 ms even in a debug build.
    @Test(.timeLimit(.minutes(1)))
    func fisherLargeTable() {
        let pValue = TwoSampleTests.fisherExact(600, 5500, 5600, 37142)
        #expect(isClose(pValue, 1.71578722794387e-13, relative: 1e-12))
    }

    // MARK: - z-test

    /// statsmodels proportions_ztest (pooled), same arithmetic: 1e-12 relative on z and p.
    @Test(arguments: try ReferenceFixture.load().ztest)
    func zTestMatchesStatsmodels(_ reference: ReferenceFixture.ZTestValue) {
        let result = TwoSampleTests.twoProportionZ(
            successes1: reference.x1, trials1: reference.n1, successes2: reference.x2, trials2: reference.n2
        )
        #expect(isClose(result.z, reference.z, relative: 1e-12, absolute: 1e-15), "z = \(result.z)")
        #expect(isClose(result.pValue, reference.pvalue, relative: 1e-12), "p = \(result.pValue)")
    }

    @Test func zTestDegenerateCases() {
        // Pooled variance 0 (no successes, or all): no evidence of a difference.
        #expect(TwoSampleTests.twoProportionZ(successes1: 0, trials1: 10, successes2: 0, trials2: 20) == (0, 1))
        #expect(TwoSampleTests.twoProportionZ(successes1: 10, trials1: 10, successes2: 20, trials2: 20) == (0, 1))
        // An empty group.
        #expect(TwoSampleTests.twoProportionZ(successes1: 0, trials1: 0, successes2: 5, trials2: 20) == (0, 1))
        // Antisymmetry: swapping the groups flips z and keeps p.
        let forward = TwoSampleTests.twoProportionZ(successes1: 30, trials1: 100, successes2: 20, trials2: 150)
        let backward = TwoSampleTests.twoProportionZ(successes1: 20, trials1: 150, successes2: 30, trials2: 100)
        #expect(forward.z == -backward.z)
        #expect(forward.pValue == backward.pValue)
        #expect(forward.z > 0)
    }

    // MARK: - compare

    /// The rule picks the same test as the script's and gives scipy's / statsmodels' p-value (1e-12 relative).
    @Test(arguments: try ReferenceFixture.load().compare)
    func compareMatchesReference(_ reference: ReferenceFixture.CompareValue) {
        let result = TwoSampleTests.compare(
            successes1: reference.x1, trials1: reference.n1, successes2: reference.x2, trials2: reference.n2
        )
        #expect(result.method.rawValue == reference.method)
        #expect(isClose(result.pValue, reference.pvalue, relative: 1e-12), "p = \(result.pValue)")
    }

    @Test func compareChoosesByExpectedCounts() {
        // Expected counts 10·31/210 ≈ 1.5 < 5: Fisher, statistic = sample odds ratio (1·(200-30))/(9·30).
        let small = TwoSampleTests.compare(successes1: 1, trials1: 10, successes2: 30, trials2: 200)
        #expect(small.method == .fisherExact)
        #expect(small.statistic == 170.0 / 270)
        // All expected counts ≥ 5: the z-test, statistic = z.
        let large = TwoSampleTests.compare(successes1: 40, trials1: 100, successes2: 30, trials2: 100)
        #expect(large.method == .twoProportionZ)
        let z = TwoSampleTests.twoProportionZ(successes1: 40, trials1: 100, successes2: 30, trials2: 100)
        #expect(large.statistic == z.z)
        #expect(large.pValue == z.pValue)
        // Infinite odds ratio (b·c = 0) is reported as nil.
        let perfect = TwoSampleTests.compare(successes1: 4, trials1: 4, successes2: 0, trials2: 4)
        #expect(perfect.method == .fisherExact && perfect.statistic == nil)
        #expect(isClose(perfect.pValue, 2.0 / 70, relative: 1e-14))
    }

    @Test func compareWithAnEmptyGroupIsUninformative() {
        let result = TwoSampleTests.compare(successes1: 0, trials1: 0, successes2: 3, trials2: 10)
        #expect(result == ComparisonResult(pValue: 1, method: .fisherExact, statistic: nil))
        #expect(TwoSampleTests.compare(successes1: 3, trials1: 10, successes2: 0, trials2: 0).pValue == 1)
    }

    // MARK: - Chi-square homogeneity

    /// scipy chi2_contingency(correction=False): 1e-12 relative on the statistic and the p-value.
    @Test(arguments: try ReferenceFixture.load().chi2_homogeneity)
    func homogeneityMatchesScipy(_ reference: ReferenceFixture.HomogeneityValue) {
        let result = TwoSampleTests.chiSquareHomogeneity(successes: reference.successes, trials: reference.trials)
        #expect(result.degreesOfFreedom == reference.dof)
        #expect(isClose(result.statistic, reference.statistic, relative: 1e-12), "X² = \(result.statistic)")
        #expect(isClose(result.pValue, reference.pvalue, relative: 1e-12, absolute: 1e-300), "p = \(result.pValue)")
    }

    @Test func homogeneityDegenerateCases() {
        // Zero-trial rows are dropped, leaving one row: nothing to compare.
        let single = TwoSampleTests.chiSquareHomogeneity(successes: [3, 0], trials: [10, 0])
        #expect(single == (0, 0, 1))
        // No successes anywhere (zero column).
        let none = TwoSampleTests.chiSquareHomogeneity(successes: [0, 0, 0], trials: [5, 6, 7])
        #expect(none == (0, 2, 1))
        // Identical rates: X² = 0, p = 1.
        let same = TwoSampleTests.chiSquareHomogeneity(successes: [2, 4, 8], trials: [10, 20, 40])
        #expect(same.statistic == 0 && same.pValue == 1 && same.degreesOfFreedom == 2)
        #expect(TwoSampleTests.chiSquareHomogeneity(successes: [], trials: []) == (0, 0, 1))
    }

    /// For two groups, the chi-square statistic is the square of the pooled z (an identity, 1e-12 relative).
    @Test func twoGroupChiSquareIsZSquared() {
        var random = SeededRandom(seed: 31337)
        for _ in 0..<500 {
            let n1 = 1 + Int(random.unit() * 3000), n2 = 1 + Int(random.unit() * 3000)
            let x1 = Int(random.unit() * Double(n1 + 1)), x2 = Int(random.unit() * Double(n2 + 1))
            let z = TwoSampleTests.twoProportionZ(successes1: x1, trials1: n1, successes2: x2, trials2: n2)
            let chi = TwoSampleTests.chiSquareHomogeneity(successes: [x1, x2], trials: [n1, n2])
            #expect(isClose(chi.statistic, z.z * z.z, relative: 1e-10, absolute: 1e-12), "\(x1)/\(n1) vs \(x2)/\(n2)")
            #expect(isClose(chi.pValue, z.pValue, relative: 1e-10, absolute: 1e-300), "\(x1)/\(n1) vs \(x2)/\(n2)")
        }
    }
}

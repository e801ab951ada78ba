import Stats
import Testing
import _TestSupport

/// The Cochran–Armitage trend test against the binomial-variance formula (R's prop.trend.test) and statsmodels'
/// linear-by-linear association test, plus degenerate inputs.
struct TrendTestsTests {
    /// z and p within 1e-12 relative of the reference formula; `z·√((N-1)/N)` and its p-value within 1e-12 of
    /// statsmodels' `Table.test_ordinal_association` (sign-aligned to successes).
    @Test(arguments: try ConditionsFixture.load().trend)
    func matchesReference(_ reference: ConditionsFixture.TrendCase) {
        let result = TrendTests.cochranArmitage(
            successes: reference.successes, trials: reference.trials, scores: reference.scores)
        #expect(isClose(result.z, reference.z, relative: 1e-12), "z \(result.z) vs \(reference.z)")
        #expect(isClose(result.pValue, reference.pvalue, relative: 1e-12), "p \(result.pValue) vs \(reference.pvalue)")
        let total = Double(reference.trials.reduce(0, +))
        let conditional = result.z * ((total - 1) / total).squareRoot()
        #expect(isClose(conditional, reference.statsmodels_z, relative: 1e-12))
        let conditionalP = 2 * SpecialFunctions.normalSurvival(abs(conditional))
        #expect(isClose(conditionalP, reference.statsmodels_pvalue, relative: 1e-12))
    }

    /// The slope is the weighted least-squares slope of the rates on the scores: for rates that lie on a line it is
    /// that line's slope exactly.
    @Test func slopeOfALinearTrend() {
        let result = TrendTests.cochranArmitage(successes: [10, 20, 30, 40], trials: [100, 100, 100, 100])
        #expect(isClose(result.slope, 0.1, relative: 1e-14))
        #expect(result.z > 0 && result.pValue < 1e-6)
        let falling = TrendTests.cochranArmitage(successes: [40, 30, 20, 10], trials: [100, 100, 100, 100])
        #expect(isClose(falling.z, -result.z, relative: 1e-14))
    }

    /// Empty groups are dropped but keep the spacing of the others (default scores are input positions).
    @Test func emptyGroupsKeepSpacing() {
        let withGap = TrendTests.cochranArmitage(successes: [5, 0, 15], trials: [50, 0, 50])
        let explicit = TrendTests.cochranArmitage(successes: [5, 15], trials: [50, 50], scores: [0, 2])
        #expect(withGap == explicit)
    }

    @Test func degenerateInputsGiveNoEvidence() {
        let none = TrendTests.TrendResult(z: 0, pValue: 1, slope: 0)
        #expect(TrendTests.cochranArmitage(successes: [], trials: []) == none)
        #expect(TrendTests.cochranArmitage(successes: [3], trials: [10]) == none)
        #expect(TrendTests.cochranArmitage(successes: [0, 0], trials: [10, 10]) == none)
        #expect(TrendTests.cochranArmitage(successes: [10, 10], trials: [10, 10]) == none)
        #expect(TrendTests.cochranArmitage(successes: [1, 5], trials: [10, 10], scores: [2, 2]) == none)
    }
}

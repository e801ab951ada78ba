import Stats
import Testing
import _TestSupport

/// Holm's step-down adjustment against statsmodels' `multipletests(method="holm")` (values printed by statsmodels
/// 0.15 for these inputs) and its properties.
struct HolmTests {
    @Test func matchesStatsmodels() {
        let cases: [([Double], [Double])] = [
            ([0.01, 0.04, 0.03, 0.005], [0.03, 0.06, 0.06, 0.02]),
            ([0.5, 0.2, 0.9], [1, 0.6000000000000001, 1]),
            ([0.02, 0.02, 0.5], [0.06, 0.06, 0.5]),
        ]
        for (pValues, expected) in cases {
            let adjusted = MultipleTesting.holm(pValues)
            for (value, reference) in zip(adjusted, expected) {
                #expect(isClose(value, reference, relative: 1e-15), "\(pValues): \(adjusted)")
            }
        }
    }

    /// NaN stays NaN and is not counted; adjusted ≥ raw, ≤ 1, and monotone in the raw p-value; Holm is never
    /// larger than Bonferroni.
    @Test func properties() {
        let adjusted = MultipleTesting.holm([0.01, .nan, 0.02])
        #expect(adjusted[1].isNaN && isClose(adjusted[0], 0.02, relative: 1e-15) && adjusted[2] == 0.02)
        #expect(MultipleTesting.holm([]) == [])
        var random = SeededRandom(seed: 3)
        for _ in 0..<100 {
            let pValues = (0..<8).map { _ in random.unit() * random.unit() }
            let holm = MultipleTesting.holm(pValues)
            for index in pValues.indices {
                #expect(holm[index] >= pValues[index] && holm[index] <= 1)
                #expect(holm[index] <= min(1, 8 * pValues[index]) + 1e-15)
                for other in pValues.indices where pValues[other] <= pValues[index] {
                    #expect(holm[other] <= holm[index])
                }
            }
        }
    }
}

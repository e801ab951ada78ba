import Stats
import Testing
import _TestSupport

/// Wilson intervals against the statsmodels formula (re-implemented in scripts/make_stats_fixtures.py) and
/// properties that must hold for every input.
struct ProportionsTests {
    /// The formula is transcribed step by step; the only differences are the quantile routine (1e-16) and the
    /// clamp at 0 for x = 0, so 1e-13 relative with 1e-15 absolute.
    @Test(arguments: try ReferenceFixture.load().wilson)
    func wilsonMatchesStatsmodels(_ reference: ReferenceFixture.WilsonValue) {
        let interval = Proportions.wilson(
            successes: reference.successes, trials: reference.trials, confidence: reference.confidence
        )
        #expect(isClose(interval.low, reference.low, relative: 1e-13, absolute: 1e-15), "low \(interval.low)")
        #expect(isClose(interval.high, reference.high, relative: 1e-13, absolute: 1e-15), "high \(interval.high)")
    }

    @Test func emptySampleGivesWholeRange() {
        #expect(Proportions.wilson(successes: 0, trials: 0) == ProportionInterval(low: 0, high: 1))
        #expect(Proportions.wilson(successes: 0, trials: 0, confidence: 0.5) == ProportionInterval(low: 0, high: 1))
    }

    @Test func extremesTouchTheBounds() {
        let none = Proportions.wilson(successes: 0, trials: 25)
        #expect(none.low == 0)
        #expect(none.high > 0 && none.high < 1)
        let all = Proportions.wilson(successes: 25, trials: 25)
        #expect(all.high == 1)
        #expect(all.low > 0 && all.low < 1)
    }

    /// On seeded random (x, n, confidence): 0 ≤ low ≤ x/n ≤ high ≤ 1, mirror symmetry
    /// (x of n ↔ n-x of n), and higher confidence never gives a narrower interval.
    @Test func intervalProperties() {
        var random = SeededRandom(seed: 0x1A7E_5C0E)
        for _ in 0..<5000 {
            let trials = 1 + Int(random.unit() * 5000)
            let successes = Int(random.unit() * Double(trials + 1))
            let confidence = 0.5 + 0.499 * random.unit()
            let interval = Proportions.wilson(successes: successes, trials: trials, confidence: confidence)
            let proportion = Double(successes) / Double(trials)
            #expect(interval.low >= 0 && interval.high <= 1, "\(successes)/\(trials): \(interval)")
            #expect(interval.contains(proportion), "\(successes)/\(trials) at \(confidence): \(interval)")

            let mirrored = Proportions.wilson(
                successes: trials - successes, trials: trials, confidence: confidence
            )
            #expect(isClose(mirrored.low, 1 - interval.high, relative: 1e-12, absolute: 1e-14))
            #expect(isClose(mirrored.high, 1 - interval.low, relative: 1e-12, absolute: 1e-14))

            let wider = Proportions.wilson(
                successes: successes, trials: trials, confidence: min(0.9999, confidence + 0.01)
            )
            #expect(wider.low <= interval.low && wider.high >= interval.high, "\(successes)/\(trials)")
        }
    }

    @Test func intervalNarrowsWithMoreData() {
        var previousWidth = Double.infinity
        for trials in [10, 100, 1000, 10_000, 100_000] {
            let width = Proportions.wilson(successes: trials / 5, trials: trials).width
            #expect(width < previousWidth)
            previousWidth = width
        }
    }
}

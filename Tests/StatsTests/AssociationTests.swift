import Foundation
import Stats
import Testing
import _TestSupport

/// Mutual information, Cramér's V, point-biserial correlation and ROC AUC against scipy (and a trapezoidal ROC
/// integration equal to sklearn's roc_auc_score), plus properties and degenerate inputs.
struct AssociationTests {
    /// MI (= G/2N from scipy's log-likelihood chi2_contingency) and V within 1e-12 relative; X² and p within 1e-12.
    @Test(arguments: try ConditionsFixture.load().association.tables)
    func contingencyMatchesScipy(_ reference: ConditionsFixture.TableCase) {
        let measures = Association.contingency(successes: reference.successes, trials: reference.trials)
        #expect(isClose(measures.mutualInformation, reference.mutual_information, relative: 1e-12))
        #expect(isClose(measures.cramersV, reference.cramers_v, relative: 1e-12))
        #expect(isClose(measures.chiSquare, reference.chi2, relative: 1e-12))
        #expect(measures.degreesOfFreedom == reference.dof)
        #expect(isClose(measures.pValue, reference.pvalue, relative: 1e-11))
        #expect(measures.total == reference.trials.reduce(0, +))
    }

    /// scipy pointbiserialr (r 1e-12, p 1e-10 relative), the trapezoidal ROC AUC (1e-14; ties included) and
    /// mannwhitneyu (U exactly up to rounding, p 1e-11 relative).
    @Test(arguments: try ConditionsFixture.load().association.numeric)
    func numericMatchesScipy(_ reference: ConditionsFixture.NumericCase) {
        let correlation = Association.pointBiserial(values: reference.values, outcome: reference.outcome)
        #expect(isClose(correlation.r, reference.r, relative: 1e-12), "r \(correlation.r) vs \(reference.r)")
        #expect(isClose(correlation.pValue, reference.r_pvalue, relative: 1e-10))
        #expect(correlation.count == reference.values.count)
        // The same from (value, rows, positives) per distinct value, in a shuffled order.
        var groups: [Double: (rows: Int, positives: Int)] = [:]
        for (value, flag) in zip(reference.values, reference.outcome) where !value.isNaN {
            groups[value, default: (0, 0)].rows += 1
            groups[value, default: (0, 0)].positives += flag != 0 ? 1 : 0
        }
        var random = SeededRandom(seed: UInt64(reference.values.count))
        let shuffled = groups.map { (value: $0.key, rows: $0.value.rows, positives: $0.value.positives) }
            .sorted { $0.value < $1.value }.shuffled(using: &random)
        let grouped = Association.pointBiserial(groupCount: shuffled.count) { shuffled[$0] }
        #expect(isClose(grouped.r, reference.r, relative: 1e-12), "grouped r \(grouped.r) vs \(reference.r)")
        #expect(isClose(grouped.pValue, reference.r_pvalue, relative: 1e-10))
        #expect(grouped.count == correlation.count)
        let auc = Association.rocAUC(values: reference.values, outcome: reference.outcome)
        #expect(isClose(auc.auc, reference.auc, relative: 1e-14), "auc \(auc.auc) vs \(reference.auc)")
        // scipy reports U of the first sample (the positives) as given.
        #expect(isClose(auc.u, reference.u, relative: 1e-14))
        #expect(isClose(auc.pValue, reference.u_pvalue, relative: 1e-11))
    }

    /// Independence gives MI = V = 0 exactly when the rates are equal; MI ≤ min(H(bin), H(outcome)).
    @Test func informationProperties() {
        let equal = Association.contingency(successes: [10, 20, 5], trials: [100, 200, 50])
        #expect(equal.mutualInformation < 1e-15 && equal.cramersV < 1e-7 && isClose(equal.pValue, 1, relative: 1e-12))
        let perfect = Association.contingency(successes: [0, 40], trials: [60, 40])
        let outcomeEntropy = -(0.4 * log(0.4) + 0.6 * log(0.6))
        #expect(isClose(perfect.mutualInformation, outcomeEntropy, relative: 1e-14))
        #expect(isClose(perfect.cramersV, 1, relative: 1e-14))
        var random = SeededRandom(seed: 5)
        for _ in 0..<200 {
            let trials = (0..<5).map { _ in Int(random.unit() * 50) }
            let successes = trials.map { Int(random.unit() * Double($0 + 1)) }
            let measures = Association.contingency(successes: successes, trials: trials)
            let total = Double(trials.reduce(0, +))
            guard total > 0 else { continue }
            let binEntropy = trials.reduce(0.0) { sum, count in
                count == 0 ? sum : sum - Double(count) / total * log(Double(count) / total)
            }
            let rate = Double(successes.reduce(0, +)) / total
            let outcome = rate == 0 || rate == 1 ? 0 : -(rate * log(rate) + (1 - rate) * log(1 - rate))
            #expect(measures.mutualInformation >= 0)
            #expect(measures.mutualInformation <= min(binEntropy, outcome) + 1e-12)
            #expect(measures.cramersV >= 0 && measures.cramersV <= 1)
        }
    }

    @Test func degenerateTables() {
        let empty = Association.contingency(successes: [], trials: [])
        #expect(empty.mutualInformation == 0 && empty.cramersV == 0 && empty.pValue == 1 && empty.total == 0)
        let single = Association.contingency(successes: [3], trials: [10])
        #expect(single.cramersV == 0 && single.pValue == 1 && single.nonEmptyGroups == 1)
        let noFailures = Association.contingency(successes: [0, 0], trials: [10, 20])
        #expect(noFailures.mutualInformation == 0 && noFailures.pValue == 1)
    }

    /// AUC by hand with ties: positives {3, 2, 2}, negatives {1, 2}: pairs 3>1, 3>2, 2>1, 2=2, 2>1, 2=2 → (4 + 2·½)/6.
    @Test func aucByHandAndSymmetry() {
        let values: [Double] = [3, 2, 2, 1, 2]
        let outcome: [UInt8] = [1, 1, 1, 0, 0]
        let result = Association.rocAUC(values: values, outcome: outcome)
        #expect(isClose(result.auc, 5.0 / 6, relative: 1e-15))
        #expect(result.positives == 3 && result.negatives == 2)
        // Negating the score mirrors the AUC; NaN values are skipped.
        let mirrored = Association.rocAUC(values: values.map { -$0 } + [.nan], outcome: outcome + [1])
        #expect(isClose(mirrored.auc, 1.0 / 6, relative: 1e-14))
        #expect(isClose(mirrored.pValue, result.pValue, relative: 1e-14))
        // One class only: undefined.
        #expect(Association.rocAUC(values: [1, 2], outcome: [1, 1]).auc.isNaN)
        // All tied: AUC ½ and p = 1.
        let tied = Association.rocAUC(values: [4, 4, 4, 4], outcome: [1, 0, 1, 0])
        #expect(tied.auc == 0.5 && tied.pValue == 1)
    }

    /// One distinct value has no spread, even where its mean rounds away from it (0.1 · 3 / 3 ≠ 0.1); empty groups
    /// and a missing class are undefined.
    @Test func groupedPointBiserialDegenerate() {
        func grouped(_ groups: [(value: Double, rows: Int, positives: Int)]) -> Association.Correlation {
            Association.pointBiserial(groupCount: groups.count) { groups[$0] }
        }
        #expect(grouped([(value: 0.1, rows: 3, positives: 1)]).r.isNaN)
        #expect(grouped([(value: 0.1, rows: 3, positives: 1), (value: 7, rows: 0, positives: 0)]).r.isNaN)
        #expect(grouped([]).r.isNaN)
        #expect(grouped([(value: 1, rows: 2, positives: 2), (value: 2, rows: 3, positives: 3)]).r.isNaN)
        let perfect = grouped([(value: 0, rows: 2, positives: 0), (value: 1, rows: 2, positives: 2)])
        #expect(perfect.r == 1 && perfect.pValue == 0 && perfect.count == 4)
    }

    @Test func pointBiserialDegenerateAndPerfect() {
        #expect(Association.pointBiserial(values: [1, 2], outcome: [0, 1]).r.isNaN)
        #expect(Association.pointBiserial(values: [5, 5, 5, 5], outcome: [0, 1, 0, 1]).r.isNaN)
        #expect(Association.pointBiserial(values: [1, 2, 3], outcome: [1, 1, 1]).pValue.isNaN)
        let perfect = Association.pointBiserial(values: [0, 0, 1, 1], outcome: [0, 0, 1, 1])
        #expect(perfect.r == 1 && perfect.pValue == 0)
        let withMissing = Association.pointBiserial(values: [0, .nan, 1, 2, 3], outcome: [0, 1, 0, 1, 1])
        #expect(withMissing.count == 4)
    }
}

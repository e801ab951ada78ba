#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Measures of association between a feature and a binary outcome (the failure indicator).
///
/// Two families:
/// - from the k×2 table of a binned feature (per bin: outcomes `xᵢ` of `nᵢ` rows): mutual information, Cramér's V
///   and Pearson's chi-square test (``contingency(successes:trials:)``);
/// - from the raw values of a numeric feature: the point-biserial correlation (``pointBiserial(values:outcome:)``)
///   and the area under the ROC curve of the raw value as a score for the outcome (``rocAUC(values:outcome:)``).
///
/// All functions are total: degenerate inputs give the documented values rather than trapping.
public enum Association {
    /// Association measures of a k×2 table (bins × outcome).
    public struct ContingencyMeasures: Sendable, Equatable {
        /// Mutual information `I(bin; outcome)`, in nats (natural logarithm), ≥ 0.
        public var mutualInformation: Double
        /// Cramér's V, `√(X² / N)` for a k×2 table, in `[0, 1]`.
        public var cramersV: Double
        /// Pearson's chi-square statistic `X²` (no continuity correction).
        public var chiSquare: Double
        /// The degrees of freedom `k - 1` over the non-empty bins (0 when fewer than two).
        public var degreesOfFreedom: Int
        /// `P(χ²_{k-1} > X²)`; 1 when there is nothing to test.
        public var pValue: Double
        /// The bins with at least one row.
        public var nonEmptyGroups: Int
        /// N, the rows in the table.
        public var total: Int

        /// Creates the measures.
        ///
        /// - Parameters:
        ///   - mutualInformation: In nats.
        ///   - cramersV: Cramér's V.
        ///   - chiSquare: X².
        ///   - degreesOfFreedom: k - 1.
        ///   - pValue: The chi-square p-value.
        ///   - nonEmptyGroups: The non-empty bins.
        ///   - total: N.
        public init(
            mutualInformation: Double, cramersV: Double, chiSquare: Double, degreesOfFreedom: Int, pValue: Double,
            nonEmptyGroups: Int, total: Int
        ) {
            self.mutualInformation = mutualInformation
            self.cramersV = cramersV
            self.chiSquare = chiSquare
            self.degreesOfFreedom = degreesOfFreedom
            self.pValue = pValue
            self.nonEmptyGroups = nonEmptyGroups
            self.total = total
        }
    }

    /// Mutual information, Cramér's V and the chi-square test of independence of a k×2 table.
    ///
    /// With `xᵢ` successes of `nᵢ` trials in bin i, cells `Oᵢ₁ = xᵢ`, `Oᵢ₀ = nᵢ - xᵢ`, margins `nᵢ`, `Cⱼ` and total N:
    ///
    ///     I  = Σᵢⱼ (Oᵢⱼ/N) log(Oᵢⱼ N / (nᵢ Cⱼ))        (nats; 0 log 0 = 0)
    ///     X² = Σᵢⱼ (Oᵢⱼ - Eᵢⱼ)² / Eᵢⱼ,  Eᵢⱼ = nᵢ Cⱼ / N,  df = k - 1
    ///     V  = √(X² / (N · min(k - 1, 1)))
    ///
    /// `I` is in nats (divide by `log 2` for bits); it equals the G-test statistic over 2N, which the tests use to
    /// check it against scipy's `chi2_contingency(lambda_="log-likelihood")` (1e-12 relative), and it is sklearn's
    /// `mutual_info_score`. `X²` and its p-value are ``TwoSampleTests/chiSquareHomogeneity(successes:trials:)``
    /// (scipy's `chi2_contingency(correction=False)`); V matches scipy's
    /// `contingency.association(method="cramer")` to 1e-12.
    ///
    /// Bins with 0 rows are ignored. With fewer than two non-empty bins, or an outcome column that is all successes
    /// or all failures, the variables cannot be associated: `I = 0`, `V = 0`, `X² = 0`, `p = 1`.
    ///
    /// - Parameters:
    ///   - successes: Outcomes = 1 per bin.
    ///   - trials: Rows per bin, the same length.
    /// - Returns: The measures.
    /// - Precondition: Equal lengths and `0 ≤ successesᵢ ≤ trialsᵢ`.
    /// - Complexity: O(k).
    public static func contingency(successes: [Int], trials: [Int]) -> ContingencyMeasures {
        let test = TwoSampleTests.chiSquareHomogeneity(successes: successes, trials: trials)
        let nonEmpty = trials.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        let total = trials.reduce(0, +)
        let information = mutualInformation(successes: successes, trials: trials)
        let v = total > 0 && nonEmpty >= 2 ? (test.statistic / Double(total)).squareRoot() : 0
        return ContingencyMeasures(
            mutualInformation: information, cramersV: min(1, v), chiSquare: test.statistic,
            degreesOfFreedom: test.degreesOfFreedom, pValue: test.pValue, nonEmptyGroups: nonEmpty, total: total)
    }

    /// The mutual information, in nats, between the bin and the outcome of a k×2 table (see
    /// ``contingency(successes:trials:)``).
    ///
    /// Summed as `Σ Oᵢⱼ log(Oᵢⱼ N / (nᵢ Cⱼ)) / N` in bin order; terms are each accurate to a few ulps, and the total is
    /// clamped at 0 (it is non-negative mathematically; rounding can give −1e-17).
    ///
    /// - Parameters:
    ///   - successes: Outcomes = 1 per bin.
    ///   - trials: Rows per bin.
    /// - Returns: `I ≥ 0`, in nats; 0 for an empty table.
    /// - Precondition: Equal lengths and `0 ≤ successesᵢ ≤ trialsᵢ`.
    /// - Complexity: O(k).
    public static func mutualInformation(successes: [Int], trials: [Int]) -> Double {
        precondition(successes.count == trials.count, "one trials count per successes count")
        var total = 0
        var successTotal = 0
        for (bin, count) in trials.enumerated() {
            precondition(
                successes[bin] >= 0 && successes[bin] <= count,
                "bin \(bin): need 0 <= successes <= trials, got \(successes[bin]) of \(count)")
            total += count
            successTotal += successes[bin]
        }
        if total == 0 || successTotal == 0 || successTotal == total { return 0 }
        let n = Double(total)
        let columns = [Double(successTotal), Double(total - successTotal)]
        var sum = 0.0
        for (bin, count) in trials.enumerated() where count > 0 {
            let cells = [Double(successes[bin]), Double(count - successes[bin])]
            for (column, cell) in cells.enumerated() where cell > 0 {
                sum += cell * log(cell * n / (Double(count) * columns[column]))
            }
        }
        return max(0, sum / n)
    }

    /// A correlation coefficient with its two-sided p-value.
    public struct Correlation: Sendable, Equatable {
        /// The coefficient in `[-1, 1]`, or NaN when undefined.
        public var r: Double
        /// The two-sided p-value of `r = 0`, or NaN when `r` is undefined.
        public var pValue: Double
        /// The pairs used (rows with a non-NaN value).
        public var count: Int

        /// Creates a correlation.
        ///
        /// - Parameters:
        ///   - r: The coefficient.
        ///   - pValue: The two-sided p-value.
        ///   - count: The pairs used.
        public init(r: Double, pValue: Double, count: Int) {
            self.r = r
            self.pValue = pValue
            self.count = count
        }
    }

    /// The point-biserial correlation of a numeric value with a binary outcome: Pearson's r between the value and the
    /// 0/1 indicator.
    ///
    /// With `n₁` positive rows (outcome ≠ 0) of mean `x̄₁`, n rows of mean `x̄` and `Sxx = Σ(x - x̄)²` (two passes):
    /// `r = n₁ (x̄₁ - x̄) / √(Sxx · n₁n₀/n)`. The p-value is the t-test `t = r √((n-2)/(1-r²))` on n - 2 degrees of
    /// freedom, two-sided, from ``SpecialFunctions/studentTSurvival(_:degreesOfFreedom:)`` — scipy's
    /// `pointbiserialr` / `pearsonr` (which use the equivalent beta distribution). Matches scipy to 1e-12 (r) and
    /// 1e-10 relative (p) on the fixtures.
    ///
    /// Rows whose value is NaN are skipped. When fewer than 3 rows remain, one outcome class is absent, or the values
    /// are all equal, r is undefined: `r = NaN`, `p = NaN` (as scipy). `|r| = 1` gives `p = 0`.
    ///
    /// - Parameters:
    ///   - values: The feature's values (NaN = missing).
    ///   - outcome: The indicator per row (non-zero = positive), the same length.
    /// - Returns: r, its p-value and the rows used.
    /// - Precondition: `values.count == outcome.count`.
    /// - Complexity: O(n).
    public static func pointBiserial(values: [Double], outcome: [UInt8]) -> Correlation {
        precondition(values.count == outcome.count, "pointBiserial needs one outcome per value")
        var count = 0
        var positives = 0
        var sum = 0.0
        var positiveSum = 0.0
        for (row, value) in values.enumerated() where !value.isNaN {
            count += 1
            sum += value
            if outcome[row] != 0 {
                positives += 1
                positiveSum += value
            }
        }
        let negatives = count - positives
        guard count >= 3, positives > 0, negatives > 0 else { return Correlation(r: .nan, pValue: .nan, count: count) }
        let n = Double(count)
        let mean = sum / n
        var squares = 0.0
        var positiveDeviation = 0.0
        for (row, value) in values.enumerated() where !value.isNaN {
            let deviation = value - mean
            squares += deviation * deviation
            if outcome[row] != 0 { positiveDeviation += deviation }
        }
        return pointBiserial(
            count: count, positives: positives, squares: squares, positiveDeviation: positiveDeviation)
    }

    /// ``pointBiserial(values:outcome:)`` from the distinct values with their rows and positive rows (each value
    /// once, in any order): the same two passes, each value's terms weighted by its rows. It agrees with the
    /// row-by-row sums up to rounding (they add the same terms in another order), and costs one step per distinct
    /// value instead of one per row.
    ///
    /// - Parameters:
    ///   - groupCount: How many distinct values there are.
    ///   - group: (value, rows, positives) of the distinct non-NaN value at an index in `0..<groupCount`. (A closure,
    ///     not a generic collection: a generic across modules ran unspecialised, a metadata lookup per value.)
    /// - Complexity: O(groups).
    public static func pointBiserial(
        groupCount: Int, group: (Int) -> (value: Double, rows: Int, positives: Int)
    ) -> Correlation {
        pointBiserial { body in
            for index in 0..<groupCount {
                let group = group(index)
                body(group.value, group.rows, group.positives)
            }
        }
    }

    /// ``pointBiserial(groupCount:group:)`` from a walk over the groups, which it calls twice (each value once a
    /// walk, in the same order both times): for groups kept where finding the `index`-th costs more than the next.
    public static func pointBiserial(
        forEachGroup: ((_ value: Double, _ rows: Int, _ positives: Int) -> Void) -> Void
    ) -> Correlation {
        var count = 0
        var positives = 0
        var sum = 0.0
        var distinct = 0
        forEachGroup { value, rows, positivesOfValue in
            guard rows > 0 else { return }
            count += rows
            positives += positivesOfValue
            sum += value * Double(rows)
            distinct += 1
        }
        let negatives = count - positives
        // One value: the mean may round away from it, which must not make a spread out of nothing.
        guard count >= 3, positives > 0, negatives > 0, distinct >= 2 else {
            return Correlation(r: .nan, pValue: .nan, count: count)
        }
        let mean = sum / Double(count)
        var squares = 0.0
        var positiveDeviation = 0.0
        forEachGroup { value, rows, positivesOfValue in
            guard rows > 0 else { return }
            let deviation = value - mean
            squares += deviation * deviation * Double(rows)
            positiveDeviation += deviation * Double(positivesOfValue)
        }
        return pointBiserial(
            count: count, positives: positives, squares: squares, positiveDeviation: positiveDeviation)
    }

    /// r and its t-test from n, n₁, Sxx and Σ over the positive rows of (x − x̄).
    private static func pointBiserial(count: Int, positives: Int, squares: Double, positiveDeviation: Double)
        -> Correlation
    {
        let n = Double(count)
        let negatives = count - positives
        guard squares > 0 else { return Correlation(r: .nan, pValue: .nan, count: count) }
        let indicatorSquares = Double(positives) * Double(negatives) / n
        let r = max(-1, min(1, positiveDeviation / (squares * indicatorSquares).squareRoot()))
        let freedom = n - 2
        if abs(r) == 1 { return Correlation(r: r, pValue: 0, count: count) }
        let t = r * (freedom / ((1 - r) * (1 + r))).squareRoot()
        let pValue = min(1, 2 * SpecialFunctions.studentTSurvival(abs(t), degreesOfFreedom: freedom))
        return Correlation(r: r, pValue: pValue, count: count)
    }

    /// The area under the ROC curve of a raw value used as a score for a binary outcome, with the Mann–Whitney test.
    public struct AUCResult: Sendable, Equatable {
        /// `P(X₁ > X₀) + ½ P(X₁ = X₀)` for a random positive and negative row, in `[0, 1]`; NaN when a class is
        /// absent. Below ½ means *lower* values go with the outcome.
        public var auc: Double
        /// The Mann–Whitney `U₁ = AUC · n₁ · n₀` of the positive rows.
        public var u: Double
        /// The two-sided asymptotic p-value of the Mann–Whitney test (tie-corrected, with continuity correction);
        /// NaN when a class is absent, 1 when every value is tied.
        public var pValue: Double
        /// n₁: positive rows with a value.
        public var positives: Int
        /// n₀: negative rows with a value.
        public var negatives: Int

        /// Creates a result.
        ///
        /// - Parameters:
        ///   - auc: The area.
        ///   - u: U₁.
        ///   - pValue: The two-sided p-value.
        ///   - positives: n₁.
        ///   - negatives: n₀.
        public init(auc: Double, u: Double, pValue: Double, positives: Int, negatives: Int) {
            self.auc = auc
            self.u = u
            self.pValue = pValue
            self.positives = positives
            self.negatives = negatives
        }
    }

    /// The ROC AUC of `values` as a score for `outcome`, by the rank statistic with ties averaged.
    ///
    /// Midranks `R` of all non-NaN values (ties share the average rank), `U₁ = Σ_{positive} R - n₁(n₁+1)/2`,
    /// `AUC = U₁ / (n₁ n₀)` (Hanley & McNeil, *Radiology* 143, 1982): exactly sklearn's `roc_auc_score(outcome,
    /// values)`, including ties (checked to 1e-14 against the fixture's trapezoidal ROC integration).
    ///
    /// The p-value is scipy's `mannwhitneyu(positives, negatives, alternative="two-sided", method="asymptotic",
    /// use_continuity=True)`: `z = (max(U₁, U₀) - n₁n₀/2 - ½) / σ`,
    /// `σ² = n₁n₀/12 · ((n+1) - Σ(t³-t)/(n(n-1)))` over tie groups of size t, `p = 2 Q(z)` clipped to 1.
    ///
    /// Rows whose value is NaN are skipped.
    ///
    /// - Parameters:
    ///   - values: The scores (NaN = missing).
    ///   - outcome: The indicator per row (non-zero = positive), the same length.
    /// - Returns: The AUC, U₁, the p-value and the class sizes.
    /// - Precondition: `values.count == outcome.count`.
    /// - Complexity: O(n log n) (a comparison sort; the engine ranks large columns with `Kernels.RankSums`).
    public static func rocAUC(values: [Double], outcome: [UInt8]) -> AUCResult {
        precondition(values.count == outcome.count, "rocAUC needs one outcome per value")
        // A comparison sort of the present values: the reference the engine's radix-sorted ranking is tested against.
        var present: [(value: Double, positive: Bool)] = []
        present.reserveCapacity(values.count)
        for (row, value) in values.enumerated() where !value.isNaN { present.append((value, outcome[row] != 0)) }
        let count = present.count
        let positives = present.reduce(0) { $0 + ($1.positive ? 1 : 0) }
        let negatives = count - positives
        guard positives > 0, negatives > 0 else {
            return AUCResult(auc: .nan, u: .nan, pValue: .nan, positives: positives, negatives: negatives)
        }
        present.sort { $0.value < $1.value }
        var positiveRankSum = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < count {
            var end = start + 1
            var positivesInGroup = present[start].positive ? 1 : 0
            while end < count && present[end].value == present[start].value {
                positivesInGroup += present[end].positive ? 1 : 0
                end += 1
            }
            // Ranks start + 1 … end share their average.
            let midrank = Double(start + 1 + end) / 2
            positiveRankSum += midrank * Double(positivesInGroup)
            let size = Double(end - start)
            tieTerm += size * size * size - size
            start = end
        }
        return rocAUC(positiveRankSum: positiveRankSum, tieTerm: tieTerm, positives: positives, negatives: negatives)
    }

    /// The AUC and Mann–Whitney test of ``rocAUC(values:outcome:)`` from the rank sums of the values (as computed
    /// by a faster ranking, e.g. the engine's radix-sorted `RankSums`).
    ///
    /// - Parameters:
    ///   - positiveRankSum: Σ of the positive rows' midranks, ranks 1…n over the rows with a value.
    ///   - tieTerm: Σ (t³ − t) over the tie groups of size t.
    ///   - positives: n₁.
    ///   - negatives: n₀.
    /// - Returns: The AUC, U₁, the p-value and the class sizes (NaN when a class is absent).
    /// - Complexity: O(1).
    public static func rocAUC(positiveRankSum: Double, tieTerm: Double, positives: Int, negatives: Int) -> AUCResult {
        guard positives > 0, negatives > 0 else {
            return AUCResult(auc: .nan, u: .nan, pValue: .nan, positives: positives, negatives: negatives)
        }
        let count = positives + negatives
        let n1 = Double(positives)
        let n0 = Double(negatives)
        let u = positiveRankSum - n1 * (n1 + 1) / 2
        let auc = u / (n1 * n0)
        let n = Double(count)
        let variance = n1 * n0 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        var pValue = 1.0
        if variance > 0 {
            let z = (max(u, n1 * n0 - u) - n1 * n0 / 2 - 0.5) / variance.squareRoot()
            pValue = min(1, max(0, 2 * SpecialFunctions.normalSurvival(z)))
        }
        return AUCResult(auc: auc, u: u, pValue: pValue, positives: positives, negatives: negatives)
    }
}

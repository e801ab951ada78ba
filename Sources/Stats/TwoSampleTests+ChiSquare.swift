// Pearson's chi-square test of homogeneity for k groups of binary outcomes.
extension TwoSampleTests {
    /// Pearson's chi-square test that k groups share one success rate, on the k×2 table whose rows are
    /// `[successesᵢ, trialsᵢ - successesᵢ]`.
    ///
    /// `X² = Σᵢⱼ (Oᵢⱼ - Eᵢⱼ)² / Eᵢⱼ` with `Eᵢⱼ = rowᵢ · columnⱼ / N`, `k - 1` degrees of freedom, and
    /// `p = P(χ²ₖ₋₁ > X²)` from ``SpecialFunctions/chiSquareSurvival(_:degreesOfFreedom:)`` (K. Pearson, 1900).
    /// No continuity correction: this is scipy's `chi2_contingency(table, correction=False)`, matched to 1e-12
    /// relative on the fixture.
    ///
    /// Rows with 0 trials carry no information and are dropped before anything else (so `k` counts the remaining
    /// rows). If fewer than two rows remain, or every remaining trial is a success (or every one a failure), there is
    /// nothing to test: the statistic is 0 and `p = 1` (scipy raises an error for the zero-margin case).
    ///
    /// - Parameters:
    ///   - successes: Successes per group.
    ///   - trials: Trials per group, the same length as `successes`.
    /// - Returns: `X²`, the degrees of freedom `k - 1` (0 when fewer than two rows remain), and the p-value.
    /// - Precondition: `successes.count == trials.count` and `0 ≤ successesᵢ ≤ trialsᵢ`.
    /// - Complexity: O(k).
    public static func chiSquareHomogeneity(
        successes: [Int], trials: [Int]
    ) -> (statistic: Double, degreesOfFreedom: Int, pValue: Double) {
        precondition(
            successes.count == trials.count,
            "chiSquareHomogeneity needs one trials count per successes count (\(successes.count) vs \(trials.count))"
        )
        var rows: [(successes: Double, failures: Double, total: Double)] = []
        rows.reserveCapacity(trials.count)
        var successTotal = 0
        var grandTotal = 0
        for (rowIndex, rowTrials) in trials.enumerated() {
            let rowSuccesses = successes[rowIndex]
            precondition(
                rowSuccesses >= 0 && rowSuccesses <= rowTrials,
                "row \(rowIndex): need 0 <= successes <= trials, got \(rowSuccesses) of \(rowTrials)"
            )
            if rowTrials == 0 { continue }
            rows.append((Double(rowSuccesses), Double(rowTrials - rowSuccesses), Double(rowTrials)))
            successTotal += rowSuccesses
            grandTotal += rowTrials
        }
        let degreesOfFreedom = max(rows.count - 1, 0)
        if rows.count < 2 || successTotal == 0 || successTotal == grandTotal {
            return (0, degreesOfFreedom, 1)
        }
        let total = Double(grandTotal)
        let successColumn = Double(successTotal)
        let failureColumn = total - successColumn
        var statistic = 0.0
        for row in rows {
            let expectedSuccesses = row.total * successColumn / total
            let expectedFailures = row.total * failureColumn / total
            let successDeviation = row.successes - expectedSuccesses
            let failureDeviation = row.failures - expectedFailures
            statistic += successDeviation * successDeviation / expectedSuccesses
            statistic += failureDeviation * failureDeviation / expectedFailures
        }
        let pValue = SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: Double(degreesOfFreedom))
        return (statistic, degreesOfFreedom, pValue)
    }
}

// Holm's step-down adjustment, for small families where any single rejection is the claim (family-wise error).
extension MultipleTesting {
    /// Holm–Bonferroni adjusted p-values, in input order.
    ///
    /// With the m non-NaN p-values sorted ascending, `p₍₁₎ ≤ … ≤ p₍ₘ₎`, the adjusted value of rank i is
    /// `min(1, maxⱼ≤ᵢ (m - j + 1) p₍ⱼ₎)` (S. Holm, "A Simple Sequentially Rejective Multiple Test Procedure",
    /// *Scandinavian Journal of Statistics* 6, 1979). Rejecting every hypothesis with adjusted `p < α` controls the
    /// family-wise error rate at α under any dependence. This is statsmodels' `multipletests(p, method="holm")[1]`.
    /// NaN p-values stay NaN and are excluded from m.
    ///
    /// - Parameter pValues: P-values in `[0, 1]`, or NaN for "not tested".
    /// - Returns: The adjusted p-values, index-aligned with `pValues`.
    /// - Complexity: O(m log m).
    public static func holm(_ pValues: [Double]) -> [Double] {
        var order = pValues.indices.filter { !pValues[$0].isNaN }
        order.sort { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: .nan, count: pValues.count)
        let tested = order.count
        var runningMaximum = 0.0
        for (rank, index) in order.enumerated() {
            runningMaximum = max(runningMaximum, min(1, Double(tested - rank) * pValues[index]))
            adjusted[index] = runningMaximum
        }
        return adjusted
    }
}

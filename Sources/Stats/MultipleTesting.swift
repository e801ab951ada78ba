/// Corrections for testing many hypotheses at once (one per candidate slice).
public enum MultipleTesting {
    /// Benjamini–Hochberg adjusted p-values (q-values), in input order.
    ///
    /// With the m non-NaN p-values sorted ascending, `p₍₁₎ ≤ … ≤ p₍ₘ₎`, the adjusted value of rank i is
    /// `q₍ᵢ₎ = min(1, minⱼ≥ᵢ p₍ⱼ₎ · m / j)`: the step-up procedure of Y. Benjamini and Y. Hochberg, "Controlling the
    /// False Discovery Rate" (JRSS B 57, 1995), as a running minimum from the largest p-value down. Rejecting every
    /// hypothesis with `q ≤ α` controls the false discovery rate at α for independent (or PRDS) tests.
    ///
    /// This is statsmodels' `multipletests(p, method="fdr_bh")[1]`, computed the same way (`p / (j/m)`); it matches
    /// to 1e-15 relative on the fixture. Tied p-values get equal q-values. NaN p-values stay NaN and are excluded
    /// from m (statsmodels would propagate them).
    ///
    /// Guarantees (tested): `q ≥ p`, `q ≤ 1`, and q is non-decreasing in p.
    ///
    /// - Parameter pValues: P-values in `[0, 1]`, or NaN for "not tested".
    /// - Returns: The q-values, index-aligned with `pValues`.
    /// - Complexity: O(m log m) for the sort.
    public static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        benjaminiHochberg(pValues, familySize: nil)
    }

    /// Benjamini-Hochberg q-values when the family has `familySize` members of which only `pValues` were
    /// computed: the others count as p = 1. Every q-value is then at least the one the whole family would give
    /// (BH is monotone in each p-value), so the FDR over the whole family stays controlled. This is how a search
    /// that prunes its candidates keeps honest q-values: pruning drops mostly unremarkable candidates, and leaving
    /// them out of the family would make the survivors look more significant than they are.
    ///
    /// - Parameters:
    ///   - pValues: P-values in `[0, 1]`, or NaN for "not tested".
    ///   - familySize: The family's size, at least the number of tested p-values; nil for exactly those.
    public static func benjaminiHochberg(_ pValues: [Double], familySize: Double?) -> [Double] {
        var order = pValues.indices.filter { !pValues[$0].isNaN }
        order.sort { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: .nan, count: pValues.count)
        precondition(familySize.map { $0 >= Double(order.count) } ?? true, "the family is smaller than the tests")
        let tested = familySize ?? Double(order.count)
        var runningMinimum = Double.infinity
        for rank in stride(from: order.count, through: 1, by: -1) {
            let index = order[rank - 1]
            runningMinimum = min(runningMinimum, pValues[index] / (Double(rank) / tested))
            adjusted[index] = min(runningMinimum, 1)
        }
        return adjusted
    }
}

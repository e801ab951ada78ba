/// SliceLine's score and its upper bound (Sagadeeva & Boehm, "SliceLine: Fast, Linear-Algebra-based Slice Finding
/// for ML Model Debugging", SIGMOD 2021, eq. 1 and eq. 3).
///
/// ```
/// sc(S) = α · ((e_S / |S|) / ē − 1) − (1 − α) · (n / |S| − 1)
/// ```
///
/// with `e_S` the sum of the per-row error over the slice, `ē` the mean error over all `n` rows. The arithmetic is
/// done in the order of the reference package (`sliceline/_numba_ops.py`), so equal inputs give equal scores.
struct SliceLineScore: Sendable {
    let alpha: Double
    /// The mean per-row error ē (positive).
    let meanError: Double
    /// The number of rows n.
    let rows: Double
    /// The minimum slice size σ.
    let minimumSupport: Double

    /// The score of a slice of `size` rows whose errors sum to `errorSum`; −∞ for an empty slice or a NaN score.
    func score(size: Int, errorSum: Double) -> Double {
        guard size > 0 else { return -.infinity }
        let count = Double(size)
        let value = alpha * (errorSum / count / meanError - 1) - (1 - alpha) * (rows / count - 1)
        return value.isNaN ? -.infinity : value
    }

    /// The exact upper bound of the score of any slice below parents whose sizes, error sums and largest errors are
    /// at most `size`, `errorSum` and `errorMax`: the bound function
    /// `f(s) = α · (min(s · errorMax, errorSum) / s / ē − 1) − (1 − α) · (n / s − 1)` is monotone on each side of
    /// `errorSum / errorMax`, so its maximum over the admissible sizes `[σ, size]` is at `σ`, at that kink (clamped
    /// into the range) or at `size` (paper §3.1). `n` is the number of rows, as in the paper.
    func exactUpperBound(size: Int, errorSum: Double, errorMax: Double) -> Double {
        let largest = Double(size)
        guard largest >= minimumSupport, largest > 0 else { return -.infinity }
        let kink = errorMax > 0 ? min(max(errorSum / errorMax, minimumSupport), largest) : minimumSupport
        var best = -Double.infinity
        for probe in [minimumSupport, kink, largest] where probe > 0 {
            let bounded = min(probe * errorMax, errorSum)
            let value = alpha * (bounded / probe / meanError - 1) - (1 - alpha) * (rows / probe - 1)
            if value > best { best = value }
        }
        return best
    }

    /// The reference package's bound (`score_ub_single_numba`): the same three probes, unclamped, with `columns`
    /// (the number of one-hot columns) in place of the number of rows. With fewer columns than rows this is looser
    /// than the exact bound; with more columns than rows it is not a bound at all (quirk 2 of the reference).
    func referenceUpperBound(size: Int, errorSum: Double, errorMax: Double, columns: Int) -> Double {
        let largest = Double(size)
        guard largest > 0 else { return -.infinity }
        let width = Double(columns)
        let middle = errorMax > 0 ? max(errorSum / errorMax, minimumSupport) : minimumSupport
        var best = -Double.infinity
        for probe in [minimumSupport, middle, largest] where probe > 0 {
            let bounded = min(probe * errorMax, errorSum)
            let value = (alpha * (bounded / meanError - probe) - (1 - alpha) * (width - probe)) / probe
            if value > best { best = value }
        }
        return best
    }

    /// A margin for comparing a bound with a score: rounding in either can reach a few ulps of the largest term of
    /// the formula, and pruning a little less than the mathematics allows never changes the result.
    func pruningMargin(_ bound: Double, _ threshold: Double) -> Double {
        let scale = abs(bound) + abs(threshold) + alpha / meanError + (1 - alpha) * rows / max(minimumSupport, 1) + 1
        return scale * 1e-12
    }
}

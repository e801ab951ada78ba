/// Quantiles with numpy's default ("linear", Hyndman & Fan type 7) method, bit for bit.
///
/// numpy computes the virtual index `(n - 1) * q`, takes the neighbours `a[floor]`, `a[floor + 1]`
/// and interpolates with `_lerp`: `a + (b - a) * t`, or `b - (b - a) * (1 - t)` when `t >= 0.5`.
/// The same arithmetic in the same order gives identical edges (checked against pandas fixtures).
public enum Quantiles {
    /// The quantile `q` in [0, 1] of `sorted` (ascending, no NaN), numpy's linear method.
    /// - Precondition: `sorted` is not empty.
    /// - Complexity: O(1).
    public static func linear(sorted: UnsafeBufferPointer<Double>, q: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of an empty array")
        let position = position(count: sorted.count, q: q)
        return lerp(unsafe sorted[position.lower], unsafe sorted[position.upper], position.gamma)
    }

    /// numpy's neighbours and weight for quantile `q` of `count` sorted values: the virtual index
    /// `(count - 1) * q`, its floor and the next index (both clamped), and the fractional part.
    @inline(__always)
    public static func position(count: Int, q: Double) -> (lower: Int, upper: Int, gamma: Double) {
        let virtualIndex = Double(count - 1) * q
        var lowerIndex = Int(virtualIndex.rounded(.down))
        lowerIndex = min(max(lowerIndex, 0), count - 1)
        let upperIndex = min(lowerIndex + 1, count - 1)
        return (lowerIndex, upperIndex, virtualIndex - Double(lowerIndex))
    }

    /// The quantile `q` in [0, 1] of `sorted` (ascending, no NaN), numpy's linear method.
    /// - Precondition: `sorted` is not empty.
    public static func linear(sorted: [Double], q: Double) -> Double {
        unsafe sorted.withUnsafeBufferPointer { buffer in unsafe linear(sorted: buffer, q: q) }
    }

    /// numpy's `_lerp`, which is exact at both ends and monotone.
    @inline(__always)
    public static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let difference = b - a
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
    }

    /// The probabilities `pandas.qcut(x, bins)` asks numpy for: `numpy.linspace(0, 1, bins + 1)`, where each
    /// value `p` with `bins * p != i` is moved up one ulp (`nextafter(p, 1)`; pandas 3 rounds up rather than to
    /// nearest when `i / bins` is not representable), then passed to `numpy.quantile`.
    public static func qcutProbabilities(bins: Int) -> [Double] {
        precondition(bins >= 1, "bins must be positive")
        let step = 1.0 / Double(bins)
        return (0...bins).map { index in
            let p = index == bins ? 1.0 : Double(index) * step + 0.0
            return Double(bins) * p != Double(index) ? p.nextUp : p
        }
    }

    /// The quantile `q` in [0, 1] of the values of `values` that are not NaN, numpy's linear method, as
    /// ``linear(sorted:q:)`` gives it on them sorted, by selecting the two order statistics it needs; nil when
    /// every value is NaN. `values` is not changed (a long one is selected within brackets without a copy).
    /// - Complexity: expected O(n).
    public static func linear(selectingFrom values: [Double], q: Double) -> Double? {
        var candidates = values.contains { $0.isNaN } ? values.filter { !$0.isNaN } : values
        guard !candidates.isEmpty else { return nil }
        let position = position(count: candidates.count, q: q)
        let ranks = position.lower == position.upper ? [position.lower] : [position.lower, position.upper]
        var selected: [Int: Double]? = nil
        if candidates.count >= OrderStatistics.bracketThreshold {
            selected = OrderStatistics.selectByBrackets(candidates, ranks: ranks)
        }
        if selected == nil {
            // Selection reorders its input: the caller's values are copied first.
            selected = Dictionary(
                uniqueKeysWithValues: zip(ranks, OrderStatistics.select(&candidates, ranks: ranks)))
        }
        guard let selected, let a = selected[position.lower], let b = selected[position.upper] else { return nil }
        return lerp(a, b, position.gamma)
    }

    /// The sorted non-missing, non-NaN values of a column as Doubles.
    /// - Complexity: O(n log n).
    public static func sortedValues(of values: [Double]) -> [Double] {
        var sorted = values.filter { !$0.isNaN }
        sorted.sort()
        return sorted
    }
}

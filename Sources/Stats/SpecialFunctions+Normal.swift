#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

// The standard normal distribution: W. J. Cody's rational Chebyshev approximations for the CDF (ACM TOMS Algorithm
// 715, 1993, the routine behind R's pnorm) and M. J. Wichura's AS 241 (PPND16) for the quantile.
extension SpecialFunctions {
    /// `qnorm(3/4)`: below it Cody's first approximation is used.
    private static let codyCentralLimit = 0.67448975
    /// `√32`: between `codyCentralLimit` and this, Cody's second approximation.
    private static let codyMiddleLimit = 5.656854249492380195206754896838
    /// Beyond this |z| even the smallest subnormal is exceeded: Φ(-z) < 2⁻¹⁰⁷⁵ rounds to 0.
    private static let normalTailUnderflow = 38.5
    /// `1/√(2π)`.
    private static let inverseSqrtTwoPi = 0.398942280401432677939946059934
    /// Cutoff for splitting z² exactly: z is truncated to a multiple of 1/16.
    private static let squareSplitScale = 16.0

    private static let codyA: [Double] = [
        2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249,
        0.065682337918207449113,
    ]
    private static let codyB: [Double] = [
        47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956,
    ]
    private static let codyC: [Double] = [
        0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
        2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
        1.0765576773720192317e-8,
    ]
    private static let codyD: [Double] = [
        22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
        18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
    ]
    private static let codyP: [Double] = [
        0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466,
        2.9112874951168792e-5, 0.02307344176494017303,
    ]
    private static let codyQ: [Double] = [
        1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
        7.29751555083966205e-5,
    ]

    /// The standard normal CDF, `Φ(z) = P(Z ≤ z)`.
    ///
    /// Algorithm: Cody's rational Chebyshev approximations (W. J. Cody, "Algorithm 715: SPECFUN", ACM TOMS 19, 1993;
    /// the code R's `pnorm` uses), evaluated for both tails at once so that the small tail is never formed as
    /// `1 - (something near 1)`. In the tails, `exp(-z²/2)` is computed from an exact split of z², so the result keeps
    /// full relative accuracy. No libm `erfc` is involved.
    ///
    /// Accuracy: within 1e-15 relative of mpmath for `z ≥ -37` (scipy's `ndtr` drifts to 1e-13 there); below about
    /// -37.5 the result is subnormal (absolute accuracy ~1e-323) and it is exactly 0 below -38.5.
    ///
    /// - Parameter z: The point; `-∞` gives 0, `+∞` gives 1, NaN gives NaN.
    /// - Returns: `Φ(z)`.
    /// - Complexity: O(1).
    public static func normalCDF(_ z: Double) -> Double {
        normalTails(z).lower
    }

    /// The standard normal survival function, `Q(z) = P(Z > z) = Φ(-z)`, accurate far into the upper tail
    /// (e.g. `normalSurvival(30) ≈ 4.906713927148187e-198` to full precision).
    ///
    /// Same algorithm and accuracy as ``normalCDF(_:)``, mirrored.
    ///
    /// - Parameter z: The point.
    /// - Returns: `1 - Φ(z)`, computed without cancellation.
    /// - Complexity: O(1).
    public static func normalSurvival(_ z: Double) -> Double {
        normalTails(z).upper
    }

    /// The standard normal quantile (inverse CDF), `Φ⁻¹(p)`.
    ///
    /// Algorithm: Wichura's AS 241 (M. J. Wichura, "The Percentage Points of the Normal Distribution",
    /// Applied Statistics 37(3), 1988, PPND16): three rational approximations in `p - ½` and `√(-log min(p, 1-p))`,
    /// "accurate to about 1 part in 10¹⁶".
    ///
    /// Accuracy: within 1e-15 relative of scipy's `ndtri` for `p` from 1e-300 to `1 - 1e-15`.
    ///
    /// - Parameter p: A probability. `p == 0` gives `-∞`, `p == 1` gives `+∞`; outside `[0, 1]` or NaN gives NaN.
    /// - Returns: The `z` with `Φ(z) = p`.
    /// - Complexity: O(1).
    public static func normalQuantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let centered = p - 0.5
        if abs(centered) <= 0.425 {
            let r = 0.180625 - centered * centered
            let numerator =
                (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                    + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                    + 133.14166789178437745) * r + 3.387132872796366608)
            let denominator =
                (((((((r * 5226.495278852854561 + 28729.085735721942674) * r + 39307.89580009271061) * r
                    + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                    + 42.313330701600911252) * r + 1.0)
            return centered * numerator / denominator
        }
        // r = min(p, 1 - p) < 0.075; 1 - p is exact for p > ½ (Sterbenz).
        var r = (centered < 0 ? p : 1 - p)
        r = (-log(r)).squareRoot()
        var value: Double
        if r <= 5 {
            r -= 1.6
            let numerator =
                (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                    + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                    + 4.6303378461565452959) * r + 1.42343711074968357734)
            let denominator =
                (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                    + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                    + 2.05319162663775882187) * r + 1.0)
            value = numerator / denominator
        } else {
            r -= 5
            let numerator =
                (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386)
                    * r + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                    + 5.4637849111641143699) * r + 6.6579046435011037772)
            let denominator =
                (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5)
                    * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
                    + 0.59983220655588793769) * r + 1.0)
            value = numerator / denominator
        }
        return centered < 0 ? -value : value
    }

    // MARK: - Internals

    /// Both tails `(Φ(z), 1 - Φ(z))`, each with full relative accuracy (R's `pnorm_both`).
    static func normalTails(_ z: Double) -> (lower: Double, upper: Double) {
        if z.isNaN { return (.nan, .nan) }
        let magnitude = abs(z)
        if magnitude <= codyCentralLimit {
            var numerator = 0.0
            var denominator = 0.0
            if magnitude > Double.ulpOfOne * 0.5 {
                let square = z * z
                numerator = codyA[4] * square
                denominator = square
                for index in 0..<3 {
                    numerator = (numerator + codyA[index]) * square
                    denominator = (denominator + codyB[index]) * square
                }
            }
            let offset = z * (numerator + codyA[3]) / (denominator + codyB[3])
            return (0.5 + offset, 0.5 - offset)
        }
        if magnitude >= normalTailUnderflow {
            return z > 0 ? (1, 0) : (0, 1)
        }
        var ratio: Double
        if magnitude <= codyMiddleLimit {
            var numerator = codyC[8] * magnitude
            var denominator = magnitude
            for index in 0..<7 {
                numerator = (numerator + codyC[index]) * magnitude
                denominator = (denominator + codyD[index]) * magnitude
            }
            ratio = (numerator + codyC[7]) / (denominator + codyD[7])
        } else {
            let inverseSquare = 1 / (z * z)
            var numerator = codyP[5] * inverseSquare
            var denominator = inverseSquare
            for index in 0..<4 {
                numerator = (numerator + codyP[index]) * inverseSquare
                denominator = (denominator + codyQ[index]) * inverseSquare
            }
            ratio = inverseSquare * (numerator + codyP[4]) / (denominator + codyQ[4])
            ratio = (inverseSqrtTwoPi - ratio) / magnitude
        }
        // exp(-z²/2) with z² = s² + d, s = z truncated to 1/16 (s² exact), d = (z - s)(z + s) small.
        let truncated = (magnitude * squareSplitScale).rounded(.towardZero) / squareSplitScale
        let remainder = (magnitude - truncated) * (magnitude + truncated)
        // The exact factor exp(-s²/2) is applied in two halves so that a subnormal result is rounded only once.
        let half = exp(-truncated * truncated * 0.25)
        let smallTail = half * (exp(-remainder * 0.5) * ratio) * half
        let largeTail = 1 - smallTail
        return z > 0 ? (largeTail, smallTail) : (smallTail, largeTail)
    }
}

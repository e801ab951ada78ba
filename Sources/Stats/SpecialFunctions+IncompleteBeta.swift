#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

// The regularized incomplete beta function I_x(a, b) and the Student t survival function built on it (for the
// p-value of a correlation coefficient).
extension SpecialFunctions {
    /// Relative size of the last continued-fraction correction at convergence.
    private static let incompleteBetaTolerance = Double.ulpOfOne
    /// Floor that keeps the modified Lentz recurrences away from division by zero.
    private static let betaLentzFloor = 1e-300

    /// The regularized incomplete beta function `I_x(a, b) = B(x; a, b) / B(a, b)`.
    ///
    /// Algorithm (Press et al., *Numerical Recipes*, 3rd ed., §6.4): the continued fraction of
    /// `I_x(a, b) = xᵃ(1-x)ᵇ / (a B(a, b)) · 1/(1+ d₁/(1+ d₂/(1+ …)))`, evaluated by the modified Lentz method, when
    /// `x < (a+1)/(a+b+2)`; otherwise `1 - I_{1-x}(b, a)` (where the fraction converges fast). `log B(a, b)` is
    /// ``logGamma(_:)`` of the smaller argument plus `log Γ(A) - log Γ(A + b)` for the larger one from Stirling's
    /// series, without subtracting two large log-gammas.
    ///
    /// Accuracy against scipy's `betainc` (itself within 1e-15 of mpmath there) on the tested grid of a, b from 0.5 to
    /// 5·10⁴: within 3e-14 relative while `max(a, b) < 10⁴`. Near the mean of very large shapes (`a, b ≈ 5·10⁴`,
    /// `x ≈ a/(a+b)`) the continued fraction is ill-conditioned (its first terms cancel) and the error grows to 1e-10
    /// relative (5e-11 absolute) — immaterial for the p-values it serves; TOMS 708's asymptotic expansions would be
    /// the fix if that regime ever matters. The side computed as `1 - (other side)` is accurate in absolute terms.
    ///
    /// - Parameters:
    ///   - x: The point, `0 ≤ x ≤ 1`.
    ///   - a: The first shape, `a > 0`.
    ///   - b: The second shape, `b > 0`.
    /// - Returns: `I_x(a, b)` in `[0, 1]`; NaN outside the domain or for NaN arguments.
    /// - Complexity: O(√max(a, b)) continued-fraction steps, capped at 200 + 40√max(a, b).
    public static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
        incompleteBeta(x: x, complement: 1 - x, a: a, b: b)
    }

    /// The survival function of Student's t distribution, `P(T_ν > t)`.
    ///
    /// `P(T_ν > t) = ½ I_{ν/(ν+t²)}(ν/2, ½)` for `t ≥ 0` and `1 - P(T_ν > |t|)` for `t < 0` (Abramowitz & Stegun
    /// 26.5.27), with `1 - ν/(ν+t²) = t²/(ν+t²)` passed to the incomplete beta directly so small `|t|` loses nothing.
    ///
    /// Accuracy: within 1e-13 relative of scipy's `t.sf` for ν ≤ 10³ and 1.3e-12 at ν = 10⁵ on the tested grid
    /// (t from −3 to 40), the large-ν loss coming from the incomplete beta's continued fraction (see
    /// ``regularizedBeta(_:a:b:)``).
    ///
    /// - Parameters:
    ///   - t: The statistic.
    ///   - degreesOfFreedom: ν > 0.
    /// - Returns: The upper-tail probability; NaN when `ν ≤ 0` or an argument is NaN.
    /// - Complexity: as ``regularizedBeta(_:a:b:)`` with `a = ν/2`.
    public static func studentTSurvival(_ t: Double, degreesOfFreedom: Double) -> Double {
        if t.isNaN || degreesOfFreedom.isNaN || !(degreesOfFreedom > 0) { return .nan }
        if t == .infinity { return 0 }
        if t == -.infinity { return 1 }
        let square = t * t
        let denominator = degreesOfFreedom + square
        let tail = 0.5 * incompleteBeta(
            x: degreesOfFreedom / denominator, complement: square / denominator, a: degreesOfFreedom / 2, b: 0.5)
        return t >= 0 ? tail : 1 - tail
    }

    // MARK: - Internals

    /// `I_x(a, b)` with `complement = 1 - x` supplied by the caller (exactly, when it can).
    static func incompleteBeta(x: Double, complement: Double, a: Double, b: Double) -> Double {
        if x.isNaN || a.isNaN || b.isNaN || !(a > 0) || !(b > 0) || x < 0 || x > 1 { return .nan }
        if x == 0 { return 0 }
        if complement == 0 { return 1 }
        if x < (a + 1) / (a + b + 2) {
            return min(1, betaContinuedFraction(x: x, complement: complement, a: a, b: b))
        }
        return max(0, 1 - betaContinuedFraction(x: complement, complement: x, a: b, b: a))
    }

    /// `xᵃ(1-x)ᵇ / (a B(a, b))` times the continued fraction (Numerical Recipes' `betacf`).
    private static func betaContinuedFraction(x: Double, complement: Double, a: Double, b: Double) -> Double {
        let logX = x < 0.5 ? log(x) : log1p(-complement)
        let logComplement = complement < 0.5 ? log(complement) : log1p(-x)
        let logPrefactor = a * logX + b * logComplement - logBeta(a, b) - log(a)
        if logPrefactor < -745 { return 0 }
        let sum = a + b
        let aPlusOne = a + 1
        let aMinusOne = a - 1
        var c = 1.0
        var d = 1 - sum * x / aPlusOne
        if abs(d) < betaLentzFloor { d = betaLentzFloor }
        d = 1 / d
        var fraction = d
        let iterations = 200 + Int(min(1e7, 40 * max(a, b).squareRoot()))
        for index in 1...iterations {
            let m = Double(index)
            let twoM = 2 * m
            // Even step.
            var coefficient = m * (b - m) * x / ((aMinusOne + twoM) * (a + twoM))
            d = 1 + coefficient * d
            if abs(d) < betaLentzFloor { d = betaLentzFloor }
            c = 1 + coefficient / c
            if abs(c) < betaLentzFloor { c = betaLentzFloor }
            d = 1 / d
            fraction *= d * c
            // Odd step.
            coefficient = -(a + m) * (sum + m) * x / ((a + twoM) * (aPlusOne + twoM))
            d = 1 + coefficient * d
            if abs(d) < betaLentzFloor { d = betaLentzFloor }
            c = 1 + coefficient / c
            if abs(c) < betaLentzFloor { c = betaLentzFloor }
            d = 1 / d
            let delta = d * c
            fraction *= delta
            if abs(delta - 1) < incompleteBetaTolerance { break }
        }
        return exp(logPrefactor + log(fraction))
    }

    /// `log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b)`.
    ///
    /// With `s ≤ l` the smaller and larger argument: `log Γ(s) + [log Γ(l) - log Γ(l + s)]`, the bracket from
    /// Stirling's series when `l ≥ 10` as `-(l-½) log1p(s/l) - s log(l+s) + s + S(l) - S(l+s)` (S the series
    /// correction), which has no cancellation between terms of size `l log l`.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let small = min(a, b)
        let large = max(a, b)
        if large < 10 { return logGamma(small) + logGamma(large) - logGamma(small + large) }
        let total = large + small
        let ratio = -(large - 0.5) * log1p(small / large) - small * log(total) + small
            + stirlingSeries(large) - stirlingSeries(total)
        return logGamma(small) + ratio
    }
}

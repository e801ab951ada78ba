#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

// The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x), and the chi-square survival
// function built on Q.
extension SpecialFunctions {
    /// Relative size of the last series term or continued-fraction correction at convergence.
    private static let incompleteGammaTolerance = Double.ulpOfOne
    /// Floor that keeps the modified Lentz recurrences away from division by zero.
    private static let lentzFloor = 1e-300
    /// Iteration budget: both expansions converge in O(√a) steps near `x ≈ a` and much faster elsewhere.
    private static func incompleteGammaIterations(_ a: Double) -> Int {
        200 + Int(min(1e7, 40 * a.squareRoot()))
    }

    /// The regularized lower incomplete gamma function `P(a, x) = γ(a, x) / Γ(a)`.
    ///
    /// Algorithm (Press et al., *Numerical Recipes*, 3rd ed., §6.2): the power series
    /// `P = xᵃ e⁻ˣ / Γ(a+1) · Σₙ xⁿ / ((a+1)…(a+n))` when `x < a + 1`, otherwise `1 - Q` with `Q` from the continued
    /// fraction evaluated by the modified Lentz method. The prefactor `xᵃ e⁻ˣ / Γ(a+1)` is Loader's saddle-point
    /// Poisson density (`-δ(a) - bd0(a, x) - ½ log 2πa`), not `exp(a log x - x - lgamma(a+1))`, so it stays accurate
    /// for large `a` and `x`.
    ///
    /// Accuracy, measured against mpmath on a grid with a from 0.01 to 10⁵ and x from a/100 to 10a: the directly
    /// computed side (P for `x < a + 1`, Q otherwise) is within 5e-14 relative while it exceeds 1e-100; beyond, the
    /// rounding of the exponent adds about `2e-16 · |log result|` (1.7e-13 at Q(100, 1000) ≈ 1e-290). The side
    /// computed as `1 - (other side)` is accurate in absolute terms (~1e-16).
    ///
    /// - Parameters:
    ///   - a: The shape, `a > 0`.
    ///   - x: The point, `x ≥ 0`.
    /// - Returns: `P(a, x)`; NaN when `a ≤ 0`, `x < 0` or either is NaN.
    /// - Complexity: O(√a) iterations near `x ≈ a`, O(1)-ish elsewhere; capped at 200 + 40√a.
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        guard let trivial = incompleteGammaLimits(a, x) else {
            return x < a + 1 ? lowerGammaSeries(a, x) : 1 - upperGammaFraction(a, x)
        }
        return trivial.lower
    }

    /// The regularized upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a) = 1 - P(a, x)`, accurate when tiny.
    ///
    /// Same algorithm as ``regularizedGammaP(_:_:)``; for `x ≥ a + 1` the continued fraction gives `Q` directly, so
    /// far upper tails such as `Q(5, 1000) ≈ 1e-420 → 0` or `Q(0.5, 700)` keep full relative accuracy until they
    /// underflow.
    ///
    /// Accuracy: as ``regularizedGammaP(_:_:)``, mirrored.
    ///
    /// - Parameters:
    ///   - a: The shape, `a > 0`.
    ///   - x: The point, `x ≥ 0`.
    /// - Returns: `Q(a, x)`; NaN when `a ≤ 0`, `x < 0` or either is NaN.
    /// - Complexity: as ``regularizedGammaP(_:_:)``.
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        guard let trivial = incompleteGammaLimits(a, x) else {
            return x < a + 1 ? 1 - lowerGammaSeries(a, x) : upperGammaFraction(a, x)
        }
        return trivial.upper
    }

    /// The chi-square survival function `P(χ²_ν > x) = Q(ν/2, x/2)`.
    ///
    /// Accuracy: that of ``regularizedGammaQ(_:_:)``: within 8e-14 relative of mpmath (and 1e-13 of scipy's
    /// `chi2.sf`) on the tested grid of ν = 1, 2, 3, 10, 100.5, 1000 and x up to 1400, p-values down to 1e-295.
    ///
    /// - Parameters:
    ///   - x: The statistic; `x ≤ 0` gives 1.
    ///   - degreesOfFreedom: ν > 0 (need not be an integer).
    /// - Returns: The upper-tail probability; NaN when `ν ≤ 0` or an argument is NaN.
    /// - Complexity: as ``regularizedGammaQ(_:_:)`` with `a = ν/2`.
    public static func chiSquareSurvival(_ x: Double, degreesOfFreedom: Double) -> Double {
        if x.isNaN || degreesOfFreedom.isNaN || !(degreesOfFreedom > 0) { return .nan }
        if x <= 0 { return 1 }
        return regularizedGammaQ(degreesOfFreedom / 2, x / 2)
    }

    // MARK: - Internals

    /// `(P, Q)` at the edges of the domain, or nil when the series or continued fraction is needed.
    private static func incompleteGammaLimits(_ a: Double, _ x: Double) -> (lower: Double, upper: Double)? {
        if a.isNaN || x.isNaN || !(a > 0) || x < 0 { return (.nan, .nan) }
        if x == 0 { return (0, 1) }
        if x == .infinity { return (1, 0) }
        if a == .infinity { return (0, 1) }
        return nil
    }

    /// `P(a, x)` from the power series; for `x < a + 1`.
    private static func lowerGammaSeries(_ a: Double, _ x: Double) -> Double {
        let prefactor = exp(logPoissonRaw(a, x))  // xᵃ e⁻ˣ / Γ(a + 1)
        if prefactor == 0 { return 0 }
        var denominator = a
        var term = 1.0
        var sum = 1.0
        for _ in 0..<incompleteGammaIterations(a) {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * incompleteGammaTolerance { break }
        }
        return min(1, sum * prefactor)
    }

    /// `Q(a, x)` from the continued fraction (modified Lentz); for `x ≥ a + 1`.
    private static func upperGammaFraction(_ a: Double, _ x: Double) -> Double {
        let logPrefactor = log(a) + logPoissonRaw(a, x)  // xᵃ e⁻ˣ / Γ(a)
        if logPrefactor == -.infinity { return 0 }
        var b = x + 1 - a
        var c = 1 / lentzFloor
        var d = 1 / b
        var fraction = d
        for index in 1...incompleteGammaIterations(a) {
            let step = Double(index)
            let an = -step * (step - a)
            b += 2
            d = an * d + b
            if abs(d) < lentzFloor { d = lentzFloor }
            c = b + an / c
            if abs(c) < lentzFloor { c = lentzFloor }
            d = 1 / d
            let delta = d * c
            fraction *= delta
            if abs(delta - 1) < incompleteGammaTolerance { break }
        }
        return min(1, exp(logPrefactor + log(fraction)))
    }
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Special functions for the engine's tests and intervals: log-gamma and friends, the standard normal distribution,
/// the regularized incomplete gamma functions, and the hypergeometric log-probability.
///
/// Everything here is written in Swift on top of libm's `exp`, `log` and `log1p` (correctly rounded or within 1 ulp
/// in glibc); nothing calls libm's `lgamma` (which writes the global `signgam`, a data race) or `erfc`. Each function
/// documents its algorithm, its source and the accuracy measured against scipy 1.17 and mpmath at 50 digits
/// (see `Tests/StatsTests/SpecialFunctionsTests.swift` and `scripts/make_stats_fixtures.py`).
///
/// The functions are total: arguments outside the mathematical domain return NaN (or the documented limit) rather
/// than trapping, so bad data never crashes a report.
///
/// The family is split by feature:
/// - this file: `logGamma`, `logFactorial`, `logChoose`;
/// - `SpecialFunctions+Normal.swift`: `normalCDF`, `normalSurvival`, `normalQuantile`;
/// - `SpecialFunctions+IncompleteGamma.swift`: `regularizedGammaP`, `regularizedGammaQ`, `chiSquareSurvival`;
/// - `SpecialFunctions+Hypergeometric.swift`: `hypergeometricLogPMF`;
/// - `SpecialFunctions+Saddlepoint.swift`: Loader's internal helpers (`stirlingError`, `deviance`, …).
public enum SpecialFunctions {
    /// `log(√(2π))`.
    static let logSqrtTwoPi = 0.9189385332046728

    /// Arguments at or above this use Stirling's series directly; below it, the argument is shifted into
    /// `[1.5, 2.5)` first. At 10 the eight-term series is accurate to 2e-18 absolute.
    private static let stirlingThreshold = 10.0

    /// `1 - γ` (Euler–Mascheroni), the first coefficient of `log Γ(2 + ε)`.
    private static let oneMinusEulerGamma = 0.4227843350984671

    /// `(-1)^k (ζ(k) - 1) / k` for k = 2…30, the Taylor coefficients of `log Γ(2 + ε)` beyond the linear term
    /// (computed with mpmath at 50 digits, rounded to the nearest double).
    private static let logGammaNearTwoCoefficients: [Double] = [
        0.3224670334241132, -0.0673523010531981, 0.020580808427784546, -0.007385551028673986,
        0.0028905103307415234, -0.001192753911703261, 0.0005096695247430425, -0.00022315475845357939,
        9.945751278180853e-05, -4.492623673813314e-05, 2.050721277567069e-05, -9.439488275268397e-06,
        4.374866789907488e-06, -2.039215753801366e-06, 9.55141213040742e-07, -4.492469198764566e-07,
        2.1207184805554665e-07, -1.0043224823968099e-07, 4.7698101693639804e-08, -2.2711094608943164e-08,
        1.0838659214896955e-08, -5.183475041970047e-09, 2.4836745438024785e-09, -1.1921401405860912e-09,
        5.731367241678862e-10, -2.7595228851242334e-10, 1.330476437424449e-10, -6.4229645638381e-11,
        3.1044247747322276e-11,
    ]

    /// The natural logarithm of the gamma function, `log Γ(x)`, for `x > 0`.
    ///
    /// Algorithm (no libm `lgamma`):
    /// - `x ≥ 10`: Stirling's series `(x - ½) log x - x + log √(2π) + Σ B₂ₖ / (2k(2k-1) x^(2k-1))`, eight terms.
    /// - `x < 10`: the argument is moved into `[1.5, 2.5)` with `Γ(x+1) = x Γ(x)`, and `log Γ(2 + ε)` is summed
    ///   from its Taylor series `(1-γ)ε + Σₖ (-1)ᵏ (ζ(k)-1)/k εᵏ` (Abramowitz & Stegun 6.1.33 shifted by one),
    ///   which converges like 4⁻ᵏ for `|ε| ≤ ½`. Because `ε = x - 1` or `x - 2` is exact there, the result keeps
    ///   its *relative* accuracy next to the zeros at 1 and 2, where `lgamma`-by-subtraction loses it.
    ///
    /// Accuracy: within 1e-15 relative of mpmath on the test points, including `x = 1 ± 1e-4` and `2 ± 1e-4`
    /// (scipy's `gammaln` is only good to ~4e-12 relative there).
    ///
    /// - Parameter x: The argument. `x == 0` returns `+∞`; negative or NaN arguments return NaN.
    /// - Returns: `log Γ(x)`.
    /// - Complexity: O(1): at most 30 series terms and 8 shifts.
    public static func logGamma(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 || x == .infinity { return .infinity }
        if x >= stirlingThreshold { return logGammaStirling(x) }
        if x < 0.5 {
            // Γ(x) = Γ(x + 2) / (x (x + 1)); ε = x exactly.
            return logGammaNearTwo(x) - log(x) - log1p(x)
        }
        if x < 1.5 {
            // Γ(x) = Γ(x + 1) / x with x + 1 = 2 + (x - 1); x - 1 is exact (Sterbenz) and log x = log1p(x - 1).
            let epsilon = x - 1
            return logGammaNearTwo(epsilon) - log1p(epsilon)
        }
        var shifted = x
        var product = 1.0
        while shifted >= 2.5 {
            shifted -= 1  // exact: shifted < 10, so its ulp is at most 2⁻⁴⁹
            product *= shifted
        }
        return logGammaNearTwo(shifted - 2) + log(product)
    }

    /// `log(n!)`, as `logGamma(n + 1)`.
    ///
    /// Accuracy: within 1e-15 relative of the exact value (`math.log(math.factorial(n))`) on the test points up to
    /// n = 100,000; `logFactorial(0) == logFactorial(1) == 0` exactly.
    ///
    /// - Parameter n: A non-negative integer.
    /// - Returns: `log(n!)`.
    /// - Precondition: `n >= 0`.
    /// - Complexity: O(1).
    public static func logFactorial(_ n: Int) -> Double {
        precondition(n >= 0, "logFactorial requires n >= 0, got \(n)")
        return logGamma(Double(n) + 1)
    }

    /// The logarithm of the binomial coefficient, `log C(n, k)`.
    ///
    /// Algorithm: Loader's decomposition (C. Loader, "Fast and Accurate Computation of Binomial Probabilities",
    /// 2000) `log C(n,k) = k log(n/k) - (n-k) log1p(-k/n) + δ(n) - δ(k) - δ(n-k) - ½ log(2π k (n-k)/n)`, with `δ` the
    /// Stirling error. Every large term is positive, so there is none of the cancellation of
    /// `lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)` (which loses ~1e-11 absolute at n = 48,842).
    ///
    /// Accuracy: within 2e-15 relative of the exact value (`math.log(math.comb(n, k))`) on the test points up to
    /// n = 10⁶.
    ///
    /// - Parameters:
    ///   - n: The population size, `n >= 0`.
    ///   - k: The number chosen. `k < 0` or `k > n` gives `-∞` (there are no such subsets).
    /// - Returns: `log C(n, k)`; exactly 0 when `k == 0` or `k == n`.
    /// - Precondition: `n >= 0`.
    /// - Complexity: O(1).
    public static func logChoose(_ n: Int, _ k: Int) -> Double {
        precondition(n >= 0, "logChoose requires n >= 0, got \(n)")
        if k < 0 || k > n { return -.infinity }
        if k == 0 || k == n { return 0 }
        // C(n, k) = C(n, n - k): with k ≤ n/2, 1 - k/n ≥ ½ and log1p(-k/n) stays accurate.
        let smaller = min(k, n - k)
        let total = Double(n)
        let chosen = Double(smaller)
        let rest = Double(n - smaller)
        let main = chosen * log(total / chosen) - rest * log1p(-chosen / total)
        let correction = stirlingError(total) - stirlingError(chosen) - stirlingError(rest)
        return main + correction - 0.5 * log(2 * Double.pi * chosen * (rest / total))
    }

    // MARK: - Internals

    /// `log Γ(2 + ε)` for `|ε| ≤ ½`, from its Taylor series (Horner form).
    static func logGammaNearTwo(_ epsilon: Double) -> Double {
        assert(abs(epsilon) <= 0.5, "series evaluated outside its accurate range")
        var sum = 0.0
        for coefficient in logGammaNearTwoCoefficients.reversed() {
            sum = sum * epsilon + coefficient
        }
        return epsilon * (oneMinusEulerGamma + epsilon * sum)
    }

    /// `log Γ(x)` for `x ≥ 10` from Stirling's series.
    private static func logGammaStirling(_ x: Double) -> Double {
        (x - 0.5) * log(x) - x + logSqrtTwoPi + stirlingSeries(x)
    }

    /// The Stirling correction `Σ B₂ₖ / (2k(2k-1) x^(2k-1))`, k = 1…8, for `x ≥ 10` (truncation error < 2e-18).
    static func stirlingSeries(_ x: Double) -> Double {
        let inverseSquare = 1 / (x * x)
        // 1/12, -1/360, 1/1260, -1/1680, 1/1188, -691/360360, 1/156, -3617/122400
        var sum = -3617.0 / 122_400
        sum = sum * inverseSquare + 1.0 / 156
        sum = sum * inverseSquare - 691.0 / 360_360
        sum = sum * inverseSquare + 1.0 / 1188
        sum = sum * inverseSquare - 1.0 / 1680
        sum = sum * inverseSquare + 1.0 / 1260
        sum = sum * inverseSquare - 1.0 / 360
        sum = sum * inverseSquare + 1.0 / 12
        return sum / x
    }
}

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

// Catherine Loader's saddle-point building blocks ("Fast and Accurate Computation of Binomial Probabilities",
// 2000), as used by R's nmath (stirlerr.c, bd0.c, dbinom.c, dpois.c). They express binomial, Poisson and
// hypergeometric probabilities without subtracting large, nearly equal log-factorials, so the results keep
// ~1e-15 relative accuracy for any size.
extension SpecialFunctions {
    /// `δ(n) = log n! - log(√(2πn) (n/e)ⁿ)` for n = ½, 1, …, 15 (exact to double precision; checked against mpmath).
    private static let stirlingErrorHalves: [Double] = [
        0.1534264097200273452913848,  // 0.5
        0.0810614667953272582196702,  // 1.0
        0.0548141210519176538961390,  // 1.5
        0.0413406959554092940938221,  // 2.0
        0.03316287351993628748511048,  // 2.5
        0.02767792568499833914878929,  // 3.0
        0.02374616365629749597132920,  // 3.5
        0.02079067210376509311152277,  // 4.0
        0.01848845053267318523077934,  // 4.5
        0.01664469118982119216319487,  // 5.0
        0.01513497322191737887351255,  // 5.5
        0.01387612882307074799874573,  // 6.0
        0.01281046524292022692424986,  // 6.5
        0.01189670994589177009505572,  // 7.0
        0.01110455975820691732662991,  // 7.5
        0.010411265261972096497478567,  // 8.0
        0.009799416126158803298389475,  // 8.5
        0.009255462182712732917728637,  // 9.0
        0.008768700134139385462952823,  // 9.5
        0.008330563433362871256469318,  // 10.0
        0.007934114564314020547248100,  // 10.5
        0.007573675487951840794972024,  // 11.0
        0.007244554301320383179543912,  // 11.5
        0.006942840107209529865664152,  // 12.0
        0.006665247032707682442354394,  // 12.5
        0.006408994188004207068439631,  // 13.0
        0.006171712263039457647532867,  // 13.5
        0.005951370112758847735624416,  // 14.0
        0.005746216513010115682023589,  // 14.5
        0.005554733551962801371038690,  // 15.0
    ]

    /// Largest argument served from `stirlingErrorHalves`.
    private static let stirlingTableLimit = 15.0

    /// Iteration cap for the `deviance` series; it converges in a few dozen terms when it is used at all.
    private static let devianceMaxTerms = 1000

    /// The Stirling error `δ(n) = log Γ(n+1) - (n + ½) log n + n - log √(2π)`, for `n > 0`.
    ///
    /// Table for half-integers ≤ 15; Stirling's series above 10 otherwise; the defining formula (absolute error
    /// ≤ 4e-15) for other `n < 10`.
    static func stirlingError(_ n: Double) -> Double {
        assert(n > 0, "stirlingError needs n > 0")
        let doubled = n + n
        if n <= stirlingTableLimit && doubled == doubled.rounded(.towardZero) {
            return stirlingErrorHalves[Int(doubled) - 1]
        }
        if n < 10 {
            // log Γ(n + 1) without rounding n + 1 when n is small: Γ(n + 1) = Γ(n + 2) / (n + 1).
            let logGammaOnePlus = n < 0.5 ? logGammaNearTwo(n) - log1p(n) : logGamma(n + 1)
            return logGammaOnePlus - (n + 0.5) * log(n) + n - logSqrtTwoPi
        }
        if n <= 35 { return stirlingSeries(n) }
        // Fewer terms suffice further out (truncation < 1e-17 absolute).
        let inverseSquare = 1 / (n * n)
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680
        if n > 500 { return (s0 - s1 * inverseSquare) / n }
        if n > 80 { return (s0 - (s1 - s2 * inverseSquare) * inverseSquare) / n }
        return (s0 - (s1 - (s2 - s3 * inverseSquare) * inverseSquare) * inverseSquare) / n
    }

    /// Loader's deviance term `bd0(x, m) = x log(x/m) + m - x ≥ 0`, summed as a series when `x ≈ m` to avoid
    /// cancellation.
    static func deviance(_ x: Double, _ mean: Double) -> Double {
        if x == 0 { return mean }
        if abs(x - mean) < 0.1 * (x + mean) {
            var ratio = (x - mean) / (x + mean)
            var sum = (x - mean) * ratio
            if abs(sum) < Double.leastNormalMagnitude { return sum }
            var term = 2 * x * ratio
            ratio *= ratio
            for index in 1..<devianceMaxTerms {
                term *= ratio
                let next = sum + term / Double(2 * index + 1)
                if next == sum { return next }
                sum = next
            }
        }
        return x * log(x / mean) + mean - x
    }

    /// `log` of the binomial probability `C(n,x) pˣ qⁿ⁻ˣ` with `q = 1 - p` passed separately (Loader's
    /// `dbinom_raw`). `x` and `n` are whole numbers held as doubles.
    static func logBinomialRaw(_ x: Double, _ n: Double, _ p: Double, _ q: Double) -> Double {
        if p == 0 { return x == 0 ? 0 : -.infinity }
        if q == 0 { return x == n ? 0 : -.infinity }
        if x == 0 {
            if n == 0 { return 0 }
            return p < 0.1 ? -deviance(n, n * q) - n * p : n * log(q)
        }
        if x == n {
            return q < 0.1 ? -deviance(n, n * p) - n * q : n * log(p)
        }
        if x < 0 || x > n { return -.infinity }
        let saddle =
            stirlingError(n) - stirlingError(x) - stirlingError(n - x) - deviance(x, n * p)
            - deviance(n - x, n * q)
        let scale = log(2 * Double.pi) + log(x) + log1p(-x / n)
        return saddle - 0.5 * scale
    }

    /// `log` of the Poisson density `λˣ e⁻λ / Γ(x + 1)` for real `x ≥ 0` (Loader's `dpois_raw`).
    static func logPoissonRaw(_ x: Double, _ lambda: Double) -> Double {
        if lambda == 0 { return x == 0 ? 0 : -.infinity }
        if !lambda.isFinite || x < 0 { return -.infinity }
        if x <= lambda * Double.leastNormalMagnitude { return -lambda }
        if lambda < x * Double.leastNormalMagnitude { return -lambda + x * log(lambda) - logGamma(x + 1) }
        return -stirlingError(x) - deviance(x, lambda) - 0.5 * log(2 * Double.pi * x)
    }
}

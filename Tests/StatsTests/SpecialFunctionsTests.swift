import Foundation
import Stats
import Testing
import _TestSupport

/// Special functions against scipy (the JSON fixture), exact big-integer values, and mpmath at 50 digits.
///
/// Tolerances are stated per test. Where scipy itself is less accurate than our routine (gammaln near its zeros,
/// ndtr in the far tails, gammainc for large a, hypergeom.logpmf for large populations) the scipy comparison uses
/// scipy's measured error and a separate table of mpmath values pins our own accuracy.
struct SpecialFunctionsTests {
    // MARK: - log Γ, log n!, log C(n, k)

    /// scipy's gammaln is ~4e-12 relative near x = 2 (≈2e-16 absolute), so: 1e-13 relative or 1e-15 absolute.
    @Test(arguments: try ReferenceFixture.load().gammaln)
    func logGammaMatchesScipy(_ reference: ReferenceFixture.PointValue) {
        let value = SpecialFunctions.logGamma(reference.x)
        #expect(isClose(value, reference.value, relative: 1e-13, absolute: 1e-15), "got \(value)")
    }

    /// mpmath 1.3.0 at 50 digits at the exact binary value of each x, rounded to double; includes points next to the
    /// zeros at 1 and 2.
    static let logGammaExact: [(x: Double, value: Double)] = [
        (1e-300, 690.7755278982137), (1e-8, 18.42068073818021), (0.5, 0.5723649429247001),
        (0.9999, 5.7729791561193866e-05), (1.0001, -5.771334222047127e-05), (1.00000001, -5.772156531688512e-09),
        (1.4616321449683622, -0.12148629053584961), (1.9999, -4.227520877215346e-05),
        (2.0001, 4.2281658112919945e-05), (2.5, 0.2846828704729192), (3.7, 1.428072326665388),
        (9.99, 12.779315214350193), (10, 12.801827480081469), (25.5, 56.389167643719944),
        (1e6, 12815504.569147611),
    ]

    /// Documented accuracy: 1e-15 relative, including next to the zeros.
    @Test func logGammaMatchesHighPrecision() {
        for (x, exact) in Self.logGammaExact {
            let value = SpecialFunctions.logGamma(x)
            #expect(isClose(value, exact, relative: 1e-15), "logGamma(\(x)) = \(value), exact \(exact)")
        }
    }

    @Test func logGammaSpecialValues() {
        #expect(SpecialFunctions.logGamma(1) == 0)
        #expect(SpecialFunctions.logGamma(2) == 0)
        #expect(SpecialFunctions.logGamma(0) == .infinity)
        #expect(SpecialFunctions.logGamma(.infinity) == .infinity)
        #expect(SpecialFunctions.logGamma(-1.5).isNaN)
        #expect(SpecialFunctions.logGamma(.nan).isNaN)
    }

    /// Γ(x + 1) = x Γ(x) on seeded random points, to 1e-14 relative (absolute 1e-15 next to the zeros).
    @Test func logGammaSatisfiesRecurrence() {
        var random = SeededRandom(seed: 0x57A7_5EED)
        for _ in 0..<2000 {
            let x = 0.01 + 40 * random.unit()
            let lhs = SpecialFunctions.logGamma(x + 1)
            let rhs = SpecialFunctions.logGamma(x) + log(x)
            #expect(isClose(lhs, rhs, relative: 1e-14, absolute: 1e-14), "x = \(x): \(lhs) vs \(rhs)")
        }
    }

    /// Against log(n!) from exact integers: 1e-15 relative.
    @Test(arguments: try ReferenceFixture.load().log_factorial)
    func logFactorialMatchesExact(_ reference: ReferenceFixture.IntegerValue) {
        let value = SpecialFunctions.logFactorial(reference.n)
        #expect(isClose(value, reference.value, relative: 1e-15), "got \(value)")
    }

    /// Against log C(n, k) from exact integers: 2e-15 relative.
    @Test(arguments: try ReferenceFixture.load().log_choose)
    func logChooseMatchesExact(_ reference: ReferenceFixture.ChooseValue) {
        let value = SpecialFunctions.logChoose(reference.n, reference.k)
        #expect(isClose(value, reference.value, relative: 2e-15), "got \(value)")
    }

    @Test func logChooseOutsideSupport() {
        #expect(SpecialFunctions.logChoose(5, 6) == -.infinity)
        #expect(SpecialFunctions.logChoose(5, -1) == -.infinity)
        #expect(SpecialFunctions.logChoose(0, 0) == 0)
        #expect(SpecialFunctions.logChoose(7, 3) == SpecialFunctions.logChoose(7, 4))
    }

    // MARK: - Normal distribution

    /// scipy's ndtr is off by up to 1.2e-13 relative at |z| = 37 (measured with mpmath), so 2e-13 relative;
    /// 1e-300 absolute covers z = ±38, where scipy flushes to 0 and we return a subnormal.
    @Test(arguments: try ReferenceFixture.load().normal_cdf)
    func normalCDFMatchesScipy(_ reference: ReferenceFixture.NormalValue) {
        let value = SpecialFunctions.normalCDF(reference.z)
        #expect(isClose(value, reference.value, relative: 2e-13, absolute: 1e-300), "got \(value)")
    }

    /// Same tolerance as the CDF.
    @Test(arguments: try ReferenceFixture.load().normal_sf)
    func normalSurvivalMatchesScipy(_ reference: ReferenceFixture.NormalValue) {
        let value = SpecialFunctions.normalSurvival(reference.z)
        #expect(isClose(value, reference.value, relative: 2e-13, absolute: 1e-300), "got \(value)")
    }

    /// Φ(z) for z ≤ 0 (= Q(-z)), mpmath at 50 digits.
    static let normalLowerTailExact: [(z: Double, value: Double)] = [
        (-37, 5.725571222524577e-300), (-30, 4.906713927148187e-198), (-20, 2.7536241186062337e-89),
        (-10, 7.619853024160525e-24), (-8, 6.220960574271784e-16), (-5, 2.866515718791939e-07),
        (-1, 0.15865525393145705),
    ]

    /// Documented accuracy: 1e-15 relative in both tails.
    @Test func normalTailsMatchHighPrecision() {
        for (z, exact) in Self.normalLowerTailExact {
            #expect(isClose(SpecialFunctions.normalCDF(z), exact, relative: 1e-15), "normalCDF(\(z))")
            #expect(isClose(SpecialFunctions.normalSurvival(-z), exact, relative: 1e-15), "normalSurvival(\(-z))")
        }
    }

    @Test func normalSpecialValues() {
        #expect(SpecialFunctions.normalCDF(0) == 0.5)
        #expect(SpecialFunctions.normalSurvival(0) == 0.5)
        #expect(SpecialFunctions.normalCDF(-.infinity) == 0)
        #expect(SpecialFunctions.normalCDF(.infinity) == 1)
        #expect(SpecialFunctions.normalSurvival(.infinity) == 0)
        #expect(SpecialFunctions.normalSurvival(-39) == 1)
        #expect(SpecialFunctions.normalCDF(.nan).isNaN)
        #expect(SpecialFunctions.normalCDF(-38) > 0, "z = -38 is subnormal, not 0")
        #expect(SpecialFunctions.normalCDF(-40) == 0)
    }

    /// Φ(-z) == Q(z) exactly, and Φ(z) + Q(z) == 1 to rounding, on seeded random z.
    @Test func normalTailsAreConsistent() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<2000 {
            let z = 20 * (random.unit() - 0.5)
            #expect(SpecialFunctions.normalCDF(-z) == SpecialFunctions.normalSurvival(z), "z = \(z)")
            let sum = SpecialFunctions.normalCDF(z) + SpecialFunctions.normalSurvival(z)
            #expect(abs(sum - 1) <= 4 * Double.ulpOfOne, "z = \(z): sum \(sum)")
        }
    }

    /// scipy's ndtri and AS 241 agree to 1e-15 relative (both are accurate to a few ulp).
    @Test(arguments: try ReferenceFixture.load().normal_ppf)
    func normalQuantileMatchesScipy(_ reference: ReferenceFixture.QuantileValue) {
        let value = SpecialFunctions.normalQuantile(reference.p)
        #expect(isClose(value, reference.value, relative: 1e-15, absolute: 1e-300), "got \(value)")
    }

    @Test func normalQuantileSpecialValues() {
        #expect(SpecialFunctions.normalQuantile(0) == -.infinity)
        #expect(SpecialFunctions.normalQuantile(1) == .infinity)
        #expect(SpecialFunctions.normalQuantile(0.5) == 0)
        #expect(SpecialFunctions.normalQuantile(-0.1).isNaN)
        #expect(SpecialFunctions.normalQuantile(1.1).isNaN)
        #expect(SpecialFunctions.normalQuantile(.nan).isNaN)
    }

    /// Φ(Φ⁻¹(p)) = p on seeded random p spread over 1e-300 … 1. Rounding z by one ulp moves Φ(z) by a relative
    /// z²·ε, so the tolerance is 4ε·max(1, z²) (5.6e-13 at p = 1e-300).
    @Test func normalQuantileInvertsCDF() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<2000 {
            let p = pow(10, -300 * random.unit() * random.unit())
            let z = SpecialFunctions.normalQuantile(p)
            let roundTrip = SpecialFunctions.normalCDF(z)
            let tolerance = 4 * Double.ulpOfOne * max(1, z * z)
            #expect(isClose(roundTrip, p, relative: tolerance), "p = \(p): \(roundTrip)")
        }
    }

    // MARK: - Incomplete gamma and chi-square

    /// scipy's gammainc/gammaincc are off by up to 4.4e-13 relative at a = 1000 (measured with mpmath), so 1e-12;
    /// 1e-300 absolute for values that underflow.
    @Test(arguments: try ReferenceFixture.load().gammainc)
    func incompleteGammaMatchesScipy(_ reference: ReferenceFixture.IncompleteGammaValue) {
        let p = SpecialFunctions.regularizedGammaP(reference.a, reference.x)
        let q = SpecialFunctions.regularizedGammaQ(reference.a, reference.x)
        #expect(isClose(p, reference.p, relative: 1e-12, absolute: 1e-300), "P = \(p)")
        #expect(isClose(q, reference.q, relative: 1e-12, absolute: 1e-300), "Q = \(q)")
    }

    /// (a, x, P, Q) from mpmath at 50 digits.
    static let incompleteGammaExact: [(a: Double, x: Double, p: Double, q: Double)] = [
        (0.5, 30, 0.9999999999999906, 9.485737571073848e-15), (1, 700, 1, 9.85967654375977e-305),
        (50.25, 100.5, 0.9999999891109288, 1.088907125124542e-08), (1000, 500, 3.2982727970671e-86, 1),
        (1000, 2000, 1, 6.847349459614753e-136), (100_000, 100_000, 0.5004205221103651, 0.4995794778896348),
        (100_000, 101_000, 0.9991915784870744, 0.0008084215129255907),
        (0.01, 0.5, 0.9943732438060329, 0.0056267561939671844), (3, 0.001, 1.6654171665278076e-10, 0.9999999998334583),
    ]

    /// Documented accuracy: 1e-13 relative for the side computed directly; 1e-15 absolute for the complement.
    @Test func incompleteGammaMatchesHighPrecision() {
        for (a, x, exactP, exactQ) in Self.incompleteGammaExact {
            let p = SpecialFunctions.regularizedGammaP(a, x)
            let q = SpecialFunctions.regularizedGammaQ(a, x)
            #expect(isClose(p, exactP, relative: 1e-13, absolute: 1e-15), "P(\(a), \(x)) = \(p)")
            #expect(isClose(q, exactQ, relative: 1e-13, absolute: 1e-15), "Q(\(a), \(x)) = \(q)")
            if x >= a + 1 { #expect(isClose(q, exactQ, relative: 1e-13), "Q(\(a), \(x)) relative") }
            if x < a + 1 { #expect(isClose(p, exactP, relative: 1e-13), "P(\(a), \(x)) relative") }
        }
    }

    @Test func incompleteGammaSpecialValues() {
        #expect(SpecialFunctions.regularizedGammaP(2, 0) == 0)
        #expect(SpecialFunctions.regularizedGammaQ(2, 0) == 1)
        #expect(SpecialFunctions.regularizedGammaP(2, .infinity) == 1)
        #expect(SpecialFunctions.regularizedGammaQ(2, .infinity) == 0)
        #expect(SpecialFunctions.regularizedGammaP(0, 1).isNaN)
        #expect(SpecialFunctions.regularizedGammaQ(-1, 1).isNaN)
        #expect(SpecialFunctions.regularizedGammaP(1, -1).isNaN)
        // Q(1, x) = e^-x exactly in closed form.
        #expect(isClose(SpecialFunctions.regularizedGammaQ(1, 3), exp(-3.0), relative: 1e-15))
        // Q(1/2, x) = erfc(√x) = 2 Q_normal(√(2x)).
        let x = 4.5
        let viaNormal = 2 * SpecialFunctions.normalSurvival((2 * x).squareRoot())
        #expect(isClose(SpecialFunctions.regularizedGammaQ(0.5, x), viaNormal, relative: 1e-14))
    }

    /// scipy's chi2.sf is within 3.2e-14 of mpmath on this grid; 1e-13 relative, 1e-300 absolute for underflow.
    @Test(arguments: try ReferenceFixture.load().chi2_sf)
    func chiSquareSurvivalMatchesScipy(_ reference: ReferenceFixture.ChiSquareValue) {
        let value = SpecialFunctions.chiSquareSurvival(reference.x, degreesOfFreedom: reference.dof)
        #expect(isClose(value, reference.value, relative: 1e-13, absolute: 1e-300), "got \(value)")
    }

    @Test func chiSquareSurvivalSpecialValues() {
        #expect(SpecialFunctions.chiSquareSurvival(0, degreesOfFreedom: 3) == 1)
        #expect(SpecialFunctions.chiSquareSurvival(-2, degreesOfFreedom: 3) == 1)
        #expect(SpecialFunctions.chiSquareSurvival(1, degreesOfFreedom: 0).isNaN)
        // χ²₂ survival is e^(-x/2).
        #expect(isClose(SpecialFunctions.chiSquareSurvival(7, degreesOfFreedom: 2), exp(-3.5), relative: 1e-15))
    }

    // MARK: - Hypergeometric

    /// Against the exact log-probability: 1e-14 relative or 2e-13 absolute (one ulp of log p ≈ -889 is 1.1e-13).
    /// Against scipy: 2e-10 absolute, scipy's own error for N = 48,842.
    @Test(arguments: try ReferenceFixture.load().hypergeom_logpmf)
    func hypergeometricMatchesReference(_ reference: ReferenceFixture.HypergeometricValue) {
        let value = SpecialFunctions.hypergeometricLogPMF(
            reference.k, population: reference.population, successes: reference.successes, draws: reference.draws
        )
        #expect(isClose(value, reference.exact, relative: 1e-14, absolute: 2e-13), "got \(value)")
        #expect(isClose(value, reference.value, relative: 0, absolute: 2e-10), "got \(value)")
    }

    @Test func hypergeometricSumsToOne() {
        for (population, successes, draws) in [(10, 5, 3), (50, 20, 25), (1000, 30, 600), (48842, 6100, 200)] {
            var total = 0.0
            for k in 0...draws {
                total += exp(
                    SpecialFunctions.hypergeometricLogPMF(k, population: population, successes: successes, draws: draws)
                )
            }
            #expect(isClose(total, 1, relative: 1e-14), "M=\(population) n=\(successes) N=\(draws): \(total)")
        }
        #expect(SpecialFunctions.hypergeometricLogPMF(4, population: 10, successes: 3, draws: 5) == -.infinity)
        #expect(SpecialFunctions.hypergeometricLogPMF(0, population: 10, successes: 8, draws: 5) == -.infinity)
    }
}

import Stats
import Testing
import _TestSupport

/// The regularized incomplete beta function and Student's t survival function against scipy.
struct IncompleteBetaTests {
    /// scipy.special.betainc over a, b ∈ {0.5 … 5·10⁴} and x ∈ (0, 1): 1e-13 relative (1e-15 absolute for values
    /// computed as a complement) while max(a, b) < 10⁴ (measured 3e-14); 3e-10 relative / 1e-10 absolute for the
    /// ill-conditioned shapes of 5·10⁴ (measured 1.1e-10 / 5.5e-11).
    @Test func incompleteBetaMatchesScipy() throws {
        for reference in try ConditionsFixture.load().beta.incomplete_beta {
            let value = SpecialFunctions.regularizedBeta(reference.x, a: reference.a, b: reference.b)
            let large = max(reference.a, reference.b) >= 10_000
            #expect(
                isClose(value, reference.value, relative: large ? 3e-10 : 1e-13, absolute: large ? 1e-10 : 1e-15),
                "\(reference): \(value)")
        }
    }

    /// scipy.stats.t.sf over ν = 1 … 10⁵ and t from −3 to 40: 1e-12 relative for ν ≤ 10³ (measured 1e-13), 3e-12
    /// at ν = 10⁵ (measured 1.3e-12).
    @Test func studentTMatchesScipy() throws {
        for reference in try ConditionsFixture.load().beta.t_sf {
            let value = SpecialFunctions.studentTSurvival(reference.t, degreesOfFreedom: reference.df)
            let tolerance = reference.df > 1_000 ? 3e-12 : 1e-12
            #expect(isClose(value, reference.value, relative: tolerance, absolute: 1e-300), "\(reference): \(value)")
        }
    }

    @Test func edgesAndDomain() {
        #expect(SpecialFunctions.regularizedBeta(0, a: 2, b: 3) == 0)
        #expect(SpecialFunctions.regularizedBeta(1, a: 2, b: 3) == 1)
        #expect(SpecialFunctions.regularizedBeta(0.5, a: -1, b: 3).isNaN)
        #expect(SpecialFunctions.regularizedBeta(1.5, a: 1, b: 3).isNaN)
        // I_x(1, 1) = x and I_½(a, a) = ½.
        #expect(isClose(SpecialFunctions.regularizedBeta(0.3, a: 1, b: 1), 0.3, relative: 1e-15))
        #expect(isClose(SpecialFunctions.regularizedBeta(0.5, a: 7.5, b: 7.5), 0.5, relative: 1e-14))
        #expect(SpecialFunctions.studentTSurvival(0, degreesOfFreedom: 5) == 0.5)
        #expect(SpecialFunctions.studentTSurvival(.infinity, degreesOfFreedom: 5) == 0)
        #expect(SpecialFunctions.studentTSurvival(1, degreesOfFreedom: 0).isNaN)
        // ν = 1 is Cauchy: P(T > 1) = ¼.
        #expect(isClose(SpecialFunctions.studentTSurvival(1, degreesOfFreedom: 1), 0.25, relative: 1e-14))
    }
}

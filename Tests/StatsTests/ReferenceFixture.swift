import Foundation

/// The reference values in `Fixtures/scipy_reference.json`, written by `scripts/make_stats_fixtures.py` from scipy
/// (and exact big-integer arithmetic for log-factorials and binomial coefficients). Field names follow the JSON.
struct ReferenceFixture: Decodable, Sendable {
    struct Versions: Decodable, Sendable {
        var numpy: String
        var scipy: String
    }

    struct PointValue: Decodable, Sendable, CustomStringConvertible {
        var x: Double
        var value: Double
        var description: String { "x=\(x)" }
    }

    struct IntegerValue: Decodable, Sendable, CustomStringConvertible {
        var n: Int
        var value: Double
        var description: String { "n=\(n)" }
    }

    struct ChooseValue: Decodable, Sendable, CustomStringConvertible {
        var n: Int
        var k: Int
        var value: Double
        var description: String { "C(\(n), \(k))" }
    }

    struct NormalValue: Decodable, Sendable, CustomStringConvertible {
        var z: Double
        var value: Double
        var description: String { "z=\(z)" }
    }

    struct QuantileValue: Decodable, Sendable, CustomStringConvertible {
        var p: Double
        var value: Double
        var description: String { "p=\(p)" }
    }

    struct IncompleteGammaValue: Decodable, Sendable, CustomStringConvertible {
        var a: Double
        var x: Double
        var p: Double
        var q: Double
        var description: String { "a=\(a) x=\(x)" }
    }

    struct ChiSquareValue: Decodable, Sendable, CustomStringConvertible {
        var x: Double
        var dof: Double
        var value: Double
        var description: String { "x=\(x) dof=\(dof)" }
    }

    struct HypergeometricValue: Decodable, Sendable, CustomStringConvertible {
        var k: Int
        var population: Int
        var successes: Int
        var draws: Int
        var value: Double
        var exact: Double
        var description: String { "k=\(k) M=\(population) n=\(successes) N=\(draws)" }
    }

    struct FisherValue: Decodable, Sendable, CustomStringConvertible {
        var table: [[Int]]
        var pvalue: Double
        var odds_ratio: Double?
        var description: String { "\(table)" }
    }

    struct ZTestValue: Decodable, Sendable, CustomStringConvertible {
        var x1: Int
        var n1: Int
        var x2: Int
        var n2: Int
        var z: Double
        var pvalue: Double
        var description: String { "\(x1)/\(n1) vs \(x2)/\(n2)" }
    }

    struct CompareValue: Decodable, Sendable, CustomStringConvertible {
        var x1: Int
        var n1: Int
        var x2: Int
        var n2: Int
        var method: String
        var pvalue: Double
        var description: String { "\(x1)/\(n1) vs \(x2)/\(n2)" }
    }

    struct HomogeneityValue: Decodable, Sendable, CustomStringConvertible {
        var successes: [Int]
        var trials: [Int]
        var statistic: Double
        var dof: Int
        var pvalue: Double
        var description: String { "\(successes) of \(trials)" }
    }

    struct WilsonValue: Decodable, Sendable, CustomStringConvertible {
        var successes: Int
        var trials: Int
        var confidence: Double
        var low: Double
        var high: Double
        var description: String { "\(successes)/\(trials) at \(confidence)" }
    }

    struct AdjustmentValue: Decodable, Sendable, CustomStringConvertible {
        var pvalues: [Double]
        var qvalues: [Double]
        var description: String { "\(pvalues.count) p-values" }
    }

    var generator: String
    var versions: Versions
    var gammaln: [PointValue]
    var log_factorial: [IntegerValue]
    var log_choose: [ChooseValue]
    var normal_cdf: [NormalValue]
    var normal_sf: [NormalValue]
    var normal_ppf: [QuantileValue]
    var gammainc: [IncompleteGammaValue]
    var chi2_sf: [ChiSquareValue]
    var hypergeom_logpmf: [HypergeometricValue]
    var fisher_exact: [FisherValue]
    var ztest: [ZTestValue]
    var compare: [CompareValue]
    var chi2_homogeneity: [HomogeneityValue]
    var wilson: [WilsonValue]
    var benjamini_hochberg: [AdjustmentValue]

    enum LoadError: Error {
        case missingResource
    }

    /// The decoded fixture, loaded once.
    static let shared: Result<ReferenceFixture, any Error> = Result {
        guard
            let url = Bundle.module.url(
                forResource: "scipy_reference", withExtension: "json",
                subdirectory: "Fixtures")
        else { throw LoadError.missingResource }
        return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }

    /// The fixture, or the error that prevented loading it.
    static func load() throws -> ReferenceFixture { try shared.get() }
}

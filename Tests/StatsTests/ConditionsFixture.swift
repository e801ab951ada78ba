import Foundation

/// The reference values in `Fixtures/conditions_reference.json`, written by `scripts/make_conditions_fixtures.py`
/// (statsmodels 0.15 and scipy 1.17; see the script for the source of every value). Field names follow the JSON.
struct ConditionsFixture: Decodable, Sendable {
    struct LogisticCase: Decodable, Sendable, CustomStringConvertible {
        var name: String
        var rows: Int
        var columns: Int
        var x: [Double]
        var successes: [Double]
        var trials: [Double]
        var penalty: Double
        var params: [Double]
        var bse: [Double]
        var or_low: [Double]
        var or_high: [Double]
        var pvalues: [Double]
        var loglike: Double
        var description: String { name }
    }

    struct TrendCase: Decodable, Sendable, CustomStringConvertible {
        var successes: [Int]
        var trials: [Int]
        var scores: [Double]?
        var z: Double
        var pvalue: Double
        var statsmodels_z: Double
        var statsmodels_pvalue: Double
        var description: String { "\(successes) of \(trials)" }
    }

    struct Split: Decodable, Sendable {
        var index: Int
        var statistic: Double
        var candidates: Int
        var pvalue: Double
    }

    struct ChangePointCase: Decodable, Sendable, CustomStringConvertible {
        var successes: [Int]
        var trials: [Int]
        var minimum: Int
        var best: Split?
        var total_trials: Int
        var description: String { "\(trials.count) groups, \(total_trials) trials" }
    }

    struct TableCase: Decodable, Sendable, CustomStringConvertible {
        var successes: [Int]
        var trials: [Int]
        var mutual_information: Double
        var cramers_v: Double
        var chi2: Double
        var dof: Int
        var pvalue: Double
        var description: String { "\(successes) of \(trials)" }
    }

    struct NumericCase: Decodable, Sendable, CustomStringConvertible {
        var values: [Double]
        var outcome: [UInt8]
        var r: Double
        var r_pvalue: Double
        var auc: Double
        var u: Double
        var u_pvalue: Double
        var description: String { "\(values.count) values" }
    }

    struct Associations: Decodable, Sendable {
        var tables: [TableCase]
        var numeric: [NumericCase]
    }

    struct BetaValue: Decodable, Sendable, CustomStringConvertible {
        var a: Double
        var b: Double
        var x: Double
        var value: Double
        var description: String { "I_\(x)(\(a), \(b))" }
    }

    struct TValue: Decodable, Sendable, CustomStringConvertible {
        var t: Double
        var df: Double
        var value: Double
        var description: String { "t=\(t) df=\(df)" }
    }

    struct Beta: Decodable, Sendable {
        var incomplete_beta: [BetaValue]
        var t_sf: [TValue]
    }

    var generator: String
    var logistic: [LogisticCase]
    var trend: [TrendCase]
    var change_points: [ChangePointCase]
    var association: Associations
    var beta: Beta

    enum LoadError: Error {
        case missingResource
    }

    /// The decoded fixture, loaded once.
    static let shared: Result<ConditionsFixture, any Error> = Result {
        guard
            let url = Bundle.module.url(
                forResource: "conditions_reference", withExtension: "json", subdirectory: "Fixtures")
        else { throw LoadError.missingResource }
        return try JSONDecoder().decode(ConditionsFixture.self, from: Data(contentsOf: url))
    }

    /// The fixture, or the error that prevented loading it.
    static func load() throws -> ConditionsFixture { try shared.get() }
}

import Foundation
import Kernels

@testable import SliceSearch

/// `Fixtures/conditions_slices.json`, written by `scripts/make_conditions_fixtures.py`: a generated dump (codes of
/// four features a, b, proxy, x; raw values of x; a day bucket per row; failures) with the joint model (statsmodels),
/// the associations (scipy) and the time analysis expected on it.
struct ConditionsSlicesFixture: Decodable, Sendable {
    struct Fit: Decodable, Sendable {
        var penalty: Double
        var params: [Double]
        var bse: [Double]
        var or_low: [Double]
        var or_high: [Double]
        var pvalues: [Double]
        var loglike: Double
    }

    struct Term: Decodable, Sendable {
        var feature: String
        var code: Int
    }

    struct Joint: Decodable, Sendable {
        var lambda_0: Fit
        var lambda_1: Fit
        var terms: [Term]
        var cells: Int
    }

    struct AssociationValue: Decodable, Sendable {
        var feature: String
        var mutual_information: Double
        var chi2: Double
        var pvalue: Double
        var cramers_v: Double
        var r: Double?
        var r_pvalue: Double?
        var auc: Double?
    }

    struct Homogeneity: Decodable, Sendable {
        var chi2: Double
        var dof: Int
        var pvalue: Double
        var groups: Int
    }

    struct Trend: Decodable, Sendable {
        var z: Double
        var pvalue: Double
    }

    struct Split: Decodable, Sendable {
        var index: Int
        var statistic: Double
        var candidates: Int
        var pvalue: Double
    }

    struct Decomposition: Decodable, Sendable {
        var feature: String
        var mix: Double
        var rate: Double
        var total: Double
        var bin_mix: [Double]
        var bin_rate: [Double]
    }

    struct Time: Decodable, Sendable {
        var bucket_trials: [Int]
        var bucket_failures: [Int]
        var homogeneity: Homogeneity
        var trend: Trend
        var best_split: Split
        var decomposition: [Decomposition]
    }

    var rows: Int
    var features: [String: [UInt16]]
    var bins: [String: Int]
    var x: [Double]
    var bucket: [UInt16]
    var buckets: Int
    var failure: [UInt8]
    var joint: Joint
    var associations: [AssociationValue]
    var time: Time

    /// The features in the script's order.
    static let featureNames = ["a", "b", "proxy", "x"]

    /// The four features as categorical/numeric BinnedFeatures (identities `value("0")`, … per code).
    var binnedFeatures: [BinnedFeature] {
        Self.featureNames.map { name in
            let count = bins[name] ?? 0
            return BinnedFeature(
                name: name, kind: name == "x" ? .numeric : .categorical, columnType: name == "x" ? "float64" : "int64",
                identities: (0..<count).map { .value("v\($0)") }, codes: features[name] ?? [])
        }
    }

    /// The day buckets from 2024-01-01 as a time BinnedFeature.
    var timeFeature: BinnedFeature {
        let day: Int64 = 86_400
        let first: Int64 = 1_704_067_200
        return BinnedFeature(
            name: "ts", kind: .time, columnType: "timestamp", timeBucket: .day,
            identities: (0..<buckets).map {
                .timeBucket(start: first + Int64($0) * day, end: first + Int64($0 + 1) * day)
            }, codes: bucket)
    }

    var outcomes: RowOutcomes { RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil) }

    enum LoadError: Error {
        case missingResource
    }

    static let shared: Result<ConditionsSlicesFixture, any Error> = Result {
        guard
            let url = Bundle.module.url(
                forResource: "conditions_slices", withExtension: "json", subdirectory: "Fixtures")
        else { throw LoadError.missingResource }
        return try JSONDecoder().decode(ConditionsSlicesFixture.self, from: Data(contentsOf: url))
    }

    static func load() throws -> ConditionsSlicesFixture { try shared.get() }
}

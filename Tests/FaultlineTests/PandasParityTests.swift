import Foundation
import Testing
import _TestSupport

@testable import Faultline
@testable import SliceSearch

/// Every 1-D bin of the bundled dumps equals the pandas reference
/// (`scripts/make_pandas_fixtures.py` → `Fixtures/*_qcut10.json`): same kinds, bit-identical qcut edges,
/// same row and failure counts per bin.
struct PandasParityTests {
    struct Fixture: Decodable {
        var rows: Int
        var failures: Int
        var excluded_rows: Int
        var threshold: Double?
        var features: [Feature]

        struct Feature: Decodable {
            var name: String
            var kind: String
            var edges: [Double]?
            var bins: [Bin]
        }

        struct Bin: Decodable {
            var n: Int
            var failures: Int
            var value: String?
            var lower: Double?
            var upper: Double?
            var lower_inclusive: Bool?
            var missing: Bool?
        }
    }

    static func fixture(_ name: String) throws -> Fixture {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "json"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func analyse(_ file: String) throws -> AnalysisResult {
        var options = AnalysisOptions()
        options.slicing.binning = .quantile
        options.slicing.bins = 10
        return try FailureAnalysis.run(path: RepositoryPaths.data(file), options: options)
    }

    /// The identity of a fixture bin in the engine's terms.
    static func binIdentity(_ bin: Fixture.Bin) -> BinIdentity? {
        if bin.missing == true { return .missing }
        if let value = bin.value { return .value(value) }
        if let lower = bin.lower, let upper = bin.upper, let inclusive = bin.lower_inclusive {
            return .interval(lower: lower, upper: upper, lowerInclusive: inclusive)
        }
        return nil
    }

    static func compare(_ fixture: Fixture, _ result: AnalysisResult) throws {
        #expect(result.rows == fixture.rows)
        #expect(result.failures == fixture.failures)
        #expect(result.excludedRows == fixture.excluded_rows)
        for expected in fixture.features {
            let feature = try #require(result.features.first { $0.name == expected.name }, "\(expected.name) not sliced")
            let isCategorical = feature.edges == nil
            #expect(isCategorical == (expected.kind == "categorical"), "\(expected.name): kind")
            if let edges = expected.edges {
                let actual = try #require(feature.edges, "\(expected.name): no edges")
                #expect(actual.map(\.bitPattern) == edges.map(\.bitPattern), "\(expected.name): edges \(actual) vs \(edges)")
            }
            #expect(feature.bins.count == expected.bins.count, "\(expected.name): bin count")
            for bin in expected.bins {
                let identity = try #require(Self.binIdentity(bin))
                let actual = try #require(
                    feature.bins.first { $0.identity == identity }, "\(expected.name): no bin \(identity.label)")
                #expect(actual.statistics.n == bin.n, "\(expected.name) \(identity.label): n")
                #expect(actual.statistics.failures == bin.failures, "\(expected.name) \(identity.label): failures")
            }
        }
    }

    @Test func adultBinsEqualPandas() throws {
        let fixture = try Self.fixture("adult_qcut10")
        let result = try Self.analyse("adult_predictions.csv")
        #expect(result.task == "binary")
        try Self.compare(fixture, result)
    }

    @Test func bikeSharingBinsAndThresholdEqualPandas() throws {
        let fixture = try Self.fixture("bike_qcut10")
        let result = try Self.analyse("bike_sharing_hourly_predictions.csv")
        #expect(result.task == "regression")
        let threshold = try #require(result.failureDefinition.threshold)
        #expect(threshold.bitPattern == fixture.threshold?.bitPattern, "p90 threshold \(threshold)")
        try Self.compare(fixture, result)
    }
}

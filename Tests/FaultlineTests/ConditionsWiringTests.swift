import ColumnStore
import Foundation
import Report
import Testing
import _TestSupport

@testable import Faultline
@testable import SliceSearch

/// The time, association, model and pair results reach `AnalysisResult` and `analysis.json` from a real dump.
struct ConditionsWiringTests {
    static func analyse(_ name: String, _ configure: (inout AnalysisOptions) -> Void = { _ in }) throws -> AnalysisResult {
        var options = AnalysisOptions()
        configure(&options)
        return try FailureAnalysis.run(path: RepositoryPaths.data(name), options: options)
    }

    @Test func bikeSharingIsTimeDependentWithConsistentBuckets() throws {
        let result = try Self.analyse("bike_sharing_hourly_predictions.csv")
        let time = try #require(result.time)
        #expect(time.column == "datetime" && time.axis == .timestamp && time.bucket == "week")
        // Every analysed row with a time is in exactly one bucket.
        #expect(time.buckets.map(\.statistics.n).reduce(0, +) + time.missingRows == result.rows)
        #expect(time.buckets.map(\.statistics.failures).reduce(0, +) <= result.failures)
        #expect(time.timeDependent && !time.evidence.isEmpty && !time.changePoints.isEmpty)
        // The followed slices are the hotspots and top slices, each with one estimate per bucket.
        #expect(result.timeSlices.count >= min(1, result.hotspots.count))
        for series in result.timeSlices { #expect(series.buckets.count == time.buckets.count) }
        // Decomposition: mix + rate = the change between the periods, for every feature.
        let split = try #require(time.split)
        for entry in time.decomposition {
            #expect(abs(entry.mix + entry.rate - split.change) < 1e-9, "\(entry.feature)")
        }
    }

    @Test func baselineUntilMovesTheSplit() throws {
        let until = 1_330_560_000.0  // 2012-03-01T00:00:00Z
        let result = try Self.analyse("bike_sharing_hourly_predictions.csv") { $0.baselineUntil = until }
        let split = try #require(result.time?.split)
        #expect(split.source == .baseline)
        guard case .timestamp(let seconds) = split.at else {
            Issue.record("split is not a timestamp")
            return
        }
        #expect(Double(seconds) >= until && Double(seconds) < until + 7 * 86_400)
    }

    @Test func baselineWithoutATimeColumnIsNoted() throws {
        let result = try Self.analyse("adult_predictions.csv") { $0.baselineUntil = 0 }
        #expect(result.time == nil)
        #expect(result.notes.contains { $0.contains("--baseline-until") && $0.contains("not used") })
    }

    @Test func adultHasNoTimeButAssociationsModelAndPair() throws {
        let result = try Self.analyse("adult_predictions.csv")
        #expect(result.time == nil && result.timeSlices.isEmpty)
        let features = result.features.filter { $0.kind == .numeric || $0.kind == .categorical }
        #expect(result.associations.count == features.count)
        #expect(Set(result.associations.map(\.feature)) == Set(features.map(\.name)))
        // Ranked by Cramér's V.
        let strengths = result.associations.map(\.cramersV)
        #expect(strengths == strengths.sorted(by: >))
        let model = try #require(result.model)
        #expect(model.converged && !model.terms.isEmpty && model.rows == result.rows)
        let pair = try #require(result.pair)
        #expect(pair.n.flatMap { $0 }.reduce(0, +) == result.rows)
        #expect(pair.failures.flatMap { $0 }.reduce(0, +) == result.failures)
        #expect(pair.n.count == pair.rowBins.count && pair.n.allSatisfy { $0.count == pair.columnBins.count })
    }

    @Test func analysisJSONCarriesTheNewSections() throws {
        let result = try Self.analyse("bike_sharing_hourly_predictions.csv")
        let json = JSONReport.render(result)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let time = try #require(object["time"] as? [String: Any])
        #expect(time["time_dependent"] as? Bool == true)
        let buckets = try #require(time["buckets"] as? [[String: Any]])
        #expect(buckets.count == result.time?.buckets.count)
        #expect((buckets.first?["start"] as? String)?.hasSuffix("Z") == true)
        let points = try #require(time["change_points"] as? [[String: Any]])
        #expect(points.allSatisfy { ($0["at"] as? String) != nil && $0["before"] != nil && $0["after"] != nil })
        #expect(time["emerging"] is [Any] && time["decomposition"] is [Any])
        let associations = try #require(object["associations"] as? [[String: Any]])
        #expect(associations.count == result.associations.count)
        #expect(associations.first?["feature"] as? String == result.associations.first?.feature)
        let model = try #require(object["model"] as? [String: Any])
        let terms = try #require(model["terms"] as? [[String: Any]])
        #expect(terms.count == result.model?.terms.count)
        #expect(terms.allSatisfy { $0["odds_ratio"] != nil && $0["ci_low"] != nil && $0["ci_high"] != nil })
    }
}

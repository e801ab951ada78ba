import ColumnStore
import Testing
import _TestSupport

@testable import Faultline
@testable import SliceSearch

/// Where failures are independent of every feature, Faultline reports no hotspot in at least 95% of runs;
/// where an effect is planted, it finds it.
struct StatisticalHonestyTests {
    @Test func noHotspotUnderTheNullInAtLeast95PercentOfRuns() throws {
        let runs = 200
        var runsWithHotspots = 0
        var runsWithSignificantSlice = 0
        for run in 0..<runs {
            let table = SyntheticDumps.binary(rows: 2_000, seed: 10_000 + UInt64(run))
            let result = try FailureAnalysis.run(table: table, source: "null-\(run)", options: AnalysisOptions())
            if !result.hotspots.isEmpty { runsWithHotspots += 1 }
            let significant = result.features.contains { feature in
                feature.bins.contains { $0.statistics.qValue < 0.05 }
            }
            if significant { runsWithSignificantSlice += 1 }
        }
        #expect(runsWithHotspots <= runs / 20, "\(runsWithHotspots) of \(runs) null runs reported a hotspot")
        #expect(runsWithSignificantSlice <= runs / 20, "\(runsWithSignificantSlice) of \(runs) null runs had q < 0.05")
    }

    @Test func plantedHotspotIsFoundAndRankedFirst() throws {
        for run in 0..<20 {
            let table = SyntheticDumps.binary(rows: 5_000, baseRate: 0.1, plantedRate: 0.3, seed: 500 + UInt64(run))
            let result = try FailureAnalysis.run(table: table, source: "planted-\(run)", options: AnalysisOptions())
            let top = try #require(result.hotspots.first, "run \(run): no hotspot")
            #expect(top.feature == "cat_0" && top.identity == .value("c3"), "run \(run): top is \(top.feature)=\(top.identity.label)")
            #expect(top.statistics.qValue < 0.05)
            #expect(top.statistics.ciLow > result.failureRate)
        }
    }
}

import ColumnStore
import Foundation
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

    /// The whole analysis under the null, with a random time column: no multi-feature slice, association, odds ratio
    /// or time dependence is claimed in at least 95% of runs (each claim family is counted separately).
    @Test func noClaimOfAnyKindUnderTheNull() throws {
        let runs = Int(ProcessInfo.processInfo.environment["NULL_RUNS"] ?? "") ?? 200
        var claims = (slices: 0, time: 0, associations: 0, model: 0, emerging: 0, conditions: 0, where: 0)
        for run in 0..<runs {
            let table = SyntheticDumps.binary(rows: 2_000, timestamps: true, seed: 20_000 + UInt64(run))
            let result = try FailureAnalysis.run(table: table, source: "null-\(run)", options: AnalysisOptions())
            let time = try #require(result.time, "run \(run): the ts column was not analysed")
            #expect(time.column == "ts" && time.axis == .timestamp)
            let significantSlice = result.slices.contains(where: { $0.statistics.qValue < 0.05 })
            if significantSlice { claims.slices += 1 }
            // The "where" question: a hotspot, a significant 1-D bin, or a significant multi-feature slice.
            let significantBin = result.features.contains { $0.bins.contains { $0.statistics.qValue < 0.05 } }
            if significantSlice || significantBin || !result.hotspots.isEmpty { claims.where += 1 }
            if time.timeDependent { claims.time += 1 }
            if !time.emerging.isEmpty { claims.emerging += 1 }
            let associated = result.associations.contains(where: \.significant)
            let modelled = result.model?.terms.contains(where: \.significant) ?? false
            if associated { claims.associations += 1 }
            if modelled { claims.model += 1 }
            if associated || modelled { claims.conditions += 1 }
        }
        let limit = runs / 20
        print("null claims over \(runs) runs: \(claims)")
        #expect(claims.slices <= limit, "\(claims.slices) of \(runs) null runs had a significant top slice")
        #expect(claims.time <= limit, "\(claims.time) of \(runs) null runs were called time-dependent")
        #expect(claims.emerging <= limit, "\(claims.emerging) of \(runs) null runs had an emerging slice")
        #expect(claims.associations <= limit, "\(claims.associations) of \(runs) null runs had an association")
        #expect(claims.model <= limit, "\(claims.model) of \(runs) null runs had a significant odds ratio")
        #expect(claims.where <= limit, "\(claims.where) of \(runs) null runs claimed a failing slice")
        #expect(claims.conditions <= limit, "\(claims.conditions) of \(runs) null runs claimed a condition")
    }

    /// A failure rate that doubles half-way through the period is called time-dependent, with a change point near
    /// the middle, and the planted slice is still the top hotspot.
    @Test func plantedShiftOverTimeIsFound() throws {
        for run in 0..<5 {
            var table = SyntheticDumps.binary(rows: 6_000, timestamps: true, seed: 900 + UInt64(run))
            // Re-draw predictions: 8% failures before day 30, 20% after.
            guard let ts = table.column(named: "ts"), case .timestamp(let times, _) = ts.values,
                let label = table.column(named: "label"), case .int64(let labels) = label.values
            else { Issue.record("unexpected synthetic columns"); return }
            var random = SeededRandom(seed: 77 + UInt64(run))
            let middle: Int64 = 1_700_000_000 + 30 * 86_400
            let predictions = (0..<6_000).map { row -> Int64 in
                let rate = times[row] < middle ? 0.08 : 0.2
                return random.unit() < rate ? 1 - labels[row] : labels[row]
            }
            table = Table(
                columns: table.columns.filter { $0.name != "pred" }
                    + [Column(name: "pred", values: .int64(ColumnBuffer(predictions)), validity: nil)])
            let result = try FailureAnalysis.run(table: table, source: "shift-\(run)", options: AnalysisOptions())
            let time = try #require(result.time)
            #expect(time.timeDependent, "run \(run)")
            let split = try #require(time.split, "run \(run): no split")
            guard case .timestamp(let seconds) = split.at else { Issue.record("split not a timestamp"); continue }
            #expect(abs(seconds - middle) <= 8 * 86_400, "run \(run): split at \(split.at.text)")
            #expect(split.after.rate > split.before.rate)
        }
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

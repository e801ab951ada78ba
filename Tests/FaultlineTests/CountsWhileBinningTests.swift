import ColumnStore
import Foundation
import Ingest
import Kernels
import Report
import Testing
import _TestSupport

@testable import Faultline
@testable import SliceSearch

/// At `--max-level 1` each column is counted as it is binned and a feature's codes are let go after (then written
/// again from the column where a later stage reads them): the analysis must be the one that keeps every code, to
/// the byte.
struct CountsWhileBinningTests {
    /// The JSON with the counts taken while binning, and with every code kept and counted after.
    static func bothWays(_ table: Table, _ options: AnalysisOptions) throws -> (streamed: String, kept: String) {
        var streamed = options
        streamed.sliceLine.maxLevel = 1
        var kept = streamed
        kept.countsWhileBinning = false
        return (
            JSONReport.render(try FailureAnalysis.run(table: table, source: "d", options: streamed)),
            JSONReport.render(try FailureAnalysis.run(table: table, source: "d", options: kept))
        )
    }

    static func options(_ change: (inout AnalysisOptions) -> Void = { _ in }) -> AnalysisOptions {
        var options = AnalysisOptions()
        change(&options)
        return options
    }

    /// The generator's dumps (time, batch, label, prediction and score roles, missing values, planted hotspots)
    /// under options that move every stage: thread counts, capped categories, time buckets, the loss scoring, a
    /// baseline and a sample for the joint model (more rows than its design limit).
    /// 60,000 rows pass the joint model's 50,000-row design limit, so it fits a sample.
    @Test(arguments: [(60_000, UInt64(1)), (12_000, 2)])
    func generatedDumpsGiveTheSameJSON(rows: Int, seed: UInt64) throws {
        let table = SyntheticDump.generate(rows: rows, seed: seed).table
        let variants: [AnalysisOptions] = [
            Self.options(),
            Self.options { $0.threads = 1 },
            Self.options { $0.threads = 8 },
            Self.options { $0.slicing.maxCategories = 4 },
            Self.options { $0.slicing.timeBucket = .week },
            Self.options { $0.slicing.bins = 3 },
            Self.options { $0.sliceLine.error = .loss },
            Self.options { $0.baselineUntil = 1_709_251_200 },
        ]
        for (index, options) in variants.enumerated() {
            let (streamed, kept) = try Self.bothWays(table, options)
            #expect(streamed == kept, "rows \(rows), seed \(seed), variant \(index)")
        }
        // Without the time column the batch is the axis.
        let withoutTime = Table(columns: table.columns.filter { $0.name != "ts" })
        let (streamed, kept) = try Self.bothWays(withoutTime, Self.options())
        #expect(streamed == kept, "rows \(rows), seed \(seed), no time column")
    }

    /// The generator's regression dumps (the features counted against the time axis with their loss and error sums,
    /// the label and prediction cut from their value counts) under each regression loss, on one and two threads,
    /// and with rows left out (a missing label, a zero label under the relative error); and its binary dump under
    /// a loss that is not 0/1 (the log loss, with confusion cells).
    @Test(arguments: [(60_000, UInt64(1)), (12_000, 2)])
    func regressionAndLogLossGiveTheSameJSON(rows: Int, seed: UInt64) throws {
        let table = SyntheticDump.generate(rows: rows, seed: seed, task: .regression).table
        let variants: [AnalysisOptions] = [
            Self.options(),
            Self.options { $0.threads = 1 },
            Self.options { $0.failure = try? FailureSpec.parse("sq-error>p80") },
            Self.options { $0.failure = try? FailureSpec.parse("rel-error>0.02") },
            Self.options { $0.slicing.timeBucket = .week },
            Self.options { $0.sliceLine.error = .loss },
        ]
        #expect(variants[2].failure != nil && variants[3].failure != nil, "the specs parse")
        for (index, options) in variants.enumerated() {
            let (streamed, kept) = try Self.bothWays(table, options)
            #expect(streamed == kept, "rows \(rows), seed \(seed), variant \(index)")
        }
        // A missing label on some rows, and a zero label on others (left out under the relative error only).
        var columns = table.columns
        let labelIndex = try #require(columns.firstIndex { $0.name == "label" })
        guard case .float64(let labels) = columns[labelIndex].values else {
            Issue.record("the regression label is not a float column")
            return
        }
        var values = (0..<labels.count).map { labels[$0] }
        var valid = [Bool](repeating: true, count: values.count)
        for row in stride(from: 0, to: values.count, by: 89) { valid[row] = false }
        for row in stride(from: 5, to: values.count, by: 211) { values[row] = 0 }
        columns[labelIndex] = Column(
            name: "label", values: .float64(ColumnBuffer(values)), validity: ValidityBitmap(valid))
        for spec in ["abs-error>p90", "rel-error>0.02"] {
            let (streamed, kept) = try Self.bothWays(
                Table(columns: columns), Self.options { $0.failure = try? FailureSpec.parse(spec) })
            #expect(streamed == kept, "rows \(rows), seed \(seed), \(spec) with rows left out")
        }
        let binary = SyntheticDump.generate(rows: rows, seed: seed).table
        let (streamed, kept) = try Self.bothWays(
            binary, Self.options { $0.failure = try? FailureSpec.parse("log-loss>p90") })
        #expect(streamed == kept, "rows \(rows), seed \(seed), log loss")
    }

    /// Binary dumps with and without a time column (the batch, or no axis at all), a planted slice, and rows left
    /// out for a missing label (then the codes are let go too, the recipes compacted to the kept rows).
    @Test(arguments: [false, true])
    func binaryDumpsGiveTheSameJSON(timestamps: Bool) throws {
        let table = SyntheticDumps.binary(rows: 30_000, plantedRate: 0.3, timestamps: timestamps, seed: 5)
        for options in [Self.options(), Self.options { $0.threads = 1 }] {
            let (streamed, kept) = try Self.bothWays(table, options)
            #expect(streamed == kept, "timestamps \(timestamps)")
        }
        var columns = table.columns
        let labelIndex = try #require(columns.firstIndex { $0.name == "y_true" || $0.name == "label" })
        var validity = [Bool](repeating: true, count: table.rowCount)
        for row in stride(from: 0, to: table.rowCount, by: 97) { validity[row] = false }
        columns[labelIndex] = Column(
            name: columns[labelIndex].name, values: columns[labelIndex].values, validity: ValidityBitmap(validity))
        let (streamed, kept) = try Self.bothWays(Table(columns: columns), Self.options())
        #expect(streamed == kept, "missing labels")
    }

    /// A planted slice that other features describe too (a copy of its feature, and a coarser grouping of it): the
    /// features constant over its rows are found from the bins' counts, then checked row by row on codes written
    /// again from the columns.
    @Test func equivalentDescriptionsAreTheSame() throws {
        let base = SyntheticDumps.binary(rows: 30_000, plantedRate: 0.5, seed: 8)
        let category = try #require(base.column(named: "cat_0"))
        guard case .string(let strings) = category.values else {
            Issue.record("cat_0 is not a text column")
            return
        }
        let grouped = (0..<base.rowCount).map { UInt32(strings.codes[$0] >= 2 ? 1 : 0) }
        let table = Table(
            columns: base.columns + [
                Column(name: "cat_0_copy", values: category.values, validity: nil),
                Column(
                    name: "cat_0_group",
                    values: .string(DictionaryStrings(codes: ColumnBuffer(grouped), dictionary: ["low", "high"])),
                    validity: nil),
            ])
        let (streamed, kept) = try Self.bothWays(table, Self.options())
        #expect(streamed == kept)
        var options = Self.options()
        options.sliceLine.maxLevel = 1
        let result = try FailureAnalysis.run(table: table, source: "d", options: options)
        let top = try #require(result.slices.first)
        let described = Set(([top.predicates] + top.equivalents).flatMap { $0.map(\.feature) })
        #expect(described.isSuperset(of: ["cat_0", "cat_0_copy"]), "\(described)")
    }

    /// The bundled demos: the Adult dump (classification, many text columns) and the bike-sharing dump (regression:
    /// its features counted against the time axis with their loss and error sums).
    @Test(arguments: ["adult_predictions.csv", "bike_sharing_hourly_predictions.csv"])
    func demosGiveTheSameJSON(file: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../data/\(file)"
        ).standardizedFileURL.path
        let table = try CSVReader.read(path: path)
        let (streamed, kept) = try Self.bothWays(table, Self.options())
        #expect(streamed == kept, "\(file)")
    }

    /// Every column's codes are let go once counted (written again from the column when read): the features' as
    /// each is counted, the roles' (binned ahead, from the label's and prediction's class ids or not) as their jobs
    /// end, the time axis's once the features were counted against it; codes let go read back as the ones the
    /// binner wrote.
    /// The outcomes, let go while the columns are counted against the axis's row classes (failures alone, or with
    /// the confusion cells), come back as they were.
    @Test(arguments: [false, true], [false, true])
    func everyColumnLetsItsCodesGo(fromClassIds: Bool, confusion: Bool) throws {
        let table = SyntheticDump.generate(rows: 20_000, seed: 4).table
        let options = AnalysisOptions()
        let binner = FeatureBinner(options: options.slicing)
        let roles = ["label", "pred", "ts", "batch_id"]
        var jobs: [BinningStage.Job] = table.columns.filter { !roles.contains($0.name) && $0.name != "score" }.map {
            ($0, .feature)
        }
        let label = try #require(table.column(named: "label"))
        let prediction = try #require(table.column(named: "pred"))
        jobs += [
            (label, .label), (prediction, .prediction),
            (try #require(table.column(named: "ts")), .time), (try #require(table.column(named: "batch_id")), .batch),
        ]
        let failed = try FailureOutcomes.compute(
            table: table, label: label, prediction: prediction, score: nil, options: options, source: "test")
        let classIds = fromClassIds ? failed.classIds : nil
        if fromClassIds { #expect(classIds != nil, "integer classes are coded to ids") }
        let failure = failed.outcomes.failure
        let given = RowOutcomes(
            failure: failure, loss: nil, signedError: nil, confusion: confusion ? failed.outcomes.confusion : nil)
        var outcomes = given
        #expect((outcomes.confusion != nil) == confusion, "a binary dump has confusion cells")
        let stage = BinningStage(
            binner: binner, jobs: jobs, kept: nil, rowCount: table.rowCount, threads: 2, drawsSample: false,
            modelOptions: JointModelOptions())
        let sample = [3, 5, 19_000]
        let (prebinned, _) = stage.binRoles(classIds: classIds, axis: true)
        #expect(prebinned.compactMap { $0 }.count == (fromClassIds ? 4 : 2))
        let output = stage.binAndCount(
            prebinned: prebinned, outcomes: &outcomes, letsCodesGo: true, keepingRows: [sample],
            axisOf: { ConditionsStage.timeAxis($0, time: "ts", batch: "batch_id") })
        for (job, feature) in zip(jobs, output.features) {
            let feature = try #require(feature, "\(job.column.name)")
            #expect(feature.codes.isRemade, "\(job.column.name)")
            let direct = try #require(binner.bin(job.column, role: job.role, keep: nil, failure: failure))
            #expect(feature.codes.materialized() == direct.codes, "\(job.column.name)")
            #expect(feature.codes.gathered(sample) == direct.codes.gathered(sample), "\(job.column.name)")
            #expect(feature.codes.gathered([0, 7, 19_999]) == direct.codes.gathered([0, 7, 19_999]))
        }
        // Every column is counted in the binning's one pass, those binned ahead first.
        #expect(output.counted?.allSatisfy { $0 != nil } == true)
        #expect(outcomes.failure == given.failure)
        #expect(outcomes.confusion == given.confusion)
        #expect(outcomes.loss == nil && outcomes.signedError == nil)
    }
}

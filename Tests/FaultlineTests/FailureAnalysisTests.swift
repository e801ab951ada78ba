import ColumnStore
import Report
import Testing
import _TestSupport

@testable import Faultline
@testable import SliceSearch

/// End-to-end behaviour of the analysis on small hand-made tables.
struct FailureAnalysisTests {
    static func table(_ columns: [(String, ColumnValues, [Bool]?)]) -> Table {
        Table(columns: columns.map { Column(name: $0.0, values: $0.1, validity: $0.2.map(ValidityBitmap.init)) })
    }

    static func strings(_ values: [String]) -> ColumnValues {
        var dictionary: [String] = []
        var index: [String: UInt32] = [:]
        let codes = values.map { value -> UInt32 in
            if let code = index[value] { return code }
            index[value] = UInt32(dictionary.count)
            dictionary.append(value)
            return UInt32(dictionary.count - 1)
        }
        return .string(DictionaryStrings(codes: ColumnBuffer(codes), dictionary: dictionary))
    }

    @Test func stringLabelsAreClassesAndMissingRowsAreExcludedAndCounted() throws {
        let table = Self.table([
            ("colour", Self.strings(["red", "red", "blue", "blue", "blue", "green"]), nil),
            ("y_true", Self.strings(["cat", "dog", "cat", "", "dog", "cat"]), [true, true, true, false, true, true]),
            ("y_pred", Self.strings(["cat", "cat", "cat", "dog", "dog", "dog"]), nil),
        ])
        let result = try FailureAnalysis.run(table: table, source: "t.csv", options: AnalysisOptions())
        #expect(result.task == "binary")
        #expect(result.roles.label == "y_true" && result.roles.prediction == "y_pred")
        #expect(result.rows == 5)
        #expect(result.excludedRows == 1)
        #expect(result.failures == 2)
        let colour = try #require(result.features.first { $0.name == "colour" })
        let blue = try #require(colour.bins.first { $0.identity == .value("blue") })
        #expect(blue.statistics.n == 2 && blue.statistics.failures == 0)
        let red = try #require(colour.bins.first { $0.identity == .value("red") })
        #expect(red.statistics.n == 2 && red.statistics.failures == 1)
    }

    @Test func regressionThresholdIsTheNumpyPercentileOfTheError() throws {
        // errors |yhat - y| = 0, 1, 2, ..., 9 → numpy.percentile(err, 90) = 8.1
        let labels = (0..<10).map { Double($0) }
        let predictions = (0..<10).map { Double($0) * 2 }
        let table = Self.table([
            ("x", .float64(ColumnBuffer(labels)), nil),
            ("y", .float64(ColumnBuffer(labels)), nil),
            ("yhat", .float64(ColumnBuffer(predictions)), nil),
        ])
        // Integral values with few distinct classes would be read as classes: say it is regression.
        var regression = AnalysisOptions()
        regression.task = .regression
        let result = try FailureAnalysis.run(table: table, source: "r.csv", options: regression)
        #expect(result.task == "regression")
        #expect(result.failureDefinition.threshold == 8.1)
        #expect(result.failures == 1)
        var options = AnalysisOptions()
        options.failure = .absoluteError(.value(4.5))
        #expect(try FailureAnalysis.run(table: table, source: "r.csv", options: AnalysisOptions()).task == "multiclass")
        let fixed = try FailureAnalysis.run(table: table, source: "r.csv", options: options)
        #expect(fixed.failures == 5)
        let x = try #require(fixed.features.first { $0.name == "x" })
        let totalMAE = x.bins.reduce(0.0) { $0 + ($1.statistics.regression?.meanAbsoluteError ?? 0) * Double($1.statistics.n) }
        #expect(isClose(totalMAE, 45, relative: 1e-12))
    }

    @Test func relativeErrorExcludesZeroLabels() throws {
        let table = Self.table([
            ("y", .float64(ColumnBuffer([0, 1, 2, 4])), nil),
            ("yhat", .float64(ColumnBuffer([1, 1, 3, 4])), nil),
        ])
        var options = AnalysisOptions()
        options.failure = .relativeError(.value(0.25))
        let result = try FailureAnalysis.run(table: table, source: "r.csv", options: options)
        #expect(result.excludedRows == 1)
        #expect(result.failures == 1)
    }

    @Test func scoreBasedFailureUsesTheTrueClassProbability() throws {
        let table = Self.table([
            ("label", .int64(ColumnBuffer([1, 1, 0, 0])), nil),
            ("pred", .int64(ColumnBuffer([1, 0, 0, 1])), nil),
            ("score", .float64(ColumnBuffer([0.9, 0.4, 0.35, 0.8])), nil),
        ])
        var options = AnalysisOptions()
        options.failure = .trueClassProbability(.value(0.5))
        let result = try FailureAnalysis.run(table: table, source: "s.csv", options: options)
        // true-class probabilities: 0.9, 0.4, 0.65, 0.2 → two below 0.5
        #expect(result.failures == 2)
        options.failure = .logLoss(.value(0.5))
        let logLoss = try FailureAnalysis.run(table: table, source: "s.csv", options: options)
        // -ln p > 0.5 ⇔ p < 0.6065: 0.4 and 0.2
        #expect(logLoss.failures == 2)
    }

    @Test func missingRolesAndBadOptionsGiveClearErrors() throws {
        let table = Self.table([("a", .int64(ColumnBuffer([1, 2])), nil), ("b", .int64(ColumnBuffer([1, 2])), nil)])
        do {
            _ = try FailureAnalysis.run(table: table, source: "x.csv", options: AnalysisOptions())
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .missingRole("label"))
            #expect(error.message.contains("x.csv") && error.message.contains("--label"))
        }
        var options = AnalysisOptions()
        options.label = "nope"
        do {
            _ = try FailureAnalysis.run(table: table, source: "x.csv", options: options)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownColumn("nope"))
        }
        options = AnalysisOptions()
        options.slicing.bins = 0
        #expect(throws: AnalysisError.self) { try FailureAnalysis.run(table: table, source: "x.csv", options: options) }
        // Past two-byte codes a threshold cannot slice per value; at the limit the options pass (and the missing
        // label is what stops this table).
        options = AnalysisOptions()
        for (threshold, code) in [
            (FeatureBinner.maximumValueSlices + 1, AnalysisError.Code.invalidOption),
            (FeatureBinner.maximumValueSlices, .missingRole("label")),
        ] {
            options.slicing.categoricalThreshold = threshold
            do {
                _ = try FailureAnalysis.run(table: table, source: "x.csv", options: options)
                Issue.record("expected an error")
            } catch {
                #expect(error.code == code, "threshold \(threshold)")
            }
        }
    }

    @Test func forcedBinaryWithThreeClassesIsRejected() throws {
        let table = Self.table([
            ("label", .int64(ColumnBuffer([0, 1, 2])), nil), ("pred", .int64(ColumnBuffer([0, 1, 1])), nil),
        ])
        var options = AnalysisOptions()
        options.task = .binary
        do {
            _ = try FailureAnalysis.run(table: table, source: "m.csv", options: options)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .incompatibleTask)
        }
        options.task = nil
        let result = try FailureAnalysis.run(table: table, source: "m.csv", options: options)
        #expect(result.task == "multiclass")
    }

    @Test func zeroFailuresIsReportedNotAnError() throws {
        let table = Self.table([
            ("f", .int64(ColumnBuffer([1, 2, 3, 4])), nil),
            ("label", .int64(ColumnBuffer([0, 1, 0, 1])), nil), ("pred", .int64(ColumnBuffer([0, 1, 0, 1])), nil),
        ])
        let result = try FailureAnalysis.run(table: table, source: "z.csv", options: AnalysisOptions())
        #expect(result.failures == 0)
        #expect(result.hotspots.isEmpty)
        #expect(result.notes.contains { $0.contains("nothing to localise") })
    }

    /// A label that is also the batch column (the time axis here) is binned twice under one name, its label bins
    /// capped at two categories: the time buckets still count the batch's own bins (review of the eleventh round:
    /// counts looked up by name came from the label's bins).
    @Test func aLabelThatIsAlsoTheBatchKeepsTheBatchCounts() throws {
        var random = SeededRandom(seed: 1)
        let rows = 20_000
        var batches: [String] = []
        var predictions: [String] = []
        for _ in 0..<rows {
            let draw = random.unit()
            let batch = draw < 0.2 ? "a" : draw < 0.7 ? "b" : "c"
            batches.append(batch)
            predictions.append(random.unit() < 0.8 ? batch : ["a", "b", "c"][Int(random.next() % 3)])
        }
        let table = Self.table([
            ("x", .int64(ColumnBuffer((0..<rows).map { _ in Int64(random.next() % 10) })), nil),
            ("batch", Self.strings(batches), nil), ("pred", Self.strings(predictions), nil),
        ])
        var options = AnalysisOptions()
        options.label = "batch"
        options.slicing.maxCategories = 2
        let result = try FailureAnalysis.run(table: table, source: "c.csv", options: options)
        let buckets = try #require(result.time?.buckets)
        #expect(buckets.map(\.identity.label) == ["a", "b", "c"])
        for bucket in buckets {
            let label = bucket.identity.label
            #expect(bucket.statistics.n == batches.filter { $0 == label }.count, "\(label)")
            #expect(
                bucket.statistics.failures == zip(batches, predictions).filter { $0 == label && $0 != $1 }.count,
                "\(label)")
        }
    }

    /// On one thread the joint model draws its row sample itself; on more, the binning draws it beside the columns.
    @Test func jsonIsByteIdenticalAcrossThreadCounts() throws {
        let table = SyntheticDumps.binary(rows: 150_000, plantedRate: 0.2, seed: 99)
        var outputs: Set<String> = []
        for threads in [1, 2, 8] {
            var options = AnalysisOptions()
            options.threads = threads
            let result = try FailureAnalysis.run(table: table, source: "d.csv", options: options)
            #expect(result.model?.sampled == true)
            outputs.insert(JSONReport.render(result))
        }
        #expect(outputs.count == 1)
    }
}

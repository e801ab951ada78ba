import ColumnStore
import Kernels
import SliceSearch
import Testing
import _TestSupport

@testable import Faultline

/// The one-pass misclassification of dumps where every row has a label and a prediction, against the general path
/// that leaves rows out.
struct FailureOutcomesTests {
    static func ids(count: Int, classes: Int32, seed: UInt64) -> [Int32] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in Int32(truncatingIfNeeded: random.next() % UInt64(classes)) }
    }

    @Test(arguments: [0, 1, 63, 64, 65, 2_049])
    func oneHotPassMatchesARowByRowReference(count: Int) throws {
        for classes: Int32 in [1, 2, 5] {
            let labels = Self.ids(count: count, classes: classes, seed: UInt64(count) &+ 1)
            let predictions = Self.ids(count: count, classes: classes, seed: UInt64(count) &+ 2)
            let expectedFailure = zip(labels, predictions).map { $0 != $1 ? UInt8(1) : 0 }
            let multiclass = try #require(
                FailureOutcomes.misclassifiedOnEveryRow(labelIds: labels, predictionIds: predictions, positive: nil))
            #expect(multiclass.failure == expectedFailure)
            #expect(multiclass.confusion == nil)
            let positive: Int32 = classes - 1
            let binary = try #require(
                FailureOutcomes.misclassifiedOnEveryRow(
                    labelIds: labels, predictionIds: predictions, positive: positive))
            #expect(binary.failure == expectedFailure)
            let expectedCells = zip(labels, predictions).map { truth, predicted -> UInt8 in
                switch (truth == positive, predicted == positive) {
                case (true, true): ConfusionCell.truePositive.rawValue
                case (true, false): ConfusionCell.falseNegative.rawValue
                case (false, true): ConfusionCell.falsePositive.rawValue
                case (false, false): ConfusionCell.trueNegative.rawValue
                }
            }
            #expect(binary.confusion == expectedCells)
        }
    }

    @Test(arguments: [0, 64, 999])
    func aRowWithoutALabelOrAPredictionLeavesItToTheGeneralPath(row: Int) {
        var labels = Self.ids(count: 1_000, classes: 2, seed: 3)
        var predictions = Self.ids(count: 1_000, classes: 2, seed: 4)
        labels[row] = -1
        #expect(FailureOutcomes.misclassifiedOnEveryRow(labelIds: labels, predictionIds: predictions, positive: 1) == nil)
        labels[row] = 0
        predictions[row] = -1
        #expect(FailureOutcomes.misclassifiedOnEveryRow(labelIds: labels, predictionIds: predictions, positive: nil) == nil)
    }

    /// A whole table through `compute`: with every row labelled (the one-pass path), and with a few extra rows
    /// that lack a label (the general path), the analysed rows get the same outcomes.
    @Test(arguments: [2, 4] as [Int64])
    func bothPathsGiveTheSameOutcomes(classes: Int64) throws {
        var random = SeededRandom(seed: UInt64(classes))
        let rows = 3_000
        let labels = (0..<rows).map { _ in 10 + Int64(random.next() % UInt64(classes)) }
        let predictions = (0..<rows).map { _ in 10 + Int64(random.next() % UInt64(classes)) }
        func compute(_ labels: [Int64], _ predictions: [Int64], validity: [Bool]?) throws -> FailureOutcomes {
            let label = Column(
                name: "label", values: .int64(ColumnBuffer(labels)), validity: validity.map(ValidityBitmap.init))
            let prediction = Column(name: "pred", values: .int64(ColumnBuffer(predictions)), validity: nil)
            return try FailureOutcomes.compute(
                table: Table(columns: [label, prediction]), label: label, prediction: prediction, score: nil,
                options: AnalysisOptions(), source: "test")
        }
        let whole = try compute(labels, predictions, validity: nil)
        #expect(whole.keep == nil)
        #expect(whole.exclusions.isEmpty)
        // Three unlabelled rows put first, so the class ids are still given in the same order.
        let padded = try compute(
            [labels[0], labels[0], labels[0]] + labels, [predictions[0], 10, 11] + predictions,
            validity: [false, false, false] + [Bool](repeating: true, count: rows))
        #expect(padded.keep == [false, false, false] + [Bool](repeating: true, count: rows))
        #expect(padded.exclusions.map(\.rows) == [3])
        #expect(whole.outcomes.failure == padded.outcomes.failure)
        #expect(whole.outcomes.confusion == padded.outcomes.confusion)
        #expect((whole.outcomes.confusion != nil) == (classes == 2))
        #expect(whole.summary.description == padded.summary.description)
        #expect(whole.singleLabelClass == nil)
        let oneClass = try compute([Int64](repeating: 7, count: 100), [Int64](repeating: 8, count: 100), validity: nil)
        #expect(oneClass.singleLabelClass == "7")
        #expect(oneClass.outcomes.failure == [UInt8](repeating: 1, count: 100))
    }

    /// The classes are the names that stand on a row, whatever the column types: read off the names when every one
    /// came from a row (integers, floats), and from the rows when a string column's dictionary may name an entry
    /// that only missing rows hold ("z" here).
    @Test func classesAreTheNamesOnTheRows() {
        let integers = Column(
            name: "label", values: .int64(ColumnBuffer([3, 1, 3, 99])),
            validity: ValidityBitmap([true, true, true, false]))
        let floats = Column(name: "pred", values: .float64(ColumnBuffer([1, 2, .nan, 3])), validity: nil)
        let strings = Column(
            name: "pred",
            values: .string(DictionaryStrings(codes: ColumnBuffer([0, 1, 2, 0]), dictionary: ["1", "z", "3"])),
            validity: ValidityBitmap([true, false, true, true]))
        // 99 is on a missing row and NaN is no class: neither is one.
        let numbers = FailureOutcomes.EncodedClasses(label: integers, prediction: floats, threads: 2)
        #expect(numbers.classes == ["1", "2", "3"])
        let withText = FailureOutcomes.EncodedClasses(label: integers, prediction: strings, threads: 2)
        #expect(withText.classes == ["1", "3"])
        let reference = Set((withText.labelIds.wide + withText.predictionIds.wide).filter { $0 >= 0 })
        #expect(withText.classes.count == reference.count)
    }

    /// Integer label and prediction columns come out of the failure definition with their class ids, from which the
    /// binner gives them the bins their values give (label and prediction with different values, negative ones
    /// among them); other columns come out without.
    @Test(arguments: [2, 5, 50, 51])
    func classIdsGiveTheLabelAndPredictionBinsOfTheirValues(classes: Int) throws {
        var random = SeededRandom(seed: 0xC1A55 &+ UInt64(classes))
        let rows = 4_000
        let labels = (0..<rows).map { _ in Int64(random.next() % UInt64(classes)) * 3 - 7 }
        // Predictions take a class the label never has, and miss one it has.
        let predictions = labels.map { $0 == -7 ? 1_000 : $0 }
        let label = Column(name: "label", values: .int64(ColumnBuffer(labels)), validity: nil)
        let prediction = Column(name: "pred", values: .int64(ColumnBuffer(predictions)), validity: nil)
        var options = AnalysisOptions()
        options.task = .multiclass
        let outcomes = try FailureOutcomes.compute(
            table: Table(columns: [label, prediction]), label: label, prediction: prediction, score: nil,
            options: options, source: "test")
        let ids = try #require(outcomes.classIds)
        let binner = FeatureBinner(options: SlicingOptions())
        for (column, role, classIds) in [(label, FeatureBinner.Role.label, ids.label), (prediction, .prediction, ids.prediction)] {
            let expected = try #require(binner.bin(column, role: role, keep: nil))
            // Up to the category limit (50) each value is a bin; past it the value path makes quantile bins, and
            // the class ids give way to it.
            guard classes <= SlicingOptions().maxCategories else {
                #expect(binner.bin(column, role: role, classIds: classIds) == nil)
                continue
            }
            let binned = try #require(binner.bin(column, role: role, classIds: classIds))
            #expect(binned.identities == expected.identities)
            #expect(binned.codes == expected.codes)
            #expect(binned.kind == expected.kind)
        }
        let text = Column(
            name: "label", values: .string(DictionaryStrings(codes: ColumnBuffer([0, 1, 0]), dictionary: ["a", "b"])),
            validity: nil)
        let textOutcomes = try FailureOutcomes.compute(
            table: Table(columns: [text, text]), label: text, prediction: text, score: nil, options: AnalysisOptions(),
            source: "test")
        #expect(textOutcomes.classIds == nil)
    }

    /// Class ids are kept at one byte while the label's and prediction's classes together are at most 128, and at
    /// four otherwise (the label's one-byte ids widened when the prediction brings the 129th class): either way
    /// the outcomes are those of the same values as floats, whose ids are always four bytes.
    @Test(arguments: [(2, 0), (5, 0), (100, 28), (100, 29), (128, 0), (129, 0), (200, 0)])
    func oneByteAndFourByteIdsGiveTheSameOutcomes(labelClasses: Int, predictionOnly: Int) throws {
        var random = SeededRandom(seed: 0x1D5 &+ UInt64(labelClasses * 1_000 + predictionOnly))
        let rows = 6_000
        let labels = (0..<rows).map { _ in Int64(random.next() % UInt64(labelClasses)) * 2 - 9 }
        // Predictions: mostly right, sometimes another label class, sometimes a class the label never has.
        let predictions = labels.map { value -> Int64 in
            let draw = random.unit()
            if draw < 0.7 { return value }
            if predictionOnly > 0 && draw < 0.85 { return 10_000 + Int64(random.next() % UInt64(predictionOnly)) }
            return Int64(random.next() % UInt64(labelClasses)) * 2 - 9
        }
        let missing = (0..<rows).map { _ in random.unit() < 0.02 }
        let scores = (0..<rows).map { _ in random.unit() }
        let classes = Set(labels + predictions).count
        for withMissing in [false, true] {
            let validity = withMissing ? ValidityBitmap(missing.map { !$0 }) : nil
            func columns(asFloats: Bool) -> (Column, Column) {
                let label = Column(
                    name: "label",
                    values: asFloats ? .float64(ColumnBuffer(labels.map(Double.init))) : .int64(ColumnBuffer(labels)),
                    validity: validity)
                let prediction = Column(
                    name: "pred",
                    values: asFloats
                        ? .float64(ColumnBuffer(predictions.map(Double.init))) : .int64(ColumnBuffer(predictions)),
                    validity: nil)
                return (label, prediction)
            }
            let (label, prediction) = columns(asFloats: false)
            let encoded = FailureOutcomes.EncodedClasses(label: label, prediction: prediction, threads: 2)
            #expect(encoded.labelIds.isNarrow == (classes <= 128) && encoded.predictionIds.isNarrow == (classes <= 128))
            // The same ids at either width.
            let (floatLabel, floatPrediction) = columns(asFloats: true)
            let floats = FailureOutcomes.EncodedClasses(label: floatLabel, prediction: floatPrediction, threads: 1)
            #expect(encoded.classes == floats.classes)
            let names = { (encoded: FailureOutcomes.EncodedClasses, ids: [Int32]) in
                ids.map { $0 < 0 ? "-" : encoded.encoding.names[Int($0)] }
            }
            #expect(names(encoded, encoded.labelIds.wide) == names(floats, floats.labelIds.wide))
            #expect(names(encoded, encoded.predictionIds.wide) == names(floats, floats.predictionIds.wide))
            // Two classes: a binary task, also under a failure that needs the score (the row-by-row path).
            var specs: [FailureSpec?] = [nil]
            if classes == 2 { specs.append(.logLoss(.value(0.5))) }
            for spec in specs {
                var options = AnalysisOptions()
                options.task = classes == 2 ? .binary : .multiclass
                options.failure = spec
                func outcomes(_ label: Column, _ prediction: Column) throws -> FailureOutcomes {
                    let score = Column(name: "score", values: .float64(ColumnBuffer(scores)), validity: nil)
                    return try FailureOutcomes.compute(
                        table: Table(columns: [label, prediction, score]), label: label, prediction: prediction,
                        score: score, options: options, source: "test")
                }
                let fromIntegers = try outcomes(label, prediction)
                let fromFloats = try outcomes(floatLabel, floatPrediction)
                #expect(fromIntegers.outcomes.failure == fromFloats.outcomes.failure)
                #expect(fromIntegers.outcomes.confusion == fromFloats.outcomes.confusion)
                #expect(fromIntegers.outcomes.loss == fromFloats.outcomes.loss)
                #expect(fromIntegers.keep == fromFloats.keep)
                #expect(fromIntegers.exclusions.map(\.rows) == fromFloats.exclusions.map(\.rows))
                #expect(fromIntegers.classCount == fromFloats.classCount && fromIntegers.classCount == classes)
                #expect(fromIntegers.summary.positiveClass == fromFloats.summary.positiveClass)
                #expect(fromIntegers.outcomes.failure.contains(1) && fromIntegers.outcomes.failure.contains(0))
            }
        }
    }

    /// String labels: one-byte ids up to 128 names in the two dictionaries, four past them.
    @Test(arguments: [3, 128, 129])
    func stringIdsAreNarrowUpTo128Names(names: Int) throws {
        let dictionary = (0..<names).map { "class \($0)" }
        let rows = 1_000
        let codes = (0..<rows).map { UInt32($0 % names) }
        let label = Column(
            name: "label", values: .string(DictionaryStrings(codes: ColumnBuffer(codes), dictionary: dictionary)),
            validity: nil)
        let prediction = Column(
            name: "pred",
            values: .string(DictionaryStrings(codes: ColumnBuffer(codes.map { ($0 + 1) % UInt32(names) }),
                dictionary: dictionary)),
            validity: nil)
        let encoded = FailureOutcomes.EncodedClasses(label: label, prediction: prediction, threads: 1)
        #expect(encoded.labelIds.isNarrow == (names <= 128) && encoded.predictionIds.isNarrow == (names <= 128))
        #expect(encoded.labelIds.wide.map { encoded.encoding.names[Int($0)] } == codes.map { dictionary[Int($0)] })
        var options = AnalysisOptions()
        options.task = .multiclass
        let outcomes = try FailureOutcomes.compute(
            table: Table(columns: [label, prediction]), label: label, prediction: prediction, score: nil,
            options: options, source: "test")
        #expect(outcomes.outcomes.failure == [UInt8](repeating: names == 1 ? 0 : 1, count: rows))
    }
}


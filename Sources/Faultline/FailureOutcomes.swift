import ColumnStore
import Glibc
import Kernels
import SliceSearch

/// Applies the failure definition to every row: which rows are analysed, which fail, and their loss.
struct FailureOutcomes {
    var outcomes: RowOutcomes
    /// `nil` when every row is analysed.
    var keep: [Bool]?
    var exclusions: [AnalysisResult.Exclusion]
    var summary: AnalysisResult.FailureSummary
    var task: Task
    var classCount: Int
    /// Classification: the only true class of the analysed rows, when they all have the same one.
    var singleLabelClass: String? = nil
    /// Classification of integer label and prediction columns: their class ids, from which the binner cuts them
    /// into their bins without reading the values again (``SliceSearch/FeatureBinner/bin(_:role:classIds:)``).
    var classIds: (label: FeatureBinner.ClassIds, prediction: FeatureBinner.ClassIds)? = nil

    /// The most classes a numeric label may have to be read as classification when the task is not given.
    static let maximumInferredClasses = 20

    static func compute(
        table: Table, label: Column, prediction: Column, score: Column?, options: AnalysisOptions, source: String
    ) throws(AnalysisError) -> FailureOutcomes {
        let (task, encoded) = try inferTask(label: label, prediction: prediction, options: options, source: source)
        if task == .regression {
            return try regression(label: label, prediction: prediction, options: options, source: source)
        }
        let classes = encoded ?? EncodedClasses(label: label, prediction: prediction, threads: options.threads)
        var outcomes = try classification(
            label: label, prediction: prediction, score: score, task: task, options: options, source: source,
            encoded: classes)
        if let labelValues = classes.labelValues, let predictionValues = classes.predictionValues {
            let ids: ([Int64]) -> [Int32] = { values in values.map { classes.encoding.id(of: $0) ?? -1 } }
            outcomes.classIds = (
                FeatureBinner.ClassIds(ids: classes.labelIds, values: labelValues, idOfValue: ids(labelValues)),
                FeatureBinner.ClassIds(
                    ids: classes.predictionIds, values: predictionValues, idOfValue: ids(predictionValues))
            )
        }
        return outcomes
    }

    /// The label and prediction columns as shared class ids, and the class names in order.
    struct EncodedClasses {
        var encoding: ClassEncoding
        /// The ids of both columns, at one width.
        var labelIds: ClassIdColumn
        var predictionIds: ClassIdColumn
        var classes: [String]
        /// The distinct values of integer label and prediction columns coded through their range (nil otherwise).
        var labelValues: [Int64]? = nil
        var predictionValues: [Int64]? = nil

        init(label: Column, prediction: Column, threads: Int) {
            encoding = ClassEncoding(pairing: label, prediction)
            if case .int64(let labels) = label.values, case .int64(let predictions) = prediction.values {
                // The two columns' dense codes side by side; the class ids are then given in order, label first.
                let codes = Parallel.map(count: 2, threads: threads) { index in
                    index == 0
                        ? ClassEncoding.firstAppearance(labels, validity: label.validity)
                        : ClassEncoding.firstAppearance(predictions, validity: prediction.validity)
                }
                var ids: [ClassIdColumn] = []
                for (column, coded) in zip([label, prediction], codes) {
                    if let coded {
                        ids.append(encoding.encode(firstAppearance: coded))
                    } else {
                        ids.append(encoding.encode(column, declinedByRange: true))
                    }
                }
                (labelIds, predictionIds) = Self.oneWidth(ids[0], ids[1])
                labelValues = codes[0]?.values
                predictionValues = codes[1]?.values
            } else {
                let labelIds = encoding.encode(label)
                (self.labelIds, predictionIds) = Self.oneWidth(labelIds, encoding.encode(prediction))
            }
            classes = encoding.sortedNames(occurringIn: [labelIds, predictionIds])
        }

        /// Both columns' ids at one width: four bytes when either needs them.
        static func oneWidth(_ label: ClassIdColumn, _ prediction: ClassIdColumn) -> (ClassIdColumn, ClassIdColumn) {
            label.isNarrow == prediction.isNarrow ? (label, prediction) : (.wide(label.wide), .wide(prediction.wide))
        }
    }

    // MARK: - Task

    /// The task, and the encoded classes when inferring it needed them (so the classification does not encode the
    /// columns again).
    static func inferTask(
        label: Column, prediction: Column, options: AnalysisOptions, source: String
    ) throws(AnalysisError) -> (Task, EncodedClasses?) {
        if let task = options.task { return (task, nil) }
        if let spec = options.failure, !spec.isClassification { return (.regression, nil) }
        if case .int64 = label.type, case .int64 = prediction.type {
            // Integer labels: count the classes with the dense encoder.
            let encoded = EncodedClasses(label: label, prediction: prediction, threads: options.threads)
            let classes = encoded.classes.count
            if classes > maximumInferredClasses && options.failure?.isClassification != true {
                return (.regression, nil)
            }
            return (classes <= 2 ? .binary : .multiclass, encoded)
        }
        let numericLabel = label.type.isNumeric
        if numericLabel {
            // Integral values with few classes are classes; anything else is a quantity.
            var classes = Set<Double>()
            for column in [label, prediction] {
                for row in 0..<column.count {
                    guard let value = column.doubleValue(at: row), value.isFinite else { continue }
                    if value != value.rounded() {
                        if options.failure?.isClassification == true { break }
                        return (.regression, nil)
                    }
                    classes.insert(value)
                    if classes.count > maximumInferredClasses {
                        return (options.failure?.isClassification == true ? .multiclass : .regression, nil)
                    }
                }
            }
            return (classes.count <= 2 ? .binary : .multiclass, nil)
        }
        let encoded = EncodedClasses(label: label, prediction: prediction, threads: options.threads)
        return (encoded.classes.count <= 2 ? .binary : .multiclass, encoded)
    }

    // MARK: - Classification

    static func classification(
        label: Column, prediction: Column, score: Column?, task: Task, options: AnalysisOptions, source: String,
        encoded: EncodedClasses
    ) throws(AnalysisError) -> FailureOutcomes {
        let spec = options.failure ?? .misclassified
        guard spec.isClassification else {
            throw AnalysisError(
                code: .incompatibleTask,
                message: "\(source): --failure \(spec) is for regression, but the task is \(task.rawValue); "
                    + "use misclassified, log-loss>X or true-class-prob<X, or pass --task regression")
        }
        let (encoding, classes) = (encoded.encoding, encoded.classes)
        try checkClassCount(
            task: task, classes: classes, label: label.name, prediction: prediction.name, source: source)
        let positiveName = task == .binary ? ClassEncoding.positiveClass(of: classes) : nil
        let positive = positiveName.flatMap { encoding.id(of: $0) } ?? -2
        if spec.needsScore {
            guard task == .binary else {
                throw AnalysisError(
                    code: .incompatibleTask,
                    message: "\(source): --failure \(spec) needs a binary task with a score column (the probability "
                        + "of the positive class); this task is \(task.rawValue)")
            }
            guard score != nil else {
                throw AnalysisError(
                    code: .missingRole("score"),
                    message: "\(source): --failure \(spec) needs a score column; name it with --score "
                        + "(looked for: \(RoleDetection.scoreNames.joined(separator: ", ")))")
            }
        }
        let summary = AnalysisResult.FailureSummary(
            spec: spec.description, description: misclassifiedDescription, threshold: nil, positiveClass: positiveName)
        let flagged: (failure: [UInt8], confusion: [UInt8]?)?? =
            switch (spec, encoded.labelIds, encoded.predictionIds) {
            case (.misclassified, .narrow(let labelIds), .narrow(let predictionIds)):
                // Safe: narrow ids are below 128 (at most 128 classes), so the positive id, or -2, fits a byte.
                misclassifiedOnEveryRow(
                    labelIds: labelIds, predictionIds: predictionIds, positive: task == .binary ? Int8(positive) : nil,
                    threads: options.threads)
            case (.misclassified, .wide(let labelIds), .wide(let predictionIds)):
                misclassifiedOnEveryRow(
                    labelIds: labelIds, predictionIds: predictionIds, positive: task == .binary ? positive : nil,
                    threads: options.threads)
            default: nil
            }
        if let (failure, confusion) = flagged ?? nil {
            let only: Int32? =
                switch encoded.labelIds {
                case .narrow(let ids): onlyLabel(of: ids, keep: nil).map(Int32.init)
                case .wide(let ids): onlyLabel(of: ids, keep: nil)
                }
            return FailureOutcomes(
                outcomes: RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: confusion),
                keep: nil, exclusions: [], summary: summary, task: task, classCount: classes.count,
                singleLabelClass: only.map { encoding.names[Int($0)] })
        }
        switch (encoded.labelIds, encoded.predictionIds) {
        case (.narrow(let labelIds), .narrow(let predictionIds)):
            return classified(
                labelIds: labelIds, predictionIds: predictionIds, positive: Int8(positive), label: label,
                prediction: prediction, score: score, task: task, spec: spec, summary: summary, encoding: encoding,
                classCount: classes.count)
        case (.wide(let labelIds), .wide(let predictionIds)):
            return classified(
                labelIds: labelIds, predictionIds: predictionIds, positive: positive, label: label,
                prediction: prediction, score: score, task: task, spec: spec, summary: summary, encoding: encoding,
                classCount: classes.count)
        default:
            preconditionFailure("label and prediction ids of two widths")
        }
    }

    /// The outcomes of a classification from its class ids (`positive`: the positive class's id, or -2), row by row:
    /// where some rows are left out (a missing label, prediction or score), or the failure needs the score.
    static func classified<Id: FixedWidthInteger & SignedInteger>(
        labelIds: [Id], predictionIds: [Id], positive: Id, label: Column, prediction: Column, score: Column?,
        task: Task, spec: FailureSpec, summary: AnalysisResult.FailureSummary, encoding: ClassEncoding,
        classCount: Int
    ) -> FailureOutcomes {
        let rows = label.count
        var keep = [Bool](repeating: true, count: rows)
        var missingLabel = 0
        var missingPrediction = 0
        var missingScore = 0
        var trueClassProbability = [Double](repeating: .nan, count: spec.needsScore ? rows : 0)
        for row in 0..<rows {
            if labelIds[row] < 0 { missingLabel += 1; keep[row] = false; continue }
            if predictionIds[row] < 0 { missingPrediction += 1; keep[row] = false; continue }
            if spec.needsScore, let score {
                guard let probability = score.doubleValue(at: row), probability.isFinite,
                    probability >= 0, probability <= 1
                else {
                    missingScore += 1
                    keep[row] = false
                    continue
                }
                trueClassProbability[row] = labelIds[row] == positive ? probability : 1 - probability
            }
        }
        var failure: [UInt8] = []
        var loss: [Double]? = nil
        var confusion: [UInt8]? = task == .binary ? [] : nil
        failure.reserveCapacity(rows)
        var threshold: Double? = nil
        var description = misclassifiedDescription
        switch spec {
        case .misclassified:
            for row in 0..<rows where keep[row] {
                failure.append(labelIds[row] != predictionIds[row] ? 1 : 0)
            }
        case .logLoss(let limit), .trueClassProbability(let limit):
            let isLogLoss: Bool = if case .logLoss = spec { true } else { false }
            // Log loss clipped at 1e-15 like scikit-learn, so a confident miss has a finite loss.
            var losses: [Double] = []
            for row in 0..<rows where keep[row] {
                let probability = trueClassProbability[row]
                losses.append(
                    isLogLoss ? -Swift.max(Swift.min(probability, 1 - 1e-15), 1e-15).logNatural : 1 - probability)
            }
            let resolved = resolve(limit, over: isLogLoss ? losses : losses.map { 1 - $0 })
            threshold = resolved
            if isLogLoss {
                for value in losses { failure.append(value > resolved ? 1 : 0) }
                description = "log loss of the true class > \(format(resolved))\(percentileNote(limit))"
            } else {
                for value in losses { failure.append(1 - value < resolved ? 1 : 0) }
                description = "probability of the true class < \(format(resolved))\(percentileNote(limit))"
            }
            loss = losses
        default:
            break
        }
        if confusion != nil {
            var cells: [UInt8] = []
            cells.reserveCapacity(failure.count)
            for row in 0..<rows where keep[row] {
                cells.append(
                    ConfusionCell(truth: labelIds[row] == positive, predicted: predictionIds[row] == positive).rawValue)
            }
            confusion = cells
        }
        var exclusions = classificationExclusions(
            label: label.name, prediction: prediction.name, missingLabel: missingLabel,
            missingPrediction: missingPrediction)
        if missingScore > 0 {
            exclusions.append(.init(reason: "missing or out-of-range score (not in [0, 1])", rows: missingScore))
        }
        let excluded = missingLabel + missingPrediction + missingScore
        return FailureOutcomes(
            outcomes: RowOutcomes(failure: failure, loss: loss, signedError: nil, confusion: confusion),
            keep: excluded > 0 ? keep : nil, exclusions: exclusions,
            summary: .init(
                spec: summary.spec, description: description, threshold: threshold,
                positiveClass: summary.positiveClass),
            task: task, classCount: classCount,
            singleLabelClass: onlyLabel(of: labelIds, keep: keep).map { encoding.names[Int($0)] })
    }

    static let misclassifiedDescription = "the predicted class differs from the true class"

    /// Misclassification on every row, in one pass: the failure flags and, for a binary task (`positive` given),
    /// the confusion cells; nil when a row has no label or no prediction (the general path then leaves it out).
    static func misclassifiedOnEveryRow(labelIds: [Int32], predictionIds: [Int32], positive: Int32?, threads: Int = 1)
        -> (failure: [UInt8], confusion: [UInt8]?)?
    {
        Misclassification.flags(labelIds: labelIds, predictionIds: predictionIds, positive: positive, threads: threads)
    }

    /// ``misclassifiedOnEveryRow(labelIds:predictionIds:positive:threads:)`` of one-byte ids.
    static func misclassifiedOnEveryRow(labelIds: [Int8], predictionIds: [Int8], positive: Int8?, threads: Int = 1)
        -> (failure: [UInt8], confusion: [UInt8]?)?
    {
        Misclassification.flags(labelIds: labelIds, predictionIds: predictionIds, positive: positive, threads: threads)
    }

    /// The class id every analysed row (`keep`, or all) has as its label, nil when there are two or none.
    static func onlyLabel<Id: FixedWidthInteger & SignedInteger>(of labelIds: [Id], keep: [Bool]?) -> Id? {
        var analysedLabel: Id? = nil
        for row in labelIds.indices where keep?[row] ?? true {
            if analysedLabel == nil {
                analysedLabel = labelIds[row]
            } else if analysedLabel != labelIds[row] {
                return nil
            }
        }
        return analysedLabel
    }

    // MARK: - Regression

    static func regression(
        label: Column, prediction: Column, options: AnalysisOptions, source: String
    ) throws(AnalysisError) -> FailureOutcomes {
        let spec = options.failure ?? .absoluteError(.percentile(90))
        guard label.type.isNumeric, prediction.type.isNumeric else {
            throw AnalysisError(
                code: .incompatibleTask,
                message: "\(source): regression needs numeric label and prediction columns, but '\(label.name)' is "
                    + "\(label.type) and '\(prediction.name)' is \(prediction.type); pass --task binary or multiclass")
        }
        let lossKind: RegressionErrors.Loss
        switch spec {
        case .absoluteError: lossKind = .absolute
        case .squaredError: lossKind = .squared
        case .relativeError: lossKind = .relative
        default:
            throw AnalysisError(
                code: .incompatibleTask,
                message: "\(source): --failure \(spec) is for classification, but the task is regression; "
                    + "use abs-error>X, rel-error>X or sq-error>X")
        }
        let (labelValues, predictionValues) = (numericValues(label), numericValues(prediction))
        let limit: FailureSpec.Threshold
        let name: String
        switch spec {
        case .absoluteError(let value): limit = value; name = "absolute error"
        case .squaredError(let value): limit = value; name = "squared error"
        case .relativeError(let value): limit = value; name = "relative error"
        default: limit = .value(0); name = "error"
        }
        let excluded = RegressionErrors.exclusions(
            label: labelValues, prediction: predictionValues, loss: lossKind, threads: options.threads)
        let (missingLabel, missingPrediction, zeroLabel) =
            (excluded.missingLabel, excluded.missingPrediction, excluded.zeroLabel)
        let threshold: Double
        let outcomes: RowOutcomes
        var keep: [Bool]? = nil
        if excluded.total == 0, let lossOfError = lossKind.ofError {
            // Every row analysed, and the loss made from the error: the errors and losses are read from the columns
            // wherever they are needed, never held (8 bytes a row each), the percentile included.
            switch limit {
            case .value(let value): threshold = value
            case .percentile(let percent):
                threshold =
                    RegressionErrors.lossQuantile(
                        label: labelValues, prediction: predictionValues, loss: lossKind, q: percent / 100,
                        threads: options.threads) ?? .nan
            }
            let failure = RegressionErrors.failures(
                label: labelValues, prediction: predictionValues, loss: lossKind, above: threshold,
                threads: options.threads)
            outcomes = RowOutcomes(
                failure: failure, label: labelValues, prediction: predictionValues, lossOfError: lossOfError, loss: nil)
        } else if let lossOfError = lossKind.ofError {
            // Rows left out, the loss made from the error: the kept rows' errors are written compacted (they are not
            // the columns' rows), and the losses are made from them where they are needed, the percentile included.
            let kept = RegressionErrors.keptErrors(
                label: labelValues, prediction: predictionValues, loss: lossKind, threads: options.threads)
            keep = kept.keep
            switch limit {
            case .value(let value): threshold = value
            case .percentile(let percent):
                threshold =
                    RegressionErrors.lossQuantile(
                        errors: kept.errors, loss: lossOfError, q: percent / 100, threads: options.threads) ?? .nan
            }
            let failure = RegressionErrors.failures(
                errors: kept.errors, loss: lossOfError, above: threshold, threads: options.threads)
            outcomes = RowOutcomes(failure: failure, signedError: kept.errors, lossOfError: lossOfError)
        } else {
            // The relative error (its loss needs the label too): the losses are written, compacted when rows are
            // left out (with the kept rows' errors).
            let computed = RegressionErrors.compute(
                label: labelValues, prediction: predictionValues, loss: lossKind, threads: options.threads,
                writesErrors: false)
            keep = computed.keep
            let losses = computed.losses
            threshold = resolve(limit, over: losses)
            let failure = RegressionErrors.failures(losses: losses, above: threshold, threads: options.threads)
            if computed.keep == nil {
                outcomes = RowOutcomes(
                    failure: failure, label: labelValues, prediction: predictionValues, lossOfError: nil, loss: losses)
            } else {
                outcomes = RowOutcomes(failure: failure, loss: losses, signedError: computed.errors, confusion: nil)
            }
        }
        let exclusions = regressionExclusions(
            label: label.name, prediction: prediction.name, missingLabel: missingLabel,
            missingPrediction: missingPrediction, zeroLabel: zeroLabel)
        return FailureOutcomes(
            outcomes: outcomes,
            keep: keep, exclusions: exclusions,
            summary: .init(
                spec: spec.description, description: "\(name) > \(format(threshold))\(percentileNote(limit))",
                threshold: threshold, positiveClass: nil),
            task: .regression, classCount: 0)
    }

    /// A binary task needs at most two classes (shared with the SQL pushdown).
    static func checkClassCount(
        task: Task, classes: [String], label: String, prediction: String, source: String
    ) throws(AnalysisError) {
        guard task == .binary && classes.count > 2 else { return }
        throw AnalysisError(
            code: .incompatibleTask,
            message: "\(source): --task binary, but columns '\(label)' and '\(prediction)' hold "
                + "\(classes.count) classes (\(classes.prefix(5).joined(separator: ", "))\(classes.count > 5 ? ", ..." : "")); "
                + "use --task multiclass")
    }

    // MARK: - Exclusions (shared with the SQL pushdown)

    static func classificationExclusions(
        label: String, prediction: String, missingLabel: Int, missingPrediction: Int
    ) -> [AnalysisResult.Exclusion] {
        var exclusions: [AnalysisResult.Exclusion] = []
        if missingLabel > 0 { exclusions.append(.init(reason: "missing label ('\(label)')", rows: missingLabel)) }
        if missingPrediction > 0 {
            exclusions.append(.init(reason: "missing prediction ('\(prediction)')", rows: missingPrediction))
        }
        return exclusions
    }

    static func regressionExclusions(
        label: String, prediction: String, missingLabel: Int, missingPrediction: Int, zeroLabel: Int
    ) -> [AnalysisResult.Exclusion] {
        var exclusions: [AnalysisResult.Exclusion] = []
        if missingLabel > 0 {
            exclusions.append(.init(reason: "missing or non-finite label ('\(label)')", rows: missingLabel))
        }
        if missingPrediction > 0 {
            exclusions.append(
                .init(reason: "missing or non-finite prediction ('\(prediction)')", rows: missingPrediction))
        }
        if zeroLabel > 0 { exclusions.append(.init(reason: "label is 0 (relative error undefined)", rows: zeroLabel)) }
        return exclusions
    }

    // MARK: - Thresholds

    /// A fixed threshold, or the percentile of `values` (numpy's linear method, `q = NN / 100`).
    static func resolve(_ threshold: FailureSpec.Threshold, over values: [Double]) -> Double {
        switch threshold {
        case .value(let value): return value
        case .percentile(let percent):
            return Quantiles.linear(selectingFrom: values, q: percent / 100) ?? .nan
        }
    }

    /// A numeric column's values and validity as the regression kernel reads them (NaN is missing there too).
    static func numericValues(_ column: Column) -> RegressionErrors.Values {
        switch column.values {
        case .float64(let values): .float64(values, column.validityExceptNaN)
        case .int64(let values): .int64(values, column.validityExceptNaN)
        default: preconditionFailure("a regression column is numeric (checked before)")
        }
    }

    static func percentileNote(_ threshold: FailureSpec.Threshold) -> String {
        if case .percentile(let percent) = threshold {
            return " (the \(FailureSpec.Threshold.percentile(percent).description.dropFirst())th percentile)"
        }
        return ""
    }

    /// The threshold in words (7 significant digits; `threshold` in analysis.json is exact).
    static func format(_ value: Double) -> String { NumberFormat.rounded(value) }
}

extension Double {
    fileprivate var logNatural: Double { Glibc.log(self) }
}

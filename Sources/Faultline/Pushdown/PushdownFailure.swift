import ColumnStore
import Kernels
import SliceSearch

/// The failure definition as SQL expressions over a row, decided as ``FailureOutcomes`` decides it from rows.
struct PushdownFailure {
    var task: Task
    /// The rows analysed (label and prediction present; a non-zero label for the relative error).
    var keptCondition: String
    /// 1 for a failing row, else 0.
    var failure: String
    /// The loss (the failure indicator itself for misclassification).
    var loss: String
    /// `prediction - label` (regression).
    var signedError: String?
    /// The confusion cell, `ConfusionCell.rawValue` (binary).
    var cell: String?
    var exclusions: [AnalysisResult.Exclusion]
    var summary: AnalysisResult.FailureSummary
    var singleLabelClass: String?

    static func define(
        label: SQLColumn, prediction: SQLColumn, options: AnalysisOptions, source: String, dialect: SQLDialect,
        table: String, run: (String, String) throws(AnalysisError) -> SQLResultTable
    ) throws(AnalysisError) -> PushdownFailure {
        let l = dialect.quote(label.name)
        let p = dialect.quote(prediction.name)
        let numeric = label.type.isNumeric && prediction.type.isNumeric
        guard numeric || label.type == prediction.type, label.type != .timestamp else {
            throw AnalysisError(
                code: .incompatibleTask,
                message: "\(source): the label '\(label.name)' is \(label.type.description) and the prediction "
                    + "'\(prediction.name)' is \(prediction.type.description); with --sql-dialect both must be text, "
                    + "both flags or both numbers: cast one in a view")
        }
        let double = dialect.doubleType
        let isFloat = label.type == .float || prediction.type == .float
        var aggregates = [
            "COUNT(*) AS rows_all",
            "SUM(CASE WHEN \(l) IS NULL THEN 1 ELSE 0 END) AS missing_label",
            "SUM(CASE WHEN \(l) IS NOT NULL AND \(p) IS NULL THEN 1 ELSE 0 END) AS missing_pred",
            "COUNT(DISTINCT \(l)) AS label_classes", "COUNT(DISTINCT \(p)) AS pred_classes",
            "COUNT(DISTINCT CASE WHEN \(p) IS NOT NULL THEN \(l) END) AS analysed_label_classes",
        ]
        if numeric {
            aggregates.append("SUM(CASE WHEN \(l) IS NOT NULL AND \(p) IS NOT NULL AND \(l) = 0 THEN 1 ELSE 0 END) AS zero_label")
        }
        if isFloat {
            let bound = "\(dialect.double(1e308))"
            let nonFinite = { (x: String) in "(\(x) > \(bound) OR \(x) < -\(bound))" }
            aggregates.append("SUM(CASE WHEN \(nonFinite(l)) OR \(nonFinite(p)) THEN 1 ELSE 0 END) AS non_finite")
            aggregates.append(
                "SUM(CASE WHEN \(l) <> FLOOR(\(l)) OR \(p) <> FLOOR(\(p)) THEN 1 ELSE 0 END) AS fractional")
        }
        let roles = try run("roles", "SELECT \(aggregates.joined(separator: ", ")) FROM \(table)")
        guard roles.rows.count == 1 else {
            throw AnalysisError(code: .sqlEngine, message: "the roles query returned \(roles.rows.count) rows, not 1")
        }
        func value(_ column: String) throws(AnalysisError) -> Int {
            guard let index = roles.header.firstIndex(of: column) else { return 0 }
            return try roles.integer(0, index) ?? 0
        }
        if try value("non_finite") > 0 {
            throw AnalysisError(
                code: .unsupportedFormat,
                message: "\(source): the label or prediction holds infinite or NaN values; with --sql-dialect make them "
                    + "NULL in a view (they are then excluded as missing)")
        }
        let missingLabel = try value("missing_label")
        let missingPrediction = try value("missing_pred")

        // The task, as FailureOutcomes.inferTask decides it.
        let classificationForced = options.failure?.isClassification == true
        var task: Task
        var classes: [String] = []
        func fetchClasses() throws(AnalysisError) -> [String] {
            let text = label.type == .bool
                ? { (x: String) in "CASE WHEN \(x) THEN 'True' ELSE 'False' END" }
                : numeric ? { (x: String) in "CAST(\(x) AS \(double))" } : { (x: String) in x }
            let result = try run(
                "classes",
                "SELECT DISTINCT \(text(l)) AS class FROM \(table) WHERE \(l) IS NOT NULL UNION "
                    + "SELECT DISTINCT \(text(p)) AS class FROM \(table) WHERE \(p) IS NOT NULL")
            var names: [String] = []
            for row in 0..<result.rows.count {
                if numeric {
                    guard let number = try result.double(row, 0) else { continue }
                    names.append(NumberFormat.shortest(number))
                } else {
                    names.append(result.rows[row][0] ?? "")
                }
            }
            return ClassEncoding.ordered(Array(Set(names)))
        }
        if let given = options.task {
            task = given
            if task != .regression { classes = try fetchClasses() }
        } else if let spec = options.failure, !spec.isClassification {
            task = .regression
        } else if numeric {
            let limit = FailureOutcomes.maximumInferredClasses
            let fractional = try value("fractional") > 0
            let labelClasses = try value("label_classes")
            let predictionClasses = try value("pred_classes")
            if fractional && !classificationForced {
                task = .regression
            } else if labelClasses > limit || predictionClasses > limit {
                task = classificationForced ? .multiclass : .regression
            } else {
                classes = try fetchClasses()
                if classes.count > limit {
                    task = classificationForced ? .multiclass : .regression
                } else {
                    task = classes.count <= 2 ? .binary : .multiclass
                }
            }
        } else {
            classes = try fetchClasses()
            task = classes.count <= 2 ? .binary : .multiclass
        }
        if task == .regression {
            return try regression(
                label: label, prediction: prediction, options: options, source: source, dialect: dialect, table: table,
                missingLabel: missingLabel, missingPrediction: missingPrediction, zeroLabel: try value("zero_label"),
                rowsAll: try value("rows_all"), run: run)
        }

        let spec = options.failure ?? .misclassified
        guard spec.isClassification else {
            throw AnalysisError(
                code: .incompatibleTask,
                message: "\(source): --failure \(spec) is for regression, but the task is \(task.rawValue); "
                    + "use misclassified, or pass --task regression")
        }
        try FailureOutcomes.checkClassCount(
            task: task, classes: classes, label: label.name, prediction: prediction.name, source: source)
        let asValue = { (x: String) in numeric ? "CAST(\(x) AS \(double))" : x }
        var cell: String?
        let positive = task == .binary ? ClassEncoding.positiveClass(of: classes) : nil
        if let positive {
            let literal: String
            if numeric {
                literal = dialect.double(Double(positive) ?? .nan)
            } else if label.type == .bool {
                literal = positive == "True" ? "TRUE" : "FALSE"
            } else {
                literal = dialect.literal(positive)
            }
            let truth = "\(asValue(l)) = \(literal)"
            let predicted = "\(asValue(p)) = \(literal)"
            cell = "CASE WHEN \(truth) THEN (CASE WHEN \(predicted) THEN 0 ELSE 3 END) "
                + "ELSE (CASE WHEN \(predicted) THEN 1 ELSE 2 END) END"
        }
        let exclusions = FailureOutcomes.classificationExclusions(
            label: label.name, prediction: prediction.name, missingLabel: missingLabel,
            missingPrediction: missingPrediction)
        var single: String?
        if try value("analysed_label_classes") == 1 {
            let result = try run(
                "single-class",
                "SELECT MIN(\(label.type == .bool ? "CASE WHEN \(l) THEN 'True' ELSE 'False' END" : asValue(l))) AS class "
                    + "FROM \(table) WHERE \(l) IS NOT NULL AND \(p) IS NOT NULL")
            if numeric {
                single = try result.double(0, 0).map(NumberFormat.shortest)
            } else {
                single = result.rows.first?[0] ?? nil
            }
        }
        let failure = "CASE WHEN \(asValue(l)) <> \(asValue(p)) THEN 1 ELSE 0 END"
        return PushdownFailure(
            task: task, keptCondition: "\(l) IS NOT NULL AND \(p) IS NOT NULL", failure: failure, loss: failure,
            signedError: nil, cell: cell, exclusions: exclusions,
            summary: .init(
                spec: spec.description, description: "the predicted class differs from the true class", threshold: nil,
                positiveClass: positive),
            singleLabelClass: single)
    }

    static func regression(
        label: SQLColumn, prediction: SQLColumn, options: AnalysisOptions, source: String, dialect: SQLDialect,
        table: String, missingLabel: Int, missingPrediction: Int, zeroLabel: Int, rowsAll: Int,
        run: (String, String) throws(AnalysisError) -> SQLResultTable
    ) throws(AnalysisError) -> PushdownFailure {
        let spec = options.failure ?? .absoluteError(.percentile(90))
        guard label.type.isNumeric, prediction.type.isNumeric else {
            throw AnalysisError(
                code: .incompatibleTask,
                message: "\(source): regression needs numeric label and prediction columns, but '\(label.name)' is "
                    + "\(label.type.description) and '\(prediction.name)' is \(prediction.type.description); "
                    + "pass --task binary or multiclass")
        }
        let double = dialect.doubleType
        let l = "CAST(\(dialect.quote(label.name)) AS \(double))"
        let p = "CAST(\(dialect.quote(prediction.name)) AS \(double))"
        let error = "(\(p) - \(l))"
        var kept = "\(dialect.quote(label.name)) IS NOT NULL AND \(dialect.quote(prediction.name)) IS NOT NULL"
        let loss: String
        let limit: FailureSpec.Threshold
        let name: String
        var excludedZero = 0
        switch spec {
        case .absoluteError(let value): loss = "ABS\(error)"; limit = value; name = "absolute error"
        case .squaredError(let value): loss = "(\(error) * \(error))"; limit = value; name = "squared error"
        case .relativeError(let value):
            loss = "(ABS\(error) / ABS(\(l)))"
            limit = value
            name = "relative error"
            kept += " AND \(l) <> 0"
            excludedZero = zeroLabel
        default:
            throw AnalysisError(
                code: .incompatibleTask,
                message: "\(source): --failure \(spec) is for classification, but the task is regression; "
                    + "use abs-error>X, rel-error>X or sq-error>X")
        }
        let threshold: Double
        switch limit {
        case .value(let value): threshold = value
        case .percentile(let percent):
            let count = rowsAll - missingLabel - missingPrediction - excludedZero
            guard count > 0 else { threshold = .nan; break }
            let position = Quantiles.position(count: count, q: percent / 100)
            let result = try run(
                "threshold",
                "SELECT CAST(x AS \(double)) AS x, r FROM (SELECT \(loss) AS x, ROW_NUMBER() OVER (ORDER BY \(loss)) - 1 "
                    + "AS r FROM \(table) WHERE \(kept)) ranked WHERE r IN (\(position.lower), \(position.upper))")
            var ranked: [Int: Double] = [:]
            for row in 0..<result.rows.count {
                if let rank = try result.integer(row, try result.column("r")), let x = try result.double(row, try result.column("x")) {
                    ranked[rank] = x
                }
            }
            guard let a = ranked[position.lower], let b = ranked[position.upper] else {
                throw AnalysisError(code: .sqlEngine, message: "the threshold query did not return ranks \(position.lower) and \(position.upper)")
            }
            threshold = Quantiles.lerp(a, b, position.gamma)
        }
        let exclusions = FailureOutcomes.regressionExclusions(
            label: label.name, prediction: prediction.name, missingLabel: missingLabel,
            missingPrediction: missingPrediction, zeroLabel: excludedZero)
        return PushdownFailure(
            task: .regression, keptCondition: kept,
            failure: "CASE WHEN \(loss) > \(dialect.double(threshold)) THEN 1 ELSE 0 END", loss: loss,
            signedError: error, cell: nil, exclusions: exclusions,
            summary: .init(
                spec: spec.description,
                description: "\(name) > \(FailureOutcomes.format(threshold))\(FailureOutcomes.percentileNote(limit))",
                threshold: threshold, positiveClass: nil),
            singleLabelClass: nil)
    }
}

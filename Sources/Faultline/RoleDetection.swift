import ColumnStore

/// Finds the columns that play the label, prediction, score, time and batch roles, by option or by name.
public enum RoleDetection {
    /// Conventional names per role, in order of preference (matched case-insensitively).
    public static let labelNames = ["label", "y", "target", "y_true", "actual"]
    public static let predictionNames = ["pred", "prediction", "yhat", "y_pred"]
    public static let scoreNames = ["score", "proba", "probability"]
    public static let timeNames = ["ts", "timestamp", "datetime", "date", "time"]
    public static let batchNames = ["batch", "batch_id"]

    /// The resolved role columns.
    public struct Roles: Sendable, Equatable {
        public var label: String?
        public var prediction: String?
        public var score: String?
        public var time: String?
        public var batch: String?

        /// Every role column present.
        public var all: [String] { [label, prediction, score, time, batch].compactMap { $0 } }
    }

    /// Resolves roles: an explicit name must exist; otherwise the first conventional name present is used.
    public static func detect(in table: Table, options: AnalysisOptions, source: String) throws(AnalysisError) -> Roles {
        try detect(names: table.columns.map(\.name), options: options, source: source)
    }

    /// Resolves roles among the column `names` (of a file, or of a SQL table).
    public static func detect(names: [String], options: AnalysisOptions, source: String) throws(AnalysisError) -> Roles {
        func resolve(_ explicit: String?, _ conventional: [String], flag: String) throws(AnalysisError) -> String? {
            if let explicit {
                guard names.contains(explicit) else {
                    throw AnalysisError(
                        code: .unknownColumn(explicit),
                        message: "\(source): no column named '\(explicit)' (given by \(flag)); columns are: "
                            + names.joined(separator: ", "))
                }
                return explicit
            }
            for candidate in conventional {
                if let match = names.first(where: { $0.lowercased() == candidate }) { return match }
            }
            return nil
        }
        var roles = Roles()
        roles.label = try resolve(options.label, labelNames, flag: "--label")
        roles.prediction = try resolve(options.prediction, predictionNames, flag: "--pred")
        roles.score = try resolve(options.score, scoreNames, flag: "--score")
        roles.time = try resolve(options.time, timeNames, flag: "--time")
        roles.batch = try resolve(options.batch, batchNames, flag: "--batch")
        return roles
    }
}

import ColumnStore
import Ingest
import Kernels
import SliceSearch
import Stats

/// A table on the user's SQL engine.
public struct SQLSource: Sendable {
    public var dialect: SQLDialect
    /// The table as the engine names it (`t`, `schema.t`, `"My Table"`), inserted as written.
    public var table: String

    public init(dialect: SQLDialect, table: String) {
        self.dialect = dialect
        self.table = table
    }
}

/// The analysis with the aggregation pushed down to a SQL engine: Faultline sends generated queries (through
/// `runner`) and does the statistics, the search and the report on the small tables of sufficient statistics that
/// come back. Bins, 1-D statistics and the top slices equal the in-memory analysis of the same rows.
///
/// Steps (docs/sql-pushdown.md): the column types (`schema`); the label and prediction (`roles`, and `classes` for
/// classification); counts, distinct counts and ranges over the analysed rows (`profile`); the categories and the
/// exact quantile order statistics (`values`, by `ROW_NUMBER`, so no engine's own interpolation is involved); one
/// `GROUPING SETS` query of every 1-D slice (`level-1`); then one masked query per search level, and the statistics
/// of the reported slices; with a time or batch column, the time analysis from the 1-D counts, one query of the
/// before/after tables and one of the reported slices per time bucket. The association and joint-model analyses
/// need rows and are not run.
public enum PushdownAnalysis {
    public static func run(
        source: SQLSource, runner: any SQLQueryRunner, options: AnalysisOptions,
        progress: (@Sendable (String) -> Void)? = nil
    ) throws(AnalysisError) -> AnalysisResult {
        try FailureAnalysis.validate(options)
        var pushdown = _Pushdown(source: source, runner: runner, options: options)
        return try pushdown.run(progress: progress)
    }

    /// The statistics columns every slice query selects (from `base`).
    static func statisticsSelect(regression: Bool, binary: Bool) -> String {
        var columns = [
            "COUNT(*) AS n", "SUM(err) AS n_fail", "SUM(loss) AS loss_sum", "SUM(loss * loss) AS loss_sq",
            "MAX(loss) AS loss_max",
        ]
        if regression { columns += ["SUM(ABS(e)) AS abs_sum", "SUM(e * e) AS sq_sum", "SUM(e) AS e_sum"] }
        if binary {
            for (index, name) in ["tp", "fp", "tn", "fn"].enumerated() {
                columns.append("SUM(CASE WHEN cell = \(index) THEN 1 ELSE 0 END) AS \(name)")
            }
        }
        return columns.joined(separator: ", ")
    }

    /// The sufficient statistics on `row` of a result with the ``statisticsSelect(regression:binary:)`` columns.
    static func groupStats(_ table: SQLResultTable, row: Int) throws(AnalysisError) -> GroupStats {
        func number(_ name: String) throws(AnalysisError) -> Double {
            guard let index = table.header.firstIndex(of: name) else { return 0 }
            return try table.double(row, index) ?? 0
        }
        func count(_ name: String) throws(AnalysisError) -> Int {
            guard let index = table.header.firstIndex(of: name) else { return 0 }
            return try table.integer(row, index) ?? 0
        }
        var stats = GroupStats()
        stats.rows = try count("n")
        stats.failures = try count("n_fail")
        stats.lossSum = try number("loss_sum")
        stats.lossSquaredSum = try number("loss_sq")
        stats.lossMax = max(0, try number("loss_max"))
        stats.absoluteErrorSum = try number("abs_sum")
        stats.squaredErrorSum = try number("sq_sum")
        stats.signedErrorSum = try number("e_sum")
        stats.confusion = SIMD4(try count("tp"), try count("fp"), try count("tn"), try count("fn"))
        return stats
    }
}

/// One pushed-down analysis: the queries in order, and what each answer decides.
private struct _Pushdown {
    let source: SQLSource
    let runner: any SQLQueryRunner
    let options: AnalysisOptions
    var dialect: SQLDialect { source.dialect }
    var name: String { "\(source.dialect.rawValue):\(source.table)" }

    init(source: SQLSource, runner: any SQLQueryRunner, options: AnalysisOptions) {
        self.source = source
        self.runner = runner
        self.options = options
    }

    func query(_ step: String, _ text: String) throws(AnalysisError) -> SQLResultTable {
        let query = SQLQuery(step: step, text: text)
        return try SQLResultTable(csv: runner.run(query), query: query)
    }

    func q(_ column: String) -> String { dialect.quote(column) }

    /// `x` outside ±1e308: ±infinity, and NaN in the engines that order NaN above every number.
    func nonFinite(_ expression: String) -> String {
        "(\(expression) > \(dialect.double(1e308)) OR \(expression) < \(dialect.double(-1e308)))"
    }

    mutating func run(progress: (@Sendable (String) -> Void)?) throws(AnalysisError) -> AnalysisResult {
        // Schema.
        progress?("reading the columns of \(source.table)")
        let schema = try query("schema", dialect.schemaQuery(table: source.table))
        var columns: [SQLColumn] = []
        var skipped: [SkippedColumn] = []
        for row in schema.rows where row.count >= 2 {
            guard let columnName = row[0], !columnName.isEmpty, !columnName.hasPrefix("#"), let type = row[1] else {
                continue
            }
            if let kind = SQLColumnType(engineType: type) {
                columns.append(SQLColumn(name: columnName, type: kind))
            } else {
                skipped.append(SkippedColumn(name: columnName, reason: "its SQL type \(type) is not sliced"))
            }
        }
        guard !columns.isEmpty else {
            throw AnalysisError(code: .noRows, message: "\(name): the table has no column Faultline can slice")
        }
        let roles = try RoleDetection.detect(names: columns.map(\.name), options: options, source: name)
        guard let labelName = roles.label, let label = columns.first(where: { $0.name == labelName }) else {
            throw AnalysisError(
                code: .missingRole("label"),
                message: "\(name): no label column; name it with --label (looked for: "
                    + RoleDetection.labelNames.joined(separator: ", ") + ")")
        }
        guard let predictionName = roles.prediction, let prediction = columns.first(where: { $0.name == predictionName })
        else {
            throw AnalysisError(
                code: .missingRole("prediction"),
                message: "\(name): no prediction column; name it with --pred (looked for: "
                    + RoleDetection.predictionNames.joined(separator: ", ") + ")")
        }
        if let spec = options.failure, spec.needsScore {
            throw AnalysisError(
                code: .incompatibleTask,
                message: "\(name): --failure \(spec) is not available with --sql-dialect yet; use misclassified, "
                    + "abs-error>X, rel-error>X or sq-error>X")
        }

        // The failure definition.
        progress?("defining failures")
        let failure = try PushdownFailure.define(
            label: label, prediction: prediction, options: options, source: name, dialect: dialect,
            table: source.table, run: { step, text throws(AnalysisError) in try query(step, text) })
        let kept = failure.keptCondition
        let from = "FROM \(source.table) WHERE \(kept)"

        // Profile of every column to slice, over the analysed rows.
        let roleNames = Set(roles.all)
        var profiles: [PushdownColumn] = columns.filter { !roleNames.contains($0.name) }.map {
            PushdownColumn(column: $0, role: .feature)
        }
        profiles.append(PushdownColumn(column: label, role: .label))
        profiles.append(PushdownColumn(column: prediction, role: .prediction))
        for (roleName, role) in [(roles.time, FeatureBinner.Role.time), (roles.batch, .batch)] {
            guard let roleName, let column = columns.first(where: { $0.name == roleName }) else { continue }
            profiles.append(PushdownColumn(column: column, role: role))
        }
        progress?("profiling \(profiles.count) columns")
        var aggregates = ["COUNT(*) AS analysed"]
        for (index, profile) in profiles.enumerated() {
            let x = q(profile.column.name)
            aggregates.append("COUNT(\(x)) AS c\(index)_n")
            switch profile.column.type {
            case .integer, .float:
                aggregates += [
                    "COUNT(DISTINCT \(x)) AS c\(index)_d", "MIN(\(x)) AS c\(index)_lo", "MAX(\(x)) AS c\(index)_hi",
                ]
                if profile.column.type == .float {
                    aggregates.append("SUM(CASE WHEN \(nonFinite(x)) THEN 1 ELSE 0 END) AS c\(index)_inf")
                }
            case .string, .bool: aggregates.append("COUNT(DISTINCT \(x)) AS c\(index)_d")
            case .timestamp:
                let seconds = dialect.epochSeconds(x)
                aggregates += ["MIN(\(seconds)) AS c\(index)_lo", "MAX(\(seconds)) AS c\(index)_hi"]
            }
        }
        let profile = try query("profile", "SELECT \(aggregates.joined(separator: ", ")) \(from)")
        guard profile.rows.count == 1 else {
            throw AnalysisError(code: .sqlEngine, message: "the profile query returned \(profile.rows.count) rows, not 1")
        }
        let analysed = try profile.integer(0, try profile.column("analysed")) ?? 0
        guard analysed > 0 else {
            throw AnalysisError(
                code: .noRows,
                message: "\(name): no row is left to analyse ("
                    + failure.exclusions.map { "\($0.rows) rows: \($0.reason)" }.joined(separator: "; ") + ")")
        }
        for index in profiles.indices {
            func field(_ suffix: String) -> Int? { profile.header.firstIndex(of: "c\(index)_\(suffix)") }
            profiles[index].present = try field("n").map { f throws(AnalysisError) in try profile.integer(0, f) ?? 0 } ?? 0
            profiles[index].distinct = try field("d").map { f throws(AnalysisError) in try profile.integer(0, f) ?? 0 } ?? 0
            profiles[index].low = try field("lo").flatMap { f throws(AnalysisError) in try profile.double(0, f) }
            profiles[index].high = try field("hi").flatMap { f throws(AnalysisError) in try profile.double(0, f) }
            if let infinite = try field("inf").flatMap({ f throws(AnalysisError) in try profile.integer(0, f) }), infinite > 0 {
                throw AnalysisError(
                    code: .unsupportedFormat,
                    message: "\(name): column '\(profiles[index].column.name)' holds \(infinite) infinite or NaN "
                        + "values on the analysed rows; the pushdown cannot bin them as the in-memory analysis does. "
                        + "Make them NULL in a view (CASE WHEN ... THEN NULL), or analyse an export of the table")
            }
        }

        // Categories and quantile order statistics.
        let binner = PushdownBinner(dialect: dialect, options: options.slicing)
        var parts: [String] = []
        for (index, column) in profiles.enumerated() {
            let x = q(column.column.name)
            let nullDouble = "CAST(NULL AS \(dialect.doubleType))"
            let nullText = "CAST(NULL AS \(dialect.stringType))"
            switch binner.plan(column) {
            case .numericCategories:
                parts.append(
                    "SELECT \(index) AS col, 'v' AS kind, CAST(\(x) AS \(dialect.doubleType)) AS num, \(nullText) AS str, "
                        + "COUNT(*) AS n \(from) AND \(x) IS NOT NULL GROUP BY \(x)")
            case .textCategories:
                parts.append(
                    "SELECT \(index) AS col, 'v' AS kind, \(nullDouble) AS num, CAST(\(x) AS \(dialect.stringType)) AS str, "
                        + "COUNT(*) AS n \(from) AND \(x) IS NOT NULL GROUP BY \(x)")
            case .flags:
                parts.append(
                    "SELECT \(index) AS col, 'v' AS kind, \(nullDouble) AS num, CASE WHEN \(x) THEN 'True' ELSE 'False' END AS str, "
                        + "COUNT(*) AS n \(from) AND \(x) IS NOT NULL GROUP BY \(x)")
            case .quantiles(let ranks):
                parts.append(
                    "SELECT \(index) AS col, 'r' AS kind, CAST(x AS \(dialect.doubleType)) AS num, \(nullText) AS str, r AS n FROM "
                        + "(SELECT \(x) AS x, ROW_NUMBER() OVER (ORDER BY \(x)) - 1 AS r \(from) AND \(x) IS NOT NULL) ranked "
                        + "WHERE r IN (\(ranks.map(String.init).joined(separator: ", ")))")
            case .uniform, .time, .none:
                break
            }
        }
        if !parts.isEmpty {
            progress?("reading categories and quantile edges")
            let values = try query("values", parts.joined(separator: "\nUNION ALL\n"))
            let (col, kind, num, str, n) = (
                try values.column("col"), try values.column("kind"), try values.column("num"), try values.column("str"),
                try values.column("n")
            )
            for row in 0..<values.rows.count {
                guard let index = try values.integer(row, col), profiles.indices.contains(index) else { continue }
                let count = try values.integer(row, n) ?? 0
                if values.rows[row][kind] == "r" {
                    if let value = try values.double(row, num) { profiles[index].ranked[count] = value }
                } else if let number = try values.double(row, num) {
                    profiles[index].counts.append((NumberFormat.shortest(number), number, count))
                } else {
                    profiles[index].counts.append((values.rows[row][str] ?? "", nil, count))
                }
            }
        }

        // Bins and the base relation: one code per binned column.
        var binned: [BinnedFeature] = []
        var codes: [String] = []
        for column in profiles {
            if let (feature, code) = binner.bin(column, analysedRows: analysed) {
                binned.append(feature)
                codes.append("\(code) AS f\(codes.count)")
            } else if column.role == .feature || column.role == .time || column.role == .batch {
                skipped.append(SkippedColumn(name: column.column.name, reason: "no value on the analysed rows"))
            }
        }
        if let score = roles.score {
            skipped.append(SkippedColumn(name: score, reason: "it is the score column (model output)"))
        }
        let isRegression = failure.task == .regression
        let isBinary = failure.task == .binary
        var baseColumns = codes + ["\(failure.failure) AS err", "\(failure.loss) AS loss"]
        if let error = failure.signedError { baseColumns.append("\(error) AS e") }
        if let cell = failure.cell { baseColumns.append("\(cell) AS cell") }
        let base = "WITH base AS (SELECT \(baseColumns.joined(separator: ", ")) \(from))"
        let statistics = PushdownAnalysis.statisticsSelect(regression: isRegression, binary: isBinary)

        // Every 1-D slice in one scan.
        progress?("counting the 1-D slices of \(binned.count) columns")
        let sets = ["()"] + binned.indices.map { "(f\($0))" }
        let levelOne = try query(
            "level-1",
            "\(base)\nSELECT \(binned.indices.map { "f\($0)" }.joined(separator: ", ")), \(statistics) FROM base "
                + "GROUP BY GROUPING SETS (\(sets.joined(separator: ", ")))")
        var groups = binned.map { [GroupStats](repeating: GroupStats(), count: max(1, $0.identities.count)) }
        var total: GroupStats?
        let codeColumns = try binned.indices.map { index throws(AnalysisError) in try levelOne.column("f\(index)") }
        for row in 0..<levelOne.rows.count {
            var set: (feature: Int, code: Int)?
            for (feature, position) in codeColumns.enumerated() {
                guard let code = try levelOne.integer(row, position) else { continue }
                guard set == nil, code >= 0, code < groups[feature].count else {
                    throw AnalysisError(
                        code: .sqlEngine,
                        message: "the level-1 query returned an unexpected group (code \(code) of column "
                            + "'\(binned[feature].name)'): did the table change while Faultline queried it?")
                }
                set = (feature, code)
            }
            let stats = try PushdownAnalysis.groupStats(levelOne, row: row)
            if let set { groups[set.feature][set.code] = stats } else { total = stats }
        }
        guard let total, total.rows == analysed else {
            throw AnalysisError(
                code: .sqlEngine,
                message: "the level-1 query's total (\(total?.rows ?? 0) rows) differs from the profile's (\(analysed)): "
                    + "did the table change while Faultline queried it?")
        }
        let sliced = OneDimensionalSlicing.assemble(
            features: binned, groups: groups, total: total, options: options.slicing, regression: isRegression,
            binary: isBinary)

        // Notes, as the in-memory analysis writes them.
        var notes: [String] = []
        notes += FailureAnalysis.outcomeNotes(
            total: total, spec: failure.summary.spec, singleLabelClass: failure.singleLabelClass, label: labelName)
        for profile in profiles where profile.column.type == .string {
            let values = profile.counts.map(\.value)
            if profile.role == .time {
                let example = values.sorted().first { TimestampText.epochSeconds($0) == nil }
                notes.append(
                    "The time column '\(profile.column.name)' was read as text, not as timestamps"
                        + (example.map { ", because of values such as '\($0)'" } ?? "")
                        + ": its values are unordered labels, so there is no time trend or change point. "
                        + "Give the column a timestamp type (CAST in a view).")
            } else if profile.role == .feature, values.count >= 2 {
                let texts = values.sorted().filter { Double($0) == nil }
                if !texts.isEmpty && texts.count * 10 <= values.count {
                    notes.append(
                        "Column '\(profile.column.name)' holds numbers but is text because of values such as "
                            + "'\(texts[0])': it is sliced per value, not in numeric bins. "
                            + "Cast it to a number in a view, with such values as NULL.")
                }
            }
        }
        for column in skipped { notes.append("Column '\(column.name)' was not sliced: \(column.reason).") }

        // The multi-feature search, one query per level.
        progress?("searching conjunctions of up to \(options.sliceLine.maxLevel) bins")
        if options.sliceLine.error == .loss && !isRegression {
            notes.append(
                "'\(failure.summary.spec)' has no continuous loss: --slice-error loss scored slices on the 0/1 "
                    + "failure indicator.")
        }
        let scoresLoss = options.sliceLine.error == .loss && isRegression
        let searchedIndices = binned.indices.filter {
            SliceLineAnalysis.searchedKinds.contains(binned[$0].kind) && !binned[$0].identities.isEmpty
        }
        let counter = SQLSliceCounter(
            dialect: dialect, runner: runner, base: base, featureColumns: searchedIndices.map { "f\($0)" },
            domains: searchedIndices.map { binned[$0].identities.count }, scoresLoss: scoresLoss,
            statisticsSelect: statistics)
        var column: Int32 = 0
        for index in searchedIndices {
            for stats in groups[index].prefix(binned[index].identities.count) {
                counter.seed(
                    column: column,
                    counts: IntersectionCounts(
                        rows: stats.rows, markedRows: stats.failures, valueSum: scoresLoss ? stats.lossSum : 0,
                        valueMax: scoresLoss ? stats.lossMax : 0))
                column += 1
            }
        }
        let meanError = scoresLoss ? total.lossSum / Double(total.rows) : Double(total.failures) / Double(total.rows)
        let search = try SliceLineAnalysis.run(
            counter: counter, features: binned, rows: total.rows, meanError: meanError, total: total,
            options: options.sliceLine, slicing: options.slicing, regression: isRegression, binary: isBinary)

        // When failures happen: the time analysis from counts, and the reported slices followed over time.
        var time: TimeAnalysisResult?
        var timeSlices: [SliceTimeSeries] = []
        let axis = ConditionsStage.timeAxis(binned, time: roles.time, batch: roles.batch)
        if let axis {
            progress?("testing time dependence over \(binned[axis].name)")
            let timeOptions = ConditionsStage.timeAnalysisOptions(options)
            let timeCounter = SQLTimeCounter(
                runner: runner, base: base, binned: binned, axis: axis, counts: groups[axis])
            let others = binned.filter { $0.kind != .time && $0.kind != .batch }
            let result = try TimeAnalysis.analyze(
                time: binned[axis], counter: timeCounter, features: others, options: timeOptions)
            let followed = ConditionsStage.followedSlices(hotspots: sliced.hotspots, slices: search.slices)
            timeSlices = try TimeAnalysis.sliceSeries(
                followed, time: binned[axis], features: binned, counter: timeCounter, result: result)
            time = result
            if options.baselineUntil != nil && result.split == nil {
                notes.append("--baseline-until leaves no time bucket on one side: no emerging slices or decomposition.")
            }
        } else if options.baselineUntil != nil {
            notes.append("--baseline-until was given, but the dump has no time or batch column: it was not used.")
        }
        notes.append(
            "The aggregation ran on \(dialect.rawValue) (table \(source.table)); the association and joint-model "
                + "analyses need the rows and were not run.")

        let overall = Proportions.wilson(successes: total.failures, trials: total.rows)
        let excluded = failure.exclusions.reduce(0) { $0 + $1.rows }
        var analysis = AnalysisResult(
            source: name, task: failure.task.rawValue,
            roles: .init(
                label: labelName, prediction: predictionName, score: roles.score, time: roles.time, batch: roles.batch),
            failureDefinition: failure.summary, rows: total.rows, failures: total.failures,
            failureRate: Double(total.failures) / Double(total.rows), ciLow: overall.low, ciHigh: overall.high,
            excludedRows: excluded, exclusions: failure.exclusions,
            settings: FailureAnalysis.settings(options, rows: total.rows),
            features: sliced.features, hotspots: sliced.hotspots, skipped: skipped, notes: notes,
            slices: search.slices, sliceSearch: search.summary)
        analysis.time = time
        analysis.timeSlices = timeSlices
        return analysis
    }
}

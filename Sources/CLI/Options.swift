import ArgumentParser
import Faultline
import Ingest
import SliceSearch

/// Which columns play which role, and what counts as a failure.
struct RoleOptions: ParsableArguments {
    @Option(help: "The true-label column (default: label, y, target, y_true or actual).")
    var label: String?

    @Option(help: "The prediction column (default: pred, prediction, yhat or y_pred).")
    var pred: String?

    @Option(help: "The score/probability column of the positive class (default: score, proba or probability).")
    var score: String?

    @Option(help: "The time column (default: ts, timestamp, datetime, date or time).")
    var time: String?

    @Option(help: "The batch-id column (default: batch or batch_id).")
    var batch: String?

    @Option(help: "The task: binary, multiclass or regression (default: inferred from the label and prediction).")
    var task: String?

    @Option(
        help: """
            What counts as a failure: misclassified (classification default), abs-error>X, rel-error>X, \
            sq-error>X (regression; default abs-error>p90), log-loss>X, true-class-prob<X (binary, needs a score). \
            X is a number or pNN, the NN-th percentile.
            """)
    var failure: String?

    @Option(help: "Extra missing-value markers for CSV input, comma-separated (pandas' defaults always apply).")
    var naValues: String?

    /// Checks `--task` and `--failure` here, not only in `apply`, so the argument parser prints the usage of the
    /// subcommand (`faultline analyze --help`) rather than of the root command.
    func validate() throws {
        if let task, Task(rawValue: task) == nil {
            throw ValidationError("--task must be binary, multiclass or regression, not '\(task)'")
        }
        if let failure {
            do { _ = try FailureSpec.parse(failure) } catch { throw ValidationError(error.message) }
        }
    }

    func apply(to base: AnalysisOptions) throws -> AnalysisOptions {
        var options = base
        options.label = label
        options.prediction = pred
        options.score = score
        options.time = time
        options.batch = batch
        if let task {
            guard let parsed = Task(rawValue: task) else {
                throw ValidationError("--task must be binary, multiclass or regression, not '\(task)'")
            }
            options.task = parsed
        }
        if let failure {
            do { options.failure = try FailureSpec.parse(failure) } catch { throw ValidationError(error.message) }
        }
        if let naValues { options.missingValues = naValues.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return options
    }
}

/// How columns are sliced and which slices are hotspots.
struct SlicingFlags: ParsableArguments {
    @Option(help: "Numeric binning: quantile (pandas.qcut) or uniform (equal width).")
    var binning: String = "quantile"

    @Option(help: "Bins per numeric column.")
    var bins: Int = 10

    @Option(help: "Numeric columns with at most this many distinct values (0 to 65535) are sliced per value.")
    var categoricalThreshold: Int = 10

    @Option(help: "Categories kept per column; the rarest beyond are merged into (other).")
    var maxCategories: Int = 50

    @Option(help: "Time bucket: hour, day, week or month (default: from the time span).")
    var timeBucket: String?

    @Option(help: "Time buckets starting before T (an ISO-8601 date or time, or a number for an ordering index) are the baseline for emerging slices and the drift decomposition (default: the largest change point).")
    var baselineUntil: String?

    @Option(help: "False discovery rate for hotspots (Benjamini-Hochberg).")
    var fdr: Double = 0.05

    @Option(help: "Minimum lift (slice failure rate / overall rate) for a hotspot.")
    var minLift: Double = 1.2

    @Option(help: "Minimum hotspot size: a row count, or a fraction of rows if below 1 (default: 1% of rows, at least 30).")
    var minSupport: Double?

    func validate() throws {
        guard bins >= 1 && bins <= 1000 else { throw ValidationError("--bins must be between 1 and 1000, not \(bins)") }
        // One slice per value: a column's codes are two bytes, one of them kept for missing rows.
        guard categoricalThreshold >= 0 && categoricalThreshold <= FeatureBinner.maximumValueSlices else {
            let limit = FeatureBinner.maximumValueSlices
            throw ValidationError("--categorical-threshold must be between 0 and \(limit), not \(categoricalThreshold)")
        }
        guard maxCategories >= 1 && maxCategories <= 10_000 else {
            throw ValidationError("--max-categories must be between 1 and 10000")
        }
        guard fdr > 0 && fdr < 1 else { throw ValidationError("--fdr must be between 0 and 1 (exclusive)") }
        guard minLift.isFinite && minLift >= 0 else { throw ValidationError("--min-lift must be a number >= 0") }
        if let minSupport, !(minSupport.isFinite && minSupport > 0) {
            throw ValidationError("--min-support must be a positive count, or a fraction below 1")
        }
        if let baselineUntil { _ = try Self.baseline(baselineUntil) }
        guard BinningMethod(rawValue: binning) != nil else {
            throw ValidationError("--binning must be quantile or uniform, not '\(binning)'")
        }
        if let timeBucket, TimeBucketWidth(rawValue: timeBucket) == nil {
            throw ValidationError("--time-bucket must be hour, day, week or month, not '\(timeBucket)'")
        }
    }

    /// `--baseline-until`: epoch seconds of an ISO-8601 date or time, or a finite number (an ordering index).
    static func baseline(_ text: String) throws -> Double {
        if let seconds = TimestampText.epochSeconds(text) { return seconds }
        if let number = Double(text), number.isFinite { return number }
        throw ValidationError(
            "--baseline-until must be an ISO-8601 date or time (2012-06-01, 2012-06-01T08:00:00Z) or a number, not '\(text)'")
    }

    func apply(to base: AnalysisOptions) throws -> AnalysisOptions {
        var options = base
        guard let method = BinningMethod(rawValue: binning) else {
            throw ValidationError("--binning must be quantile or uniform, not '\(binning)'")
        }
        options.slicing.binning = method
        options.slicing.bins = bins
        options.slicing.categoricalThreshold = categoricalThreshold
        options.slicing.maxCategories = maxCategories
        if let timeBucket {
            guard let width = TimeBucketWidth(rawValue: timeBucket) else {
                throw ValidationError("--time-bucket must be hour, day, week or month, not '\(timeBucket)'")
            }
            options.slicing.timeBucket = width
        }
        if let baselineUntil {
            options.baselineUntil = try Self.baseline(baselineUntil)
        }
        options.slicing.fdr = fdr
        options.slicing.minLift = minLift
        options.slicing.minSupport = minSupport
        return options
    }
}

/// The multi-feature slice search (SliceLine).
struct SliceLineFlags: ParsableArguments {
    @Option(help: "Weight of the error term in the SliceLine score, in (0, 1]; the rest weighs slice size.")
    var alpha: Double = 0.95

    @Option(help: "Most predicates (feature bins) in one slice; 1 searches single bins only.")
    var maxLevel: Int = 3

    @Option(help: "How many multi-feature slices to report (K), best score first.")
    var top: Int = 10

    @Option(help: "The per-row error slices are scored on: failure (0/1) or loss (the failure definition's loss).")
    var sliceError: String = "failure"

    @Flag(help: "Reproduce the sliceline Python package (its pruning quirks, ties kept) instead of the exact search.")
    var slicelineCompat = false

    func validate() throws {
        guard alpha.isFinite && alpha > 0 && alpha <= 1 else {
            throw ValidationError("--alpha must be greater than 0 and at most 1, not \(alpha)")
        }
        guard maxLevel >= 1 && maxLevel <= SliceLineOptions.maximumLevel else {
            throw ValidationError("--max-level must be between 1 and \(SliceLineOptions.maximumLevel), not \(maxLevel)")
        }
        guard top >= 1 && top <= SliceLineOptions.maximumTop else {
            throw ValidationError("--top must be between 1 and \(SliceLineOptions.maximumTop), not \(top)")
        }
        guard SliceErrorKind(rawValue: sliceError) != nil else {
            throw ValidationError("--slice-error must be failure or loss, not '\(sliceError)'")
        }
    }

    func apply(to base: AnalysisOptions) throws -> AnalysisOptions {
        var options = base
        guard let error = SliceErrorKind(rawValue: sliceError) else {
            throw ValidationError("--slice-error must be failure or loss, not '\(sliceError)'")
        }
        options.sliceLine.alpha = alpha
        options.sliceLine.maxLevel = maxLevel
        options.sliceLine.top = top
        options.sliceLine.error = error
        options.sliceLine.referenceCompatible = slicelineCompat
        return options
    }
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "Worker threads (default: the number of cores); from 2, the joint model is fitted on one more beside them.")
    var threads: Int = CommonOptions.defaultThreads

    @Flag(help: "No progress or summary on stderr.")
    var quiet = false

    @Option(help: "Seed for any sampling (results are deterministic for a given seed).")
    var seed: UInt64 = 0

    func validate() throws {
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
    }

    static var defaultThreads: Int { max(1, min(ProcessorCount.online, 64)) }
}

/// Where the aggregation runs when it is pushed down to a SQL engine (docs/sql-pushdown.md).
struct SQLFlags: ParsableArguments {
    @Option(help: "Run the aggregation on a SQL engine of this dialect: duckdb, postgres, spark, trino, bigquery or snowflake.")
    var sqlDialect: String?

    @Option(help: "The table (or view) holding the prediction dump, as the engine names it.")
    var sqlTable: String?

    @Option(help: "A shell command that runs the SQL on its stdin and prints CSV with a header (e.g. 'duckdb -csv db.duckdb', 'psql -X -q --csv -d mydb').")
    var sqlCommand: String?

    @Option(help: "A directory of saved query results: with --sql-command every result is also saved there; without it the analysis finishes from them.")
    var aggregates: String?

    var isPushdown: Bool { sqlDialect != nil || sqlTable != nil || sqlCommand != nil || aggregates != nil }

    func validate() throws {
        guard isPushdown else { return }
        guard let sqlDialect else { throw ValidationError("--sql-table, --sql-command and --aggregates need --sql-dialect") }
        guard SQLDialect(rawValue: sqlDialect.lowercased()) != nil else {
            throw ValidationError(
                "--sql-dialect must be one of \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")), not '\(sqlDialect)'")
        }
        guard let sqlTable, !sqlTable.isEmpty else { throw ValidationError("--sql-dialect needs --sql-table") }
    }

    /// The source; nil when the aggregation is not pushed down.
    func source() -> SQLSource? {
        guard let sqlDialect, let dialect = SQLDialect(rawValue: sqlDialect.lowercased()), let sqlTable else { return nil }
        return SQLSource(dialect: dialect, table: sqlTable)
    }
}

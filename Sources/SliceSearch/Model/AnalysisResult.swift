/// The complete failure analysis of one prediction dump: what every output format renders.
public struct AnalysisResult: Sendable, Equatable {
    /// Bumped when `analysis.json` changes incompatibly.
    public static let schemaVersion = 1

    /// The input as the user named it.
    public var source: String
    /// `binary`, `multiclass` or `regression`.
    public var task: String
    public var roles: Roles
    public var failureDefinition: FailureSummary
    /// Rows analysed (after exclusions), their failures and the overall rate with its Wilson interval.
    public var rows: Int
    public var failures: Int
    public var failureRate: Double
    public var ciLow: Double
    public var ciHigh: Double
    /// Rows left out, in total and by reason.
    public var excludedRows: Int
    public var exclusions: [Exclusion]
    public var settings: Settings
    public var features: [FeatureSlices]
    public var hotspots: [Hotspot]
    public var skipped: [SkippedColumn]
    /// Plain-language remarks on what could not be analysed or looks odd.
    public var notes: [String]
    /// The multi-feature slices (SliceLine's top-K by score) with their statistics.
    public var slices: [SliceFinding]
    /// How the multi-feature search ran; `nil` when it did not run.
    public var sliceSearch: SliceSearchSummary?
    /// When failures happen: the time (or batch) analysis; `nil` without a time or batch column.
    public var time: TimeAnalysisResult?
    /// The hotspots and top slices followed over the time buckets of ``time``.
    public var timeSlices: [SliceTimeSeries] = []
    /// Which features go with errors, one entry per feature, strongest first.
    public var associations: [FeatureAssociation] = []
    /// The failure rate over the bins of the strongest pair of features (the heatmap); nil when no pair stands out.
    public var pair: PairGrid?
    /// The joint model's odds ratios; `nil` when there is nothing to model (no failures, or only failures).
    public var model: JointModelResult?

    public init(
        source: String, task: String, roles: Roles, failureDefinition: FailureSummary, rows: Int, failures: Int,
        failureRate: Double, ciLow: Double, ciHigh: Double, excludedRows: Int, exclusions: [Exclusion],
        settings: Settings, features: [FeatureSlices], hotspots: [Hotspot], skipped: [SkippedColumn], notes: [String],
        slices: [SliceFinding] = [], sliceSearch: SliceSearchSummary? = nil
    ) {
        self.source = source
        self.task = task
        self.roles = roles
        self.failureDefinition = failureDefinition
        self.rows = rows
        self.failures = failures
        self.failureRate = failureRate
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.excludedRows = excludedRows
        self.exclusions = exclusions
        self.settings = settings
        self.features = features
        self.hotspots = hotspots
        self.skipped = skipped
        self.notes = notes
        self.slices = slices
        self.sliceSearch = sliceSearch
    }

    /// The columns playing each role.
    public struct Roles: Sendable, Equatable {
        public var label: String
        public var prediction: String
        public var score: String?
        public var time: String?
        public var batch: String?

        public init(label: String, prediction: String, score: String?, time: String?, batch: String?) {
            self.label = label
            self.prediction = prediction
            self.score = score
            self.time = time
            self.batch = batch
        }
    }

    /// What counts as a failure.
    public struct FailureSummary: Sendable, Equatable {
        /// The spec as parsed, e.g. `misclassified`, `abs-error>p90`.
        public var spec: String
        /// In words, with the threshold resolved: "absolute error > 103.0286 (90th percentile)".
        public var description: String
        /// The resolved numeric threshold, when the spec has one.
        public var threshold: Double?
        /// For binary tasks, the class treated as positive.
        public var positiveClass: String?

        public init(spec: String, description: String, threshold: Double?, positiveClass: String?) {
            self.spec = spec
            self.description = description
            self.threshold = threshold
            self.positiveClass = positiveClass
        }
    }

    /// Rows excluded for one reason.
    public struct Exclusion: Sendable, Equatable {
        public var reason: String
        public var rows: Int

        public init(reason: String, rows: Int) {
            self.reason = reason
            self.rows = rows
        }
    }

    /// The settings that shaped the result.
    public struct Settings: Sendable, Equatable {
        public var binning: String
        public var bins: Int
        public var categoricalThreshold: Int
        public var maxCategories: Int
        public var fdr: Double
        public var minLift: Double
        public var minSupport: Int

        public init(
            binning: String, bins: Int, categoricalThreshold: Int, maxCategories: Int, fdr: Double, minLift: Double,
            minSupport: Int
        ) {
            self.binning = binning
            self.bins = bins
            self.categoricalThreshold = categoricalThreshold
            self.maxCategories = maxCategories
            self.fdr = fdr
            self.minLift = minLift
            self.minSupport = minSupport
        }
    }
}

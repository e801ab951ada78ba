import SliceSearch

/// The task a model performs.
public enum Task: String, Sendable, Equatable, CaseIterable {
    case binary, multiclass, regression
}

/// Everything that shapes an analysis besides the data.
public struct AnalysisOptions: Sendable {
    /// Role columns; `nil` means detect by conventional names.
    public var label: String?
    public var prediction: String?
    public var score: String?
    public var time: String?
    public var batch: String?
    /// `nil` infers the task from the label and prediction columns.
    public var task: Task?
    /// `nil` uses `misclassified` for classification and `abs-error>p90` for regression.
    public var failure: FailureSpec?
    /// Extra missing-value markers for CSV input (`--na-values`).
    public var missingValues: [String] = []
    public var slicing = SlicingOptions()
    /// The multi-feature slice search (`--alpha`, `--max-level`, `--top`, `--slice-error`, `--sliceline-compat`).
    public var sliceLine = SliceLineOptions()
    /// `--baseline-until T`: time buckets starting before T (epoch seconds for timestamps, the value for a numeric
    /// ordering index) are the baseline for emerging slices and the drift decomposition; nil uses the largest change
    /// point.
    public var baselineUntil: Double?
    /// Reported for reproducibility; the 1-D analysis draws no random numbers.
    public var seed: UInt64 = 0
    /// With `--max-level 1`, whether each column's 1-D counts are taken as it is binned and a feature's codes let go
    /// after (``FailureAnalysis``); off, every code is kept and counted after the binning. The results are the same
    /// to the byte: tests compare the two.
    var countsWhileBinning = true

    public init() {}

    public var threads: Int {
        get { slicing.threads }
        set { slicing.threads = newValue }
    }
}

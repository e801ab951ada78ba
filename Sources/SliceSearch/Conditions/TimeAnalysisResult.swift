import ColumnStore

/// A position on the time axis: a timestamp, a number on an ordering index, or a batch label.
public enum TimePosition: Sendable, Equatable, Hashable {
    /// Epoch seconds (UTC), from a timestamp column's calendar buckets.
    case timestamp(Int64)
    /// A number on a numeric ordering column (row number, step, numeric batch id).
    case index(Double)
    /// A batch label without a numeric order.
    case label(String)

    /// ISO-8601 (`2012-01-02T00:00:00Z` style, as ``BinIdentity`` labels) for timestamps, the shortest round-trip
    /// decimal for numbers, the label itself for labels.
    public var text: String {
        switch self {
        case .timestamp(let seconds): return TimeText.iso8601(seconds: seconds)
        case .index(let value): return NumberFormat.shortest(value)
        case .label(let label): return label
        }
    }
}

/// The time or batch analysis of one column (`analysis.json` → `time`).
///
/// Buckets are the column's non-missing bins in code order (calendar buckets, quantile/uniform intervals of an index,
/// or batch values). See ``TimeAnalysis`` for every test and definition.
public struct TimeAnalysisResult: Sendable, Equatable {
    /// How bucket positions are expressed.
    public enum Axis: String, Sendable, Equatable {
        /// Calendar buckets of a timestamp column: positions are ``TimePosition/timestamp(_:)``.
        case timestamp
        /// A numeric ordering (row number, numeric batch id): positions are ``TimePosition/index(_:)``.
        case index
        /// Unordered labels (text batch ids): positions are ``TimePosition/label(_:)``; only homogeneity is tested.
        case label
    }

    /// The column analysed.
    public var column: String
    /// Its role: `.time` or `.batch` (or whatever kind the caller passed).
    public var kind: FeatureKind
    /// How positions are expressed.
    public var axis: Axis
    /// The bucket width (`hour`, `day`, `week`, `month`), the numeric binning (`quantile`, `uniform`), or `value` for
    /// one bucket per distinct value.
    public var bucket: String
    /// Whether buckets have a meaningful order (timestamps and numbers); trend, change points and the before/after
    /// split need it.
    public var ordered: Bool
    /// Rows with a time value (the rows analysed here).
    public var rows: Int
    /// Rows whose time value is missing (left out of this analysis).
    public var missingRows: Int
    /// One entry per bucket, in order.
    public var buckets: [TimeBucketStatistics]
    /// The tests of time dependence, with corrected p-values.
    public var tests: [TimeTest]
    /// The family-wise level α the verdict uses.
    public var level: Double
    /// The multiple-testing correction over ``tests``: `holm`.
    public var correction: String
    /// Whether any test rejects "the failure rate does not depend on time" at ``level`` after the correction.
    public var timeDependent: Bool
    /// The accepted change points, in time order (empty unless ``timeDependent``).
    public var changePoints: [TimeChangePoint]
    /// The segments between change points (one segment, all buckets, when there is none).
    public var segments: [TimeSegment]
    /// The before/after split for emerging slices and the decomposition: `--baseline-until` or the largest change
    /// point; nil when there is neither.
    public var split: TimeSplit?
    /// Slices whose failure rate rose significantly from before to after the split, most significant first.
    public var emerging: [EmergingSlice]
    /// Per feature, the change in the overall failure rate split into mix and rate parts, largest mix first.
    public var decomposition: [RateDecomposition]

    /// Creates a result (``TimeAnalysis/analyze(time:outcomes:features:options:)`` is the usual way).
    public init(
        column: String, kind: FeatureKind, axis: Axis, bucket: String, ordered: Bool, rows: Int, missingRows: Int,
        buckets: [TimeBucketStatistics], tests: [TimeTest], level: Double, correction: String, timeDependent: Bool,
        changePoints: [TimeChangePoint], segments: [TimeSegment], split: TimeSplit?, emerging: [EmergingSlice],
        decomposition: [RateDecomposition]
    ) {
        self.column = column
        self.kind = kind
        self.axis = axis
        self.bucket = bucket
        self.ordered = ordered
        self.rows = rows
        self.missingRows = missingRows
        self.buckets = buckets
        self.tests = tests
        self.level = level
        self.correction = correction
        self.timeDependent = timeDependent
        self.changePoints = changePoints
        self.segments = segments
        self.split = split
        self.emerging = emerging
        self.decomposition = decomposition
    }

    /// The tests that reject at ``level`` after correction (the evidence for ``timeDependent``).
    public var evidence: [TimeTest] { tests.filter(\.significant) }
}

/// One time bucket with its failure rate.
public struct TimeBucketStatistics: Sendable, Equatable {
    /// The bin code in the time column's ``BinnedFeature``.
    public var code: Int
    /// The bin identity (`timeBucket`, `interval` or `value`).
    public var identity: BinIdentity
    /// Where the bucket starts: the calendar bucket's start, the interval's lower edge, or the value.
    public var start: TimePosition
    /// Where it ends: the next bucket's start (exclusive) for timestamps, the upper edge for intervals, the value
    /// itself for values.
    public var end: TimePosition
    /// Rows, failures, rate and Wilson interval (NaN rate for an empty bucket).
    public var statistics: RateEstimate

    /// Creates a bucket.
    public init(code: Int, identity: BinIdentity, start: TimePosition, end: TimePosition, statistics: RateEstimate) {
        self.code = code
        self.identity = identity
        self.start = start
        self.end = end
        self.statistics = statistics
    }
}

/// One test of time dependence.
public struct TimeTest: Sendable, Equatable {
    /// Which test.
    public enum Name: String, Sendable, Equatable {
        /// Pearson's chi-square test that all buckets share one rate.
        case homogeneity = "chi_square_homogeneity"
        /// The Cochran–Armitage test for a linear trend over bucket order.
        case trend = "cochran_armitage"
        /// The likelihood-ratio test of the best single change point, Bonferroni-corrected over positions.
        case changePoint = "change_point"
    }

    /// Which test.
    public var name: Name
    /// The statistic: X² (homogeneity), z (trend), G² (change point).
    public var statistic: Double
    /// X²'s degrees of freedom (homogeneity only).
    public var degreesOfFreedom: Int?
    /// The test's own p-value (for the change point already Bonferroni-corrected over the candidate positions).
    public var pValue: Double
    /// The Holm-adjusted p-value within ``TimeAnalysisResult/tests``.
    public var adjustedPValue: Double
    /// `adjustedPValue < level`.
    public var significant: Bool
    /// A short account of what was tested, e.g. "20 buckets merged into 14 groups with expected counts >= 5".
    public var detail: String

    /// Creates a test entry.
    public init(
        name: Name, statistic: Double, degreesOfFreedom: Int?, pValue: Double, adjustedPValue: Double,
        significant: Bool, detail: String
    ) {
        self.name = name
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        self.pValue = pValue
        self.adjustedPValue = adjustedPValue
        self.significant = significant
        self.detail = detail
    }
}

/// An accepted change point: the failure rate shifts at the start of bucket ``bucketIndex``.
public struct TimeChangePoint: Sendable, Equatable {
    /// The first bucket after the change (an index into ``TimeAnalysisResult/buckets``).
    public var bucketIndex: Int
    /// That bucket's start.
    public var at: TimePosition
    /// The likelihood-ratio statistic G² of the split within its parent segment.
    public var statistic: Double
    /// Its Bonferroni-corrected p-value over the candidate positions of that segment.
    public var pValue: Double
    /// The acceptance order in binary segmentation (0 = the largest change).
    public var rank: Int
    /// The segment just before (from the previous change point).
    public var before: RateEstimate
    /// The segment just after (to the next change point).
    public var after: RateEstimate

    /// Creates a change point.
    public init(
        bucketIndex: Int, at: TimePosition, statistic: Double, pValue: Double, rank: Int, before: RateEstimate,
        after: RateEstimate
    ) {
        self.bucketIndex = bucketIndex
        self.at = at
        self.statistic = statistic
        self.pValue = pValue
        self.rank = rank
        self.before = before
        self.after = after
    }
}

/// The buckets between two change points.
public struct TimeSegment: Sendable, Equatable {
    /// The first bucket (index into ``TimeAnalysisResult/buckets``).
    public var firstBucket: Int
    /// The last bucket, inclusive.
    public var lastBucket: Int
    /// The first bucket's start.
    public var start: TimePosition
    /// The last bucket's end.
    public var end: TimePosition
    /// The segment's rate.
    public var statistics: RateEstimate

    /// Creates a segment.
    public init(firstBucket: Int, lastBucket: Int, start: TimePosition, end: TimePosition, statistics: RateEstimate) {
        self.firstBucket = firstBucket
        self.lastBucket = lastBucket
        self.start = start
        self.end = end
        self.statistics = statistics
    }
}

/// The before/after split that emerging slices and the decomposition compare.
public struct TimeSplit: Sendable, Equatable {
    /// Where the split comes from.
    public enum Source: String, Sendable, Equatable {
        /// `--baseline-until T`: buckets starting before T are the baseline.
        case baseline
        /// The largest accepted change point (rank 0).
        case changePoint = "change_point"
    }

    /// Where the split comes from.
    public var source: Source
    /// The first bucket of the "after" period.
    public var bucketIndex: Int
    /// That bucket's start.
    public var at: TimePosition
    /// Every row before the split.
    public var before: RateEstimate
    /// Every row from the split on.
    public var after: RateEstimate

    /// Creates a split.
    public init(source: Source, bucketIndex: Int, at: TimePosition, before: RateEstimate, after: RateEstimate) {
        self.source = source
        self.bucketIndex = bucketIndex
        self.at = at
        self.before = before
        self.after = after
    }

    /// `after.rate - before.rate`.
    public var change: Double { after.rate - before.rate }
}

/// A slice whose failure rate rose significantly from before to after the split.
public struct EmergingSlice: Sendable, Equatable {
    /// The feature.
    public var feature: String
    /// Its kind.
    public var kind: FeatureKind
    /// The bin code.
    public var code: Int
    /// The bin.
    public var identity: BinIdentity
    /// The slice before the split.
    public var before: RateEstimate
    /// The slice after the split.
    public var after: RateEstimate
    /// The two-sided p-value of after against before (Fisher's exact test or the pooled z-test, by the usual rule).
    public var pValue: Double
    /// The Benjamini–Hochberg q-value over every bin tested.
    public var qValue: Double
    /// The test used.
    public var test: SignificanceTest

    /// Creates an entry.
    public init(
        feature: String, kind: FeatureKind, code: Int, identity: BinIdentity, before: RateEstimate,
        after: RateEstimate, pValue: Double, qValue: Double, test: SignificanceTest
    ) {
        self.feature = feature
        self.kind = kind
        self.code = code
        self.identity = identity
        self.before = before
        self.after = after
        self.pValue = pValue
        self.qValue = qValue
        self.test = test
    }

    /// `after.rate - before.rate` (> 0).
    public var change: Double { after.rate - before.rate }
}

/// The change in the overall failure rate between the two periods, split for one feature into a mix part (its bins'
/// shares changed) and a rate part (failure rates inside its bins changed); `mix + rate == total` up to rounding.
public struct RateDecomposition: Sendable, Equatable {
    /// One bin's contribution.
    public struct Bin: Sendable, Equatable {
        /// The bin code.
        public var code: Int
        /// The bin.
        public var identity: BinIdentity
        /// The bin's share of the rows before (`n₁ⱼ / N₁`).
        public var shareBefore: Double
        /// The bin's share after.
        public var shareAfter: Double
        /// The bin's failure rate before (NaN when empty then).
        public var rateBefore: Double
        /// The bin's failure rate after (NaN when empty then).
        public var rateAfter: Double
        /// `(s₂ - s₁)(r₁ + r₂)/2`.
        public var mix: Double
        /// `(r₂ - r₁)(s₁ + s₂)/2`.
        public var rate: Double

        /// Creates a bin contribution.
        public init(
            code: Int, identity: BinIdentity, shareBefore: Double, shareAfter: Double, rateBefore: Double,
            rateAfter: Double, mix: Double, rate: Double
        ) {
            self.code = code
            self.identity = identity
            self.shareBefore = shareBefore
            self.shareAfter = shareAfter
            self.rateBefore = rateBefore
            self.rateAfter = rateAfter
            self.mix = mix
            self.rate = rate
        }
    }

    /// The feature.
    public var feature: String
    /// Its kind.
    public var kind: FeatureKind
    /// The overall rate before.
    public var before: Double
    /// The overall rate after.
    public var after: Double
    /// `after - before`.
    public var total: Double
    /// Σ of the bins' mix parts: the change explained by the feature's bins changing shares.
    public var mix: Double
    /// Σ of the bins' rate parts: the change explained by failure rates changing within bins.
    public var rate: Double
    /// Per bin, in code order.
    public var bins: [Bin]

    /// Creates a decomposition.
    public init(
        feature: String, kind: FeatureKind, before: Double, after: Double, total: Double, mix: Double, rate: Double,
        bins: [Bin]
    ) {
        self.feature = feature
        self.kind = kind
        self.before = before
        self.after = after
        self.total = total
        self.mix = mix
        self.rate = rate
        self.bins = bins
    }
}

/// A slice to follow over time: a feature and one of its bins.
public struct SliceReference: Sendable, Equatable, Hashable {
    /// The feature's name.
    public var feature: String
    /// The bin.
    public var identity: BinIdentity

    /// Creates a reference.
    public init(feature: String, identity: BinIdentity) {
        self.feature = feature
        self.identity = identity
    }
}

/// A slice's failure rate per time bucket and per segment.
public struct SliceTimeSeries: Sendable, Equatable {
    /// The slice: a conjunction of bins (one for a 1-D slice).
    public var slice: [SliceReference]
    /// Per bucket, aligned with ``TimeAnalysisResult/buckets``.
    public var buckets: [RateEstimate]
    /// Per segment, aligned with ``TimeAnalysisResult/segments``.
    public var segments: [RateEstimate]
    /// Before and after ``TimeAnalysisResult/split``, when there is one.
    public var before: RateEstimate?
    /// After the split.
    public var after: RateEstimate?

    /// Creates a series.
    public init(
        slice: [SliceReference], buckets: [RateEstimate], segments: [RateEstimate], before: RateEstimate?,
        after: RateEstimate?
    ) {
        self.slice = slice
        self.buckets = buckets
        self.segments = segments
        self.before = before
        self.after = after
    }
}

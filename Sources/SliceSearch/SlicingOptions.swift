/// How columns are cut into 1-D slices and which slices count as hotspots.
public struct SlicingOptions: Sendable, Equatable {
    /// Numeric binning method (`--binning`).
    public var binning: BinningMethod = .quantile
    /// Bins per numeric column (`--bins`).
    public var bins: Int = 10
    /// Numeric columns with at most this many distinct values are categorical (`--categorical-threshold`); past
    /// ``FeatureBinner/maximumValueSlices`` it counts as that (the codes are two bytes).
    public var categoricalThreshold: Int = 10
    /// Categories kept per column; the rarest beyond are merged into `(other)` (`--max-categories`); past
    /// ``FeatureBinner/maximumValueSlices`` − 1 it counts as that, as does `maxBatches`.
    public var maxCategories: Int = 50
    /// Batch ids kept before merging into `(other)`.
    public var maxBatches: Int = 1000
    /// Time bucket width; `nil` picks one from the span (`--time-bucket`).
    public var timeBucket: TimeBucketWidth? = nil
    /// Hotspot criteria: q-value below `fdr`, lift at least `minLift`, at least `minSupport` rows.
    public var fdr: Double = 0.05
    public var minLift: Double = 1.2
    /// A row count, or a fraction of the rows when below 1 (`--min-support`); `nil` means 1% of rows, at least 30.
    public var minSupport: Double? = nil
    /// Worker threads.
    public var threads: Int = 2

    public init() {}

    /// The minimum slice size in rows for a dump of `rows` rows.
    public func minimumSupport(rows: Int) -> Int {
        guard let minSupport else { return max(30, Int((Double(rows) * 0.01).rounded(.up))) }
        if minSupport < 1 { return max(1, Int((Double(rows) * minSupport).rounded(.up))) }
        return Int(minSupport.rounded(.up))
    }
}

/// The width of a time bucket.
public enum TimeBucketWidth: String, Sendable, Equatable, CaseIterable {
    case hour, day, week, month

    /// The width chosen for a span of `seconds`: hours up to 3 days, days up to 120 days, weeks up to 3 years, else months.
    public static func automatic(spanSeconds seconds: Int64) -> TimeBucketWidth {
        let day: Int64 = 86_400
        if seconds <= 3 * day { return .hour }
        if seconds <= 120 * day { return .day }
        if seconds <= 3 * 366 * day { return .week }
        return .month
    }
}

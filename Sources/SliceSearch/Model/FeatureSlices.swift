/// What a sliced column plays in the analysis.
public enum FeatureKind: String, Sendable, Equatable {
    case numeric, categorical, time, batch, label, prediction
}

/// How a numeric column was cut into bins.
public enum BinningMethod: String, Sendable, Equatable {
    case quantile, uniform
}

/// One bin (slice) of a feature with its statistics.
public struct FeatureBin: Sendable, Equatable {
    public var identity: BinIdentity
    public var statistics: SliceStatistics

    public init(identity: BinIdentity, statistics: SliceStatistics) {
        self.identity = identity
        self.statistics = statistics
    }
}

/// The 1-D slices of one column.
public struct FeatureSlices: Sendable, Equatable {
    public var name: String
    public var kind: FeatureKind
    /// The column's storage type (`float64`, `string`, ...).
    public var columnType: String
    /// For binned numeric columns: the method and the edges used.
    public var binning: BinningMethod?
    public var edges: [Double]?
    /// For time columns: the bucket width (`hour`, `day`, `week`, `month`).
    public var timeBucket: String?
    public var bins: [FeatureBin]

    public init(
        name: String, kind: FeatureKind, columnType: String, binning: BinningMethod?, edges: [Double]?,
        timeBucket: String?, bins: [FeatureBin]
    ) {
        self.name = name
        self.kind = kind
        self.columnType = columnType
        self.binning = binning
        self.edges = edges
        self.timeBucket = timeBucket
        self.bins = bins
    }
}

/// A slice that passes every hotspot criterion (q-value, lift, support).
public struct Hotspot: Sendable, Equatable {
    public var feature: String
    public var kind: FeatureKind
    public var identity: BinIdentity
    public var statistics: SliceStatistics

    public init(feature: String, kind: FeatureKind, identity: BinIdentity, statistics: SliceStatistics) {
        self.feature = feature
        self.kind = kind
        self.identity = identity
        self.statistics = statistics
    }
}

/// A column left out of the analysis, and why.
public struct SkippedColumn: Sendable, Equatable {
    public var name: String
    public var reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }
}

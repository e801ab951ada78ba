import ColumnStore

/// A column cut into slices: one code per analysed row, and the identity of each code.
public struct BinnedFeature: Sendable {
    public var name: String
    public var kind: FeatureKind
    public var columnType: String
    public var binning: BinningMethod?
    public var edges: [Double]?
    public var timeBucket: TimeBucketWidth?
    /// `identities[code]` describes the rows with that code.
    public var identities: [BinIdentity]
    /// One code per analysed row.
    public var codes: [UInt16]

    public init(
        name: String, kind: FeatureKind, columnType: String, binning: BinningMethod? = nil, edges: [Double]? = nil,
        timeBucket: TimeBucketWidth? = nil, identities: [BinIdentity], codes: [UInt16]
    ) {
        precondition(identities.count <= Int(UInt16.max) + 1, "too many bins")
        self.name = name
        self.kind = kind
        self.columnType = columnType
        self.binning = binning
        self.edges = edges
        self.timeBucket = timeBucket
        self.identities = identities
        self.codes = codes
    }
}

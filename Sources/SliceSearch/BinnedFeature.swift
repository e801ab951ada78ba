import ColumnStore
import Kernels

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
    /// One code per analysed row: one byte each when the bins and the missing-value code fit in one (at most 255
    /// bins), as the binner writes them.
    public var codes: BinCodes
    /// The point-biserial correlation and ROC AUC of a numeric feature's raw values, when the binner was given the
    /// failures: they come from the same value counts as its quantile edges (nil: measured later, if at all).
    public var rawValueMeasures: FeatureAssociation.Numeric?
    /// How to write the codes again from the column (of its kept rows, compacted, when rows are left out:
    /// ``Kernels/CodeRecipe/compacted(to:)``); nil when the binner has none: what ``letCodesGo()`` needs.
    public var recipe: CodeRecipe?

    /// Lets the kept codes go, when there is a ``recipe``: the codes are then written again from the column wherever
    /// they are read (``Kernels/BinCodes/init(remadeBy:)``), and the column's memory is the mapped file's alone.
    /// The codes of each list in `keepingRows` are gathered first and kept, for a later
    /// ``Kernels/BinCodes/gathered(_:)`` of that list (the joint model's sample). Returns whether they were let go.
    /// - Parameter gathered: the codes of `keepingRows`, when the caller has them already (picked from the blocks
    ///   of codes as they were counted, ``OneDimensionalSlicing/count(_:outcomes:axis:threads:gathering:)``).
    @discardableResult
    public mutating func letCodesGo(keepingRows: [[Int]] = [], gathered: [BinCodes]? = nil) -> Bool {
        guard let recipe else { return false }
        precondition(recipe.count == codes.count && recipe.isNarrow == codes.isNarrow, "a recipe of other codes")
        if let gathered { precondition(gathered.count == keepingRows.count, "codes for each list of rows") }
        let gathered = gathered ?? keepingRows.map { codes.gathered($0) }
        codes = BinCodes(remadeBy: keepingRows.isEmpty ? recipe : recipe.remembering(keepingRows, codes: gathered))
        return true
    }

    public init(
        name: String, kind: FeatureKind, columnType: String, binning: BinningMethod? = nil, edges: [Double]? = nil,
        timeBucket: TimeBucketWidth? = nil, identities: [BinIdentity], codes: BinCodes
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

    /// A feature from two-byte codes, stored at one byte when every code is below 256.
    public init(
        name: String, kind: FeatureKind, columnType: String, binning: BinningMethod? = nil, edges: [Double]? = nil,
        timeBucket: TimeBucketWidth? = nil, identities: [BinIdentity], codes: [UInt16]
    ) {
        self.init(
            name: name, kind: kind, columnType: columnType, binning: binning, edges: edges, timeBucket: timeBucket,
            identities: identities, codes: BinCodes(codes, codeCount: Int(codes.max() ?? 0) + 1))
    }
}

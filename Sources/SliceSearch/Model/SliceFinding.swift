/// One predicate of a multi-feature slice: a feature equals one of its bins (the bin as in `features[].bins[]`).
public struct SlicePredicate: Sendable, Equatable, Hashable {
    public var feature: String
    public var kind: FeatureKind
    public var identity: BinIdentity

    public init(feature: String, kind: FeatureKind, identity: BinIdentity) {
        self.feature = feature
        self.kind = kind
        self.identity = identity
    }

    /// `feature = label`, e.g. `relationship = Husband`, `age = (37, 41]`.
    public var text: String { feature + " = " + identity.label }
}

/// The parent a slice is explained by: the worst of its parents (one predicate fewer), when the slice does not
/// fail significantly more often than the rest of that parent (q >= `--fdr` over the family of such tests).
public struct SliceParent: Sendable, Equatable {
    public var predicates: [SlicePredicate]
    /// The parent's size, failures and failure rate.
    public var n: Int
    public var failures: Int
    public var failureRate: Double
    /// The one-sided p-value of "the slice fails more often than the parent's other rows": the two-sided test's
    /// (Fisher or z, as for 1-D slices) when the slice's rate is the higher, else 1.
    public var pValue: Double
    /// Its Benjamini-Hochberg q-value over every evaluated slice of two or more predicates, each against its worst
    /// parent.
    public var qValue: Double

    public init(
        predicates: [SlicePredicate], n: Int, failures: Int, failureRate: Double, pValue: Double, qValue: Double
    ) {
        self.predicates = predicates
        self.n = n
        self.failures = failures
        self.failureRate = failureRate
        self.pValue = pValue
        self.qValue = qValue
    }
}

/// One slice of the multi-feature search (SliceLine), with its honest statistics.
public struct SliceFinding: Sendable, Equatable {
    /// 1-based position in the ranking (by score).
    public var rank: Int
    /// The number of predicates.
    public var level: Int
    /// The conjunction, in feature order: the shortest description of the slice's rows.
    public var predicates: [SlicePredicate]
    /// SliceLine's score with the configured `alpha` and error.
    public var score: Double
    /// The sum and the largest value of the scored per-row error over the slice (failures and 0/1 for
    /// `--slice-error failure`).
    public var errorSum: Double
    public var errorMax: Double
    /// Size, failures, failure rate with its Wilson interval, lift, the test against the complement and the
    /// Benjamini-Hochberg q-value over the whole search lattice (``SliceSearchSummary/familySize``).
    public var statistics: SliceStatistics
    /// Other conjunctions of at most `max-level` predicates that cover exactly the same rows.
    public var equivalents: [[SlicePredicate]]
    /// The worst parent, when this slice is not significantly worse than it; `nil` for single predicates and for
    /// slices that are significantly worse than every parent.
    public var explainedBy: SliceParent?

    public init(
        rank: Int, level: Int, predicates: [SlicePredicate], score: Double, errorSum: Double, errorMax: Double,
        statistics: SliceStatistics, equivalents: [[SlicePredicate]], explainedBy: SliceParent?
    ) {
        self.rank = rank
        self.level = level
        self.predicates = predicates
        self.score = score
        self.errorSum = errorSum
        self.errorMax = errorMax
        self.statistics = statistics
        self.equivalents = equivalents
        self.explainedBy = explainedBy
    }

    /// The conjunction in words: `a = x and b = y`.
    public var description: String { predicates.map(\.text).joined(separator: " and ") }
}

/// How the multi-feature search ran and what it covered.
public struct SliceSearchSummary: Sendable, Equatable {
    public var alpha: Double
    public var maxLevel: Int
    public var top: Int
    /// `failure` or `loss`.
    public var error: SliceErrorKind
    public var referenceCompatible: Bool
    /// σ in rows (the resolved minimum support).
    public var minimumSupport: Int
    /// The columns searched (numeric and categorical features), in order.
    public var features: [String]
    /// The number of slices evaluated at any level.
    public var evaluated: Int
    /// The Benjamini-Hochberg family of `slices[].q_value`: every conjunction of at most `maxLevel` bins of distinct
    /// searched features (unevaluated ones count as p = 1).
    public var familySize: Double = 0
    /// Per level: candidates whose parents all survived, those left by the bounds from their parents, and those
    /// whose rows were counted.
    public var levels: [Level]
    /// The mean scored error ē over the analysed rows.
    public var meanError: Double

    public struct Level: Sendable, Equatable {
        public var level: Int
        public var candidates: Int
        public var bounded: Int
        public var evaluated: Int

        public init(level: Int, candidates: Int, bounded: Int, evaluated: Int) {
            self.level = level
            self.candidates = candidates
            self.bounded = bounded
            self.evaluated = evaluated
        }
    }

    public init(
        alpha: Double, maxLevel: Int, top: Int, error: SliceErrorKind, referenceCompatible: Bool,
        minimumSupport: Int, features: [String], evaluated: Int, levels: [Level], meanError: Double
    ) {
        self.alpha = alpha
        self.maxLevel = maxLevel
        self.top = top
        self.error = error
        self.referenceCompatible = referenceCompatible
        self.minimumSupport = minimumSupport
        self.features = features
        self.evaluated = evaluated
        self.levels = levels
        self.meanError = meanError
    }
}

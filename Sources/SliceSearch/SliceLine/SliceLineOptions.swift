/// The per-row error that SliceLine scores slices on (`--slice-error`).
public enum SliceErrorKind: String, Sendable, Equatable, CaseIterable {
    /// The 0/1 failure indicator (the default).
    case failure
    /// The continuous loss of the failure definition (for example the absolute error, or the log loss); the 0/1
    /// indicator when the definition has no continuous loss (`misclassified`).
    case loss
}

/// How the multi-feature slice search (SliceLine) runs: `--alpha`, `--max-level`, `--top`, `--slice-error`,
/// `--sliceline-compat`. The minimum slice size is the hotspot minimum support (`SlicingOptions.minimumSupport`).
public struct SliceLineOptions: Sendable, Equatable {
    /// The weight of the error term in the score, in (0, 1] (`--alpha`).
    public var alpha: Double = 0.95
    /// The most predicates in one slice (`--max-level`); 1 searches single bins only.
    public var maxLevel: Int = 3
    /// How many slices to report (`--top`, K).
    public var top: Int = 10
    /// The per-row error the score uses (`--slice-error`).
    public var error: SliceErrorKind = .failure
    /// Reproduce the reference implementation (the `sliceline` Python package) instead of the exact search
    /// (`--sliceline-compat`): its upper bound over one-hot columns, pruning against a top-K that is not yet full,
    /// bounds from the first two parents only, and every slice tied with the K-th kept.
    public var referenceCompatible: Bool = false

    public init() {}

    /// The largest `--top` accepted.
    public static let maximumTop = 1000
    /// The largest `--max-level` accepted.
    public static let maximumLevel = 32
}

/// Sufficient statistics of one group of rows: everything the statistics and the search need,
/// so later stages never touch rows (and SQL engines can produce the same table).
public struct GroupStats: Sendable, Equatable {
    public var rows: Int = 0
    public var failures: Int = 0
    /// Σ loss, Σ loss², max loss over the group (the loss of the failure definition).
    public var lossSum: Double = 0
    public var lossSquaredSum: Double = 0
    public var lossMax: Double = 0
    /// Σ |e|, Σ e², Σ e for the signed error e = prediction − label (regression).
    public var absoluteErrorSum: Double = 0
    public var squaredErrorSum: Double = 0
    public var signedErrorSum: Double = 0
    /// Confusion counts indexed by `ConfusionCell.rawValue` (binary classification).
    public var confusion: SIMD4<Int> = .zero

    public init() {}

    /// Adds another group's statistics (a fixed order of merges keeps floating sums reproducible).
    public mutating func merge(_ other: GroupStats) {
        rows += other.rows
        failures += other.failures
        lossSum += other.lossSum
        lossSquaredSum += other.lossSquaredSum
        lossMax = max(lossMax, other.lossMax)
        absoluteErrorSum += other.absoluteErrorSum
        squaredErrorSum += other.squaredErrorSum
        signedErrorSum += other.signedErrorSum
        confusion &+= other.confusion
    }

    /// The statistics of the rows not in this group, given the totals.
    public func complement(in total: GroupStats) -> GroupStats {
        var rest = GroupStats()
        rest.rows = total.rows - rows
        rest.failures = total.failures - failures
        rest.lossSum = total.lossSum - lossSum
        rest.lossSquaredSum = total.lossSquaredSum - lossSquaredSum
        rest.absoluteErrorSum = total.absoluteErrorSum - absoluteErrorSum
        rest.squaredErrorSum = total.squaredErrorSum - squaredErrorSum
        rest.signedErrorSum = total.signedErrorSum - signedErrorSum
        rest.confusion = total.confusion &- confusion
        return rest
    }
}

/// Per-row outcomes that the group-by kernels aggregate: the failure indicator, the loss the failure
/// definition uses, and (for regression) the signed error, or (for binary classification) the confusion cell.
public struct RowOutcomes: Sendable {
    /// 1 where the row is a failure, else 0.
    public let failure: [UInt8]
    /// The per-row loss; `nil` when the loss is the 0/1 failure indicator itself.
    public let loss: [Double]?
    /// `prediction - label` per row (regression only).
    public let signedError: [Double]?
    /// The confusion cell per row (binary classification only): see `ConfusionCell`.
    public let confusion: [UInt8]?

    /// - Precondition: every array given has the same length as `failure`.
    public init(failure: [UInt8], loss: [Double]?, signedError: [Double]?, confusion: [UInt8]?) {
        precondition(loss.map { $0.count == failure.count } ?? true, "loss length mismatch")
        precondition(signedError.map { $0.count == failure.count } ?? true, "error length mismatch")
        precondition(confusion.map { $0.count == failure.count } ?? true, "confusion length mismatch")
        self.failure = failure
        self.loss = loss
        self.signedError = signedError
        self.confusion = confusion
    }

    /// The number of rows.
    public var count: Int { failure.count }
}

/// Cells of the binary confusion matrix, as stored in `RowOutcomes.confusion`.
public enum ConfusionCell: UInt8, Sendable {
    case truePositive = 0, falsePositive = 1, trueNegative = 2, falseNegative = 3

    /// The cell of a row whose true class is (`truth`) or is not the positive class, predicted (`predicted`) or not.
    @inlinable
    public init(truth: Bool, predicted: Bool) {
        self = truth ? (predicted ? .truePositive : .falseNegative) : (predicted ? .falsePositive : .trueNegative)
    }
}

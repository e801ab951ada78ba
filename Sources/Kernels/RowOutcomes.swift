/// Per-row outcomes that the group-by kernels aggregate: the failure indicator, the loss the failure
/// definition uses, and (for regression) the signed error, or (for binary classification) the confusion cell.
public struct RowOutcomes: Sendable {
    /// 1 where the row is a failure, else 0.
    public let failure: [UInt8]
    /// The per-row loss when it is held; nil under the 0/1 failure indicator, or when ``lossOfError`` makes it.
    let heldLoss: [Double]?
    /// How the loss is made from ``signedError`` when it is not held (regression's absolute or squared error): the
    /// kernels make it as they read the errors, so that it is not held beside them (8 bytes a row).
    public let lossOfError: ErrorLoss?
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
        heldLoss = loss
        lossOfError = nil
        self.signedError = signedError
        self.confusion = confusion
    }

    /// Outcomes whose loss is `lossOfError` of each row's signed error.
    /// - Precondition: `signedError` has the same length as `failure`.
    public init(failure: [UInt8], signedError: [Double], lossOfError: ErrorLoss) {
        precondition(signedError.count == failure.count, "error length mismatch")
        self.failure = failure
        heldLoss = nil
        self.lossOfError = lossOfError
        self.signedError = signedError
        confusion = nil
    }

    /// The number of rows.
    public var count: Int { failure.count }

    /// Whether the outcomes carry a loss other than the 0/1 failure indicator.
    public var hasLoss: Bool { heldLoss != nil || lossOfError != nil }

    /// The per-row loss; nil under the 0/1 failure indicator. When ``lossOfError`` makes it, it is written whole at
    /// each call: a kernel reads ``loss(at:)``, or the errors.
    public var loss: [Double]? {
        if let heldLoss { return heldLoss }
        guard let lossOfError, let signedError else { return nil }
        return signedError.map(lossOfError.loss)
    }

    /// The loss of `row`.
    /// - Precondition: ``hasLoss``, and `row` is a row.
    public func loss(at row: Int) -> Double {
        if let heldLoss { return heldLoss[row] }
        guard let lossOfError, let signedError else { preconditionFailure("outcomes without a loss") }
        return lossOfError.loss(signedError[row])
    }
}

/// A loss made from the signed error alone.
public enum ErrorLoss: Sendable, Equatable {
    /// `|error|`.
    case absolute
    /// `error * error`.
    case squared

    @inlinable
    public func loss(_ error: Double) -> Double {
        switch self {
        case .absolute: abs(error)
        case .squared: error * error
        }
    }
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

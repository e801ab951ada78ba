/// Per-row outcomes that the group-by kernels aggregate: the failure indicator, the loss the failure
/// definition uses, and (for regression) the signed error, or (for binary classification) the confusion cell.
public struct RowOutcomes: Sendable {
    /// 1 where the row is a failure, else 0.
    public let failure: [UInt8]
    /// The per-row loss when it is held; nil under the 0/1 failure indicator, or when ``lossOfError`` makes it.
    let heldLoss: [Double]?
    /// How the loss is made from the signed error when it is not held (regression's absolute or squared error): the
    /// kernels make it as they read the errors, so that it is not held beside them (8 bytes a row).
    public let lossOfError: ErrorLoss?
    /// Where the signed errors `prediction - label` come from (regression only).
    let errorSource: ErrorSource?
    /// The confusion cell per row (binary classification only): see `ConfusionCell`.
    public let confusion: [UInt8]?

    /// The signed errors held, or read from the label and prediction columns as they are needed: a block at a time
    /// by the kernels (``withErrors(in:_:)``), so that they are never held whole (8 bytes a row).
    enum ErrorSource: Sendable {
        case held([Double])
        case columns(label: RegressionErrors.Values, prediction: RegressionErrors.Values)
    }

    /// - Precondition: every array given has the same length as `failure`.
    public init(failure: [UInt8], loss: [Double]?, signedError: [Double]?, confusion: [UInt8]?) {
        precondition(loss.map { $0.count == failure.count } ?? true, "loss length mismatch")
        precondition(signedError.map { $0.count == failure.count } ?? true, "error length mismatch")
        precondition(confusion.map { $0.count == failure.count } ?? true, "confusion length mismatch")
        self.failure = failure
        heldLoss = loss
        lossOfError = nil
        errorSource = signedError.map(ErrorSource.held)
        self.confusion = confusion
    }

    /// Outcomes whose loss is `lossOfError` of each row's signed error.
    /// - Precondition: `signedError` has the same length as `failure`.
    public init(failure: [UInt8], signedError: [Double], lossOfError: ErrorLoss) {
        precondition(signedError.count == failure.count, "error length mismatch")
        self.failure = failure
        heldLoss = nil
        self.lossOfError = lossOfError
        errorSource = .held(signedError)
        confusion = nil
    }

    /// Outcomes whose signed errors are `prediction - label` of the columns' values, read where they are needed, and
    /// whose loss is `lossOfError` of them (or `loss`, held, when `lossOfError` is nil).
    /// - Precondition: both columns have a value on every row (a missing row is not analysed, so is not among the
    ///   outcomes' rows), as many rows as `failure`.
    public init(
        failure: [UInt8], label: RegressionErrors.Values, prediction: RegressionErrors.Values,
        lossOfError: ErrorLoss?, loss: [Double]? = nil
    ) {
        precondition(label.count == failure.count && prediction.count == failure.count, "error length mismatch")
        precondition((lossOfError == nil) != (loss == nil), "one loss")
        precondition(loss.map { $0.count == failure.count } ?? true, "loss length mismatch")
        self.failure = failure
        heldLoss = loss
        self.lossOfError = lossOfError
        errorSource = .columns(label: label, prediction: prediction)
        confusion = nil
    }

    /// The number of rows.
    public var count: Int { failure.count }

    /// Whether the outcomes carry a loss other than the 0/1 failure indicator.
    public var hasLoss: Bool { heldLoss != nil || lossOfError != nil }

    /// Whether the outcomes carry signed errors (regression).
    public var hasErrors: Bool { errorSource != nil }

    /// The per-row loss; nil under the 0/1 failure indicator. When ``lossOfError`` makes it, it is written whole at
    /// each call: a kernel reads ``loss(at:)``, or the errors.
    public var loss: [Double]? {
        if let heldLoss { return heldLoss }
        guard let lossOfError, let signedError else { return nil }
        return signedError.map(lossOfError.loss)
    }

    /// `prediction - label` per row (regression only). When read from the columns, written whole at each call: a
    /// kernel reads ``withErrors(in:_:)`` or ``error(at:)``.
    public var signedError: [Double]? {
        switch errorSource {
        case nil: nil
        case .held(let errors): errors
        case .columns(let label, let prediction): RegressionErrors.signedErrors(label: label, prediction: prediction)
        }
    }

    /// The signed error of `row`.
    /// - Precondition: ``hasErrors``, and `row` is a row.
    public func error(at row: Int) -> Double {
        switch errorSource {
        case nil: preconditionFailure("outcomes without errors")
        case .held(let errors): errors[row]
        case .columns(let label, let prediction):
            RegressionErrors.signedError(label: label, prediction: prediction, row: row)
        }
    }

    /// Calls `body` with the signed errors of `rows` and the row of its first element: the held errors (from row 0),
    /// or those of `rows` alone, written for the call (from `rows.lowerBound`).
    /// - Precondition: ``hasErrors``, and `rows` are rows.
    public func withErrors<R>(in rows: Range<Int>, _ body: (_ errors: [Double], _ firstRow: Int) -> R) -> R {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count, "rows out of range")
        switch errorSource {
        case nil: preconditionFailure("outcomes without errors")
        case .held(let errors): return body(errors, 0)
        case .columns(let label, let prediction):
            return body(
                RegressionErrors.signedErrors(label: label, prediction: prediction, rows: rows), rows.lowerBound)
        }
    }

    /// Whether every row's loss satisfies `predicate` (true without a loss), read a block at a time when it is made
    /// from the errors (``loss`` would write it whole).
    public func allLosses(satisfy predicate: (Double) -> Bool) -> Bool {
        if let heldLoss { return heldLoss.allSatisfy(predicate) }
        guard let lossOfError else { return true }
        for start in stride(from: 0, to: count, by: GroupBy.blockRows) {
            let rows = start..<Swift.min(start + GroupBy.blockRows, count)
            let satisfied = withErrors(in: rows) { errors, firstRow in
                rows.allSatisfy { predicate(lossOfError.loss(errors[$0 - firstRow])) }
            }
            if !satisfied { return false }
        }
        return true
    }

    /// The loss of `row`.
    /// - Precondition: ``hasLoss``, and `row` is a row.
    public func loss(at row: Int) -> Double {
        if let heldLoss { return heldLoss[row] }
        guard let lossOfError else { preconditionFailure("outcomes without a loss") }
        return lossOfError.loss(error(at: row))
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

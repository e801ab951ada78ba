import ColumnStore

/// A regression model's error and loss per row, from its numeric label and prediction columns, on threads.
///
/// A row is analysed when both values are present and finite (and, for the relative error, the label is not 0).
/// The analysed rows' errors and losses are written in row order, as a scalar loop would append them.
public enum RegressionErrors {
    /// How the loss is made from the error `prediction - label`.
    public enum Loss: Sendable {
        /// `|error|`.
        case absolute
        /// `error * error`.
        case squared
        /// `|error| / |label|`.
        case relative

        /// The loss of a row whose error is `error` and whose label is `label`.
        @inline(__always)
        func of(error: Double, label: Double) -> Double {
            switch self {
            case .absolute: abs(error)
            case .squared: error * error
            case .relative: abs(error) / abs(label)
            }
        }

        /// The same loss made from the error alone (``RowOutcomes/lossOfError``); nil for the relative error.
        public var ofError: ErrorLoss? {
            switch self {
            case .absolute: .absolute
            case .squared: .squared
            case .relative: nil
            }
        }
    }

    /// A numeric column as the kernel reads it: a missing row is one its validity marks, or a non-finite value.
    public enum Values: Sendable {
        case float64(ColumnBuffer<Double>, ValidityBitmap?)
        case int64(ColumnBuffer<Int64>, ValidityBitmap?)

        var count: Int {
            switch self {
            case .float64(let values, _): values.count
            case .int64(let values, _): values.count
            }
        }

        /// Whether the values lie in one contiguous range (not pieces of record batches, not stored narrow), so that
        /// ``RegressionErrors/reading(_:_:_:)`` reads them in place rather than as a copy of the column.
        var isContiguous: Bool {
            switch self {
            case .float64(let values, _): values.isContiguous
            case .int64(let values, _): values.isContiguous
            }
        }

        /// Whether the validity bitmap, when there is one, has a bit for each value (the kernel reads its words).
        var validityCovers: Bool {
            switch self {
            case .float64(let values, let validity): validity.map { $0.count == values.count } ?? true
            case .int64(let values, let validity): validity.map { $0.count == values.count } ?? true
            }
        }
    }

    public struct Result: Sendable {
        /// `prediction - label` of each analysed row, in row order.
        public var errors: [Double]
        /// The loss of each analysed row, in row order.
        public var losses: [Double]
        /// Which rows are analysed; nil when all are.
        public var keep: [Bool]?
        /// Rows left out, by the first reason that applies in this order.
        public var missingLabel = 0
        public var missingPrediction = 0
        public var zeroLabel = 0

        public var excluded: Int { missingLabel + missingPrediction + zeroLabel }

        public init(errors: [Double], losses: [Double], keep: [Bool]?) {
            self.errors = errors
            self.losses = losses
            self.keep = keep
        }
    }

    /// Rows per piece of work: a piece's inputs and outputs (40 bytes a row) stay within a core's L2 cache.
    static let blockRows = 1 << 14

    /// The errors and losses of every row of `label` and `prediction`, which have as many rows. Without
    /// `writesErrors`, the errors are written only when rows are left out (then they are not those of the columns'
    /// rows, ``RowOutcomes/init(failure:label:prediction:lossOfError:loss:)``); `errors` is empty otherwise.
    public static func compute(
        label: Values, prediction: Values, loss: Loss, threads: Int, writesErrors: Bool = true
    ) -> Result {
        struct Computing: _RowsVisitor {
            let loss: Loss
            let threads: Int
            let writesErrors: Bool
            func visit<L: _RowNumber, P: _RowNumber>(_ label: _Rows<L>, _ prediction: _Rows<P>) -> Result {
                unsafe RegressionErrors.compute(label, prediction, loss, threads, writesErrors)
            }
        }
        return reading(label, prediction, Computing(loss: loss, threads: threads, writesErrors: writesErrors))
    }

    /// `prediction - label` of each row of `rows`, as ``compute(label:prediction:loss:threads:writesErrors:)`` writes
    /// them: for rows where both columns have a value.
    public static func signedErrors(label: Values, prediction: Values, rows: Range<Int>) -> [Double] {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= label.count && label.count == prediction.count)
        func written<L: _RowNumber, P: _RowNumber>(_ l: ColumnBuffer<L>, _ p: ColumnBuffer<P>) -> [Double] {
            unsafe l.withUnsafeBufferPointer(rows: rows) { labels in
                unsafe p.withUnsafeBufferPointer(rows: rows) { predictions in
                    unsafe [Double](writingCapacity: rows.count) { output, initialized in
                        for offset in 0..<rows.count {
                            // Safe: offset < rows.count, the count of both buffers and of the output.
                            let error = unsafe predictions[offset].doubleValue - labels[offset].doubleValue
                            unsafe output.initializeElement(at: offset, to: error)
                        }
                        initialized = rows.count
                    }
                }
            }
        }
        switch (label, prediction) {
        case (.float64(let l, _), .float64(let p, _)): return written(l, p)
        case (.float64(let l, _), .int64(let p, _)): return written(l, p)
        case (.int64(let l, _), .float64(let p, _)): return written(l, p)
        case (.int64(let l, _), .int64(let p, _)): return written(l, p)
        }
    }

    /// ``signedErrors(label:prediction:rows:)`` of every row.
    public static func signedErrors(label: Values, prediction: Values) -> [Double] {
        signedErrors(label: label, prediction: prediction, rows: 0..<label.count)
    }

    /// ``signedErrors(label:prediction:rows:)`` of one row (no array made: a slice's rows are read one by one).
    public static func signedError(label: Values, prediction: Values, row: Int) -> Double {
        func error<L: _RowNumber, P: _RowNumber>(_ l: ColumnBuffer<L>, _ p: ColumnBuffer<P>) -> Double {
            p[row].doubleValue - l[row].doubleValue
        }
        switch (label, prediction) {
        case (.float64(let l, _), .float64(let p, _)): return error(l, p)
        case (.float64(let l, _), .int64(let p, _)): return error(l, p)
        case (.int64(let l, _), .float64(let p, _)): return error(l, p)
        case (.int64(let l, _), .int64(let p, _)): return error(l, p)
        }
    }

    /// Calls `visitor` with the two columns' values and validity words as pointers (a per-row subscript is a call
    /// into ColumnStore), whatever their element types.
    static func reading<Visitor: _RowsVisitor>(
        _ label: Values, _ prediction: Values, _ visitor: Visitor
    ) -> Visitor.Output {
        precondition(label.count == prediction.count, "label and prediction lengths differ")
        precondition(label.validityCovers && prediction.validityCovers, "a validity bitmap of another length")
        switch (label, prediction) {
        case (.float64(let l, let lv), .float64(let p, let pv)): return reading(l, lv, p, pv, visitor)
        case (.float64(let l, let lv), .int64(let p, let pv)): return reading(l, lv, p, pv, visitor)
        case (.int64(let l, let lv), .float64(let p, let pv)): return reading(l, lv, p, pv, visitor)
        case (.int64(let l, let lv), .int64(let p, let pv)): return reading(l, lv, p, pv, visitor)
        }
    }

    private static func reading<L: _RowNumber, P: _RowNumber, Visitor: _RowsVisitor>(
        _ label: ColumnBuffer<L>, _ labelValidity: ValidityBitmap?, _ prediction: ColumnBuffer<P>,
        _ predictionValidity: ValidityBitmap?, _ visitor: Visitor
    ) -> Visitor.Output {
        unsafe label.withUnsafeBufferPointer { labels in
            unsafe prediction.withUnsafeBufferPointer { predictions in
                unsafe words(of: labelValidity) { labelWords in
                    unsafe words(of: predictionValidity) { predictionWords in
                        unsafe visitor.visit(
                            _Rows(values: labels, validWords: labelWords),
                            _Rows(values: predictions, validWords: predictionWords))
                    }
                }
            }
        }
    }

    private static func words<R>(of validity: ValidityBitmap?, _ body: (UnsafeBufferPointer<UInt64>?) -> R) -> R {
        guard let validity else { return body(nil) }
        return unsafe validity.withUnsafeWords { words in unsafe body(words) }
    }

    /// The failure flags: 1 where the loss is above `threshold` (never where it is NaN), else 0.
    public static func failures(losses: [Double], above threshold: Double, threads: Int) -> [UInt8] {
        let rows = losses.count
        let blockCount = (rows + blockRows - 1) / blockRows
        return unsafe losses.withUnsafeBufferPointer { input in
            unsafe [UInt8](writingCapacity: rows) { output, initialized in
                let flags = unsafe output
                _ = Parallel.map(count: blockCount, threads: threads) { block -> Bool in
                    // Safe: row < rows, both buffers' count; each block is written by one worker only.
                    for row in block * blockRows..<Swift.min((block + 1) * blockRows, rows) {
                        unsafe flags.initializeElement(at: row, to: unsafe input[row] > threshold ? 1 : 0)
                    }
                    return true
                }
                initialized = rows
            }
        }
    }

    @unsafe
    private static func compute<L: _RowNumber, P: _RowNumber>(
        _ label: _Rows<L>, _ prediction: _Rows<P>, _ loss: Loss, _ threads: Int, _ writesErrors: Bool
    ) -> Result {
        let rows = unsafe label.count
        let blockCount = (rows + blockRows - 1) / blockRows
        // Per block: rows missing a label, a prediction, or with a zero label (relative error).
        var excluded: [(Int, Int, Int)] = []
        var losses: [Double] = []
        // Every row is written by its block (not zeroed first: the pages are touched once, on the workers).
        var errors = unsafe [Double](writingCapacity: writesErrors ? rows : 0) { errorOutput, errorsWritten in
            losses = unsafe [Double](writingCapacity: rows) { lossOutput, lossesWritten in
                let (errorBase, lossBase) = unsafe (errorOutput, lossOutput)
                excluded = Parallel.map(count: blockCount, threads: threads) { block -> (Int, Int, Int) in
                    var (missingLabel, missingPrediction, zeroLabel) = (0, 0, 0)
                    for row in block * blockRows..<Swift.min((block + 1) * blockRows, rows) {
                        let truth = unsafe label.value(row)
                        let predicted = unsafe prediction.value(row)
                        let error = predicted - truth
                        var value = loss.of(error: error, label: truth)
                        if !truth.isFinite {
                            missingLabel += 1
                            value = .nan
                        } else if !predicted.isFinite {
                            missingPrediction += 1
                            value = .nan
                        } else if loss == .relative && truth == 0 {
                            zeroLabel += 1
                            value = .nan
                        }
                        // Safe: row < rows, both buffers' count; each block is written by one worker only.
                        if writesErrors { unsafe errorBase.initializeElement(at: row, to: error) }
                        unsafe lossBase.initializeElement(at: row, to: value)
                    }
                    return (missingLabel, missingPrediction, zeroLabel)
                }
                lossesWritten = rows
            }
            errorsWritten = writesErrors ? rows : 0
        }
        var result = Result(errors: [], losses: [], keep: nil)
        for (missingLabel, missingPrediction, zeroLabel) in excluded {
            result.missingLabel += missingLabel
            result.missingPrediction += missingPrediction
            result.zeroLabel += zeroLabel
        }
        guard result.excluded > 0 else {
            result.errors = errors
            result.losses = losses
            return result
        }
        // Rows left out are marked by a NaN loss (an analysed row's loss is never NaN): keep the others, in order.
        let keep = losses.map { !$0.isNaN }
        if !writesErrors {
            // The kept rows' errors are not the columns' rows': written here, in row order.
            errors.reserveCapacity(rows - result.excluded)
            for row in 0..<rows where keep[row] {
                errors.append(unsafe prediction.value(row) - label.value(row))
            }
        }
        var kept = 0
        for row in 0..<rows where keep[row] {
            if writesErrors { errors[kept] = errors[row] }
            losses[kept] = losses[row]
            kept += 1
        }
        if writesErrors { errors.removeLast(rows - kept) }
        losses.removeLast(rows - kept)
        result.errors = errors
        result.losses = losses
        result.keep = keep
        return result
    }
}

/// Work generic over the label's and prediction's element types, given their rows as pointers
/// (``RegressionErrors/reading(_:_:_:)``): Swift has no generic closures.
protocol _RowsVisitor {
    associatedtype Output
    func visit<L: _RowNumber, P: _RowNumber>(_ label: _Rows<L>, _ prediction: _Rows<P>) -> Output
}

/// A column's element as the regression kernel reads it.
protocol _RowNumber: Sendable {
    var doubleValue: Double { get }
}

extension Double: _RowNumber {
    var doubleValue: Double { self }
}

extension Int64: _RowNumber {
    var doubleValue: Double { Double(self) }
}

/// A column's values and validity words, read a row at a time as a Double, NaN where missing
/// (``RegressionErrors``).
@unsafe
struct _Rows<Element: _RowNumber> {
    let values: UnsafeBufferPointer<Element>
    let validWords: UnsafeBufferPointer<UInt64>?

    var count: Int { unsafe values.count }

    /// - Precondition: `row < count` (not checked: the kernel's loops are within it).
    @inline(__always)
    func value(_ row: Int) -> Double {
        if let words = unsafe validWords, unsafe (words[row &>> 6] &>> UInt64(row & 63)) & 1 == 0 { return .nan }
        return unsafe values[row].doubleValue
    }
}

extension GroupBy {
    /// Sums per group in ``addErrorSums(codes:codeStart:range:outcomes:lossOfError:into:)``: Σ|e|, Σe², Σe, the
    /// largest loss, and (squared error) Σe⁴.
    static let errorSumWidth = 5

    /// ``addFloatSums(codes:codeStart:range:outcomes:into:)`` when the loss is made from the signed error: one pass
    /// for both sets of sums. The loss sums are the same additions as over a held loss, so the same bits: `|e|`
    /// summed is the absolute error sum, and `|e|·|e| = e·e` exactly. Errors read from the label and prediction
    /// columns are made in the loop, not written first.
    static func addErrorSums<Code: FixedWidthInteger & UnsignedInteger>(
        codes: [Code], codeStart: Int, range: Range<Int>, outcomes: RowOutcomes, lossOfError: ErrorLoss,
        into stats: inout [GroupStats]
    ) {
        let groupCount = stats.count
        precondition(
            range.lowerBound >= codeStart && range.upperBound - codeStart <= codes.count
                && range.upperBound <= outcomes.count,
            "out of range")
        var sums = [Double](repeating: 0, count: groupCount * errorSumWidth)
        unsafe codes.withUnsafeBufferPointer { codeBuffer in
            unsafe sums.withUnsafeMutableBufferPointer { sumBuffer in
                let block = unsafe _ErrorSumBlock(
                    codes: codeBuffer, codeStart: codeStart, range: range, sums: sumBuffer, loss: lossOfError)
                switch outcomes.errorSource {
                case nil: preconditionFailure("outcomes without errors")
                case .held(let errors):
                    precondition(range.upperBound <= errors.count, "errors out of range")
                    // Safe: row < range.upperBound <= errors.count.
                    unsafe errors.withUnsafeBufferPointer { errors in unsafe block.add { row in unsafe errors[row] } }
                case .columns(let label, let prediction) where label.isContiguous && prediction.isContiguous:
                    unsafe RegressionErrors.reading(label, prediction, block)
                case .columns(let label, let prediction):
                    // In pieces or narrow: this block's errors, not a copy of both columns for every block.
                    let errors = RegressionErrors.signedErrors(label: label, prediction: prediction, rows: range)
                    // Safe: row - range.lowerBound < range.count == errors.count.
                    unsafe errors.withUnsafeBufferPointer { errors in
                        unsafe block.add { row in unsafe errors[row &- range.lowerBound] }
                    }
                }
            }
        }
        let width = errorSumWidth
        for group in 0..<groupCount {
            let base = group * width
            stats[group].absoluteErrorSum = sums[base]
            stats[group].squaredErrorSum = sums[base + 1]
            stats[group].signedErrorSum = sums[base + 2]
            stats[group].lossMax = sums[base + 3]
            switch lossOfError {
            case .absolute:
                stats[group].lossSum = sums[base]
                stats[group].lossSquaredSum = sums[base + 1]
            case .squared:
                stats[group].lossSum = sums[base + 1]
                stats[group].lossSquaredSum = sums[base + 4]
            }
        }
    }
}

/// One block's error sums per group (``GroupBy/addErrorSums(codes:codeStart:range:outcomes:lossOfError:into:)``),
/// from held errors or from the label and prediction columns (as a visitor of ``RegressionErrors/reading(_:_:_:)``).
@unsafe
struct _ErrorSumBlock<Code: FixedWidthInteger & UnsignedInteger>: _RowsVisitor {
    let codes: UnsafeBufferPointer<Code>
    let codeStart: Int
    let range: Range<Int>
    let sums: UnsafeMutableBufferPointer<Double>
    let loss: ErrorLoss

    /// The errors `prediction - label` of the columns' rows, as
    /// ``RegressionErrors/signedErrors(label:prediction:rows:)`` writes them.
    func visit<L: _RowNumber, P: _RowNumber>(_ label: _Rows<L>, _ prediction: _Rows<P>) {
        precondition(unsafe range.upperBound <= label.count, "errors out of range")
        // Safe: row < range.upperBound <= both columns' count.
        unsafe add { row in unsafe prediction.values[row].doubleValue - label.values[row].doubleValue }
    }

    /// Adds the error of each row of `range`.
    /// - Precondition: `error` reads any row of `range`; codes are below the group count (the callers' precondition),
    ///   so each group's sums are within `sums`.
    @inline(__always)
    func add(_ error: (Int) -> Double) {
        let width = GroupBy.errorSumWidth
        // Safe: row - codeStart < codes.count (the caller checks range against the codes), base + 4 < sums.count.
        switch unsafe loss {
        case .absolute:
            for row in unsafe range {
                let base = unsafe Int(codes[row &- codeStart]) &* width
                let error = error(row)
                let magnitude = abs(error)
                unsafe sums[base] += magnitude
                unsafe sums[base + 1] += error * error
                unsafe sums[base + 2] += error
                // Stored only when it grows (rarely, once a group has rows): a store a row fewer. The same value as
                // max(_:_:), since no error is NaN and a magnitude is never -0.
                if unsafe magnitude > sums[base + 3] { unsafe sums[base + 3] = magnitude }
            }
        case .squared:
            for row in unsafe range {
                let base = unsafe Int(codes[row &- codeStart]) &* width
                let error = error(row)
                let square = error * error
                unsafe sums[base] += abs(error)
                unsafe sums[base + 1] += square
                unsafe sums[base + 2] += error
                if unsafe square > sums[base + 3] { unsafe sums[base + 3] = square }
                unsafe sums[base + 4] += square * square
            }
        }
    }
}

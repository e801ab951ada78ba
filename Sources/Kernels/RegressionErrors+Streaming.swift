/// The failures of a regression where every row is analysed, found without writing a loss a row: the losses are made
/// from the label and prediction columns a block at a time, wherever they are read.
extension RegressionErrors {
    /// Rows left out, by the first reason that applies: a missing or non-finite label, then prediction, then (for the
    /// relative error) a zero label.
    public struct Exclusions: Equatable, Sendable {
        public var missingLabel = 0
        public var missingPrediction = 0
        public var zeroLabel = 0

        public var total: Int { missingLabel + missingPrediction + zeroLabel }
    }

    /// The rows ``compute(label:prediction:loss:threads:writesErrors:)`` would leave out, counted on the threads
    /// without writing anything.
    public static func exclusions(label: Values, prediction: Values, loss: Loss, threads: Int) -> Exclusions {
        struct Counting: _RowsVisitor {
            let loss: Loss
            let threads: Int
            func visit<L: _RowNumber, P: _RowNumber>(_ label: _Rows<L>, _ prediction: _Rows<P>) -> Exclusions {
                let rows = unsafe label.count
                let blocks = RegressionErrors.blockCount(rows)
                let perBlock = Parallel.map(count: blocks, threads: threads) { block -> Exclusions in
                    var excluded = Exclusions()
                    for row in RegressionErrors.blockRange(block, rows) {
                        let truth = unsafe label.value(row)
                        if !truth.isFinite {
                            excluded.missingLabel += 1
                        } else if !(unsafe prediction.value(row)).isFinite {
                            excluded.missingPrediction += 1
                        } else if loss == .relative && truth == 0 {
                            excluded.zeroLabel += 1
                        }
                    }
                    return excluded
                }
                return perBlock.reduce(into: Exclusions()) { total, block in
                    total.missingLabel += block.missingLabel
                    total.missingPrediction += block.missingPrediction
                    total.zeroLabel += block.zeroLabel
                }
            }
        }
        return reading(label, prediction, Counting(loss: loss, threads: threads))
    }

    /// The quantile `q` (numpy's linear method, as ``Quantiles/linear(selectingFrom:q:)``) of every row's loss; nil
    /// when there are no rows.
    ///
    /// A strided sample of the losses places brackets around the two ranks wanted
    /// (``OrderStatistics/selectByBrackets(_:ranks:)``); one pass on the threads then makes each block's losses,
    /// counts those below each bracket and gathers those inside, where the ranks are selected. So nothing a row is
    /// held. Fewer than 2 × ``OrderStatistics/bracketSampleSize`` rows, or a sample that misled, are selected from the
    /// written losses instead; the value is the same either way.
    /// - Precondition: no row is left out (``exclusions(label:prediction:loss:threads:)`` is zero), so no loss is NaN.
    public static func lossQuantile(label: Values, prediction: Values, loss: Loss, q: Double, threads: Int) -> Double? {
        struct Selecting: _RowsVisitor {
            let loss: Loss
            let q: Double
            let threads: Int
            func visit<L: _RowNumber, P: _RowNumber>(_ label: _Rows<L>, _ prediction: _Rows<P>) -> Double?? {
                unsafe RegressionErrors.selectByBrackets(label, prediction, loss, q, threads)
            }
        }
        if let selected = reading(label, prediction, Selecting(loss: loss, q: q, threads: threads)) {
            return selected
        }
        let written = compute(label: label, prediction: prediction, loss: loss, threads: threads, writesErrors: false)
        precondition(written.keep == nil, "a row left out")
        return Quantiles.linear(selectingFrom: written.losses, q: q)
    }

    /// The failure flags of every row: 1 where its loss is above `threshold`, else 0, as
    /// ``failures(losses:above:threads:)`` gives them from the written losses.
    /// - Precondition: no row is left out.
    public static func failures(
        label: Values, prediction: Values, loss: Loss, above threshold: Double, threads: Int
    ) -> [UInt8] {
        struct Flagging: _RowsVisitor {
            let loss: Loss
            let threshold: Double
            let threads: Int
            func visit<L: _RowNumber, P: _RowNumber>(_ label: _Rows<L>, _ prediction: _Rows<P>) -> [UInt8] {
                let rows = unsafe label.count
                return unsafe [UInt8](writingCapacity: rows) { output, initialized in
                    let flags = unsafe output
                    _ = Parallel.map(count: RegressionErrors.blockCount(rows), threads: threads) { block -> Bool in
                        // Safe: row < rows, the output's count; each block is written by one worker only.
                        for row in RegressionErrors.blockRange(block, rows) {
                            let truth = unsafe label.value(row)
                            let value = loss.of(error: unsafe prediction.value(row) - truth, label: truth)
                            unsafe flags.initializeElement(at: row, to: value > threshold ? 1 : 0)
                        }
                        return true
                    }
                    initialized = rows
                }
            }
        }
        return reading(label, prediction, Flagging(loss: loss, threshold: threshold, threads: threads))
    }

    /// ``lossQuantile(label:prediction:loss:q:threads:)`` within brackets: `.some(nil)` when there are no rows, nil
    /// when the brackets cannot be used.
    @unsafe
    private static func selectByBrackets<L: _RowNumber, P: _RowNumber>(
        _ label: _Rows<L>, _ prediction: _Rows<P>, _ loss: Loss, _ q: Double, _ threads: Int
    ) -> Double?? {
        selectByBrackets(rows: unsafe label.count, q: q, threads: threads) { row in
            let truth = unsafe label.value(row)
            return loss.of(error: unsafe prediction.value(row) - truth, label: truth)
        }
    }

    /// The quantile `q` of `lossOf(row)` over `rows` rows within brackets, each block's losses made in a small
    /// array and tallied on the threads: `.some(nil)` when there are no rows, nil when the brackets cannot be used.
    private static func selectByBrackets(
        rows: Int, q: Double, threads: Int, lossOf: (Int) -> Double
    ) -> Double?? {
        guard rows > 0 else { return .some(nil) }
        guard rows >= 2 * OrderStatistics.bracketSampleSize else { return nil }
        let position = Quantiles.position(count: rows, q: q)
        let ranks = position.lower == position.upper ? [position.lower] : [position.lower, position.upper]
        let sample = stride(from: 0, to: rows, by: rows / OrderStatistics.bracketSampleSize).map { lossOf($0) }
        guard let brackets = _Brackets(sample: sample, count: rows, ranks: ranks) else { return nil }
        let blocks = RegressionErrors.blockCount(rows)
        let tallies = Parallel.map(count: blocks, threads: threads) { block -> _Brackets.Tally in
            let range = RegressionErrors.blockRange(block, rows)
            let losses = unsafe [Double](writingCapacity: range.count) { output, initialized in
                // Safe: row - range.lowerBound < range.count, the output's capacity.
                for row in range { unsafe output.initializeElement(at: row &- range.lowerBound, to: lossOf(row)) }
                initialized = range.count
            }
            var tally = brackets.emptyTally()
            unsafe losses.withUnsafeBufferPointer { buffer in unsafe brackets.add(buffer, to: &tally) }
            return tally
        }
        var total = brackets.emptyTally()
        for tally in tallies { total.merge(tally) }
        guard let selected = brackets.selected(&total, ranks: ranks), let a = selected[position.lower],
            let b = selected[position.upper]
        else { return nil }
        return .some(Quantiles.lerp(a, b, position.gamma))
    }

    /// ``lossQuantile(label:prediction:loss:q:threads:)`` of the losses made from held `errors` (the kept rows'
    /// errors when rows are left out): selected within brackets without writing the losses, else from them.
    public static func lossQuantile(errors: [Double], loss: ErrorLoss, q: Double, threads: Int) -> Double? {
        let selected = unsafe errors.withUnsafeBufferPointer { buffer in
            // Safe: row < errors.count, the rows asked about.
            selectByBrackets(rows: buffer.count, q: q, threads: threads) { unsafe loss.loss(buffer[$0]) }
        }
        if let selected { return selected }
        return Quantiles.linear(selectingFrom: errors.map { loss.loss($0) }, q: q)
    }

    /// The failure flags of the losses made from held `errors`, as ``failures(losses:above:threads:)`` gives them
    /// from the written losses.
    public static func failures(errors: [Double], loss: ErrorLoss, above threshold: Double, threads: Int) -> [UInt8] {
        let rows = errors.count
        return unsafe errors.withUnsafeBufferPointer { input in
            unsafe [UInt8](writingCapacity: rows) { output, initialized in
                let flags = unsafe output
                _ = Parallel.map(count: RegressionErrors.blockCount(rows), threads: threads) { block -> Bool in
                    // Safe: row < rows, the input's and the output's count; each block is written by one worker.
                    for row in RegressionErrors.blockRange(block, rows) {
                        unsafe flags.initializeElement(at: row, to: loss.loss(unsafe input[row]) > threshold ? 1 : 0)
                    }
                    return true
                }
                initialized = rows
            }
        }
    }

    /// The kept rows (a label and a prediction, and a nonzero label under the relative error) and their errors
    /// `prediction - label`, compacted in row order: what ``compute(label:prediction:loss:threads:writesErrors:)``
    /// gives with rows left out, without its losses (8 bytes a row, written for every row first) when the loss is
    /// made from the error.
    public static func keptErrors(
        label: Values, prediction: Values, loss: Loss, threads: Int
    ) -> (errors: [Double], keep: [Bool]) {
        struct Compacting: _RowsVisitor {
            let loss: Loss
            let threads: Int
            func visit<L: _RowNumber, P: _RowNumber>(
                _ label: _Rows<L>, _ prediction: _Rows<P>
            ) -> (errors: [Double], keep: [Bool]) {
                let rows = unsafe label.count
                let blocks = RegressionErrors.blockCount(rows)
                var keptPerBlock: [Int] = []
                let keep = unsafe [Bool](writingCapacity: rows) { output, initialized in
                    let flags = unsafe output
                    keptPerBlock = Parallel.map(count: blocks, threads: threads) { block -> Int in
                        var kept = 0
                        for row in RegressionErrors.blockRange(block, rows) {
                            // As compute: a missing (NaN) or infinite label or prediction, or a zero label under
                            // the relative error, leaves the row out.
                            let truth = unsafe label.value(row)
                            let predicted = unsafe prediction.value(row)
                            let isKept = truth.isFinite && predicted.isFinite && !(loss == .relative && truth == 0)
                            // Safe: row < rows, the output's count; each block is written by one worker only.
                            unsafe flags.initializeElement(at: row, to: isKept)
                            kept += isKept ? 1 : 0
                        }
                        return kept
                    }
                    initialized = rows
                }
                var starts = [0]
                for kept in keptPerBlock { starts.append(starts[starts.count - 1] + kept) }
                let total = starts[starts.count - 1]
                let errors = unsafe [Double](writingCapacity: total) { output, initialized in
                    let base = unsafe output
                    _ = Parallel.map(count: blocks, threads: threads) { block -> Bool in
                        var at = starts[block]
                        for row in RegressionErrors.blockRange(block, rows) where keep[row] {
                            precondition(at < starts[block + 1], "kept rows counted differently")
                            // Safe: at < starts[block + 1] <= total, the output's count; blocks write apart.
                            unsafe base.initializeElement(at: at, to: prediction.value(row) - label.value(row))
                            at += 1
                        }
                        return true
                    }
                    initialized = total
                }
                return (errors, keep)
            }
        }
        return reading(label, prediction, Compacting(loss: loss, threads: threads))
    }

    static func blockCount(_ rows: Int) -> Int { (rows + blockRows - 1) / blockRows }

    static func blockRange(_ block: Int, _ rows: Int) -> Range<Int> {
        block * blockRows..<Swift.min((block + 1) * blockRows, rows)
    }
}

import ColumnStore
import Kernels
import Testing
import _TestSupport

/// `RegressionErrors` against the scalar loop it replaced (`FailureOutcomes.regression` row by row), on seeded
/// columns of both numeric types with missing rows, non-finite values and zero labels.
struct RegressionErrorsTests {
    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 16_383, 16_384, 16_385, 100_003]

    enum Validity: CaseIterable { case none, mixed, allNull }

    struct Column {
        let values: RegressionErrors.Values
        /// The value of each row as the scalar loop read it: nil where missing.
        let read: [Double?]
    }

    /// Seeded values: small integers (exact zeros among them) as floats or Int64, with NaN and ±infinity among the
    /// floats, and a validity bitmap when asked.
    static func column(length: Int, integer: Bool, validity: Validity, seed: UInt64) -> Column {
        var random = SeededRandom(seed: seed)
        var valid = [Bool](repeating: true, count: length)
        switch validity {
        case .none: break
        case .mixed: for row in 0..<length where random.next() % 7 == 0 { valid[row] = false }
        case .allNull: valid = [Bool](repeating: false, count: length)
        }
        let bitmap = validity == .none ? nil : ValidityBitmap(valid)
        if integer {
            let values = (0..<length).map { _ in Int64(random.next() % 9) - 4 }
            return Column(
                values: .int64(ColumnBuffer(values), bitmap),
                read: (0..<length).map { valid[$0] ? Double(values[$0]) : nil })
        }
        let values = (0..<length).map { _ -> Double in
            switch random.next() % 50 {
            case 0: return .nan
            case 1: return .infinity
            case 2: return -.infinity
            case 3: return 0
            default: return (random.unit() - 0.5) * 40
            }
        }
        return Column(
            values: .float64(ColumnBuffer(values), bitmap), read: (0..<length).map { valid[$0] ? values[$0] : nil })
    }

    /// The scalar loop: rows in order, the label checked first, then the prediction, then a zero label.
    static func reference(label: [Double?], prediction: [Double?], loss: RegressionErrors.Loss)
        -> RegressionErrors.Result
    {
        var result = RegressionErrors.Result(errors: [], losses: [], keep: nil)
        var keep = [Bool](repeating: true, count: label.count)
        for row in label.indices {
            guard let truth = label[row], truth.isFinite else {
                result.missingLabel += 1
                keep[row] = false
                continue
            }
            guard let predicted = prediction[row], predicted.isFinite else {
                result.missingPrediction += 1
                keep[row] = false
                continue
            }
            let error = predicted - truth
            let value: Double
            switch loss {
            case .absolute: value = abs(error)
            case .squared: value = error * error
            case .relative:
                guard truth != 0 else {
                    result.zeroLabel += 1
                    keep[row] = false
                    continue
                }
                value = abs(error) / abs(truth)
            }
            result.errors.append(error)
            result.losses.append(value)
        }
        result.keep = result.excluded > 0 ? keep : nil
        return result
    }

    static func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

    @Test(arguments: lengths)
    func matchesTheScalarLoop(length: Int) {
        var seed: UInt64 = UInt64(length) &* 31
        for (labelInteger, predictionInteger) in [(false, false), (true, false), (false, true), (true, true)] {
            for validity in Validity.allCases {
                seed &+= 1
                let label = Self.column(length: length, integer: labelInteger, validity: validity, seed: seed)
                let prediction = Self.column(length: length, integer: predictionInteger, validity: .mixed, seed: ~seed)
                for loss in [RegressionErrors.Loss.absolute, .squared, .relative] {
                    let expected = Self.reference(label: label.read, prediction: prediction.read, loss: loss)
                    for threads in [1, 2, 3] {
                        let got = RegressionErrors.compute(
                            label: label.values, prediction: prediction.values, loss: loss, threads: threads)
                        let context = "length \(length), \(loss), threads \(threads), validity \(validity)"
                        #expect(Self.bits(got.errors) == Self.bits(expected.errors), "\(context)")
                        #expect(Self.bits(got.losses) == Self.bits(expected.losses), "\(context)")
                        #expect(got.keep == expected.keep, "\(context)")
                        // Without the errors written: none when every row is analysed, else the kept rows' ones.
                        let lean = RegressionErrors.compute(
                            label: label.values, prediction: prediction.values, loss: loss, threads: threads,
                            writesErrors: false)
                        let leanErrors = expected.keep == nil ? [] : expected.errors
                        #expect(Self.bits(lean.errors) == Self.bits(leanErrors), "\(context)")
                        #expect(Self.bits(lean.losses) == Self.bits(expected.losses) && lean.keep == expected.keep)
                        #expect(
                            got.missingLabel == expected.missingLabel
                                && got.missingPrediction == expected.missingPrediction
                                && got.zeroLabel == expected.zeroLabel, "\(context)")
                    }
                }
            }
        }
    }

    /// The errors read from the columns a block at a time, and the outcomes that read them so, are those the kernel
    /// writes, when every row is analysed.
    @Test(arguments: [1, 63, 65, 2049, 70_001])
    func errorsReadFromTheColumnsAreTheWrittenOnes(length: Int) {
        for (labelInteger, predictionInteger) in [(false, false), (true, false), (false, true), (true, true)] {
            let seed = UInt64(length) &* 7 &+ (labelInteger ? 1 : 0) &+ (predictionInteger ? 2 : 0)
            let label = Self.finiteColumn(length: length, integer: labelInteger, seed: seed)
            let prediction = Self.finiteColumn(length: length, integer: predictionInteger, seed: ~seed)
            let written = RegressionErrors.compute(label: label, prediction: prediction, loss: .absolute, threads: 2)
            #expect(written.keep == nil)
            #expect(
                Self.bits(RegressionErrors.signedErrors(label: label, prediction: prediction))
                    == Self.bits(written.errors))
            let rows = length / 3..<length
            #expect(
                Self.bits(RegressionErrors.signedErrors(label: label, prediction: prediction, rows: rows))
                    == Self.bits(Array(written.errors[rows])))
            let failure = [UInt8](repeating: 0, count: length)
            for kind in [ErrorLoss.absolute, .squared] {
                let read = RowOutcomes(failure: failure, label: label, prediction: prediction, lossOfError: kind)
                let held = RowOutcomes(failure: failure, signedError: written.errors, lossOfError: kind)
                #expect(read.hasErrors && read.hasLoss)
                #expect(read.signedError == held.signedError && read.loss == held.loss)
                #expect(read.error(at: length - 1) == held.error(at: length - 1))
                #expect(read.loss(at: 0) == held.loss(at: 0))
                let codes = (0..<length).map { UInt8($0 % 5) }
                #expect(
                    GroupBy.aggregate(codes: codes, groupCount: 5, outcomes: read, threads: 2)
                        == GroupBy.aggregate(codes: codes, groupCount: 5, outcomes: held, threads: 1))
                #expect(GroupBy.total(outcomes: read, threads: 2) == GroupBy.total(outcomes: held, threads: 1))
                var readSums = GroupBy.LossSums(groupCount: 5, outcomes: read)
                var heldSums = GroupBy.LossSums(groupCount: 5, outcomes: held)
                readSums.add(column: BinCodes(codes))
                heldSums.add(column: BinCodes(codes))
                let counted = [GroupStats](repeating: GroupStats(), count: 5)
                #expect(
                    LossOfErrorTests.bits(readSums.applied(to: counted))
                        == LossOfErrorTests.bits(heldSums.applied(to: counted)))
                #expect(read.allLosses { $0 >= 0 } && !read.allLosses { $0 > 1e300 })
            }
            // The relative error: its loss held, the errors read from the columns.
            let relative = RegressionErrors.compute(label: label, prediction: prediction, loss: .relative, threads: 2)
            if relative.keep == nil {
                let read = RowOutcomes(
                    failure: failure, label: label, prediction: prediction, lossOfError: nil, loss: relative.losses)
                let held = RowOutcomes(
                    failure: failure, loss: relative.losses, signedError: written.errors, confusion: nil)
                let codes = (0..<length).map { UInt8($0 % 3) }
                #expect(
                    LossOfErrorTests.bits(GroupBy.aggregate(codes: codes, groupCount: 3, outcomes: read, threads: 2))
                        == LossOfErrorTests.bits(
                            GroupBy.aggregate(codes: codes, groupCount: 3, outcomes: held, threads: 1)))
            }
        }
    }

    /// Values on every row: small integers, or floats with decimals.
    static func finiteColumn(length: Int, integer: Bool, seed: UInt64) -> RegressionErrors.Values {
        var random = SeededRandom(seed: seed)
        if integer { return .int64(ColumnBuffer((0..<length).map { _ in Int64(random.next() % 1_000) - 500 }), nil) }
        return .float64(ColumnBuffer((0..<length).map { _ in (random.unit() - 0.4) * 1e3 }), nil)
    }

    @Test(arguments: lengths)
    func failuresAreTheLossesAboveTheThreshold(length: Int) {
        var random = SeededRandom(seed: UInt64(length) + 5)
        var losses = (0..<length).map { _ in Double(random.next() % 6) / 2 }
        if length > 3 { losses[1] = .nan; losses[2] = .infinity }
        for threshold in [-1.0, 0, 1.0, 1.25, .infinity, .nan] {
            let expected = losses.map { $0 > threshold ? UInt8(1) : 0 }
            for threads in [1, 2, 3] {
                #expect(RegressionErrors.failures(losses: losses, above: threshold, threads: threads) == expected)
            }
        }
    }
}

import ColumnStore
import Testing
import _TestSupport

@testable import Kernels

/// The failures of a regression found without writing its losses (`RegressionErrors.exclusions`, `lossQuantile`,
/// `failures(label:prediction:...)`) against the written losses: the quantile against the sorted losses (numpy's
/// linear method on them), bit for bit.
struct StreamedLossTests {
    /// Shorter than two bracket samples (selected from the written losses), and long enough for the brackets.
    static let lengths = [0, 1, 2, 1_000, 131_071, 131_072, 300_001]
    static let quantiles = [0, 0.001, 0.5, 0.9, 1]

    enum Shape: CaseIterable {
        /// Floats with decimals: nearly every error distinct.
        case spread
        /// Small integers: each error repeated about 150 times at 300k rows, so the sample's heavy ties are points.
        case integers
        /// The prediction equal to the label: every loss 0, one point.
        case exact
    }

    static func columns(_ shape: Shape, length: Int, seed: UInt64) -> (RegressionErrors.Values, RegressionErrors.Values)
    {
        var random = SeededRandom(seed: seed)
        switch shape {
        case .spread:
            let label = (0..<length).map { _ in 10 + random.unit() * 1e3 }
            let prediction = label.map { $0 + (random.unit() - 0.3) * 40 }
            return (.float64(ColumnBuffer(label), nil), .float64(ColumnBuffer(prediction), nil))
        case .integers:
            let label = (0..<length).map { _ in Int64(random.next() % 500) + 1 }
            let prediction = label.map { Double($0) + Double(Int64(random.next() % 1_999) - 999) }
            return (.int64(ColumnBuffer(label), nil), .float64(ColumnBuffer(prediction), nil))
        case .exact:
            let label = (0..<length).map { _ in Int64(random.next() % 100) + 1 }
            return (.int64(ColumnBuffer(label), nil), .int64(ColumnBuffer(label), nil))
        }
    }

    @Test(arguments: lengths)
    func quantileAndFailuresEqualThoseOfTheWrittenLosses(length: Int) {
        for shape in Shape.allCases {
            let (label, prediction) = Self.columns(shape, length: length, seed: UInt64(length) &+ 3)
            for loss in [RegressionErrors.Loss.absolute, .squared, .relative] {
                let written = RegressionErrors.compute(label: label, prediction: prediction, loss: loss, threads: 1)
                #expect(written.keep == nil)
                #expect(
                    RegressionErrors.exclusions(label: label, prediction: prediction, loss: loss, threads: 2)
                        == RegressionErrors.Exclusions())
                let sorted = written.losses.sorted()
                for q in Self.quantiles {
                    let expected = sorted.isEmpty ? nil : Quantiles.linear(sorted: sorted, q: q)
                    for threads in [1, 3] {
                        let got = RegressionErrors.lossQuantile(
                            label: label, prediction: prediction, loss: loss, q: q, threads: threads)
                        #expect(
                            got?.bitPattern == expected?.bitPattern,
                            "\(shape), \(loss), length \(length), q \(q), threads \(threads)")
                    }
                }
                let middle = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
                for threshold in [-1, 0, middle, .infinity, .nan] {
                    #expect(
                        RegressionErrors.failures(
                            label: label, prediction: prediction, loss: loss, above: threshold, threads: 2)
                            == RegressionErrors.failures(losses: written.losses, above: threshold, threads: 1),
                        "\(shape), \(loss), length \(length), threshold \(threshold)")
                }
            }
        }
    }

    /// A label and a prediction column (`RegressionErrorsTests.column`: NaN, infinities and zeros among the values)
    /// for each pairing of integer (true) and float columns and each validity of the label, from seeds after `seed`.
    static func columnPairs(
        length: Int, seed: UInt64, _ pairings: [(label: Bool, prediction: Bool)]
    ) -> [(RegressionErrorsTests.Column, RegressionErrorsTests.Column, RegressionErrorsTests.Validity)] {
        var seed = seed
        return pairings.flatMap { pairing in
            RegressionErrorsTests.Validity.allCases.map { validity in
                seed &+= 1
                return (
                    RegressionErrorsTests.column(
                        length: length, integer: pairing.label, validity: validity, seed: seed),
                    RegressionErrorsTests.column(
                        length: length, integer: pairing.prediction, validity: .mixed, seed: ~seed),
                    validity
                )
            }
        }
    }

    /// Rows left out are counted by the same first reason as the kernel that writes the losses.
    @Test(arguments: [0, 1, 63, 65, 2049, 16_385, 40_001])
    func exclusionsAreTheWrittenKernelsCounts(length: Int) {
        let pairings = [(false, false), (true, false), (false, true), (true, true)]
        for (label, prediction, validity) in Self.columnPairs(length: length, seed: UInt64(length) &* 13, pairings) {
            for loss in [RegressionErrors.Loss.absolute, .squared, .relative] {
                let written = RegressionErrors.compute(
                    label: label.values, prediction: prediction.values, loss: loss, threads: 1)
                for threads in [1, 2, 3] {
                    let counted = RegressionErrors.exclusions(
                        label: label.values, prediction: prediction.values, loss: loss, threads: threads)
                    #expect(
                        counted.missingLabel == written.missingLabel
                            && counted.missingPrediction == written.missingPrediction
                            && counted.zeroLabel == written.zeroLabel && counted.total == written.excluded,
                        "length \(length), \(loss), \(validity), threads \(threads)")
                }
            }
        }
    }

    /// With rows left out: the kept rows' errors and flags as the kernel that writes the losses gives them, and the
    /// quantile and failures of the losses made from those errors as those of the written losses, bit for bit.
    @Test(arguments: [0, 1, 65, 16_385, 140_001])
    func keptErrorsGiveTheWrittenKernelsErrorsQuantileAndFailures(length: Int) {
        let pairings = [(false, false), (true, false), (false, true)]
        for (label, prediction, validity) in Self.columnPairs(length: length, seed: UInt64(length) &* 7, pairings) {
            for loss in [RegressionErrors.Loss.absolute, .squared, .relative] {
                let written = RegressionErrors.compute(
                    label: label.values, prediction: prediction.values, loss: loss, threads: 1,
                    writesErrors: false)
                let context = "length \(length), \(loss), \(validity)"
                for threads in [1, 3] {
                    let kept = RegressionErrors.keptErrors(
                        label: label.values, prediction: prediction.values, loss: loss, threads: threads)
                    #expect(kept.keep == (written.keep ?? [Bool](repeating: true, count: length)), "\(context)")
                    if written.keep != nil {
                        #expect(kept.errors.map(\.bitPattern) == written.errors.map(\.bitPattern), "\(context)")
                    }
                    guard let lossOfError = loss.ofError else { continue }
                    let sorted = written.losses.sorted()
                    for q in Self.quantiles {
                        let expected = sorted.isEmpty ? nil : Quantiles.linear(sorted: sorted, q: q)
                        let got = RegressionErrors.lossQuantile(
                            errors: kept.errors, loss: lossOfError, q: q, threads: threads)
                        #expect(got?.bitPattern == expected?.bitPattern, "\(context), q \(q)")
                    }
                    let middle = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
                    for threshold in [-1, 0, middle, .infinity, .nan] {
                        #expect(
                            RegressionErrors.failures(
                                errors: kept.errors, loss: lossOfError, above: threshold, threads: threads)
                                == RegressionErrors.failures(losses: written.losses, above: threshold, threads: 1),
                            "\(context), threshold \(threshold)")
                    }
                }
            }
        }
    }

    /// Losses with a period equal to the sampling stride (`QuantilesTests.bracketsDeclineWhenTheSampleMisleads`):
    /// the brackets decline, and the quantile is selected from the written losses instead, still exactly.
    @Test func aMisleadingSampleFallsBackToTheWrittenLosses() {
        var random = SeededRandom(seed: 5)
        let count = 1 << 18
        let stride = count / OrderStatistics.bracketSampleSize
        let errors = (0..<count).map { row in row % stride == 0 ? random.unit() * 100 : 60 + random.unit() }
        let label = RegressionErrors.Values.float64(ColumnBuffer([Double](repeating: 0, count: count)), nil)
        let prediction = RegressionErrors.Values.float64(ColumnBuffer(errors), nil)
        let sorted = errors.sorted()
        for q in [0.1, 0.9] {
            let got = RegressionErrors.lossQuantile(
                label: label, prediction: prediction, loss: .absolute, q: q, threads: 2)
            #expect(got?.bitPattern == Quantiles.linear(sorted: sorted, q: q).bitPattern, "q \(q)")
        }
    }
}

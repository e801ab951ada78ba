import Kernels
import Stats

extension SliceStatistics {
    /// The statistics of a slice with sufficient statistics `slice`, against the rest of `total`.
    /// The q-value is NaN until the family is corrected (`MultipleTesting`); an empty slice gets NaN p and q.
    /// - Parameters:
    ///   - regression: whether to add MAE/RMSE/mean signed error.
    ///   - binary: whether to add confusion counts.
    public static func make(slice: GroupStats, total: GroupStats, regression: Bool, binary: Bool) -> SliceStatistics {
        let n = slice.rows
        let rate = n > 0 ? Double(slice.failures) / Double(n) : .nan
        let overall = total.rows > 0 ? Double(total.failures) / Double(total.rows) : .nan
        let interval = Proportions.wilson(successes: slice.failures, trials: n)
        let rest = slice.complement(in: total)
        let comparison: ComparisonResult
        if n > 0 {
            comparison = TwoSampleTests.compare(
                successes1: slice.failures, trials1: n, successes2: rest.failures, trials2: rest.rows)
        } else {
            comparison = ComparisonResult(pValue: .nan, method: .fisherExact, statistic: nil)
        }
        let count = Double(max(n, 1))
        return SliceStatistics(
            n: n, failures: slice.failures, failureRate: rate,
            ciLow: n > 0 ? interval.low : .nan, ciHigh: n > 0 ? interval.high : .nan,
            lift: overall > 0 ? rate / overall : .nan,
            pValue: comparison.pValue, qValue: .nan, test: comparison.method == .fisherExact ? .fisher : .z,
            meanLoss: n > 0 ? slice.lossSum / Double(n) : .nan,
            regression: regression
                ? RegressionMetrics(
                    meanAbsoluteError: n > 0 ? slice.absoluteErrorSum / count : .nan,
                    rootMeanSquaredError: n > 0 ? (slice.squaredErrorSum / count).squareRoot() : .nan,
                    meanSignedError: n > 0 ? slice.signedErrorSum / count : .nan)
                : nil,
            classification: binary
                ? BinaryMetrics(
                    truePositives: slice.confusion[Int(ConfusionCell.truePositive.rawValue)],
                    falsePositives: slice.confusion[Int(ConfusionCell.falsePositive.rawValue)],
                    trueNegatives: slice.confusion[Int(ConfusionCell.trueNegative.rawValue)],
                    falseNegatives: slice.confusion[Int(ConfusionCell.falseNegative.rawValue)])
                : nil)
    }
}

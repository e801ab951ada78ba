/// The test a slice was compared with against the rest of the data.
public enum SignificanceTest: String, Sendable, Equatable {
    /// Fisher's exact test (when an expected cell count is below 5).
    case fisher
    /// The pooled two-proportion z-test.
    case z
}

/// The honest statistics of one slice: size, failure rate with its Wilson interval, lift over the
/// overall rate, a two-sided test against the complement and a Benjamini-Hochberg q-value, plus
/// task-specific metrics.
public struct SliceStatistics: Sendable, Equatable {
    public var n: Int
    public var failures: Int
    public var failureRate: Double
    public var ciLow: Double
    public var ciHigh: Double
    /// `failureRate / overall rate`; NaN when the overall rate is 0.
    public var lift: Double
    public var pValue: Double
    /// Filled in after all slices of the family are known.
    public var qValue: Double
    public var test: SignificanceTest
    /// Mean loss of the failure definition (the continuous error for regression).
    public var meanLoss: Double
    public var regression: RegressionMetrics?
    public var classification: BinaryMetrics?

    public init(
        n: Int, failures: Int, failureRate: Double, ciLow: Double, ciHigh: Double, lift: Double, pValue: Double,
        qValue: Double, test: SignificanceTest, meanLoss: Double, regression: RegressionMetrics?,
        classification: BinaryMetrics?
    ) {
        self.n = n
        self.failures = failures
        self.failureRate = failureRate
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.lift = lift
        self.pValue = pValue
        self.qValue = qValue
        self.test = test
        self.meanLoss = meanLoss
        self.regression = regression
        self.classification = classification
    }
}

/// Error metrics of a regression slice, on the signed error `prediction - label`.
public struct RegressionMetrics: Sendable, Equatable {
    public var meanAbsoluteError: Double
    public var rootMeanSquaredError: Double
    public var meanSignedError: Double

    public init(meanAbsoluteError: Double, rootMeanSquaredError: Double, meanSignedError: Double) {
        self.meanAbsoluteError = meanAbsoluteError
        self.rootMeanSquaredError = rootMeanSquaredError
        self.meanSignedError = meanSignedError
    }
}

/// Confusion counts and rates of a binary-classification slice; a rate with a zero denominator is NaN.
public struct BinaryMetrics: Sendable, Equatable {
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int

    public init(truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var falsePositiveRate: Double { ratio(falsePositives, falsePositives + trueNegatives) }
    public var falseNegativeRate: Double { ratio(falseNegatives, falseNegatives + truePositives) }

    private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? .nan : Double(numerator) / Double(denominator)
    }
}

import ColumnStore
import Kernels
import Stats

/// How strongly one feature goes with failures (`analysis.json` → `associations[]`).
public struct FeatureAssociation: Sendable, Equatable {
    /// Measures on a numeric feature's raw values.
    public struct Numeric: Sendable, Equatable {
        /// The point-biserial correlation of the value with the failure indicator (NaN when undefined).
        public var pointBiserial: Double
        /// Its two-sided p-value (t-test, n − 2 df).
        public var pointBiserialPValue: Double
        /// The ROC AUC of the raw value as a failure score (½ = no separation; below ½: low values fail more).
        public var auc: Double
        /// The two-sided Mann–Whitney p-value of the AUC against ½.
        public var aucPValue: Double
        /// Rows with a value (missing values are left out of these two measures).
        public var rows: Int

        /// Creates the measures.
        public init(pointBiserial: Double, pointBiserialPValue: Double, auc: Double, aucPValue: Double, rows: Int) {
            self.pointBiserial = pointBiserial
            self.pointBiserialPValue = pointBiserialPValue
            self.auc = auc
            self.aucPValue = aucPValue
            self.rows = rows
        }
    }

    /// The feature.
    public var feature: String
    /// Its kind.
    public var kind: FeatureKind
    /// Rows in the table.
    public var rows: Int
    /// Non-empty bins (the missing-value bin included).
    public var bins: Int
    /// Mutual information between the bin and the failure indicator, in nats.
    public var mutualInformation: Double
    /// Cramér's V of the bins × failure table, in [0, 1] (the ranking key).
    public var cramersV: Double
    /// Pearson's X² of that table.
    public var chiSquare: Double
    /// Its degrees of freedom (bins − 1).
    public var degreesOfFreedom: Int
    /// `P(χ² > X²)`.
    public var pValue: Double
    /// Benjamini–Hochberg q-value over the features.
    public var qValue: Double
    /// Raw-value measures, for features given numeric values.
    public var numeric: Numeric?
    /// Whether the report claims this association: q below the conditions family's level (set by the analysis;
    /// see ``ConditionsLevel``).
    public var significant = false

    /// Creates an entry.
    public init(
        feature: String, kind: FeatureKind, rows: Int, bins: Int, mutualInformation: Double, cramersV: Double,
        chiSquare: Double, degreesOfFreedom: Int, pValue: Double, qValue: Double, numeric: Numeric?
    ) {
        self.feature = feature
        self.kind = kind
        self.rows = rows
        self.bins = bins
        self.mutualInformation = mutualInformation
        self.cramersV = cramersV
        self.chiSquare = chiSquare
        self.degreesOfFreedom = degreesOfFreedom
        self.pValue = pValue
        self.qValue = qValue
        self.numeric = numeric
    }
}

/// Per-feature association with failures, one entry per feature, strongest first.
///
/// On the bins (every bin, the missing-value bin included; empty bins ignored), from the bins × failure table:
/// mutual information in **nats**, Cramér's V and the chi-square test of independence
/// (``Stats/Association/contingency(successes:trials:)``). For numeric features whose raw values are supplied, also
/// the point-biserial correlation (``Stats/Association/pointBiserial(groupCount:group:)``, one term per distinct value)
/// and the ROC AUC of the raw
/// value (``Stats/Association/rocAUC(values:outcome:)``, sklearn's `roc_auc_score`; ranked by
/// ``Kernels/RankSums``), over rows with a value.
///
/// Ranking: Cramér's V descending (it is comparable across features with different bin counts, unlike raw MI),
/// then mutual information, then the name. q-values: Benjamini–Hochberg over the features' chi-square p-values.
public enum FeatureAssociations {
    /// The associations of `features` with the failures in `outcomes`.
    ///
    /// - Parameters:
    ///   - features: The binned features (one code per row).
    ///   - outcomes: The per-row failures.
    ///   - numericValues: Raw values per feature name (NaN = missing; one per row), e.g. from
    ///     ``numericValues(of:keep:)``; features without an entry, and without ``BinnedFeature/rawValueMeasures``,
    ///     get no numeric measures.
    /// - Returns: One entry per feature, ranked.
    /// - Precondition: Codes and values have one entry per row of `outcomes`.
    /// - Complexity: O(rows) per feature (the values counted per distinct value, ``Kernels/ValueCounts``), spread
    ///   over `threads`.
    public static func evaluate(
        features: [BinnedFeature], outcomes: RowOutcomes, numericValues: [String: [Double]] = [:], threads: Int = 1
    ) -> [FeatureAssociation] {
        evaluate(features: features, outcomes: outcomes, threads: threads) { numericValues[$0.name] }
    }

    /// As ``evaluate(features:outcomes:numericValues:threads:)``, with each feature's raw values made on demand
    /// by `numericValues` (nil: none), so that only one feature's values per thread are alive at a time (a feature
    /// binned with the failures carries its raw-value measures, ``BinnedFeature/rawValueMeasures``, and is not
    /// asked for its values), and its rows and failures per code taken from `counts` when given (the 1-D slicing has
    /// counted them already; nil, or counts of another length, are counted here).
    public static func evaluate(
        features: [BinnedFeature], outcomes: RowOutcomes, threads: Int,
        counts: (BinnedFeature) -> (trials: [Int], failures: [Int])? = { _ in nil },
        numericValues: (BinnedFeature) -> [Double]?
    ) -> [FeatureAssociation] {
        // Features are independent: one per task, results in feature order whatever the thread count.
        var entries = Parallel.map(count: features.count, threads: threads) { index -> FeatureAssociation in
            let feature = features[index]
            precondition(feature.codes.count == outcomes.count, "feature codes and outcomes differ in length")
            let groupCount = max(1, feature.identities.count)
            let table =
                counts(feature).flatMap { $0.trials.count == groupCount && $0.failures.count == groupCount ? $0 : nil }
                ?? ConditionCounts.perCode(feature.codes, groupCount: groupCount, failure: outcomes.failure)
            let measures = Association.contingency(successes: table.failures, trials: table.trials)
            var numeric = feature.rawValueMeasures
            if numeric == nil, let values = numericValues(feature) {
                precondition(values.count == outcomes.count, "numeric values and outcomes differ in length")
                numeric = numericMeasures(values: values, outcome: outcomes.failure)
            }
            return FeatureAssociation(
                feature: feature.name, kind: feature.kind, rows: measures.total, bins: measures.nonEmptyGroups,
                mutualInformation: measures.mutualInformation, cramersV: measures.cramersV,
                chiSquare: measures.chiSquare, degreesOfFreedom: measures.degreesOfFreedom, pValue: measures.pValue,
                qValue: .nan, numeric: numeric)
        }
        let qValues = MultipleTesting.benjaminiHochberg(entries.map(\.pValue))
        for index in entries.indices { entries[index].qValue = qValues[index] }
        return entries.sorted { a, b in
            if a.cramersV != b.cramersV { return a.cramersV > b.cramersV }
            if a.mutualInformation != b.mutualInformation { return a.mutualInformation > b.mutualInformation }
            return a.feature < b.feature
        }
    }

    /// The point-biserial correlation and the ROC AUC of `values` (NaN = missing) against `outcome`, from their
    /// ``Kernels/ValueCounts`` (row by row only past 2³² − 2 rows).
    public static func numericMeasures(values: [Double], outcome: [UInt8]) -> FeatureAssociation.Numeric {
        if let counts = ValueCounts.of(values: values, outcome: outcome) { return numericMeasures(counts) }
        let correlation = Association.pointBiserial(values: values, outcome: outcome)
        return numericMeasures(correlation: correlation, ranks: RankSums.of(values: values, outcome: outcome))
    }

    /// The point-biserial correlation and the ROC AUC from a column's value counts.
    public static func numericMeasures(_ counts: ValueCounts) -> FeatureAssociation.Numeric {
        let correlation = Association.pointBiserial(forEachGroup: counts.forEachGroup)
        return numericMeasures(correlation: correlation, ranks: counts.rankSums)
    }

    private static func numericMeasures(correlation: Association.Correlation, ranks: RankSums)
        -> FeatureAssociation.Numeric
    {
        let auc = Association.rocAUC(
            positiveRankSum: ranks.positiveRankSum, tieTerm: ranks.tieTerm, positives: ranks.positives,
            negatives: ranks.negatives)
        return FeatureAssociation.Numeric(
            pointBiserial: correlation.r, pointBiserialPValue: correlation.pValue, auc: auc.auc,
            aucPValue: auc.pValue, rows: correlation.count)
    }

    /// A numeric column's values on the kept rows, in row order, NaN where missing; nil for columns that are not
    /// `float64` or `int64` (text, flags and timestamps get no raw-value measures).
    ///
    /// - Parameters:
    ///   - column: The column.
    ///   - keep: The analysed rows (as passed to ``FeatureBinner/bin(_:role:keep:failure:)``); nil keeps every row.
    /// - Returns: One value per kept row, or nil.
    /// - Complexity: O(rows).
    public static func numericValues(of column: Column, keep: [Bool]?) -> [Double]? {
        switch column.values {
        case .float64, .int64: break
        default: return nil
        }
        if keep == nil {
            switch column.values {
            // A NaN value is NaN already: the column's NaN rows need not be found.
            case .float64(let buffer): return Binning.rowValues(buffer, validity: column.validityExceptNaN)
            case .int64(let buffer): return Binning.rowValues(buffer, validity: column.validity)
            default: return nil
            }
        }
        var values: [Double] = []
        values.reserveCapacity(column.count)
        // Typed loops over the buffer: `doubleValue(at:)` per row switched on the column type every time.
        func collect(_ value: (Int) -> Double) {
            if let keep {
                for row in 0..<column.count where keep[row] { values.append(column.isValid(row) ? value(row) : .nan) }
            } else {
                for row in 0..<column.count { values.append(column.isValid(row) ? value(row) : .nan) }
            }
        }
        switch column.values {
        case .float64(let buffer): collect { buffer[$0] }
        case .int64(let buffer): collect { Double(buffer[$0]) }
        default: break
        }
        return values
    }
}

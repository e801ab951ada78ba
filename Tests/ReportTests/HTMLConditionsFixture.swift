import Foundation

@testable import Report
@testable import SliceSearch

/// The "when" and "under what conditions" data of ``HTMLFixture``: a weekly time analysis with one change point at
/// the third week, slices followed over the weeks, associations, the strongest pair and the joint model. Values are
/// built directly (not computed) so each chart's input is known exactly.
enum HTMLConditionsFixture {
    static let week = 604_800 as Int64
    static let start = 1_325_462_400 as Int64  // 2012-01-02, a Monday

    /// Failures of 80 rows per week (the last week is empty), as in the `ts` feature.
    static let failuresPerWeek = [6, 9, 25, 7, 8, 0]

    static func estimate(_ failures: Int, of n: Int) -> RateEstimate { RateEstimate(failures: failures, of: n) }

    static var time: TimeAnalysisResult {
        let buckets = failuresPerWeek.enumerated().map { index, failures in
            TimeBucketStatistics(
                code: index,
                identity: .timeBucket(start: start + Int64(index) * week, end: start + Int64(index + 1) * week),
                start: .timestamp(start + Int64(index) * week), end: .timestamp(start + Int64(index + 1) * week),
                statistics: estimate(failures, of: index == 5 ? 0 : 80))
        }
        let tests = [
            TimeTest(
                name: .homogeneity, statistic: 27.4, degreesOfFreedom: 4, pValue: 1.6e-5, adjustedPValue: 4.8e-5,
                significant: true, detail: "5 buckets with expected counts >= 5"),
            TimeTest(
                name: .trend, statistic: 0.41, degreesOfFreedom: nil, pValue: 0.68, adjustedPValue: 0.68,
                significant: false, detail: "over bucket order"),
            TimeTest(
                name: .changePoint, statistic: 19.2, degreesOfFreedom: nil, pValue: 4.7e-5, adjustedPValue: 9.4e-5,
                significant: true, detail: "best of 4 positions, Bonferroni-corrected"),
        ]
        let change = TimeChangePoint(
            bucketIndex: 2, at: .timestamp(start + 2 * week), statistic: 19.2, pValue: 4.7e-5, rank: 0,
            before: estimate(15, of: 160), after: estimate(40, of: 240))
        let split = TimeSplit(
            source: .changePoint, bucketIndex: 2, at: .timestamp(start + 2 * week), before: estimate(15, of: 160),
            after: estimate(40, of: 240))
        let emerging = EmergingSlice(
            feature: "age", kind: .numeric, code: 2, identity: .interval(lower: 45, upper: 90, lowerInclusive: false),
            before: estimate(4, of: 45), after: estimate(31, of: 65), pValue: 2e-5, qValue: 1.9e-4, test: .z)
        let decomposition = [
            RateDecomposition(
                feature: "age", kind: .numeric, before: 0.094, after: 0.167, total: 0.073, mix: 0.031, rate: 0.042,
                bins: []),
            RateDecomposition(
                feature: HTMLFixture.hostileFeature, kind: .categorical, before: 0.094, after: 0.167, total: 0.073,
                mix: -0.004, rate: 0.077, bins: []),
        ]
        return TimeAnalysisResult(
            column: "ts", kind: .time, axis: .timestamp, bucket: "week", ordered: true, rows: 400, missingRows: 0,
            buckets: buckets, tests: tests, level: 0.05, correction: "holm", timeDependent: true,
            changePoints: [change],
            segments: [
                TimeSegment(
                    firstBucket: 0, lastBucket: 1, start: .timestamp(start), end: .timestamp(start + 2 * week),
                    statistics: estimate(15, of: 160)),
                TimeSegment(
                    firstBucket: 2, lastBucket: 5, start: .timestamp(start + 2 * week),
                    end: .timestamp(start + 6 * week), statistics: estimate(40, of: 240)),
            ],
            split: split, emerging: [emerging], decomposition: decomposition)
    }

    static func series(_ slice: [SliceReference], failures: [Int], n: [Int]) -> SliceTimeSeries {
        SliceTimeSeries(
            slice: slice, buckets: zip(failures, n).map { estimate($0, of: $1) }, segments: [], before: nil,
            after: nil)
    }

    static var timeSlices: [SliceTimeSeries] {
        let older = SliceReference(feature: "age", identity: .interval(lower: 45, upper: 90, lowerInclusive: false))
        let red = SliceReference(
            feature: HTMLFixture.hostileFeature, identity: .value("red</text><script>alert(1)</script>"))
        return [
            // A label slice: followed, but not drawn (it fails by construction).
            series(
                [SliceReference(feature: "label", identity: .value("1"))], failures: [8, 9, 14, 9, 10, 0],
                n: [20, 20, 20, 20, 20, 0]),
            series([red], failures: [3, 4, 9, 3, 4, 0], n: [20, 20, 20, 20, 20, 0]),
            series([older, red], failures: [1, 1, 6, 2, 0, 0], n: [5, 6, 8, 7, 0, 0]),
        ]
    }

    static var associations: [FeatureAssociation] {
        [
            FeatureAssociation(
                feature: HTMLFixture.hostileFeature, kind: .categorical, rows: 400, bins: 4, mutualInformation: 0.0421,
                cramersV: 0.31, chiSquare: 38.4, degreesOfFreedom: 3, pValue: 2.3e-8, qValue: 6.9e-8, numeric: nil),
            FeatureAssociation(
                feature: "age", kind: .numeric, rows: 400, bins: 3, mutualInformation: 0.0215, cramersV: 0.22,
                chiSquare: 19.4, degreesOfFreedom: 2, pValue: 6.1e-5, qValue: 9.2e-5,
                numeric: .init(pointBiserial: 0.2, pointBiserialPValue: 1e-4, auc: 0.641, aucPValue: 2e-4, rows: 400)),
            FeatureAssociation(
                feature: "region", kind: .categorical, rows: 400, bins: 5, mutualInformation: 0.0031, cramersV: 0.08,
                chiSquare: 2.6, degreesOfFreedom: 4, pValue: 0.63, qValue: 0.63, numeric: nil),
        ]
    }

    /// Colour (rows, with an empty missing-value bin) × age (columns): one cell without rows, two with few.
    static var pair: PairGrid {
        PairGrid(
            rowFeature: HTMLFixture.hostileFeature,
            rowBins: [
                .value("red</text><script>alert(1)</script>"),
                .value("a rather long category name that will not fit the label column at all"),
                .other(mergedCategories: 3), .missing,
            ],
            columnFeature: "age",
            columnBins: [
                .interval(lower: 17, upper: 30, lowerInclusive: true),
                .interval(lower: 30, upper: 45, lowerInclusive: false),
                .interval(lower: 45, upper: 90, lowerInclusive: false),
            ],
            n: [[40, 35, 25], [90, 85, 75], [20, 20, 0], [0, 0, 0]],
            failures: [[8, 12, 20], [5, 12, 13], [2, 6, 0], [0, 0, 0]],
            reason: "the two features most associated with failures")
    }

    static func term(
        _ feature: String, _ code: Int, _ identity: BinIdentity, oddsRatio: Double, low: Double, high: Double,
        q: Double
    ) -> JointModelTerm {
        JointModelTerm(
            feature: feature, kind: feature == "age" ? .numeric : .categorical, code: code, identity: identity, n: 100,
            failures: 20, coefficient: log(oddsRatio), standardError: 0.3, oddsRatio: oddsRatio, ciLow: low,
            ciHigh: high, pValue: q / 2, qValue: q)
    }

    static var model: JointModelResult {
        let colour = HTMLFixture.hostileFeature
        return JointModelResult(
            penalty: 1, totalRows: 400, rows: 400, sampled: false, seed: 0, cells: 24, columns: 4, converged: true,
            iterations: 6, solver: "cholesky", intercept: -1.6, baselineRate: 0.168, logLikelihood: -180.2,
            confidence: 0.95,
            terms: [
                term(
                    colour, 0, .value("red</text><script>alert(1)</script>"), oddsRatio: 2.8, low: 1.6, high: 4.9,
                    q: 0.001),
                term(colour, 2, .other(mergedCategories: 3), oddsRatio: 1.3, low: 0.55, high: 3.1, q: 0.6),
                term(
                    "age", 0, .interval(lower: 17, upper: 30, lowerInclusive: true), oddsRatio: 0.45, low: 0.25,
                    high: 0.8, q: 0.01),
                term(
                    "age", 2, .interval(lower: 45, upper: 90, lowerInclusive: false), oddsRatio: 1.9, low: 1.1,
                    high: 3.3, q: 0.03),
            ],
            references: [
                JointModelReference(
                    feature: colour, code: 1,
                    identity: .value("a rather long category name that will not fit the label column at all"), n: 250,
                    failures: 30),
                JointModelReference(
                    feature: "age", code: 1, identity: .interval(lower: 30, upper: 45, lowerInclusive: false), n: 140,
                    failures: 30),
            ],
            omitted: [])
    }

    /// `result` with every condition analysis filled in.
    static func adding(to result: AnalysisResult) -> AnalysisResult {
        var result = result
        result.time = time
        result.timeSlices = timeSlices
        result.associations = associations
        result.pair = pair
        result.model = model
        // As the analysis does: the claims are marked at the conditions families' level.
        ConditionsLevel.mark(associations: &result.associations, model: &result.model, fdr: result.settings.fdr)
        return result
    }
}

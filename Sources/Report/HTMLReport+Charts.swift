import SliceSearch

/// The charts of one report: what each shows, its file name, and its SVG. The HTML page and the `charts/*.svg`
/// files are both made from this, so they hold the same drawings.
struct ReportCharts {
    /// A chart of the report.
    struct Chart {
        var name: String
        var title: String
        var svg: String
    }

    /// What a chart draws.
    struct Plan {
        enum Content {
            case topSlices
            case conjunctions
            case time
            case timeSlices
            case associations
            case pair
            case model
            case feature(index: Int)
        }

        var name: String
        var title: String
        var content: Content
    }

    var topSlices: Chart?
    /// The multi-feature slices of the search.
    var conjunctions: Chart?
    /// The failure rate over time, with its change points.
    var time: Chart?
    /// The followed slices over time.
    var timeSlices: Chart?
    /// Cramér's V per feature.
    var associations: Chart?
    /// The heatmap of the strongest pair of features.
    var pair: Chart?
    /// The joint model's odds ratios.
    var model: Chart?
    /// Feature index in `result.features` → its chart.
    var features: [Int: Chart] = [:]
    /// Every chart in page order.
    var all: [Chart] = []

    init(_ result: AnalysisResult) {
        for plan in Self.plan(result) {
            let chart = Chart(name: plan.name, title: plan.title, svg: Self.draw(plan, result))
            switch plan.content {
            case .topSlices: topSlices = chart
            case .conjunctions: conjunctions = chart
            case .time: time = chart
            case .timeSlices: timeSlices = chart
            case .associations: associations = chart
            case .pair: pair = chart
            case .model: model = chart
            case .feature(let index): features[index] = chart
            }
            all.append(chart)
        }
    }

    /// The charts in page order, with unique file names.
    static func plan(_ result: AnalysisResult) -> [Plan] {
        var names = ChartNames()
        var plans: [Plan] = []
        if !result.hotspots.isEmpty {
            plans.append(
                Plan(
                    name: names.unique("top-slices"), title: "Top slices: where the model fails most",
                    content: .topSlices))
        }
        if !result.slices.isEmpty {
            plans.append(
                Plan(
                    name: names.unique("multi-feature-slices"), title: "Multi-feature slices: the search's top "
                        + HumanFormat.count(result.slices.count),
                    content: .conjunctions))
        }
        plans += conditionPlans(result, names: &names)
        for index in FeatureOrder.indices(result) {
            let feature = result.features[index]
            plans.append(
                Plan(
                    name: names.unique("feature-" + feature.name), title: featureTitle(feature),
                    content: .feature(index: index)))
        }
        return plans
    }

    static func featureTitle(_ feature: FeatureSlices) -> String {
        if TimeSeriesInput.applies(feature) {
            return feature.name + ": failure rate per " + (feature.timeBucket ?? "bucket")
        }
        switch feature.kind {
        case .categorical: return feature.name + ": failure rate per category"
        case .numeric: return feature.name + ": failure rate per bin"
        case .time, .batch, .label, .prediction: return feature.name + ": failure rate per value"
        }
    }

    static func draw(_ plan: Plan, _ result: AnalysisResult) -> String {
        switch plan.content {
        case .topSlices:
            let rows = result.hotspots.prefix(HTMLReport.maximumSlicesCharted).map { hotspot in
                IntervalChart.Row(
                    label: hotspot.feature + " = " + hotspot.identity.label, estimate: estimate(hotspot.statistics),
                    emphasis: emphasis(hotspot.statistics, result), details: details(hotspot.statistics))
            }
            return IntervalChart.render(title: plan.title, rows: Array(rows), baseline: result.failureRate)
        case .conjunctions:
            let rows = result.slices.prefix(HTMLReport.maximumSlicesCharted).map { finding in
                IntervalChart.Row(
                    label: finding.description, estimate: estimate(finding.statistics),
                    emphasis: emphasis(finding.statistics, result),
                    details: details(finding.statistics) + ["score " + HumanFormat.fixed(finding.score, decimals: 3)])
            }
            return IntervalChart.render(title: plan.title, rows: Array(rows), baseline: result.failureRate)
        case .time: return drawTime(plan.title, result, withSlices: false)
        case .timeSlices: return drawTime(plan.title, result, withSlices: true)
        case .associations: return drawAssociations(plan.title, result)
        case .pair: return drawPair(plan.title, result)
        case .model: return drawModel(plan.title, result)
        case .feature(let index):
            let feature = result.features[index]
            if TimeSeriesInput.applies(feature) {
                let points = feature.bins.compactMap { bin -> TimeSeriesChart.Point? in
                    guard case .timeBucket(let start, _) = bin.identity else { return nil }
                    return TimeSeriesChart.Point(
                        time: Double(start), label: bin.identity.label,
                        estimate: estimate(bin.statistics))
                }
                return TimeSeriesChart.render(
                    title: plan.title, overall: TimeSeriesChart.Series(name: "failure rate", points: points),
                    baseline: result.failureRate,
                    axisTitle: feature.name + " (" + (feature.timeBucket ?? "bucket") + " starting)")
            }
            let bins = feature.bins.map { bin -> BinChart.Bin in
                var ordered = false
                if case .interval = bin.identity { ordered = true }
                return BinChart.Bin(
                    label: bin.identity.label, estimate: estimate(bin.statistics),
                    emphasis: emphasis(bin.statistics, result), details: details(bin.statistics),
                    ordered: ordered)
            }
            return BinChart.render(
                title: plan.title, bins: bins, baseline: result.failureRate,
                layout: feature.kind == .categorical ? .rows : .automatic, axisTitle: feature.name)
        }
    }

    static func estimate(_ statistics: SliceStatistics) -> RateInterval {
        RateInterval(rate: statistics.failureRate, low: statistics.ciLow, high: statistics.ciHigh, n: statistics.n)
    }

    /// Significantly above or below the overall rate at the report's FDR, else neutral.
    static func emphasis(_ statistics: SliceStatistics, _ result: AnalysisResult) -> Emphasis {
        guard statistics.qValue.isFinite, statistics.qValue < result.settings.fdr, statistics.failureRate.isFinite
        else {
            return .neutral
        }
        if statistics.failureRate > result.failureRate { return .higher }
        if statistics.failureRate < result.failureRate { return .lower }
        return .neutral
    }

    /// Tooltip lines: failures of rows, lift, q-value.
    static func details(_ statistics: SliceStatistics) -> [String] {
        [
            HumanFormat.count(statistics.failures) + " of " + HumanFormat.count(statistics.n) + " rows fail",
            "lift " + HumanFormat.ratio(statistics.lift) + ", q-value " + HumanFormat.probability(statistics.qValue),
        ]
    }
}

/// Whether a feature is drawn over time: a time column whose bins are time buckets.
enum TimeSeriesInput {
    static func applies(_ feature: FeatureSlices) -> Bool {
        guard feature.kind == .time else { return false }
        return feature.bins.contains { if case .timeBucket = $0.identity { true } else { false } }
    }
}

/// The order features are shown in: by their worst slice of at least `--min-support` rows (highest lift first),
/// then features without such a slice in their original order.
enum FeatureOrder {
    static func indices(_ result: AnalysisResult) -> [Int] {
        let support = result.settings.minSupport
        var ranked: [(index: Int, lift: Double)] = []
        var rest: [Int] = []
        for (index, feature) in result.features.enumerated() {
            let lifts = feature.bins.filter { $0.statistics.n >= support && $0.statistics.lift.isFinite }
                .map(\.statistics.lift)
            if let worst = lifts.max() { ranked.append((index, worst)) } else { rest.append(index) }
        }
        ranked.sort { a, b in a.lift != b.lift ? a.lift > b.lift : a.index < b.index }
        return ranked.map(\.index) + rest
    }

    /// The bin with the highest failure rate among bins of at least `--min-support` rows.
    static func worstBin(_ feature: FeatureSlices, minSupport: Int) -> FeatureBin? {
        feature.bins.filter { $0.statistics.n >= minSupport && $0.statistics.failureRate.isFinite }.max { a, b in
            a.statistics.failureRate != b.statistics.failureRate
                ? a.statistics.failureRate < b.statistics.failureRate : a.statistics.n < b.statistics.n
        }
    }
}

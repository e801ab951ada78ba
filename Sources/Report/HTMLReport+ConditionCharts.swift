import SliceSearch

// The charts of "when" and "under what conditions": the failure rate over time, the followed slices over time,
// the feature associations, the heatmap of the strongest pair, and the joint model's odds ratios.
extension ReportCharts {
    /// Slices drawn over time: more lines than this tangle (the table in analysis.json has them all).
    static let maximumTimeSlices = 4
    /// Odds ratios in the forest plot: the strongest terms, so the plot stays one screen high.
    static let maximumOddsRatios = 20
    /// Features in the associations chart.
    static let maximumAssociations = 25

    /// The condition charts in page order (time first, then associations, the pair, the model).
    static func conditionPlans(_ result: AnalysisResult, names: inout ChartNames) -> [Plan] {
        var plans: [Plan] = []
        if let time = result.time, !time.buckets.isEmpty {
            plans.append(Plan(name: names.unique("time"), title: timeTitle(time), content: .time))
            if !followedSlices(result).isEmpty {
                let over = time.axis == .label ? "per batch of " + time.column : "over " + time.column
                plans.append(
                    Plan(name: names.unique("time-slices"), title: "Top slices " + over, content: .timeSlices))
            }
        }
        if !result.associations.isEmpty {
            plans.append(
                Plan(
                    name: names.unique("associations"), title: "Features associated with failure (Cramér's V)",
                    content: .associations))
        }
        if let pair = result.pair, !PairCells(pair).isEmpty {
            plans.append(
                Plan(
                    name: names.unique("pair-heatmap"),
                    title: "Failure rate by " + pair.rowFeature + " and " + pair.columnFeature, content: .pair))
        }
        if let model = result.model, !oddsRatioTerms(model).isEmpty {
            plans.append(
                Plan(
                    name: names.unique("odds-ratios"), title: "Odds ratios of failure, other features held fixed",
                    content: .model))
        }
        return plans
    }

    static func timeTitle(_ time: TimeAnalysisResult) -> String {
        switch time.axis {
        case .timestamp: return "Failure rate over time: " + time.column + " per " + time.bucket
        case .index: return "Failure rate over " + time.column + " (" + time.bucket + " bins)"
        case .label: return "Failure rate per batch of " + time.column
        }
    }

    // MARK: - Time

    /// Where each bucket sits on the x axis: epoch seconds, the index value, or the bucket's position for labels.
    static func timePositions(_ time: TimeAnalysisResult) -> [Double] {
        time.buckets.enumerated().map { index, bucket in
            switch bucket.start {
            case .timestamp(let seconds): return Double(seconds)
            case .index(let value): return value
            case .label: return Double(index)
            }
        }
    }

    /// Change points drawn between the last bucket before and the first bucket after the shift, since the rate
    /// changes somewhere in that gap, not at a plotted point.
    static func changePointPosition(_ change: TimeChangePoint, positions: [Double]) -> Double {
        let after = change.bucketIndex
        guard positions.indices.contains(after) else { return .nan }
        guard after > 0 else { return positions[after] }
        return (positions[after - 1] + positions[after]) / 2
    }

    /// `from 2012-01-16: 9.4% (n = 160) → 31.3% (n = 80)`.
    static func changePointLabel(_ change: TimeChangePoint, _ time: TimeAnalysisResult) -> String {
        let start =
            time.buckets.indices.contains(change.bucketIndex)
            ? time.buckets[change.bucketIndex].identity.label : change.at.text
        return "from " + start + ": " + HumanFormat.percent(change.before.rate) + " (n = "
            + HumanFormat.count(change.before.n) + ") → " + HumanFormat.percent(change.after.rate) + " (n = "
            + HumanFormat.count(change.after.n) + "), p = " + HumanFormat.probability(change.pValue)
    }

    /// The slices followed over time that the chart draws: conditions only, aligned with the buckets, at most
    /// ``maximumTimeSlices``. Slices on the label or prediction fail by construction, and slices on a time or batch
    /// column hold one bucket, so neither makes a line worth drawing.
    static func followedSlices(_ result: AnalysisResult) -> [SliceTimeSeries] {
        guard let time = result.time else { return [] }
        let kinds = Dictionary(result.features.map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first })
        let conditions = result.timeSlices.filter { series in
            !series.slice.isEmpty && series.buckets.count == time.buckets.count
                && series.slice.allSatisfy { reference in
                    guard reference.feature != time.column else { return false }
                    switch kinds[reference.feature] {
                    case .label, .prediction, .time, .batch: return false
                    case .numeric, .categorical, nil: return true
                    }
                }
        }
        return Array(conditions.prefix(maximumTimeSlices))
    }

    /// `hr = 17 and workingday = 1`.
    static func sliceName(_ slice: [SliceReference]) -> String {
        slice.map { $0.feature + " = " + $0.identity.label }.joined(separator: " and ")
    }

    static func interval(_ estimate: RateEstimate) -> RateInterval {
        RateInterval(rate: estimate.rate, low: estimate.ciLow, high: estimate.ciHigh, n: estimate.n)
    }

    static func drawTime(_ title: String, _ result: AnalysisResult, withSlices: Bool) -> String {
        guard let time = result.time else { return "" }
        let positions = timePositions(time)
        func series(_ name: String, _ estimates: [RateEstimate]) -> TimeSeriesChart.Series {
            TimeSeriesChart.Series(
                name: name,
                points: zip(time.buckets, zip(positions, estimates)).map { bucket, value in
                    TimeSeriesChart.Point(time: value.0, label: bucket.identity.label, estimate: interval(value.1))
                })
        }
        let overall = series(withSlices ? "all rows" : "failure rate", time.buckets.map(\.statistics))
        let slices = withSlices ? followedSlices(result).map { series(legendName($0.slice), $0.buckets) } : []
        let changes = time.changePoints.map {
            TimeSeriesChart.ChangePoint(
                time: changePointPosition($0, positions: positions), label: changePointLabel($0, time))
        }
        let axisTitle: String
        switch time.axis {
        case .timestamp: axisTitle = time.column + " (" + time.bucket + " starting)"
        case .index: axisTitle = time.column + " (bin lower edge)"
        case .label: axisTitle = time.column
        }
        return TimeSeriesChart.render(
            title: title, overall: overall, slices: slices, changePoints: changes, baseline: result.failureRate,
            axisTitle: axisTitle)
    }

    /// A slice's name short enough for a legend entry (the tooltips give it in full).
    static func legendName(_ slice: [SliceReference]) -> String {
        TextFit.truncated(sliceName(slice), toWidth: 300, fontSize: ChartStyle.legendFontSize)
    }

    // MARK: - Associations

    static func drawAssociations(_ title: String, _ result: AnalysisResult) -> String {
        let bars = result.associations.prefix(maximumAssociations).map { entry in
            var details = [
                "q-value " + HumanFormat.probability(entry.qValue) + " (chi-square over "
                    + HumanFormat.count(entry.bins)
                    + " bins)",
                "mutual information " + HumanFormat.quantity(entry.mutualInformation) + " nats",
            ]
            if let numeric = entry.numeric {
                details.append("AUC of the raw value " + HumanFormat.fixed(numeric.auc, decimals: 3))
            }
            return RankedBars.Bar(
                label: entry.feature, value: entry.cramersV, details: details, muted: !entry.significant)
        }
        return RankedBars.render(
            title: title, bars: Array(bars), format: .decimals(3),
            axisTitle: "Cramér's V of the feature's bins with failure (0: none, 1: complete)",
            mutedLegend: (
                shown: "q < " + ConditionsLevel.familyLevel(fdr: result.settings.fdr).description,
                muted: "not significant"))
    }

    // MARK: - Pair

    static func drawPair(_ title: String, _ result: AnalysisResult) -> String {
        guard let pair = result.pair else { return "" }
        let shown = PairCells(pair)
        let cells = shown.rows.map { row in
            shown.columns.map { column -> RateInterval? in
                let n = pair.n[row][column]
                guard n > 0 else { return nil }
                return interval(RateEstimate(failures: pair.failures[row][column], of: n))
            }
        }
        let notes = shown.rows.map { row in
            shown.columns.map { column in
                HumanFormat.count(pair.failures[row][column]) + " failures of " + HumanFormat.count(pair.n[row][column])
                    + " rows"
            }
        }
        return Heatmap.render(
            title: title, rowTitle: pair.rowFeature, columnTitle: pair.columnFeature,
            rowLabels: shown.rows.map { pair.rowBins[$0].label },
            columnLabels: shown.columns.map { pair.columnBins[$0].label }, cells: cells,
            baseline: result.failureRate, minimumRows: max(result.settings.minSupport, 1), cellNotes: notes)
    }

    // MARK: - Model

    /// The terms the forest plot shows: those whose interval excludes 1 first, then by the size of the effect
    /// (|log odds ratio|), at most ``maximumOddsRatios``; drawn from the highest odds ratio to the lowest.
    static func oddsRatioTerms(_ model: JointModelResult) -> [JointModelTerm] {
        let finite = model.terms.filter { $0.coefficient.isFinite && $0.oddsRatio.isFinite }
        let strongest = finite.sorted { a, b in
            if a.significant != b.significant { return a.significant }
            if abs(a.coefficient) != abs(b.coefficient) { return abs(a.coefficient) > abs(b.coefficient) }
            return (a.feature, a.code) < (b.feature, b.code)
        }.prefix(maximumOddsRatios)
        return strongest.sorted { a, b in
            a.oddsRatio != b.oddsRatio ? a.oddsRatio > b.oddsRatio : (a.feature, a.code) < (b.feature, b.code)
        }
    }

    static func drawModel(_ title: String, _ result: AnalysisResult) -> String {
        guard let model = result.model else { return "" }
        let references = Dictionary(
            model.references.map { ($0.feature, $0.identity.label) }, uniquingKeysWith: { first, _ in first })
        let rows = oddsRatioTerms(model).map { term in
            var details = [
                HumanFormat.count(term.failures) + " failures of " + HumanFormat.count(term.n) + " rows",
                "q-value " + HumanFormat.probability(term.qValue),
            ]
            if let reference = references[term.feature] {
                details.append("against " + term.feature + " = " + reference + " (its most common bin)")
            }
            return ForestPlot.Row(
                label: term.feature + " = " + term.identity.label, oddsRatio: term.oddsRatio, low: term.ciLow,
                high: term.ciHigh, details: details)
        }
        return ForestPlot.render(title: title, rows: rows)
    }
}

/// The cells of a pair grid worth drawing: rows and columns with at least one row of data (an empty bin, such as
/// an unused missing-value bin, would only add a blank line).
struct PairCells {
    var rows: [Int]
    var columns: [Int]

    init(_ pair: PairGrid) {
        let rowCount = min(pair.rowBins.count, pair.n.count)
        let columnCount = pair.n.prefix(rowCount).map(\.count).min().map { min($0, pair.columnBins.count) } ?? 0
        rows = (0..<rowCount).filter { row in (0..<columnCount).contains { pair.n[row][$0] > 0 } }
        columns = (0..<columnCount).filter { column in (0..<rowCount).contains { pair.n[$0][column] > 0 } }
    }

    var isEmpty: Bool { rows.isEmpty || columns.isEmpty }
}

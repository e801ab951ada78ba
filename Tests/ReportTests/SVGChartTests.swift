import Foundation
import Testing

@testable import Report
@testable import SliceSearch

/// Every chart of the SVG module on small fixed inputs: golden files (re-record with `RECORD_SNAPSHOTS=1`),
/// well-formed XML, deterministic bytes, escaped labels, and empty inputs.
struct SVGChartTests {
    static func estimate(_ failures: Int, of n: Int, low: Double, high: Double) -> RateInterval {
        RateInterval(rate: n == 0 ? .nan : Double(failures) / Double(n), low: low, high: high, n: n)
    }

    static let intervalRows = [
        IntervalChart.Row(
            label: "relationship = Husband", estimate: estimate(4478, of: 19716, low: 0.221, high: 0.233),
            emphasis: .higher, details: ["lift 1.80"]),
        IntervalChart.Row(
            label: "native_country = Outlying-US(Guam-USVI-etc) and a very long tail of words",
            estimate: estimate(3, of: 23, low: 0.045, high: 0.321), emphasis: .neutral),
        IntervalChart.Row(
            label: "relationship = Own-child", estimate: estimate(91, of: 7581, low: 0.0098, high: 0.0147),
            emphasis: .lower),
        IntervalChart.Row(
            label: "empty slice", estimate: estimate(0, of: 0, low: .nan, high: .nan), emphasis: .neutral),
    ]

    static var intervalChart: String {
        IntervalChart.render(title: "Top slices", rows: intervalRows, baseline: 0.126)
    }

    static var numericBins: [BinChart.Bin] {
        let edges = [17.0, 22, 26, 30, 33, 37, 90]
        var bins: [BinChart.Bin] = []
        for index in 0..<6 {
            let n = 4000 + index * 300
            let failures = [100, 300, 520, 700, 800, 900][index]
            let rate = Double(failures) / Double(n)
            let emphasis: Emphasis = rate > 0.126 ? .higher : rate < 0.1 ? .lower : .neutral
            bins.append(
                BinChart.Bin(
                    label: (index == 0 ? "[" : "(") + "\(Int(edges[index])), \(Int(edges[index + 1]))]",
                    estimate: RateInterval(rate: rate, low: rate - 0.01, high: rate + 0.012, n: n), emphasis: emphasis,
                    details: ["lift \(HumanFormat.ratio(rate / 0.126))"], ordered: true))
        }
        bins.append(
            BinChart.Bin(
                label: "(missing)", estimate: estimate(20, of: 90, low: 0.15, high: 0.32),
                emphasis: .higher))
        return bins
    }

    static var columnsChart: String {
        BinChart.render(title: "age: failure rate per bin", bins: numericBins, baseline: 0.126, axisTitle: "age")
    }

    static var crowdedBins: [BinChart.Bin] {
        (0..<14).map { index in
            BinChart.Bin(
                label: "(\(100_000 + index * 12_345).5, \(112_345 + index * 12_345).25]",
                estimate: estimate(
                    50 + index * 7, of: 1000, low: 0.03 + Double(index) * 0.007,
                    high: 0.08 + Double(index) * 0.007), emphasis: .neutral, ordered: true)
        }
    }

    static var rotatedChart: String {
        BinChart.render(
            title: "fnlwgt: failure rate per bin", bins: crowdedBins, baseline: 0.1, axisTitle: "fnlwgt",
            width: 520)
    }

    static var rowsChart: String {
        BinChart.render(
            title: "workclass: failure rate per category", bins: numericBins, baseline: 0.126, layout: .rows)
    }

    static var timeSeries: String {
        let day = 86_400.0
        let start = 1_325_376_000.0  // 2012-01-01
        var points: [TimeSeriesChart.Point] = []
        var slice: [TimeSeriesChart.Point] = []
        for week in 0..<12 {
            let n = week == 5 ? 0 : 160 + week
            let failures = [8, 30, 25, 12, 10, 0, 9, 14, 40, 38, 11, 9][week]
            let rate = Double(failures) / Double(max(n, 1))
            let time = start + Double(week) * 7 * day
            let label = BinIdentity.timeBucket(start: Int64(time), end: Int64(time + 7 * day)).label
            points.append(
                TimeSeriesChart.Point(
                    time: time, label: label,
                    estimate: RateInterval(
                        rate: n == 0 ? .nan : rate, low: max(rate - 0.05, 0), high: rate + 0.06, n: n)))
            slice.append(
                TimeSeriesChart.Point(
                    time: time, label: label, estimate: RateInterval(rate: rate * 1.4, low: .nan, high: .nan, n: 40)))
        }
        let other = slice.map { point -> TimeSeriesChart.Point in
            var copy = point
            copy.estimate.rate = point.estimate.rate * 0.6
            return copy
        }
        return TimeSeriesChart.render(
            title: "Failure rate per week", overall: TimeSeriesChart.Series(name: "failure rate", points: points),
            slices: [
                TimeSeriesChart.Series(name: "hr = (16, 19]", points: slice),
                TimeSeriesChart.Series(name: "weathersit = 3", points: other),
            ],
            changePoints: [
                TimeSeriesChart.ChangePoint(
                    time: start + 7 * 7 * day + 3 * day, label: "rate rises from 7.0% to 24.1%"),
                TimeSeriesChart.ChangePoint(time: start + 8 * 7 * day, label: "a second shift close to the first"),
                TimeSeriesChart.ChangePoint(time: start + 10 * 7 * day, label: "rate falls back to 6.5%"),
            ],
            baseline: 0.1, axisTitle: "week starting")
    }

    static var heatmap: String {
        let rows = ["Husband", "Not-in-family", "Own-child"]
        let columns = ["[17, 30]", "(30, 45]", "(45, 60]", "(60, 90]"]
        let cells: [[RateInterval?]] = [
            [
                estimate(120, of: 1200, low: 0.08, high: 0.12), estimate(2100, of: 9000, low: 0.22, high: 0.24),
                estimate(2000, of: 7000, low: 0.27, high: 0.30), estimate(250, of: 1500, low: 0.15, high: 0.19),
            ],
            [
                estimate(150, of: 4000, low: 0.03, high: 0.045), estimate(400, of: 5000, low: 0.07, high: 0.09),
                estimate(260, of: 2800, low: 0.08, high: 0.10), estimate(40, of: 700, low: 0.04, high: 0.08),
            ],
            [
                estimate(60, of: 6500, low: 0.007, high: 0.012), estimate(20, of: 950, low: 0.013, high: 0.032),
                estimate(2, of: 12, low: 0.05, high: 0.45), nil,
            ],
        ]
        return Heatmap.render(
            title: "Failure rate by relationship and age", rowTitle: "relationship",
            columnTitle: "age", rowLabels: rows, columnLabels: columns, cells: cells, baseline: 0.126)
    }

    static var rankedBars: String {
        RankedBars.render(
            title: "Association with failure (Cramér's V)",
            bars: [
                RankedBars.Bar(label: "sex", value: 0.12, low: 0.11, high: 0.13),
                RankedBars.Bar(label: "relationship", value: 0.31, low: 0.30, high: 0.32, details: ["6 categories"]),
                RankedBars.Bar(label: "marital_status", value: 0.30, low: 0.29, high: 0.31),
                RankedBars.Bar(label: "fnlwgt", value: 0.02),
                RankedBars.Bar(label: "undefined", value: .nan),
            ],
            format: .ratio, axisTitle: "Cramér's V")
    }

    static var forestPlot: String {
        ForestPlot.render(
            title: "The model's odds ratios",
            rows: [
                ForestPlot.Row(
                    label: "relationship = Husband", oddsRatio: 2.31, low: 2.10, high: 2.54, details: ["p < 1e-300"]),
                ForestPlot.Row(label: "age (per 10 years)", oddsRatio: 1.18, low: 1.12, high: 1.25),
                ForestPlot.Row(label: "sex = Female", oddsRatio: 0.74, low: 0.55, high: 0.99),
                ForestPlot.Row(label: "race = Other", oddsRatio: 1.05, low: 0.80, high: 1.38),
                ForestPlot.Row(label: "workclass = Never-worked", oddsRatio: 3.0, low: 0.2, high: .infinity),
            ])
    }

    static var all: [(name: String, svg: String)] {
        [
            ("interval-chart.svg", intervalChart), ("bin-chart-columns.svg", columnsChart),
            ("bin-chart-rotated.svg", rotatedChart), ("bin-chart-rows.svg", rowsChart),
            ("time-series.svg", timeSeries), ("heatmap.svg", heatmap), ("ranked-bars.svg", rankedBars),
            ("forest-plot.svg", forestPlot),
        ]
    }

    @Test func chartsMatchTheirGoldenFiles() {
        for chart in Self.all { Snapshot.expectMatches(chart.svg, chart.name) }
    }

    @Test func chartsAreWellFormedStandaloneSVG() {
        for chart in Self.all {
            XMLCheck.expectWellFormed(chart.svg, root: "svg", chart.name)
            #expect(chart.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(chart.svg.contains("viewBox=\"0 0 "))
            for prefix in ["\"", " ", ","] {
                for word in ["nan", "inf", "-inf"] {
                    #expect(!chart.svg.contains(prefix + word), "\(chart.name) has a non-finite number")
                }
            }
            #expect(!chart.svg.contains(" id=\""), "\(chart.name): ids would clash when charts share a page")
        }
    }

    @Test func chartsAreDeterministic() {
        for (first, second) in zip(Self.all, Self.all) { #expect(first.svg == second.svg, "\(first.name)") }
    }

    @Test func labelsAreEscapedAndLongOnesKeepTheirFullTextAsATooltip() {
        let hostile = "</text><script>alert(1)</script> & \"quoted\" 'single' \u{01}"
        let rate = RateInterval(rate: 0.2, low: 0.1, high: 0.3, n: 50)
        let charts = [
            IntervalChart.render(
                title: hostile, rows: [IntervalChart.Row(label: hostile, estimate: rate, emphasis: .higher)],
                baseline: 0.1, baselineLabel: hostile),
            BinChart.render(
                title: hostile, bins: [BinChart.Bin(label: hostile, estimate: rate, emphasis: .lower)],
                baseline: 0.1, layout: .columns, axisTitle: hostile),
            TimeSeriesChart.render(
                title: hostile,
                overall: TimeSeriesChart.Series(
                    name: hostile,
                    points: [
                        TimeSeriesChart.Point(time: 0, label: hostile, estimate: rate),
                        TimeSeriesChart.Point(time: 1, label: hostile, estimate: rate),
                    ]),
                slices: [TimeSeriesChart.Series(name: hostile, points: [])],
                changePoints: [TimeSeriesChart.ChangePoint(time: 0.5, label: hostile)], baseline: 0.1),
            Heatmap.render(
                title: hostile, rowTitle: hostile, columnTitle: hostile, rowLabels: [hostile],
                columnLabels: [hostile], cells: [[rate]], baseline: 0.1),
            RankedBars.render(
                title: hostile, bars: [RankedBars.Bar(label: hostile, value: 1)], format: .ratio,
                axisTitle: hostile),
            ForestPlot.render(title: hostile, rows: [ForestPlot.Row(label: hostile, oddsRatio: 2, low: 1, high: 4)]),
        ]
        for svg in charts {
            XMLCheck.expectWellFormed(svg, root: "svg", "chart with hostile labels")
            #expect(!svg.contains("<script"))
            #expect(svg.contains("&lt;/text&gt;&lt;script&gt;"))
        }
        let long = "native_country = Outlying-US(Guam-USVI-etc) and a very long tail of words"
        #expect(Self.intervalChart.contains("<title>" + long + "\n"), "the row tooltip starts with the full label")
        #expect(Self.intervalChart.contains("…</text>"), "the drawn label is shortened")
    }

    @Test func emptyInputsGiveAMessageNotACrash() {
        let empty = [
            IntervalChart.render(title: "none", rows: [], baseline: 0.1),
            BinChart.render(title: "none", bins: [], baseline: nil, layout: .columns),
            TimeSeriesChart.render(
                title: "none", overall: TimeSeriesChart.Series(name: "rate", points: []), baseline: nil),
            Heatmap.render(
                title: "none", rowTitle: "a", columnTitle: "b", rowLabels: [], columnLabels: [], cells: [],
                baseline: 0.1),
            RankedBars.render(title: "none", bars: [], format: .ratio, axisTitle: "v"),
            ForestPlot.render(title: "none", rows: []),
        ]
        for svg in empty { XMLCheck.expectWellFormed(svg, root: "svg", "empty chart") }
        #expect(empty[0].contains("no slices to show"))
        #expect(empty[2].contains("no time buckets to show"))
    }

    @Test func binChartsChooseTheirLayout() {
        let many = (0..<(BinChart.maximumColumns + 1)).map {
            BinChart.Bin(
                label: "c\($0)", estimate: RateInterval(rate: 0.1, low: 0.05, high: 0.2, n: 10), emphasis: .neutral)
        }
        let automatic = BinChart.render(title: "t", bins: many, baseline: 0.1)
        #expect(automatic.contains("class=\"row\""), "more bins than maximumColumns read as rows")
        #expect(Self.columnsChart.contains("class=\"bin\""))
        #expect(Self.rotatedChart.contains("rotate(-45"), "crowded interval labels are rotated")
        #expect(Self.columnsChart.contains("<polyline"), "ordered bins are joined")
    }

    @Test func theForestPlotIsLogScaledAroundOne() {
        let svg = Self.forestPlot
        #expect(svg.contains(">no association</text>"))
        #expect(svg.contains(">2.31 (2.10 to 2.54)</text>"))
        #expect(svg.contains(">3.00 (0.20 to ∞)</text>"))
        #expect(svg.contains("<polygon"), "an unbounded interval ends in an arrow")
        #expect(ForestPlot.Row(label: "x", oddsRatio: 2, low: 1.2, high: 3).emphasis == .higher)
        #expect(ForestPlot.Row(label: "x", oddsRatio: 0.5, low: 0.3, high: 0.9).emphasis == .lower)
        #expect(ForestPlot.Row(label: "x", oddsRatio: 1.1, low: 0.9, high: 1.3).emphasis == .neutral)
    }

    @Test func rankedBarsAreSortedLargestFirst() {
        let order = RankedBars.ranked([
            RankedBars.Bar(label: "b", value: 1), RankedBars.Bar(label: "nan", value: .nan),
            RankedBars.Bar(label: "a", value: 1), RankedBars.Bar(label: "c", value: 3),
        ]).map(\.label)
        #expect(order == ["c", "a", "b", "nan"])
    }

    @Test func heatmapColoursDivergeAroundTheBaseline() {
        #expect(Heatmap.colourPosition(0.126, baseline: 0.126, lowest: 0, highest: 0.3) == 0)
        #expect(Heatmap.colourPosition(0.3, baseline: 0.126, lowest: 0, highest: 0.3) == 1)
        #expect(Heatmap.colourPosition(0, baseline: 0.126, lowest: 0, highest: 0.3) == -1)
        #expect(Self.heatmap.contains("fill-opacity=\"0.35\""), "a cell of few rows is faded")
        #expect(Self.heatmap.contains("Own-child × (60, 90]: no rows"))
        let ragged = Heatmap.render(
            title: "r", rowTitle: "a", columnTitle: "b", rowLabels: ["x", "y"],
            columnLabels: ["1", "2"], cells: [[nil]], baseline: 0.1)
        XMLCheck.expectWellFormed(ragged, root: "svg", "ragged heatmap")
    }

    @Test func timeSeriesMarksChangePointsAndBreaksAtEmptyBuckets() {
        let svg = Self.timeSeries
        #expect(svg.components(separatedBy: "class=\"change-point\"").count - 1 == 3)
        #expect(svg.contains("change point 1: rate rises from 7.0% to 24.1%"))
        let segments = TimeSeriesChart.segments([
            TimeSeriesChart.Point(time: 2, label: "b", estimate: RateInterval(rate: 0.1, low: 0, high: 0.2, n: 5)),
            TimeSeriesChart.Point(time: 1, label: "a", estimate: RateInterval(rate: 0.1, low: 0, high: 0.2, n: 5)),
            TimeSeriesChart.Point(
                time: 3, label: "gap", estimate: RateInterval(rate: .nan, low: .nan, high: .nan, n: 0)),
            TimeSeriesChart.Point(time: 4, label: "c", estimate: RateInterval(rate: 0.1, low: 0, high: 0.2, n: 5)),
        ])
        #expect(segments.map { $0.map(\.label) } == [["a", "b"], ["c"]])
    }
}

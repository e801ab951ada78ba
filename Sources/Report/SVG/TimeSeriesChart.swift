/// The failure rate over time: a line with its 95% interval as a shaded band, the baseline as a dashed line,
/// change points as numbered vertical markers, and optionally further series (top slices over time) as coloured
/// lines. Times are plain numbers (epoch seconds of each bucket's start, or a batch index) and are spaced as such,
/// so a gap in the data shows as a gap on the axis.
///
/// ```
///        ①                  ②
///  30% ┤ ┆     ╱╲            ┆
///  20% ┤ ┆▒▒▒▒╱▒▒╲▒▒▒▒▒▒▒▒▒▒▒┆▒▒╱▔▔
///  10% ┤─┆──────────────────-┆────── overall 12.6%
///      2012-01-02   2012-02-06   2012-03-12
/// ```
enum TimeSeriesChart {
    /// One bucket: where it sits on the time axis, its label, and its rate.
    struct Point: Equatable {
        var time: Double
        var label: String
        var estimate: RateInterval
    }

    /// A named sequence of points, drawn in time order.
    struct Series: Equatable {
        var name: String
        var points: [Point]
    }

    /// A detected shift, marked at `time`; `label` explains it in the tooltip.
    struct ChangePoint: Equatable {
        var time: Double
        var label: String
    }

    /// Slice series drawn at most (each takes a colour of ``Palette/series``).
    static let maximumSlices = Palette.series.count

    /// The chart as a standalone SVG document.
    /// - Parameters:
    ///   - overall: the main series, drawn with its interval band.
    ///   - slices: further series (lines only), at most ``maximumSlices``; more are left out.
    ///   - changePoints: numbered markers in time order.
    ///   - baseline: the overall rate for the dashed line; nil for none.
    static func render(
        title: String, overall: Series, slices: [Series] = [], changePoints: [ChangePoint] = [], baseline: Double?,
        baselineLabel: String = "overall", axisTitle: String? = nil, width: Double = ChartStyle.width
    ) -> String {
        let n = SVGWriter.number
        let shownSlices = Array(slices.prefix(maximumSlices))
        let sortedChanges = changePoints.sorted { $0.time < $1.time }
        var svg = SVGWriter()
        ChartChrome.title(&svg, title, width: width)
        var legend = [
            LegendItem(swatch: .line(Palette.blue), label: overall.name),
            LegendItem(swatch: .band(Palette.blue), label: "95% interval"),
        ]
        for (index, series) in shownSlices.enumerated() {
            legend.append(LegendItem(swatch: .line(Palette.series(index)), label: series.name))
        }
        if !sortedChanges.isEmpty {
            legend.append(LegendItem(swatch: .dashedLine(Palette.vermillion), label: "change point"))
        }
        let baselineText = baseline.map { baselineLabel + " " + HumanFormat.percent($0) }
        if let baselineText { legend.append(LegendItem(swatch: .dashedLine(Palette.baseline), label: baselineText)) }
        let legendHeight = ChartChrome.legend(
            &svg, items: legend, x: ChartStyle.margin, y: 40,
            maxWidth: width - 2 * ChartStyle.margin)

        let allPoints = overall.points + shownSlices.flatMap(\.points)
        let times = allPoints.map(\.time).filter(\.isFinite)
        let first = times.min() ?? 0
        let last = times.max() ?? 1
        let sortedTimes = Array(Set(overall.points.map(\.time).filter(\.isFinite))).sorted()
        var spacing = 1.0
        if sortedTimes.count > 1 {
            let gaps = zip(sortedTimes.dropFirst(), sortedTimes).map { $0 - $1 }.sorted()
            spacing = gaps[gaps.count / 2]
        }
        let pad = first == last ? 1 : spacing / 2

        // Change-point markers: numbered circles above the plot, staggered upwards when they would touch.
        let markerRadius = 8.0
        let plotLeft = ChartStyle.margin + 66
        let plotRight = width - ChartStyle.margin - 8
        let xScale = LinearScale(
            domainLower: first - pad, domainUpper: last + pad, rangeStart: plotLeft,
            rangeEnd: plotRight)
        var markerLevels: [Int] = []
        var levelRightEdges: [Double] = []
        for change in sortedChanges {
            let x = xScale.clamped(change.time)
            var level = 0
            while level < levelRightEdges.count && x - markerRadius < levelRightEdges[level] + 2 { level += 1 }
            if level == levelRightEdges.count { levelRightEdges.append(-.infinity) }
            levelRightEdges[level] = x + markerRadius
            markerLevels.append(level)
        }
        let markerRoom = sortedChanges.isEmpty ? 0 : Double(levelRightEdges.count) * (2 * markerRadius + 4) + 4
        let plotTop = 40 + legendHeight + 10 + markerRoom
        let plotBottom = plotTop + 240

        let ticks = RateMarks.rateTicks(
            overall.points.flatMap { [$0.estimate.rate, $0.estimate.high] }
                + shownSlices.flatMap { $0.points.map(\.estimate.rate) } + [baseline ?? 0])
        let yScale = LinearScale(
            domainLower: ticks.lower, domainUpper: ticks.upper, rangeStart: plotBottom,
            rangeEnd: plotTop)
        Axis.left(
            &svg, ticks: Axis.ticks(ticks, scale: yScale, format: .percent), x: plotLeft, top: plotTop,
            bottom: plotBottom, gridRight: plotRight)
        Axis.title(
            &svg, "failure rate", x: ChartStyle.margin + 6, y: (plotTop + plotBottom) / 2, vertical: true,
            maxWidth: plotBottom - plotTop)
        let timeTicks = overall.points.filter { $0.time.isFinite }.sorted { $0.time < $1.time }.map {
            Axis.Tick(position: xScale($0.time), label: TextFit.singleLine($0.label))
        }
        Axis.bottom(&svg, ticks: timeTicks, y: plotBottom, x0: plotLeft, x1: plotRight, gridTop: nil)
        var bottom = plotBottom + 24
        if let axisTitle {
            Axis.title(&svg, axisTitle, x: (plotLeft + plotRight) / 2, y: bottom + 14, maxWidth: plotRight - plotLeft)
            bottom += 22
        }
        if overall.points.isEmpty {
            svg.text(
                "no time buckets to show",
                [
                    ("x", n((plotLeft + plotRight) / 2)), ("y", n((plotTop + plotBottom) / 2)),
                    ("text-anchor", "middle"),
                    ("fill", Palette.mutedText),
                ])
        }
        if let baseline, baselineText != nil {
            let y = yScale.clamped(baseline)
            svg.element(
                "line",
                [
                    ("x1", n(plotLeft)), ("y1", n(y)), ("x2", n(plotRight)), ("y2", n(y)), ("stroke", Palette.baseline),
                    ("stroke-width", "1.5"), ("stroke-dasharray", "4 3"),
                ])
        }

        // The band, then the overall line and its points.
        let overallSegments = segments(overall.points)
        svg.open("g", [("class", "band"), ("fill", Palette.blue), ("fill-opacity", "0.2")])
        for segment in overallSegments {
            let withInterval = segment.filter(\.estimate.hasInterval)
            guard !withInterval.isEmpty else { continue }
            var outline = withInterval.map { (x: xScale($0.time), y: yScale.clamped($0.estimate.high)) }
            outline += withInterval.reversed().map { (x: xScale($0.time), y: yScale.clamped($0.estimate.low)) }
            if withInterval.count == 1 {
                // A lone bucket: a narrow bar rather than a zero-width polygon.
                let x = xScale(withInterval[0].time)
                outline = [(x - 3, outline[0].y), (x + 3, outline[0].y), (x + 3, outline[1].y), (x - 3, outline[1].y)]
            }
            svg.element("polygon", [("points", SVGWriter.points(outline))])
        }
        svg.close("g")
        drawLine(
            &svg, segments: overallSegments, colour: Palette.blue, width: 2, xScale: xScale, yScale: yScale,
            seriesName: overall.name)
        for (index, series) in shownSlices.enumerated() {
            drawLine(
                &svg, segments: segments(series.points), colour: Palette.series(index), width: 1.5,
                xScale: xScale, yScale: yScale, seriesName: series.name)
        }

        for (index, change) in sortedChanges.enumerated() {
            let x = xScale.clamped(change.time)
            let centerY = plotTop - 6 - markerRadius - Double(markerLevels[index]) * (2 * markerRadius + 4)
            svg.open("g", [("class", "change-point")])
            svg.title("change point \(index + 1): " + change.label)
            svg.element(
                "line",
                [
                    ("x1", n(x)), ("y1", n(centerY + markerRadius)), ("x2", n(x)), ("y2", n(plotBottom)),
                    ("stroke", Palette.vermillion), ("stroke-width", "1.5"), ("stroke-dasharray", "5 3"),
                ])
            svg.element(
                "circle",
                [
                    ("cx", n(x)), ("cy", n(centerY)), ("r", n(markerRadius)), ("fill", Palette.vermillion),
                ])
            svg.text(
                String(index + 1),
                [
                    ("x", n(x)), ("y", n(centerY + 3.5)), ("text-anchor", "middle"), ("font-size", "10"),
                    ("font-weight", "bold"), ("fill", Palette.background),
                ])
            svg.close("g")
        }
        return svg.document(width: width, height: bottom + 8, label: title)
    }

    /// Runs of consecutive drawable points in time order (a bucket without rows breaks the line).
    static func segments(_ points: [Point]) -> [[Point]] {
        var result: [[Point]] = []
        var current: [Point] = []
        for point in points.filter({ $0.time.isFinite }).sorted(by: { $0.time < $1.time }) {
            if point.estimate.isDrawable {
                current.append(point)
            } else if !current.isEmpty {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private static func drawLine(
        _ svg: inout SVGWriter, segments: [[Point]], colour: String, width: Double, xScale: LinearScale,
        yScale: LinearScale, seriesName: String
    ) {
        let n = SVGWriter.number
        svg.open("g", [("class", "series")])
        for segment in segments where segment.count > 1 {
            svg.element(
                "polyline",
                [
                    (
                        "points",
                        SVGWriter.points(segment.map { (x: xScale($0.time), y: yScale.clamped($0.estimate.rate)) })
                    ),
                    ("fill", "none"), ("stroke", colour), ("stroke-width", n(width)), ("stroke-linejoin", "round"),
                ])
        }
        let radius = segments.reduce(0) { $0 + $1.count } > 150 ? 1.5 : 2.5
        for point in segments.joined() {
            svg.element(
                "circle",
                [
                    ("cx", n(xScale(point.time))), ("cy", n(yScale.clamped(point.estimate.rate))), ("r", n(radius)),
                    ("fill", colour),
                ], title: seriesName + ", " + point.label + ": " + point.estimate.summary)
        }
        svg.close("g")
    }
}

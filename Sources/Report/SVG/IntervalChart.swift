/// Failure rates of named slices, one row each: the rate as a dot with its 95% interval as whiskers, a dashed line
/// at the baseline (the overall rate), and the slice's size as a bar in a right-hand column.
///
/// ```
///  Top slices
///  ● significantly higher  ○ not significant  ┆ overall 12.6%  ■ rows
///                                  overall 12.6%
///  relationship = Husband  |        ┆     ├─●─┤          ▇▇▇▇▇▇ 19,716
///  education = Doctorate   |        ┆   ├──●──┤          ▏ 594
///                          0%      10%      20%      30%
/// ```
enum IntervalChart {
    /// One slice.
    struct Row: Equatable {
        var label: String
        var estimate: RateInterval
        var emphasis: Emphasis
        /// Further tooltip lines (lift, q-value, ...).
        var details: [String] = []
    }

    /// The chart as a standalone SVG document.
    /// - Parameters:
    ///   - title: drawn at the top (shortened with a tooltip when too long).
    ///   - rows: drawn top to bottom in this order.
    ///   - baseline: the rate the dashed line marks (the overall failure rate); nil for none.
    ///   - baselineLabel: names the baseline in the legend and above the line.
    ///   - axisTitle: under the rate axis.
    ///   - width: in pixels; the height follows from the number of rows.
    static func render(
        title: String, rows: [Row], baseline: Double?, baselineLabel: String = "overall",
        axisTitle: String = "failure rate (dot) with 95% interval (whiskers)", width: Double = ChartStyle.width
    ) -> String {
        var svg = SVGWriter()
        ChartChrome.title(&svg, title, width: width)
        let baselineText = baseline.map { baselineLabel + " " + HumanFormat.percent($0) }
        let legendHeight = ChartChrome.legend(
            &svg,
            items: RateMarks.legendItems(emphases: rows.map(\.emphasis), baselineText: baselineText, sizeBars: true),
            x: ChartStyle.margin, y: 40, maxWidth: width - 2 * ChartStyle.margin)
        let headerTop = 40 + legendHeight
        let sizeColumn = 132.0
        let layout = RowLayout(
            width: width, labels: rows.map(\.label), rightColumnWidth: sizeColumn, top: headerTop + 22)
        draw(
            &svg, rows: rows, baseline: baseline, baselineText: baselineText, layout: layout, headerTop: headerTop,
            axisTitle: axisTitle)
        return svg.document(width: width, height: layout.bottom + 50, label: title)
    }

    /// Draws the rows, axis and baseline into `svg` (shared with ``BinChart``'s row layout).
    static func draw(
        _ svg: inout SVGWriter, rows: [Row], baseline: Double?, baselineText: String?, layout: RowLayout,
        headerTop: Double, axisTitle: String
    ) {
        let n = SVGWriter.number
        let ticks = RateMarks.rateTicks(rows.flatMap { [$0.estimate.rate, $0.estimate.high] } + [baseline ?? 0])
        let scale = LinearScale(
            domainLower: ticks.lower, domainUpper: ticks.upper, rangeStart: layout.plotLeft, rangeEnd: layout.plotRight)
        let barRoom = layout.rightColumnWidth - 60
        let largest = Double(rows.map(\.estimate.n).max() ?? 0)
        svg.text(
            "rows",
            [
                ("x", n(layout.rightColumnLeft)), ("y", n(headerTop + 12)), ("font-size", n(ChartStyle.tickFontSize)),
                ("fill", Palette.mutedText),
            ])
        layout.stripes(&svg)
        Axis.bottom(
            &svg, ticks: Axis.ticks(ticks, scale: scale, format: .percent), y: layout.bottom, x0: layout.plotLeft,
            x1: layout.plotRight, gridTop: layout.top)
        Axis.title(
            &svg, axisTitle, x: (layout.plotLeft + layout.plotRight) / 2, y: layout.bottom + 36,
            maxWidth: layout.plotRight - layout.plotLeft)
        if rows.isEmpty { layout.emptyMessage(&svg, "no slices to show") }
        if let baseline, let baselineText {
            let x = scale.clamped(baseline)
            svg.element(
                "line",
                [
                    ("x1", n(x)), ("y1", n(layout.top - 4)), ("x2", n(x)), ("y2", n(layout.bottom)),
                    ("stroke", Palette.baseline), ("stroke-width", "1.5"), ("stroke-dasharray", "4 3"),
                ])
            let textWidth = TextFit.width(baselineText, fontSize: ChartStyle.tickFontSize)
            let textX = min(max(x, layout.plotLeft + textWidth / 2), layout.plotRight - textWidth / 2)
            svg.text(
                baselineText,
                [
                    ("x", n(textX)), ("y", n(layout.top - 8)), ("text-anchor", "middle"),
                    ("font-size", n(ChartStyle.tickFontSize)), ("fill", Palette.baseline),
                ])
        }
        for (index, row) in rows.enumerated() {
            let y = layout.rowCenter(index)
            layout.openRow(
                &svg, index: index, label: row.label,
                tooltip: RateMarks.tooltip(row.label, row.estimate, details: row.details))
            let estimate = row.estimate
            if estimate.isDrawable {
                let colour = Palette.emphasis(row.emphasis)
                if estimate.hasInterval {
                    RateMarks.horizontalWhisker(
                        &svg, from: scale.clamped(estimate.low), to: scale.clamped(estimate.high),
                        y: y, colour: colour)
                }
                RateMarks.dot(&svg, x: scale.clamped(estimate.rate), y: y, emphasis: row.emphasis)
            }
            let barWidth = largest > 0 ? max(Double(estimate.n) / largest * barRoom, estimate.n > 0 ? 1 : 0) : 0
            svg.element(
                "rect",
                [
                    ("x", n(layout.rightColumnLeft)), ("y", n(y - 5)), ("width", n(barWidth)), ("height", "10"),
                    ("fill", Palette.sizeBar),
                ])
            svg.text(
                HumanFormat.count(estimate.n),
                [
                    ("x", n(layout.rightColumnLeft + barWidth + 4)), ("y", n(y + ChartStyle.tickFontSize * 0.35)),
                    ("font-size", n(ChartStyle.tickFontSize)), ("fill", Palette.mutedText),
                ])
            svg.close("g")
        }
    }
}

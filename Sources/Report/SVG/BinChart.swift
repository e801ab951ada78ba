/// The failure rate of every bin of one feature with its 95% interval, against the baseline, and each bin's size as
/// a bar underneath. Ordered bins (numeric intervals) read left to right as columns; many or long-named bins
/// (categories) read as rows, like ``IntervalChart``.
///
/// ```
///  rate │      ├●┤                     columns layout
///       │ ├●┤        ├●┤  ┄┄┄┄┄ overall 12.6%
///  rows │ ▇▇   ▇▇▇   ▇▇
///        [17, 22] (22, 26] (26, 30]
/// ```
enum BinChart {
    /// One bin.
    struct Bin: Equatable {
        var label: String
        var estimate: RateInterval
        var emphasis: Emphasis
        /// Further tooltip lines (lift, q-value, ...).
        var details: [String] = []
        /// Part of an ordered sequence (numeric intervals): consecutive ordered bins are joined by a thin line in the
        /// columns layout. Missing values and `(other)` are not ordered.
        var ordered = false
    }

    enum Layout: Equatable {
        /// Columns for up to ``maximumColumns`` bins, rows beyond.
        case automatic
        case columns
        case rows
    }

    /// More bins than this are drawn as rows by ``Layout/automatic``.
    static let maximumColumns = 16

    /// The widest a column step gets, in pixels (charts of few bins end before the full width).
    static let maximumStep = 150.0

    /// The chart as a standalone SVG document.
    /// - Parameters:
    ///   - bins: in the order to draw (left to right, or top to bottom).
    ///   - baseline: the overall rate for the dashed line; nil for none.
    ///   - axisTitle: names the bins (the feature) under the columns layout.
    static func render(
        title: String, bins: [Bin], baseline: Double?, baselineLabel: String = "overall", layout: Layout = .automatic,
        axisTitle: String? = nil, width: Double = ChartStyle.width
    ) -> String {
        let useRows = layout == .rows || (layout == .automatic && bins.count > maximumColumns)
        if useRows {
            let rows = bins.map {
                IntervalChart.Row(label: $0.label, estimate: $0.estimate, emphasis: $0.emphasis, details: $0.details)
            }
            return IntervalChart.render(
                title: title, rows: rows, baseline: baseline, baselineLabel: baselineLabel,
                width: width)
        }
        return columns(
            title: title, bins: bins, baseline: baseline, baselineLabel: baselineLabel,
            axisTitle: axisTitle, width: width)
    }

    private static func columns(
        title: String, bins: [Bin], baseline: Double?, baselineLabel: String, axisTitle: String?, width: Double
    ) -> String {
        let n = SVGWriter.number
        var svg = SVGWriter()
        ChartChrome.title(&svg, title, width: width)
        let baselineText = baseline.map { baselineLabel + " " + HumanFormat.percent($0) }
        let legendHeight = ChartChrome.legend(
            &svg,
            items: RateMarks.legendItems(emphases: bins.map(\.emphasis), baselineText: baselineText, sizeBars: true),
            x: ChartStyle.margin, y: 40, maxWidth: width - 2 * ChartStyle.margin)
        let rateTop = 40 + legendHeight + 10
        let rateBottom = rateTop + 200
        let sizeTop = rateBottom + 16
        let sizeBottom = sizeTop + 56
        let baselineRoom = min(
            max(TextFit.width(baselineText ?? "", fontSize: ChartStyle.tickFontSize) + 10, 20), width * 0.2)
        var plotLeft = ChartStyle.margin + 70.0
        // A few bins would make very wide columns: cap the step and let the plot end early.
        let plotRight = min(
            width - ChartStyle.margin - baselineRoom,
            plotLeft + maximumStep * (Double(max(bins.count, 1)) - 0.3 + 0.4))
        var band = BandScale(
            count: bins.count, rangeStart: plotLeft, rangeEnd: plotRight, paddingInner: 0.3,
            paddingOuter: 0.2)
        var labels = TextFit.bandLabels(
            bins.map(\.label), spacing: band.step, fontSize: ChartStyle.tickFontSize,
            maxRotatedWidth: 150)
        if band.center(0) - labels.leftOverhang < ChartStyle.margin {
            // Rotated labels lean left: make room for the first one.
            plotLeft += ChartStyle.margin - (band.center(0) - labels.leftOverhang)
            band = BandScale(
                count: bins.count, rangeStart: plotLeft, rangeEnd: plotRight, paddingInner: 0.3,
                paddingOuter: 0.2)
            labels = TextFit.bandLabels(
                bins.map(\.label), spacing: band.step, fontSize: ChartStyle.tickFontSize,
                maxRotatedWidth: 150)
        }
        let ticks = RateMarks.rateTicks(bins.flatMap { [$0.estimate.rate, $0.estimate.high] } + [baseline ?? 0])
        let rateScale = LinearScale(
            domainLower: ticks.lower, domainUpper: ticks.upper, rangeStart: rateBottom,
            rangeEnd: rateTop)
        let largest = Double(bins.map(\.estimate.n).max() ?? 0)
        let sizeTicks = NiceTicks(minimum: 0, maximum: max(largest, 1), count: 3, integers: true)
        let sizeScale = LinearScale(
            domainLower: 0, domainUpper: sizeTicks.upper, rangeStart: sizeBottom,
            rangeEnd: sizeTop)

        Axis.left(
            &svg, ticks: Axis.ticks(ticks, scale: rateScale, format: .percent), x: plotLeft, top: rateTop,
            bottom: rateBottom, gridRight: plotRight)
        Axis.title(
            &svg, "failure rate", x: ChartStyle.margin + 6, y: (rateTop + rateBottom) / 2, vertical: true,
            maxWidth: rateBottom - rateTop)
        Axis.left(
            &svg, ticks: Axis.ticks(sizeTicks, scale: sizeScale, format: .count), x: plotLeft, top: sizeTop,
            bottom: sizeBottom, gridRight: plotRight)
        Axis.title(
            &svg, "rows", x: ChartStyle.margin + 6, y: (sizeTop + sizeBottom) / 2, vertical: true,
            maxWidth: sizeBottom - sizeTop)
        svg.element(
            "line",
            [
                ("x1", n(plotLeft)), ("y1", n(rateBottom)), ("x2", n(plotRight)), ("y2", n(rateBottom)),
                ("stroke", Palette.axis), ("stroke-width", "1"),
            ])
        svg.element(
            "line",
            [
                ("x1", n(plotLeft)), ("y1", n(sizeBottom)), ("x2", n(plotRight)), ("y2", n(sizeBottom)),
                ("stroke", Palette.axis), ("stroke-width", "1"),
            ])
        if bins.isEmpty {
            svg.text(
                "no bins to show",
                [
                    ("x", n((plotLeft + plotRight) / 2)), ("y", n((rateTop + rateBottom) / 2)),
                    ("text-anchor", "middle"),
                    ("fill", Palette.mutedText),
                ])
        }
        if let baseline, let baselineText {
            let y = rateScale.clamped(baseline)
            svg.element(
                "line",
                [
                    ("x1", n(plotLeft)), ("y1", n(y)), ("x2", n(plotRight + 4)), ("y2", n(y)),
                    ("stroke", Palette.baseline),
                    ("stroke-width", "1.5"), ("stroke-dasharray", "4 3"),
                ])
            let fitted = TextFit.fitted(baselineText, toWidth: baselineRoom - 8, fontSize: ChartStyle.tickFontSize)
            svg.text(
                fitted.shown,
                [
                    ("x", n(plotRight + 6)), ("y", n(y + ChartStyle.tickFontSize * 0.35)),
                    ("font-size", n(ChartStyle.tickFontSize)), ("fill", Palette.baseline),
                ], title: fitted.full)
        }
        var segments: [[(x: Double, y: Double)]] = []
        var segment: [(x: Double, y: Double)] = []
        for (index, bin) in bins.enumerated() {
            if bin.ordered && bin.estimate.isDrawable {
                segment.append((band.center(index), rateScale.clamped(bin.estimate.rate)))
            } else {
                if segment.count > 1 { segments.append(segment) }
                segment = []
            }
        }
        if segment.count > 1 { segments.append(segment) }
        for points in segments {
            svg.element(
                "polyline",
                [
                    ("points", SVGWriter.points(points)), ("fill", "none"), ("stroke", Palette.axis),
                    ("stroke-width", "1"),
                ])
        }
        let lineHeight = ChartStyle.tickFontSize * 1.25
        for (index, bin) in bins.enumerated() {
            let x = band.center(index)
            let estimate = bin.estimate
            svg.open("g", [("class", "bin")])
            svg.title(RateMarks.tooltip(bin.label, estimate, details: bin.details))
            svg.element(
                "rect",
                [
                    ("x", n(band.start(index) - (band.step - band.bandwidth) / 2)), ("y", n(rateTop)),
                    ("width", n(band.step)), ("height", n(sizeBottom - rateTop)), ("fill", Palette.background),
                    ("fill-opacity", "0"),
                ])
            if estimate.isDrawable {
                let colour = Palette.emphasis(bin.emphasis)
                if estimate.hasInterval {
                    RateMarks.verticalWhisker(
                        &svg, x: x, top: rateScale.clamped(estimate.high),
                        bottom: rateScale.clamped(estimate.low), colour: colour,
                        cap: min(5, band.bandwidth / 3))
                }
                RateMarks.dot(
                    &svg, x: x, y: rateScale.clamped(estimate.rate), emphasis: bin.emphasis,
                    radius: min(4.5, max(band.bandwidth / 3, 2)))
            }
            let barTop = sizeScale.clamped(Double(estimate.n))
            svg.element(
                "rect",
                [
                    ("x", n(band.start(index))), ("y", n(barTop)), ("width", n(band.bandwidth)),
                    ("height", n(sizeBottom - barTop)), ("fill", Palette.sizeBar),
                ])
            let lines = labels.lines[index]
            if !lines.isEmpty {
                let labelTop = sizeBottom + 6 + ChartStyle.tickFontSize
                switch labels.mode {
                case .horizontal, .wrapped:
                    svg.multilineText(
                        lines, x: x, y: labelTop, lineHeight: lineHeight,
                        [
                            ("text-anchor", "middle"), ("font-size", n(ChartStyle.tickFontSize)),
                        ])
                case .rotated:
                    let anchorX = x + ChartStyle.tickFontSize * 0.35
                    let anchorY = sizeBottom + 8
                    svg.text(
                        lines[0],
                        [
                            ("x", n(anchorX)), ("y", n(anchorY)), ("text-anchor", "end"),
                            ("font-size", n(ChartStyle.tickFontSize)),
                            ("transform", "rotate(-45 \(n(anchorX)) \(n(anchorY)))"),
                        ])
                }
            }
            svg.close("g")
        }
        var bottom = sizeBottom + labels.height + 6
        if let axisTitle {
            Axis.title(&svg, axisTitle, x: (plotLeft + plotRight) / 2, y: bottom + 12, maxWidth: plotRight - plotLeft)
            bottom += 22
        }
        return svg.document(width: width, height: bottom + 8, label: title)
    }
}

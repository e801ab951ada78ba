/// Odds ratios with their 95% intervals on a logarithmic axis (so 0.5 and 2 are equally far from 1), a reference
/// line at 1 (no association), and each estimate written out on the right.
///
/// ```
///  The model's odds ratios
///                        no association
///  relationship=Husband  |      ┆   ├──■──┤     2.31 (2.10 to 2.54)
///  age (per 10 years)    |      ┆ ├■┤           1.18 (1.12 to 1.25)
///  sex=Female            |  ├─■─┆               0.74 (0.55 to 0.99)
///                        0.5    1    2    5
/// ```
enum ForestPlot {
    /// One term.
    struct Row: Equatable {
        var label: String
        var oddsRatio: Double
        var low: Double
        var high: Double
        /// Further tooltip lines (p-value, ...).
        var details: [String] = []

        /// Above 1 when the whole interval is, below when the whole interval is, else neutral.
        var emphasis: Emphasis {
            if low.isFinite && low > 1 { return .higher }
            if high.isFinite && high < 1 { return .lower }
            return .neutral
        }
    }

    /// Odds ratios beyond these are drawn at the axis end with an arrow.
    static let smallest = 1e-3
    static let largest = 1e3

    /// The chart as a standalone SVG document, rows in the order given.
    static func render(
        title: String, rows: [Row], axisTitle: String = "odds ratio (log scale) with 95% interval",
        width: Double = ChartStyle.width
    ) -> String {
        let n = SVGWriter.number
        var svg = SVGWriter()
        ChartChrome.title(&svg, title, width: width)
        var legend: [LegendItem] = []
        let emphases = rows.map(\.emphasis)
        if emphases.contains(.higher) {
            legend.append(LegendItem(swatch: .square(Palette.vermillion), label: "odds of failure higher"))
        }
        if emphases.contains(.lower) {
            legend.append(LegendItem(swatch: .square(Palette.blue), label: "odds of failure lower"))
        }
        if emphases.contains(.neutral) {
            legend.append(LegendItem(swatch: .square(Palette.emphasis(.neutral)), label: "interval includes 1"))
        }
        let legendHeight = ChartChrome.legend(
            &svg, items: legend, x: ChartStyle.margin, y: 40,
            maxWidth: width - 2 * ChartStyle.margin)
        let texts = rows.map(estimateText)
        let textColumn = (texts.map { TextFit.width($0, fontSize: ChartStyle.tickFontSize) }.max() ?? 60) + 4
        let layout = RowLayout(
            width: width, labels: rows.map(\.label), rightColumnWidth: textColumn,
            top: 40 + legendHeight + 24)
        let values = rows.flatMap { [$0.oddsRatio, $0.low, $0.high] }.filter { $0.isFinite && $0 > 0 }
        let lowest = max(min(values.min() ?? 1, 1) / 1.1, smallest)
        let highest = min(max(values.max() ?? 1, 1) * 1.1, largest)
        let tickValues = NiceTicks.logarithmic(minimum: lowest, maximum: highest)
        let scale = LogScale(
            domainLower: min(tickValues.first ?? lowest, lowest),
            domainUpper: max(tickValues.last ?? highest, highest), rangeStart: layout.plotLeft,
            rangeEnd: layout.plotRight)
        layout.stripes(&svg)
        let ticks = tickValues.map { Axis.Tick(position: scale($0), label: tickLabel($0)) }
        Axis.bottom(
            &svg, ticks: ticks, y: layout.bottom, x0: layout.plotLeft, x1: layout.plotRight,
            gridTop: layout.top)
        Axis.title(
            &svg, axisTitle, x: (layout.plotLeft + layout.plotRight) / 2, y: layout.bottom + 36,
            maxWidth: layout.plotRight - layout.plotLeft)
        if rows.isEmpty { layout.emptyMessage(&svg, "no terms to show") }
        let one = scale(1)
        svg.element(
            "line",
            [
                ("x1", n(one)), ("y1", n(layout.top - 4)), ("x2", n(one)), ("y2", n(layout.bottom)),
                ("stroke", Palette.baseline), ("stroke-width", "1.5"),
            ])
        svg.text(
            "no association",
            [
                ("x", n(one)), ("y", n(layout.top - 8)), ("text-anchor", "middle"),
                ("font-size", n(ChartStyle.tickFontSize)), ("fill", Palette.baseline),
            ])
        for (index, row) in rows.enumerated() {
            let y = layout.rowCenter(index)
            layout.openRow(
                &svg, index: index, label: row.label,
                tooltip: ([row.label + ": odds ratio " + texts[index]] + row.details).joined(separator: "\n"))
            let colour = Palette.emphasis(row.emphasis)
            if row.low.isFinite || row.high.isFinite {
                let low = row.low.isFinite && row.low > 0 ? row.low : 0
                let high = row.high.isFinite ? row.high : .infinity
                let x0 = scale(max(low, scale.domainLower))
                let x1 = scale(min(high, scale.domainUpper))
                RateMarks.horizontalWhisker(&svg, from: x0, to: x1, y: y, colour: colour, cap: 4)
                if low < scale.domainLower { arrow(&svg, x: x0, y: y, pointingLeft: true, colour: colour) }
                if high > scale.domainUpper { arrow(&svg, x: x1, y: y, pointingLeft: false, colour: colour) }
            }
            if row.oddsRatio.isFinite && row.oddsRatio > 0 {
                let x = scale(row.oddsRatio)
                svg.element(
                    "rect",
                    [
                        ("x", n(x - 4.5)), ("y", n(y - 4.5)), ("width", "9"), ("height", "9"), ("fill", colour),
                    ])
            }
            svg.text(
                texts[index],
                [
                    ("x", n(layout.rightColumnLeft + layout.rightColumnWidth)),
                    ("y", n(y + ChartStyle.tickFontSize * 0.35)),
                    ("text-anchor", "end"), ("font-size", n(ChartStyle.tickFontSize)),
                ])
            svg.close("g")
        }
        return svg.document(width: width, height: layout.bottom + 50, label: title)
    }

    /// `2.31 (2.10 to 2.54)`; an unbounded upper end reads `∞`.
    static func estimateText(_ row: Row) -> String {
        let high = row.high == .infinity ? "∞" : oddsText(row.high)
        return oddsText(row.oddsRatio) + " (" + oddsText(row.low) + " to " + high + ")"
    }

    /// An odds ratio with two decimals, or two significant digits below 0.1 (`0.0097`), where two decimals would
    /// round a strong protective effect to `0.01` or `0.00`.
    static func oddsText(_ value: Double) -> String {
        guard value.isFinite, value > 0, value < 0.1 else { return ValueFormat.ratio.text(value) }
        if value < 1e-4 { return HumanFormat.scientific(value, significant: 2) }
        var decimals = 2
        var scaled = value * 100
        while scaled < 10 {
            scaled *= 10
            decimals += 1
        }
        return HumanFormat.fixed(value, decimals: decimals)
    }

    /// A log tick: `0.001` ... `0.5`, `1`, `2`, `1,000`.
    static func tickLabel(_ value: Double) -> String {
        if value >= 1 { return HumanFormat.count(Int(value.rounded())) }
        var decimals = 0
        var scaled = value
        while scaled < 1 && decimals < 6 {
            scaled *= 10
            decimals += 1
        }
        return HumanFormat.fixed(value, decimals: decimals)
    }

    private static func arrow(_ svg: inout SVGWriter, x: Double, y: Double, pointingLeft: Bool, colour: String) {
        let n = SVGWriter.number
        let tip = pointingLeft ? x - 6 : x + 6
        svg.element(
            "polygon",
            [
                ("points", "\(n(tip)),\(n(y)) \(n(x)),\(n(y - 4)) \(n(x)),\(n(y + 4))"), ("fill", colour),
            ])
    }
}

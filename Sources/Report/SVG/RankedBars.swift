/// Values ranked from largest to smallest as horizontal bars (feature associations: Cramér's V, mutual
/// information, ...), each with an optional interval and its value printed at the end.
///
/// ```
///  Feature associations with failure
///  relationship   ████████████████▏ 0.31
///  marital_status ███████████████▏  0.30
///  sex            ██████▏           0.12
///                 0        0.1        0.2        0.3
/// ```
enum RankedBars {
    /// One item.
    struct Bar: Equatable {
        var label: String
        var value: Double
        /// The interval of `value`, drawn as whiskers when both ends are given.
        var low: Double? = nil
        var high: Double? = nil
        var emphasis: Emphasis = .neutral
        /// Further tooltip lines.
        var details: [String] = []
        /// Drawn in grey: the value is shown for completeness but is not significant.
        var muted = false
    }

    /// The chart as a standalone SVG document. Bars are sorted by value, largest first (ties by label); bars with
    /// a non-finite value are listed last without a bar.
    /// - Parameters:
    ///   - format: how values and ticks are written.
    ///   - axisTitle: names the value under the axis.
    ///   - mutedLegend: legend labels for plain and muted bars, shown when some bars are muted.
    static func render(
        title: String, bars: [Bar], format: ValueFormat, axisTitle: String,
        mutedLegend: (shown: String, muted: String) = ("significant", "not significant"),
        width: Double = ChartStyle.width
    ) -> String {
        let n = SVGWriter.number
        let sorted = ranked(bars)
        var svg = SVGWriter()
        ChartChrome.title(&svg, title, width: width)
        var legend: [LegendItem] = []
        if sorted.contains(where: \.muted) {
            if sorted.contains(where: { !$0.muted }) {
                legend.append(LegendItem(swatch: .square(Palette.blue), label: mutedLegend.shown))
            }
            legend.append(LegendItem(swatch: .square(Palette.emphasis(.neutral)), label: mutedLegend.muted))
        }
        if sorted.contains(where: { $0.low != nil && $0.high != nil }) {
            legend.append(LegendItem(swatch: .line(Palette.text), label: "95% interval"))
        }
        let legendHeight = ChartChrome.legend(
            &svg, items: legend, x: ChartStyle.margin, y: 40,
            maxWidth: width - 2 * ChartStyle.margin)
        let valueColumn =
            max(
                sorted.map { TextFit.width(format.text($0.value), fontSize: ChartStyle.tickFontSize) }.max() ?? 0,
                30) + 4
        let layout = RowLayout(
            width: width, labels: sorted.map(\.label), rightColumnWidth: valueColumn,
            top: 40 + legendHeight + 8)
        let finite = sorted.flatMap { [$0.value, $0.low ?? $0.value, $0.high ?? $0.value] }.filter(\.isFinite)
        let ticks = NiceTicks(
            minimum: min(finite.min() ?? 0, 0), maximum: max(finite.max() ?? 1, 0), count: 5,
            integers: format == .count)
        let scale = LinearScale(
            domainLower: ticks.lower, domainUpper: ticks.upper, rangeStart: layout.plotLeft,
            rangeEnd: layout.plotRight)
        layout.stripes(&svg)
        Axis.bottom(
            &svg, ticks: Axis.ticks(ticks, scale: scale, format: format), y: layout.bottom,
            x0: layout.plotLeft, x1: layout.plotRight, gridTop: layout.top)
        Axis.title(
            &svg, axisTitle, x: (layout.plotLeft + layout.plotRight) / 2, y: layout.bottom + 36,
            maxWidth: layout.plotRight - layout.plotLeft)
        if sorted.isEmpty { layout.emptyMessage(&svg, "nothing to show") }
        let zero = scale.clamped(0)
        for (index, bar) in sorted.enumerated() {
            let y = layout.rowCenter(index)
            let valueText = format.text(bar.value)
            layout.openRow(
                &svg, index: index, label: bar.label,
                tooltip: ([bar.label + ": " + valueText + interval(bar, format)] + bar.details)
                    .joined(separator: "\n"))
            if bar.value.isFinite {
                let end = scale.clamped(bar.value)
                svg.element(
                    "rect",
                    [
                        ("x", n(min(zero, end))), ("y", n(y - 6)), ("width", n(abs(end - zero))), ("height", "12"),
                        ("fill", fill(bar)),
                        ("fill-opacity", "0.85"),
                    ])
                if let low = bar.low, let high = bar.high, low.isFinite, high.isFinite {
                    RateMarks.horizontalWhisker(
                        &svg, from: scale.clamped(low), to: scale.clamped(high), y: y,
                        colour: Palette.text, cap: 4)
                }
            }
            svg.text(
                valueText,
                [
                    ("x", n(layout.rightColumnLeft + layout.rightColumnWidth)),
                    ("y", n(y + ChartStyle.tickFontSize * 0.35)),
                    ("text-anchor", "end"), ("font-size", n(ChartStyle.tickFontSize)),
                ])
            svg.close("g")
        }
        return svg.document(width: width, height: layout.bottom + 50, label: title)
    }

    private static func fill(_ bar: Bar) -> String {
        if bar.muted { return Palette.emphasis(.neutral) }
        return bar.emphasis == .neutral ? Palette.blue : Palette.emphasis(bar.emphasis)
    }

    /// Largest first; ties by label; non-finite values last.
    static func ranked(_ bars: [Bar]) -> [Bar] {
        bars.sorted { a, b in
            switch (a.value.isFinite, b.value.isFinite) {
            case (true, false): return true
            case (false, true): return false
            case (false, false): return a.label < b.label
            case (true, true): return a.value != b.value ? a.value > b.value : a.label < b.label
            }
        }
    }

    private static func interval(_ bar: Bar, _ format: ValueFormat) -> String {
        guard let low = bar.low, let high = bar.high, low.isFinite, high.isFinite else { return "" }
        return " (95% CI " + format.text(low) + " to " + format.text(high) + ")"
    }
}

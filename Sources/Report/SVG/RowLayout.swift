/// The vertical layout of charts that give each item a row (interval charts, ranked bars, forest plots): a label
/// column on the left, a plot band, an optional column on the right, one row per item with alternating stripes.
///
/// ```
///  margin | labels (right-aligned) | gap | plot ............ | gap | right column | margin
/// ```
struct RowLayout {
    var width: Double
    var labelWidth: Double
    var rightColumnWidth: Double
    var top: Double
    var count: Int
    var rowHeight = ChartStyle.rowHeight

    /// A layout whose label column fits the widest label, but at most `maxLabelFraction` of the width.
    init(width: Double, labels: [String], rightColumnWidth: Double, top: Double, maxLabelFraction: Double = 0.36) {
        self.width = width
        let widest = labels.map { TextFit.width(TextFit.singleLine($0), fontSize: ChartStyle.fontSize) }.max() ?? 0
        self.labelWidth = min(max(widest, 40), width * maxLabelFraction)
        self.rightColumnWidth = rightColumnWidth
        self.top = top
        self.count = labels.count
    }

    var labelRight: Double { ChartStyle.margin + labelWidth }
    var plotLeft: Double { labelRight + 16 }
    var plotRight: Double { width - ChartStyle.margin - rightColumnWidth - (rightColumnWidth > 0 ? 18 : 8) }
    var rightColumnLeft: Double { width - ChartStyle.margin - rightColumnWidth }
    var bottom: Double { top + Double(max(count, 1)) * rowHeight }

    func rowTop(_ index: Int) -> Double { top + Double(index) * rowHeight }
    func rowCenter(_ index: Int) -> Double { rowTop(index) + rowHeight / 2 }

    /// The background stripes of every other row (drawn first, under the gridlines).
    func stripes(_ svg: inout SVGWriter) {
        let n = SVGWriter.number
        svg.open("g", [("class", "stripes"), ("fill", Palette.stripe)])
        for index in stride(from: 0, to: count, by: 2) {
            svg.element(
                "rect",
                [
                    ("x", n(ChartStyle.margin / 2)), ("y", n(rowTop(index))), ("width", n(width - ChartStyle.margin)),
                    ("height", n(rowHeight)),
                ])
        }
        svg.close("g")
    }

    /// Opens the row's group with its tooltip, an invisible hit area the size of the row, and its shortened label.
    func openRow(_ svg: inout SVGWriter, index: Int, label: String, tooltip: String) {
        let n = SVGWriter.number
        svg.open("g", [("class", "row")])
        svg.title(tooltip)
        svg.element(
            "rect",
            [
                ("x", n(ChartStyle.margin / 2)), ("y", n(rowTop(index))), ("width", n(width - ChartStyle.margin)),
                ("height", n(rowHeight)), ("fill", Palette.background), ("fill-opacity", "0"),
            ])
        let fitted = TextFit.fitted(label, toWidth: labelWidth, fontSize: ChartStyle.fontSize)
        svg.text(
            fitted.shown,
            [
                ("x", n(labelRight)), ("y", n(rowCenter(index) + ChartStyle.fontSize * 0.35)), ("text-anchor", "end"),
            ])
    }

    /// A message in place of an empty plot.
    func emptyMessage(_ svg: inout SVGWriter, _ text: String) {
        svg.text(
            text,
            [
                ("x", SVGWriter.number(width / 2)), ("y", SVGWriter.number(top + rowHeight / 2 + 4)),
                ("text-anchor", "middle"), ("fill", Palette.mutedText),
            ])
    }
}

/// Marks shared by the rate charts.
enum RateMarks {
    /// A horizontal interval (whisker with end caps) from `low` to `high` at `y`.
    static func horizontalWhisker(
        _ svg: inout SVGWriter, from low: Double, to high: Double, y: Double,
        colour: String, cap: Double = 5
    ) {
        let n = SVGWriter.number
        svg.element(
            "path",
            [
                (
                    "d",
                    "M\(n(low)) \(n(y))H\(n(high))M\(n(low)) \(n(y - cap))V\(n(y + cap))M\(n(high)) \(n(y - cap))V\(n(y + cap))"
                ),
                ("stroke", colour), ("stroke-width", "1.5"), ("fill", "none"),
            ])
    }

    /// A vertical interval from `top` to `bottom` at `x`.
    static func verticalWhisker(
        _ svg: inout SVGWriter, x: Double, top: Double, bottom: Double, colour: String,
        cap: Double = 4
    ) {
        let n = SVGWriter.number
        svg.element(
            "path",
            [
                (
                    "d",
                    "M\(n(x)) \(n(top))V\(n(bottom))M\(n(x - cap)) \(n(top))H\(n(x + cap))M\(n(x - cap)) \(n(bottom))H\(n(x + cap))"
                ),
                ("stroke", colour), ("stroke-width", "1.5"), ("fill", "none"),
            ])
    }

    /// The point estimate: a filled dot when significant, a ring when not.
    static func dot(_ svg: inout SVGWriter, x: Double, y: Double, emphasis: Emphasis, radius: Double = 4.5) {
        let n = SVGWriter.number
        let colour = Palette.emphasis(emphasis)
        if emphasis == .neutral {
            svg.element(
                "circle",
                [
                    ("cx", n(x)), ("cy", n(y)), ("r", n(radius - 0.5)), ("fill", Palette.background),
                    ("stroke", colour),
                    ("stroke-width", "1.75"),
                ])
        } else {
            svg.element("circle", [("cx", n(x)), ("cy", n(y)), ("r", n(radius)), ("fill", colour)])
        }
    }

    /// Legend entries for the emphases that occur, then the baseline and (optionally) the size bars.
    static func legendItems(emphases: [Emphasis], baselineText: String?, sizeBars: Bool) -> [LegendItem] {
        var items: [LegendItem] = []
        if emphases.contains(.higher) {
            items.append(LegendItem(swatch: .dot(Palette.vermillion), label: "significantly higher"))
        }
        if emphases.contains(.lower) {
            items.append(LegendItem(swatch: .dot(Palette.blue), label: "significantly lower"))
        }
        if emphases.contains(.neutral) {
            items.append(LegendItem(swatch: .ring(Palette.emphasis(.neutral)), label: "not significantly different"))
        }
        if let baselineText { items.append(LegendItem(swatch: .dashedLine(Palette.baseline), label: baselineText)) }
        if sizeBars { items.append(LegendItem(swatch: .square(Palette.sizeBar), label: "rows")) }
        return items
    }

    /// The upper end of a rate axis: nice ticks from 0 covering every interval and the baseline (at most 100%).
    static func rateTicks(_ values: [Double]) -> NiceTicks {
        let finite = values.filter(\.isFinite)
        let top = min(max(finite.max() ?? 0, 0.01), 1)
        return NiceTicks(minimum: 0, maximum: top, count: 5)
    }

    /// The tooltip of one rate: its label, the estimate, and any details, one per line.
    static func tooltip(_ label: String, _ estimate: RateInterval, details: [String]) -> String {
        ([label, "failure rate " + estimate.summary] + details).joined(separator: "\n")
    }
}

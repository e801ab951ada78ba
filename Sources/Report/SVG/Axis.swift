/// Axes, gridlines, titles and legends: the frame every chart shares.
enum Axis {
    /// A tick: its pixel position along the axis and its label.
    struct Tick: Equatable {
        var position: Double
        var label: String
    }

    /// The ticks of `nice` at their positions on `scale`, labelled in `format`.
    static func ticks(_ nice: NiceTicks, scale: LinearScale, format: ValueFormat) -> [Tick] {
        nice.values.map { Tick(position: scale($0), label: format.tick($0, of: nice)) }
    }

    /// The ticks a horizontal axis keeps so that labels never overlap: from the left, a tick is kept only when its
    /// label starts at least `gap` pixels after the last kept label ends.
    static func thinnedHorizontally(_ ticks: [Tick], fontSize: Double, gap: Double = 6) -> [Tick] {
        var kept: [Tick] = []
        var lastRight = -Double.infinity
        for tick in ticks.sorted(by: { $0.position < $1.position }) {
            let half = TextFit.width(tick.label, fontSize: fontSize) / 2
            if tick.position - half >= lastRight + gap {
                kept.append(tick)
                lastRight = tick.position + half
            }
        }
        return kept
    }

    /// A horizontal axis: a line at `y` from `x0` to `x1`, ticks with labels below, and gridlines up to `gridTop`.
    static func bottom(
        _ svg: inout SVGWriter, ticks: [Tick], y: Double, x0: Double, x1: Double, gridTop: Double?,
        fontSize: Double = ChartStyle.tickFontSize
    ) {
        let shown = thinnedHorizontally(ticks, fontSize: fontSize)
        svg.open("g", [("class", "axis")])
        if let gridTop {
            for tick in shown {
                svg.element(
                    "line",
                    [
                        ("x1", n(tick.position)), ("y1", n(gridTop)), ("x2", n(tick.position)), ("y2", n(y)),
                        ("stroke", Palette.grid), ("stroke-width", "1"),
                    ])
            }
        }
        svg.element(
            "line",
            [
                ("x1", n(x0)), ("y1", n(y)), ("x2", n(x1)), ("y2", n(y)), ("stroke", Palette.axis),
                ("stroke-width", "1"),
            ])
        for tick in shown {
            svg.element(
                "line",
                [
                    ("x1", n(tick.position)), ("y1", n(y)), ("x2", n(tick.position)), ("y2", n(y + 4)),
                    ("stroke", Palette.axis), ("stroke-width", "1"),
                ])
            svg.text(
                tick.label,
                [
                    ("x", n(tick.position)), ("y", n(y + 6 + fontSize)), ("text-anchor", "middle"),
                    ("font-size", n(fontSize)), ("fill", Palette.mutedText),
                ])
        }
        svg.close("g")
    }

    /// A vertical axis: a line at `x` from `top` to `bottom`, ticks with labels to the left, and gridlines to
    /// `gridRight`. Labels closer than a line apart are thinned.
    static func left(
        _ svg: inout SVGWriter, ticks: [Tick], x: Double, top: Double, bottom: Double, gridRight: Double?,
        fontSize: Double = ChartStyle.tickFontSize
    ) {
        var shown: [Tick] = []
        for tick in ticks.sorted(by: { $0.position > $1.position })
        where shown.last.map({ abs($0.position - tick.position) >= fontSize * 1.2 }) ?? true {
            shown.append(tick)
        }
        svg.open("g", [("class", "axis")])
        if let gridRight {
            for tick in shown {
                svg.element(
                    "line",
                    [
                        ("x1", n(x)), ("y1", n(tick.position)), ("x2", n(gridRight)), ("y2", n(tick.position)),
                        ("stroke", Palette.grid), ("stroke-width", "1"),
                    ])
            }
        }
        svg.element(
            "line",
            [
                ("x1", n(x)), ("y1", n(top)), ("x2", n(x)), ("y2", n(bottom)), ("stroke", Palette.axis),
                ("stroke-width", "1"),
            ])
        for tick in shown {
            svg.element(
                "line",
                [
                    ("x1", n(x - 4)), ("y1", n(tick.position)), ("x2", n(x)), ("y2", n(tick.position)),
                    ("stroke", Palette.axis), ("stroke-width", "1"),
                ])
            svg.text(
                tick.label,
                [
                    ("x", n(x - 6)), ("y", n(tick.position + fontSize * 0.35)), ("text-anchor", "end"),
                    ("font-size", n(fontSize)), ("fill", Palette.mutedText),
                ])
        }
        svg.close("g")
    }

    /// An axis title centred at `x`, `y` (rotated for vertical axes).
    static func title(
        _ svg: inout SVGWriter, _ text: String, x: Double, y: Double, vertical: Bool = false,
        maxWidth: Double
    ) {
        let fitted = TextFit.fitted(text, toWidth: maxWidth, fontSize: ChartStyle.fontSize)
        var attributes: SVGWriter.Attributes = [
            ("x", n(x)), ("y", n(y)), ("text-anchor", "middle"), ("fill", Palette.mutedText),
        ]
        if vertical { attributes.append(("transform", "rotate(-90 \(n(x)) \(n(y)))")) }
        svg.text(fitted.shown, attributes, title: fitted.full)
    }

    private static func n(_ value: Double) -> String { SVGWriter.number(value) }
}

/// One entry of a chart's legend.
struct LegendItem: Equatable {
    enum Swatch: Equatable {
        /// A filled circle.
        case dot(String)
        /// A circle outline.
        case ring(String)
        /// A solid line.
        case line(String)
        /// A dashed line.
        case dashedLine(String)
        /// A translucent band (an interval over a range).
        case band(String)
        /// A filled square.
        case square(String)
    }

    var swatch: Swatch
    var label: String
}

/// The title line and legend at the top of every chart.
enum ChartChrome {
    /// Where the title's baseline is.
    static let titleBaseline = 20.0

    /// The chart title, shortened (with a tooltip) to the chart's width.
    static func title(_ svg: inout SVGWriter, _ text: String, width: Double) {
        let fitted = TextFit.fitted(text, toWidth: width - 2 * ChartStyle.margin, fontSize: ChartStyle.titleFontSize)
        svg.text(
            fitted.shown,
            [
                ("x", SVGWriter.number(ChartStyle.margin)), ("y", SVGWriter.number(titleBaseline)),
                ("font-size", SVGWriter.number(ChartStyle.titleFontSize)), ("font-weight", "bold"),
            ], title: fitted.full)
    }

    /// Legend items flowing left to right from (`x`, `y`), wrapping onto a new line rather than overlapping.
    /// - Returns: the height used.
    @discardableResult
    static func legend(_ svg: inout SVGWriter, items: [LegendItem], x: Double, y: Double, maxWidth: Double) -> Double {
        guard !items.isEmpty else { return 0 }
        let fontSize = ChartStyle.legendFontSize
        let lineHeight = fontSize + 7
        let swatchWidth = 16.0
        var cursorX = x
        var cursorY = y
        svg.open("g", [("class", "legend"), ("font-size", SVGWriter.number(fontSize))])
        for item in items {
            let room = maxWidth - swatchWidth - 6
            let fitted = TextFit.fitted(item.label, toWidth: room, fontSize: fontSize)
            let itemWidth = swatchWidth + 4 + TextFit.width(fitted.shown, fontSize: fontSize)
            if cursorX > x && cursorX + itemWidth > x + maxWidth {
                cursorX = x
                cursorY += lineHeight
            }
            swatch(&svg, item.swatch, x: cursorX, centerY: cursorY - fontSize * 0.35, width: swatchWidth)
            svg.text(
                fitted.shown,
                [
                    ("x", SVGWriter.number(cursorX + swatchWidth + 4)), ("y", SVGWriter.number(cursorY)),
                    ("fill", Palette.mutedText),
                ], title: fitted.full)
            cursorX += itemWidth + 16
        }
        svg.close("g")
        return cursorY - y + lineHeight
    }

    private static func swatch(
        _ svg: inout SVGWriter, _ swatch: LegendItem.Swatch, x: Double, centerY: Double,
        width: Double
    ) {
        let n = SVGWriter.number
        switch swatch {
        case .dot(let colour):
            svg.element("circle", [("cx", n(x + width / 2)), ("cy", n(centerY)), ("r", "4"), ("fill", colour)])
        case .ring(let colour):
            svg.element(
                "circle",
                [
                    ("cx", n(x + width / 2)), ("cy", n(centerY)), ("r", "3.5"), ("fill", Palette.background),
                    ("stroke", colour), ("stroke-width", "1.5"),
                ])
        case .line(let colour):
            svg.element(
                "line",
                [
                    ("x1", n(x)), ("y1", n(centerY)), ("x2", n(x + width)), ("y2", n(centerY)), ("stroke", colour),
                    ("stroke-width", "2"),
                ])
        case .dashedLine(let colour):
            svg.element(
                "line",
                [
                    ("x1", n(x)), ("y1", n(centerY)), ("x2", n(x + width)), ("y2", n(centerY)), ("stroke", colour),
                    ("stroke-width", "1.5"), ("stroke-dasharray", "4 3"),
                ])
        case .band(let colour):
            svg.element(
                "rect",
                [
                    ("x", n(x)), ("y", n(centerY - 5)), ("width", n(width)), ("height", "10"), ("fill", colour),
                    ("fill-opacity", "0.2"),
                ])
        case .square(let colour):
            svg.element(
                "rect",
                [
                    ("x", n(x + width / 2 - 4)), ("y", n(centerY - 4)), ("width", "8"), ("height", "8"),
                    ("fill", colour),
                ])
        }
    }
}

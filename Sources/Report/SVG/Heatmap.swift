/// The failure rate of every combination of two features' bins as a grid of coloured cells: blue below the
/// baseline, near-white at it, red above (ColorBrewer RdBu), with the rate printed in cells wide enough, a colour
/// legend, and cells of few rows faded (their rate is uncertain).
///
/// ```
///               failure rate  ■■■■□■■■■  0% · overall 12.6% · 41.0%
///  Husband      │ 9.1% │22.3% │31.0% │
///  Wife         │ 8.0% │19.4% │28.7% │
///                 [17,30] (30,45] (45,90]
/// ```
enum Heatmap {
    /// Cells with fewer rows than this are faded unless the caller says otherwise.
    static let defaultMinimumRows = 30

    /// The chart as a standalone SVG document.
    /// - Parameters:
    ///   - rowTitle, columnTitle: the two features.
    ///   - cells: `cells[row][column]`, nil (or no rows) where the combination does not occur.
    ///   - baseline: the overall rate, the neutral colour.
    ///   - minimumRows: cells with fewer rows are faded.
    ///   - cellNotes: `cellNotes[row][column]`, a further tooltip line per cell (counts, ...); may be empty.
    ///   A ragged `cells` is read as if missing cells were nil.
    static func render(
        title: String, rowTitle: String, columnTitle: String, rowLabels: [String], columnLabels: [String],
        cells: [[RateInterval?]], baseline: Double, minimumRows: Int = defaultMinimumRows,
        cellNotes: [[String]] = [], width: Double = ChartStyle.width
    ) -> String {
        let grid = rowLabels.indices.map { rowIndex in
            columnLabels.indices.map { columnIndex in
                rowIndex < cells.count && columnIndex < cells[rowIndex].count ? cells[rowIndex][columnIndex] : nil
            }
        }
        let n = SVGWriter.number
        var svg = SVGWriter()
        ChartChrome.title(&svg, title, width: width)
        let rates = grid.joined().compactMap { $0 }.filter(\.isDrawable).map(\.rate)
        let lowest = min(rates.min() ?? baseline, baseline)
        let highest = max(rates.max() ?? baseline, baseline)

        // The colour legend: nine steps from the lowest rate through the baseline to the highest.
        let legendY = 40.0
        svg.open("g", [("class", "legend"), ("font-size", n(ChartStyle.legendFontSize))])
        svg.text("failure rate", [("x", n(ChartStyle.margin)), ("y", n(legendY)), ("fill", Palette.mutedText)])
        let stepWidth = 22.0
        let legendLeft = ChartStyle.margin + TextFit.width("failure rate", fontSize: ChartStyle.legendFontSize) + 10
        for step in 0..<9 {
            let position = Double(step - 4) / 4
            svg.element(
                "rect",
                [
                    ("x", n(legendLeft + Double(step) * stepWidth)), ("y", n(legendY - 11)), ("width", n(stepWidth)),
                    ("height", "14"), ("fill", Palette.diverging(position)),
                ])
        }
        let legendRight = legendLeft + 9 * stepWidth
        let ends = [
            (legendLeft, HumanFormat.percent(lowest), "start"),
            ((legendLeft + legendRight) / 2, "overall " + HumanFormat.percent(baseline), "middle"),
            (legendRight, HumanFormat.percent(highest), "end"),
        ]
        for (x, text, anchor) in ends {
            svg.text(text, [("x", n(x)), ("y", n(legendY + 16)), ("text-anchor", anchor), ("fill", Palette.mutedText)])
        }
        svg.text(
            "faded: fewer than \(HumanFormat.count(minimumRows)) rows",
            [
                ("x", n(legendRight + 16)), ("y", n(legendY)), ("fill", Palette.mutedText),
            ])
        svg.close("g")

        // Grid geometry.
        let gridTop = legendY + 40
        let rowLabelWidth = min(
            max(
                rowLabels.map { TextFit.width(TextFit.singleLine($0), fontSize: ChartStyle.tickFontSize) }.max() ?? 0,
                30),
            width * 0.28)
        let gridLeft = ChartStyle.margin + 18 + rowLabelWidth + 8
        let gridRight = width - ChartStyle.margin
        let columnCount = max(columnLabels.count, 1)
        let cellWidth = (gridRight - gridLeft) / Double(columnCount)
        let cellHeight = rowLabels.count > 30 ? 20.0 : 26.0
        let gridBottom = gridTop + Double(rowLabels.count) * cellHeight
        let labels = TextFit.bandLabels(
            columnLabels, spacing: cellWidth, fontSize: ChartStyle.tickFontSize,
            maxRotatedWidth: 140)
        let showValues = cellWidth >= TextFit.width("100.0%", fontSize: 10) + 6

        Axis.title(
            &svg, rowTitle, x: ChartStyle.margin + 6, y: (gridTop + gridBottom) / 2, vertical: true,
            maxWidth: max(gridBottom - gridTop, 40))
        for (rowIndex, rowLabel) in rowLabels.enumerated() {
            let fitted = TextFit.fitted(rowLabel, toWidth: rowLabelWidth, fontSize: ChartStyle.tickFontSize)
            svg.text(
                fitted.shown,
                [
                    ("x", n(gridLeft - 6)), ("y", n(gridTop + (Double(rowIndex) + 0.5) * cellHeight + 4)),
                    ("text-anchor", "end"), ("font-size", n(ChartStyle.tickFontSize)),
                ], title: fitted.full)
        }
        for (rowIndex, row) in grid.enumerated() {
            for (columnIndex, cell) in row.enumerated() {
                let x = gridLeft + Double(columnIndex) * cellWidth
                let y = gridTop + Double(rowIndex) * cellHeight
                let name =
                    TextFit.singleLine(rowLabels[rowIndex]) + " × " + TextFit.singleLine(columnLabels[columnIndex])
                let note =
                    rowIndex < cellNotes.count && columnIndex < cellNotes[rowIndex].count
                    ? "\n" + cellNotes[rowIndex][columnIndex] : ""
                guard let cell, cell.isDrawable else {
                    svg.element(
                        "rect",
                        [
                            ("x", n(x + 0.5)), ("y", n(y + 0.5)), ("width", n(cellWidth - 1)),
                            ("height", n(cellHeight - 1)),
                            ("fill", Palette.missingCell),
                        ], title: name + ": no rows")
                    continue
                }
                let position = colourPosition(cell.rate, baseline: baseline, lowest: lowest, highest: highest)
                let faded = cell.n < minimumRows
                svg.open("g", [("class", "cell")])
                svg.title(name + ": failure rate " + cell.summary + (faded ? " (few rows: uncertain)" : "") + note)
                var attributes: SVGWriter.Attributes = [
                    ("x", n(x + 0.5)), ("y", n(y + 0.5)), ("width", n(cellWidth - 1)), ("height", n(cellHeight - 1)),
                    ("fill", Palette.diverging(position)),
                ]
                if faded { attributes.append(("fill-opacity", "0.35")) }
                svg.element("rect", attributes)
                if showValues {
                    let light = !faded && Palette.needsLightText(position)
                    svg.text(
                        HumanFormat.percent(cell.rate),
                        [
                            ("x", n(x + cellWidth / 2)), ("y", n(y + cellHeight / 2 + 3.5)), ("text-anchor", "middle"),
                            ("font-size", "10"), ("fill", light ? Palette.background : Palette.text),
                        ])
                }
                svg.close("g")
            }
        }
        let lineHeight = ChartStyle.tickFontSize * 1.25
        for (columnIndex, lines) in labels.lines.enumerated() where !lines.isEmpty {
            let x = gridLeft + (Double(columnIndex) + 0.5) * cellWidth
            switch labels.mode {
            case .horizontal, .wrapped:
                svg.multilineText(
                    lines, x: x, y: gridBottom + 6 + ChartStyle.tickFontSize, lineHeight: lineHeight,
                    [
                        ("text-anchor", "middle"), ("font-size", n(ChartStyle.tickFontSize)),
                    ], title: labels.full[columnIndex])
            case .rotated:
                let anchorX = x + ChartStyle.tickFontSize * 0.35
                let anchorY = gridBottom + 8
                svg.text(
                    lines[0],
                    [
                        ("x", n(anchorX)), ("y", n(anchorY)), ("text-anchor", "end"),
                        ("font-size", n(ChartStyle.tickFontSize)),
                        ("transform", "rotate(-45 \(n(anchorX)) \(n(anchorY)))"),
                    ], title: labels.full[columnIndex])
            }
        }
        let titleY = gridBottom + labels.height + 16
        Axis.title(&svg, columnTitle, x: (gridLeft + gridRight) / 2, y: titleY, maxWidth: gridRight - gridLeft)
        return svg.document(width: width, height: titleY + 14, label: title)
    }

    /// Where `rate` falls on the diverging scale: 0 at the baseline, -1 at the lowest rate, 1 at the highest.
    static func colourPosition(_ rate: Double, baseline: Double, lowest: Double, highest: Double) -> Double {
        if rate >= baseline { return highest > baseline ? (rate - baseline) / (highest - baseline) : 0 }
        return baseline > lowest ? -(baseline - rate) / (baseline - lowest) : 0
    }
}

import Foundation
import Testing

@testable import Report
@testable import SliceSearch

/// The "when" and "under what conditions" sections and their charts: where the marks sit, what is left out, and
/// that the report reads well when an analysis did not run.
struct HTMLConditionsTests {
    static var result: AnalysisResult { HTMLFixture.result }

    static func chart(_ name: String, _ result: AnalysisResult = result) throws -> String {
        try #require(HTMLReport.charts(result).first { $0.name == name }).svg
    }

    /// Every value of `attribute` on `element` tags, in document order.
    static func attributeValues(_ attribute: String, of element: String, in svg: String) -> [Double] {
        svg.components(separatedBy: "<" + element + " ").dropFirst().compactMap { tag in
            let head = tag.prefix { $0 != ">" }
            guard let range = head.range(of: " " + attribute + "=\"") ?? head.range(of: attribute + "=\""),
                range.lowerBound == head.startIndex || head[head.index(before: range.upperBound)] == "\""
            else { return nil }
            return Double(head[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// The text between the first `start` marker and the next `end` after it.
    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let lower = text.range(of: start) else { return nil }
        guard let upper = text.range(of: end, range: lower.upperBound..<text.endIndex) else { return nil }
        return String(text[lower.upperBound..<upper.lowerBound])
    }

    @Test func theChangePointMarkerSitsBetweenTheBucketsItSeparates() throws {
        let svg = try Self.chart("time")
        // The overall series' points, one per bucket with rows (weeks 0 to 4).
        let series = try #require(Self.between(svg, "<g class=\"series\">", "</g>"))
        let points = Self.attributeValues("cx", of: "circle", in: series)
        #expect(points.count == 5)
        let marker = try #require(Self.between(svg, "<g class=\"change-point\">", "</g>"))
        let x = try #require(Self.attributeValues("x1", of: "line", in: marker).first)
        // The change is at the start of the third week: between the second and third points.
        #expect(abs(x - (points[1] + points[2]) / 2) < 0.02)
        #expect(marker.contains("from 2012-01-16: 9.4% (n = 160) → 16.7% (n = 240)"))
    }

    @Test func changePointsAreNumberedInTimeOrderInChartAndTable() {
        var result = Self.result
        var time = result.time!
        let later = TimeChangePoint(
            bucketIndex: 3, at: .timestamp(HTMLConditionsFixture.start + 3 * HTMLConditionsFixture.week),
            statistic: 9, pValue: 0.01, rank: 1, before: time.buckets[2].statistics, after: time.buckets[3].statistics)
        // Listed by rank, the later change first: the chart and table still number by time.
        time.changePoints = [later, time.changePoints[0]]
        result.time = time
        let html = HTMLReport.render(result)
        XMLCheck.expectWellFormed(html, root: "html", "two change points")
        let table = Self.between(html, "<h3>Change points</h3>", "</table>") ?? ""
        let first = table.range(of: "2012-01-16")
        let second = table.range(of: "2012-01-23")
        #expect(first != nil && second != nil && first!.lowerBound < second!.lowerBound)
        #expect(html.contains("change point 1: from 2012-01-16") && html.contains("change point 2: from 2012-01-23"))
        #expect(html.contains("It changes at 2 change points."))
    }

    @Test func slicesOverTimeLeaveOutLabelSlicesAndNameTheRest() throws {
        let svg = try Self.chart("time-slices")
        #expect(!svg.contains("label = 1"))
        #expect(svg.contains("red&lt;/text&gt;"))
        #expect(svg.contains("age = (45, 90] and colour"))
        // The overall line and two slice lines.
        #expect(svg.components(separatedBy: "<g class=\"series\">").count - 1 == 3)
    }

    @Test func theHeatmapHasOneCellPerShownBinPairWithCountsInTooltips() throws {
        let svg = try Self.chart("pair-heatmap")
        let pair = HTMLConditionsFixture.pair
        let shown = PairCells(pair)
        // The missing-value row has no rows and is left out; every other pair of bins gets a cell.
        #expect(shown.rows == [0, 1, 2] && shown.columns == [0, 1, 2])
        let cells = svg.components(separatedBy: "<title>").dropFirst().filter { $0.contains(" × ") }
        #expect(cells.count == shown.rows.count * shown.columns.count)
        #expect(cells.filter { $0.hasPrefix("(other: 3 categories) × (45, 90]: no rows") }.count == 1)
        #expect(svg.contains("8 failures of 40 rows"))
        // Cells under --min-support (30) rows are faded: 25, 20 and 20 rows.
        #expect(svg.components(separatedBy: "fill-opacity=\"0.35\"").count - 1 == 3)
        #expect(svg.contains("faded: fewer than 30 rows"))
    }

    @Test func theForestPlotShowsTheStrongestTermsSortedWithAnAxisAtOne() throws {
        var model = HTMLConditionsFixture.model
        model.terms = (0..<30).map { index in
            let oddsRatio = Foundation.exp(Double(index % 7 - 3) * 0.4 + Double(index) * 0.001)
            return HTMLConditionsFixture.term(
                "f\(index)", index, .value("v\(index)"), oddsRatio: oddsRatio, low: oddsRatio * 0.8,
                high: oddsRatio * 1.25, q: 0.01)
        }
        let shown = ReportCharts.oddsRatioTerms(model)
        #expect(shown.count == ReportCharts.maximumOddsRatios)
        #expect(zip(shown, shown.dropFirst()).allSatisfy { $0.oddsRatio >= $1.oddsRatio })
        // The strongest: every term left out is no further from 1 than every term shown.
        let weakestShown = shown.map { abs(Foundation.log($0.oddsRatio)) }.min()!
        let left = model.terms.filter { term in !shown.contains { $0.feature == term.feature } }
        #expect(left.allSatisfy { abs(Foundation.log($0.oddsRatio)) <= weakestShown })

        let svg = try Self.chart("odds-ratios")
        let labels = ["colour", "age = (45, 90]", "(other: 3 categories)", "age = [17, 30]"]
        let positions = labels.map { svg.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! }, "highest odds ratio first")
        #expect(svg.contains("against colour &lt;&quot;shade&quot;&gt; &amp; co = a rather long category name"))
        #expect(svg.contains("no association"))
    }

    @Test func associationsAreRankedWithInsignificantOnesGrey() throws {
        let svg = try Self.chart("associations")
        let colour = try #require(svg.range(of: "colour &lt;"))
        let age = try #require(svg.range(of: ">age<"))
        let region = try #require(svg.range(of: ">region<"))
        #expect(colour.lowerBound < age.lowerBound && age.lowerBound < region.lowerBound)
        #expect(svg.contains("q &lt; 0.025") && svg.contains("not significant"))
        let regionRow = try #require(Self.between(svg, ">region<", "</g>"))
        #expect(regionRow.contains("fill=\"\(Palette.emphasis(.neutral))\""))
        let html = HTMLReport.render(Self.result)
        #expect(html.contains("2 of 3 features go with failures"))
        #expect(html.contains("6.9e-08"))
    }

    @Test func theTimeSectionGivesTheVerdictWithItsTests() {
        let html = HTMLReport.render(Self.result)
        let section = Self.between(html, "<section id=\"time\">", "</section>") ?? ""
        #expect(section.contains("<strong>Failures depend on time.</strong>"))
        #expect(
            section.contains(
                "the chi-square test of homogeneity (adjusted p = 4.8e-05) and the change-point test (adjusted p = 9.4e-05) reject a constant failure rate at the 0.05 level"
            ))
        #expect(!section.contains("Cochran-Armitage trend test (adjusted"))
        #expect(section.contains("Before and after 2012-01-16"))
        #expect(section.contains("+38.8 pts"), "the emerging slice's change")
        #expect(section.contains("−0.4 pts"), "a negative mix part")
        #expect(html.contains("<a href=\"#time\">When</a>") && html.contains("<a href=\"#conditions\">Conditions</a>"))
    }

    @Test func sectionsAreLeftOutWhenTheirAnalysisDidNotRun() throws {
        var result = Self.result
        result.time = nil
        result.timeSlices = []
        result.model = nil
        result.pair = nil
        var html = HTMLReport.render(result)
        XMLCheck.expectWellFormed(html, root: "html", "no time, model or pair")
        #expect(!html.contains("id=\"time\"") && !html.contains("href=\"#time\""))
        #expect(html.contains("id=\"conditions\""), "the associations remain")
        #expect(!html.contains("Conditions that matter jointly") && !html.contains("strongest pair"))
        #expect(HTMLReport.charts(result).map(\.name).prefix(2) == ["top-slices", "associations"])
        // Without the time analysis the "when" verdict falls back on the time column's own bins.
        #expect(html.contains("In 1 of 5 weeks of ts."))
        #expect(html.contains("Most of all by colour"))

        result.associations = []
        html = HTMLReport.render(result)
        XMLCheck.expectWellFormed(html, root: "html", "no conditions at all")
        #expect(!html.contains("id=\"conditions\""))
        #expect(HTMLReport.chartIndex(result).map(\.name) == HTMLReport.charts(result).map(\.name))
        #expect(!HTMLReport.charts(result).contains { ["time", "associations", "odds-ratios"].contains($0.name) })
    }

    @Test func probabilitiesTooSmallToWriteStayEscaped() {
        // HumanFormat writes 0 as `<1e-300`: in a sentence of markup that `<` must be escaped.
        var result = Self.result
        result.associations[0].qValue = 0
        var time = result.time!
        for index in time.tests.indices { time.tests[index].adjustedPValue = 0 }
        result.time = time
        var html = HTMLReport.render(result)
        XMLCheck.expectWellFormed(html, root: "html", "p-values of 0")
        #expect(html.contains("q &lt; 1e-300") && html.contains("adjusted p &lt; 1e-300"))

        time.timeDependent = false
        result.time = time
        html = HTMLReport.render(result)
        XMLCheck.expectWellFormed(html, root: "html", "p-values of 0, no time dependence")
        #expect(html.contains("smallest adjusted p &lt; 1e-300"))
    }

    @Test func aQuietTimeAnalysisSaysSo() {
        var result = Self.result
        var time = result.time!
        time.timeDependent = false
        time.changePoints = []
        time.split = nil
        time.emerging = []
        time.decomposition = []
        for index in time.tests.indices { time.tests[index].significant = false }
        result.time = time
        let html = HTMLReport.render(result)
        #expect(html.contains("Not at any particular time."))
        #expect(html.contains("No evidence that failures depend on time."))
        #expect(!html.contains("change-point\""))
        #expect(!html.contains("Before and after"))
    }

    @Test func withoutASignificantTermTheVerdictFallsBackOnAssociations() {
        var result = Self.result
        result.model!.terms = result.model!.terms.map { term in
            var term = term
            term.qValue = 0.5
            term.significant = false
            return term
        }
        let html = HTMLReport.render(result)
        #expect(html.contains("Most of all by colour"))
        #expect(html.contains("The joint model finds no bin that significantly raises the odds of failure."))
    }

    @Test func everyChartIsWellFormedAndListedForSummary() {
        let result = Self.result
        for chart in HTMLReport.charts(result) { XMLCheck.expectWellFormed(chart.svg, root: "svg", chart.name) }
        let linked = MarkdownReport.render(result, linkingCharts: true)
        for name in ["time", "time-slices", "associations", "pair-heatmap", "odds-ratios"] {
            #expect(linked.contains("(charts/\(name).svg)"))
        }
    }
}

/// The small formatting and placement rules behind the condition charts.
struct ConditionChartRulesTests {
    @Test func smallOddsRatiosKeepTwoSignificantDigits() {
        #expect(ForestPlot.oddsText(2.314) == "2.31")
        #expect(ForestPlot.oddsText(0.45) == "0.45")
        #expect(ForestPlot.oddsText(0.05) == "0.050")
        #expect(ForestPlot.oddsText(0.0097) == "0.0097")
        #expect(ForestPlot.oddsText(0.000_05) == HumanFormat.scientific(0.000_05, significant: 2))
    }

    @Test func bucketsSitAtTheirStartOrTheirPosition() {
        var time = HTMLConditionsFixture.time
        #expect(ReportCharts.timePositions(time)[1] - ReportCharts.timePositions(time)[0] == 604_800)
        time.axis = .label
        for index in time.buckets.indices { time.buckets[index].start = .label("batch \(index)") }
        #expect(ReportCharts.timePositions(time) == [0, 1, 2, 3, 4, 5])
        let change = HTMLConditionsFixture.time.changePoints[0]
        #expect(ReportCharts.changePointPosition(change, positions: [0, 1, 2, 3, 4, 5]) == 1.5)
        var first = change
        first.bucketIndex = 0
        #expect(ReportCharts.changePointPosition(first, positions: [0, 1, 2]) == 0)
    }

    @Test func batchesAreDrawnInTheirOrderWithoutTimeWords() throws {
        var result = HTMLFixture.result
        var time = try #require(result.time)
        time.axis = .label
        time.column = "batch_id"
        time.bucket = "value"
        for index in time.buckets.indices {
            time.buckets[index].identity = .value("b\(index)")
            time.buckets[index].start = .label("b\(index)")
        }
        result.time = time
        let charts = HTMLReport.charts(result)
        let chart = try #require(charts.first { $0.name == "time" })
        #expect(chart.svg.contains("Failure rate per batch of batch_id"))
        #expect(chart.svg.contains(">b0<") && chart.svg.contains(">b4<"))
        XMLCheck.expectWellFormed(chart.svg, root: "svg", "batch chart")
        let html = HTMLReport.render(result)
        #expect(html.contains("Checked over 6 batches of <code>batch_id</code>"))
        #expect(!html.contains("batchs"))
    }
}

import Foundation
import Testing

@testable import Report
@testable import SliceSearch

/// A small fixed analysis with every kind of feature the report draws, and hostile user strings.
enum HTMLFixture {
    static func statistics(n: Int, failures: Int, low: Double, high: Double, overall: Double = 0.2, q: Double)
        -> SliceStatistics
    {
        let rate = n == 0 ? Double.nan : Double(failures) / Double(n)
        return SliceStatistics(
            n: n, failures: failures, failureRate: rate, ciLow: low, ciHigh: high, lift: rate / overall, pValue: q / 2,
            qValue: q, test: .z, meanLoss: rate, regression: nil,
            classification: BinaryMetrics(truePositives: 1, falsePositives: 2, trueNegatives: 3, falseNegatives: 4))
    }

    static let hostileFeature = "colour <\"shade\"> & co"

    /// The analysis with every section: the slices below plus ``HTMLConditionsFixture``'s time and conditions.
    static var result: AnalysisResult { HTMLConditionsFixture.adding(to: slicesOnly) }

    /// The one-feature slices, without the time analysis, associations, pair or model.
    static var slicesOnly: AnalysisResult {
        let colour = FeatureSlices(
            name: hostileFeature, kind: .categorical, columnType: "string", binning: nil, edges: nil, timeBucket: nil,
            bins: [
                FeatureBin(
                    identity: .value("red</text><script>alert(1)</script>"),
                    statistics: statistics(n: 100, failures: 40, low: 0.31, high: 0.50, q: 0.0001)),
                FeatureBin(
                    identity: .value("a rather long category name that will not fit the label column at all"),
                    statistics: statistics(n: 250, failures: 30, low: 0.085, high: 0.165, q: 0.01)),
                FeatureBin(
                    identity: .other(mergedCategories: 3),
                    statistics: statistics(n: 40, failures: 8, low: 0.1, high: 0.35, q: 0.9)),
                FeatureBin(identity: .missing, statistics: statistics(n: 10, failures: 2, low: 0.06, high: 0.51, q: 1)),
            ])
        let age = FeatureSlices(
            name: "age", kind: .numeric, columnType: "int64", binning: .quantile, edges: [17, 30, 45, 90],
            timeBucket: nil,
            bins: [
                FeatureBin(
                    identity: .interval(lower: 17, upper: 30, lowerInclusive: true),
                    statistics: statistics(n: 150, failures: 15, low: 0.06, high: 0.16, q: 0.002)),
                FeatureBin(
                    identity: .interval(lower: 30, upper: 45, lowerInclusive: false),
                    statistics: statistics(n: 140, failures: 30, low: 0.15, high: 0.29, q: 0.6)),
                FeatureBin(
                    identity: .interval(lower: 45, upper: 90, lowerInclusive: false),
                    statistics: statistics(n: 110, failures: 35, low: 0.24, high: 0.41, q: 0.003)),
            ])
        let week = 604_800 as Int64
        let start = 1_325_462_400 as Int64  // 2012-01-02, a Monday
        let failuresPerWeek = [6, 9, 25, 7, 8, 0]
        var buckets: [FeatureBin] = []
        for (index, failures) in failuresPerWeek.enumerated() {
            let n = index == 5 ? 0 : 80
            let rate = Double(failures) / 80
            buckets.append(
                FeatureBin(
                    identity: .timeBucket(start: start + Int64(index) * week, end: start + Int64(index + 1) * week),
                    statistics: statistics(
                        n: n, failures: failures, low: max(rate - 0.07, 0), high: rate + 0.09,
                        q: index == 2 ? 0.0004 : 0.5)))
        }
        buckets.append(
            FeatureBin(identity: .missing, statistics: statistics(n: 0, failures: 0, low: .nan, high: .nan, q: .nan)))
        let time = FeatureSlices(
            name: "ts", kind: .time, columnType: "timestamp", binning: nil, edges: nil,
            timeBucket: "week", bins: buckets)
        let label = FeatureSlices(
            name: "label", kind: .label, columnType: "int64", binning: nil, edges: nil, timeBucket: nil,
            bins: [
                FeatureBin(
                    identity: .value("0"),
                    statistics: statistics(n: 300, failures: 30, low: 0.07, high: 0.14, q: 0.0001)),
                FeatureBin(
                    identity: .value("1"),
                    statistics: statistics(n: 100, failures: 50, low: 0.40, high: 0.60, q: 0.0001)),
            ])
        let hotspots = [
            Hotspot(feature: "label", kind: .label, identity: .value("1"), statistics: label.bins[1].statistics),
            Hotspot(
                feature: hostileFeature, kind: .categorical, identity: colour.bins[0].identity,
                statistics: colour.bins[0].statistics),
            Hotspot(feature: "ts", kind: .time, identity: buckets[2].identity, statistics: buckets[2].statistics),
        ]
        return AnalysisResult(
            source: "dumps/<demo> & co.csv", task: "binary",
            roles: .init(label: "label", prediction: "pred", score: "score", time: "ts", batch: nil),
            failureDefinition: .init(
                spec: "misclassified", description: "the predicted class differs from the true class",
                threshold: nil, positiveClass: "1"),
            rows: 400, failures: 80, failureRate: 0.2, ciLow: 0.164, ciHigh: 0.241, excludedRows: 2,
            exclusions: [.init(reason: "missing label ('label')", rows: 2)],
            settings: .init(
                binning: "quantile", bins: 10, categoricalThreshold: 10, maxCategories: 50, fdr: 0.05,
                minLift: 1.2, minSupport: 30),
            features: [colour, age, time, label], hotspots: hotspots,
            skipped: [SkippedColumn(name: "score", reason: "it is the score column (model output)")],
            notes: ["Column 'score' was not sliced: it is the score column (model output)."])
    }
}

struct HTMLReportTests {
    @Test func reportMatchesItsGoldenFile() {
        Snapshot.expectMatches(HTMLReport.render(HTMLFixture.result), "report.html")
    }

    @Test func chartsMatchTheirGoldenFiles() {
        for chart in HTMLReport.charts(HTMLFixture.result) {
            Snapshot.expectMatches(chart.svg, "report-" + chart.name + ".svg")
        }
    }

    @Test func reportIsWellFormedXHTML() {
        let html = HTMLReport.render(HTMLFixture.result)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">"))
        XMLCheck.expectWellFormed(html, root: "html", "report.html")
        for chart in HTMLReport.charts(HTMLFixture.result) {
            XMLCheck.expectWellFormed(chart.svg, root: "svg", chart.name)
        }
    }

    @Test func reportIsSelfContained() {
        let html = HTMLReport.render(HTMLFixture.result)
        // The only URLs are the XHTML and SVG namespace names, which are never fetched.
        let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(40)) }
        #expect(
            urls.allSatisfy { $0.hasPrefix("://www.w3.org/1999/xhtml\"") || $0.hasPrefix("://www.w3.org/2000/svg\"") })
        for needle in ["src=", "<link", "@import", "url(", "<iframe", "<img"] {
            #expect(!html.contains(needle), "report.html must not load anything: found \(needle)")
        }
        let anchors = html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix(1)) }
        #expect(anchors.allSatisfy { $0 == "#" }, "links stay inside the page")
    }

    @Test func everyChartIsEmbeddedAndNamedForItsFile() {
        let result = HTMLFixture.result
        let html = HTMLReport.render(result)
        let charts = HTMLReport.charts(result)
        #expect(
            charts.map(\.name) == [
                "top-slices", "time", "time-slices", "associations", "pair-heatmap", "odds-ratios", "feature-label",
                "feature-colour-shade-co", "feature-age", "feature-ts",
            ])
        for chart in charts {
            #expect(html.contains(String(chart.svg.dropLast())), "\(chart.name) is embedded byte for byte")
            #expect(chart.name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
        }
        #expect(HTMLReport.chartIndex(result).map(\.name) == charts.map(\.name))
    }

    @Test func userTextIsEscaped() {
        let html = HTMLReport.render(HTMLFixture.result)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("red&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("colour &lt;&quot;shade&quot;&gt; &amp; co"))
        #expect(html.contains("<title>Failure analysis of dumps/&lt;demo&gt; &amp; co.csv</title>"))
        #expect(html.components(separatedBy: "<script>").count == 2, "one script: the page's own")
    }

    @Test func overviewAnswersTheThreeQuestions() {
        let html = HTMLReport.render(HTMLFixture.result)
        #expect(html.contains("<div class=\"value\">400</div>"))
        #expect(html.contains("<div class=\"value\">20.0%</div>"))
        #expect(html.contains("95% CI 16.4% to 24.1%"))
        #expect(html.contains("Where does the model fail?") && html.contains("In 3 slices."))
        #expect(html.contains("It changes at 1 change point."))
        #expect(html.contains("Under what conditions?") && html.contains("Most of all when colour"))
        #expect(!html.contains("not computed in this version"))
    }

    @Test func numbersAreFormattedForPeople() {
        var result = HTMLFixture.result
        result.rows = 48_842
        result.failureRate = 0.126_14
        result.hotspots[0].statistics.qValue = 1.9e-12
        let html = HTMLReport.render(result)
        #expect(html.contains("48,842") && html.contains("12.6%") && html.contains("1.9e-12"))
    }

    @Test func theReportIsDeterministic() {
        #expect(HTMLReport.render(HTMLFixture.result) == HTMLReport.render(HTMLFixture.result))
    }

    @Test func aReportWithoutHotspotsOrFeaturesStillRenders() {
        var result = HTMLFixture.slicesOnly
        result.hotspots = []
        result.features = []
        result.roles.time = nil
        let html = HTMLReport.render(result)
        XMLCheck.expectWellFormed(html, root: "html", "empty report")
        #expect(html.contains("No hotspot."))
        #expect(html.contains("The dump has no time or batch column"))
        #expect(HTMLReport.charts(result).isEmpty)
    }

    @Test func markdownLinksTheChartsOnlyWhenAsked() {
        let result = HTMLFixture.result
        let linked = MarkdownReport.render(result, linkingCharts: true)
        #expect(linked.contains("## Charts"))
        #expect(linked.contains("![Top slices: where the model fails most](charts/top-slices.svg)"))
        for chart in HTMLReport.charts(result) { #expect(linked.contains("(charts/\(chart.name).svg)")) }
        #expect(linked.contains("[`report.html`](report.html)"))
        #expect(!MarkdownReport.render(result).contains("## Charts"))
    }
}

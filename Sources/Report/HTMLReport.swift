import SliceSearch

/// Renders `report.html`: one self-contained file (inline CSS and SVG, a little optional inline script, no remote
/// resources) that shows the analysis as charts a person can read: an overview with the verdicts, the top slices,
/// and every feature. The markup is XHTML-compatible (every element closed, no named entities, the script in a
/// CDATA section), so it also parses as XML; every user string is escaped.
///
/// The charts come from the SVG module (`Sources/Report/SVG`); ``charts(_:)`` returns exactly the SVG documents the
/// page embeds, named for `charts/NAME.svg`.
public enum HTMLReport {
    /// The most hotspots drawn in the top-slices chart (the table lists them all).
    public static let maximumSlicesCharted = 15

    /// The report as one HTML document.
    public static func render(_ result: AnalysisResult) -> String {
        let charts = ReportCharts(result)
        var page = HTMLPage()
        page.raw("<!DOCTYPE html>")
        page.raw("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">")
        page.raw("<head>")
        page.raw("<meta charset=\"utf-8\"/>")
        page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        page.raw("<meta name=\"generator\" content=\"Faultline\"/>")
        page.element("title", "Failure analysis of " + result.source)
        page.raw("<style>" + HTMLAssets.stylesheet + "</style>")
        page.raw("</head>")
        page.raw("<body>")
        header(&page, result)
        page.raw("<main>")
        overview(&page, result)
        topSlices(&page, result, charts: charts)
        conjunctions(&page, result, charts: charts)
        timeSection(&page, result, charts: charts)
        conditionsSection(&page, result, charts: charts)
        features(&page, result, charts: charts)
        limits(&page, result)
        guide(&page, result)
        page.raw("</main>")
        page.raw(
            "<footer><p>Written by Faultline from " + code(result.source)
                + ". Every number is also in <code>analysis.json</code> and <code>slices.csv</code>; every chart is also "
                + "an SVG file in <code>charts/</code>.</p></footer>")
        page.raw("<script>//<![CDATA[\n" + HTMLAssets.script + "\n//]]></script>")
        page.raw("</body>")
        page.raw("</html>")
        return page.text
    }

    /// The charts of the report, in page order, as standalone SVG documents named for `charts/NAME.svg` (names are
    /// lowercase ASCII letters, digits and `-`, unique within the report).
    public static func charts(_ result: AnalysisResult) -> [(name: String, svg: String)] {
        ReportCharts(result).all.map { ($0.name, $0.svg) }
    }

    /// The names and titles of the charts, without drawing them (for links from `summary.md`).
    static func chartIndex(_ result: AnalysisResult) -> [(name: String, title: String)] {
        ReportCharts.plan(result).map { ($0.name, $0.title) }
    }

    /// `<code>text</code>`, escaped.
    static func code(_ text: String) -> String { "<code>" + XMLText.escape(text) + "</code>" }
}

/// An HTML document being written, one line per call.
struct HTMLPage {
    private(set) var text = ""

    /// Markup written as is (the caller has escaped any user text in it).
    mutating func raw(_ markup: String) { text += markup + "\n" }

    /// `<name attributes>escaped text</name>`.
    mutating func element(_ name: String, _ content: String, _ attributes: [(String, String)] = []) {
        raw("<" + name + SVGWriter.attributeText(attributes) + ">" + XMLText.escape(content) + "</" + name + ">")
    }
}

/// Names for chart files: lowercase ASCII letters and digits, other runs of characters as one `-`, at most 60
/// characters, and a numeric suffix when two names would collide.
struct ChartNames {
    private var used: Set<String> = []

    /// `Native Country (2)` becomes `native-country-2`; an empty result becomes `chart`.
    static func sanitize(_ text: String) -> String {
        var name = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                name.unicodeScalars.append(scalar)
            } else if !name.isEmpty && !name.hasSuffix("-") {
                name += "-"
            }
        }
        while name.hasSuffix("-") { name.removeLast() }
        if name.count > 60 {
            name = String(name.prefix(60))
            while name.hasSuffix("-") { name.removeLast() }
        }
        return name.isEmpty ? "chart" : name
    }

    /// A sanitized name for `text`, not handed out before.
    mutating func unique(_ text: String) -> String {
        let base = Self.sanitize(text)
        var name = base
        var suffix = 2
        while used.contains(name) {
            name = base + "-" + String(suffix)
            suffix += 1
        }
        used.insert(name)
        return name
    }
}

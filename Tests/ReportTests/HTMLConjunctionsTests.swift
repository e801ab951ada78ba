import Foundation
import Testing

@testable import Report
@testable import SliceSearch

/// The multi-feature slices of the search in `report.html` and `charts/`.
struct HTMLConjunctionsTests {
    static let colour = HTMLFixture.hostileFeature

    static var result: AnalysisResult {
        var result = HTMLFixture.result
        let red = SlicePredicate(feature: colour, kind: .categorical, identity: .value("red</text><script>alert(1)</script>"))
        let old = SlicePredicate(
            feature: "age", kind: .numeric, identity: .interval(lower: 60, upper: 90, lowerInclusive: false))
        let first = SliceFinding(
            rank: 1, level: 2, predicates: [red, old], score: 0.42, errorSum: 30, errorMax: 1,
            statistics: HTMLFixture.statistics(n: 50, failures: 30, low: 0.46, high: 0.73, q: 0.0002),
            equivalents: [[SlicePredicate(feature: "region", kind: .categorical, identity: .value("north"))]],
            explainedBy: nil)
        let second = SliceFinding(
            rank: 2, level: 2, predicates: [old, SlicePredicate(feature: "region", kind: .categorical, identity: .value("south"))],
            score: 0.1, errorSum: 12, errorMax: 1,
            statistics: HTMLFixture.statistics(n: 40, failures: 12, low: 0.18, high: 0.45, q: 0.2),
            equivalents: [],
            explainedBy: SliceParent(predicates: [old], n: 120, failures: 35, failureRate: 35.0 / 120, pValue: 0.4, qValue: 0.6))
        result.slices = [first, second]
        result.sliceSearch = SliceSearchSummary(
            alpha: 0.95, maxLevel: 3, top: 10, error: .failure, referenceCompatible: false, minimumSupport: 30,
            features: [colour, "age", "region"], evaluated: 123, levels: [], meanError: 0.2)
        return result
    }

    /// The section's table body, between its `<tbody>` and `</tbody>`.
    static func sectionTable(_ html: String) throws -> Substring {
        let section = try #require(html.range(of: "<section id=\"multi-feature-slices\">"))
        let rest = html[section.upperBound...]
        let body = try #require(rest.range(of: "<tbody>"))
        let end = try #require(rest.range(of: "</tbody>"))
        return rest[body.upperBound..<end.lowerBound]
    }

    @Test func sectionListsEverySliceWithRemarks() throws {
        let html = HTMLReport.render(Self.result)
        #expect(html.contains("<a href=\"#multi-feature-slices\">Multi-feature slices</a>"))
        let table = try Self.sectionTable(html)
        #expect(table.components(separatedBy: "<tr>").count - 1 == 2)
        #expect(table.contains("same rows as <span class=\"feature-name\">region</span>"))
        #expect(table.contains("explained by <span class=\"feature-name\">age</span>"))
        // User text is escaped, never markup.
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("evaluated 123 slices; these are its top 2 by score. 1 of them fails significantly"))
        if case .failure(let error) = XMLCheck.parse(html) { Issue.record("report.html is not well-formed: \(error)") }
    }

    @Test func chartFollowsTheTopSlicesAndIsWellFormed() throws {
        let charts = HTMLReport.charts(Self.result)
        let names = charts.map(\.name)
        let index = try #require(names.firstIndex(of: "multi-feature-slices"))
        #expect(names[index - 1] == "top-slices")
        let svg = try #require(charts.first { $0.name == "multi-feature-slices" }?.svg)
        if case .failure(let error) = XMLCheck.parse(svg) { Issue.record("chart is not well-formed: \(error)") }
        #expect(svg.contains("score 0.420"))
    }

    @Test func absentWithoutSlices() {
        let html = HTMLReport.render(HTMLFixture.result)
        #expect(!html.contains("multi-feature-slices"))
        #expect(!HTMLReport.charts(HTMLFixture.result).contains { $0.name == "multi-feature-slices" })
    }
}

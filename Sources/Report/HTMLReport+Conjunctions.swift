import ColumnStore
import SliceSearch

// The multi-feature slices of the SliceLine search: a chart of their failure rates with intervals and a table with
// their statistics, equivalent descriptions and the parents that explain them.
extension HTMLReport {
    static func conjunctions(_ page: inout HTMLPage, _ result: AnalysisResult, charts: ReportCharts) {
        guard let chart = charts.conjunctions, let search = result.sliceSearch else { return }
        page.raw("<section id=\"multi-feature-slices\">")
        page.element("h2", "Multi-feature slices")
        let significant = result.slices.filter { $0.statistics.qValue < result.settings.fdr }.count
        let explained = result.slices.filter { $0.explainedBy != nil }.count
        let lattice = "An exact search over conjunctions of up to \(search.maxLevel) bins (SliceLine, alpha "
        let support = NumberFormat.shortest(search.alpha) + ", at least " + HumanFormat.count(search.minimumSupport)
        let evaluated = " rows) evaluated " + HumanFormat.count(search.evaluated) + " slices; these are its top "
        let verb = significant == 1 ? "fails" : "fail"
        let claim =
            HumanFormat.count(significant) + " of them " + verb + " significantly more often than the rest (BH q < "
            + result.settings.fdr.description + " over the whole search lattice)."
        var intro: String = lattice + support + evaluated + HumanFormat.count(result.slices.count) + " by score. "
        intro += claim
        if explained > 0 {
            let be = explained == 1 ? "is" : "are"
            intro += " \(HumanFormat.count(explained)) \(be) no worse than a parent slice with one condition fewer, "
            intro += "which then explains it."
        }
        page.element("p", intro)
        figure(
            &page, chart,
            caption: "Each dot is a slice's failure rate, the whiskers its 95% interval; the dashed line is the "
                + "overall rate. The grey bars on the right are the slices' sizes.")
        page.raw("<div class=\"table-wrap\"><table class=\"sortable\">")
        page.raw(
            "<thead><tr><th class=\"num\">#</th><th>slice</th><th class=\"num\">rows</th>"
                + "<th class=\"num\">failure rate</th><th>95% CI</th><th class=\"num\">lift</th>"
                + "<th class=\"num\">score</th><th class=\"num\">q-value</th><th>remarks</th></tr></thead>")
        page.raw("<tbody>")
        for finding in result.slices {
            let s = finding.statistics
            page.raw(
                "<tr>" + numberCell(Double(finding.rank), String(finding.rank))
                    + "<td>" + predicateMarkup(finding.predicates) + "</td>"
                    + numberCell(Double(s.n), HumanFormat.count(s.n))
                    + numberCell(s.failureRate, HumanFormat.percent(s.failureRate))
                    + "<td data-value=\"" + dataNumber(s.ciLow) + "\">" + HumanFormat.percent(s.ciLow) + " to "
                    + HumanFormat.percent(s.ciHigh) + "</td>"
                    + numberCell(s.lift, HumanFormat.ratio(s.lift))
                    + numberCell(finding.score, HumanFormat.fixed(finding.score, decimals: 3))
                    + numberCell(s.qValue, HumanFormat.probability(s.qValue))
                    + "<td>" + remarks(finding) + "</td></tr>")
        }
        page.raw("</tbody></table></div>")
        page.raw("</section>")
    }

    /// `feature = bin and feature = bin`, escaped, with the same classes as the 1-D tables.
    static func predicateMarkup(_ predicates: [SlicePredicate]) -> String {
        predicates.map { predicate in
            "<span class=\"feature-name\">" + XMLText.escape(predicate.feature) + "</span> = <span class=\"bin-label\">"
                + XMLText.escape(predicate.identity.label) + "</span>"
        }.joined(separator: " and ")
    }

    /// Equivalent descriptions and the explaining parent, in words.
    static func remarks(_ finding: SliceFinding) -> String {
        var parts: [String] = []
        if let parent = finding.explainedBy {
            parts.append(
                "explained by " + predicateMarkup(parent.predicates) + " ("
                    + XMLText.escape(HumanFormat.percent(parent.failureRate)) + ")")
        }
        if !finding.equivalents.isEmpty {
            parts.append(
                "same rows as " + finding.equivalents.map(predicateMarkup).joined(separator: "; "))
        }
        return parts.joined(separator: "; ")
    }
}

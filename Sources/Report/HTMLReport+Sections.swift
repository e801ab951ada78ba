import SliceSearch

extension HTMLReport {
    static func header(_ page: inout HTMLPage, _ result: AnalysisResult) {
        page.raw("<header class=\"page\">")
        page.raw("<h1>Failure analysis of " + code(result.source) + "</h1>")
        page.element("p", "Where the \(result.task) model fails, with the uncertainty of every rate shown.")
        page.raw("</header>")
        var links = [("overview", "Overview")]
        if !result.hotspots.isEmpty { links.append(("top-slices", "Top slices")) }
        if !result.slices.isEmpty && result.sliceSearch != nil {
            links.append(("multi-feature-slices", "Multi-feature slices"))
        }
        if result.time != nil { links.append(("time", "When")) }
        if !result.associations.isEmpty || result.model != nil || result.pair != nil {
            links.append(("conditions", "Conditions"))
        }
        if !result.features.isEmpty { links.append(("features", "Every feature")) }
        links.append(("limits", "Not analysed"))
        links.append(("reading", "How to read"))
        page.raw("<nav class=\"toc\">" + links.map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined() + "</nav>")
    }

    // MARK: - Overview

    static func overview(_ page: inout HTMLPage, _ result: AnalysisResult) {
        page.raw("<section id=\"overview\">")
        page.element("h2", "Overview")
        page.raw("<div class=\"cards\">")
        var rowsNote = result.task + " task"
        if result.excludedRows > 0 { rowsNote += "; " + HumanFormat.count(result.excludedRows) + " rows excluded" }
        card(&page, label: "Rows analysed", value: HumanFormat.count(result.rows), note: rowsNote)
        card(
            &page, label: "Failures", value: HumanFormat.count(result.failures),
            note: "of " + HumanFormat.count(result.rows) + " rows")
        card(
            &page, label: "Overall failure rate", value: HumanFormat.percent(result.failureRate),
            note: "95% CI " + HumanFormat.percent(result.ciLow) + " to " + HumanFormat.percent(result.ciHigh))
        card(
            &page, label: "Hotspots", value: HumanFormat.count(result.hotspots.count),
            note: "q < " + result.settings.fdr.description + ", lift ≥ " + HumanFormat.ratio(result.settings.minLift)
                + ", ≥ " + HumanFormat.count(result.settings.minSupport) + " rows")
        page.raw("</div>")
        page.raw("<dl class=\"facts\">")
        fact(&page, "Dump", code(result.source))
        var failure =
            XMLText.escape(result.failureDefinition.description) + " ("
            + code(
                "--failure "
                    + result.failureDefinition.spec) + ")"
        if let positive = result.failureDefinition.positiveClass {
            failure += "; positive class " + code(positive)
        }
        fact(&page, "A failure is", failure)
        var roles = "label " + code(result.roles.label) + ", prediction " + code(result.roles.prediction)
        if let score = result.roles.score { roles += ", score " + code(score) }
        if let time = result.roles.time { roles += ", time " + code(time) }
        if let batch = result.roles.batch { roles += ", batch " + code(batch) }
        fact(&page, "Columns", roles)
        if !result.exclusions.isEmpty {
            let reasons = result.exclusions.map { HumanFormat.count($0.rows) + " with " + $0.reason }
            fact(&page, "Left out", XMLText.escape(reasons.joined(separator: ", ")))
        }
        page.raw("</dl>")
        page.element("h3", "The three questions")
        page.raw("<div class=\"verdicts\">")
        for verdict in Verdicts.all(result) {
            page.raw("<div class=\"verdict " + verdict.tone.rawValue + "\">")
            page.element("h4", verdict.question)
            page.raw("<p class=\"answer\">" + XMLText.escape(verdict.answer) + "</p>")
            page.raw("<p>" + verdict.detail + "</p>")
            page.raw("</div>")
        }
        page.raw("</div>")
        page.raw("</section>")
    }

    static func card(_ page: inout HTMLPage, label: String, value: String, note: String) {
        page.raw(
            "<div class=\"card\"><div class=\"label\">" + XMLText.escape(label) + "</div><div class=\"value\">"
                + XMLText.escape(value) + "</div><div class=\"note\">" + XMLText.escape(note) + "</div></div>")
    }

    /// A term and its definition (`markup` is already escaped).
    static func fact(_ page: inout HTMLPage, _ term: String, _ markup: String) {
        page.raw("<dt>" + XMLText.escape(term) + "</dt><dd>" + markup + "</dd>")
    }

    // MARK: - Top slices

    static func topSlices(_ page: inout HTMLPage, _ result: AnalysisResult, charts: ReportCharts) {
        guard let chart = charts.topSlices else { return }
        page.raw("<section id=\"top-slices\">")
        page.element("h2", "Top slices")
        let count = result.hotspots.count
        var intro =
            "\(HumanFormat.count(count)) slice\(count == 1 ? " fails" : "s fail") significantly more often "
            + "than the rest of the data. "
        if count > maximumSlicesCharted {
            intro +=
                "The chart shows the first \(maximumSlicesCharted); the table below lists all of them (click a "
                + "heading to sort)."
        } else {
            intro += "Click a table heading to sort."
        }
        page.element("p", intro)
        figure(
            &page, chart,
            caption: "Each dot is a slice's failure rate, the whiskers its 95% interval; the dashed line "
                + "is the overall rate. The grey bars on the right are the slices' sizes.")
        let collapsed = count > maximumSlicesCharted
        if collapsed {
            page.raw("<details class=\"table\"><summary>All \(HumanFormat.count(count)) hotspots as a table</summary>")
        }
        page.raw("<div class=\"table-wrap\"><table class=\"sortable\">")
        page.raw(
            "<thead><tr><th class=\"num\">#</th><th>slice</th><th class=\"num\">rows</th>"
                + "<th class=\"num\">failures</th><th class=\"num\">failure rate</th><th>95% CI</th>"
                + "<th class=\"num\">lift</th><th class=\"num\">q-value</th></tr></thead>")
        page.raw("<tbody>")
        for (index, hotspot) in result.hotspots.enumerated() {
            let s = hotspot.statistics
            page.raw(
                "<tr>" + numberCell(Double(index + 1), String(index + 1))
                    + "<td><span class=\"feature-name\">" + XMLText.escape(hotspot.feature) + "</span> = "
                    + "<span class=\"bin-label\">" + XMLText.escape(hotspot.identity.label) + "</span></td>"
                    + numberCell(Double(s.n), HumanFormat.count(s.n))
                    + numberCell(Double(s.failures), HumanFormat.count(s.failures))
                    + numberCell(s.failureRate, HumanFormat.percent(s.failureRate))
                    + "<td data-value=\"" + dataNumber(s.ciLow) + "\">" + HumanFormat.percent(s.ciLow) + " to "
                    + HumanFormat.percent(s.ciHigh) + "</td>"
                    + numberCell(s.lift, HumanFormat.ratio(s.lift))
                    + numberCell(s.qValue, HumanFormat.probability(s.qValue)) + "</tr>")
        }
        page.raw("</tbody></table></div>")
        if collapsed { page.raw("</details>") }
        page.raw("</section>")
    }

    /// A right-aligned cell that sorts by `value`.
    static func numberCell(_ value: Double, _ text: String) -> String {
        "<td class=\"num\" data-value=\"" + dataNumber(value) + "\">" + XMLText.escape(text) + "</td>"
    }

    /// A number for `data-value`: shortest round-trip text, empty when not finite.
    static func dataNumber(_ value: Double) -> String {
        value.isFinite ? JSONValue.numberText(value) : ""
    }

    /// The chart's SVG inline, with a caption.
    static func figure(_ page: inout HTMLPage, _ chart: ReportCharts.Chart, caption: String) {
        page.raw("<figure class=\"chart\" id=\"chart-" + chart.name + "\">")
        page.raw(chart.svg.hasSuffix("\n") ? String(chart.svg.dropLast()) : chart.svg)
        page.element("figcaption", caption)
        page.raw("</figure>")
    }

    // MARK: - Every feature

    static func features(_ page: inout HTMLPage, _ result: AnalysisResult, charts: ReportCharts) {
        guard !result.features.isEmpty else { return }
        let order = FeatureOrder.indices(result)
        let support = result.settings.minSupport
        page.raw("<section id=\"features\">")
        page.element("h2", "Every feature")
        page.element(
            "p",
            "Columns ordered by their worst slice of at least \(HumanFormat.count(support)) rows. Each "
                + "chart shows the failure rate of every bin with its 95% interval against the overall rate, and "
                + "the bins' sizes.")
        page.raw("<div class=\"table-wrap\"><table class=\"sortable\">")
        page.raw(
            "<thead><tr><th>column</th><th>kind</th><th class=\"num\">slices</th><th class=\"num\">significant</th>"
                + "<th>worst slice</th><th class=\"num\">its failure rate</th><th class=\"num\">lift</th></tr></thead>")
        page.raw("<tbody>")
        var anchors = ChartNames()
        var anchorOf: [Int: String] = [:]
        for index in order { anchorOf[index] = anchors.unique("feature-" + result.features[index].name) }
        for index in order {
            let feature = result.features[index]
            let significant = feature.bins.filter { $0.statistics.qValue < result.settings.fdr }.count
            let worst = FeatureOrder.worstBin(feature, minSupport: support)
            var row =
                "<tr><td><a href=\"#" + (anchorOf[index] ?? "") + "\">" + XMLText.escape(feature.name) + "</a></td>"
            row +=
                "<td>" + feature.kind.rawValue + "</td>"
                + numberCell(Double(feature.bins.count), String(feature.bins.count))
            row += numberCell(Double(significant), String(significant))
            if let worst {
                let s = worst.statistics
                row += "<td>" + XMLText.escape(worst.identity.label) + "</td>"
                row += numberCell(
                    s.failureRate, HumanFormat.percent(s.failureRate) + " (n = " + HumanFormat.count(s.n) + ")")
                row += numberCell(s.lift, HumanFormat.ratio(s.lift))
            } else {
                row +=
                    "<td>none this large</td><td class=\"num\" data-value=\"\"></td><td class=\"num\" data-value=\"\"></td>"
            }
            page.raw(row + "</tr>")
        }
        page.raw("</tbody></table></div>")
        page.raw(
            "<p class=\"controls\"><button type=\"button\" id=\"toggle-features\" hidden=\"hidden\">"
                + "Collapse all features</button></p>")
        for index in order {
            let feature = result.features[index]
            page.raw("<details class=\"feature\" id=\"" + (anchorOf[index] ?? "") + "\" open=\"open\">")
            page.raw(
                "<summary><span class=\"feature-name\">" + XMLText.escape(feature.name)
                    + "</span> <span class=\"kind\">"
                    + feature.kind.rawValue + "</span> <span class=\"meta\">"
                    + XMLText.escape(featureMeta(feature, result))
                    + "</span></summary>")
            if let chart = charts.features[index] {
                figure(&page, chart, caption: featureCaption(feature))
            }
            page.raw("</details>")
        }
        page.raw("</section>")
    }

    /// `10 quantile bins · 9 differ significantly · worst (45, 51]: 18.6%, 1.48× overall`.
    static func featureMeta(_ feature: FeatureSlices, _ result: AnalysisResult) -> String {
        var parts: [String] = []
        let count = feature.bins.count
        if let binning = feature.binning {
            parts.append("\(count) \(binning.rawValue) bin\(count == 1 ? "" : "s")")
        } else if let bucket = feature.timeBucket {
            parts.append("\(count) \(bucket)\(count == 1 ? "" : "s")")
        } else {
            parts.append("\(count) value\(count == 1 ? "" : "s")")
        }
        let significant = feature.bins.filter { $0.statistics.qValue < result.settings.fdr }.count
        parts.append("\(significant) differ\(significant == 1 ? "s" : "") significantly")
        if let worst = FeatureOrder.worstBin(feature, minSupport: result.settings.minSupport) {
            let s = worst.statistics
            parts.append(
                "worst: " + worst.identity.label + " at " + HumanFormat.percent(s.failureRate) + " ("
                    + HumanFormat.ratio(s.lift) + "× overall)")
        }
        return parts.joined(separator: " · ")
    }

    static func featureCaption(_ feature: FeatureSlices) -> String {
        if TimeSeriesInput.applies(feature) {
            var caption =
                "The line is the failure rate per " + (feature.timeBucket ?? "bucket")
                + ", the shaded band its 95% interval; the dashed line is the overall rate."
            if feature.bins.contains(where: { $0.identity == .missing }) {
                caption += " Rows without a time are in analysis.json (bin \"(missing)\")."
            }
            return caption
        }
        return "Dots: failure rate per " + (feature.kind == .categorical ? "category" : "bin")
            + "; whiskers: 95% interval; dashed line: overall rate; grey bars: rows per "
            + (feature.kind == .categorical ? "category" : "bin") + "."
    }

    // MARK: - Limits and guide

    static func limits(_ page: inout HTMLPage, _ result: AnalysisResult) {
        page.raw("<section id=\"limits\">")
        page.element("h2", "What was not analysed")
        if result.notes.isEmpty && result.skipped.isEmpty {
            page.element("p", "Every column was sliced.")
        } else {
            page.raw("<ul>")
            for note in result.notes { page.element("li", note) }
            for skipped in result.skipped where !result.notes.contains(where: { $0.contains(skipped.name) }) {
                page.element("li", "Column '" + skipped.name + "' was not sliced: " + skipped.reason + ".")
            }
            page.raw("</ul>")
        }
        page.raw("</section>")
    }

    static func guide(_ page: inout HTMLPage, _ result: AnalysisResult) {
        page.raw("<section id=\"reading\">")
        page.element("h2", "How to read this")
        page.raw("<ul class=\"guide\">")
        let items = [
            "A slice is the rows that share one value (or bin) of one column. Each is compared with the rest of the data.",
            "Dots are failure rates; whiskers and shaded bands are 95% Wilson intervals. A narrow interval is a "
                + "precise rate; a wide one comes from few rows and may be noise.",
            "The dashed line is the overall failure rate (\(HumanFormat.percent(result.failureRate))). A filled red "
                + "dot is significantly above it, a filled blue dot significantly below, a hollow grey dot not "
                + "significantly different (two-sided test against the rest, Benjamini-Hochberg q < "
                + "\(result.settings.fdr.description) over every slice).",
            "Lift is a slice's rate divided by the overall rate. A hotspot has q < \(result.settings.fdr.description), "
                + "lift ≥ \(HumanFormat.ratio(result.settings.minLift)) and at least "
                + "\(HumanFormat.count(result.settings.minSupport)) rows.",
            "Grey bars are slice sizes. Hover over any mark for its exact numbers; shortened labels show in full there.",
        ]
        var conditions: [String] = []
        if result.time != nil {
            conditions.append(
                "Over time, a numbered marker is a change point: the failure rate shifts between the buckets on "
                    + "either side of it (binary segmentation with likelihood-ratio tests).")
        }
        if !result.associations.isEmpty {
            conditions.append(
                "Cramér's V measures how strongly a feature's bins go with failures, from 0 (not at all) to 1; it "
                    + "looks at one feature at a time.")
        }
        if result.model != nil {
            conditions.append(
                "An odds ratio above 1 means the condition raises the odds of failure against its feature's most "
                    + "common bin, with every other feature held fixed; an interval that crosses 1 is no evidence "
                    + "either way.")
        }
        for item in items + conditions { page.element("li", item) }
        page.raw("</ul>")
        page.raw("</section>")
    }
}

/// The answers to the report's three questions: where, when, and under what conditions the model fails.
enum Verdicts {
    struct Verdict {
        enum Tone: String {
            /// A finding that needs attention.
            case finding
            /// Nothing found.
            case clear
            /// Not answered by this analysis.
            case open
        }

        var question: String
        var answer: String
        /// Escaped markup.
        var detail: String
        var tone: Tone
    }

    static func all(_ result: AnalysisResult) -> [Verdict] {
        [whereVerdict(result), whenVerdict(result), conditionsVerdict(result)]
    }

    static func whereVerdict(_ result: AnalysisResult) -> Verdict {
        let question = "Where does the model fail?"
        guard let top = result.hotspots.first else {
            return Verdict(
                question: question, answer: "No hotspot.",
                detail: XMLText.escape(
                    "No slice fails significantly more often than the rest (q < "
                        + result.settings.fdr.description + ", lift ≥ " + HumanFormat.ratio(result.settings.minLift)
                        + ")."),
                tone: .clear)
        }
        let s = top.statistics
        let count = result.hotspots.count
        return Verdict(
            question: question, answer: "In \(HumanFormat.count(count)) slice\(count == 1 ? "" : "s").",
            detail: "The worst: " + HTMLReport.code(top.feature + " = " + top.identity.label) + " fails "
                + HumanFormat.percent(s.failureRate) + " of the time (95% CI " + HumanFormat.percent(s.ciLow) + " to "
                + HumanFormat.percent(s.ciHigh) + "), " + HumanFormat.ratio(s.lift) + "× the overall rate, over "
                + HumanFormat.count(s.n) + " rows.",
            tone: .finding)
    }

    static func whenVerdict(_ result: AnalysisResult) -> Verdict {
        if let time = result.time { return timeVerdict(time, result) }
        let question = "When does it fail?"
        // Without the time analysis: the time (or batch) role column's own bins, then any other time column.
        let timeFeatures = result.features.filter { $0.kind == .time || $0.kind == .batch }
        let roleNames = [result.roles.time, result.roles.batch].compactMap { $0 }
        let preferred = roleNames.compactMap { name in timeFeatures.first { $0.name == name } }.first
        guard let feature = preferred ?? timeFeatures.first else {
            return Verdict(
                question: question, answer: "Not answered.",
                detail: "The dump has no time or batch column (name one with " + HTMLReport.code("--time") + " or "
                    + HTMLReport.code("--batch") + ").",
                tone: .open)
        }
        let higher = feature.bins.filter {
            $0.statistics.qValue < result.settings.fdr && $0.statistics.failureRate > result.failureRate
        }
        let unit = feature.timeBucket ?? "batch"
        let units = unit == "batch" ? "batches" : unit + "s"
        let checked = feature.bins.filter { $0.identity != .missing && $0.statistics.n > 0 }.count
        guard
            let worst = higher.max(by: { a, b in
                a.statistics.failureRate != b.statistics.failureRate
                    ? a.statistics.failureRate < b.statistics.failureRate : a.statistics.n < b.statistics.n
            })
        else {
            return Verdict(
                question: question, answer: "No " + unit + " stands out.",
                detail: XMLText.escape(
                    "No " + unit + " of " + feature.name + " fails significantly more often than the "
                        + "rest (" + HumanFormat.count(checked) + " " + units + " checked)."),
                tone: .clear)
        }
        let s = worst.statistics
        return Verdict(
            question: question,
            answer: "In \(higher.count) of \(checked) \(units) of \(feature.name).",
            detail: "The worst: " + HTMLReport.code(worst.identity.label) + " at " + HumanFormat.percent(s.failureRate)
                + " (95% CI " + HumanFormat.percent(s.ciLow) + " to " + HumanFormat.percent(s.ciHigh) + ", n = "
                + HumanFormat.count(s.n) + ").",
            tone: .finding)
    }

    /// From the time analysis: the tests' verdict, the largest change point, the strongest emerging slice.
    static func timeVerdict(_ time: TimeAnalysisResult, _ result: AnalysisResult) -> Verdict {
        let question = "When does it fail?"
        let over =
            HumanFormat.count(time.buckets.count) + " " + HTMLReport.bucketWords(time) + " of "
            + HTMLReport.code(time.column)
        guard !time.tests.isEmpty else {
            return Verdict(
                question: question, answer: "Not tested.",
                detail: "Too few " + HTMLReport.bucketWords(time) + " of " + HTMLReport.code(time.column)
                    + " with rows to test whether failures depend on time.",
                tone: .open)
        }
        let level = time.level.description
        guard time.timeDependent else {
            let smallest = time.tests.map(\.adjustedPValue).filter(\.isFinite).min() ?? 1
            return Verdict(
                question: question, answer: "Not at any particular time.",
                detail: "Over " + over + ", no test rejects a constant failure rate at the " + level + " level ("
                    + XMLText.escape(HTMLReport.correctionName(time.correction)) + "; smallest adjusted p "
                    + XMLText.escape(HTMLReport.isValue(smallest)) + ").",
                tone: .clear)
        }
        // The tests are named in the time section; here only how many agree and how strongly.
        let weakest = time.evidence.map(\.adjustedPValue).max() ?? 1
        var detail =
            "Over " + over + ", " + String(time.evidence.count) + " of " + String(time.tests.count) + " tests reject "
            + "a constant failure rate at the " + level + " level (adjusted p "
            + XMLText.escape(HTMLReport.atMostValue(weakest)) + ")."
        let count = time.changePoints.count
        var answer = "Failures depend on time."
        if let largest = time.changePoints.min(by: { $0.rank < $1.rank }) {
            answer = "It changes at \(count) change point\(count == 1 ? "" : "s")."
            let start =
                time.buckets.indices.contains(largest.bucketIndex)
                ? time.buckets[largest.bucketIndex].identity.label : largest.at.text
            detail +=
                " The largest change: from " + HTMLReport.code(start) + " the rate moves from "
                + HumanFormat.percent(largest.before.rate) + " to " + HumanFormat.percent(largest.after.rate) + "."
        }
        if let emerging = time.emerging.first {
            detail +=
                " Rising most: " + HTMLReport.code(emerging.feature + " = " + emerging.identity.label) + ", "
                + HumanFormat.percent(emerging.before.rate) + " to " + HumanFormat.percent(emerging.after.rate) + "."
        }
        return Verdict(question: question, answer: answer, detail: detail, tone: .finding)
    }

    static func conditionsVerdict(_ result: AnalysisResult) -> Verdict {
        let question = "Under what conditions?"
        let fdr = result.settings.fdr
        let associated = result.associations.filter(\.significant)
        let strongestAssociation = associated.first.map { entry in
            HTMLReport.code(entry.feature) + " goes with failures most on its own (Cramér's V "
                + HumanFormat.fixed(entry.cramersV, decimals: 2) + ", q "
                + XMLText.escape(HTMLReport.isValue(entry.qValue)) + ")."
        }
        if let model = result.model {
            // The joint model separates real conditions from their proxies, so it answers first.
            let raising = model.terms.filter { $0.significant && $0.oddsRatio > 1 }
            let top = raising.max { a, b in
                a.coefficient != b.coefficient
                    ? a.coefficient < b.coefficient : (a.feature, a.code) > (b.feature, b.code)
            }
            if let top {
                let reference = model.references.first { $0.feature == top.feature }
                var detail =
                    "Jointly, " + HTMLReport.code(top.feature + " = " + top.identity.label) + " raises the odds of "
                    + "failure " + HumanFormat.ratio(top.oddsRatio) + "× (95% CI " + HumanFormat.ratio(top.ciLow)
                    + " to " + HumanFormat.ratio(top.ciHigh) + ")"
                if let reference {
                    detail += " against " + HTMLReport.code(reference.feature + " = " + reference.identity.label)
                }
                detail +=
                    ", other features held fixed; \(raising.count) bin\(raising.count == 1 ? "" : "s") "
                    + "significantly raise\(raising.count == 1 ? "s" : "") the odds."
                if let strongestAssociation { detail += " " + strongestAssociation }
                return Verdict(
                    question: question, answer: "Most of all when " + top.feature + " = " + top.identity.label + ".",
                    detail: detail, tone: .finding)
            }
        }
        if let first = associated.first, let strongestAssociation {
            var detail = strongestAssociation
            if result.model != nil {
                detail += " The joint model finds no bin that significantly raises the odds of failure."
            }
            detail += " \(associated.count) of \(result.associations.count) features are associated with failures."
            return Verdict(
                question: question, answer: "Most of all by " + first.feature + ".", detail: detail, tone: .finding)
        }
        if !result.associations.isEmpty || result.model != nil {
            return Verdict(
                question: question, answer: "No feature stands out.",
                detail: XMLText.escape(
                    "No feature is associated with failures (chi-square, BH q < "
                        + ConditionsLevel.familyLevel(fdr: fdr).description + ")"
                        + (result.model != nil ? " and no bin raises the odds of failure in the joint model." : ".")),
                tone: .clear)
        }
        // Without associations or a model: the single feature whose worst slice has the largest lift.
        let candidates = result.features.filter { $0.kind == .numeric || $0.kind == .categorical }
        var strongest: (feature: FeatureSlices, bin: FeatureBin)?
        for feature in candidates {
            guard let worst = FeatureOrder.worstBin(feature, minSupport: result.settings.minSupport),
                worst.statistics.qValue < fdr, worst.statistics.lift.isFinite
            else { continue }
            if strongest.map({ worst.statistics.lift > $0.bin.statistics.lift }) ?? true {
                strongest = (feature, worst)
            }
        }
        guard let strongest else {
            return Verdict(
                question: question, answer: "No single feature stands out.",
                detail: XMLText.escape("No feature has a significantly worse slice."), tone: .clear)
        }
        let s = strongest.bin.statistics
        return Verdict(
            question: question, answer: "Most of all by " + strongest.feature.name + ".",
            detail: "Among single features, "
                + HTMLReport.code(strongest.feature.name + " = " + strongest.bin.identity.label)
                + " shows the largest lift: " + HumanFormat.percent(s.failureRate) + ", " + HumanFormat.ratio(s.lift)
                + "× the overall rate.",
            tone: .finding)
    }
}

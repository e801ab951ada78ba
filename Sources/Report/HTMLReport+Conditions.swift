import SliceSearch

// The "When it fails" and "Under what conditions" sections of report.html: the charts with compact tables of the
// numbers a reader needs to act on (the rest is in analysis.json).
extension HTMLReport {
    /// Rows in the emerging-slices and decomposition tables.
    static let maximumConditionRows = 10

    // MARK: - When

    static func timeSection(_ page: inout HTMLPage, _ result: AnalysisResult, charts: ReportCharts) {
        guard let time = result.time else { return }
        page.raw("<section id=\"time\">")
        page.element("h2", "When it fails")
        page.raw("<p>" + timeVerdictMarkup(time) + "</p>")
        if let chart = charts.time {
            var caption =
                "The line is the failure rate per " + bucketWord(time) + ", the shaded band its 95% interval; the "
                + "dashed line is the overall rate."
            if !time.changePoints.isEmpty {
                caption +=
                    " Numbered markers are change points, drawn between the last bucket before the shift "
                    + "and the first after it."
            }
            if time.missingRows > 0 {
                caption +=
                    " " + HumanFormat.count(time.missingRows) + " rows without a value of " + time.column
                    + " are left out."
            }
            figure(&page, chart, caption: caption)
        }
        timeTests(&page, time)
        changePoints(&page, time)
        if let chart = charts.timeSlices {
            figure(
                &page, chart,
                caption: "The hotspots and top slices followed over the same buckets (at most "
                    + "\(ReportCharts.maximumTimeSlices); slices on the label, the prediction or a time column left out), "
                    + "against all rows. Hover over a point for its rate, interval and rows.")
        }
        split(&page, time, result)
        page.raw("</section>")
    }

    /// The verdict sentence with the tests it rests on.
    static func timeVerdictMarkup(_ time: TimeAnalysisResult) -> String {
        let over =
            "over " + HumanFormat.count(time.buckets.count) + " " + bucketWords(time) + " of " + code(time.column)
        let level = time.level.description
        let correction = XMLText.escape(correctionName(time.correction))
        if time.timeDependent {
            return "<strong>Failures depend on time.</strong> Checked " + over + ": "
                + XMLText.escape(evidenceText(time)) + " a constant failure rate at the " + level + " level ("
                + correction + ")."
        }
        let smallest = time.tests.map(\.adjustedPValue).filter(\.isFinite).min()
        var text =
            "<strong>No evidence that failures depend on time.</strong> Checked " + over
            + ": no test rejects a constant failure rate at the " + level + " level (" + correction
        if let smallest { text += "; smallest adjusted p " + XMLText.escape(isValue(smallest)) }
        return text + ")."
    }

    /// `the chi-square test of homogeneity (adjusted p = 4.8e-05) and the change-point test (…) reject`.
    static func evidenceText(_ time: TimeAnalysisResult) -> String {
        let tests = time.evidence.map {
            "the " + testName($0.name) + " (adjusted p " + isValue($0.adjustedPValue) + ")"
        }
        guard let last = tests.last else { return "no test rejects" }
        let list = tests.count == 1 ? last : tests.dropLast().joined(separator: ", ") + " and " + last
        return list + (tests.count == 1 ? " rejects" : " reject")
    }

    static func timeTests(_ page: inout HTMLPage, _ time: TimeAnalysisResult) {
        guard !time.tests.isEmpty else { return }
        page.raw("<div class=\"table-wrap\"><table class=\"compact\">")
        page.raw(
            "<thead><tr><th>test</th><th class=\"num\">statistic</th><th class=\"num\">p-value</th>"
                + "<th class=\"num\">adjusted p</th><th>rejects at " + time.level.description
                + "</th><th>what was tested</th></tr></thead><tbody>")
        for test in time.tests {
            var statistic = statisticName(test.name) + " = " + HumanFormat.quantity(test.statistic)
            if let df = test.degreesOfFreedom { statistic += " (df " + HumanFormat.count(df) + ")" }
            page.raw(
                "<tr><td>" + XMLText.escape(testName(test.name)) + "</td>"
                    + numberCell(test.statistic, statistic)
                    + numberCell(test.pValue, HumanFormat.probability(test.pValue))
                    + numberCell(test.adjustedPValue, HumanFormat.probability(test.adjustedPValue))
                    + "<td>" + (test.significant ? "<strong>yes</strong>" : "no") + "</td>"
                    + "<td>" + XMLText.escape(test.detail) + "</td></tr>")
        }
        page.raw("</tbody></table></div>")
    }

    static func changePoints(_ page: inout HTMLPage, _ time: TimeAnalysisResult) {
        guard !time.changePoints.isEmpty else { return }
        page.element("h3", "Change points")
        page.raw("<div class=\"table-wrap\"><table class=\"compact\">")
        page.raw(
            "<thead><tr><th class=\"num\">#</th><th>from</th><th>rate before (95% CI)</th>"
                + "<th>rate after (95% CI)</th><th class=\"num\">p-value</th></tr></thead><tbody>")
        // Numbered in time order, as the chart's markers are.
        for (index, point) in time.changePoints.sorted(by: { $0.bucketIndex < $1.bucketIndex }).enumerated() {
            let start =
                time.buckets.indices.contains(point.bucketIndex)
                ? time.buckets[point.bucketIndex].identity.label : point.at.text
            page.raw(
                "<tr>" + numberCell(Double(index + 1), String(index + 1)) + "<td>" + XMLText.escape(start) + "</td>"
                    + "<td>" + XMLText.escape(estimateText(point.before)) + "</td>"
                    + "<td>" + XMLText.escape(estimateText(point.after)) + "</td>"
                    + numberCell(point.pValue, HumanFormat.probability(point.pValue)) + "</tr>")
        }
        page.raw("</tbody></table></div>")
    }

    /// Before and after the split: the two rates, the emerging slices, the mix/rate decomposition.
    static func split(_ page: inout HTMLPage, _ time: TimeAnalysisResult, _ result: AnalysisResult) {
        guard let split = time.split else { return }
        let source = split.source == .baseline ? "the baseline end (--baseline-until)" : "the largest change point"
        let start =
            time.buckets.indices.contains(split.bucketIndex)
            ? time.buckets[split.bucketIndex].identity.label : split.at.text
        page.element("h3", "Before and after " + start)
        page.element(
            "p",
            "Split at " + source + ": " + estimateText(split.before) + " before, " + estimateText(split.after)
                + " from " + start + " on (" + HumanFormat.signedPoints(split.change) + ").")
        if time.emerging.isEmpty {
            page.element("p", "No slice's failure rate rose significantly between the two periods.")
        } else {
            let count = time.emerging.count
            page.element(
                "p",
                "Emerging slices: \(HumanFormat.count(count)) slice\(count == 1 ? "'s" : "s'") failure rate rose "
                    + "significantly (BH q < " + result.settings.fdr.description + ")"
                    + (count > maximumConditionRows ? "; the first \(maximumConditionRows):" : ":"))
            page.raw("<div class=\"table-wrap\"><table class=\"compact sortable\">")
            page.raw(
                "<thead><tr><th>slice</th><th>before (95% CI)</th><th>after (95% CI)</th>"
                    + "<th class=\"num\">change</th><th class=\"num\">q-value</th></tr></thead><tbody>")
            for slice in time.emerging.prefix(maximumConditionRows) {
                page.raw(
                    "<tr><td>" + featureName(slice.feature, slice.kind) + " = "
                        + XMLText.escape(slice.identity.label) + "</td>"
                        + "<td data-value=\"" + dataNumber(slice.before.rate) + "\">"
                        + XMLText.escape(estimateText(slice.before)) + "</td>"
                        + "<td data-value=\"" + dataNumber(slice.after.rate) + "\">"
                        + XMLText.escape(estimateText(slice.after)) + "</td>"
                        + numberCell(slice.change, HumanFormat.signedPoints(slice.change))
                        + numberCell(slice.qValue, HumanFormat.probability(slice.qValue)) + "</tr>")
            }
            page.raw("</tbody></table></div>")
        }
        guard !time.decomposition.isEmpty else { return }
        page.element(
            "p",
            "Why the overall rate moved by " + HumanFormat.signedPoints(split.change) + ": per feature, the mix part is the "
                + "change explained by its slices changing share of the rows, the rate part by failure rates "
                + "changing inside its slices (mix + rate = total).")
        page.raw("<div class=\"table-wrap\"><table class=\"compact sortable\">")
        page.raw(
            "<thead><tr><th>feature</th><th class=\"num\">mix</th><th class=\"num\">rate</th>"
                + "<th class=\"num\">total</th></tr></thead><tbody>")
        for entry in time.decomposition.prefix(maximumConditionRows) {
            page.raw(
                "<tr><td>" + featureName(entry.feature, entry.kind) + "</td>"
                    + numberCell(entry.mix, HumanFormat.signedPoints(entry.mix)) + numberCell(entry.rate, HumanFormat.signedPoints(entry.rate))
                    + numberCell(entry.total, HumanFormat.signedPoints(entry.total)) + "</tr>")
        }
        page.raw("</tbody></table></div>")
    }

    // MARK: - Under what conditions

    static func conditionsSection(_ page: inout HTMLPage, _ result: AnalysisResult, charts: ReportCharts) {
        // The same condition as the page's table of contents.
        guard !result.associations.isEmpty || result.pair != nil || result.model != nil else { return }
        page.raw("<section id=\"conditions\">")
        page.element("h2", "Under what conditions")
        associations(&page, result, charts: charts)
        if let pair = result.pair, let chart = charts.pair {
            page.element("h3", "The strongest pair of features")
            page.element(
                "p",
                pair.rowFeature + " and " + pair.columnFeature + ": " + pair.reason + ". Each cell is the failure "
                    + "rate of the rows with both values.")
            figure(
                &page, chart,
                caption: "Red cells fail more often than overall, blue less; faded cells have fewer than "
                    + HumanFormat.count(max(result.settings.minSupport, 1)) + " rows and uncertain rates; grey "
                    + "cells have no rows. Hover over a cell for its rows and failures.")
        }
        model(&page, result, charts: charts)
        page.raw("</section>")
    }

    static func associations(_ page: inout HTMLPage, _ result: AnalysisResult, charts: ReportCharts) {
        guard let chart = charts.associations else { return }
        let level = ConditionsLevel.familyLevel(fdr: result.settings.fdr)
        let associated = result.associations.filter(\.significant).count
        page.element("h3", "Features associated with failure")
        page.element(
            "p",
            "\(HumanFormat.count(associated)) of \(HumanFormat.count(result.associations.count)) features go with "
                + "failures (chi-square test over each feature's bins, BH q < " + level.description + "), ranked by "
                + "Cramér's V, which compares features with different numbers of bins. Each feature is measured on "
                + "its own: a proxy of a real condition scores high too (the odds ratios below separate them).")
        var caption = "Blue bars are significant, grey bars not."
        if result.associations.count > ReportCharts.maximumAssociations {
            caption += " The \(ReportCharts.maximumAssociations) strongest of \(result.associations.count) are shown."
        }
        figure(&page, chart, caption: caption)
        page.raw("<details class=\"table\"><summary>The associations as a table</summary>")
        page.raw("<div class=\"table-wrap\"><table class=\"compact sortable\">")
        page.raw(
            "<thead><tr><th class=\"num\">#</th><th>feature</th><th class=\"num\">Cramér's V</th>"
                + "<th class=\"num\">mutual information (nats)</th><th class=\"num\">AUC</th>"
                + "<th class=\"num\">q-value</th></tr></thead><tbody>")
        for (index, entry) in result.associations.enumerated() {
            let auc = entry.numeric?.auc ?? .nan
            page.raw(
                "<tr>" + numberCell(Double(index + 1), String(index + 1))
                    + "<td><span class=\"feature-name\">" + XMLText.escape(entry.feature) + "</span></td>"
                    + numberCell(entry.cramersV, HumanFormat.fixed(entry.cramersV, decimals: 3))
                    + numberCell(entry.mutualInformation, HumanFormat.quantity(entry.mutualInformation))
                    + numberCell(auc, auc.isFinite ? HumanFormat.fixed(auc, decimals: 3) : "–")
                    + numberCell(entry.qValue, HumanFormat.probability(entry.qValue)) + "</tr>")
        }
        page.raw("</tbody></table></div></details>")
    }

    static func model(_ page: inout HTMLPage, _ result: AnalysisResult, charts: ReportCharts) {
        guard let model = result.model else { return }
        page.element("h3", "Conditions that matter jointly")
        guard let chart = charts.model else {
            page.element("p", "The joint model has no odds ratio to show (no feature with two or more non-empty bins).")
            return
        }
        let fitted =
            model.sampled
            ? "a seeded sample of " + HumanFormat.count(model.rows) + " of " + HumanFormat.count(model.totalRows)
                + " rows" : "all " + HumanFormat.count(model.rows) + " rows"
        var intro =
            "An L2-penalised logistic regression of failure on every feature's bins at once, fitted on " + fitted
            + ". Each odds ratio compares a bin with its feature's most common bin, every other feature held "
            + "fixed, so a proxy of a real condition moves towards 1."
        if !model.converged { intro += " The fit did not converge: read the odds ratios with care." }
        page.element("p", intro)
        let shown = ReportCharts.oddsRatioTerms(model).count
        var caption =
            "Squares are odds ratios, whiskers their " + String(Int((model.confidence * 100).rounded()))
            + "% intervals, on a "
            + "log scale; the line at 1 is no effect. Red: the odds of failure are higher, blue: lower."
        if model.terms.count > shown {
            caption += " The \(shown) strongest of \(HumanFormat.count(model.terms.count)) terms, highest first."
        }
        figure(&page, chart, caption: caption)
        if !model.omitted.isEmpty {
            page.element(
                "p",
                "Not in the model: " + model.omitted.map { $0.name + " (" + $0.reason + ")" }.joined(separator: "; ")
                    + ".")
        }
    }

    // MARK: - Wording

    /// The feature's name in bold, marked when it is the label or prediction column (a shift there is a shift
    /// in what the model sees or says, not a condition).
    static func featureName(_ name: String, _ kind: FeatureKind) -> String {
        var markup = "<span class=\"feature-name\">" + XMLText.escape(name) + "</span>"
        if kind == .label || kind == .prediction { markup += " <span class=\"kind\">" + kind.rawValue + "</span>" }
        return markup
    }

    /// `week`, `quantile bin`, `batch`.
    static func bucketWord(_ time: TimeAnalysisResult) -> String {
        switch time.axis {
        case .timestamp: return time.bucket
        case .index: return "bin"
        case .label: return "batch"
        }
    }

    /// `= 0.003`, or `< 1e-300` for a p-value too small to write. Plain text: escape it in markup.
    static func isValue(_ probability: Double) -> String { HumanFormat.probabilityRelation(probability) }

    /// `≤ 1.2e-11` for the largest of several p-values, `< 1e-300` when even that is too small to write. Plain text.
    static func atMostValue(_ probability: Double) -> String {
        HumanFormat.probabilityRelation(probability, relation: "≤")
    }

    /// `weeks`, `bins`, `batches`.
    static func bucketWords(_ time: TimeAnalysisResult) -> String {
        time.axis == .label ? "batches" : bucketWord(time) + "s"
    }

    static func testName(_ name: TimeTest.Name) -> String {
        switch name {
        case .homogeneity: return "chi-square test of homogeneity"
        case .trend: return "Cochran-Armitage trend test"
        case .changePoint: return "change-point test"
        }
    }

    static func statisticName(_ name: TimeTest.Name) -> String {
        switch name {
        case .homogeneity: return "X²"
        case .trend: return "z"
        case .changePoint: return "G²"
        }
    }

    static func correctionName(_ correction: String) -> String {
        correction == "holm" ? "Holm-corrected" : correction + "-corrected"
    }

    /// `12.6% (95% CI 11.2% to 14.1%, n = 1,240)`; `no rows` when empty.
    static func estimateText(_ estimate: RateEstimate) -> String {
        guard estimate.n > 0 else { return "no rows" }
        return HumanFormat.percent(estimate.rate) + " (95% CI " + HumanFormat.percent(estimate.ciLow) + " to "
            + HumanFormat.percent(estimate.ciHigh) + ", n = " + HumanFormat.count(estimate.n) + ")"
    }
}

import SliceSearch

/// Renders `summary.md`: the failure analysis in plain words.
public enum MarkdownReport {
    /// The most hotspots listed in the table.
    public static let maximumHotspotsListed = 15

    /// - Parameters:
    ///   - linkingCharts: add a "Charts" section linking `report.html` and the `charts/*.svg` files written with it.
    public static func render(_ result: AnalysisResult, linkingCharts: Bool = false) -> String {
        var out: [String] = []
        out.append("# Failure analysis of `\(result.source)`")
        out.append("")
        out.append(overview(result))
        out.append("")
        out.append("## Where the model fails")
        out.append("")
        out.append(contentsOf: hotspotSection(result))
        out.append("")
        let conjunctions = conjunctionSection(result)
        if !conjunctions.isEmpty {
            out.append("## Conjunctions")
            out.append("")
            out.append(contentsOf: conjunctions)
            out.append("")
        }
        out.append("## When the model fails")
        out.append("")
        out.append(contentsOf: timeSection(result))
        out.append("")
        out.append("## What goes with failures")
        out.append("")
        out.append(contentsOf: conditionSection(result))
        out.append("")
        out.append("## Feature by feature")
        out.append("")
        out.append(contentsOf: featureSection(result))
        out.append("")
        out.append("## What was not analysed")
        out.append("")
        out.append(contentsOf: limitsSection(result))
        out.append("")
        if linkingCharts {
            out.append(contentsOf: chartLinks(result))
            out.append("")
        }
        out.append("## How to read this")
        out.append("")
        out.append(
            "Each slice is compared with the rest of the data: failure rate with a 95% Wilson interval, lift "
                + "(slice rate / overall rate), a two-sided test against the complement (Fisher's exact test when "
                + "an expected count is below 5, else the two-proportion z-test) and a Benjamini-Hochberg q-value "
                + "over every 1-D slice. A hotspot has q < \(result.settings.fdr.description), lift >= "
                + "\(HumanFormat.ratio(result.settings.minLift)) and at least "
                + "\(HumanFormat.count(result.settings.minSupport)) rows. Every number is in `analysis.json` and "
                + "`slices.csv`.")
        return out.joined(separator: "\n") + "\n"
    }

    static func overview(_ result: AnalysisResult) -> String {
        var text = "The model (\(result.task)) was judged on \(HumanFormat.count(result.rows)) rows. "
        text += "A failure is: \(result.failureDefinition.description) (`--failure \(result.failureDefinition.spec)`). "
        text += "\(HumanFormat.count(result.failures)) rows fail: an overall failure rate of "
        text += "**\(HumanFormat.percent(result.failureRate))** "
        text += "(95% CI \(HumanFormat.percent(result.ciLow)) to \(HumanFormat.percent(result.ciHigh)))."
        if result.excludedRows > 0 {
            let reasons = result.exclusions.map { "\(HumanFormat.count($0.rows)) with \($0.reason)" }
            text += " \(HumanFormat.count(result.excludedRows)) rows were left out: " + reasons.joined(separator: ", ") + "."
        }
        if let positive = result.failureDefinition.positiveClass { text += " Positive class: `\(positive)`." }
        return text
    }

    static func hotspotSection(_ result: AnalysisResult) -> [String] {
        guard !result.hotspots.isEmpty else {
            return [
                "No slice fails significantly more often than the rest of the data (no hotspot at the FDR of "
                    + "\(result.settings.fdr.description) with lift >= \(HumanFormat.ratio(result.settings.minLift))).",
            ]
        }
        var lines = [
            "\(result.hotspots.count) slice\(result.hotspots.count == 1 ? "" : "s") fail\(result.hotspots.count == 1 ? "s" : "") "
                + "significantly more often than the rest. The worst, by lift:",
            "",
            "| # | slice | rows | failures | failure rate (95% CI) | lift | q-value |",
            "|---|---|---:|---:|---|---:|---:|",
        ]
        for (index, hotspot) in result.hotspots.prefix(maximumHotspotsListed).enumerated() {
            let s = hotspot.statistics
            lines.append(
                "| \(index + 1) | \(cell(hotspot.feature)) = \(cell(hotspot.identity.label)) | \(HumanFormat.count(s.n)) | "
                    + "\(HumanFormat.count(s.failures)) | \(HumanFormat.percent(s.failureRate)) "
                    + "(\(HumanFormat.percent(s.ciLow)) to \(HumanFormat.percent(s.ciHigh))) | "
                    + "\(HumanFormat.ratio(s.lift)) | \(HumanFormat.probability(s.qValue)) |")
        }
        if result.hotspots.count > maximumHotspotsListed {
            lines.append("")
            lines.append("\(result.hotspots.count - maximumHotspotsListed) more in `analysis.json`.")
        }
        if let top = result.hotspots.first {
            let s = top.statistics
            lines.append("")
            lines.append(
                "In words: rows where **\(top.feature) = \(top.identity.label)** fail "
                    + "\(HumanFormat.percent(s.failureRate)) of the time, \(HumanFormat.ratio(s.lift)) times the "
                    + "overall rate, over \(HumanFormat.count(s.n)) rows.")
        }
        return lines
    }

    static func featureSection(_ result: AnalysisResult) -> [String] {
        let support = result.settings.minSupport
        struct Highlight { var feature: FeatureSlices; var worst: FeatureBin; var significant: Int }
        var highlights: [Highlight] = []
        for feature in result.features {
            let candidates = feature.bins.filter { $0.statistics.n >= support && $0.statistics.failureRate.isFinite }
            guard let worst = candidates.max(by: { a, b in
                a.statistics.failureRate != b.statistics.failureRate
                    ? a.statistics.failureRate < b.statistics.failureRate : a.statistics.n < b.statistics.n
            }) else { continue }
            let significant = feature.bins.filter { $0.statistics.qValue < result.settings.fdr }.count
            highlights.append(Highlight(feature: feature, worst: worst, significant: significant))
        }
        highlights.sort { a, b in
            a.worst.statistics.lift != b.worst.statistics.lift
                ? a.worst.statistics.lift > b.worst.statistics.lift : a.feature.name < b.feature.name
        }
        guard !highlights.isEmpty else { return ["No feature has a slice of at least \(HumanFormat.count(support)) rows."] }
        var lines = [
            "Columns ordered by their worst slice (of at least \(HumanFormat.count(support)) rows):",
            "",
            "| column | kind | slices | significant | worst slice | its failure rate | lift |",
            "|---|---|---:|---:|---|---|---:|",
        ]
        for highlight in highlights {
            let s = highlight.worst.statistics
            lines.append(
                "| \(cell(highlight.feature.name)) | \(highlight.feature.kind.rawValue) | \(highlight.feature.bins.count) | "
                    + "\(highlight.significant) | \(cell(highlight.worst.identity.label)) | "
                    + "\(HumanFormat.percent(s.failureRate)) (n = \(HumanFormat.count(s.n))) | \(HumanFormat.ratio(s.lift)) |")
        }
        return lines
    }

    /// The "Charts" section: the visual report, the top-slices chart inline, and a link to every chart file.
    static func chartLinks(_ result: AnalysisResult) -> [String] {
        let charts = HTMLReport.chartIndex(result)
        var lines = [
            "## Charts", "",
            "The visual report is [`report.html`](report.html): one file that opens offline in any browser. "
                + "Its charts are also SVG files in `charts/`:",
        ]
        if let top = charts.first(where: { $0.name == "top-slices" }) {
            lines += ["", "![\(linkText(top.title))](charts/\(top.name).svg)"]
        }
        lines.append("")
        for chart in charts { lines.append("- [\(linkText(chart.title))](charts/\(chart.name).svg)") }
        return lines
    }

    /// Link text: brackets and backslashes escaped, on one line.
    static func linkText(_ text: String) -> String {
        var output = ""
        for character in cell(text) {
            if character == "[" || character == "]" || character == "\\" { output.append("\\") }
            output.append(character)
        }
        return output
    }

    static func limitsSection(_ result: AnalysisResult) -> [String] {
        var lines: [String] = []
        for note in result.notes { lines.append("- " + note) }
        if lines.isEmpty { lines.append("Every column was sliced.") }
        return lines
    }

    /// Escapes a table cell (pipes and line breaks).
    static func cell(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "|": output += "\\|"
            case "\n", "\r": output += " "
            default: output.append(character)
            }
        }
        return output
    }
}

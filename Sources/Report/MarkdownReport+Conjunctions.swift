import SliceSearch

// The "Conjunctions" section of `summary.md`: the multi-feature slices in a table and in words.
extension MarkdownReport {
    /// The slices described in sentences below the table.
    static let conjunctionsInWords = 3

    static func conjunctionSection(_ result: AnalysisResult) -> [String] {
        guard let search = result.sliceSearch else { return [] }
        let setting =
            "up to \(search.maxLevel) feature bin\(search.maxLevel == 1 ? "" : "s") (SliceLine, alpha "
            + "\(search.alpha.description), scored on the \(search.error == .loss ? "loss" : "failures"), at least "
            + "\(HumanFormat.count(search.minimumSupport)) rows\(search.referenceCompatible ? ", reference-compatible mode" : ""); "
            + "\(HumanFormat.count(search.evaluated)) slices evaluated)"
        guard !result.slices.isEmpty else {
            return ["No combination of \(setting) scores above 0: no conjunction of bins stands out."]
        }
        var lines = [
            "The search over combinations of \(setting) ranks these slices highest:",
            "",
            "| # | slice | rows | failures | failure rate (95% CI) | lift | q-value | score |",
            "|---|---|---:|---:|---|---:|---:|---:|",
        ]
        for finding in result.slices {
            let s = finding.statistics
            lines.append(
                "| \(finding.rank) | \(cell(finding.description)) | \(HumanFormat.count(s.n)) | "
                    + "\(HumanFormat.count(s.failures)) | \(HumanFormat.percent(s.failureRate)) "
                    + "(\(HumanFormat.percent(s.ciLow)) to \(HumanFormat.percent(s.ciHigh))) | "
                    + "\(HumanFormat.ratio(s.lift)) | \(HumanFormat.probability(s.qValue)) | "
                    + "\(HumanFormat.quantity(finding.score)) |")
        }
        lines.append("")
        lines.append("In words:")
        lines.append("")
        for finding in result.slices.prefix(conjunctionsInWords) {
            lines.append("- " + sentence(finding, fdr: result.settings.fdr))
        }
        for finding in result.slices.dropFirst(conjunctionsInWords)
        where finding.explainedBy != nil || !finding.equivalents.isEmpty {
            lines.append("- #\(finding.rank): " + remarks(finding, fdr: result.settings.fdr).joined(separator: " "))
        }
        return lines
    }

    /// "Rows where **a = x** and **b = y** fail 45.0% of the time, ..." plus remarks.
    static func sentence(_ finding: SliceFinding, fdr: Double) -> String {
        let s = finding.statistics
        let conditions = finding.predicates.map { "**\(cell($0.text))**" }.joined(separator: " and ")
        var text =
            "#\(finding.rank): rows where \(conditions) fail \(HumanFormat.percent(s.failureRate)) of the time "
            + "(95% CI \(HumanFormat.percent(s.ciLow)) to \(HumanFormat.percent(s.ciHigh))), "
            + "\(HumanFormat.ratio(s.lift)) times the overall rate, over \(HumanFormat.count(s.n)) rows; "
        text += s.qValue < fdr
            ? "significant (q = \(HumanFormat.probability(s.qValue)))."
            : "not significant (q = \(HumanFormat.probability(s.qValue)))."
        let notes = remarks(finding, fdr: fdr)
        return notes.isEmpty ? text : text + " " + notes.joined(separator: " ")
    }

    /// Equivalent descriptions and the explaining parent, in words.
    static func remarks(_ finding: SliceFinding, fdr: Double) -> [String] {
        var notes: [String] = []
        if !finding.equivalents.isEmpty {
            let shown = finding.equivalents.prefix(3).map { $0.map { cell($0.text) }.joined(separator: " and ") }
            let more = finding.equivalents.count > 3 ? " (and \(finding.equivalents.count - 3) more)" : ""
            notes.append("The same rows are also described by " + shown.joined(separator: "; ") + more + ".")
        }
        if let parent = finding.explainedBy {
            notes.append(
                "It is not significantly worse than its worst parent, "
                    + parent.predicates.map { "**\(cell($0.text))**" }.joined(separator: " and ")
                    + " (\(HumanFormat.percent(parent.failureRate)) over \(HumanFormat.count(parent.n)) rows; "
                    + "q = \(HumanFormat.probability(parent.qValue))): the extra condition adds nothing demonstrable.")
        }
        return notes
    }
}

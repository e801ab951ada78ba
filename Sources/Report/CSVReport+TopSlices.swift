import SliceSearch

// `top_slices.csv`: the multi-feature slices, one row each, best score first.
extension CSVReport {
    /// The header of `top_slices.csv`, in column order.
    public static let topSliceColumns = [
        "rank", "level", "slice", "features", "n", "failures", "failure_rate", "ci_low", "ci_high", "lift", "p_value",
        "q_value", "test", "score", "error_sum", "error_max", "mean_loss", "equivalent", "explained_by",
        "explained_by_p_value",
    ]

    /// Renders `top_slices.csv`: `slice` is the conjunction in words (`a = x and b = y`), `features` the columns
    /// it uses (`;`-separated), `equivalent` the other descriptions of the same rows (` | `-separated).
    public static func renderTopSlices(_ result: AnalysisResult) -> String {
        var lines = [topSliceColumns.joined(separator: ",")]
        for finding in result.slices {
            let s = finding.statistics
            let fields: [String] = [
                String(finding.rank), String(finding.level), finding.description,
                finding.predicates.map(\.feature).joined(separator: ";"), String(s.n), String(s.failures),
                number(s.failureRate), number(s.ciLow), number(s.ciHigh), number(s.lift), number(s.pValue),
                number(s.qValue), s.pValue.isNaN ? "" : s.test.rawValue, number(finding.score),
                number(finding.errorSum), number(finding.errorMax), number(s.meanLoss),
                finding.equivalents.map { $0.map(\.text).joined(separator: " and ") }.joined(separator: " | "),
                finding.explainedBy.map { $0.predicates.map(\.text).joined(separator: " and ") } ?? "",
                number(finding.explainedBy?.pValue),
            ]
            lines.append(fields.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

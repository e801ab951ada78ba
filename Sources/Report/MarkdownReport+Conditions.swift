import SliceSearch

// "When the model fails" and "What goes with failures" in `summary.md`.
extension MarkdownReport {
    /// The most emerging slices, decomposition rows, associations and odds ratios listed.
    static let maximumConditionRows = 8

    /// Time dependence: the verdict with its evidence, the change points, emerging slices and the decomposition.
    static func timeSection(_ result: AnalysisResult) -> [String] {
        guard let time = result.time else {
            return ["The dump has no time or batch column (name one with `--time` or `--batch`): not analysed."]
        }
        let unit = time.axis == .label ? "batch" : time.bucket
        var lines: [String] = []
        let level = HumanFormat.probability(time.level)
        if time.timeDependent {
            let evidence = time.evidence.map { "\(testName($0.name)) (\(equation("adjusted p", $0.adjustedPValue)))" }
            lines.append(
                "**Failures depend on time.** Over \(time.buckets.count) \(unit) buckets of `\(time.column)`, "
                    + evidence.joined(separator: ", ") + " reject a constant failure rate at the \(level) level "
                    + "(Holm-corrected).")
        } else {
            lines.append(
                "**No evidence that failures depend on time.** Over \(time.buckets.count) \(unit) buckets of "
                    + "`\(time.column)`, no test rejects a constant failure rate at the \(level) level (Holm-corrected; "
                    + equation("smallest adjusted p", time.tests.map(\.adjustedPValue).min() ?? 1) + ").")
        }
        if !time.changePoints.isEmpty {
            lines += ["", "| change point | rate before (95% CI) | rate after (95% CI) |", "|---|---|---|"]
            for point in time.changePoints.sorted(by: { $0.bucketIndex < $1.bucketIndex }) {
                lines.append("| \(cell(point.at.text)) | \(interval(point.before)) | \(interval(point.after)) |")
            }
        }
        if let split = time.split {
            let source = split.source == .baseline ? "`--baseline-until`" : "the largest change point"
            lines += [
                "",
                "Before and after \(source) (\(split.at.text)): \(interval(split.before)) then \(interval(split.after)).",
            ]
            if time.emerging.isEmpty {
                lines.append("No slice's failure rate rose significantly between the two periods.")
            } else {
                lines += [
                    "", "Slices whose failure rate rose significantly (emerging):", "",
                    "| slice | before | after | q-value |", "|---|---|---|---:|",
                ]
                for slice in time.emerging.prefix(maximumConditionRows) {
                    lines.append(
                        "| \(cell(slice.feature + " = " + slice.identity.label)) | \(interval(slice.before)) | "
                            + "\(interval(slice.after)) | \(HumanFormat.probability(slice.qValue)) |")
                }
            }
            if !time.decomposition.isEmpty {
                lines += [
                    "",
                    "Why the overall rate moved by \(HumanFormat.signedPoints(split.change)): per feature, the *mix* part is "
                        + "the change explained by the feature's slices changing share, the *rate* part by failure "
                        + "rates changing inside its slices.",
                    "", "| feature | mix | rate |", "|---|---:|---:|",
                ]
                for entry in time.decomposition.prefix(maximumConditionRows) {
                    lines.append("| `\(cell(entry.feature))` | \(HumanFormat.signedPoints(entry.mix)) | \(HumanFormat.signedPoints(entry.rate)) |")
                }
            }
        }
        return lines
    }

    /// Associations per feature and the joint model's strongest odds ratios.
    static func conditionSection(_ result: AnalysisResult) -> [String] {
        var lines: [String] = []
        let associated = result.associations.filter(\.significant)
        let level = HumanFormat.probability(ConditionsLevel.familyLevel(fdr: result.settings.fdr))
        if result.associations.isEmpty {
            lines.append("No feature to measure.")
        } else if associated.isEmpty {
            lines.append(
                "No feature's bins are associated with failures (chi-square over the bins, every BH q >= \(level)).")
        } else {
            lines += [
                "Features whose bins go with failures, strongest first (chi-square test over the bins, BH q < \(level)):",
                "", "| feature | Cramér's V | mutual information (nats) | AUC | q-value |", "|---|---:|---:|---:|---:|",
            ]
            for entry in associated.prefix(maximumConditionRows) {
                let auc = entry.numeric.map { HumanFormat.fixed($0.auc, decimals: 3) } ?? "–"
                lines.append(
                    "| `\(cell(entry.feature))` | \(HumanFormat.fixed(entry.cramersV, decimals: 3)) | "
                        + "\(HumanFormat.fixed(entry.mutualInformation, decimals: 4)) | \(auc) | "
                        + "\(HumanFormat.probability(entry.qValue)) |")
            }
        }
        guard let model = result.model else { return lines }
        let significant = model.terms.filter(\.significant)
        let raising = significant.filter { $0.oddsRatio > 1 }.sorted { a, b in
            if a.coefficient != b.coefficient { return a.coefficient > b.coefficient }
            return a.feature == b.feature ? a.code < b.code : a.feature < b.feature
        }
        let lowering = significant.count - raising.count
        lines.append("")
        let fitted =
            model.sampled
            ? "a seeded sample of \(HumanFormat.count(model.rows)) rows" : "all \(HumanFormat.count(model.rows)) rows"
        let lead = "Jointly (an L2-penalised logistic regression on every feature's bins, fitted on \(fitted))"
        let others =
            lowering == 0
            ? "" : " \(lowering) bin\(lowering == 1 ? "" : "s") significantly *lower\(lowering == 1 ? "s" : "")* the odds (see `analysis.json`)."
        guard !raising.isEmpty else {
            lines.append(lead + ", no bin significantly raises the odds of failure over its feature's most common bin." + others)
            return lines
        }
        lines += [
            lead + ", these conditions raise the odds of failure most, each against its feature's most common bin, "
                + "with every other feature held fixed." + others,
            "", "| condition | odds ratio (95% CI) | q-value |", "|---|---|---:|",
        ]
        for term in raising.prefix(maximumConditionRows) {
            lines.append(
                "| \(cell(term.feature + " = " + term.identity.label)) | \(HumanFormat.ratio(term.oddsRatio)) "
                    + "(\(HumanFormat.ratio(term.ciLow)) to \(HumanFormat.ratio(term.ciHigh))) | "
                    + "\(HumanFormat.probability(term.qValue)) |")
        }
        return lines
    }

    /// `name = 0.003`, or `name < 1e-300` when the value is below what is printed.
    static func equation(_ name: String, _ probability: Double) -> String {
        name + " " + HumanFormat.probabilityRelation(probability)
    }

    static func testName(_ name: TimeTest.Name) -> String { "the " + HTMLReport.testName(name) }

    static func interval(_ estimate: RateEstimate) -> String {
        guard estimate.n > 0 else { return "no rows" }
        return HumanFormat.percent(estimate.rate) + " (" + HumanFormat.percent(estimate.ciLow) + "–"
            + HumanFormat.percent(estimate.ciHigh) + ", n = " + HumanFormat.count(estimate.n) + ")"
    }
}

import SliceSearch

/// Renders `slices.csv`: one row per 1-D slice with every metric (RFC 4180 quoting, `\n` line ends).
public enum CSVReport {
    /// The header, in column order.
    public static let columns = [
        "feature", "kind", "bin", "value", "lower", "upper", "lower_inclusive", "missing", "n", "failures",
        "failure_rate", "ci_low", "ci_high", "lift", "p_value", "q_value", "test", "hotspot", "mean_loss", "mae",
        "rmse", "mean_signed_error", "tp", "fp", "tn", "fn", "precision", "recall", "fpr", "fnr",
    ]

    public static func render(_ result: AnalysisResult) -> String {
        let hotspotKeys = Set(result.hotspots.map { HotspotKey(feature: $0.feature, identity: $0.identity) })
        var lines = [columns.joined(separator: ",")]
        for feature in result.features {
            for bin in feature.bins {
                let s = bin.statistics
                var value = ""
                var lower = ""
                var upper = ""
                var lowerInclusive = ""
                switch bin.identity {
                case .value(let text): value = text
                case .other: value = "(other)"
                case .interval(let low, let high, let inclusive):
                    lower = JSONValue.numberText(low)
                    upper = JSONValue.numberText(high)
                    lowerInclusive = inclusive ? "true" : "false"
                case .timeBucket(let start, let end):
                    value = bin.identity.label
                    lower = TimeLabels.iso(start)
                    upper = TimeLabels.iso(end)
                    lowerInclusive = "true"
                case .missing: break
                }
                let isMissing: Bool = if case .missing = bin.identity { true } else { false }
                let fields: [String] = [
                    feature.name, feature.kind.rawValue, bin.identity.label, value, lower, upper, lowerInclusive,
                    isMissing ? "true" : "false", String(s.n), String(s.failures), number(s.failureRate),
                    number(s.ciLow), number(s.ciHigh), number(s.lift), number(s.pValue), number(s.qValue),
                    s.pValue.isNaN ? "" : s.test.rawValue,
                    hotspotKeys.contains(HotspotKey(feature: feature.name, identity: bin.identity)) ? "true" : "false",
                    number(s.meanLoss), number(s.regression?.meanAbsoluteError),
                    number(s.regression?.rootMeanSquaredError), number(s.regression?.meanSignedError),
                    s.classification.map { String($0.truePositives) } ?? "",
                    s.classification.map { String($0.falsePositives) } ?? "",
                    s.classification.map { String($0.trueNegatives) } ?? "",
                    s.classification.map { String($0.falseNegatives) } ?? "",
                    number(s.classification?.precision), number(s.classification?.recall),
                    number(s.classification?.falsePositiveRate), number(s.classification?.falseNegativeRate),
                ]
                lines.append(fields.map(quote).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private struct HotspotKey: Hashable {
        var feature: String
        var identity: BinIdentity
    }

    /// Empty for missing or non-finite values.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return JSONValue.numberText(value)
    }

    /// Quotes a field when it holds a comma, quote, or line break.
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var output = ""
        for character in self { if character == target { output += replacement } else { output.append(character) } }
        return output
    }
}

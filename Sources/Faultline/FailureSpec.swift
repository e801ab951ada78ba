/// What counts as a failure (`--failure SPEC`).
///
/// Grammar: `misclassified` | `abs-error>T` | `rel-error>T` | `sq-error>T` | `log-loss>T` | `true-class-prob<T`,
/// where `T` is a number or `pNN`, the NN-th percentile (0-100) of that loss over the analysed rows
/// (numpy's default linear interpolation).
public enum FailureSpec: Sendable, Equatable, CustomStringConvertible {
    case misclassified
    case absoluteError(Threshold)
    case relativeError(Threshold)
    case squaredError(Threshold)
    case logLoss(Threshold)
    case trueClassProbability(Threshold)

    /// A fixed number or a percentile of the loss.
    public enum Threshold: Sendable, Equatable, CustomStringConvertible {
        case value(Double)
        case percentile(Double)

        public var description: String {
            switch self {
            case .value(let value): return value.description
            case .percentile(let percent): return "p" + (percent == percent.rounded() ? String(Int(percent)) : percent.description)
            }
        }
    }

    /// Parses a spec; throws `AnalysisError.invalidFailureSpec` with the accepted forms.
    public static func parse(_ text: String) throws(AnalysisError) -> FailureSpec {
        let trimmed = text.trimmingSpaces()
        if trimmed == "misclassified" { return .misclassified }
        let forms: [(String, Character, (Threshold) -> FailureSpec)] = [
            ("abs-error", ">", FailureSpec.absoluteError),
            ("rel-error", ">", FailureSpec.relativeError),
            ("sq-error", ">", FailureSpec.squaredError),
            ("log-loss", ">", FailureSpec.logLoss),
            ("true-class-prob", "<", FailureSpec.trueClassProbability),
        ]
        for (name, comparison, make) in forms where trimmed.hasPrefix(name) {
            let rest = trimmed.dropFirst(name.count).trimmingSpaces()
            guard rest.first == comparison else { break }
            let thresholdText = rest.dropFirst().trimmingSpaces()
            guard let threshold = parseThreshold(thresholdText) else { break }
            return make(threshold)
        }
        throw AnalysisError(
            code: .invalidFailureSpec,
            message: "invalid --failure '\(text)': use misclassified, abs-error>X, rel-error>X, sq-error>X, "
                + "log-loss>X or true-class-prob<X, where X is a number or pNN (a percentile, 0-100), e.g. abs-error>p90")
    }

    private static func parseThreshold(_ text: String) -> Threshold? {
        if text.first == "p" || text.first == "P" {
            guard let percent = Double(text.dropFirst()), percent.isFinite, percent >= 0, percent <= 100 else { return nil }
            return .percentile(percent)
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return .value(value)
    }

    /// Whether the spec is for classification.
    public var isClassification: Bool {
        switch self {
        case .misclassified, .logLoss, .trueClassProbability: true
        case .absoluteError, .relativeError, .squaredError: false
        }
    }

    /// Whether the spec reads the score column.
    public var needsScore: Bool {
        switch self {
        case .logLoss, .trueClassProbability: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .misclassified: "misclassified"
        case .absoluteError(let threshold): "abs-error>\(threshold)"
        case .relativeError(let threshold): "rel-error>\(threshold)"
        case .squaredError(let threshold): "sq-error>\(threshold)"
        case .logLoss(let threshold): "log-loss>\(threshold)"
        case .trueClassProbability(let threshold): "true-class-prob<\(threshold)"
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}

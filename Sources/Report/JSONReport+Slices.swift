import SliceSearch

// The multi-feature slices of `analysis.json`: `slices[]` and `slice_search` (docs/analysis-json.md).
extension JSONReport {
    /// One entry of `slices[]`: rank, level, predicates, score, statistics, equivalents, explaining parent.
    static func slice(_ finding: SliceFinding) -> JSONValue {
        // The statistics keys are those of a bin; drop the placeholder identity they are rendered with.
        guard case .object(var members) = bin(.value(""), finding.statistics) else { return .null }
        members["value"] = nil
        members["label"] = nil
        members["rank"] = .int(finding.rank)
        members["level"] = .int(finding.level)
        members["description"] = .string(finding.description)
        members["predicates"] = predicates(finding.predicates)
        members["score"] = .finite(finding.score)
        members["error_sum"] = .finite(finding.errorSum)
        members["error_max"] = .finite(finding.errorMax)
        members["equivalent"] = .array(finding.equivalents.map { .object(["predicates": predicates($0)]) })
        if let parent = finding.explainedBy {
            members["explained_by"] = .object([
                "predicates": predicates(parent.predicates), "n": .int(parent.n), "failures": .int(parent.failures),
                "failure_rate": .finite(parent.failureRate), "p_value": .finite(parent.pValue),
                "q_value": .finite(parent.qValue),
            ])
        } else {
            members["explained_by"] = .null
        }
        return .object(members)
    }

    /// `[{feature, kind, label, <identity keys>}]`, the identity as in `features[].bins[]`.
    static func predicates(_ predicates: [SlicePredicate]) -> JSONValue {
        .array(
            predicates.map { predicate in
                var members = identityMembers(predicate.identity)
                members["feature"] = .string(predicate.feature)
                members["kind"] = .string(predicate.kind.rawValue)
                members["label"] = .string(predicate.identity.label)
                return .object(members)
            })
    }

    /// `slice_search`: the settings of the search and what it covered, or `null` when it did not run.
    static func sliceSearch(_ summary: SliceSearchSummary?) -> JSONValue {
        guard let summary else { return .null }
        return .object([
            "alpha": .number(summary.alpha), "max_level": .int(summary.maxLevel), "top": .int(summary.top),
            "slice_error": .string(summary.error.rawValue), "sliceline_compat": .bool(summary.referenceCompatible),
            "min_support": .int(summary.minimumSupport), "features": .array(summary.features.map(JSONValue.string)),
            "evaluated": .int(summary.evaluated), "family_size": .finite(summary.familySize), "mean_error": .finite(summary.meanError),
            "levels": .array(
                summary.levels.map {
                    .object([
                        "level": .int($0.level), "candidates": .int($0.candidates), "bounded": .int($0.bounded),
                        "evaluated": .int($0.evaluated),
                    ])
                }),
        ])
    }
}

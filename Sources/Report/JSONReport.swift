import SliceSearch

/// Renders `analysis.json` (schema in docs/analysis-json.md).
public enum JSONReport {
    public static func render(_ result: AnalysisResult) -> String {
        document(result).rendered()
    }

    static func document(_ result: AnalysisResult) -> JSONValue {
        var roles: [String: JSONValue] = [
            "label": .string(result.roles.label), "prediction": .string(result.roles.prediction),
        ]
        roles["score"] = result.roles.score.map(JSONValue.string) ?? .null
        roles["time"] = result.roles.time.map(JSONValue.string) ?? .null
        roles["batch"] = result.roles.batch.map(JSONValue.string) ?? .null
        let failure: [String: JSONValue] = [
            "spec": .string(result.failureDefinition.spec),
            "description": .string(result.failureDefinition.description),
            "threshold": .finite(result.failureDefinition.threshold),
            "positive_class": result.failureDefinition.positiveClass.map(JSONValue.string) ?? .null,
        ]
        let settings: [String: JSONValue] = [
            "binning": .string(result.settings.binning), "bins": .int(result.settings.bins),
            "categorical_threshold": .int(result.settings.categoricalThreshold),
            "max_categories": .int(result.settings.maxCategories), "fdr": .number(result.settings.fdr),
            "min_lift": .number(result.settings.minLift), "min_support": .int(result.settings.minSupport),
        ]
        return .object([
            "schema_version": .int(AnalysisResult.schemaVersion),
            "source": .string(result.source),
            "task": .string(result.task),
            "roles": .object(roles),
            "failure_definition": .object(failure),
            "rows": .int(result.rows),
            "failures": .int(result.failures),
            "failure_rate": .finite(result.failureRate),
            "ci_low": .finite(result.ciLow),
            "ci_high": .finite(result.ciHigh),
            "excluded_rows": .int(result.excludedRows),
            "exclusions": .array(result.exclusions.map { .object(["reason": .string($0.reason), "rows": .int($0.rows)]) }),
            "settings": .object(settings),
            "features": .array(result.features.map(feature)),
            "hotspots": .array(result.hotspots.map(hotspot)),
            "skipped": .array(result.skipped.map { .object(["name": .string($0.name), "reason": .string($0.reason)]) }),
            "notes": .array(result.notes.map(JSONValue.string)),
            "slices": .array(result.slices.map(slice)),
            "slice_search": sliceSearch(result.sliceSearch),
            "time": time(result.time, slices: result.timeSlices),
            "associations": .array(result.associations.map(association)),
            "model": model(result.model),
            "pair": pair(result.pair),
        ])
    }

    static func feature(_ feature: FeatureSlices) -> JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(feature.name), "kind": .string(feature.kind.rawValue),
            "column_type": .string(feature.columnType),
            "bins": .array(feature.bins.map { bin($0.identity, $0.statistics) }),
        ]
        if let binning = feature.binning { members["binning"] = .string(binning.rawValue) }
        if let edges = feature.edges { members["edges"] = .array(edges.map { .finite($0) }) }
        if let bucket = feature.timeBucket { members["time_bucket"] = .string(bucket) }
        return .object(members)
    }

    static func hotspot(_ hotspot: Hotspot) -> JSONValue {
        guard case .object(var members) = bin(hotspot.identity, hotspot.statistics) else { return .null }
        members["feature"] = .string(hotspot.feature)
        members["kind"] = .string(hotspot.kind.rawValue)
        return .object(members)
    }

    /// A bin's identity fields plus its statistics.
    static func bin(_ identity: BinIdentity, _ statistics: SliceStatistics) -> JSONValue {
        var members = identityMembers(identity)
        members["label"] = .string(identity.label)
        members["n"] = .int(statistics.n)
        members["failures"] = .int(statistics.failures)
        members["failure_rate"] = .finite(statistics.failureRate)
        members["ci_low"] = .finite(statistics.ciLow)
        members["ci_high"] = .finite(statistics.ciHigh)
        members["lift"] = .finite(statistics.lift)
        members["p_value"] = .finite(statistics.pValue)
        members["q_value"] = .finite(statistics.qValue)
        members["test"] = statistics.pValue.isNaN ? .null : .string(statistics.test.rawValue)
        members["mean_loss"] = .finite(statistics.meanLoss)
        if let regression = statistics.regression {
            members["mae"] = .finite(regression.meanAbsoluteError)
            members["rmse"] = .finite(regression.rootMeanSquaredError)
            members["mean_signed_error"] = .finite(regression.meanSignedError)
        }
        if let binary = statistics.classification {
            members["tp"] = .int(binary.truePositives)
            members["fp"] = .int(binary.falsePositives)
            members["tn"] = .int(binary.trueNegatives)
            members["fn"] = .int(binary.falseNegatives)
            members["precision"] = .finite(binary.precision)
            members["recall"] = .finite(binary.recall)
            members["fpr"] = .finite(binary.falsePositiveRate)
            members["fnr"] = .finite(binary.falseNegativeRate)
        }
        return .object(members)
    }

    /// `value`, or `lower`/`upper`/`lower_inclusive`, or `start`/`end`, or `missing: true`.
    static func identityMembers(_ identity: BinIdentity) -> [String: JSONValue] {
        switch identity {
        case .value(let text): return ["value": .string(text)]
        case .other(let merged): return ["value": .string("(other)"), "other": .bool(true), "merged_categories": .int(merged)]
        case .interval(let lower, let upper, let lowerInclusive):
            return ["lower": .finite(lower), "upper": .finite(upper), "lower_inclusive": .bool(lowerInclusive)]
        case .timeBucket(let start, let end):
            return [
                "start": .string(TimeLabels.iso(start)), "end": .string(TimeLabels.iso(end)),
                "value": .string(identity.label),
            ]
        case .missing: return ["missing": .bool(true)]
        }
    }
}

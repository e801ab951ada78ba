import SliceSearch

// `time`, `associations` and `model` of `analysis.json` (docs/analysis-json.md).
extension JSONReport {
    /// `time`: buckets, tests, verdict, change points, emerging slices, the drift decomposition and the followed
    /// slices; `null` without a time or batch column.
    static func time(_ time: TimeAnalysisResult?, slices: [SliceTimeSeries]) -> JSONValue {
        guard let time else { return .null }
        return .object([
            "column": .string(time.column), "kind": .string(time.kind.rawValue), "axis": .string(time.axis.rawValue),
            "bucket": .string(time.bucket), "ordered": .bool(time.ordered), "n": .int(time.rows),
            "missing": .int(time.missingRows),
            "buckets": .array(
                time.buckets.map { bucket in
                    var members = rateMembers(bucket.statistics)
                    members["label"] = .string(bucket.identity.label)
                    members["start"] = position(bucket.start)
                    members["end"] = position(bucket.end)
                    return .object(members)
                }),
            "tests": .array(
                time.tests.map { test in
                    .object([
                        "name": .string(test.name.rawValue), "statistic": .finite(test.statistic),
                        "df": test.degreesOfFreedom.map(JSONValue.int) ?? .null, "p_value": .finite(test.pValue),
                        "p_adjusted": .finite(test.adjustedPValue), "significant": .bool(test.significant),
                        "detail": .string(test.detail),
                    ])
                }),
            "level": .number(time.level), "correction": .string(time.correction),
            "time_dependent": .bool(time.timeDependent),
            "evidence": .array(time.evidence.map { .string($0.name.rawValue) }),
            "change_points": .array(
                time.changePoints.map { point in
                    .object([
                        "at": position(point.at), "bucket_index": .int(point.bucketIndex), "rank": .int(point.rank),
                        "statistic": .finite(point.statistic), "p_value": .finite(point.pValue),
                        "before": rate(point.before), "after": rate(point.after),
                    ])
                }),
            "segments": .array(
                time.segments.map { segment in
                    var members = rateMembers(segment.statistics)
                    members["start"] = position(segment.start)
                    members["end"] = position(segment.end)
                    members["first_bucket"] = .int(segment.firstBucket)
                    members["last_bucket"] = .int(segment.lastBucket)
                    return .object(members)
                }),
            "split": time.split.map { split in
                .object([
                    "source": .string(split.source.rawValue), "at": position(split.at),
                    "bucket_index": .int(split.bucketIndex), "before": rate(split.before), "after": rate(split.after),
                    "change": .finite(split.change),
                ])
            } ?? .null,
            "emerging": .array(
                time.emerging.map { slice in
                    var members = identityMembers(slice.identity)
                    members["feature"] = .string(slice.feature)
                    members["kind"] = .string(slice.kind.rawValue)
                    members["label"] = .string(slice.identity.label)
                    members["before"] = rate(slice.before)
                    members["after"] = rate(slice.after)
                    members["change"] = .finite(slice.change)
                    members["test"] = .string(slice.test.rawValue)
                    members["p_value"] = .finite(slice.pValue)
                    members["q_value"] = .finite(slice.qValue)
                    return .object(members)
                }),
            "decomposition": .array(time.decomposition.map(decomposition)),
            "slices": .array(
                slices.map { series in
                    .object([
                        "predicates": .array(
                            series.slice.map { reference in
                                var members = identityMembers(reference.identity)
                                members["feature"] = .string(reference.feature)
                                members["label"] = .string(reference.identity.label)
                                return .object(members)
                            }),
                        "buckets": .array(series.buckets.map(rate)),
                        "segments": .array(series.segments.map(rate)),
                        "before": series.before.map(rate) ?? .null, "after": series.after.map(rate) ?? .null,
                    ])
                }),
        ])
    }

    static func decomposition(_ entry: RateDecomposition) -> JSONValue {
        .object([
            "feature": .string(entry.feature), "kind": .string(entry.kind.rawValue),
            "rate_before": .finite(entry.before), "rate_after": .finite(entry.after), "change": .finite(entry.total),
            "mix": .finite(entry.mix), "rate": .finite(entry.rate),
            "bins": .array(
                entry.bins.map { bin in
                    .object([
                        "label": .string(bin.identity.label), "share_before": .finite(bin.shareBefore),
                        "share_after": .finite(bin.shareAfter), "rate_before": .finite(bin.rateBefore),
                        "rate_after": .finite(bin.rateAfter), "mix": .finite(bin.mix), "rate": .finite(bin.rate),
                    ])
                }),
        ])
    }

    /// `associations[]`: one entry per feature, strongest first.
    static func association(_ entry: FeatureAssociation) -> JSONValue {
        var members: [String: JSONValue] = [
            "feature": .string(entry.feature), "kind": .string(entry.kind.rawValue), "n": .int(entry.rows),
            "bins": .int(entry.bins), "mutual_information": .finite(entry.mutualInformation),
            "cramers_v": .finite(entry.cramersV), "chi_square": .finite(entry.chiSquare),
            "df": .int(entry.degreesOfFreedom), "p_value": .finite(entry.pValue), "q_value": .finite(entry.qValue),
            "significant": .bool(entry.significant), "point_biserial": .null, "point_biserial_p_value": .null, "auc": .null, "auc_p_value": .null,
        ]
        if let numeric = entry.numeric {
            members["point_biserial"] = .finite(numeric.pointBiserial)
            members["point_biserial_p_value"] = .finite(numeric.pointBiserialPValue)
            members["auc"] = .finite(numeric.auc)
            members["auc_p_value"] = .finite(numeric.aucPValue)
        }
        return .object(members)
    }

    /// `model`: the joint logistic regression's settings and per-bin odds ratios; `null` when not fitted.
    static func model(_ model: JointModelResult?) -> JSONValue {
        guard let model else { return .null }
        return .object([
            "method": .string("l2_logistic_regression_irls"), "penalty": .number(model.penalty),
            "n": .int(model.totalRows), "rows_fitted": .int(model.rows), "sampled": .bool(model.sampled),
            "seed": .int(Int(truncatingIfNeeded: model.seed)), "cells": .int(model.cells),
            "columns": .int(model.columns), "converged": .bool(model.converged), "iterations": .int(model.iterations),
            "solver": .string(model.solver), "intercept": .finite(model.intercept),
            "baseline_rate": .finite(model.baselineRate), "log_likelihood": .finite(model.logLikelihood),
            "confidence": .number(model.confidence),
            "references": .array(
                model.references.map { reference in
                    var members = identityMembers(reference.identity)
                    members["feature"] = .string(reference.feature)
                    members["label"] = .string(reference.identity.label)
                    members["n"] = .int(reference.n)
                    members["failures"] = .int(reference.failures)
                    return .object(members)
                }),
            "terms": .array(
                model.terms.map { term in
                    var members = identityMembers(term.identity)
                    members["feature"] = .string(term.feature)
                    members["kind"] = .string(term.kind.rawValue)
                    members["label"] = .string(term.identity.label)
                    members["n"] = .int(term.n)
                    members["failures"] = .int(term.failures)
                    members["coefficient"] = .finite(term.coefficient)
                    members["standard_error"] = .finite(term.standardError)
                    members["odds_ratio"] = .finite(term.oddsRatio)
                    members["ci_low"] = .finite(term.ciLow)
                    members["ci_high"] = .finite(term.ciHigh)
                    members["p_value"] = .finite(term.pValue)
                    members["q_value"] = .finite(term.qValue)
                    members["significant"] = .bool(term.significant)
                    return .object(members)
                }),
            "omitted": .array(
                model.omitted.map { .object(["name": .string($0.name), "reason": .string($0.reason)]) }),
        ])
    }

    /// ISO-8601 text for timestamps, a number for an index, the label for a batch.
    static func position(_ position: TimePosition) -> JSONValue {
        switch position {
        case .timestamp: return .string(position.text)
        case .index(let value): return .finite(value)
        case .label(let label): return .string(label)
        }
    }

    static func rateMembers(_ estimate: RateEstimate) -> [String: JSONValue] {
        [
            "n": .int(estimate.n), "failures": .int(estimate.failures), "failure_rate": .finite(estimate.rate),
            "ci_low": .finite(estimate.ciLow), "ci_high": .finite(estimate.ciHigh),
        ]
    }

    static func rate(_ estimate: RateEstimate) -> JSONValue { .object(rateMembers(estimate)) }
}

extension JSONReport {
    /// `pair`: the heatmap's grid, cells as `[row][column]` with n, failures and the failure rate.
    static func pair(_ grid: PairGrid?) -> JSONValue {
        guard let grid else { return .null }
        return .object([
            "row_feature": .string(grid.rowFeature), "column_feature": .string(grid.columnFeature),
            "row_bins": .array(grid.rowBins.map { .string($0.label) }),
            "column_bins": .array(grid.columnBins.map { .string($0.label) }),
            "n": .array(grid.n.map { .array($0.map(JSONValue.int)) }),
            "failures": .array(grid.failures.map { .array($0.map(JSONValue.int)) }),
            "reason": .string(grid.reason),
        ])
    }
}

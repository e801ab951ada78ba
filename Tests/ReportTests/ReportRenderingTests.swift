import Testing

@testable import Report
@testable import SliceSearch

/// JSON, Markdown and CSV renderings of a small fixed result.
struct ReportRenderingTests {
    static func statistics(n: Int, failures: Int, lift: Double, q: Double) -> SliceStatistics {
        SliceStatistics(
            n: n, failures: failures, failureRate: Double(failures) / Double(n), ciLow: 0.1, ciHigh: 0.3, lift: lift,
            pValue: q / 2, qValue: q, test: .z, meanLoss: Double(failures) / Double(n), regression: nil,
            classification: BinaryMetrics(truePositives: 1, falsePositives: 2, trueNegatives: 3, falseNegatives: 4))
    }

    static var result: AnalysisResult {
        let hot = statistics(n: 100, failures: 40, lift: 2, q: 0.001)
        let cold = statistics(n: 300, failures: 40, lift: 0.67, q: 0.2)
        let feature = FeatureSlices(
            name: "colour, \"shade\"", kind: .categorical, columnType: "string", binning: nil, edges: nil,
            timeBucket: nil,
            bins: [FeatureBin(identity: .value("red|ish"), statistics: hot), FeatureBin(identity: .missing, statistics: cold)])
        let numeric = FeatureSlices(
            name: "age", kind: .numeric, columnType: "int64", binning: .quantile, edges: [17, 30.5, 90], timeBucket: nil,
            bins: [
                FeatureBin(identity: .interval(lower: 17, upper: 30.5, lowerInclusive: true), statistics: cold),
                FeatureBin(identity: .interval(lower: 30.5, upper: 90, lowerInclusive: false), statistics: hot),
            ])
        return AnalysisResult(
            source: "demo.csv", task: "binary",
            roles: .init(label: "label", prediction: "pred", score: nil, time: nil, batch: nil),
            failureDefinition: .init(
                spec: "misclassified", description: "the predicted class differs from the true class", threshold: nil,
                positiveClass: "1"),
            rows: 400, failures: 80, failureRate: 0.2, ciLow: 0.16, ciHigh: 0.24, excludedRows: 2,
            exclusions: [.init(reason: "missing label ('label')", rows: 2)],
            settings: .init(binning: "quantile", bins: 10, categoricalThreshold: 10, maxCategories: 50, fdr: 0.05,
                            minLift: 1.2, minSupport: 30),
            features: [feature, numeric],
            hotspots: [Hotspot(feature: "colour, \"shade\"", kind: .categorical, identity: .value("red|ish"), statistics: hot)],
            skipped: [], notes: ["Column 'x' was not sliced: no value on the analysed rows."])
    }

    @Test func jsonCarriesTheDocumentedFields() {
        let json = JSONReport.render(Self.result)
        for field in [
            "\"schema_version\": 1", "\"rows\": 400", "\"failures\": 80", "\"failure_rate\": 0.2", "\"excluded_rows\": 2",
            "\"failure_definition\"", "\"kind\": \"categorical\"", "\"value\": \"red|ish\"", "\"missing\": true",
            "\"lower\": 30.5", "\"upper\": 90", "\"lower_inclusive\": false", "\"q_value\": 0.001", "\"hotspots\"",
            "\"tp\": 1", "\"fnr\": 0.8",
        ] {
            #expect(json.contains(field), "missing \(field)")
        }
        #expect(json == JSONReport.render(Self.result))
    }

    @Test func csvHasOneQuotedRowPerSlice() {
        let lines = CSVReport.render(Self.result).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == CSVReport.columns.joined(separator: ","))
        #expect(lines.count == 1 + 4 + 1)
        #expect(lines[1].hasPrefix("\"colour, \"\"shade\"\"\",categorical,red|ish,red|ish,"))
        #expect(lines[1].contains(",true,"))
        #expect(lines[3].hasPrefix("age,numeric,\"[17, 30.5]\",,17,30.5,true,false,300,40,"))
    }

    @Test func markdownStatesTheRateHotspotsAndLimits() {
        let markdown = MarkdownReport.render(Self.result)
        #expect(markdown.contains("**20.0%**"))
        #expect(markdown.contains("| 1 | colour, \"shade\" = red\\|ish | 100 | 40 | 40.0% (10.0% to 30.0%) | 2.00 | 0.001 |"))
        #expect(markdown.contains("2 rows were left out: 2 with missing label ('label')."))
        #expect(markdown.contains("- Column 'x' was not sliced"))
    }
}

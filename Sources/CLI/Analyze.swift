import ArgumentParser
import Faultline
import Foundation
import Report
import SliceSearch

extension FaultlineCommand {
    /// `faultline analyze [INPUT]`: the failure analysis, written as JSON, Markdown, CSV and an HTML report.
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse where a model fails and write a report.",
            discussion: """
                With no INPUT, analyses the bundled UCI Adult demo dump (data/adult_predictions.csv). Writes \
                analysis.json, summary.md, slices.csv, top_slices.csv and report.html (with its charts as charts/*.svg) into --out.
                """
        )

        @Argument(help: "The prediction dump (CSV). Default: the bundled Adult demo.", completion: .file())
        var input: String?

        @Option(name: .shortAndLong, help: "Output directory (created if missing).")
        var out: String = "reports"

        @Option(help: "Comma-separated outputs among json, md, csv, html.")
        var format: String = "json,md,csv,html"

        @OptionGroup var roles: RoleOptions
        @OptionGroup var slicing: SlicingFlags
        @OptionGroup var sliceLine: SliceLineFlags
        @OptionGroup var common: CommonOptions
        @OptionGroup(title: "SQL pushdown") var sql: SQLFlags

        @Flag(help: "Print the wall-clock and process CPU time of each analysis stage to stderr (for benchmarks).")
        var timings = false

        func validate() throws {
            _ = try formats()
            guard !out.isEmpty else { throw ValidationError("--out must name a directory, not be empty") }
            if sql.isPushdown {
                guard input == nil else {
                    throw ValidationError("give either an INPUT file or --sql-dialect/--sql-table, not both")
                }
                guard sql.sqlCommand != nil || sql.aggregates != nil else {
                    throw ValidationError("--sql-dialect needs --sql-command (to run the queries) or --aggregates (saved results)")
                }
            }
        }

        func formats() throws -> [String] {
            var requested: [String] = []
            for name in format.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
            where !requested.contains(name) {
                requested.append(name)
            }
            let known = ["json", "md", "csv", "html"]
            for name in requested where !known.contains(name) {
                throw ValidationError("--format: unknown output '\(name)'; choose among \(known.joined(separator: ", "))")
            }
            guard !requested.isEmpty else { throw ValidationError("--format: name at least one of json, md, csv, html") }
            return requested
        }

        func run() throws {
            var path = ""
            let source = sql.source()
            if source != nil {
                path = ""
            } else if let input {
                path = input
            } else if let demo = DemoData.adultPath() {
                path = demo
            } else {
                Stderr.write("faultline: no INPUT given and the bundled demo data/adult_predictions.csv was not found\n")
                throw ExitCodes.noInput
            }
            if !common.quiet && source == nil { LargeCSVHint.show(for: path) }
            var options = try roles.apply(to: AnalysisOptions())
            options = try slicing.apply(to: options)
            options = try sliceLine.apply(to: options)
            options.threads = common.threads
            options.seed = common.seed
            let progress = ProgressLine(quiet: common.quiet)
            let timer = timings ? StageTimer() : nil
            let result: AnalysisResult
            do {
                let stage: @Sendable (String) -> Void = { stage in
                    timer?.begin(stage)
                    progress.update(stage)
                }
                if let source {
                    let runner: any SQLQueryRunner =
                        if let command = sql.sqlCommand {
                            ShellSQLRunner(command: command, recordTo: sql.aggregates)
                        } else {
                            SavedAggregates(directory: sql.aggregates ?? ".")
                        }
                    result = try PushdownAnalysis.run(source: source, runner: runner, options: options, progress: stage)
                } else {
                    result = try FailureAnalysis.run(path: path, options: options, progress: stage)
                }
            } catch {
                progress.finish()
                Stderr.write("faultline: \(error.description)\n")
                throw ExitCodes.code(for: error)
            }
            timer?.begin("writing the report")
            progress.update("writing the report")
            var files: [(name: String, contents: String)] = []
            let requested = try formats()
            var chartCount = 0
            for name in requested {
                switch name {
                case "json": files.append(("analysis.json", JSONReport.render(result)))
                case "md":
                    files.append(("summary.md", MarkdownReport.render(result, linkingCharts: requested.contains("html"))))
                case "html":
                    files.append(("report.html", HTMLReport.render(result)))
                    let charts = HTMLReport.charts(result)
                    for chart in charts { files.append(("charts/" + chart.name + ".svg", chart.svg)) }
                    chartCount = charts.count
                default:
                    files.append(("slices.csv", CSVReport.render(result)))
                    files.append(("top_slices.csv", CSVReport.renderTopSlices(result)))
                }
            }
            do {
                try OutputDirectory(path: out).write(files)
            } catch {
                progress.finish()
                Stderr.write("faultline: \(error.description)\n")
                throw ExitCodes.cannotCreate
            }
            progress.finish()
            if let timer { Stderr.write(timer.report()) }
            if !common.quiet {
                let hotspots = result.hotspots.count
                Stderr.write(
                    "faultline: \(HumanFormat.count(result.rows)) rows, failure rate \(HumanFormat.percent(result.failureRate)), "
                        + "\(hotspots) hotspot\(hotspots == 1 ? "" : "s"); wrote "
                        + files.filter { !$0.name.hasPrefix("charts/") }.map { out + "/" + $0.name }.joined(separator: ", ")
                        + (chartCount > 0 ? " and \(chartCount) chart\(chartCount == 1 ? "" : "s") in \(out)/charts/" : "")
                        + "\n")
            }
        }
    }
}

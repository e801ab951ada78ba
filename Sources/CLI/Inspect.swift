import ArgumentParser
import ColumnStore
import Faultline
import Kernels
import Report

extension FaultlineCommand {
    /// `faultline inspect FILE`: what Faultline sees in a dump before analysing it.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a dump's schema, row count, missing and distinct values per column, and detected roles.")

        @Argument(help: "The prediction dump (CSV).", completion: .file())
        var input: String

        @OptionGroup var roles: RoleOptions
        @OptionGroup var common: CommonOptions

        func run() throws {
            var options = try roles.apply(to: AnalysisOptions())
            options.threads = common.threads
            let table: Table
            let detected: RoleDetection.Roles
            do {
                table = try TableLoader.load(path: input, options: options)
                detected = try RoleDetection.detect(in: table, options: options, source: input)
            } catch {
                Stderr.write("faultline: \(error.description)\n")
                throw ExitCodes.code(for: error)
            }
            print(InspectionReport.render(table: table, roles: detected, source: input, threads: options.threads))
        }
    }
}

/// The text `faultline inspect` prints.
enum InspectionReport {
    static func render(table: Table, roles: RoleDetection.Roles, source: String, threads: Int) -> String {
        var roleOf: [String: String] = [:]
        for (name, role) in [
            (roles.label, "label"), (roles.prediction, "prediction"), (roles.score, "score"), (roles.time, "time"),
            (roles.batch, "batch"),
        ] {
            if let name { roleOf[name] = role }
        }
        var lines = ["\(source): \(HumanFormat.count(table.rowCount)) rows, \(table.columns.count) columns", ""]
        // Columns are counted in parallel: a many-valued column (a timestamp) costs far more than the others.
        let distinct = Parallel.map(count: table.columns.count, threads: threads) { DistinctCount.of(table.columns[$0]) }
        let rows: [[String]] = table.columns.enumerated().map { index, column in
            [
                column.name, column.type.description, HumanFormat.count(column.nullCount),
                HumanFormat.count(distinct[index]), roleOf[column.name] ?? "feature",
            ]
        }
        let header = ["column", "type", "missing", "distinct", "role"]
        var widths = header.map(\.count)
        for row in rows { for (index, field) in row.enumerated() { widths[index] = max(widths[index], field.count) } }
        func line(_ fields: [String]) -> String {
            fields.enumerated().map { index, field in
                index == 2 || index == 3
                    ? String(repeating: " ", count: widths[index] - field.count) + field
                    : field + String(repeating: " ", count: widths[index] - field.count)
            }.joined(separator: "  ")
        }
        lines.append(line(header))
        for row in rows { lines.append(line(row)) }
        lines.append("")
        lines.append("roles: label=\(roles.label ?? "(none)") prediction=\(roles.prediction ?? "(none)") "
            + "score=\(roles.score ?? "(none)") time=\(roles.time ?? "(none)") batch=\(roles.batch ?? "(none)")")
        return lines.joined(separator: "\n")
    }
}

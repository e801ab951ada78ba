import ArgumentParser
import Faultline

extension FaultlineCommand {
    /// `faultline sql`: prints the next query of a pushed-down analysis, for users who run the queries by hand.
    struct SQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sql",
            abstract: "Print the next SQL query of a pushed-down analysis, to run by hand.",
            discussion: """
                Each query depends on the results of the ones before (edges, promising slices), so they come one at \
                a time: run the printed query on your engine, save its CSV result (with a header) in --aggregates \
                DIR under the file name printed on stderr, and run this command again. When every result is there, \
                `faultline analyze --sql-dialect D --sql-table T --aggregates DIR` (same options) writes the report.
                """
        )

        @OptionGroup(title: "SQL pushdown") var sql: SQLFlags
        @OptionGroup var roles: RoleOptions
        @OptionGroup var slicing: SlicingFlags
        @OptionGroup var sliceLine: SliceLineFlags

        func validate() throws {
            guard sql.sqlDialect != nil else { throw ValidationError("faultline sql needs --sql-dialect and --sql-table") }
            guard sql.sqlCommand == nil else {
                throw ValidationError("faultline sql prints the queries; to run them through a command, use faultline analyze --sql-command")
            }
        }

        func run() throws {
            guard let source = sql.source() else { throw ExitCodes.usage }
            var options = try roles.apply(to: AnalysisOptions())
            options = try slicing.apply(to: options)
            options = try sliceLine.apply(to: options)
            let runner = NextQueryRunner(saved: sql.aggregates.map { SavedAggregates(directory: $0) })
            do {
                _ = try PushdownAnalysis.run(source: source, runner: runner, options: options)
            } catch {
                guard error.code == .missingAggregate, let query = runner.pending else {
                    Stderr.write("faultline: \(error.description)\n")
                    throw ExitCodes.code(for: error)
                }
                print(query.text + ";")
                let directory = sql.aggregates ?? "DIR"
                Stderr.write(
                    "faultline: the \(query.step) query is above; save its CSV result (with a header) as "
                        + "\(directory)/\(query.resultFileName), then run this command again"
                        + (sql.aggregates == nil ? " with --aggregates \(directory)" : "") + "\n")
                return
            }
            Stderr.write(
                "faultline: every query's result is in \(sql.aggregates ?? "DIR"); write the report with "
                    + "faultline analyze --sql-dialect \(source.dialect.rawValue) --sql-table \(source.table) "
                    + "--aggregates \(sql.aggregates ?? "DIR") (and the same options)\n")
        }
    }
}

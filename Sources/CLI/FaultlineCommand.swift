import ArgumentParser
import Stats

/// The `faultline` command: finds where, when and under what conditions a model fails.
@main
struct FaultlineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faultline",
        abstract: "Find where, when and under what conditions a trained model fails.",
        discussion: """
            Give Faultline a prediction dump (one row per example: features, the true label, the prediction, \
            optionally a score and a timestamp or batch id). It slices the data and reports the slices that fail \
            significantly more often than the rest, with honest statistics.

            Exit codes: 0 success; 64 invalid options; 65 bad input data (malformed file, missing columns, a \
            failure definition that does not fit); 66 input missing or unreadable (or a saved SQL result missing); 69 the SQL \
            engine command failed; 73 output cannot be written; 130 interrupted (SIGINT), 143 terminated (SIGTERM), with \
            no partial report written.
            """,
        version: FaultlineVersion.current,
        subcommands: [Analyze.self, Inspect.self, Generate.self, Convert.self, SQL.self],
        defaultSubcommand: Analyze.self
    )

    /// ArgumentParser's `main`, with the SIGINT/SIGTERM handlers installed first (exit 130/143, no partial output),
    /// and BLAS on the calling thread: the engine runs its own threads (`--threads`), and BLAS threads would make the
    /// joint model's last digits depend on the machine's core count. OpenBLAS's workers, started before `main`, are
    /// first made to wait for an idle core (``LinearAlgebra/idleBLASWorkers()``).
    static func main() {
        LinearAlgebra.idleBLASWorkers()
        LinearAlgebra.computeOnCallingThread()
        let signalSources = Interrupts.install()
        withExtendedLifetime(signalSources) {
            do {
                var command = try parseAsRoot()
                try command.run()
            } catch {
                exit(withError: error)
            }
        }
    }
}

enum FaultlineVersion {
    static let current = "0.1.0"
}

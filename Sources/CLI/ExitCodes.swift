import ArgumentParser
import Faultline
import Ingest

/// Exit codes, after BSD sysexits.h; documented in docs/exit-codes.md and `faultline --help`.
enum ExitCodes {
    static let usage = ExitCode(64)
    static let dataError = ExitCode(65)
    static let noInput = ExitCode(66)
    static let unavailable = ExitCode(69)
    static let cannotCreate = ExitCode(73)

    /// The code for an analysis error.
    static func code(for error: AnalysisError) -> ExitCode {
        switch error.code {
        case .invalidOption, .invalidFailureSpec: return usage
        case .unreadableInput:
            if let ingest = error.underlying as? IngestError, ingest.code == .unreadableFile { return noInput }
            return dataError
        case .unsupportedFormat, .missingRole, .unknownColumn, .incompatibleTask, .noRows: return dataError
        case .sqlEngine: return unavailable
        case .missingAggregate: return noInput
        }
    }
}

/// Why an analysis could not run. Messages name the file, row and column where they apply and say what to do.
public struct AnalysisError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// The input could not be read or parsed (see `message`; the ingest error is in `underlying`).
        case unreadableInput
        /// The input's format is not supported.
        case unsupportedFormat
        /// A role column (label, prediction, ...) could not be found.
        case missingRole(String)
        /// A column named by an option does not exist.
        case unknownColumn(String)
        case invalidFailureSpec
        /// The failure definition does not fit the task or the data.
        case incompatibleTask
        /// No row is left after exclusions.
        case noRows
        case invalidOption
        /// The SQL engine's command failed, or its result is not what the query asks for.
        case sqlEngine
        /// `--aggregates DIR` lacks the result of a query (`message` names the file to save it as).
        case missingAggregate
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?

    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}

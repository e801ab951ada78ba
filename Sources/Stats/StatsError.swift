/// The error type of the Stats module: a stable `code` for programs and a contextual `message` for people.
///
/// Thrown by ``LinearAlgebra``; the statistical tests themselves are total functions and never throw.
public struct StatsError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, stable across releases so callers and tests can match on it.
    public enum Code: Sendable, Equatable {
        /// A LAPACK routine reported a numerical failure: `info > 0` from the named routine (for `dpotrf`, the
        /// leading minor of order `info` is not positive, so the matrix is not positive definite).
        case lapack(routine: String, info: Int32)
        /// The arrays passed in do not have the sizes the stated dimensions require.
        case dimensionMismatch
        /// An input matrix or vector contains NaN or ±∞, which LAPACK cannot factor meaningfully.
        case nonFiniteInput
    }

    /// The stable error code.
    public var code: Code
    /// A human-readable explanation naming the routine, the sizes or the offending entry.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The stable code.
    ///   - message: The explanation shown to users.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `"Stats error (<code>): <message>"`.
    public var description: String {
        let codeText: String
        switch code {
        case .lapack(let routine, let info): codeText = "LAPACK \(routine) info=\(info)"
        case .dimensionMismatch: codeText = "dimension mismatch"
        case .nonFiniteInput: codeText = "non-finite input"
        }
        return "Stats error (\(codeText)): \(message)"
    }
}

internal import COpenBLAS

/// A thin wrapper over the BLAS and LAPACK routines the engine needs, through OpenBLAS and LAPACKE.
///
/// This is the only file in the package that imports `COpenBLAS`; no BLAS or LAPACK type appears in its API.
/// Each function names the C routines it calls. Matrices are dense, row-major `[Double]` arrays.
///
/// Conventions (STYLE.md §3 rules 6, 7, 12 and §4):
/// - `Int` sizes are converted to the 32-bit BLAS/LAPACK integer with a `precondition` against overflow;
/// - a LAPACK `info < 0` (an illegal argument) is a programmer error and fails a `precondition`;
///   `info > 0` is a numerical failure and throws ``StatsError`` with code `.lapack(routine:info:)`;
/// - bad shapes or non-finite entries in caller data throw (`.dimensionMismatch`, `.nonFiniteInput`) rather than
///   reach LAPACKE, whose own NaN check would otherwise report them as illegal arguments.
public enum LinearAlgebra {
    /// The dot product `Σᵢ xᵢ yᵢ`.
    ///
    /// Calls `cblas_ddot`. The summation order is OpenBLAS's (blocked and vectorized), so the result may differ from
    /// a left-to-right sum in the last bits; it is deterministic for a given OpenBLAS build and CPU.
    ///
    /// - Parameters:
    ///   - x: The first vector.
    ///   - y: The second vector, the same length as `x`.
    /// - Returns: The dot product (0 for empty vectors).
    /// - Precondition: `x.count == y.count`, and the length fits in a 32-bit BLAS integer.
    /// - Complexity: O(n).
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot needs vectors of equal length (\(x.count) vs \(y.count))")
        let count = blasInt(x.count, "vector length")
        if count == 0 { return 0 }
        return unsafe cblas_ddot(count, x, 1, y, 1)
    }

    /// Solves `A x = b` for a symmetric positive-definite `A`, by Cholesky factorization.
    ///
    /// Calls `LAPACKE_dpotrf` (A = UᵀU, reading only the upper triangle of the row-major `A`) and then
    /// `LAPACKE_dpotrs` (two triangular solves). The lower triangle is ignored, so a non-symmetric `A` is treated as
    /// the symmetric matrix with the same upper triangle. The input arrays are not modified.
    ///
    /// Accuracy: backward stable; the forward error is about `κ(A)·ε` (Golub & Van Loan, *Matrix Computations*,
    /// §4.2).
    ///
    /// - Parameters:
    ///   - a: The n×n matrix, row-major (`a[row * n + column]`), `n * n` entries.
    ///   - n: The order of the matrix, `n ≥ 0`.
    ///   - b: The right-hand side, `n` entries.
    /// - Returns: The solution `x`, `n` entries (empty for `n == 0`).
    /// - Throws: ``StatsError`` with code `.dimensionMismatch` when `a.count != n*n` or `b.count != n`;
    ///   `.nonFiniteInput` when `a`'s upper triangle or `b` contains NaN or ±∞; `.lapack(routine: "dpotrf", info: k)`
    ///   when the leading minor of order k is not positive (A is not positive definite).
    /// - Precondition: `n ≥ 0` and `n` fits in a 32-bit LAPACK integer.
    /// - Complexity: O(n³/3) for the factorization plus O(n²) for the solves.
    public static func solveSymmetricPositiveDefinite(
        _ a: [Double], n: Int, _ b: [Double]
    ) throws(StatsError) -> [Double] {
        precondition(n >= 0, "matrix order must be >= 0, got \(n)")
        let (entries, overflow) = n.multipliedReportingOverflow(by: n)
        guard !overflow, a.count == entries, b.count == n else {
            throw StatsError(
                code: .dimensionMismatch,
                message: "solveSymmetricPositiveDefinite: n = \(n) needs \(n)x\(n) = \(n &* n) matrix entries and "
                    + "\(n) right-hand-side entries, got \(a.count) and \(b.count)"
            )
        }
        if n == 0 { return [] }
        for row in 0..<n {
            for column in row..<n where !a[row * n + column].isFinite {
                throw StatsError(
                    code: .nonFiniteInput,
                    message: "solveSymmetricPositiveDefinite: A[\(row)][\(column)] = \(a[row * n + column])"
                )
            }
        }
        if let bad = b.firstIndex(where: { !$0.isFinite }) {
            throw StatsError(code: .nonFiniteInput, message: "solveSymmetricPositiveDefinite: b[\(bad)] = \(b[bad])")
        }

        let order = blasInt(n, "matrix order")
        let upper = CChar(UInt8(ascii: "U"))
        var factor = a
        var solution = b
        let factorInfo = unsafe LAPACKE_dpotrf(LAPACK_ROW_MAJOR, upper, order, &factor, order)
        try check(factorInfo, routine: "dpotrf") { minor in
            "the matrix is not positive definite (leading minor of order \(minor) of \(n) is not positive)"
        }
        // Row-major b is n x 1, so its leading dimension is the column count, 1.
        let solveInfo = unsafe LAPACKE_dpotrs(LAPACK_ROW_MAJOR, upper, order, 1, factor, order, &solution, 1)
        try check(solveInfo, routine: "dpotrs") { _ in "the triangular solve failed" }
        return solution
    }

    // MARK: - Internals

    /// Converts a size to the 32-bit BLAS/LAPACK integer, trapping if it does not fit.
    private static func blasInt(_ value: Int, _ what: String) -> Int32 {
        guard let converted = Int32(exactly: value) else {
            preconditionFailure("\(what) \(value) does not fit in a 32-bit BLAS/LAPACK integer")
        }
        return converted
    }

    /// Turns a LAPACK status into success, a precondition failure (`info < 0`) or a thrown error (`info > 0`).
    private static func check(
        _ info: Int32, routine: String, explain: (Int32) -> String
    ) throws(StatsError) {
        precondition(info >= 0, "LAPACKE_\(routine): argument \(-info) had an illegal value (programmer error)")
        if info > 0 {
            throw StatsError(code: .lapack(routine: routine, info: info), message: "\(routine): \(explain(info))")
        }
    }
}

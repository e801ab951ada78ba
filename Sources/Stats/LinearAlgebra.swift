internal import COpenBLAS

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

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
    /// Makes OpenBLAS compute on the calling thread, for a process that runs its own threads (the CLI); returns
    /// false when the linked BLAS is not OpenBLAS, which is left as it is. Call it before any BLAS call, from one
    /// thread: OpenBLAS's setting is process-wide and not thread-safe.
    ///
    /// One thread keeps the blocked summation order, and so the results' last bits, the same on machines with
    /// different core counts (OpenBLAS otherwise starts a thread per core). The engine's matrices are small (the
    /// joint model's few hundred parameters), so BLAS threads do not pay for themselves; and OpenBLAS's idle
    /// workers, once woken by a call, busy-wait for about 0.1 s, taking a core from the engine's kernels. A library
    /// embedding the engine may leave its BLAS as it is: results agree to the documented tolerances either way.
    @discardableResult
    public static func computeOnCallingThread() -> Bool {
        faultline_openblas_use_calling_thread() != 0
    }

    /// Lets OpenBLAS's idle worker threads run only on an otherwise idle core (Linux's `SCHED_IDLE`), for a program's
    /// `main` before it starts any thread and before ``computeOnCallingThread()``: returns false, changing nothing,
    /// unless the process's other threads are exactly OpenBLAS's workers (one fewer than its thread count).
    ///
    /// OpenBLAS starts its workers when it loads, before `main`, and they busy-wait for about 0.1 s even when no BLAS
    /// call comes. On two cores they took a third of the time of the analysis's first stage (reading a 10M-row Arrow
    /// file: 0.18 s against 0.13 s with the workers idle). Ending them instead (OpenBLAS's fork handler) once hung a
    /// process; a scheduling class changes nothing but when they run.
    ///
    /// Calls `opendir`, `readdir`, `closedir` and `sched_setscheduler`.
    @discardableResult
    public static func idleBLASWorkers() -> Bool {
        guard let threads = blasThreads, threads > 1 else { return false }
        return idleOtherThreads(expected: threads - 1)
    }

    /// Puts the process's other threads under `SCHED_IDLE` when there are exactly `expected` of them (Linux).
    static func idleOtherThreads(expected: Int) -> Bool {
        faultline_idle_other_threads(Int32(clamping: expected)) != 0
    }

    /// The threads OpenBLAS computes on; nil when the linked BLAS is not OpenBLAS.
    static var blasThreads: Int? {
        let threads = faultline_openblas_threads()
        return threads < 0 ? nil : Int(threads)
    }

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

        let factor = try CholeskyFactor(unchecked: a, n: n)
        return try factor.solveUnchecked(b, rightHandSides: 1)
    }

    // MARK: - BLAS level 2 and 3

    /// The Gram matrix `AᵀA` of a row-major m×n matrix `A`, as a full symmetric n×n matrix.
    ///
    /// Calls `cblas_dsyrk` (`C = 1·AᵀA + 0·C`, upper triangle), then copies the upper triangle into the lower one.
    /// `dsyrk` does half the work of a general product and its result is exactly symmetric. Summation order is
    /// OpenBLAS's (blocked); each entry is within about `m·ε·Σ|aₖᵢ aₖⱼ|` of the exact value (Higham, *Accuracy and
    /// Stability of Numerical Algorithms*, §3.5), and deterministic for a given OpenBLAS build and CPU.
    ///
    /// - Parameters:
    ///   - a: The m×n matrix, row-major (`a[row * columns + column]`), `rows * columns` entries.
    ///   - rows: m ≥ 0.
    ///   - columns: n ≥ 0.
    /// - Returns: `AᵀA`, n×n row-major (all zeros when `rows == 0`; empty when `columns == 0`).
    /// - Throws: ``StatsError`` `.dimensionMismatch` when `a.count != rows * columns`.
    /// - Precondition: `rows, columns ≥ 0`, each fitting in a 32-bit BLAS integer.
    /// - Complexity: O(m·n²): m·n·(n+1)/2 multiply-adds.
    public static func gramMatrix(_ a: [Double], rows: Int, columns: Int) throws(StatsError) -> [Double] {
        precondition(rows >= 0 && columns >= 0, "gramMatrix: negative shape \(rows)x\(columns)")
        try requireCount(a.count, rows, columns, "gramMatrix: A")
        if columns == 0 { return [] }
        var gram = [Double](repeating: 0, count: columns * columns)
        if rows == 0 { return gram }
        let n = blasInt(columns, "column count")
        let k = blasInt(rows, "row count")
        unsafe cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, n, k, 1, a, n, 0, &gram, n)
        mirrorUpperTriangle(&gram, n: columns)
        return gram
    }

    /// The matrix product `op(A)·op(B)`, where `op(X)` is `X` or `Xᵀ`.
    ///
    /// Calls `cblas_dgemm` (`C = 1·op(A)·op(B) + 0·C`). Summation order is OpenBLAS's (blocked); each entry is within
    /// about `k·ε·Σ|aᵢₗ bₗⱼ|` of the exact value (Higham §3.5).
    ///
    /// - Parameters:
    ///   - a: `A`, row-major: m×k when `transposeA` is false, else k×m.
    ///   - b: `B`, row-major: k×n when `transposeB` is false, else n×k.
    ///   - m: The rows of `op(A)` and of the result.
    ///   - n: The columns of `op(B)` and of the result.
    ///   - k: The inner dimension.
    ///   - transposeA: Whether `op(A) = Aᵀ`.
    ///   - transposeB: Whether `op(B) = Bᵀ`.
    /// - Returns: The m×n product, row-major (zeros when `k == 0`).
    /// - Throws: ``StatsError`` `.dimensionMismatch` when `a.count != m·k` or `b.count != k·n`.
    /// - Precondition: `m, n, k ≥ 0`, each fitting in a 32-bit BLAS integer.
    /// - Complexity: O(m·n·k).
    public static func matrixProduct(
        _ a: [Double], _ b: [Double], m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false
    ) throws(StatsError) -> [Double] {
        precondition(m >= 0 && n >= 0 && k >= 0, "matrixProduct: negative shape m=\(m) n=\(n) k=\(k)")
        try requireCount(a.count, m, k, "matrixProduct: A")
        try requireCount(b.count, k, n, "matrixProduct: B")
        var product = [Double](repeating: 0, count: m * n)
        if m == 0 || n == 0 || k == 0 { return product }
        let rowsA = blasInt(m, "m")
        let columnsB = blasInt(n, "n")
        let inner = blasInt(k, "k")
        let leadingA = transposeA ? rowsA : inner
        let leadingB = transposeB ? inner : columnsB
        unsafe cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            rowsA, columnsB, inner, 1, a, leadingA, b, leadingB, 0, &product, columnsB)
        return product
    }

    /// The matrix-vector product `A·x`, or `Aᵀ·x` when `transpose` is true.
    ///
    /// Calls `cblas_dgemv` (`y = 1·op(A)·x + 0·y`). Each entry is within about `n·ε·Σ|aᵢⱼ xⱼ|` of the exact value.
    ///
    /// - Parameters:
    ///   - a: The row-major matrix, `rows * columns` entries.
    ///   - rows: The rows of `A`.
    ///   - columns: The columns of `A`.
    ///   - x: `columns` entries (or `rows` entries when `transpose`).
    ///   - transpose: Whether to multiply by `Aᵀ`.
    /// - Returns: `rows` entries (or `columns` when `transpose`); zeros when the inner dimension is 0.
    /// - Throws: ``StatsError`` `.dimensionMismatch` when a size does not match.
    /// - Precondition: `rows, columns ≥ 0`, each fitting in a 32-bit BLAS integer.
    /// - Complexity: O(rows·columns).
    public static func matrixVectorProduct(
        _ a: [Double], rows: Int, columns: Int, _ x: [Double], transpose: Bool = false
    ) throws(StatsError) -> [Double] {
        precondition(rows >= 0 && columns >= 0, "matrixVectorProduct: negative shape \(rows)x\(columns)")
        try requireCount(a.count, rows, columns, "matrixVectorProduct: A")
        let inputLength = transpose ? rows : columns
        let outputLength = transpose ? columns : rows
        guard x.count == inputLength else {
            throw StatsError(
                code: .dimensionMismatch,
                message: "matrixVectorProduct: x has \(x.count) entries, op(A) needs \(inputLength)")
        }
        var y = [Double](repeating: 0, count: outputLength)
        if rows == 0 || columns == 0 { return y }
        let m = blasInt(rows, "row count")
        let n = blasInt(columns, "column count")
        unsafe cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, m, n, 1, a, n, x, 1, 0, &y, 1)
        return y
    }

    // MARK: - LAPACK: symmetric systems

    /// The Cholesky factorization `A = UᵀU` of a symmetric positive-definite matrix (`LAPACKE_dpotrf`, upper).
    ///
    /// Keep it to solve several systems with one matrix (``solve(_:rightHandSides:)``, `LAPACKE_dpotrs`) or to form
    /// the inverse (``inverse()``, `LAPACKE_dpotri`). Only the upper triangle of the input is read.
    ///
    /// Accuracy: backward stable; a solve's forward error is about `κ(A)·ε` (Golub & Van Loan, §4.2).
    public struct CholeskyFactor: Sendable {
        /// The order n of the factored matrix.
        public let order: Int
        /// `U` in the upper triangle, row-major; the strict lower triangle is the input's and is never read.
        private let factor: [Double]

        /// Factors `a`.
        ///
        /// Calls `LAPACKE_dpotrf`.
        ///
        /// - Parameters:
        ///   - a: The n×n matrix, row-major; only its upper triangle is read.
        ///   - n: The order, `n ≥ 0`.
        /// - Throws: ``StatsError`` `.dimensionMismatch` when `a.count != n*n`; `.nonFiniteInput` when the upper
        ///   triangle holds NaN or ±∞; `.lapack(routine: "dpotrf", info: k)` when the leading minor of order k is not
        ///   positive (the matrix is not positive definite).
        /// - Precondition: `n ≥ 0`, fitting in a 32-bit LAPACK integer.
        /// - Complexity: O(n³/3).
        public init(_ a: [Double], n: Int) throws(StatsError) {
            precondition(n >= 0, "matrix order must be >= 0, got \(n)")
            try LinearAlgebra.requireCount(a.count, n, n, "CholeskyFactor: A")
            try LinearAlgebra.requireFiniteUpperTriangle(a, n: n, "CholeskyFactor")
            try self.init(unchecked: a, n: n)
        }

        /// Factors `a`, whose shape and finiteness the caller has checked.
        init(unchecked a: [Double], n: Int) throws(StatsError) {
            order = n
            var factored = a
            if n > 0 {
                let order32 = LinearAlgebra.blasInt(n, "matrix order")
                let info = unsafe LAPACKE_dpotrf(LAPACK_ROW_MAJOR, LinearAlgebra.upper, order32, &factored, order32)
                try LinearAlgebra.check(info, routine: "dpotrf") { minor in
                    "the matrix is not positive definite (leading minor of order \(minor) of \(n) is not positive)"
                }
            }
            factor = factored
        }

        /// Solves `A X = B` for `rightHandSides` columns at once.
        ///
        /// Calls `LAPACKE_dpotrs` (two triangular solves per column).
        ///
        /// - Parameters:
        ///   - b: `B`, n×r row-major (for one right-hand side, simply the n-vector).
        ///   - rightHandSides: r ≥ 1.
        /// - Returns: `X`, n×r row-major.
        /// - Throws: ``StatsError`` `.dimensionMismatch` when `b.count != n·r`; `.nonFiniteInput` for NaN or ±∞ in `b`.
        /// - Complexity: O(n²·r).
        public func solve(_ b: [Double], rightHandSides: Int = 1) throws(StatsError) -> [Double] {
            precondition(rightHandSides >= 1, "rightHandSides must be >= 1, got \(rightHandSides)")
            try LinearAlgebra.requireCount(b.count, order, rightHandSides, "CholeskyFactor.solve: B")
            if let bad = b.firstIndex(where: { !$0.isFinite }) {
                throw StatsError(code: .nonFiniteInput, message: "CholeskyFactor.solve: B[\(bad)] = \(b[bad])")
            }
            return try solveUnchecked(b, rightHandSides: rightHandSides)
        }

        /// ``solve(_:rightHandSides:)`` without the input checks.
        func solveUnchecked(_ b: [Double], rightHandSides: Int) throws(StatsError) -> [Double] {
            if order == 0 { return [] }
            var solution = b
            let order32 = LinearAlgebra.blasInt(order, "matrix order")
            let columns = LinearAlgebra.blasInt(rightHandSides, "right-hand sides")
            // Row-major B is n x r, so its leading dimension is r.
            let info = unsafe LAPACKE_dpotrs(
                LAPACK_ROW_MAJOR, LinearAlgebra.upper, order32, columns, factor, order32, &solution, columns)
            try LinearAlgebra.check(info, routine: "dpotrs") { _ in "the triangular solve failed" }
            return solution
        }

        /// The inverse `A⁻¹`, as a full symmetric n×n matrix.
        ///
        /// Calls `LAPACKE_dpotri` (`A⁻¹ = U⁻¹U⁻ᵀ`, upper triangle), then mirrors the upper triangle. Forward error
        /// about `κ(A)·ε` relative to `‖A⁻¹‖` (Higham §14.3).
        ///
        /// - Returns: `A⁻¹`, row-major.
        /// - Throws: ``StatsError`` `.lapack(routine: "dpotri", info: i)` when `Uᵢᵢ` is exactly 0 (cannot happen after
        ///   a successful `dpotrf`, but `info` is checked).
        /// - Complexity: O(2n³/3).
        public func inverse() throws(StatsError) -> [Double] {
            if order == 0 { return [] }
            var inverse = factor
            let order32 = LinearAlgebra.blasInt(order, "matrix order")
            let info = unsafe LAPACKE_dpotri(LAPACK_ROW_MAJOR, LinearAlgebra.upper, order32, &inverse, order32)
            try LinearAlgebra.check(info, routine: "dpotri") { index in "U[\(index)][\(index)] is zero" }
            LinearAlgebra.mirrorUpperTriangle(&inverse, n: order)
            return inverse
        }

        /// `log det A = 2 Σᵢ log Uᵢᵢ`.
        public var logDeterminant: Double {
            var sum = 0.0
            for index in 0..<order { sum += log(factor[index * order + index]) }
            return 2 * sum
        }
    }

    /// Solves `A X = B` for a symmetric, possibly indefinite, non-singular `A`, by Bunch–Kaufman diagonal pivoting.
    ///
    /// Calls `LAPACKE_dsysv` (`A = U D Uᵀ` with 1×1 and 2×2 pivot blocks, upper triangle, then the solve). This is
    /// the fallback when a matrix that should be positive definite is not (numerically), e.g. a penalised Hessian
    /// with an unpenalised, nearly collinear direction. Only the upper triangle of `a` is read; inputs are not
    /// modified.
    ///
    /// Accuracy: normwise backward stable in practice; forward error about `κ(A)·ε` (Higham §11.1). `dsysv` detects
    /// only an *exactly* zero pivot; a nearly singular matrix gives a solution with large entries rather than an
    /// error, so callers should check the result for finiteness.
    ///
    /// - Parameters:
    ///   - a: The n×n matrix, row-major.
    ///   - n: The order, `n ≥ 0`.
    ///   - b: `B`, n×r row-major.
    ///   - rightHandSides: r ≥ 1.
    /// - Returns: `X`, n×r row-major.
    /// - Throws: ``StatsError`` `.dimensionMismatch` for bad sizes, `.nonFiniteInput` for NaN or ±∞ in the upper
    ///   triangle of `a` or in `b`, `.lapack(routine: "dsysv", info: i)` when `D[i][i]` is exactly zero (singular).
    /// - Precondition: `n ≥ 0`, `rightHandSides ≥ 1`, both fitting in a 32-bit LAPACK integer.
    /// - Complexity: O(n³/3 + n²·r).
    public static func solveSymmetricIndefinite(
        _ a: [Double], n: Int, _ b: [Double], rightHandSides: Int = 1
    ) throws(StatsError) -> [Double] {
        precondition(n >= 0, "matrix order must be >= 0, got \(n)")
        precondition(rightHandSides >= 1, "rightHandSides must be >= 1, got \(rightHandSides)")
        try requireCount(a.count, n, n, "solveSymmetricIndefinite: A")
        try requireCount(b.count, n, rightHandSides, "solveSymmetricIndefinite: B")
        try requireFiniteUpperTriangle(a, n: n, "solveSymmetricIndefinite")
        if let bad = b.firstIndex(where: { !$0.isFinite }) {
            throw StatsError(code: .nonFiniteInput, message: "solveSymmetricIndefinite: B[\(bad)] = \(b[bad])")
        }
        if n == 0 { return [] }
        var factor = a
        var solution = b
        var pivots = [Int32](repeating: 0, count: n)
        let order = blasInt(n, "matrix order")
        let columns = blasInt(rightHandSides, "right-hand sides")
        let info = unsafe LAPACKE_dsysv(
            LAPACK_ROW_MAJOR, upper, order, columns, &factor, order, &pivots, &solution, columns)
        try check(info, routine: "dsysv") { index in
            "the matrix is singular (D[\(index)][\(index)] is exactly zero)"
        }
        return solution
    }

    /// The inverse of a symmetric, possibly indefinite, non-singular matrix, as a full symmetric matrix.
    ///
    /// Calls `LAPACKE_dsysv` with the identity as right-hand side (see
    /// ``solveSymmetricIndefinite(_:n:_:rightHandSides:)``), then symmetrizes `(X + Xᵀ)/2` to remove rounding
    /// asymmetry.
    ///
    /// - Parameters:
    ///   - a: The n×n matrix, row-major; only the upper triangle is read.
    ///   - n: The order.
    /// - Returns: `A⁻¹`, row-major.
    /// - Throws: As ``solveSymmetricIndefinite(_:n:_:rightHandSides:)``.
    /// - Complexity: O(n³).
    public static func inverseSymmetricIndefinite(_ a: [Double], n: Int) throws(StatsError) -> [Double] {
        var identity = [Double](repeating: 0, count: n * n)
        for index in 0..<n { identity[index * n + index] = 1 }
        var inverse = try solveSymmetricIndefinite(a, n: n, identity, rightHandSides: max(n, 1))
        for row in 0..<n {
            for column in (row + 1)..<max(row + 1, n) {
                let mean = 0.5 * (inverse[row * n + column] + inverse[column * n + row])
                inverse[row * n + column] = mean
                inverse[column * n + row] = mean
            }
        }
        return inverse
    }

    // MARK: - Internals

    /// Converts a size to the 32-bit BLAS/LAPACK integer, trapping if it does not fit.
    fileprivate static func blasInt(_ value: Int, _ what: String) -> Int32 {
        guard let converted = Int32(exactly: value) else {
            preconditionFailure("\(what) \(value) does not fit in a 32-bit BLAS/LAPACK integer")
        }
        return converted
    }

    /// `"U"`: LAPACK's upper-triangle flag.
    fileprivate static let upper = CChar(UInt8(ascii: "U"))

    /// Throws `.dimensionMismatch` unless `count == rows * columns` (without overflow).
    fileprivate static func requireCount(_ count: Int, _ rows: Int, _ columns: Int, _ what: String) throws(StatsError) {
        let (entries, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, count == entries else {
            throw StatsError(
                code: .dimensionMismatch,
                message: "\(what) needs \(rows)x\(columns) entries, got \(count)")
        }
    }

    /// Throws `.nonFiniteInput` at the first NaN or ±∞ in the upper triangle of the n×n row-major `a`.
    fileprivate static func requireFiniteUpperTriangle(_ a: [Double], n: Int, _ what: String) throws(StatsError) {
        for row in 0..<n {
            for column in row..<n where !a[row * n + column].isFinite {
                throw StatsError(code: .nonFiniteInput, message: "\(what): A[\(row)][\(column)] = \(a[row * n + column])")
            }
        }
    }

    /// Copies the upper triangle of the n×n row-major `a` into its lower triangle.
    fileprivate static func mirrorUpperTriangle(_ a: inout [Double], n: Int) {
        for row in 0..<n {
            for column in 0..<row { a[row * n + column] = a[column * n + row] }
        }
    }

    /// Turns a LAPACK status into success, a precondition failure (`info < 0`) or a thrown error (`info > 0`).
    fileprivate static func check(
        _ info: Int32, routine: String, explain: (Int32) -> String
    ) throws(StatsError) {
        precondition(info >= 0, "LAPACKE_\(routine): argument \(-info) had an illegal value (programmer error)")
        if info > 0 {
            throw StatsError(code: .lapack(routine: routine, info: info), message: "\(routine): \(explain(info))")
        }
    }
}

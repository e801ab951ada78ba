import Foundation
import Stats
import Testing
import _TestSupport

/// The BLAS level-2/3 and LAPACK symmetric wrappers (dsyrk, dgemm, dgemv, dpotrf/dpotrs/dpotri, dsysv) against
/// naive loops and hand-computed systems.
struct LinearAlgebraFactorizationTests {
    static func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<(rows * columns)).map { _ in random.unit() * 2 - 1 }
    }

    static func naiveProduct(
        _ a: [Double], _ b: [Double], m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool
    ) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for l in 0..<k {
                    let left = transposeA ? a[l * m + i] : a[i * k + l]
                    let right = transposeB ? b[j * k + l] : b[l * n + j]
                    sum += left * right
                }
                c[i * n + j] = sum
            }
        }
        return c
    }

    /// AᵀA from dsyrk equals the naive product to 1e-13 relative (1e-14 absolute) and is exactly symmetric.
    @Test(arguments: [(0, 3), (1, 1), (5, 3), (64, 17), (300, 40)])
    func gramMatrixMatchesNaive(_ shape: (Int, Int)) throws {
        let (rows, columns) = shape
        let a = Self.randomMatrix(rows, columns, seed: UInt64(rows * 100 + columns))
        let gram = try LinearAlgebra.gramMatrix(a, rows: rows, columns: columns)
        let expected = Self.naiveProduct(a, a, m: columns, n: columns, k: rows, transposeA: true, transposeB: false)
        #expect(gram.count == columns * columns)
        for index in gram.indices {
            #expect(isClose(gram[index], expected[index], relative: 1e-13, absolute: 1e-14))
        }
        for row in 0..<columns {
            for column in 0..<columns { #expect(gram[row * columns + column] == gram[column * columns + row]) }
        }
    }

    /// dgemm with every transpose combination equals the naive product (1e-13 relative, 1e-14 absolute).
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matrixProductMatchesNaive(_ transposes: (Bool, Bool)) throws {
        let (m, n, k) = (7, 5, 9)
        let a = Self.randomMatrix(m, k, seed: 1)
        let b = Self.randomMatrix(k, n, seed: 2)
        let product = try LinearAlgebra.matrixProduct(
            a, b, m: m, n: n, k: k, transposeA: transposes.0, transposeB: transposes.1)
        let expected = Self.naiveProduct(
            a, b, m: m, n: n, k: k, transposeA: transposes.0, transposeB: transposes.1)
        for index in product.indices {
            #expect(isClose(product[index], expected[index], relative: 1e-13, absolute: 1e-14))
        }
    }

    @Test func matrixVectorProduct() throws {
        let a: [Double] = [1, 2, 3, 4, 5, 6]  // 2 x 3
        #expect(try LinearAlgebra.matrixVectorProduct(a, rows: 2, columns: 3, [1, 0, -1]) == [-2, -2])
        #expect(try LinearAlgebra.matrixVectorProduct(a, rows: 2, columns: 3, [1, 1], transpose: true) == [5, 7, 9])
        #expect(try LinearAlgebra.matrixVectorProduct([], rows: 0, columns: 3, [], transpose: true) == [0, 0, 0])
        #expect(throws: StatsError.self) {
            try LinearAlgebra.matrixVectorProduct(a, rows: 2, columns: 3, [1, 1])
        }
    }

    /// A = [[4, 2, -2], [2, 10, 4], [-2, 4, 9]]: the inverse from dpotri times A is the identity (1e-14 absolute);
    /// log det A = log 188 (L = [[2, 0, 0], [1, 3, 0], [-1, 5/3, √(47/9)]], det = (2·3)²·47/9).
    @Test func choleskyInverseAndDeterminant() throws {
        let a: [Double] = [4, 2, -2, 2, 10, 4, -2, 4, 9]
        let factor = try LinearAlgebra.CholeskyFactor(a, n: 3)
        let inverse = try factor.inverse()
        let identity = try LinearAlgebra.matrixProduct(a, inverse, m: 3, n: 3, k: 3)
        for row in 0..<3 {
            for column in 0..<3 {
                #expect(isClose(identity[row * 3 + column], row == column ? 1 : 0, relative: 0, absolute: 1e-14))
                #expect(inverse[row * 3 + column] == inverse[column * 3 + row])
            }
        }
        #expect(isClose(factor.logDeterminant, log(188.0), relative: 1e-14))
        // Two right-hand sides at once: columns of B = A·[[1, 0], [-1, 1], [2, 3]].
        let x: [Double] = [1, 0, -1, 1, 2, 3]
        let b = try LinearAlgebra.matrixProduct(a, x, m: 3, n: 2, k: 3)
        let solved = try factor.solve(b, rightHandSides: 2)
        for index in x.indices { #expect(isClose(solved[index], x[index], relative: 1e-13, absolute: 1e-14)) }
    }

    @Test func choleskyRejectsIndefiniteAndBadInput() {
        #expect {
            try LinearAlgebra.CholeskyFactor([1, 2, 2, 1], n: 2)
        } throws: { error in
            (error as? StatsError)?.code == .lapack(routine: "dpotrf", info: 2)
        }
        #expect(throws: StatsError.self) { try LinearAlgebra.CholeskyFactor([1, 0, 0], n: 2) }
        #expect(throws: StatsError.self) { try LinearAlgebra.CholeskyFactor([1, .nan, 0, 1], n: 2) }
        #expect(throws: StatsError.self) { try LinearAlgebra.CholeskyFactor([2, 0, 0, 2], n: 2).solve([1, .infinity]) }
    }

    /// dsysv solves an indefinite system that Cholesky rejects: [[1, 2], [2, 1]] x = [3, 3] has x = [1, 1]; and its
    /// inverse is [[-1, 2], [2, -1]]/3.
    @Test func indefiniteSolveAndInverse() throws {
        let a: [Double] = [1, 2, 2, 1]
        let x = try LinearAlgebra.solveSymmetricIndefinite(a, n: 2, [3, 3])
        #expect(isClose(x[0], 1, relative: 1e-15) && isClose(x[1], 1, relative: 1e-15))
        let inverse = try LinearAlgebra.inverseSymmetricIndefinite(a, n: 2)
        for (value, expected) in zip(inverse, [-1.0 / 3, 2.0 / 3, 2.0 / 3, -1.0 / 3]) {
            #expect(isClose(value, expected, relative: 1e-15))
        }
        // A random symmetric indefinite 12×12 system round-trips to 1e-10 relative.
        let n = 12
        let m = Self.randomMatrix(n, n, seed: 99)
        var symmetric = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            for column in 0..<n { symmetric[row * n + column] = m[row * n + column] + m[column * n + row] }
        }
        let truth = (0..<n).map { Double($0) - 5.5 }
        let rhs = try LinearAlgebra.matrixVectorProduct(symmetric, rows: n, columns: n, truth)
        let solved = try LinearAlgebra.solveSymmetricIndefinite(symmetric, n: n, rhs)
        for index in 0..<n { #expect(isClose(solved[index], truth[index], relative: 1e-10, absolute: 1e-10)) }
    }

    @Test func indefiniteSolveReportsSingularity() {
        #expect {
            try LinearAlgebra.solveSymmetricIndefinite([0, 0, 0, 0], n: 2, [1, 1])
        } throws: { error in
            guard case .lapack(let routine, let info) = (error as? StatsError)?.code else { return false }
            return routine == "dsysv" && info > 0
        }
        #expect(throws: StatsError.self) { try LinearAlgebra.solveSymmetricIndefinite([1, 2, 2], n: 2, [1, 1]) }
        #expect(throws: StatsError.self) { try LinearAlgebra.solveSymmetricIndefinite([1, 2, 2, 1], n: 2, [.nan, 1]) }
    }
}

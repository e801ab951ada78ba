import Stats
import Testing
import _TestSupport

/// The BLAS/LAPACK wrapper: hand-computed systems, error codes, and a random SPD round trip.
struct LinearAlgebraTests {
    @Test func dotProduct() {
        #expect(LinearAlgebra.dot([1, 2, 3], [4, 5, 6]) == 32)
        #expect(LinearAlgebra.dot([], []) == 0)
        #expect(LinearAlgebra.dot([0.5], [-4]) == -2)
    }

    /// [[4, 1], [1, 3]] x = [1, 2] has x = [1/11, 7/11] (Cramer's rule); 1e-14 relative.
    @Test func solvesTwoByTwo() throws {
        let x = try LinearAlgebra.solveSymmetricPositiveDefinite([4, 1, 1, 3], n: 2, [1, 2])
        #expect(x.count == 2)
        #expect(isClose(x[0], 1.0 / 11, relative: 1e-14))
        #expect(isClose(x[1], 7.0 / 11, relative: 1e-14))
    }

    /// A = [[4, 2, -2], [2, 10, 4], [-2, 4, 9]] = LLᵀ with L = [[2, 0, 0], [1, 3, 0], [-1, 5/3, √(52/9)]];
    /// with b = A·[1, -1, 2] the solution is [1, -1, 2]; 1e-13 relative.
    @Test func solvesThreeByThree() throws {
        let a: [Double] = [4, 2, -2, 2, 10, 4, -2, 4, 9]
        let b: [Double] = [4 - 2 - 4, 2 - 10 + 8, -2 - 4 + 18]
        let x = try LinearAlgebra.solveSymmetricPositiveDefinite(a, n: 3, b)
        for (value, expected) in zip(x, [1.0, -1, 2]) {
            #expect(isClose(value, expected, relative: 1e-13), "\(x)")
        }
    }

    @Test func inputsAreNotModifiedAndEmptySystemSolves() throws {
        let a: [Double] = [2, 0, 0, 2]
        let b: [Double] = [1, 1]
        _ = try LinearAlgebra.solveSymmetricPositiveDefinite(a, n: 2, b)
        #expect(a == [2, 0, 0, 2] && b == [1, 1])
        #expect(try LinearAlgebra.solveSymmetricPositiveDefinite([], n: 0, []) == [])
    }

    /// [[1, 2], [2, 1]] has eigenvalues 3 and -1: dpotrf fails at the second leading minor.
    @Test func indefiniteMatrixThrows() {
        #expect {
            try LinearAlgebra.solveSymmetricPositiveDefinite([1, 2, 2, 1], n: 2, [1, 1])
        } throws: { error in
            (error as? StatsError)?.code == .lapack(routine: "dpotrf", info: 2)
        }
        // Singular (positive semi-definite) and negative definite matrices fail too.
        #expect(throws: StatsError.self) {
            try LinearAlgebra.solveSymmetricPositiveDefinite([1, 1, 1, 1], n: 2, [1, 1])
        }
        #expect(throws: StatsError.self) {
            try LinearAlgebra.solveSymmetricPositiveDefinite([-1], n: 1, [1])
        }
    }

    @Test func wrongShapesThrow() {
        for (a, n, b) in [([1.0, 0, 0], 2, [1.0, 1]), ([1.0, 0, 0, 1], 2, [1.0]), ([1.0], 0, [1.0])] {
            #expect {
                try LinearAlgebra.solveSymmetricPositiveDefinite(a, n: n, b)
            } throws: { error in
                (error as? StatsError)?.code == .dimensionMismatch
            }
        }
    }

    @Test func nonFiniteInputThrows() {
        let cases: [([Double], [Double])] = [
            ([1, .nan, .nan, 1], [1, 1]), ([.infinity, 0, 0, 1], [1, 1]),
            ([2, 0, 0, 2], [.nan, 1]),
        ]
        for (a, b) in cases {
            #expect {
                try LinearAlgebra.solveSymmetricPositiveDefinite(a, n: 2, b)
            } throws: { error in
                (error as? StatsError)?.code == .nonFiniteInput
            }
        }
    }

    /// A = MᵀM + n·I for a seeded random M is SPD; A·solve(A, b) reproduces b to 1e-10 relative (κ(A) is small).
    @Test(arguments: [1, 2, 5, 16, 40])
    func randomSystemsRoundTrip(_ n: Int) throws {
        var random = SeededRandom(seed: UInt64(n))
        let m = (0..<(n * n)).map { _ in random.unit() - 0.5 }
        var a = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            for column in 0..<n {
                let mColumnRow = (0..<n).map { m[$0 * n + row] }
                let mColumnCol = (0..<n).map { m[$0 * n + column] }
                a[row * n + column] = LinearAlgebra.dot(mColumnRow, mColumnCol) + (row == column ? Double(n) : 0)
            }
        }
        let b = (0..<n).map { _ in random.unit() * 10 - 5 }
        let x = try LinearAlgebra.solveSymmetricPositiveDefinite(a, n: n, b)
        for row in 0..<n {
            let reproduced = LinearAlgebra.dot(Array(a[(row * n)..<((row + 1) * n)]), x)
            #expect(isClose(reproduced, b[row], relative: 1e-10, absolute: 1e-12), "row \(row)")
        }
    }

    @Test func errorDescriptionNamesTheRoutine() {
        let error = StatsError(code: .lapack(routine: "dpotrf", info: 2), message: "dpotrf: not positive definite")
        #expect(error.description.contains("dpotrf info=2"))
        #expect(error.description.contains("not positive definite"))
    }
}

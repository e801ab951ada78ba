import Testing

@testable import Stats

/// The CLI's BLAS set-up (``LinearAlgebra/computeOnCallingThread()``): OpenBLAS on one thread, and BLAS calls big
/// enough to be split between threads still right afterwards (its worker threads are gone, none is restarted).
struct BLASThreadsTests {
    @Test func openBLASComputesOnTheCallingThread() throws {
        #expect(LinearAlgebra.computeOnCallingThread(), "the linked BLAS is not OpenBLAS")
        #expect(LinearAlgebra.blasThreads == 1)
        // AᵀA of a 600×300 matrix of small integers: exact in doubles, checked entry by entry.
        let rows = 600
        let columns = 300
        let a = (0..<rows * columns).map { Double(($0 * 7 + $0 / columns) % 5) - 2 }
        let gram = try LinearAlgebra.gramMatrix(a, rows: rows, columns: columns)
        for (i, j) in [(0, 0), (0, 299), (17, 42), (299, 299), (150, 3)] {
            let expected = (0..<rows).reduce(0.0) { $0 + a[$1 * columns + i] * a[$1 * columns + j] }
            #expect(gram[i * columns + j] == expected, "(\(i), \(j))")
            #expect(gram[j * columns + i] == expected, "(\(j), \(i))")
        }
        #expect(LinearAlgebra.blasThreads == 1)
        // A second call changes nothing.
        #expect(LinearAlgebra.computeOnCallingThread())
        #expect(LinearAlgebra.blasThreads == 1)
    }
}

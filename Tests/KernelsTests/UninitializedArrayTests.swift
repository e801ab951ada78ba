import ColumnStore
import Dispatch
import Testing

@testable import Kernels

/// `Array(writingCapacity:)`: the kernels' uninitialised output, which for no rows must not write the runtime's
/// shared empty storage (a race under ThreadSanitizer when two threads do it at once).
struct UninitializedArrayTests {
    @Test func noCapacityRunsTheBodyOnAnEmptyBuffer() {
        var calls = 0
        let empty = unsafe [Int](writingCapacity: 0) { buffer, initialized in
            calls += 1
            let isEmpty = buffer.isEmpty
            #expect(isEmpty)
            #expect(initialized == 0)
        }
        #expect(empty.isEmpty)
        #expect(calls == 1)
    }

    @Test func aCapacityIsWrittenUpToWhatTheBodyInitialises() {
        let squares = unsafe [Int](writingCapacity: 10) { buffer, initialized in
            for index in 0..<7 { unsafe buffer[index] = index * index }
            initialized = 7
        }
        #expect(squares == (0..<7).map { $0 * $0 })
    }

    /// A kernel's side results are still computed for no rows: the counts per code of an empty column are zeros.
    @Test func emptyKernelsKeepTheirSideResults() {
        let (codes, counts) = CategoryCodes.remapCounting(
            codes: ColumnBuffer([UInt32]()), validity: nil, table: [UInt8]([0, 1, 2]), missingCode: 3)
        #expect(codes.isEmpty)
        #expect(counts == [0, 0, 0, 0])
    }

    /// Empty outputs made on many threads at once: each is empty and independent (run under TSan, this checks that
    /// none writes shared storage).
    @Test func emptyOutputsOnManyThreads() {
        let column = ColumnBuffer([Double]())
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let codes = Binning.assign(values: column, validity: nil, edges: [1, 2], missingCode: UInt8(3))
            let flags = Misclassification.flags(labelIds: [Int8](), predictionIds: [], positive: 1, threads: 2)
            var grown = codes
            grown.append(1)
            #expect(codes.isEmpty && grown == [1])
            #expect(flags?.failure.isEmpty == true && flags?.confusion?.isEmpty == true)
        }
    }
}

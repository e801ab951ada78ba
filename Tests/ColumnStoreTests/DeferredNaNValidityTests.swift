import ColumnStore
import Dispatch
import Synchronization
import Testing
import _TestSupport

/// A float column built with ``Column/init(name:float64:nulls:)`` finds its NaN rows on the first use of its
/// validity: it must read as the column whose validity marks them from the start, whatever is asked first.
struct DeferredNaNValidityTests {
    /// The column with NaN rows marked up front: what the deferred column must equal.
    static func eager(_ values: [Double], nulls: ValidityBitmap?) -> Column {
        let flags = values.indices.map { (nulls?.isValid($0) ?? true) && !values[$0].isNaN }
        // A given bitmap is kept even when every row is valid; none is made when no row is missing.
        let validity = nulls == nil && flags.allSatisfy { $0 } ? nil : ValidityBitmap(flags)
        return Column(name: "x", values: .float64(ColumnBuffer(values)), validity: validity)
    }

    /// Lengths around the 8-value and 64-row steps; no NaN, some or all; no null, some or all.
    static func cases() -> [(values: [Double], nulls: ValidityBitmap?)] {
        var random = SeededRandom(seed: 41)
        var cases: [(values: [Double], nulls: ValidityBitmap?)] = []
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1_000, 4_099] {
            for nanShare in [0.0, 0.02, 0.5, 1.0] {
                for nullShare in [-1.0, 0.0, 0.1, 1.0] {
                    let values = (0..<length).map { _ -> Double in
                        random.unit() < nanShare ? (random.unit() < 0.5 ? .nan : -.nan) : random.unit() * 10 - 5
                    }
                    // -1: no bitmap at all; 0: a bitmap with every row valid.
                    let nulls =
                        nullShare < 0 ? nil : ValidityBitmap((0..<length).map { _ in random.unit() >= nullShare })
                    cases.append((values, nulls))
                }
            }
        }
        return cases
    }

    @Test func readsAsTheColumnWithNaNMarkedUpFront() {
        for (index, (values, nulls)) in Self.cases().enumerated() {
            let deferred = Column(name: "x", float64: ColumnBuffer(values), nulls: nulls)
            let expected = Self.eager(values, nulls: nulls)
            // Row by row first: none of these make the pass.
            for row in values.indices {
                #expect(deferred.isValid(row) == expected.isValid(row), "case \(index), row \(row)")
                #expect(deferred.doubleValue(at: row) == expected.doubleValue(at: row), "case \(index), row \(row)")
                #expect(deferred.textValue(at: row) == expected.textValue(at: row), "case \(index), row \(row)")
            }
            #expect(deferred.validityExceptNaN == nulls, "case \(index)")
            #expect(deferred.isNaNScanPending, "case \(index)")
            #expect(deferred.validity == expected.validity, "case \(index)")
            #expect(!deferred.isNaNScanPending, "case \(index)")
            #expect(deferred.nullCount == expected.nullCount, "case \(index)")
            // Kept: the second reading is the first's bitmap.
            #expect(deferred.validity == expected.validity, "case \(index)")
        }
    }

    @Test func otherColumnsHaveNothingDeferred() {
        let validity = ValidityBitmap([true, false, true])
        let eager = Column(name: "x", values: .float64(ColumnBuffer([1, .nan, .nan])), validity: validity)
        #expect(!eager.isNaNScanPending)
        #expect(eager.validityExceptNaN == validity)
        #expect(eager.validity == validity)
        // Up front, only what the bitmap says is missing: the NaN of row 2 is a value here.
        #expect(eager.isValid(2))
        let integers = Column(name: "n", values: .int64(ColumnBuffer([1, 2])), validity: nil)
        #expect(!integers.isNaNScanPending)
        #expect(integers.validityExceptNaN == nil)
    }

    /// Many threads asking at once: each gets the one bitmap, found once.
    @Test func firstUseFromManyThreadsAtOnce() {
        var random = SeededRandom(seed: 7)
        let values = (0..<100_003).map { _ in random.unit() < 0.01 ? Double.nan : random.unit() }
        let nulls = ValidityBitmap((0..<values.count).map { _ in random.unit() >= 0.05 })
        let expected = Self.eager(values, nulls: nulls).validity
        for _ in 0..<20 {
            let column = Column(name: "x", float64: ColumnBuffer(values), nulls: nulls)
            let disagreements = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                if column.validity != expected { disagreements.add(1, ordering: .relaxed) }
            }
            #expect(disagreements.load(ordering: .relaxed) == 0)
        }
    }
}

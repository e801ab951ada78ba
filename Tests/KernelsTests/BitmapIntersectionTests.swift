import Testing
import _TestSupport

@testable import Kernels

/// The bitmap AND + popcount kernel against its scalar, row-by-row reference.
struct BitmapIntersectionTests {
    /// Lengths around word, vector and block boundaries (a block is 256 words = 16,384 rows).
    static let lengths = [0, 1, 63, 64, 65, 511, 512, 513, 2047, 2048, 2049, 16_383, 16_384, 16_385, 40_000]

    /// Random columns: one all-empty, one full, the rest with densities from sparse to dense.
    static func randomMembers(rows: Int, columns: Int, random: inout SeededRandom) -> [[Int]] {
        (0..<columns).map { column in
            switch column {
            case 0: return []
            case 1: return Array(0..<rows)
            default:
                let density = [0.01, 0.2, 0.5, 0.9, 0.999][column % 5]
                return (0..<rows).filter { _ in random.unit() < density }
            }
        }
    }

    static func randomCandidates(arity: Int, columns: Int, count: Int, random: inout SeededRandom) -> [Int32] {
        (0..<(arity * count)).map { _ in Int32(random.next() % UInt64(columns)) }
    }

    @Test(arguments: lengths)
    func countsMatchTheReferenceForEveryArity(rows: Int) {
        var random = SeededRandom(seed: UInt64(rows) &+ 17)
        let columnCount = 12
        let bitmaps = RowBitmaps.fromMembers(
            Self.randomMembers(rows: rows, columns: columnCount, random: &random), rowCount: rows)
        let values = (0..<rows).map { _ in random.unit() * 3 }
        let marks = Array(Set([0, rows, rows / 2, min(rows, 16_390)])).sorted()
        for arity in 1...5 {
            var candidates = Self.randomCandidates(arity: arity, columns: columnCount, count: 16, random: &random)
            // Always include the empty and the full column alone and together.
            candidates += [Int32](repeating: 0, count: arity) + [Int32](repeating: 1, count: arity)
            for marked in marks {
                for withValues in [false, true] {
                    let reference = BitmapIntersection.evaluateReference(
                        bitmaps, columns: candidates, arity: arity, markedRows: marked,
                        values: withValues ? values : nil)
                    for threads in [1, 3] {
                        let counts = BitmapIntersection.evaluate(
                            bitmaps, columns: candidates, arity: arity, markedRows: marked,
                            values: withValues ? values : nil, threads: threads)
                        #expect(counts == reference, "rows \(rows), arity \(arity), marked \(marked), threads \(threads)")
                    }
                }
            }
        }
    }

    @Test(arguments: lengths)
    func countsBelowALimitAreTheMarkedCounts(rows: Int) {
        var random = SeededRandom(seed: UInt64(rows) &+ 41)
        let bitmaps = RowBitmaps.fromMembers(Self.randomMembers(rows: rows, columns: 9, random: &random), rowCount: rows)
        let limits = Array(Set([0, 1, 63, 64, 65, 511, 512, 513, rows / 3, rows, 16_384, 16_900].filter { $0 <= rows }))
        for arity in 1...4 {
            let candidates = Self.randomCandidates(arity: arity, columns: 9, count: 12, random: &random)
            for limit in limits.sorted() {
                let reference = BitmapIntersection.evaluateReference(
                    bitmaps, columns: candidates, arity: arity, markedRows: limit, values: nil
                ).map(\.markedRows)
                for threads in [1, 2] {
                    let counts = BitmapIntersection.countBelow(
                        bitmaps, columns: candidates, arity: arity, rowLimit: limit, threads: threads)
                    #expect(counts == reference, "rows \(rows), arity \(arity), limit \(limit)")
                }
            }
        }
    }

    @Test func manyCandidatesAreSplitAcrossWorkersWithoutChangingTheResult() {
        var random = SeededRandom(seed: 5)
        let rows = 20_000
        let bitmaps = RowBitmaps.fromMembers(Self.randomMembers(rows: rows, columns: 30, random: &random), rowCount: rows)
        let values = (0..<rows).map { _ in Double(random.next() % 1000) / 7 }
        let candidates = Self.randomCandidates(arity: 2, columns: 30, count: 700, random: &random)
        let single = BitmapIntersection.evaluate(
            bitmaps, columns: candidates, arity: 2, markedRows: 777, values: values, threads: 1)
        for threads in [2, 4, 7] {
            let parallel = BitmapIntersection.evaluate(
                bitmaps, columns: candidates, arity: 2, markedRows: 777, values: values, threads: threads)
            #expect(parallel == single)
        }
        #expect(
            single == BitmapIntersection.evaluateReference(
                bitmaps, columns: candidates, arity: 2, markedRows: 777, values: values))
    }

    @Test(arguments: lengths)
    func membersAreTheRowsInEveryColumn(rows: Int) {
        var random = SeededRandom(seed: UInt64(rows) &+ 99)
        let members = Self.randomMembers(rows: rows, columns: 6, random: &random)
        let sets = members.map(Set.init)
        let bitmaps = RowBitmaps.fromMembers(members, rowCount: rows)
        for columns in [[Int32(2)], [2, 3], [1, 4, 5], [0, 2], [1]] {
            let expected = (0..<rows).filter { row in columns.allSatisfy { sets[Int($0)].contains(row) } }
            #expect(BitmapIntersection.members(bitmaps, columns: columns) == expected)
        }
    }

    @Test func emptyCandidateListGivesNoCounts() {
        let bitmaps = RowBitmaps.fromMembers([[0, 1]], rowCount: 2)
        #expect(BitmapIntersection.evaluate(bitmaps, columns: [], arity: 2, markedRows: 0, values: nil, threads: 2).isEmpty)
    }

    @Test func valuesGiveSumAndMaximumInRowOrder() {
        // Rows 0..<5; column 0 = {0, 2, 4}, column 1 = {2, 3, 4}: the intersection is {2, 4}.
        let bitmaps = RowBitmaps.fromMembers([[0, 2, 4], [2, 3, 4]], rowCount: 5)
        let counts = BitmapIntersection.evaluate(
            bitmaps, columns: [0, 1], arity: 2, markedRows: 3, values: [9, 9, 0.5, 9, 2.25], threads: 1)
        #expect(counts == [IntersectionCounts(rows: 2, markedRows: 1, valueSum: 2.75, valueMax: 2.25)])
    }
}

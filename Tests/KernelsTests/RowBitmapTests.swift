import Testing
import _TestSupport

@testable import Kernels

/// One-hot bitmaps built from codes, with and without a row order.
struct RowBitmapTests {
    @Test(arguments: [0, 1, 63, 64, 65, 2047, 2048, 2049, 20_000])
    func oneHotBitmapsHoldEachRowInItsCodesColumn(rows: Int) {
        var random = SeededRandom(seed: UInt64(rows) &+ 3)
        let domains = [3, 1, 7]
        let codes = domains.map { domain in (0..<rows).map { _ in UInt16(random.next() % UInt64(domain)) } }
        // Feature 0's code 1 has no column (a pruned bin): its rows are in no bitmap.
        let columnOf: [[Int32]] = [[0, -1, 1], [2], [3, 4, 5, 6, 7, 8, 9]]
        let columnCount = 10
        // Failing rows first, like the slice search stores them.
        let failing = (0..<rows).map { _ in random.unit() < 0.3 }
        let order = (0..<rows).filter { failing[$0] }.map(Int32.init) + (0..<rows).filter { !failing[$0] }.map(Int32.init)
        for rowOrder in [nil, order] {
            for threads in [1, 2] {
                let bitmaps = RowBitmaps.oneHot(
                    codes: codes, columnOf: columnOf, columnCount: columnCount, rowOrder: rowOrder, threads: threads)
                #expect(bitmaps.rowCount == rows && bitmaps.columnCount == columnCount)
                #expect(bitmaps.stride % RowBitmaps.wordAlignment == 0 && bitmaps.stride >= bitmaps.wordCount)
                for column in 0..<columnCount {
                    let feature = columnOf.firstIndex { $0.contains(Int32(column)) }!
                    let code = UInt16(columnOf[feature].firstIndex(of: Int32(column))!)
                    var expectedWords = [UInt64](repeating: 0, count: bitmaps.wordCount)
                    for position in 0..<rows {
                        let row = rowOrder.map { Int($0[position]) } ?? position
                        if codes[feature][row] == code { expectedWords[position >> 6] |= 1 << UInt64(position & 63) }
                    }
                    #expect(bitmaps.words(ofColumn: column) == expectedWords, "column \(column)")
                }
            }
        }
    }

    @Test func fromMembersSetsExactlyThoseRows() {
        let bitmaps = RowBitmaps.fromMembers([[0, 64, 129], [], [5, 5]], rowCount: 130)
        #expect(bitmaps.words(ofColumn: 0) == [1, 1, 2])
        #expect(bitmaps.words(ofColumn: 1) == [0, 0, 0])
        #expect(bitmaps.contains(row: 5, column: 2) && !bitmaps.contains(row: 6, column: 2))
    }
}

import Testing

@testable import ColumnStore

/// Every read of `buffer` gives `expected`: the array, each row, the whole buffer, runs, ranges and blocks of
/// 128 rows (after the first, each block starts on a multiple of 128: whole validity words).
func expectReads<Element: Equatable>(_ buffer: ColumnBuffer<Element>, _ expected: [Element]) {
    let rows = expected.count
    #expect(buffer.count == rows)
    #expect(Array(buffer.array) == expected)
    #expect((0..<rows).map { buffer[$0] } == expected)
    #expect(unsafe buffer.withUnsafeBufferPointer { unsafe Array($0) } == expected)
    var runs: [Element] = []
    unsafe buffer.forEachRun(in: 0..<rows) { run, first in
        #expect(first == runs.count)
        runs += unsafe Array(run)
    }
    #expect(runs == expected)
    for range in [0..<rows, (rows / 3)..<(rows - rows / 4), (rows / 2)..<(rows / 2), (rows / 7)..<(rows / 5)] {
        #expect(unsafe buffer.withUnsafeBufferPointer(rows: range) { unsafe Array($0) } == Array(expected[range]))
        var fromRuns: [Element] = []
        unsafe buffer.forEachRun(in: range) { run, first in
            #expect(first == range.lowerBound + fromRuns.count)
            fromRuns += unsafe Array(run)
        }
        #expect(fromRuns == Array(expected[range]))
        var blocks: [Element] = []
        var starts: [Int] = []
        unsafe buffer.forEachBlock(in: range, blockRows: 128) { block, blockRows in
            #expect(block.count == blockRows.count)
            starts.append(blockRows.lowerBound)
            blocks += unsafe Array(block)
        }
        #expect(blocks == Array(expected[range]), "\(range)")
        #expect(starts.dropFirst().allSatisfy { $0 % 128 == 0 })
    }
}

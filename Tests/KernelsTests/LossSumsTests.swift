import Kernels
import Testing
import _TestSupport

/// `GroupBy.LossSums` gives the floating sums `GroupBy.aggregate` gives, to the bit, whether fed block by block (as
/// a table's counting writes them) or a whole column at once; the counts it is applied to are left as they are.
struct LossSumsTests {
    @Test(arguments: [0, 1, 65_535, 65_536, 65_537, 200_003])
    func equalTheAggregatesSums(length: Int) {
        for shape in GroupByTests.Shape.allCases {
            let groupCount = 7
            let input = GroupByTests.input(
                length: length, groupCount: groupCount, shape: shape, seed: UInt64(length) + 3)
            let expected = GroupBy.aggregate(
                codes: input.codes, groupCount: groupCount, outcomes: input.outcomes, threads: 2)
            // Counts from elsewhere: the aggregate's, with their floating fields cleared.
            let counted = expected.map { stats -> GroupStats in
                var counts = GroupStats()
                counts.rows = stats.rows
                counts.failures = stats.failures
                counts.confusion = stats.confusion
                counts.lossSum = Double(stats.failures)
                counts.lossSquaredSum = Double(stats.failures)
                counts.lossMax = stats.failures > 0 ? 1 : 0
                return counts
            }
            var byBlock = GroupBy.LossSums(groupCount: groupCount, outcomes: input.outcomes)
            for start in stride(from: 0, to: length, by: GroupBy.blockRows) {
                let rows = start..<min(start + GroupBy.blockRows, length)
                byBlock.add(BinCodes(Array(input.codes[rows])), rows: rows)
            }
            var whole = GroupBy.LossSums(groupCount: groupCount, outcomes: input.outcomes)
            whole.add(column: BinCodes(input.codes))
            #expect(byBlock.applied(to: counted) == expected, "\(shape.testDescription)")
            #expect(whole.applied(to: counted) == expected, "\(shape.testDescription)")
        }
    }
}

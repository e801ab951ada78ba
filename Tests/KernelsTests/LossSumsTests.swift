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

/// Outcomes whose loss is made from the signed error (`RowOutcomes(failure:signedError:lossOfError:)`) give the
/// statistics of the same outcomes with that loss held, to the bit: the aggregate, the total and the loss sums.
struct LossOfErrorTests {
    /// Every floating field's bits (`==` on doubles takes -0 for +0).
    static func bits(_ stats: [GroupStats]) -> [[UInt64]] {
        stats.map { stats in
            [
                stats.lossSum, stats.lossSquaredSum, stats.lossMax, stats.absoluteErrorSum, stats.squaredErrorSum,
                stats.signedErrorSum,
            ].map(\.bitPattern) + [UInt64(stats.rows), UInt64(stats.failures)]
        }
    }

    @Test(arguments: [0, 1, 63, 64, 65, 2049, 65_537, 200_003])
    func madeLossesEqualHeldOnes(length: Int) {
        var random = SeededRandom(seed: UInt64(length) + 11)
        let groupCount = 9
        let codes = (0..<length).map { _ in UInt8(random.next() % UInt64(groupCount)) }
        let failure = (0..<length).map { _ in UInt8(random.next() % 3 == 0 ? 1 : 0) }
        let errors = (0..<length).map { _ -> Double in
            switch random.next() % 10 {
            case 0: return 0
            case 1: return -0.0
            case 2: return (random.unit() - 0.5) * 1e200
            default: return (random.unit() - 0.5) * 30
            }
        }
        for kind in [ErrorLoss.absolute, .squared] {
            let made = RowOutcomes(failure: failure, signedError: errors, lossOfError: kind)
            let held = RowOutcomes(failure: failure, loss: errors.map(kind.loss), signedError: errors, confusion: nil)
            #expect(made.hasLoss && made.hasErrors)
            for threads in [1, 2] {
                #expect(
                    GroupBy.aggregate(codes: codes, groupCount: groupCount, outcomes: made, threads: threads)
                        == GroupBy.aggregate(codes: codes, groupCount: groupCount, outcomes: held, threads: threads),
                    "\(kind), length \(length)")
                #expect(GroupBy.total(outcomes: made, threads: threads) == GroupBy.total(outcomes: held, threads: 1))
            }
            var madeSums = GroupBy.LossSums(groupCount: groupCount, outcomes: made)
            var heldSums = GroupBy.LossSums(groupCount: groupCount, outcomes: held)
            madeSums.add(column: BinCodes(codes))
            heldSums.add(column: BinCodes(codes))
            let counted = [GroupStats](repeating: GroupStats(), count: groupCount)
            #expect(madeSums.applied(to: counted) == heldSums.applied(to: counted), "\(kind), length \(length)")
            // Block by block, as a table's counting feeds them.
            var madeBlocks = GroupBy.LossSums(groupCount: groupCount, outcomes: made)
            for start in stride(from: 0, to: length, by: GroupBy.blockRows) {
                let rows = start..<min(start + GroupBy.blockRows, length)
                madeBlocks.add(BinCodes(Array(codes[rows])), rows: rows)
            }
            #expect(
                Self.bits(madeBlocks.applied(to: counted)) == Self.bits(heldSums.applied(to: counted)),
                "\(kind), length \(length)")
            #expect(
                Self.bits(GroupBy.aggregate(codes: codes, groupCount: groupCount, outcomes: made, threads: 2))
                    == Self.bits(GroupBy.aggregate(codes: codes, groupCount: groupCount, outcomes: held, threads: 1)))
            if length > 0 { #expect(made.loss(at: length - 1) == held.loss(at: length - 1)) }
        }
    }
}

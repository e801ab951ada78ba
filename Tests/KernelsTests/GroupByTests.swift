import Kernels
import Testing
import _TestSupport

/// `GroupBy.aggregate` against a scalar per-row reference on seeded inputs.
///
/// Integer counts must be equal. Floating sums must be identical (`==`) for every thread count, bit-identical to
/// a reference that sums in the documented order (per 65,536-row block, blocks merged in row order), and within
/// 1e-9 relative of a plain row-order sum (the scale for signed sums is the sum of magnitudes, since they cancel).
struct GroupByTests {
    /// Which optional outcome arrays are present.
    struct Shape: Sendable, CustomTestStringConvertible, CaseIterable {
        let loss: Bool
        let signedError: Bool
        let confusion: Bool

        static let allCases: [Shape] = (0..<8).map { bits in
            Shape(loss: bits & 1 != 0, signedError: bits & 2 != 0, confusion: bits & 4 != 0)
        }

        var testDescription: String {
            "loss \(loss ? "yes" : "no"), error \(signedError ? "yes" : "no"), confusion \(confusion ? "yes" : "no")"
        }
    }

    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 65_535, 65_536, 65_537, 100_003, 200_003]
    static let groupCounts = [1, 7, 300]
    static let threadCounts = [1, 2, 3, 8]
    static let tolerance = 1e-9

    struct Input {
        let codes: [UInt16]
        let outcomes: RowOutcomes
    }

    /// Seeded codes (skewed: half the rows in the lowest tenth of the groups, so some groups stay empty) and
    /// outcomes (failure ~30%, losses >= 0 with exact zeros, signed errors of both signs, confusion cells 0...3).
    static func input(length: Int, groupCount: Int, shape: Shape, seed: UInt64) -> Input {
        var random = SeededRandom(seed: seed)
        let hot = max(1, groupCount / 10)
        let codes = (0..<length).map { _ in
            UInt16(random.next() % 2 == 0 ? Int(random.next() % UInt64(hot)) : Int(random.next() % UInt64(groupCount)))
        }
        let failure = (0..<length).map { _ in UInt8(random.unit() < 0.3 ? 1 : 0) }
        var loss: [Double]? = nil
        if shape.loss {
            loss = (0..<length).map { _ in
                let u = random.unit()
                return random.next() % 5 == 0 ? 0 : 8 * u * u
            }
        }
        let errors: [Double]? = shape.signedError ? (0..<length).map { _ in (random.unit() - 0.45) * 200 } : nil
        let confusion: [UInt8]? = shape.confusion ? (0..<length).map { _ in UInt8(random.next() % 4) } : nil
        let outcomes = RowOutcomes(failure: failure, loss: loss, signedError: errors, confusion: confusion)
        return Input(codes: codes, outcomes: outcomes)
    }

    /// The per-row reference over `rows`, summing in row order.
    static func reference(_ input: Input, rows: Range<Int>, groupCount: Int) -> [GroupStats] {
        var stats = [GroupStats](repeating: GroupStats(), count: groupCount)
        let outcomes = input.outcomes
        for row in rows {
            let group = Int(input.codes[row])
            let failed = outcomes.failure[row] == 1
            stats[group].rows += 1
            stats[group].failures += failed ? 1 : 0
            let loss = outcomes.loss?[row] ?? (failed ? 1 : 0)
            stats[group].lossSum += loss
            stats[group].lossSquaredSum += loss * loss
            stats[group].lossMax = max(stats[group].lossMax, loss)
            if let errors = outcomes.signedError {
                stats[group].absoluteErrorSum += abs(errors[row])
                stats[group].squaredErrorSum += errors[row] * errors[row]
                stats[group].signedErrorSum += errors[row]
            }
            if let confusion = outcomes.confusion {
                stats[group].confusion[Int(confusion[row])] += 1
            }
        }
        return stats
    }

    /// The reference in the documented order: each block from zero, blocks added to a zero total in row order.
    static func blockOrderedReference(_ input: Input, groupCount: Int) -> [GroupStats] {
        var total = [GroupStats](repeating: GroupStats(), count: groupCount)
        var start = 0
        while start < input.codes.count {
            let end = min(start + GroupBy.blockRows, input.codes.count)
            let block = reference(input, rows: start..<end, groupCount: groupCount)
            for group in 0..<groupCount {
                total[group].rows += block[group].rows
                total[group].failures += block[group].failures
                total[group].lossSum += block[group].lossSum
                total[group].lossSquaredSum += block[group].lossSquaredSum
                total[group].lossMax = max(total[group].lossMax, block[group].lossMax)
                total[group].absoluteErrorSum += block[group].absoluteErrorSum
                total[group].squaredErrorSum += block[group].squaredErrorSum
                total[group].signedErrorSum += block[group].signedErrorSum
                total[group].confusion &+= block[group].confusion
            }
            start = end
        }
        return total
    }

    static func close(_ actual: Double, _ expected: Double, scale: Double) -> Bool {
        isClose(actual, expected, relative: tolerance, absolute: tolerance * scale)
    }

    @Test(arguments: lengths, Shape.allCases)
    func aggregateMatchesScalarReferenceForEveryThreadCount(length: Int, shape: Shape) {
        for groupCount in Self.groupCounts {
            let input = Self.input(
                length: length, groupCount: groupCount, shape: shape, seed: UInt64(length &* 1_000 &+ groupCount))
            let expected = Self.reference(input, rows: 0..<length, groupCount: groupCount)
            let ordered = Self.blockOrderedReference(input, groupCount: groupCount)
            let baseline = GroupBy.aggregate(
                codes: input.codes, groupCount: groupCount, outcomes: input.outcomes, threads: 1)
            #expect(baseline.count == groupCount)
            let context = "rows \(length), groups \(groupCount)"

            // Integer counts: exact.
            #expect(baseline.map(\.rows) == expected.map(\.rows), "\(context)")
            #expect(baseline.map(\.failures) == expected.map(\.failures), "\(context)")
            #expect(baseline.map(\.confusion) == expected.map(\.confusion), "\(context)")
            #expect(baseline.reduce(0) { $0 + $1.rows } == length)
            #expect(
                baseline.map(\.lossMax) == expected.map(\.lossMax), "\(context): a maximum does not depend on order")

            // Floating sums: the documented order exactly, a plain row-order sum closely.
            #expect(baseline == ordered, "\(context): differs from the block-ordered reference")
            var far: [Int] = []
            for group in 0..<groupCount {
                let a = baseline[group]
                let e = expected[group]
                let fine =
                    Self.close(a.lossSum, e.lossSum, scale: e.lossSum)
                    && Self.close(a.lossSquaredSum, e.lossSquaredSum, scale: e.lossSquaredSum)
                    && Self.close(a.absoluteErrorSum, e.absoluteErrorSum, scale: e.absoluteErrorSum)
                    && Self.close(a.squaredErrorSum, e.squaredErrorSum, scale: e.squaredErrorSum)
                    && Self.close(a.signedErrorSum, e.signedErrorSum, scale: e.absoluteErrorSum)
                if !fine { far.append(group) }
            }
            #expect(far.isEmpty, "\(context): groups \(far.prefix(5)) are not within \(Self.tolerance)")

            for threads in Self.threadCounts.dropFirst() {
                let parallel = GroupBy.aggregate(
                    codes: input.codes, groupCount: groupCount, outcomes: input.outcomes, threads: threads)
                #expect(parallel == baseline, "\(context), threads \(threads) differ from 1 thread")
            }
        }
    }

    /// The statistics of all rows together equal a one-group aggregate exactly (the same blocks and merge order),
    /// and the per-row reference's counts, for every thread count.
    @Test(arguments: lengths, Shape.allCases)
    func totalEqualsTheOneGroupAggregate(length: Int, shape: Shape) {
        let input = Self.input(length: length, groupCount: 1, shape: shape, seed: UInt64(length) &+ 77)
        let expected = Self.reference(input, rows: 0..<length, groupCount: 1)[0]
        let oneGroup = GroupBy.aggregate(codes: input.codes, groupCount: 1, outcomes: input.outcomes, threads: 1)[0]
        for threads in Self.threadCounts {
            let total = GroupBy.total(outcomes: input.outcomes, threads: threads)
            #expect(total == oneGroup, "rows \(length), threads \(threads)")
            #expect(total.rows == length && total.failures == expected.failures)
            #expect(total.confusion == expected.confusion, "rows \(length), threads \(threads)")
        }
    }

    /// Only a confusion byte's two low bits name its cell, in the total as in the groups.
    @Test func totalReadsTheTwoLowBitsOfAConfusionByte() {
        let confusion = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let outcomes = RowOutcomes(
            failure: [UInt8](repeating: 0, count: 1_000), loss: nil, signedError: nil, confusion: confusion)
        var expected = SIMD4<Int>.zero
        for byte in confusion { expected[Int(byte & 3)] += 1 }
        #expect(GroupBy.total(outcomes: outcomes, threads: 2).confusion == expected)
        let oneGroup = GroupBy.aggregate(
            codes: [UInt16](repeating: 0, count: 1_000), groupCount: 1, outcomes: outcomes, threads: 1)
        #expect(oneGroup[0].confusion == expected)
    }

    /// One-byte codes give exactly the documented block-ordered reference (and so the two-byte form's result), for
    /// every thread count, up to the 256 groups a byte allows.
    @Test(arguments: lengths, Shape.allCases)
    func oneByteCodesMatchTheBlockOrderedReference(length: Int, shape: Shape) {
        for groupCount in [1, 7, 256] {
            let input = Self.input(
                length: length, groupCount: groupCount, shape: shape, seed: UInt64(length &* 7_919 &+ groupCount))
            let narrow = input.codes.map { UInt8($0) }
            let ordered = Self.blockOrderedReference(input, groupCount: groupCount)
            for threads in Self.threadCounts {
                let stats = GroupBy.aggregate(
                    codes: narrow, groupCount: groupCount, outcomes: input.outcomes, threads: threads)
                #expect(stats == ordered, "rows \(length), groups \(groupCount), threads \(threads)")
            }
        }
    }

    @Test func fullUInt8CodeRange() {
        let codes: [UInt8] = [0, 255, 255, 17]
        let outcomes = RowOutcomes(failure: [0, 1, 1, 0], loss: nil, signedError: nil, confusion: [3, 1, 1, 0])
        let stats = GroupBy.aggregate(codes: codes, groupCount: 256, outcomes: outcomes, threads: 2)
        #expect(stats.count == 256)
        #expect(stats[255].rows == 2 && stats[255].failures == 2 && stats[255].confusion == SIMD4(0, 2, 0, 0))
        #expect(stats[17].rows == 1 && stats[0].rows == 1 && stats[0].confusion == SIMD4(0, 0, 0, 1))
        #expect(stats.reduce(0) { $0 + $1.rows } == 4)
    }

    /// Without a loss array the loss is the 0/1 failure indicator: sum and sum of squares are the failure count.
    @Test func missingLossIsTheFailureIndicator() {
        let codes: [UInt16] = [0, 0, 1, 1, 1, 2]
        let outcomes = RowOutcomes(failure: [1, 0, 1, 1, 0, 0], loss: nil, signedError: nil, confusion: nil)
        let stats = GroupBy.aggregate(codes: codes, groupCount: 4, outcomes: outcomes, threads: 2)
        #expect(stats.map(\.rows) == [2, 3, 1, 0])
        #expect(stats.map(\.failures) == [1, 2, 0, 0])
        #expect(stats.map(\.lossSum) == [1, 2, 0, 0])
        #expect(stats.map(\.lossSquaredSum) == [1, 2, 0, 0])
        #expect(stats.map(\.lossMax) == [1, 1, 0, 0])
        #expect(stats.allSatisfy { $0.signedErrorSum == 0 && $0.absoluteErrorSum == 0 && $0.confusion == .zero })
    }

    @Test func handWorkedGroups() {
        let codes: [UInt16] = [1, 0, 1, 1]
        let outcomes = RowOutcomes(
            failure: [1, 0, 0, 1], loss: [2, 0.5, 0, 3], signedError: [-1, 2, 0.5, -4],
            confusion: [0, 2, 1, 3])
        let stats = GroupBy.aggregate(codes: codes, groupCount: 2, outcomes: outcomes, threads: 1)
        #expect(stats[0].rows == 1 && stats[0].failures == 0)
        #expect(stats[0].lossSum == 0.5 && stats[0].lossSquaredSum == 0.25 && stats[0].lossMax == 0.5)
        #expect(stats[0].absoluteErrorSum == 2 && stats[0].squaredErrorSum == 4 && stats[0].signedErrorSum == 2)
        #expect(stats[0].confusion == SIMD4(0, 0, 1, 0))
        #expect(stats[1].rows == 3 && stats[1].failures == 2)
        #expect(stats[1].lossSum == 5 && stats[1].lossSquaredSum == 13 && stats[1].lossMax == 3)
        #expect(
            stats[1].absoluteErrorSum == 5.5 && stats[1].squaredErrorSum == 17.25 && stats[1].signedErrorSum == -4.5)
        #expect(stats[1].confusion == SIMD4(1, 1, 0, 1))
    }

    /// The largest group count a `UInt16` code allows.
    @Test func fullUInt16CodeRange() {
        let codes: [UInt16] = [0, UInt16.max, UInt16.max, 12_345]
        let outcomes = RowOutcomes(failure: [0, 1, 1, 0], loss: nil, signedError: nil, confusion: nil)
        let stats = GroupBy.aggregate(codes: codes, groupCount: 65_536, outcomes: outcomes, threads: 3)
        #expect(stats.count == 65_536)
        #expect(stats[65_535].rows == 2 && stats[65_535].failures == 2)
        #expect(stats[12_345].rows == 1 && stats[0].rows == 1)
        #expect(stats.reduce(0) { $0 + $1.rows } == 4)
    }

    @Test func blocksAre65536Rows() {
        #expect(GroupBy.blockRows == 65_536)
    }
}

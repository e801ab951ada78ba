import Kernels
import Testing

struct GroupStatsTests {
    static func stats(rows: Int, failures: Int, loss: Double, error: Double, confusion: SIMD4<Int>) -> GroupStats {
        var stats = GroupStats()
        stats.rows = rows
        stats.failures = failures
        stats.lossSum = loss
        stats.lossSquaredSum = loss * loss
        stats.lossMax = loss
        stats.absoluteErrorSum = abs(error)
        stats.squaredErrorSum = error * error
        stats.signedErrorSum = error
        stats.confusion = confusion
        return stats
    }

    @Test func startsEmpty() {
        let empty = GroupStats()
        #expect(empty.rows == 0 && empty.failures == 0)
        #expect(empty.lossSum == 0 && empty.lossSquaredSum == 0 && empty.lossMax == 0)
        #expect(empty.absoluteErrorSum == 0 && empty.squaredErrorSum == 0 && empty.signedErrorSum == 0)
        #expect(empty.confusion == .zero)
    }

    @Test func mergeAddsSumsAndKeepsTheLargerMaximum() {
        var left = Self.stats(rows: 3, failures: 1, loss: 2, error: -1.5, confusion: SIMD4(1, 0, 2, 0))
        let right = Self.stats(rows: 4, failures: 2, loss: 5, error: 4, confusion: SIMD4(0, 1, 1, 2))
        left.merge(right)
        #expect(left.rows == 7 && left.failures == 3)
        #expect(left.lossSum == 7 && left.lossSquaredSum == 29 && left.lossMax == 5)
        #expect(left.absoluteErrorSum == 5.5 && left.squaredErrorSum == 18.25 && left.signedErrorSum == 2.5)
        #expect(left.confusion == SIMD4(1, 1, 3, 2))

        var bigger = Self.stats(rows: 1, failures: 1, loss: 9, error: 0, confusion: .zero)
        bigger.merge(Self.stats(rows: 1, failures: 0, loss: 1, error: 0, confusion: .zero))
        #expect(bigger.lossMax == 9)
    }

    @Test func complementIsTotalMinusGroup() {
        let group = Self.stats(rows: 3, failures: 1, loss: 2, error: -1.5, confusion: SIMD4(1, 0, 2, 0))
        var total = group
        total.merge(Self.stats(rows: 4, failures: 2, loss: 5, error: 4, confusion: SIMD4(0, 1, 1, 2)))
        let rest = group.complement(in: total)
        #expect(rest.rows == 4 && rest.failures == 2)
        #expect(rest.lossSum == 5 && rest.lossSquaredSum == 25)
        #expect(rest.absoluteErrorSum == 4 && rest.squaredErrorSum == 16 && rest.signedErrorSum == 4)
        #expect(rest.confusion == SIMD4(0, 1, 1, 2))
        #expect(total.complement(in: total).rows == 0)
    }
}

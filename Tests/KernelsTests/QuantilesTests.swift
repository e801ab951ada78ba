import Foundation
import _TestSupport
@testable import Kernels
import Testing

/// `Quantiles` against numpy: every comparison is bit for bit (`bitPattern`), no tolerance.
struct QuantilesTests {
    @Test func fixtureLoadsWithEveryCase() throws {
        let reference = try QcutReference.load()
        #expect(reference.cases.count >= 30)
        #expect(reference.bins == [2, 4, 5, 10, 20])
        #expect(Set(reference.cases.map(\.name)).count == reference.cases.count)
    }

    /// Guards the fixture itself: if JSON decoding were not exact, every bitwise comparison below would be meaningless.
    @Test func fixtureFloatsDecodeExactly() throws {
        let reference = try QcutReference.load()
        #expect(reference.roundtrip.count >= 10)
        for entry in reference.roundtrip {
            let bits = try #require(UInt64(entry.bits, radix: 16))
            #expect(entry.value.bitPattern == bits, "decoded \(entry.value) for bits \(entry.bits)")
        }
    }

    @Test func qcutProbabilitiesMatchPandasBitForBit() throws {
        let reference = try QcutReference.load()
        #expect(!reference.probabilities.isEmpty)
        for expected in reference.probabilities {
            let actual = Quantiles.qcutProbabilities(bins: expected.bins)
            #expect(actual.map(\.bitPattern) == expected.values.map(\.bitPattern), "bins \(expected.bins)")
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7, 10, 20, 100])
    func qcutProbabilitiesAreIncreasingFromZeroToOne(bins: Int) {
        let probabilities = Quantiles.qcutProbabilities(bins: bins)
        #expect(probabilities.count == bins + 1)
        #expect(probabilities.first == 0)
        #expect(probabilities.last == 1)
        #expect(zip(probabilities, probabilities.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// 10 bins: 0.3 = 3 * 0.1 is 0.30000000000000004 and 10 * that is not 3, so pandas nudges it up one more ulp.
    @Test func qcutProbabilitiesNudgeOnlyUnrepresentableSteps() {
        let probabilities = Quantiles.qcutProbabilities(bins: 10)
        let plain = (0...10).map { Double($0) * 0.1 }
        #expect(probabilities[3] == plain[3].nextUp)
        #expect(probabilities[5] == 0.5)
        #expect(probabilities[0] == 0 && probabilities[10] == 1)
        // Powers of two are exact: nothing moves.
        #expect(Quantiles.qcutProbabilities(bins: 4) == [0, 0.25, 0.5, 0.75, 1])
    }

    @Test(arguments: QcutReference.caseNames)
    func linearMatchesNumpyQuantileBitForBit(caseName: String) throws {
        let testCase = try QcutReference.testCase(named: caseName)
        let sorted = Quantiles.sortedValues(of: testCase.doubles)
        try #require(!sorted.isEmpty)
        #expect(testCase.quantiles.count >= 20)
        for expected in testCase.quantiles {
            let actual = Quantiles.linear(sorted: sorted, q: expected.q)
            #expect(
                actual.bitPattern == expected.value.bitPattern,
                "q=\(expected.q): numpy \(expected.value), got \(actual)")
        }
    }

    @Test func linearInterpolatesBetweenNeighbours() {
        #expect(Quantiles.linear(sorted: [1, 2, 3, 4], q: 0.5) == 2.5)
        #expect(Quantiles.linear(sorted: [1, 2, 3, 4], q: 0) == 1)
        #expect(Quantiles.linear(sorted: [1, 2, 3, 4], q: 1) == 4)
        #expect(Quantiles.linear(sorted: [10, 20], q: 0.25) == 12.5)
        #expect(Quantiles.linear(sorted: [10, 20], q: 0.75) == 17.5)
        #expect(Quantiles.linear(sorted: [7], q: 0.3) == 7)
        #expect(Quantiles.linear(sorted: [-5, -5, -5], q: 0.9) == -5)
    }

    /// numpy's `_lerp` switches to `b - (b - a) * (1 - t)` for `t >= 0.5`, which is exact at `t == 1` and can differ
    /// from `a + (b - a) * t` in the last bit; this pair shows the two formulas disagree, so the choice matters.
    @Test func linearUsesNumpysUpperFormulaFromOneHalf() {
        let a = 0.1
        let b = 0.7
        let t = 0.7
        let lower = a + (b - a) * t
        let upper = b - (b - a) * (1 - t)
        #expect(lower != upper)
        // (n - 1) * q == 0.7 with n = 2 and q = 0.7.
        #expect(Quantiles.linear(sorted: [a, b], q: t).bitPattern == upper.bitPattern)
        // Below one half numpy keeps `a + (b - a) * t`: 0.16 rather than 0.15999999999999992.
        let smallT = 0.1
        #expect(a + (b - a) * smallT != b - (b - a) * (1 - smallT))
        #expect(Quantiles.linear(sorted: [a, b], q: smallT).bitPattern == (a + (b - a) * smallT).bitPattern)
    }

    @Test func sortedValuesDropsNaNAndSorts() {
        let sorted = Quantiles.sortedValues(of: [3, .nan, -1, 2, .nan, 2, -.infinity])
        #expect(sorted == [-.infinity, -1, 2, 2, 3])
        #expect(Quantiles.sortedValues(of: [.nan, .nan]).isEmpty)
        #expect(Quantiles.sortedValues(of: []).isEmpty)
    }
}

/// Order statistics of large inputs (the histogram path) against a full sort, on distributions that stress it.
struct LargeOrderStatisticsTests {
    static let shapes = ["uniform", "normal", "narrow", "ties", "zero-inflated", "negative", "huge-range"]

    static func values(_ shape: String, count: Int = 200_003) -> [Double] {
        var random = SeededRandom(seed: UInt64(shape.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        return (0..<count).map { _ in
            switch shape {
            case "uniform": return random.unit() * 100
            case "normal": return (random.unit() + random.unit() + random.unit() - 1.5) * 10
            case "narrow": return 1 + random.unit() * 1e-9  // one histogram bucket: the fallback path
            case "ties": return Double(random.next() % 5)
            case "zero-inflated": return random.unit() < 0.7 ? 0 : random.unit() * 1e4
            case "negative": return -random.unit() * 1e6 + (random.unit() < 0.01 ? -0.0 : 0)
            default: return (random.unit() - 0.5) * pow(10, Double(random.next() % 600) - 300)
            }
        }
    }

    /// The extremes, neighbours, thirds and deciles, and the qcut deciles' neighbours (what binning asks for).
    static func ranks(count: Int) -> [Int] {
        let qcut = Quantiles.qcutProbabilities(bins: 10).flatMap { probability -> [Int] in
            let position = Quantiles.position(count: count, q: probability)
            return [position.lower, position.upper]
        }
        return [0, 1, count / 10, count / 3, count / 2, count / 2 + 1, count - 2, count - 1]
            + (1..<10).map { count * $0 / 10 } + qcut
    }

    @Test(arguments: shapes)
    func selectionEqualsTheSortedValues(_ shape: String) {
        let values = Self.values(shape)
        let sorted = values.sorted()
        let ranks = Self.ranks(count: values.count)
        var copy = values
        let selected = OrderStatistics.select(&copy, ranks: ranks)
        #expect(selected == ranks.map { sorted[$0] }, "\(shape)")
    }

    /// Each path on its own: the brackets (which take every shape here but the 1e-9-wide one, where the heavy
    /// ties of the sample are too many points) and the histogram (the fallback, for every shape).
    @Test(arguments: shapes)
    func bracketAndHistogramPathsEqualTheSortedValues(_ shape: String) throws {
        let values = Self.values(shape)
        let sorted = values.sorted()
        let ranks = Array(Set(Self.ranks(count: values.count))).sorted()
        if let byBrackets = OrderStatistics.selectByBrackets(values, ranks: ranks) {
            #expect(ranks.map { byBrackets[$0] } == ranks.map { sorted[$0] }, "\(shape), brackets")
        } else {
            #expect(shape == "narrow", "\(shape): the brackets declined")
        }
        if let byHistogram = OrderStatistics.selectByHistogram(values, ranks: ranks, level: 0) {
            #expect(ranks.map { byHistogram[$0] } == ranks.map { sorted[$0] }, "\(shape), histogram")
        }
    }

    /// Data with a period equal to the sampling stride: the sampled rows are spread over [0, 100), the others (three
    /// in four) all in [60, 61), so the true deciles are far from the sample's; the brackets miss the ranks and
    /// decline, and `select` still answers exactly through the histogram.
    @Test func bracketsDeclineWhenTheSampleMisleads() {
        var random = SeededRandom(seed: 5)
        let count = 1 << 18
        let stride = count / OrderStatistics.bracketSampleSize
        let values = (0..<count).map { row in row % stride == 0 ? random.unit() * 100 : 60 + random.unit() }
        let sorted = values.sorted()
        let ranks = Array(Set(Self.ranks(count: count))).sorted()
        #expect(OrderStatistics.selectByBrackets(values, ranks: ranks) == nil)
        var copy = values
        #expect(OrderStatistics.select(&copy, ranks: ranks) == ranks.map { sorted[$0] })
    }

    /// Brackets filled in pieces, in any order, and their tallies merged select what one pass selects: the ranks of
    /// the values (as `RegressionErrors.lossQuantile` fills them a block at a time on the threads).
    @Test func bracketsFilledInPiecesSelectTheSameRanks() throws {
        var random = SeededRandom(seed: 77)
        let count = 300_007
        let values = (0..<count).map { _ -> Double in random.unit() < 0.2 ? 3 : random.unit() * 100 - 20 }
        let sorted = values.sorted()
        let ranks = Array(Set(Self.ranks(count: count))).sorted()
        let step = count / OrderStatistics.bracketSampleSize
        let brackets = try #require(
            _Brackets(sample: stride(from: 0, to: count, by: step).map { values[$0] }, count: count, ranks: ranks))
        var starts = [0]
        while let last = starts.last, last < count { starts.append(min(count, last + 1 + Int(random.next() % 40_000))) }
        var pieces = Array(zip(starts, starts.dropFirst()))
        pieces.shuffle(using: &random)
        var total = brackets.emptyTally()
        for (start, end) in pieces {
            var tally = brackets.emptyTally()
            values[start..<end].withUnsafeBufferPointer { brackets.add($0, to: &tally) }
            total.merge(tally)
        }
        #expect(total.regionCounts.reduce(0, +) == count)
        let selected = try #require(brackets.selected(&total, ranks: ranks))
        #expect(ranks.map { selected[$0] } == ranks.map { sorted[$0] })
        #expect(OrderStatistics.selectByBrackets(values, ranks: ranks) == selected)
    }

    /// Heavy ties at the wanted ranks are points: answered from the counts, their rows never gathered.
    @Test func heavyTiesAreCountedNotGathered() throws {
        var random = SeededRandom(seed: 31)
        let count = 300_007
        // 40% zeros, 20% exactly 7, the rest spread: deciles land on both ties and between them.
        let values = (0..<count).map { _ -> Double in
            let u = random.unit()
            return u < 0.4 ? 0 : u < 0.6 ? 7 : random.unit() * 100 - 50
        }
        let sorted = values.sorted()
        let ranks = Array(Set(Self.ranks(count: count))).sorted()
        let selected = try #require(OrderStatistics.selectByBrackets(values, ranks: ranks))
        #expect(ranks.map { selected[$0] } == ranks.map { sorted[$0] })
    }

    /// One binade holds every value, so each leading-bits bucket holds more than 65,536 of them and is narrowed
    /// again by the next 16 bits (the second histogram level).
    @Test func bucketsTooBigForPartitioningAreNarrowedAgain() {
        var random = SeededRandom(seed: 2024)
        let count = 1_500_003
        let values = (0..<count).map { _ in 512 + random.unit() * 511 }
        let sorted = values.sorted()
        let ranks = Quantiles.qcutProbabilities(bins: 10).flatMap { probability -> [Int] in
            let position = Quantiles.position(count: count, q: probability)
            return [position.lower, position.upper]
        } + [7, count / 2, count - 8]
        var copy = values
        #expect(OrderStatistics.select(&copy, ranks: ranks) == ranks.map { sorted[$0] })
    }
}

@testable import Kernels
import Testing
import _TestSupport

/// `PeriodCounts.count` against a scalar per-row reference on seeded inputs: the counts must be equal, for every
/// thread count.
struct PeriodCountsTests {
    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 65_535, 65_536, 65_537, 200_003]
    /// 1 code; small tables (kept in lanes); 300 codes (more than a byte); 2,000 codes (3 · 2,000 counters, past
    /// the laned size).
    static let codeCounts = [1, 2, 7, 300, 2_000]
    static let threadCounts = [1, 2, 3]

    struct Input {
        let groups: [UInt16]
        let periodOfGroup: [UInt8]
        let failure: [UInt8]
        let features: [[UInt16]]
        let codeCounts: [Int]
    }

    /// Seeded inputs: 13 groups whose periods are 0, 1 or not counted (2, 3, 255); failures ~30% with flags other
    /// than 1 among them (any non-zero flag is a failure); per feature, codes that are skewed (half the rows in the
    /// lowest tenth, so some codes stay empty) and come partly in runs of equal codes.
    static func input(length: Int, codeCounts: [Int], seed: UInt64) -> Input {
        var random = SeededRandom(seed: seed)
        let groupCount = 13
        let uncounted: [UInt8] = [2, 3, 255]
        let periodOfGroup = (0..<groupCount).map { _ -> UInt8 in
            let draw = random.next() % 5
            return draw < 2 ? UInt8(draw) : uncounted[Int(random.next() % 3)]
        }
        let groups = (0..<length).map { _ in UInt16(random.next() % UInt64(groupCount)) }
        let flags: [UInt8] = [1, 1, 1, 2, 255]
        let failure = (0..<length).map { _ in random.unit() < 0.3 ? flags[Int(random.next() % 5)] : 0 }
        let features = codeCounts.map { codeCount in
            var codes: [UInt16] = []
            codes.reserveCapacity(length)
            while codes.count < length {
                let hot = max(1, codeCount / 10)
                let code = UInt16(
                    random.next() % 2 == 0 ? random.next() % UInt64(hot) : random.next() % UInt64(codeCount))
                let run = random.next() % 4 == 0 ? Int(random.next() % 200) + 1 : 1
                codes += repeatElement(code, count: min(run, length - codes.count))
            }
            return codes
        }
        return Input(
            groups: groups, periodOfGroup: periodOfGroup, failure: failure, features: features, codeCounts: codeCounts)
    }

    /// The definition, row by row.
    static func reference(_ input: Input) -> [PeriodCounts.Table] {
        zip(input.features, input.codeCounts).map { codes, codeCount in
            var trials = [[Int]](repeating: [Int](repeating: 0, count: codeCount), count: 2)
            var failures = trials
            for row in input.groups.indices {
                let period = Int(input.periodOfGroup[Int(input.groups[row])])
                guard period < 2 else { continue }
                trials[period][Int(codes[row])] += 1
                failures[period][Int(codes[row])] += input.failure[row] != 0 ? 1 : 0
            }
            return (trials, failures)
        }
    }

    static func same(_ a: [PeriodCounts.Table], _ b: [PeriodCounts.Table]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.trials == $1.trials && $0.failures == $1.failures }
    }

    @Test(arguments: lengths)
    func countsMatchScalarReferenceForEveryThreadCount(length: Int) {
        // One feature per code count, then each code count alone (one work item, so rows are split into segments).
        let featureSets = [Self.codeCounts] + Self.codeCounts.map { [$0] }
        for (index, codeCounts) in featureSets.enumerated() {
            let input = Self.input(length: length, codeCounts: codeCounts, seed: UInt64(length &* 31 &+ index))
            let expected = Self.reference(input)
            for threads in Self.threadCounts {
                let counted = PeriodCounts.count(
                    groups: input.groups, periodOfGroup: input.periodOfGroup, failure: input.failure,
                    features: input.features, codeCounts: input.codeCounts, threads: threads)
                #expect(
                    Self.same(counted, expected), "rows \(length), code counts \(codeCounts), threads \(threads)")
            }
        }
    }

    /// The counted rows are exactly those of periods 0 and 1, whatever the features.
    @Test func totalsAreTheCountedRows() {
        let input = Self.input(length: 70_001, codeCounts: [3, 400], seed: 99)
        let counted = PeriodCounts.count(
            groups: input.groups, periodOfGroup: input.periodOfGroup, failure: input.failure,
            features: input.features, codeCounts: input.codeCounts, threads: 2)
        for period in 0..<2 {
            let rows = input.groups.indices.filter { Int(input.periodOfGroup[Int(input.groups[$0])]) == period }
            let failures = rows.filter { input.failure[$0] != 0 }.count
            for table in counted {
                #expect(table.trials[period].reduce(0, +) == rows.count, "period \(period)")
                #expect(table.failures[period].reduce(0, +) == failures, "period \(period)")
            }
        }
    }

    @Test func handWorkedTable() {
        // Groups 0 and 1 before, 2 after, 3 not counted.
        let groups: [UInt16] = [0, 1, 2, 2, 3, 0, 2]
        let failure: [UInt8] = [1, 0, 1, 7, 1, 0, 0]
        let codes: [UInt16] = [0, 2, 2, 1, 0, 0, 2]
        let counted = PeriodCounts.count(
            groups: groups, periodOfGroup: [0, 0, 1, 2], failure: failure, features: [codes], codeCounts: [3],
            threads: 1)
        #expect(counted.count == 1)
        #expect(counted[0].trials == [[2, 0, 1], [0, 1, 2]])
        #expect(counted[0].failures == [[1, 0, 0], [0, 1, 1]])
    }

    @Test func noFeaturesNoTables() {
        #expect(
            PeriodCounts.count(
                groups: [0, 1], periodOfGroup: [0, 1], failure: [0, 1], features: [], codeCounts: [], threads: 2
            ).isEmpty)
    }

    /// The full `UInt16` code range (65,536 codes: the unlaned counters).
    @Test func fullUInt16CodeRange() {
        let codes: [UInt16] = [0, .max, .max, 12_345]
        let counted = PeriodCounts.count(
            groups: [0, 1, 0, 1], periodOfGroup: [0, 1], failure: [0, 1, 1, 0], features: [codes],
            codeCounts: [65_536], threads: 3)
        #expect(counted[0].trials[0][0] == 1 && counted[0].trials[0][65_535] == 1)
        #expect(counted[0].trials[1][65_535] == 1 && counted[0].trials[1][12_345] == 1)
        #expect(counted[0].failures[0][65_535] == 1 && counted[0].failures[1][65_535] == 1)
        #expect(counted[0].trials.joined().reduce(0, +) == 4 && counted[0].failures.joined().reduce(0, +) == 2)
    }

    /// Segments are whole blocks, cover the rows once in order, and stay within the packed counters' range.
    @Test(arguments: [0, 1, 65_536, 65_537, 10_000_000, 5_000_000_000])
    func segmentsCoverTheRowsInOrder(rowCount: Int) {
        for (items, threads) in [(1, 1), (1, 2), (1, 3), (2, 3), (18, 2), (1, 64)] {
            let segments = PeriodCounts.segmentRanges(rowCount: rowCount, items: items, threads: threads)
            let context = "rows \(rowCount), items \(items), threads \(threads)"
            #expect(!segments.isEmpty, "\(context)")
            #expect(segments.first?.lowerBound == 0 && segments.last?.upperBound == rowCount, "\(context)")
            #expect(zip(segments, segments.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }, "\(context)")
            #expect(segments.dropLast().allSatisfy { $0.count % GroupBy.blockRows == 0 }, "\(context)")
            #expect(segments.allSatisfy { $0.count <= PeriodCounts.maximumSegmentRows }, "\(context)")
            if items >= threads && rowCount <= PeriodCounts.maximumSegmentRows {
                #expect(segments.count == 1, "\(context): enough work items, no need to split the rows")
            }
        }
    }

    /// A code outside the feature's code count stops the process instead of writing outside the counters.
    @Test func codeOutOfRangeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = PeriodCounts.count(
                groups: [0, 0], periodOfGroup: [0], failure: [0, 1], features: [[0, 3]], codeCounts: [3], threads: 1)
        }
    }

    /// A group without a period stops the process.
    @Test func groupWithoutPeriodTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = PeriodCounts.count(
                groups: [0, 2], periodOfGroup: [0, 1], failure: [0, 1], features: [[0, 0]], codeCounts: [1], threads: 1)
        }
    }
}

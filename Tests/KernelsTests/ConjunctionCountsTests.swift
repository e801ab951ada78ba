import Kernels
import Testing
import _TestSupport

/// `ConjunctionCounts.count` against a scalar per-row reference on seeded inputs: the counts must be equal, for
/// every thread count.
struct ConjunctionCountsTests {
    static let lengths = [0, 1, 63, 64, 65, 2047, 2048, 2049, 4095, 4096, 4097, 65_537, 200_003]
    static let groupCounts = [1, 7, 300]
    static let threadCounts = [1, 2, 3]

    struct Input {
        let groups: [UInt16]
        let failure: [UInt8]
        /// Feature codes: 2 codes (half the rows each), 5 codes, 300 codes (a rare match), 1 code (always).
        let features: [[UInt16]]
        let conjunctions: [[ConjunctionCounts.Condition]]
    }

    static let featureCodeCounts = [2, 5, 300, 1]

    /// Seeded inputs; the conjunctions cover none, one, two and three conditions, conditions that always hold,
    /// never hold (a code no row has; two codes of the same feature), and rare ones.
    static func input(length: Int, groupCount: Int, seed: UInt64) -> Input {
        var random = SeededRandom(seed: seed)
        let groups = (0..<length).map { _ in UInt16(random.next() % UInt64(groupCount)) }
        let flags: [UInt8] = [1, 1, 1, 2, 255]
        let failure = (0..<length).map { _ in random.unit() < 0.3 ? flags[Int(random.next() % 5)] : 0 }
        let features = Self.featureCodeCounts.map { codeCount in
            (0..<length).map { _ in UInt16(random.next() % UInt64(codeCount)) }
        }
        func condition(_ feature: Int, _ code: UInt16) -> ConjunctionCounts.Condition {
            ConjunctionCounts.Condition(codes: features[feature], code: code)
        }
        let conjunctions: [[ConjunctionCounts.Condition]] = [
            [],
            [condition(0, 1)],
            [condition(1, 3)],
            [condition(2, 17)],
            [condition(3, 0)],
            [condition(2, 300)],
            [condition(0, 0), condition(1, 4)],
            [condition(1, 4), condition(0, 0)],
            [condition(0, 0), condition(0, 1)],
            [condition(0, 1), condition(0, 1)],
            [condition(3, 0), condition(0, 1), condition(1, 2)],
            [condition(1, 2), condition(2, 5), condition(0, 0)],
            [condition(2, UInt16(random.next() % 300)), condition(3, 0)],
        ]
        return Input(groups: groups, failure: failure, features: features, conjunctions: conjunctions)
    }

    /// The definition, row by row.
    static func reference(_ input: Input, groupCount: Int) -> [(trials: [Int], failures: [Int])] {
        input.conjunctions.map { conditions in
            var trials = [Int](repeating: 0, count: groupCount)
            var failures = [Int](repeating: 0, count: groupCount)
            for row in input.groups.indices where conditions.allSatisfy({ $0.codes[row] == $0.code }) {
                trials[Int(input.groups[row])] += 1
                failures[Int(input.groups[row])] += input.failure[row] != 0 ? 1 : 0
            }
            return (trials, failures)
        }
    }

    @Test(arguments: lengths)
    func countsMatchScalarReferenceForEveryThreadCount(length: Int) {
        for groupCount in Self.groupCounts {
            let input = Self.input(length: length, groupCount: groupCount, seed: UInt64(length &* 7 &+ groupCount))
            let expected = Self.reference(input, groupCount: groupCount)
            // All conjunctions together, and the first three alone (fewer work items than threads: row segments).
            for conjunctions in [input.conjunctions, Array(input.conjunctions.prefix(3))] {
                for threads in Self.threadCounts {
                    let counted = ConjunctionCounts.count(
                        conjunctions, groups: input.groups, groupCount: groupCount, failure: input.failure,
                        threads: threads)
                    let context = "rows \(length), groups \(groupCount), conjunctions \(conjunctions.count), "
                        + "threads \(threads)"
                    #expect(counted.count == conjunctions.count, "\(context)")
                    for (index, counts) in counted.enumerated() {
                        #expect(counts.trials == expected[index].trials, "\(context), conjunction \(index)")
                        #expect(counts.failures == expected[index].failures, "\(context), conjunction \(index)")
                    }
                }
            }
        }
    }

    @Test func handWorkedCounts() {
        let groups: [UInt16] = [0, 1, 1, 2, 0, 2]
        let failure: [UInt8] = [1, 0, 3, 1, 0, 0]
        let color: [UInt16] = [0, 1, 1, 1, 0, 1]
        let size: [UInt16] = [2, 2, 0, 2, 2, 1]
        let conjunctions = [
            [ConjunctionCounts.Condition(codes: color, code: 1)],
            [ConjunctionCounts.Condition(codes: color, code: 1), ConjunctionCounts.Condition(codes: size, code: 2)],
            [],
        ]
        let counted = ConjunctionCounts.count(conjunctions, groups: groups, groupCount: 4, failure: failure, threads: 2)
        #expect(counted[0].trials == [0, 2, 2, 0] && counted[0].failures == [0, 1, 1, 0])
        #expect(counted[1].trials == [0, 1, 1, 0] && counted[1].failures == [0, 0, 1, 0])
        #expect(counted[2].trials == [2, 2, 2, 0] && counted[2].failures == [1, 1, 1, 0])
    }

    @Test func noConjunctionsNoCounts() {
        #expect(ConjunctionCounts.count([], groups: [0], groupCount: 1, failure: [1], threads: 3).isEmpty)
    }

    /// A group outside the group count stops the process instead of writing outside the counters.
    @Test func groupOutOfRangeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = ConjunctionCounts.count([[]], groups: [0, 5], groupCount: 2, failure: [0, 1], threads: 1)
        }
    }
}

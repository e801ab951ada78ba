import Kernels
import Testing
import _TestSupport

/// `PairCounts` against a scalar per-row cross-tabulation on seeded inputs: counts must be equal for one- and
/// two-byte codes and every thread count.
struct PairCountsTests {
    static let lengths = [0, 1, 7, 8, 9, 63, 64, 65, 2047, 2048, 2049, 65_535, 65_537, 200_003]
    static let threadCounts = [1, 2, 3, 8]
    /// 1 code (every row), 2, 11, 200 (sparse cells) and 256 (the most a byte holds).
    static let codeCounts = [1, 2, 11, 200, 256]

    struct Input {
        let features: [[UInt16]]
        let failure: [UInt8]
    }

    /// Seeded codes (half the rows of the 200-code feature in its first 5 codes, so cells range from full to empty)
    /// and failure flags, some of them non-zero values other than 1.
    static func input(length: Int, codeCounts: [Int], seed: UInt64) -> Input {
        var random = SeededRandom(seed: seed)
        let features = codeCounts.map { count in
            (0..<length).map { _ in
                UInt16(random.next() % 2 == 0 ? random.next() % UInt64(min(count, 5)) : random.next() % UInt64(count))
            }
        }
        let flags: [UInt8] = [1, 1, 2, 255]
        let failure = (0..<length).map { _ in random.unit() < 0.3 ? flags[Int(random.next() % 4)] : 0 }
        return Input(features: features, failure: failure)
    }

    /// The cross-tabulation row by row.
    static func reference(_ first: [UInt16], _ firstCount: Int, _ second: [UInt16], _ secondCount: Int,
                          failure: [UInt8]) -> PairCounts.Table {
        var rows = [Int](repeating: 0, count: firstCount * secondCount)
        var failures = rows
        for row in failure.indices {
            let cell = Int(first[row]) * secondCount + Int(second[row])
            rows[cell] += 1
            if failure[row] != 0 { failures[cell] += 1 }
        }
        return PairCounts.Table(firstCount: firstCount, secondCount: secondCount, rows: rows, failures: failures)
    }

    @Test(arguments: lengths)
    func everyPairMatchesTheScalarReference(length: Int) {
        let input = Self.input(length: length, codeCounts: Self.codeCounts, seed: UInt64(length) &+ 17)
        let narrow = input.features.map { $0.map { UInt8($0) } }
        var expected: [PairCounts.Table] = []
        for i in Self.codeCounts.indices {
            for j in (i + 1)..<Self.codeCounts.count {
                expected.append(
                    Self.reference(
                        input.features[i], Self.codeCounts[i], input.features[j], Self.codeCounts[j],
                        failure: input.failure))
            }
        }
        for threads in Self.threadCounts {
            let wide = PairCounts.countAllPairs(
                features: input.features, codeCounts: Self.codeCounts, failure: input.failure, threads: threads)
            let bytes = PairCounts.countAllPairs(
                features: narrow, codeCounts: Self.codeCounts, failure: input.failure, threads: threads)
            #expect(wide.count == 10 && bytes.count == 10)
            // Compared table by table, so that a failure names the pair and does not print every table.
            for pair in expected.indices {
                #expect(wide[pair] == expected[pair], "rows \(length), threads \(threads), pair \(pair), 2-byte")
                #expect(bytes[pair] == expected[pair], "rows \(length), threads \(threads), pair \(pair), 1-byte")
            }
        }
    }

    /// One pair with more cells than get two copies of the counters (300 × 200), and a feature with itself.
    @Test(arguments: [1, 2, 8])
    func largeTablesAndOnePair(threads: Int) {
        let length = 100_003
        let input = Self.input(length: length, codeCounts: [300, 200], seed: 99)
        let table = PairCounts.count(
            first: input.features[0], firstCount: 300, second: input.features[1], secondCount: 200,
            failure: input.failure, threads: threads)
        #expect(table == Self.reference(input.features[0], 300, input.features[1], 200, failure: input.failure))
        #expect(table.rows.reduce(0, +) == length)
        #expect(table.failures.reduce(0, +) == input.failure.filter { $0 != 0 }.count)

        let codes = input.features[1].map { UInt8($0) }
        let diagonal = PairCounts.count(
            first: codes, firstCount: 200, second: codes, secondCount: 200, failure: input.failure, threads: threads)
        #expect(diagonal == Self.reference(input.features[1], 200, input.features[1], 200, failure: input.failure))
        let offDiagonal = (0..<200 * 200).filter { $0 / 200 != $0 % 200 }
        #expect(offDiagonal.allSatisfy { diagonal.rows[$0] == 0 })
    }

    @Test func handWorkedCells() {
        let first: [UInt8] = [0, 1, 1, 0, 1]
        let second: [UInt8] = [2, 0, 0, 2, 1]
        let table = PairCounts.count(
            first: first, firstCount: 2, second: second, secondCount: 3, failure: [1, 0, 3, 0, 1], threads: 2)
        #expect(table.rows == [0, 0, 2, 2, 1, 0])
        #expect(table.failures == [0, 0, 1, 1, 1, 0])
    }

    @Test func fewerThanTwoFeaturesHaveNoPairs() {
        #expect(PairCounts.countAllPairs(features: [[UInt8]](), codeCounts: [], failure: [], threads: 2).isEmpty)
        #expect(PairCounts.countAllPairs(features: [[UInt8(0)]], codeCounts: [1], failure: [0], threads: 2).isEmpty)
    }
}

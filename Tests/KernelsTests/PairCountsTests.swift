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

    // MARK: - Tables split by row class

    /// 0/1 failure flags and a confusion cell per row, consistent with them (a failure is a false positive or a
    /// false negative).
    static func classifiedOutcomes(length: Int, seed: UInt64) -> (failure: [UInt8], confusion: [UInt8]) {
        var random = SeededRandom(seed: seed)
        let confusion = (0..<length).map { _ in UInt8(random.next() % 4) }
        let failure = confusion.map { cell -> UInt8 in
            cell == ConfusionCell.falsePositive.rawValue || cell == ConfusionCell.falseNegative.rawValue ? 1 : 0
        }
        return (failure, confusion)
    }

    /// Each feature against the last, split by row class, equals a scalar count per cell and class, and its
    /// `table` the failure-only `countAgainst`, for every thread count; also with the last feature's codes in
    /// ascending order (a dump in time order), which the classes hold as runs.
    @Test(arguments: lengths, [false, true])
    func classTablesMatchTheScalarReference(length: Int, ascending: Bool) {
        let input = Self.input(length: length, codeCounts: Self.codeCounts, seed: UInt64(length) &+ 41)
        let (failure, confusion) = Self.classifiedOutcomes(length: length, seed: UInt64(length) &+ 43)
        let features = Array(input.features.dropLast())
        let codeCounts = Array(Self.codeCounts.dropLast())
        let unsorted = input.features[input.features.count - 1]
        let column = ascending ? unsorted.sorted() : unsorted
        let columnCount = Self.codeCounts[Self.codeCounts.count - 1]
        let classes = PairCounts.ColumnClasses(
            column: BinCodes(column), columnCount: columnCount, failure: failure, confusion: confusion, threads: 2)
        #expect((classes.ascendingRunCount != nil) == (column == column.sorted()), "runs held")
        if ascending { #expect(classes.ascendingRunCount != nil) }
        #expect(classes.ascendingRunCount.map { $0 == Set(column).count } ?? true, "one run per code")
        for (classBits, cells) in [(1, nil), (3, confusion)] {
            var expected: [[Int]] = codeCounts.map { [Int](repeating: 0, count: $0 * columnCount << classBits) }
            for (feature, codes) in features.enumerated() {
                for row in 0..<length {
                    let cell = Int(codes[row]) * columnCount + Int(column[row])
                    let rowClass = classBits == 1 ? Int(failure[row]) : Int(confusion[row]) << 1 | Int(failure[row])
                    expected[feature][cell << classBits | rowClass] += 1
                }
            }
            for threads in ascending ? [1, 3] : Self.threadCounts {
                let tables = PairCounts.countAgainst(
                    features: features, codeCounts: codeCounts, column: column, columnCount: columnCount,
                    failure: failure, confusion: cells, threads: threads)
                let plain = PairCounts.countAgainst(
                    features: features, codeCounts: codeCounts, column: column, columnCount: columnCount,
                    failure: failure, threads: threads)
                #expect(tables.count == features.count)
                for feature in features.indices {
                    let context = "rows \(length), \(classBits) class bits, threads \(threads), feature \(feature)"
                    #expect(tables[feature].classBits == classBits, "\(context)")
                    // The first differing slot, not two arrays of thousands of counts, on a failure.
                    let counts = tables[feature].counts
                    let differs = counts.count != expected[feature].count
                        ? 0 : counts.indices.first { counts[$0] != expected[feature][$0] }
                    #expect(differs == nil, "\(context): slot \(differs ?? -1)")
                    #expect(tables[feature].table == plain[feature], "\(context)")
                }
            }
        }
    }

    /// A column whose codes and classes do not fit two bytes together (9,000 codes, three class bits) is counted
    /// by the pair loop instead; both give the scalar count, with one-byte and two-byte feature codes, and with a
    /// one-byte column of 256 codes.
    @Test(arguments: [1, 65, 20_003])
    func aColumnOfManyCodesIsCountedByThePairLoop(length: Int) {
        let input = Self.input(length: length, codeCounts: [7, 300, 9000], seed: UInt64(length) &+ 59)
        let (failure, confusion) = Self.classifiedOutcomes(length: length, seed: UInt64(length) &+ 61)
        let features = [BinCodes(input.features[0], codeCount: 7), BinCodes(input.features[1], codeCount: 300)]
        // Also a one-byte column of exactly 256 codes (the most a byte holds: a one-byte limit would be 0).
        for (columnCount, column) in [
            (9000, input.features[2]), (90, input.features[2].map { $0 % 90 }), (256, input.features[2].map { $0 % 256 }),
        ] {
            let columnCodes = columnCount <= 256 ? BinCodes(column, codeCount: columnCount) : BinCodes(column)
            if columnCount == 256 { #expect(columnCodes.isNarrow) }
            for (classBits, cells) in [(1, nil), (3, confusion)] {
                let tables = PairCounts.countAgainst(
                    features: features, codeCounts: [7, 300], column: columnCodes, columnCount: columnCount,
                    failure: failure, confusion: cells, threads: 2)
                for (feature, codeCount) in [(0, 7), (1, 300)] {
                    var expected = [Int](repeating: 0, count: codeCount * columnCount << classBits)
                    for row in 0..<length {
                        let cell = Int(input.features[feature][row]) * columnCount + Int(column[row])
                        let rowClass = classBits == 1 ? Int(failure[row]) : Int(confusion[row]) << 1 | Int(failure[row])
                        expected[cell << classBits | rowClass] += 1
                    }
                    let same = tables[feature].counts == expected
                    #expect(same, "rows \(length), column codes \(columnCount), \(classBits) class bits, feature \(feature)")
                }
            }
        }
    }

    /// A column's codes written again from its classes equal the codes it was made from, row by row and at the
    /// width asked for: combined (90 and 256 codes, one and three class bits) or kept apart (9,000 codes).
    @Test(arguments: [0, 1, 65, 65_537])
    func columnCodesComeBackFromTheirClasses(length: Int) {
        let input = Self.input(length: length, codeCounts: [9000], seed: UInt64(length) &+ 67)
        let (failure, confusion) = Self.classifiedOutcomes(length: length, seed: UInt64(length) &+ 71)
        for (columnCount, narrow) in [(90, true), (90, false), (256, true), (9000, false)] {
            for ascending in [false, true] {
                let drawn = input.features[0].map { $0 % UInt16(columnCount) }
                // Ascending codes are held as runs.
                let column = ascending ? drawn.sorted() : drawn
                let codes = narrow ? BinCodes(column, codeCount: columnCount) : BinCodes(column)
                #expect(codes.isNarrow == narrow)
                for cells in [nil, confusion] {
                    let classes = PairCounts.ColumnClasses(
                        column: codes, columnCount: columnCount, failure: failure, confusion: cells, threads: 2)
                    let again = classes.columnCodes(narrow: narrow)
                    #expect(again.isNarrow == narrow && !again.isRemade)
                    #expect(Array(again) == Array(codes), "\(columnCount) codes, confusion \(cells != nil)")
                    if ascending && columnCount < 9000 { #expect(classes.ascendingRunCount != nil) }
                }
            }
        }
    }

    /// The statistics a class table gives for its first feature are `GroupBy`'s under the 0/1 loss: rows, failures,
    /// loss sums and (with the confusion classes) the confusion counts.
    @Test(arguments: [0, 1, 65, 65_537, 200_003])
    func classTableGroupStatsEqualTheGroupBy(length: Int) {
        let input = Self.input(length: length, codeCounts: [11, 256, 90], seed: UInt64(length) &+ 47)
        let (failure, confusion) = Self.classifiedOutcomes(length: length, seed: UInt64(length) &+ 53)
        for cells in [nil, confusion] {
            let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: cells)
            let tables = PairCounts.countAgainst(
                features: [input.features[0], input.features[1]], codeCounts: [11, 256], column: input.features[2],
                columnCount: 90, failure: failure, confusion: cells, threads: 2)
            for (feature, count) in [(0, 11), (1, 256)] {
                let expected = GroupBy.aggregate(
                    codes: input.features[feature], groupCount: count, outcomes: outcomes, threads: 2)
                #expect(tables[feature].groupStats() == expected, "rows \(length), confusion \(cells != nil)")
            }
        }
    }

    @Test func handWorkedClassTable() {
        // Rows: (first, second, confusion cell, failed).
        let rows: [(UInt16, UInt16, UInt8, UInt8)] = [(0, 1, 1, 1), (0, 1, 0, 0), (1, 0, 3, 1), (0, 1, 1, 1)]
        let tables = PairCounts.countAgainst(
            features: [rows.map(\.0)], codeCounts: [2], column: rows.map(\.1), columnCount: 2,
            failure: rows.map(\.3), confusion: rows.map(\.2), threads: 1)
        var expected = [Int](repeating: 0, count: 4 * 8)
        expected[1 << 3 | 0 << 1 | 0] = 1  // cell (0, 1): one true positive
        expected[1 << 3 | 1 << 1 | 1] = 2  // and two false positives, failed
        expected[2 << 3 | 3 << 1 | 1] = 1  // cell (1, 0): one false negative, failed
        #expect(tables[0].counts == expected)
        let stats = tables[0].groupStats()
        #expect(stats.map(\.rows) == [3, 1])
        #expect(stats.map(\.failures) == [2, 1])
        #expect(stats[0].confusion == SIMD4(1, 2, 0, 0))
        #expect(stats[1].confusion == SIMD4(0, 0, 0, 1))
        #expect(stats.map(\.lossMax) == [1, 1])
    }
}

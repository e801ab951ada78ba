import Kernels
import Testing
import _TestSupport

@testable import SliceSearch

/// The in-memory time counter's before/after counts and slice series from its feature-by-time tables, against the
/// kernels that count them row by row (``PeriodCounts``, ``ConjunctionCounts``).
struct RowTimeCounterTests {
    static func feature(_ name: String, kind: FeatureKind = .categorical, bins: Int, codes: [UInt16]) -> BinnedFeature {
        BinnedFeature(
            name: name, kind: kind, columnType: "string", identities: (0..<bins).map { .value(String($0)) },
            codes: codes)
    }

    static func data(rows: Int, seed: UInt64) -> (time: BinnedFeature, features: [BinnedFeature], failure: [UInt8]) {
        var random = SeededRandom(seed: seed)
        let time = feature("t", kind: .time, bins: 7, codes: (0..<rows).map { _ in UInt16(random.next() % 7) })
        let features = [3, 1, 12].enumerated().map { index, bins in
            feature("f\(index)", bins: bins, codes: (0..<rows).map { _ in UInt16(random.next() % UInt64(bins)) })
        }
        let failure = (0..<rows).map { _ in UInt8(random.next() % 3 == 0 ? 1 : 0) }
        return (time, features, failure)
    }

    /// The counts as the kernels give them row by row, the way the in-memory counter gave them before it kept
    /// tables.
    struct ReferenceCounter: TimeCounter {
        let time: BinnedFeature
        let failure: [UInt8]
        let features: [BinnedFeature]

        func timeCounts() -> (trials: [Int], failures: [Int]) {
            let counts = ConditionCounts.perCode(
                time.codes, groupCount: time.identities.count, failure: failure, threads: 1)
            return (counts.trials, counts.failures)
        }

        func periodCounts(periodOfCode: [UInt8], features: [BinnedFeature]) -> [(trials: [[Int]], failures: [[Int]])] {
            PeriodCounts.count(
                groups: time.codes, periodOfGroup: periodOfCode, failure: failure, features: features.map(\.codes),
                codeCounts: features.map { max(1, $0.identities.count) }, threads: 1
            ).map { ($0.trials, $0.failures) }
        }

        func sliceCounts(_ slices: [[(feature: Int, code: Int)]]) -> [(trials: [Int], failures: [Int])] {
            ConjunctionCounts.count(
                slices.map { slice in
                    slice.map { ConjunctionCounts.Condition(codes: features[$0.feature].codes, code: UInt16($0.code)) }
                }, groups: time.codes, groupCount: time.identities.count, failure: failure, threads: 1)
        }
    }

    /// Past the cell budget (here 2,000 time codes against 20 bins: 40,000 cells in one table) the counter counts
    /// the before/after tables row by row and keeps nothing; the answers are the same.
    @Test func bigTablesFallBackToTheRowByRowCounts() {
        var random = SeededRandom(seed: 31)
        let rows = 10_000
        let time = Self.feature(
            "t", kind: .time, bins: 2_000, codes: (0..<rows).map { _ in UInt16(random.next() % 2_000) })
        let features = [Self.feature("f", bins: 20, codes: (0..<rows).map { _ in UInt16(random.next() % 20) })]
        let failure = (0..<rows).map { _ in UInt8(random.next() % 4 == 0 ? 1 : 0) }
        #expect(20 * 2_000 > RowTimeCounter.maximumTableCells)
        let periodOfCode = (0..<2_000).map { UInt8($0 < 900 ? 0 : ($0 < 1_900 ? 1 : 2)) }
        let counter = RowTimeCounter(time: time, failure: failure, threads: 2, features: features)
        let reference = ReferenceCounter(time: time, failure: failure, features: features)
        let counted = counter.periodCounts(periodOfCode: periodOfCode, features: features)
        let expected = reference.periodCounts(periodOfCode: periodOfCode, features: features)
        #expect(counted.map(\.trials) == expected.map(\.trials))
        #expect(counted.map(\.failures) == expected.map(\.failures))
        let slices: [[(feature: Int, code: Int)]] = [[(0, 3)], [(0, 19)]]
        #expect(counter.sliceCounts(slices).map(\.trials) == reference.sliceCounts(slices).map(\.trials))
        #expect(counter.sliceCounts(slices).map(\.failures) == reference.sliceCounts(slices).map(\.failures))
    }

    @Test(arguments: [0, 1, 63, 2_049, 20_000])
    func periodCountsMatchThePeriodKernel(rows: Int) {
        let (time, features, failure) = Self.data(rows: rows, seed: UInt64(rows) + 9)
        // Time codes 0-2 before, 3 and 5 after, 4 and 6 not counted.
        let periodOfCode: [UInt8] = [0, 0, 0, 1, 2, 1, 2]
        for threads in [1, 2] {
            let counter = RowTimeCounter(time: time, failure: failure, threads: threads, features: features)
            let counted = counter.periodCounts(periodOfCode: periodOfCode, features: features)
            let expected = PeriodCounts.count(
                groups: time.codes, periodOfGroup: periodOfCode, failure: failure, features: features.map(\.codes),
                codeCounts: features.map(\.identities.count), threads: 1)
            #expect(counted.map(\.trials) == expected.map(\.trials))
            #expect(counted.map(\.failures) == expected.map(\.failures))
        }
    }

    /// A time column whose codes the binning let go (a recipe) is written whole once, the first time a count needs
    /// it, and then counts as the written codes do.
    @Test func timeCodesLetGoAreWrittenOnce() {
        let (time, features, failure) = Self.data(rows: 3_000, seed: 21)
        final class Writes: @unchecked Sendable {
            // Read and written on the test's thread only (the counter writes the codes on its caller's thread).
            var count = 0
        }
        let writes = Writes()
        let written = time.codes
        var remade = time
        remade.codes = BinCodes(
            remadeBy: CodeRecipe(count: written.count, isNarrow: written.isNarrow, all: {
                writes.count += 1
                return written
            }) { written[$0] })
        #expect(remade.codes.isRemade)
        let periodOfCode: [UInt8] = [0, 0, 0, 1, 1, 2, 1]
        let slices: [[(feature: Int, code: Int)]] = [[(0, 1), (2, 5)], [(1, 0)], [(0, 2)], [(0, 2)]]
        let expected = RowTimeCounter(time: time, failure: failure, threads: 1, features: features)
        let counter = RowTimeCounter(time: remade, failure: failure, threads: 1, features: features)
        #expect(writes.count == 0, "nothing written before a count needs the codes")
        #expect(counter.timeCounts().trials == expected.timeCounts().trials)
        #expect(counter.timeCounts().failures == expected.timeCounts().failures)
        let periods = counter.periodCounts(periodOfCode: periodOfCode, features: features)
        let expectedPeriods = expected.periodCounts(periodOfCode: periodOfCode, features: features)
        #expect(periods.map(\.trials) == expectedPeriods.map(\.trials))
        #expect(periods.map(\.failures) == expectedPeriods.map(\.failures))
        let series = counter.sliceCounts(slices)
        let expectedSeries = expected.sliceCounts(slices)
        #expect(series.map(\.trials) == expectedSeries.map(\.trials))
        #expect(series.map(\.failures) == expectedSeries.map(\.failures))
        #expect(writes.count == 1, "written once for every count")
    }

    /// One-bin slices read the tables the before/after counts left, or a table counted for a feature that two or
    /// more slices ask about; a slice of the time column itself is its own bin's count; conjunctions, single slices
    /// of a feature without a table and codes past a feature's bins are counted over the rows. Every answer equals
    /// the conjunction kernel's, on one thread or two, asked twice, and the before/after counts asked afterwards
    /// still equal the period kernel's.
    @Test(arguments: [true, false])
    func sliceCountsMatchTheConjunctionKernel(afterPeriodCounts: Bool) {
        let (time, features, failure) = Self.data(rows: 5_000, seed: 4)
        // A copy of the time column under another name, in its own array: a feature like any other.
        let copy = Self.feature("t copy", bins: 7, codes: time.codes.map { $0 })
        let all = features + [time, copy]
        let periodOfCode: [UInt8] = [0, 0, 0, 1, 1, 1, 1]
        // Feature 2 is asked about several times (a table of its own without the before/after counts), also at
        // code 12, past its 12 bins; 0 once alone; 3 is the time column; 4 its copy, twice.
        let slices: [[(feature: Int, code: Int)]] = [
            [(0, 2)], [(2, 11)], [(1, 0)], [(0, 1), (2, 5)], [(3, 4)], [(2, 0)], [], [(3, 0)], [(3, 6)], [(2, 12)],
            [(4, 2)], [(4, 6)],
        ]
        let expected = ConjunctionCounts.count(
            slices.map { slice in
                slice.map { ConjunctionCounts.Condition(codes: all[$0.feature].codes, code: UInt16($0.code)) }
            }, groups: time.codes, groupCount: 7, failure: failure, threads: 1)
        let expectedPeriods = PeriodCounts.count(
            groups: time.codes, periodOfGroup: periodOfCode, failure: failure, features: features.map(\.codes),
            codeCounts: features.map(\.identities.count), threads: 1)
        for threads in [1, 2] {
            let counter = RowTimeCounter(time: time, failure: failure, threads: threads, features: all)
            if afterPeriodCounts {
                _ = counter.periodCounts(periodOfCode: periodOfCode, features: features)
            }
            for round in 1...2 {
                let counted = counter.sliceCounts(slices)
                #expect(counted.map(\.trials) == expected.map(\.trials), "threads \(threads), round \(round)")
                #expect(counted.map(\.failures) == expected.map(\.failures), "threads \(threads), round \(round)")
            }
            let periods = counter.periodCounts(periodOfCode: periodOfCode, features: features)
            #expect(periods.map(\.trials) == expectedPeriods.map(\.trials), "threads \(threads)")
            #expect(periods.map(\.failures) == expectedPeriods.map(\.failures), "threads \(threads)")
        }
    }

    /// Tables counted with the 1-D slicing and given to the counter serve the before/after counts and the one-bin
    /// series like its own: the same answers as the kernels, for features with a given table (f0, f2), without one
    /// (f1) and with one counted for another feature (f2's given under f1's name is not used).
    @Test(arguments: [1, 2])
    func givenTablesGiveTheKernelsCounts(threads: Int) {
        let (time, features, failure) = Self.data(rows: 20_000, seed: 12)
        let periodOfCode: [UInt8] = [0, 0, 1, 1, 2, 1, 0]
        let counted = PairCounts.countAgainst(
            features: features.map(\.codes), codeCounts: features.map(\.identities.count), column: time.codes,
            columnCount: 7, failure: failure, confusion: nil, threads: 1)
        let tables = [
            "f0": KeptTimeTable(feature: features[0], table: counted[0].table),
            "f1": KeptTimeTable(feature: features[2], table: counted[2].table),
            "f2": KeptTimeTable(feature: features[2], table: counted[2].table),
        ]
        let counter = RowTimeCounter(time: time, failure: failure, threads: threads, features: features, tables: tables)
        let periods = counter.periodCounts(periodOfCode: periodOfCode, features: features)
        let expectedPeriods = PeriodCounts.count(
            groups: time.codes, periodOfGroup: periodOfCode, failure: failure, features: features.map(\.codes),
            codeCounts: features.map(\.identities.count), threads: 1)
        #expect(periods.map(\.trials) == expectedPeriods.map(\.trials))
        #expect(periods.map(\.failures) == expectedPeriods.map(\.failures))
        let slices: [[(feature: Int, code: Int)]] = [[(0, 2)], [(1, 0)], [(2, 11)], [(2, 3)]]
        let expected = ConjunctionCounts.count(
            slices.map { slice in
                slice.map { ConjunctionCounts.Condition(codes: features[$0.feature].codes, code: UInt16($0.code)) }
            }, groups: time.codes, groupCount: 7, failure: failure, threads: 1)
        let series = counter.sliceCounts(slices)
        #expect(series.map(\.trials) == expected.map(\.trials))
        #expect(series.map(\.failures) == expected.map(\.failures))
    }

    /// A given table is read, not counted again: an empty table given for f0 makes f0's counts zero.
    @Test func givenTablesAreReadNotRecounted() {
        let (time, features, failure) = Self.data(rows: 1_000, seed: 13)
        let empty = PairCounts.Table(
            firstCount: 3, secondCount: 7, rows: [Int](repeating: 0, count: 21), failures: [Int](repeating: 0, count: 21))
        let counter = RowTimeCounter(
            time: time, failure: failure, threads: 1, features: features,
            tables: ["f0": KeptTimeTable(feature: features[0], table: empty)])
        let periods = counter.periodCounts(periodOfCode: [0, 0, 0, 1, 1, 1, 1], features: features)
        #expect(periods[0].trials == [[0, 0, 0], [0, 0, 0]])
        #expect(periods[2].trials.joined().reduce(0, +) == 1_000)
        #expect(counter.sliceCounts([[(0, 1)]])[0].trials == [Int](repeating: 0, count: 7))
        // A feature of the same name and bins but other codes is counted, not read from the table.
        let other = Self.feature("f0", bins: 3, codes: features[0].codes.map { ($0 + 1) % 3 })
        let recounted = counter.periodCounts(periodOfCode: [0, 0, 0, 1, 1, 1, 1], features: [other])
        #expect(recounted[0].trials.joined().reduce(0, +) == 1_000)
    }

    /// The time column's own counts, when given (the 1-D slicing's), are read, not counted: made-up counts come
    /// back, in the series of the time column's own bins too. Without them, the counts are the rows per time code.
    @Test func givenTimeCountsAreReadNotRecounted() {
        let (time, features, failure) = Self.data(rows: 1_000, seed: 14)
        let madeUp = (trials: [Int](0..<7), failures: [Int](repeating: 0, count: 7))
        let given = RowTimeCounter(
            time: time, failure: failure, threads: 1, features: features + [time], timeCounts: madeUp)
        #expect(given.timeCounts().trials == madeUp.trials)
        let ownBin = given.sliceCounts([[(features.count, 3)]])[0]
        #expect(ownBin.trials == [0, 0, 0, 3, 0, 0, 0])
        let counted = RowTimeCounter(time: time, failure: failure, threads: 2, features: features + [time])
        var trials = [Int](repeating: 0, count: 7)
        var failures = trials
        for row in 0..<1_000 {
            trials[Int(time.codes[row])] += 1
            failures[Int(time.codes[row])] += Int(failure[row])
        }
        for _ in 0..<2 {
            #expect(counted.timeCounts().trials == trials)
            #expect(counted.timeCounts().failures == failures)
        }
    }

    /// The time analysis through one shared counter gives the same result and series as through the row-by-row
    /// counts (``ReferenceCounter``), on a dump whose split is found (one segment's rate triples after day 30).
    @Test func sharedCounterGivesTheSameAnalysis() throws {
        let (seconds, segment, other, failure) = TimeAnalysisTests.emergingDump(seed: 78)
        let features = [
            Self.feature("segment", bins: 4, codes: segment), Self.feature("other", bins: 3, codes: other),
        ]
        let time = try TimeAnalysisTests.timeFeature(seconds: seconds)
        let reference = ReferenceCounter(time: time, failure: failure, features: features + [time])
        let direct = TimeAnalysis.analyze(time: time, counter: reference, features: features)
        #expect(direct.split != nil)
        #expect(!direct.emerging.isEmpty)
        let counter = RowTimeCounter(time: time, failure: failure, threads: 2, features: features + [time])
        let shared = TimeAnalysis.analyze(time: time, counter: counter, features: features)
        #expect(shared.emerging == direct.emerging)
        #expect(shared.decomposition == direct.decomposition)
        #expect(shared.split == direct.split)
        let slices = [
            [SliceReference(feature: "segment", identity: .value("2"))],
            [SliceReference(feature: "other", identity: .value("0")),
             SliceReference(feature: "segment", identity: .value("1"))],
            [SliceReference(feature: "ts", identity: time.identities[3])],
        ]
        let sharedSeries = TimeAnalysis.sliceSeries(
            slices, time: time, features: features + [time], counter: counter, result: shared)
        let directSeries = TimeAnalysis.sliceSeries(
            slices, time: time, features: features + [time], counter: reference, result: direct)
        // Counts compared (an empty bucket's rate is NaN, never equal to itself).
        func counts(_ series: [SliceTimeSeries]) -> [[Int]] {
            series.map { entry in
                (entry.buckets + entry.segments + [entry.before, entry.after].compactMap { $0 })
                    .flatMap { [$0.n, $0.failures] }
            }
        }
        #expect(sharedSeries.count == 3)
        #expect(sharedSeries.map(\.slice) == directSeries.map(\.slice))
        #expect(counts(sharedSeries) == counts(directSeries))
    }
}

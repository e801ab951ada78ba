import ColumnStore
import Kernels
import Testing
import _TestSupport

@testable import SliceSearch

struct FeatureBinnerTests {
    /// The small-array scan for distinct values agrees with a Set of the same values, early stop included.
    @Test func distinctValuesAgreeWithASet() {
        var random = SeededRandom(seed: 77)
        for trial in 0..<300 {
            let cardinality = 1 + Int(random.next() % 40)
            let count = Int(random.next() % 500)
            var values = (0..<count).map { _ in Double(Int(random.next() % UInt64(cardinality))) - 3 }
            if trial % 7 == 0 { values = values.map { $0 == 0 ? -0.0 : $0 } }
            for limit in [1, 2, 11, 32, 33, 60] {
                var seen = Set<Double>()
                for value in values {
                    if seen.insert(value).inserted, seen.count >= limit { break }
                }
                #expect(FeatureBinner.distinctValues(values, limit: limit) == seen.sorted(), "trial \(trial), limit \(limit)")
            }
        }
    }

    static func strings(_ values: [String], missing: Set<Int> = []) -> Column {
        var dictionary: [String] = []
        var index: [String: UInt32] = [:]
        let codes = values.map { value -> UInt32 in
            if let code = index[value] { return code }
            index[value] = UInt32(dictionary.count)
            dictionary.append(value)
            return UInt32(dictionary.count - 1)
        }
        let validity = missing.isEmpty ? nil : ValidityBitmap(values.indices.map { !missing.contains($0) })
        return Column(
            name: "s", values: .string(DictionaryStrings(codes: ColumnBuffer(codes), dictionary: dictionary)),
            validity: validity)
    }

    @Test func rarestCategoriesBeyondTheLimitMergeIntoOther() throws {
        var options = SlicingOptions()
        options.maxCategories = 2
        let column = Self.strings(["a", "b", "b", "c", "c", "c", "d", "a", "b"], missing: [8])
        let binned = try #require(FeatureBinner(options: options).bin(column, role: .feature, keep: nil))
        #expect(binned.kind == .categorical)
        // counts: a 2, b 2 (one missing), c 3, d 1 → keep c and (a, b tie broken by text: a), merge b and d
        #expect(binned.identities == [.value("a"), .value("c"), .other(mergedCategories: 2), .missing])
        #expect(binned.codes == [0, 2, 2, 1, 1, 1, 2, 0, 3])
    }

    /// Within the category limit, a string column gets one bin per occurring entry in text order, then the missing
    /// rows' bin: from one pass when every dictionary entry occurs, and from two when one does not (an entry met
    /// only on a missing row here, as a reader may leave one) or when rows are dropped.
    @Test func everyOccurringEntryIsABinInTextOrder() throws {
        let binner = FeatureBinner(options: SlicingOptions())
        let column = Self.strings(["b", "a", "c", "a", "b", "b"], missing: [4])
        let binned = try #require(binner.bin(column, role: .feature, keep: nil))
        #expect(binned.identities == [.value("a"), .value("b"), .value("c"), .missing])
        #expect(binned.codes == [1, 0, 2, 0, 3, 1])

        // "z" is only on a missing row: it occurs nowhere, so it is not a bin.
        let unused = Self.strings(["b", "z", "a", "b"], missing: [1])
        let withUnused = try #require(binner.bin(unused, role: .feature, keep: nil))
        #expect(withUnused.identities == [.value("a"), .value("b"), .missing])
        #expect(withUnused.codes == [1, 2, 0, 1])

        let kept = try #require(binner.bin(column, role: .feature, keep: [true, true, false, true, true, true]))
        #expect(kept.identities == [.value("a"), .value("b"), .missing])
        #expect(kept.codes == [1, 0, 0, 2, 1])

        let noMissing = try #require(binner.bin(Self.strings(["y", "x", "y"]), role: .feature, keep: nil))
        #expect(noMissing.identities == [.value("x"), .value("y")])
        #expect(noMissing.codes == [1, 0, 1])
    }

    @Test func lowCardinalityNumbersAreCategoriesAndOthersAreQuantileBins() throws {
        let few = Column(name: "f", values: .int64(ColumnBuffer([3, 1, 3, 2, 1])), validity: nil)
        let binned = try #require(FeatureBinner(options: SlicingOptions()).bin(few, role: .feature, keep: nil))
        #expect(binned.identities == [.value("1"), .value("2"), .value("3")])
        #expect(binned.codes == [2, 0, 2, 1, 0])

        let many = Column(
            name: "m", values: .float64(ColumnBuffer((0..<100).map { Double($0) } + [.nan])), validity: nil)
        var options = SlicingOptions()
        options.bins = 4
        let quantiles = try #require(FeatureBinner(options: options).bin(many, role: .feature, keep: nil))
        #expect(quantiles.kind == .numeric)
        #expect(quantiles.edges == [0, 24.75, 49.5, 74.25, 99])
        #expect(quantiles.identities.last == .missing)
        #expect(quantiles.codes[0] == 0 && quantiles.codes[24] == 0 && quantiles.codes[25] == 1)
        #expect(quantiles.codes[99] == 3 && quantiles.codes[100] == 4)
    }

    /// ±infinity used to make the quantile interpolation (and the uniform width) NaN, and every row "(missing)".
    @Test(arguments: [BinningMethod.quantile, .uniform])
    func infinitiesWidenTheOuterBins(_ method: BinningMethod) throws {
        let values: [Double] = [-.infinity, .infinity, .nan] + (0..<100).map { Double($0) } + [.infinity]
        let column = Column(name: "m", values: .float64(ColumnBuffer(values)), validity: nil)
        var options = SlicingOptions()
        options.bins = 4
        options.binning = method
        let binned = try #require(FeatureBinner(options: options).bin(column, role: .feature, keep: nil))
        let edges = try #require(binned.edges)
        #expect(edges.first == -.infinity && edges.last == .infinity, "\(edges)")
        #expect(edges.allSatisfy { !$0.isNaN })
        #expect(edges.dropFirst().dropLast().allSatisfy { $0 > 0 && $0 < 99 }, "\(edges)")
        let missingCode = UInt16(binned.identities.count - 1)
        #expect(binned.identities.last == .missing)
        #expect(binned.codes[0] == 0 && binned.codes[1] == missingCode - 1 && binned.codes[2] == missingCode)
        #expect(binned.codes.filter { $0 == missingCode }.count == 1)
    }

    @Test func keepMaskDropsRowsAndTheirValuesFromTheEdges() throws {
        let column = Column(name: "m", values: .float64(ColumnBuffer((0..<20).map { Double($0) })), validity: nil)
        var options = SlicingOptions()
        options.bins = 2
        let keep = (0..<20).map { $0 < 11 }
        let binned = try #require(FeatureBinner(options: options).bin(column, role: .feature, keep: keep))
        #expect(binned.codes.count == 11)
        #expect(binned.edges == [0, 5, 10])
    }

    @Test func timestampsFallIntoCalendarBuckets() throws {
        let day: Int64 = 86_400
        // 2024-01-01 (a Monday) 00:00 UTC = 19723 days
        let monday = 19_723 * day
        let stamps = [monday, monday + 3 * day, monday + 8 * day, monday + 40 * day].map { $0 * 1_000_000 }
        let column = Column(name: "ts", values: .timestamp(ColumnBuffer(stamps), .microsecond), validity: nil)
        var options = SlicingOptions()
        options.timeBucket = .week
        let weeks = try #require(FeatureBinner(options: options).bin(column, role: .time, keep: nil))
        #expect(weeks.kind == .time)
        #expect(weeks.codes == [0, 0, 1, 5])
        #expect(weeks.identities.first == .timeBucket(start: monday, end: monday + 7 * day))
        options.timeBucket = .month
        let months = try #require(FeatureBinner(options: options).bin(column, role: .time, keep: nil))
        #expect(months.codes == [0, 0, 0, 1])
        #expect(months.identities.count == 2)
        #expect(months.identities[1] == .timeBucket(start: (19_723 + 31) * day, end: (19_723 + 31 + 29) * day))
    }

    @Test func automaticBucketWidthFollowsTheSpan() {
        #expect(TimeBucketWidth.automatic(spanSeconds: 3_600 * 30) == .hour)
        #expect(TimeBucketWidth.automatic(spanSeconds: 86_400 * 90) == .day)
        #expect(TimeBucketWidth.automatic(spanSeconds: 86_400 * 366) == .week)
        #expect(TimeBucketWidth.automatic(spanSeconds: 86_400 * 3_000) == .month)
    }

    @Test func allMissingColumnIsNotBinned() {
        let column = Column(
            name: "empty", values: .float64(ColumnBuffer([0, 0])), validity: ValidityBitmap(count: 2, allValid: false))
        #expect(FeatureBinner(options: SlicingOptions()).bin(column, role: .feature, keep: nil) == nil)
    }

    /// Codes are one byte while a column's bins and its missing-value code fit in one (at most 255 bins, whether or
    /// not a row is missing), two past that, for text, integer categories and intervals alike; and the codes are the
    /// same either way.
    @Test func codesAreOneByteUpTo256Codes() throws {
        var options = SlicingOptions()
        options.maxCategories = 1_000
        options.bins = 300
        let binner = FeatureBinner(options: options)
        func texts(_ distinct: Int, missing: Bool) -> Column {
            let values = (0..<(2 * distinct)).map { "v\(1_000 + $0 % distinct)" }
            return Self.strings(values + (missing ? ["x"] : []), missing: missing ? [values.count] : [])
        }
        for (distinct, missing, narrow) in [(255, true, true), (255, false, true), (256, false, false), (256, true, false), (300, false, false)] {
            let binned = try #require(binner.bin(texts(distinct, missing: missing), role: .feature, keep: nil))
            #expect(binned.identities.count == distinct + (missing ? 1 : 0))
            #expect(binned.codes.isNarrow == narrow, "\(distinct) values, missing \(missing)")
            let expected = (0..<(2 * distinct)).map { UInt16($0 % distinct) } + (missing ? [UInt16(distinct)] : [])
            #expect(binned.codes.wide == expected)
            // With a keep mask (the two-pass path) that keeps every value, the same width.
            let keep = (0..<binned.codes.count).map { $0 < distinct || $0 == 2 * distinct }
            let kept = try #require(binner.bin(texts(distinct, missing: missing), role: .feature, keep: keep))
            #expect(kept.codes.isNarrow == narrow, "kept: \(distinct) values, missing \(missing), \(kept.identities.count) bins")
        }
        let batches = Column(name: "b", values: .int64(ColumnBuffer((0..<600).map { Int64($0 % 300) })), validity: nil)
        var batchOptions = SlicingOptions()
        batchOptions.maxBatches = 1_000
        let batch = try #require(FeatureBinner(options: batchOptions).bin(batches, role: .batch, keep: nil))
        #expect(batch.identities.count == 300 && !batch.codes.isNarrow)
        #expect(batch.codes.wide == (0..<600).map { UInt16($0 % 300) })
        let values = (0..<3_000).map { Double($0) }
        let numbers = Column(name: "x", values: .float64(ColumnBuffer(values)), validity: nil)
        let wideBins = try #require(binner.bin(numbers, role: .feature, keep: nil))
        #expect(wideBins.identities.count == 300 && !wideBins.codes.isNarrow)
        let narrowBins = try #require(FeatureBinner(options: SlicingOptions()).bin(numbers, role: .feature, keep: nil))
        #expect(narrowBins.codes.isNarrow)
        #expect(wideBins.codes.wide == values.map { UInt16(min(299, Int($0) / 10)) })
    }

    /// An integer label or prediction binned from class ids gets the bins, identities and codes of the binning of its
    /// values, whatever ids the classes have; and no bins (nil) where that binning would not give one per value.
    @Test(arguments: [1 as UInt64, 2, 3, 4, 5, 6])
    func classIdsGiveTheBinsOfTheValues(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let rows = 5_000
        let pools: [[Int64]] = [
            [0, 1], [-3, 7, 2, 1_000_000], [-(1 << 53), 0, 1 << 53], (0..<40).map { $0 * 3 - 11 },
            [(1 << 53) + 1, 4], (0..<60).map { Int64($0) },
        ]
        let pool = pools[Int(seed - 1)]
        let values = (0..<rows).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
        let missing = seed % 2 == 0 ? Set((0..<rows).filter { _ in random.unit() < 0.05 }) : []
        let validity = missing.isEmpty ? nil : ValidityBitmap((0..<rows).map { !missing.contains($0) })
        let column = Column(name: "y", values: .int64(ColumnBuffer(values)), validity: validity)
        // Ids in an order unrelated to the values, with gaps (ids the other column's classes take).
        let distinct = Array(Set(values.indices.filter { !missing.contains($0) }.map { values[$0] })).shuffled(using: &random)
        let idOfValue = distinct.indices.map { Int32(2 * $0 + 1) }
        let id = Dictionary(uniqueKeysWithValues: zip(distinct, idOfValue))
        let ids = values.indices.map { missing.contains($0) ? -1 : id[values[$0]]! }
        // Every pool's ids fit one byte (below 128): the same bins from one-byte and four-byte ids.
        let widths: [ClassIdColumn] = [.wide(ids), .narrow(ids.map { Int8($0) })]
        for (role, ids) in [FeatureBinner.Role.label, .prediction].flatMap({ role in widths.map { (role, $0) } }) {
            let classIds = FeatureBinner.ClassIds(ids: ids, values: distinct, idOfValue: idOfValue)
            let binner = FeatureBinner(options: SlicingOptions())
            let expected = try #require(binner.bin(column, role: role, keep: nil))
            let fromIds = binner.bin(column, role: role, classIds: classIds)
            let oneBinPerValue = expected.identities.filter { $0 != .missing }.count == distinct.count
                && expected.binning == nil
            // Past the cap the values get quantile bins; past 2⁵³ the general binning takes them as Doubles.
            if pool.count > SlicingOptions().maxCategories || pool.contains((1 << 53) + 1) {
                #expect(fromIds == nil)
                continue
            }
            let binned = try #require(fromIds)
            #expect(oneBinPerValue)
            #expect(binned.identities == expected.identities)
            #expect(binned.codes == expected.codes)
            #expect(binned.codes.isNarrow == expected.codes.isNarrow)
            #expect(binned.kind == expected.kind && binned.columnType == expected.columnType)
            // Its recipe writes the same codes again, all at once and row by row, so they can be let go once counted.
            let recipe = try #require(binned.recipe)
            #expect(recipe.all() == expected.codes)
            #expect(values.indices.allSatisfy { recipe.code($0) == expected.codes[$0] })
        }
        // Not for features, nor for other rows than the column's.
        let classIds = FeatureBinner.ClassIds(ids: .wide(ids), values: distinct, idOfValue: idOfValue)
        #expect(FeatureBinner(options: SlicingOptions()).bin(column, role: .feature, classIds: classIds) == nil)
        let short = FeatureBinner.ClassIds(ids: .wide(Array(ids.dropLast())), values: distinct, idOfValue: idOfValue)
        #expect(FeatureBinner(options: SlicingOptions()).bin(column, role: .label, classIds: short) == nil)
    }
}


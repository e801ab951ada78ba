import ColumnStore
import Kernels
import Stats
import Testing
import _TestSupport

@testable import SliceSearch

/// The binner's paths that read a column in place against a general path or a per-row reference: numeric features
/// binned from their value counts (the binner given the failures) against the same features binned from their
/// present values, bit for bit, with the raw-value measures against the row-by-row statistics; integer roles; time
/// buckets.
struct FeatureBinnerInPlaceTests {
    /// A column of one of several shapes, with its failure flags.
    static func column(shape: Int, count: Int, integer: Bool, withValidity: Bool, seed: UInt64)
        -> (column: Column, failure: [UInt8])
    {
        var random = SeededRandom(seed: seed)
        let values: [Double] = (0..<count).map { _ in
            let draw = random.next()
            switch shape {
            case 0: return (random.unit() - 0.5) * 1e4  // spread, nearly all distinct
            case 1: return (random.unit() * 200).rounded() / 4  // repeats, 801 values
            case 2:  // infinities and NaN among repeats, -0 and +0
                switch draw % 23 {
                case 0: return .infinity
                case 1: return -.infinity
                case 2: return .nan
                case 3: return -0.0
                default: return Double(draw % 50) - 10
                }
            case 3: return draw % 3 == 0 ? .infinity : .nan  // no finite value
            case 4: return Double(draw % 7)  // categorical
            default: return draw % 5 == 0 ? 0 : random.unit()  // zero-inflated
            }
        }
        let failure = values.map { value -> UInt8 in
            let rate = value.isFinite && value > 0 ? 0.4 : 0.15
            return random.unit() < rate ? 1 : 0
        }
        let validity = withValidity ? ValidityBitmap((0..<count).map { _ in random.next() % 9 != 0 }) : nil
        let columnValues: ColumnValues =
            integer
            ? .int64(ColumnBuffer(values.map { $0.isFinite ? Int64($0.rounded()) : -1 }))
            : .float64(ColumnBuffer(values))
        return (Column(name: "x", values: columnValues, validity: validity), failure)
    }

    @Test(arguments: [BinningMethod.quantile, .uniform], [1, 2, 64, 2049, 60_000])
    func valueCountsBinLikeThePresentValues(method: BinningMethod, count: Int) throws {
        var options = SlicingOptions()
        options.binning = method
        let binner = FeatureBinner(options: options)
        for shape in 0..<6 {
            for (integer, withValidity, keepSome) in [(false, false, false), (false, true, false), (true, false, true),
                (false, false, true), (true, true, false)]
            {
                let seed = UInt64(count * 64 + shape * 8) &+ (integer ? 1 : 0) &+ (withValidity ? 2 : 0)
                let (column, allFailures) = Self.column(
                    shape: shape, count: count, integer: integer, withValidity: withValidity, seed: seed)
                var random = SeededRandom(seed: seed ^ 0xC0DE)
                let keep: [Bool]? = keepSome ? (0..<count).map { _ in random.next() % 4 != 0 } : nil
                let failure = keep.map { keep in allFailures.indices.filter { keep[$0] }.map { allFailures[$0] } }
                    ?? allFailures
                let label = "shape \(shape) count \(count) integer \(integer) validity \(withValidity) keep \(keepSome)"
                let plain = binner.bin(column, role: .feature, keep: keep)
                let counted = binner.bin(column, role: .feature, keep: keep, failure: failure)
                #expect((plain == nil) == (counted == nil), "\(label)")
                guard let plain, let counted else { continue }
                #expect(counted.kind == plain.kind, "\(label)")
                #expect(counted.identities == plain.identities, "\(label)")
                #expect(counted.edges?.map(\.bitPattern) == plain.edges?.map(\.bitPattern), "\(label)")
                #expect(counted.codes == plain.codes, "\(label)")
                if counted.kind != .numeric {
                    #expect(counted.rawValueMeasures == nil, "\(label)")
                    continue
                }
                // The measures, against the row-by-row statistics on the same values.
                let values = try #require(FeatureAssociations.numericValues(of: column, keep: keep))
                let measures = try #require(counted.rawValueMeasures, "\(label)")
                let rows = Association.pointBiserial(values: values, outcome: failure)
                let auc = Association.rocAUC(values: values, outcome: failure)
                #expect(measures.rows == rows.count, "\(label)")
                #expect(measures.auc.bitPattern == auc.auc.bitPattern, "\(label)")
                #expect(measures.aucPValue.bitPattern == auc.pValue.bitPattern, "\(label)")
                #expect(
                    measures.pointBiserial.isNaN == rows.r.isNaN
                        && (rows.r.isNaN || isClose(measures.pointBiserial, rows.r, relative: 1e-9, absolute: 1e-12)),
                    "\(label): r \(measures.pointBiserial) vs \(rows.r)")
            }
        }
    }

    /// A float label or prediction (a regression's) is cut from its value counts when the binner is given the
    /// failures, as a feature is: the same kind, bins, edges and codes as from its present values, and no raw-value
    /// measures (those are a feature's). An integer label is cut as before (its categories come first).
    @Test(arguments: [1, 2, 2049, 60_000])
    func floatRolesBinFromValueCountsLikeThePresentValues(count: Int) {
        let binner = FeatureBinner(options: SlicingOptions())
        for shape in 0..<6 {
            for (integer, withValidity, keepSome) in [(false, false, false), (false, true, true), (true, false, false)] {
                let seed = UInt64(count * 32 + shape) &+ (withValidity ? 7 : 0) &+ (integer ? 3 : 0)
                let (column, allFailures) = Self.column(
                    shape: shape, count: count, integer: integer, withValidity: withValidity, seed: seed)
                var random = SeededRandom(seed: seed ^ 0xBEEF)
                let keep: [Bool]? = keepSome ? (0..<count).map { _ in random.next() % 5 != 0 } : nil
                let failure =
                    keep.map { keep in allFailures.indices.filter { keep[$0] }.map { allFailures[$0] } } ?? allFailures
                for role in [FeatureBinner.Role.label, .prediction] {
                    let label = "shape \(shape) count \(count) \(role) integer \(integer) validity \(withValidity)"
                    let plain = binner.bin(column, role: role, keep: keep)
                    let counted = binner.bin(column, role: role, keep: keep, failure: failure)
                    #expect((plain == nil) == (counted == nil), "\(label)")
                    guard let plain, let counted else { continue }
                    #expect(counted.kind == plain.kind && counted.kind == (role == .label ? .label : .prediction))
                    #expect(counted.identities == plain.identities, "\(label)")
                    #expect(counted.edges?.map(\.bitPattern) == plain.edges?.map(\.bitPattern), "\(label)")
                    #expect(counted.codes.materialized() == plain.codes.materialized(), "\(label)")
                    #expect(counted.rawValueMeasures == nil, "\(label)")
                }
            }
        }
    }

    /// Left unwritten (`writesCodes` false), a numeric feature (cut in intervals or sliced per value) and a text
    /// feature keep their codes in the recipe, which writes them block by block as they are counted: the same bins,
    /// the same codes once written, and the same counts as when the binner writes them; every other feature is
    /// written as before.
    @Test(arguments: [1, 2049, 65_537, 140_000])
    func codesLeftToTheRecipeBinAndCountAsWrittenOnes(count: Int) throws {
        var writing = FeatureBinner(options: SlicingOptions())
        writing.writesCodes = true
        var leaving = writing
        leaving.writesCodes = false
        var random = SeededRandom(seed: UInt64(count))
        let text = FeatureBinnerTests.strings(
            (0..<count).map { _ in ["a", "b", "c", "d"][Int(random.next() % 4)] }, missing: [0, count / 2])
        var columns: [(Column, [UInt8]?)] = [(text, nil)]
        for shape in 0..<6 {
            for (integer, withValidity) in [(false, false), (false, true), (true, true)] {
                let (column, failure) = Self.column(
                    shape: shape, count: count, integer: integer, withValidity: withValidity, seed: UInt64(shape))
                columns.append((column, failure))
            }
        }
        let failure = (0..<count).map { _ in UInt8(random.next() % 3 == 0 ? 1 : 0) }
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        for (index, (column, flags)) in columns.enumerated() {
            let label = "column \(index)"
            // A column without a value on any row has no bins either way.
            guard let written = writing.bin(column, role: .feature, keep: nil, failure: flags) else {
                #expect(leaving.bin(column, role: .feature, keep: nil, failure: flags) == nil, "\(label)")
                continue
            }
            let left = try #require(leaving.bin(column, role: .feature, keep: nil, failure: flags))
            #expect(!written.codes.isRemade, "\(label)")
            let byBlocks =
                switch column.values {
                case .float64, .int64, .string: true
                default: false
                }
            #expect(left.codes.isRemade == byBlocks, "\(label)")
            #expect(left.identities == written.identities, "\(label)")
            #expect(left.codes.materialized() == written.codes, "\(label)")
            let rows = Array(stride(from: 0, to: count, by: 7))
            let counted = OneDimensionalSlicing.count(
                left, outcomes: outcomes, axis: nil, threads: 1, gathering: [rows, [count - 1]])
            let expected = OneDimensionalSlicing.count(written, outcomes: outcomes, axis: nil, threads: 1)
            #expect(counted.groups == expected.groups, "\(label)")
            // Rows picked from the blocks where the codes were written as counted; none where they were written.
            #expect(expected.gathered == nil, "\(label)")
            #expect(
                counted.gathered.map { $0 == [written.codes.gathered(rows), written.codes.gathered([count - 1])] }
                    ?? !byBlocks, "\(label)")
            if let gathered = counted.gathered {
                var letGo = left
                let wasLetGo = letGo.letCodesGo(keepingRows: [rows], gathered: [gathered[0]])
                #expect(wasLetGo, "\(label)")
                #expect(letGo.codes.gathered(rows) == written.codes.gathered(rows), "\(label)")
            }
        }
    }

    /// A threshold or category cap past the two-byte codes counts as their limit: a column of more distinct values is
    /// cut in intervals (it stopped the process, "too many bins", before), and one of as many is sliced per value.
    @Test func thresholdsPastTheCodesCountAsTheirLimit() throws {
        var options = SlicingOptions()
        options.categoricalThreshold = 1_000_000
        options.maxCategories = 1_000_000
        let binner = FeatureBinner(options: options)
        let limit = FeatureBinner.maximumValueSlices
        for distinct in [limit, limit + 1, 70_000] {
            let values = (0..<(distinct + 10)).map { Double($0 % distinct) / 4 }
            let failure = values.indices.map { UInt8($0 % 3 == 0 ? 1 : 0) }
            let column = Column(name: "x", values: .float64(ColumnBuffer(values)), validity: nil)
            for flags in [nil, failure] {
                let binned = try #require(binner.bin(column, role: .feature, keep: nil, failure: flags))
                #expect(binned.kind == (distinct <= limit ? .categorical : .numeric), "\(distinct)")
                #expect(binned.identities.count == (distinct <= limit ? distinct : options.bins), "\(distinct)")
            }
            let text = FeatureBinnerTests.strings(values.map { "v\($0)" }, missing: [0])
            let slices = try #require(binner.bin(text, role: .feature, keep: nil))
            // Kept categories, `(other)` past the limit, and the missing rows.
            let other = distinct > limit - 1 ? 1 : 0
            #expect(slices.identities.count == min(distinct, limit - 1) + other + 1, "\(distinct)")
        }
    }

    /// A column of infinities only (sliced in intervals when the categorical threshold is 0) gets one interval on
    /// both paths, not NaN edges that would bin every row as missing; -0 and +0 are one value, written 0, on both.
    @Test func infinitiesOnlyAndSignedZeros() throws {
        var options = SlicingOptions()
        options.categoricalThreshold = 0
        let binner = FeatureBinner(options: options)
        for values in [[Double](repeating: .infinity, count: 5), [-.infinity, -.infinity, .nan],
            [.infinity, -.infinity, .infinity]]
        {
            let column = Column(name: "x", values: .float64(ColumnBuffer(values)), validity: nil)
            let failure = values.indices.map { UInt8($0 % 2) }
            for binned in [binner.bin(column, role: .feature, keep: nil),
                binner.bin(column, role: .feature, keep: nil, failure: failure)]
            {
                let feature = try #require(binned)
                #expect(feature.edges?.contains { $0.isNaN } == false, "\(values)")
                let presentCodes = values.indices.filter { !values[$0].isNaN }.map { Int(feature.codes[$0]) }
                #expect(presentCodes.allSatisfy { $0 < feature.identities.count }, "\(values)")
                #expect(presentCodes.allSatisfy { feature.identities[$0] != .missing }, "\(values)")
            }
        }
        // Zeros: -0 first in the column, as a category and as a quantile edge.
        let zeros: [Double] = [-0.0, 0.0, 1, 2, -0.0, 3, 0.0, -0.0]
        let column = Column(name: "z", values: .float64(ColumnBuffer(zeros)), validity: nil)
        let failure = zeros.indices.map { UInt8($0 % 2) }
        for threshold in [10, 0] {
            var options = SlicingOptions()
            options.categoricalThreshold = threshold
            let binner = FeatureBinner(options: options)
            let plain = try #require(binner.bin(column, role: .feature, keep: nil))
            let counted = try #require(binner.bin(column, role: .feature, keep: nil, failure: failure))
            #expect(plain.identities == counted.identities, "threshold \(threshold)")
            #expect(plain.edges?.map(\.bitPattern) == counted.edges?.map(\.bitPattern), "threshold \(threshold)")
            #expect(plain.edges?.contains { $0 == 0 && $0.sign == .minus } != true, "threshold \(threshold)")
            if threshold == 10 { #expect(plain.identities.first == .value("0")) }
        }
    }

    /// Integer label, prediction and batch columns read in place get the same slices as through the general path
    /// (the present values copied), with every row kept and under keep masks: narrow and wide ranges, missing rows,
    /// values beyond 2⁵³.
    @Test func integerRolesReadInPlaceBinLikeTheGeneralPath() throws {
        let binner = FeatureBinner(options: SlicingOptions())
        var generalBinner = binner
        generalBinner.readsIntegerRolesInPlace = false
        var random = SeededRandom(seed: 404)
        let shapes: [(String, () -> Int64)] = [
            ("two classes", { Int64(random.next() % 2) }),
            ("19 batches", { 1000 + Int64(random.next() % 19) }),
            ("negative", { -Int64(random.next() % 7) - 3 }),
            ("too many values", { Int64(random.next() % 5000) }),
            ("wide", { random.next() % 2 == 0 ? 0 : 1 << 40 }),
            ("beyond 2^53", { (1 << 60) + Int64(random.next() % 3) }),
        ]
        for (name, draw) in shapes {
            for withMissing in [false, true] {
                let count = 3000
                let values = (0..<count).map { _ in draw() }
                let validity = withMissing ? ValidityBitmap((0..<count).map { _ in random.next() % 10 != 0 }) : nil
                let column = Column(name: "y", values: .int64(ColumnBuffer(values)), validity: validity)
                // Every row; a third left out; every row but the first 2,990 left out (one value's rows among them).
                let masks: [[Bool]?] = [
                    nil, (0..<count).map { _ in random.next() % 3 != 0 }, (0..<count).map { $0 >= 2_990 },
                ]
                for (maskIndex, keep) in masks.enumerated() {
                    for role in [FeatureBinner.Role.label, .prediction, .batch] {
                        let context = "\(name) missing \(withMissing) \(role) mask \(maskIndex)"
                        let inPlace = binner.bin(column, role: role, keep: keep)
                        let general = generalBinner.bin(column, role: role, keep: keep)
                        #expect(inPlace?.identities == general?.identities, "\(context)")
                        #expect(inPlace?.codes == general?.codes, "\(context)")
                        #expect(inPlace?.kind == general?.kind, "\(context)")
                    }
                }
            }
        }
        let empty = Column(name: "y", values: .int64(ColumnBuffer([1, 2])), validity: ValidityBitmap([false, false]))
        #expect(binner.bin(empty, role: .label, keep: nil) == nil)
    }

    /// Time codes against the per-row calendar reference (`floorDiv` to seconds, then the bucket index), for every
    /// unit, automatic and forced widths, stamps before 1970, missing rows, and keep masks that drop rows before and
    /// after the kept ones (outside the buckets).
    @Test(arguments: [TimeUnit.second, .millisecond, .microsecond, .nanosecond])
    func timeCodesMatchTheCalendarReference(unit: TimeUnit) throws {
        var random = SeededRandom(seed: 0x7135 &+ UInt64(unit.perSecond))
        let day: Int64 = 86_400
        for (spanDays, forced) in [(2, nil), (60, nil), (700, nil), (3_650, nil), (9, TimeBucketWidth.hour),
            (400, .day), (30, .week), (90, .month)] as [(Int64, TimeBucketWidth?)]
        {
            for start in [Int64(1_700_000_000), -200_000_000] {
                var options = SlicingOptions()
                options.timeBucket = forced
                let binner = FeatureBinner(options: options)
                let count = 5_000
                let perSecond = unit.perSecond
                let stamps = (0..<count).map { _ in
                    (start + Int64(random.next() % UInt64(spanDays * day))) * perSecond
                        + Int64(random.next() % UInt64(perSecond))
                }
                let validity = ValidityBitmap((0..<count).map { _ in random.next() % 13 != 0 })
                // Drop the earliest and the latest rows, and some in between.
                let order = stamps.indices.sorted { stamps[$0] < stamps[$1] }
                var keep = (0..<count).map { _ in random.next() % 5 != 0 }
                for row in order.prefix(50) + order.suffix(50) { keep[row] = false }
                let column = Column(name: "t", values: .timestamp(ColumnBuffer(stamps), unit), validity: validity)
                for mask in [nil, keep] as [[Bool]?] {
                    let label = "unit \(unit) span \(spanDays) forced \(String(describing: forced)) start \(start)"
                    let binned = try #require(binner.bin(column, role: .time, keep: mask), "\(label)")
                    let width = try #require(binned.timeBucket)
                    guard case .timeBucket(let first, _) = binned.identities[0] else {
                        Issue.record("no time bucket first, \(label)")
                        continue
                    }
                    let rows = (0..<count).filter { mask?[$0] ?? true }
                    let missingCode = UInt16(binned.identities.count - 1)
                    let expected = rows.map { row -> UInt16 in
                        guard validity.isValid(row) else { return missingCode }
                        let seconds = TimestampFormat.floorDiv(stamps[row], perSecond)
                        return UInt16(FeatureBinner.timeBucketIndex(of: seconds, first: first, width: width))
                    }
                    #expect(binned.codes.wide == expected, "\(label) keep \(mask != nil)")
                    #expect(binned.identities.last == .missing, "\(label)")
                }
            }
        }
    }

    /// The label, prediction, time and batch roles never take the value-counts path (their bins follow other rules).
    @Test func onlyFeaturesCarryMeasures() throws {
        let (column, failure) = Self.column(shape: 1, count: 500, integer: true, withValidity: false, seed: 3)
        let binner = FeatureBinner(options: SlicingOptions())
        for role in [FeatureBinner.Role.label, .prediction, .batch] {
            let binned = try #require(binner.bin(column, role: role, keep: nil, failure: failure))
            #expect(binned.rawValueMeasures == nil)
            #expect(binned.codes == binner.bin(column, role: role, keep: nil)?.codes)
        }
    }
}

/// A time column left unwritten (`writesCodes` false) keeps its codes in a recipe that writes blocks: fixed-width
/// buckets (hours, days, weeks) and calendar months, with missing rows; the codes once written are the ones the
/// binner writes, and so is every block.
struct TimeCodesLeftToTheRecipeTests {
    @Test(arguments: [1, 2049, 65_537, 140_000], [TimeBucketWidth.hour, .day, .week, .month])
    func timeCodesLeftToTheRecipeAreTheWrittenOnes(count: Int, width: TimeBucketWidth) throws {
        var random = SeededRandom(seed: UInt64(count) &+ 91)
        let start: Int64 = 1_704_067_200  // 2024-01-01
        let stamps = (0..<count).map { _ in (start + Int64(random.next() % (86_400 * 400))) * 1_000 }
        let validity = ValidityBitmap((0..<count).map { _ in random.next() % 13 != 0 })
        let column = Column(name: "ts", values: .timestamp(ColumnBuffer(stamps), .millisecond), validity: validity)
        var options = SlicingOptions()
        options.timeBucket = width
        var writing = FeatureBinner(options: options)
        writing.writesCodes = true
        var leaving = writing
        leaving.writesCodes = false
        let written = try #require(writing.bin(column, role: .time, keep: nil))
        let left = try #require(leaving.bin(column, role: .time, keep: nil))
        #expect(!written.codes.isRemade && left.codes.isRemade)
        #expect(left.identities == written.identities)
        #expect(left.codes.materialized() == written.codes)
        let recipe = try #require(left.recipe)
        #expect(recipe.writesBlocks)
        for rows in [0..<min(count, 1), (count / 3)..<count] {
            #expect(Array(recipe.codes(rows: rows)) == Array(Array(written.codes)[rows]), "rows \(rows)")
        }
        // With rows left out, the kept rows' codes are left to the recipe too, compacted: whole, by blocks and
        // one row at a time they are the written ones.
        let keep = (0..<count).map { $0 % 5 != 1 && ($0 / 700) % 3 != 2 }
        let kept = try #require(leaving.bin(column, role: .time, keep: keep))
        let keptWritten = try #require(writing.bin(column, role: .time, keep: keep))
        #expect(kept.codes.isRemade && !keptWritten.codes.isRemade)
        #expect(kept.codes.count == keep.filter { $0 }.count)
        #expect(kept.codes.materialized() == keptWritten.codes)
        let keptRecipe = try #require(kept.recipe)
        #expect(keptRecipe.writesBlocks)
        let keptCount = keptWritten.codes.count
        for rows in [0..<min(keptCount, 1), (keptCount / 3)..<keptCount, (keptCount / 2)..<(keptCount / 2)] {
            #expect(Array(keptRecipe.codes(rows: rows)) == Array(Array(keptWritten.codes)[rows]), "kept \(rows)")
        }
        for row in stride(from: 0, to: keptCount, by: max(1, keptCount / 50)) {
            #expect(kept.codes[row] == keptWritten.codes[row], "kept row \(row)")
        }
    }
}

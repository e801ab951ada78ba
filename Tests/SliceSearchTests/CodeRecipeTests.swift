import ColumnStore
import Kernels
import Testing
import _TestSupport

@testable import SliceSearch

/// Differential tests of the code recipes: on every path of the binner, the codes a feature's recipe writes again
/// from the column (all at once, one row at a time, and through codes let go) are the codes the binner kept, row for
/// row and at the same width; and a feature binned under a keep mask has no recipe.
struct CodeRecipeTests {
    static let lengths = [0, 1, 63, 64, 65, 2049, 70_000]

    /// Which rows the validity bitmap drops.
    enum Validity: CaseIterable { case none, allNull, mixed }

    /// Mixed: about one row in seven, a whole 64-row word when there is one past the first (the in-place copies skip
    /// empty words), and the last row.
    static func validity(_ kind: Validity, count: Int, random: inout SeededRandom) -> ValidityBitmap? {
        switch kind {
        case .none: return nil
        case .allNull: return ValidityBitmap(count: count, allValid: false)
        case .mixed:
            var flags = (0..<count).map { _ in random.next() % 7 != 0 }
            if count >= 192 { for row in 64..<128 { flags[row] = false } }
            if count > 1 { flags[count - 1] = false }
            return ValidityBitmap(flags)
        }
    }

    static func failures(_ count: Int, random: inout SeededRandom) -> [UInt8] {
        (0..<count).map { _ in UInt8(random.next() % 3 == 0 ? 1 : 0) }
    }

    /// Whether a length is the long one, where a debug build takes some cases by turns and not all of them.
    static func isLong(_ count: Int) -> Bool { count > 10_000 }

    /// The failure flags to bin a numeric feature with: none (its present values) and some (its value counts), or
    /// one of the two by turns at the long length.
    static func failureVariants(_ count: Int, turn: Int, random: inout SeededRandom) -> [[UInt8]?] {
        let flags = failures(count, random: &random)
        return isLong(count) ? [turn % 2 == 0 ? nil : flags] : [nil, flags]
    }

    /// A row's stored value, for messages.
    static func describe(_ column: Column, _ row: Int) -> String {
        let value: String =
            switch column.values {
            case .float64(let buffer): "\(buffer[row])"
            case .int64(let buffer): "\(buffer[row])"
            case .bool(let buffer): "\(buffer[row])"
            case .timestamp(let buffer, let unit): "\(buffer[row]) \(unit)"
            case .string(let strings): "entry \(strings.codes[row])"
            }
        return column.isValid(row) ? value : "invalid (\(value) underneath)"
    }

    /// The first row where `got` differs from `kept`, reported with its value (`rows`: the column's row of each
    /// code, when they are a sample).
    static func expectSame(
        _ got: [UInt16], _ kept: [UInt16], _ column: Column, _ what: String, rows: [Int]? = nil,
        sourceLocation: SourceLocation
    ) {
        #expect(
            got.count == kept.count, "\(what): \(got.count) codes, \(kept.count) kept", sourceLocation: sourceLocation)
        guard let index = got.indices.first(where: { $0 < kept.count && got[$0] != kept[$0] }) else { return }
        let wrong = zip(got, kept).filter { $0 != $1 }.count
        let row = rows?[index] ?? index
        Issue.record(
            "\(what): row \(row) (\(describe(column, row))) gets \(got[index]), kept \(kept[index]); \(wrong) differ",
            sourceLocation: sourceLocation)
    }

    /// Bins `column` over every row and checks its recipe against the kept codes, then bins it under a random keep
    /// mask and checks that there is no recipe. Returns the feature binned over every row.
    @discardableResult
    static func check(
        _ binner: FeatureBinner, _ column: Column, role: FeatureBinner.Role = .feature, failure: [UInt8]? = nil,
        seed: UInt64, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> BinnedFeature? {
        let count = column.count
        var random = SeededRandom(seed: seed)
        // The mask is the wrapper's business, whatever the length: not repeated at the long one.
        if !isLong(count) {
            checkKeepMask(binner, column, role: role, failure: failure, random: &random, label, sourceLocation)
        }
        guard let feature = binner.bin(column, role: role, keep: nil, failure: failure) else { return nil }
        guard let recipe = feature.recipe else {
            Issue.record("\(label): no recipe", sourceLocation: sourceLocation)
            return feature
        }
        let codes = feature.codes
        #expect(!codes.isRemade && codes.count == count, "\(label)", sourceLocation: sourceLocation)
        #expect(recipe.count == count && recipe.isNarrow == codes.isNarrow, "\(label)", sourceLocation: sourceLocation)
        let kept = codes.wide

        // 1. One row at a time.
        let one = (0..<count).map { recipe.code($0) }
        expectSame(one, kept, column, "\(label): code(row)", sourceLocation: sourceLocation)

        // 2. All at once, at the kept width.
        let all = recipe.all()
        #expect(!all.isRemade && all.isNarrow == codes.isNarrow, "\(label): all()", sourceLocation: sourceLocation)
        #expect(all == codes, "\(label): all()", sourceLocation: sourceLocation)
        expectSame(all.wide, kept, column, "\(label): all()", sourceLocation: sourceLocation)

        // 3. Let go, and read back every way the counting passes read them.
        var remade = feature
        let letGo = remade.letCodesGo()
        #expect(letGo, "\(label)", sourceLocation: sourceLocation)
        let gone = remade.codes
        #expect(gone.isRemade && gone.count == count && gone.isNarrow == codes.isNarrow, "\(label)",
            sourceLocation: sourceLocation)
        #expect(gone == codes, "\(label): remade ==", sourceLocation: sourceLocation)
        let materialized = gone.materialized()
        #expect(!materialized.isRemade && materialized.isNarrow == codes.isNarrow, "\(label)",
            sourceLocation: sourceLocation)
        #expect(materialized == codes, "\(label): materialized()", sourceLocation: sourceLocation)
        let rows = count == 0 ? [] : (0..<min(2 * count, 3_000)).map { _ in Int(random.next() % UInt64(count)) }
        let gathered = gone.gathered(rows)
        let expected = codes.gathered(rows)
        #expect(
            gathered.isNarrow == expected.isNarrow && !gathered.isRemade, "\(label)", sourceLocation: sourceLocation)
        expectSame(
            gathered.wide, expected.wide, column, "\(label): gathered", rows: rows, sourceLocation: sourceLocation)
        expectSame((0..<count).map { gone[$0] }, kept, column, "\(label): subscript", sourceLocation: sourceLocation)
        let keep = (0..<count).map { _ in random.next() % 2 == 0 }
        #expect(gone.compacted(keep: keep) == codes.compacted(keep: keep), "\(label): compacted",
            sourceLocation: sourceLocation)
        return feature
    }

    /// 4. Under a keep mask the codes are per kept row, and the recipe, compacted to the kept rows
    /// (``Kernels/CodeRecipe/compacted(to:)``), writes them again: whole, by blocks, one row at a time, gathered.
    static func checkKeepMask(
        _ binner: FeatureBinner, _ column: Column, role: FeatureBinner.Role, failure: [UInt8]?,
        random: inout SeededRandom, _ label: String, _ sourceLocation: SourceLocation
    ) {
        let count = column.count
        for pattern in 0..<3 {
            // Every row, a random three quarters, and runs of rows left out (whole 64-row words among them).
            let keep = (0..<count).map { row in
                pattern == 0 || (pattern == 1 ? random.next() % 4 != 0 : (row / 150) % 3 != 1)
            }
            let keptFailure = failure.map { flags in flags.indices.filter { keep[$0] }.map { flags[$0] } }
            guard var feature = binner.bin(column, role: role, keep: keep, failure: keptFailure) else { continue }
            let keptRows = keep.filter { $0 }.count
            let codes = feature.codes.materialized()
            #expect(codes.count == keptRows, "\(label): keep mask", sourceLocation: sourceLocation)
            guard let recipe = feature.recipe else {
                Issue.record("\(label): no recipe under a keep mask", sourceLocation: sourceLocation)
                continue
            }
            #expect(recipe.count == keptRows && recipe.isNarrow == codes.isNarrow, "\(label): keep mask",
                sourceLocation: sourceLocation)
            #expect(recipe.all() == codes, "\(label): keep mask, all()", sourceLocation: sourceLocation)
            let wide = Array(codes)
            for start in stride(from: 0, to: keptRows, by: 977) {
                let rows = start..<min(start + 1_500, keptRows)
                #expect(Array(recipe.codes(rows: rows)) == Array(wide[rows]), "\(label): keep mask, rows \(rows)",
                    sourceLocation: sourceLocation)
            }
            let letGo = feature.letCodesGo()
            #expect(letGo, "\(label): keep mask", sourceLocation: sourceLocation)
            let gone = feature.codes
            #expect(gone.isRemade && gone == codes, "\(label): keep mask, remade", sourceLocation: sourceLocation)
            let rows = keptRows == 0 ? [] : (0..<min(keptRows, 500)).map { _ in Int(random.next() % UInt64(keptRows)) }
            #expect(Array(gone.gathered(rows)) == rows.map { wide[$0] }, "\(label): keep mask, gathered",
                sourceLocation: sourceLocation)
        }
    }

    static func options(_ change: (inout SlicingOptions) -> Void = { _ in }) -> SlicingOptions {
        var options = SlicingOptions()
        change(&options)
        return options
    }

    /// Whether any row holds a value the numeric binning uses (valid and not NaN).
    static func hasNumber(_ column: Column) -> Bool {
        (0..<column.count).contains { !FeatureBinner.number(column, $0).isNaN }
    }

    // MARK: - Numbers

    /// A float column of one of several shapes; the values under invalid rows are ones that would move the edges.
    static func floats(shape: Int, count: Int, validity kind: Validity, seed: UInt64) -> Column {
        var random = SeededRandom(seed: seed)
        let validity = Self.validity(kind, count: count, random: &random)
        let values: [Double] = (0..<count).map { row in
            let draw = random.next()
            var value: Double
            switch shape {
            case 0: value = (random.unit() - 0.5) * 1e4  // spread, nearly all distinct
            case 1: value = Double(draw % 201) / 4 - 10  // a grid: quantile and uniform edges fall on values
            case 2:  // specials among the grid
                switch draw % 20 {
                case 0: value = .infinity
                case 1: value = -.infinity
                case 2: value = .nan
                default: value = Double(draw % 201) / 4 - 10
                }
            default: value = draw % 15 == 0 ? .infinity : (draw % 15 == 1 ? .nan : Double(draw % 97) * 0.1)
            }
            if value == 0, draw & (1 << 40) != 0 { value = -0.0 }
            if !(validity?.isValid(row) ?? true) { value = [1e300, -1e300, -.infinity, .nan][Int(draw >> 62)] }
            return value
        }
        return Column(name: "x", values: .float64(ColumnBuffer(values)), validity: validity)
    }

    /// Quantile and uniform intervals of float features, from the present values and from the value counts (the
    /// binner given the failures); 300 bins give two-byte codes.
    @Test(arguments: lengths)
    func floatIntervals(count: Int) {
        var checked = 0
        var hitEdges = 0
        for method in [BinningMethod.quantile, .uniform] {
            // 300 bins (two-byte codes) at one length: 300 edges per row are slow in a debug build.
            for bins in [10, 300] where bins == 10 || count == 2_049 {
                let binner = FeatureBinner(options: Self.options { $0.binning = method; $0.bins = bins })
                for shape in 0..<4 where bins == 10 || shape < 2 {
                    for (index, kind) in Validity.allCases.enumerated() {
                        let seed = UInt64(count &* 131 &+ shape &* 17 &+ index &* 5 &+ bins)
                        let column = Self.floats(shape: shape, count: count, validity: kind, seed: seed)
                        var random = SeededRandom(seed: seed ^ 0xFA11)
                        for failure in Self.failureVariants(count, turn: shape + index, random: &random) {
                            let label =
                                "\(method) bins \(bins) shape \(shape) \(kind) n \(count) failure \(failure != nil)"
                            let feature = Self.check(binner, column, failure: failure, seed: seed, label)
                            #expect((feature == nil) == !Self.hasNumber(column), "\(label)")
                            guard let feature else { continue }
                            checked += 1
                            if count >= 63 && kind != .allNull {
                                #expect(feature.binning == method && feature.kind == .numeric, "\(label)")
                            }
                            if bins == 300 && shape == 0 { #expect(!feature.codes.isNarrow, "\(label)") }
                            // Coverage: rows on an inner edge, where `>` and `>=` differ.
                            let inner = Set((feature.edges ?? []).dropFirst().dropLast())
                            hitEdges += (0..<count).filter { inner.contains(FeatureBinner.number(column, $0)) }.count
                        }
                    }
                }
            }
        }
        #expect(checked > 0 || count == 0)
        if count >= 2_049 { #expect(hitEdges > 0) }
    }

    /// Columns of infinities (and NaN) only, sliced in intervals when the categorical threshold is 0: one edge
    /// widened to the other infinity, or a pair of equal edges.
    @Test(arguments: lengths)
    func infinitiesOnly(count: Int) {
        for method in [BinningMethod.quantile, .uniform] {
            let binner = FeatureBinner(options: Self.options { $0.binning = method; $0.categoricalThreshold = 0 })
            let pools: [[Double]] = [[.infinity], [-.infinity, .nan], [.infinity, -.infinity, .nan], [-0.0, 0.0]]
            for (index, pool) in pools.enumerated() {
                let seed = UInt64(count * 7 + index)
                var random = SeededRandom(seed: seed)
                let values = (0..<count).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
                let validity = Self.validity(.mixed, count: count, random: &random)
                for validity in [nil, validity] {
                    let column = Column(name: "x", values: .float64(ColumnBuffer(values)), validity: validity)
                    for failure in Self.failureVariants(count, turn: index, random: &random) {
                        let label = "\(method) \(pool) n \(count) validity \(validity != nil) failure \(failure != nil)"
                        let feature = Self.check(binner, column, failure: failure, seed: seed, label)
                        #expect((feature == nil) == !Self.hasNumber(column), "\(label)")
                        if let feature { #expect(feature.binning == method, "\(label)") }
                    }
                }
            }
        }
    }

    /// Few distinct values (at most the categorical threshold) are numeric categories, float or integer; -0 and +0
    /// are one; a threshold of 40 puts more than 32 float values on the binary search, and a wide integer span
    /// takes it for integers too.
    @Test(arguments: lengths)
    func numericCategories(count: Int) {
        let floatPools: [[Double]] = [
            [3.5], [-0.0, 0.0, 1.5, -2.25, 7], [.infinity, -.infinity, 0.0, -0.0, 1e300, -1e-300, 2],
            (0..<10).map { Double($0) * 0.3 - 1 }, (0..<38).map { Double($0) * 1.25 - 20 },
        ]
        let integerPools: [[Int64]] = [
            [7], [-3, 0, 1, 2, 9, 100], [-(1 << 40), 0, 1 << 40, 5], [Int64.min, -1, 0, Int64.max],
            (0..<10).map { $0 * 6_000 - 20_000 }, (0..<38).map { Int64($0) * 3 - 50 },
        ]
        var checked = 0
        for threshold in [10, 40] {
            let binner = FeatureBinner(options: Self.options { $0.categoricalThreshold = threshold })
            // A pool of at most 10 values bins alike under both thresholds.
            for (poolIndex, pool) in floatPools.enumerated() where pool.count <= threshold
                && (threshold == 10 || pool.count > 10)
            {
                for (index, kind) in Validity.allCases.enumerated() {
                    let seed = UInt64(count * 97 + poolIndex * 11 + index * 3 + threshold)
                    var random = SeededRandom(seed: seed)
                    let validity = Self.validity(kind, count: count, random: &random)
                    let values = (0..<count).map { _ in
                        random.next() % 17 == 0 ? .nan : pool[Int(random.next() % UInt64(pool.count))]
                    }
                    let column = Column(name: "x", values: .float64(ColumnBuffer(values)), validity: validity)
                    for failure in Self.failureVariants(count, turn: poolIndex + index, random: &random) {
                        let label = "float pool \(poolIndex) threshold \(threshold) \(kind) n \(count)"
                            + " failure \(failure != nil)"
                        let feature = Self.check(binner, column, failure: failure, seed: seed, label)
                        #expect((feature == nil) == !Self.hasNumber(column), "\(label)")
                        if let feature { #expect(feature.kind == .categorical, "\(label)") }
                        checked += feature == nil ? 0 : 1
                    }
                }
            }
            for (poolIndex, pool) in integerPools.enumerated() where pool.count <= threshold
                && (threshold == 10 || pool.count > 10)
            {
                for (index, kind) in Validity.allCases.enumerated() {
                    let seed = UInt64(count * 89 + poolIndex * 13 + index * 3 + threshold)
                    var random = SeededRandom(seed: seed)
                    let validity = Self.validity(kind, count: count, random: &random)
                    let values = (0..<count).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
                    let column = Column(name: "n", values: .int64(ColumnBuffer(values)), validity: validity)
                    for failure in Self.failureVariants(count, turn: poolIndex + index, random: &random) {
                        let label = "int pool \(poolIndex) threshold \(threshold) \(kind) n \(count)"
                            + " failure \(failure != nil)"
                        let feature = Self.check(binner, column, failure: failure, seed: seed, label)
                        #expect((feature == nil) == !Self.hasNumber(column), "\(label)")
                        if let feature { #expect(feature.kind == .categorical, "\(label)") }
                        checked += feature == nil ? 0 : 1
                    }
                }
            }
        }
        #expect(checked > 0 || count == 0)
    }

    /// Integer features of many values are intervals of their values as Doubles, huge ones included.
    @Test(arguments: lengths)
    func integerIntervals(count: Int) {
        var checked = 0
        for method in [BinningMethod.quantile, .uniform] {
            let binner = FeatureBinner(options: Self.options { $0.binning = method })
            for shape in 0..<3 {
                for (index, kind) in Validity.allCases.enumerated() {
                    let seed = UInt64(count * 53 + shape * 7 + index) ^ (method == .quantile ? 0 : 0xABC)
                    var random = SeededRandom(seed: seed)
                    let validity = Self.validity(kind, count: count, random: &random)
                    let values: [Int64] = (0..<count).map { _ in
                        let draw = random.next()
                        switch shape {
                        case 0: return Int64(draw % 1_000_001) - 500_000
                        case 1:  // the whole range, its ends included
                            return draw % 50 == 0 ? [Int64.min, Int64.max][Int(draw >> 63)] : Int64(bitPattern: draw)
                        default: return Int64(draw % 400) - 100  // a grid: edges on values
                        }
                    }
                    let column = Column(name: "n", values: .int64(ColumnBuffer(values)), validity: validity)
                    for failure in Self.failureVariants(count, turn: shape + index, random: &random) {
                        let label = "int \(method) shape \(shape) \(kind) n \(count) failure \(failure != nil)"
                        let feature = Self.check(binner, column, failure: failure, seed: seed, label)
                        #expect((feature == nil) == !Self.hasNumber(column), "\(label)")
                        guard let feature else { continue }
                        checked += 1
                        if count >= 63 && kind != .allNull { #expect(feature.binning == method, "\(label)") }
                    }
                }
            }
        }
        #expect(checked > 0 || count == 0)
    }

    /// Integer labels, predictions and batch ids: categories read in place (few values, or up to the role's cap),
    /// the general path (past ±2⁵³, or past the cap: intervals), and float labels.
    @Test(arguments: lengths)
    func integerRoles(count: Int) {
        let binner = FeatureBinner(options: Self.options { $0.maxBatches = 300 })
        let pools: [[Int64]] = [
            [0, 1], [-3, 7, 2, 1_000_000], (0..<40).map { $0 * 3 - 11 }, (0..<280).map { Int64($0) * 2 },
            (0..<1_000).map { Int64($0) }, [-(1 << 60), 1 << 60, 17], [(1 << 53) + 2, 4, -((1 << 53) + 2)],
        ]
        var checked = 0
        for role in [FeatureBinner.Role.label, .prediction, .batch] {
            for (poolIndex, pool) in pools.enumerated() {
                for (index, kind) in Validity.allCases.enumerated() {
                    let seed = UInt64(count * 41 + poolIndex * 5 + index)
                    var random = SeededRandom(seed: seed)
                    let validity = Self.validity(kind, count: count, random: &random)
                    let values = (0..<count).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
                    let column = Column(name: "y", values: .int64(ColumnBuffer(values)), validity: validity)
                    let label = "\(role) pool \(poolIndex) \(kind) n \(count)"
                    let feature = Self.check(binner, column, role: role, seed: seed, label)
                    #expect((feature == nil) == !Self.hasNumber(column), "\(label)")
                    checked += feature == nil ? 0 : 1
                    if let feature, role == .batch, poolIndex == 3, count >= 2_049, kind != .allNull {
                        #expect(!feature.codes.isNarrow, "\(label): 280 batches")
                    }
                }
            }
            // Float labels take the general path.
            for (index, kind) in Validity.allCases.enumerated() {
                let seed = UInt64(count * 43 + index)
                var random = SeededRandom(seed: seed)
                let validity = Self.validity(kind, count: count, random: &random)
                let values = (0..<count).map { _ in [0.0, 1.0, -0.0, 2.5][Int(random.next() % 4)] }
                let column = Column(name: "y", values: .float64(ColumnBuffer(values)), validity: validity)
                let label = "\(role) float \(kind) n \(count)"
                let feature = Self.check(binner, column, role: role, seed: seed, label)
                #expect((feature == nil) == !Self.hasNumber(column), "\(label)")
            }
        }
        #expect(checked > 0 || count == 0)
    }

    /// Integers past 2⁵³ that round to one Double are one value to the binner; the codes and the recipe must agree
    /// on the rows that hold them.
    @Test func integersThatRoundToOneDouble() {
        let base: Int64 = 1 << 53
        let pools: [[Int64]] = [[base, base + 1], [base + 1, base + 3, base + 5], [-base - 1, -base, 3]]
        for pool in pools {
            let values = (0..<20).map { pool[$0 % pool.count] }
            let column = Column(name: "n", values: .int64(ColumnBuffer(values)), validity: nil)
            for role in [FeatureBinner.Role.feature, .label] {
                Self.check(FeatureBinner(options: SlicingOptions()), column, role: role, seed: 1, "\(role) \(pool)")
            }
        }
    }

    // MARK: - Text, flags, time

    /// A dictionary column of `entries` entries in first-seen order (not text order), drawn with a skew so that
    /// merged categories have distinct counts; `unused` entries that no valid row holds (some only on invalid rows).
    static func strings(
        count: Int, entries: Int, unused: Int, validity kind: Validity, everyEntryFirst: Bool, seed: UInt64
    ) -> Column {
        var random = SeededRandom(seed: seed)
        let validity = Self.validity(kind, count: count, random: &random)
        var names = (0..<(entries + unused)).map { "v\(($0 &* 7_919) % 10_007)" }
        names.shuffle(using: &random)
        let codes: [UInt32] = (0..<count).map { row in
            if !(validity?.isValid(row) ?? true), unused > 0, random.next() % 2 == 0 {
                return UInt32(entries + Int(random.next() % UInt64(unused)))
            }
            if everyEntryFirst && row < entries { return UInt32(row) }
            let skewed = random.unit() * random.unit()
            return UInt32(min(entries - 1, Int(skewed * Double(entries))))
        }
        let strings = DictionaryStrings(codes: ColumnBuffer(codes), dictionary: names)
        return Column(name: "s", values: .string(strings), validity: validity)
    }

    /// String columns: every entry used (the one-pass path), entries unused, more entries than the cap (merged into
    /// `(other)`), as features and as batches; more than 255 kept categories give two-byte codes.
    @Test(arguments: lengths)
    func dictionaries(count: Int) {
        let cases: [(entries: Int, unused: Int, maxCategories: Int, role: FeatureBinner.Role)] = [
            (1, 0, 50, .feature), (5, 0, 50, .feature), (5, 3, 50, .feature), (80, 0, 50, .feature),
            (80, 4, 20, .batch), (300, 0, 1_000, .feature), (1_000, 10, 1_000, .feature), (300, 0, 280, .feature),
            (2, 0, 1, .feature),
        ]
        var checked = 0
        var wide = 0
        for (caseIndex, (entries, unused, maxCategories, role)) in cases.enumerated() {
            let binner = FeatureBinner(options: Self.options { $0.maxCategories = maxCategories; $0.maxBatches = 20 })
            for (index, kind) in Validity.allCases.enumerated() {
                for everyEntryFirst in [true, false] {
                    let seed = UInt64(count * 37 + caseIndex * 6 + index * 2 + (everyEntryFirst ? 1 : 0))
                    let column = Self.strings(
                        count: count, entries: entries, unused: unused, validity: kind,
                        everyEntryFirst: everyEntryFirst, seed: seed)
                    let label = "strings \(entries)+\(unused) cap \(maxCategories) \(role) \(kind) n \(count)"
                        + " every entry first \(everyEntryFirst)"
                    let feature = Self.check(binner, column, role: role, seed: seed, label)
                    #expect((feature == nil) == (count == 0), "\(label)")
                    guard let feature else { continue }
                    checked += 1
                    // Coverage: the categories past the cap are merged, and past 255 bins the codes are wide.
                    let cap = role == .batch ? 20 : maxCategories
                    guard case .string(let strings) = column.values else { continue }
                    let present = Set((0..<count).filter { column.isValid($0) }.map { strings.codes[$0] }).count
                    let merged = feature.identities.compactMap { identity -> Int? in
                        if case .other(let categories) = identity { categories } else { nil }
                    }
                    #expect(merged == (present > cap ? [present - cap] : []), "\(label)")
                    let bins = feature.identities.filter { $0 != .missing }.count
                    #expect(feature.codes.isNarrow == (bins + 1 <= 256), "\(label)")
                    wide += feature.codes.isNarrow ? 0 : 1
                }
            }
        }
        #expect(checked > 0 || count == 0)
        if count >= 2_049 { #expect(wide > 0) }
    }

    @Test(arguments: lengths)
    func flags(count: Int) {
        let binner = FeatureBinner(options: SlicingOptions())
        for (poolIndex, pool) in [[UInt8(0), 1], [1], [0]].enumerated() {
            for (index, kind) in Validity.allCases.enumerated() {
                let seed = UInt64(count * 29 + poolIndex * 3 + index)
                var random = SeededRandom(seed: seed)
                let validity = Self.validity(kind, count: count, random: &random)
                let values = (0..<count).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
                let column = Column(name: "b", values: .bool(ColumnBuffer(values)), validity: validity)
                let label = "bools \(pool) \(kind) n \(count)"
                let feature = Self.check(binner, column, seed: seed, label)
                #expect((feature == nil) == (count == 0), "\(label)")
            }
        }
    }

    /// Timestamps binned as a feature: fixed-width buckets (read as one division in the stamps' unit) and months
    /// (from the calendar), chosen or automatic, before and after 1970, in four units; hours over weeks give
    /// two-byte codes.
    @Test(arguments: lengths)
    func timeBuckets(count: Int) {
        let spans: [Int64] = [6 * 3_600, 10 * 86_400, 40 * 86_400, 5 * 366 * 86_400]
        let buckets: [TimeBucketWidth?] = [nil, .hour, .day, .week, .month]
        var checked = 0
        var wide = 0
        for unit in [TimeUnit.second, .millisecond, .microsecond, .nanosecond] {
            for (bucketIndex, bucket) in buckets.enumerated() {
                let binner = FeatureBinner(options: Self.options { $0.timeBucket = bucket })
                for (index, kind) in Validity.allCases.enumerated() {
                    let seed = UInt64(count * 23 + bucketIndex * 5 + index) &+ UInt64(unit.perSecond)
                    var random = SeededRandom(seed: seed)
                    let validity = Self.validity(kind, count: count, random: &random)
                    let span = spans[(bucketIndex + index) % spans.count]
                    // 1965-03-02 or 2024-01-01 plus an odd offset, so that bucket starts fall between stamps.
                    let start: Int64 = (random.next() % 2 == 0 ? -152_150_400 : 1_704_067_200) + 1_234
                    let perSecond = unit.perSecond
                    let stamps: [Int64] = (0..<count).map { _ in
                        let seconds = start + Int64(random.next() % UInt64(span))
                        return seconds * perSecond + Int64(random.next() % UInt64(perSecond))
                    }
                    let column = Column(name: "t", values: .timestamp(ColumnBuffer(stamps), unit), validity: validity)
                    let width = bucket.map { "\($0)" } ?? "auto"
                    let label = "time \(unit) bucket \(width) span \(span) \(kind) n \(count)"
                    let feature = Self.check(binner, column, seed: seed, label)
                    let anyValid = (0..<count).contains { column.isValid($0) }
                    #expect((feature == nil) == !anyValid, "\(label)")
                    guard let feature else { continue }
                    #expect(feature.kind == .time, "\(label)")
                    checked += 1
                    wide += feature.codes.isNarrow ? 0 : 1
                }
            }
        }
        #expect(checked > 0 || count == 0)
        if count >= 2_049 { #expect(wide > 0) }
    }
}

import ColumnStore
import Kernels

/// Cuts columns into 1-D slices (the slicing policy): quantile or uniform bins for numeric columns,
/// one slice per category for low-cardinality and text columns (the rarest merged into `(other)`),
/// time buckets for timestamps, and a slice for missing values.
public struct FeatureBinner: Sendable {
    public var options: SlicingOptions
    /// Whether ``bin(_:role:keep:failure:)`` and ``bin(_:role:classIds:)`` write every row's code. When false, a
    /// column whose recipe writes a block of codes with the kernels (numeric intervals, numbers sliced per value,
    /// text categories) is returned with its codes left to the recipe (``Kernels/BinCodes/isRemade``):
    /// ``OneDimensionalSlicing/count(_:outcomes:axis:threads:gathering:)`` then writes them a block at a time as it
    /// counts them, and they never exist whole (10 MB a worker at 10M rows).
    public var writesCodes = true
    /// Whether an integer label, prediction or batch column of few values is read in place
    /// (``integerCategories(_:role:kind:kept:)``); false in tests, to compare with the general path.
    var readsIntegerRolesInPlace = true

    public init(options: SlicingOptions) { self.options = options }

    /// The most values of one column that each get a slice: the codes are two bytes, and one code is kept for the
    /// missing rows. A larger `categoricalThreshold` (or category cap) counts as this.
    public static let maximumValueSlices = Int(UInt16.max)

    /// ``SlicingOptions/categoricalThreshold`` within ``maximumValueSlices``.
    private var categoricalThreshold: Int { min(options.categoricalThreshold, Self.maximumValueSlices) }

    /// The role a column is binned for.
    public enum Role: Sendable { case feature, label, prediction, time, batch }

    /// Bins `column` over the rows where `keep` is true (all rows when `nil`).
    /// Returns `nil` when the column has no value on those rows.
    ///
    /// Given `failure` (one flag per kept row), a numeric feature is binned from its ``Kernels/ValueCounts``
    /// against the failures, and carries the raw-value measures that come from the same counts
    /// (``BinnedFeature/rawValueMeasures``): one pass over the column for the edges, the AUC and the point-biserial
    /// correlation.
    public func bin(_ column: Column, role: Role, keep: [Bool]?, failure: [UInt8]? = nil) -> BinnedFeature? {
        bin(column, role: role, kept: keep.map(KeptRows.init), failure: failure)
    }

    /// ``bin(_:role:keep:failure:)`` with the kept rows given with their index, made once for every column: the
    /// codes of the kept rows are then written again from the column, as every row's are when all are kept, and
    /// need not be held.
    public func bin(_ column: Column, role: Role, kept: KeptRows?, failure: [UInt8]? = nil) -> BinnedFeature? {
        let keep = kept?.flags
        let kind: FeatureKind
        switch role {
        case .feature: kind = .numeric
        case .label: kind = .label
        case .prediction: kind = .prediction
        case .time: kind = .time
        case .batch: kind = .batch
        }
        var binned: BinnedFeature?
        switch column.values {
        case .string(let strings):
            // The kept categories, `(other)` and the missing rows' slice share the two-byte codes.
            let limit = min(role == .batch ? options.maxBatches : options.maxCategories, Self.maximumValueSlices - 1)
            binned = binStrings(column, strings, kind: kind == .numeric ? .categorical : kind, limit: limit, keep: keep)
        case .bool(let flags):
            binned = binBools(column, flags, kind: kind == .numeric ? .categorical : kind, keep: keep)
        case .timestamp(let stamps, let unit):
            binned = binTimes(column, stamps, unit: unit, kind: role == .feature ? .time : kind, keep: keep)
        case .float64, .int64:
            // A float label or prediction (regression) is cut from its value counts too: its present values,
            // copied for the selection, took 80 MB each at 10M rows.
            let countsValues = role == .feature || (isFloat(column) && (role == .label || role == .prediction))
            if countsValues, let failure, let counts = Self.valueCounts(column, keep: keep, failure: failure) {
                binned = binNumbers(column, counts: consume counts, rows: failure.count, kind: kind)
            } else if role != .feature, readsIntegerRolesInPlace,
                let categories = integerCategories(column, role: role, kind: kind, kept: kept)
            {
                binned = categories
            } else {
                binned = binNumbers(column, role: role, kind: kind, keep: keep)
            }
        }
        guard var result = binned else { return nil }
        if let kept {
            // The recipes write a code per row of the column: compacted, they write one per kept row.
            result.recipe = result.recipe?.compacted(to: kept)
            if let recipe = result.recipe, result.codes.isRemade {
                result.codes = BinCodes(remadeBy: recipe)
            } else {
                result.codes = result.codes.compacted(keep: kept.flags)
            }
        }
        return result
    }

    // MARK: - Numbers

    private func binNumbers(_ column: Column, role: Role, kind: FeatureKind, keep: [Bool]?) -> BinnedFeature? {
        // The values are read in place: a float column is never copied whole, only its present values.
        let (present, hasInfinity) = Self.presentValues(column, keep: keep)
        guard !present.isEmpty else { return nil }
        let missing = present.count < (keep.map { $0.reduce(0) { $0 + ($1 ? 1 : 0) } } ?? column.count)
        // Handed over, not shared: the quantile selection reorders the values in place, and a second reference
        // would make that a copy of the whole column.
        return binNumbers(
            column, present: consume present, hasInfinity: hasInfinity, missing: missing, role: role, kind: kind)
    }

    /// The non-missing, non-NaN values of a numeric column on the kept rows, in row order, and whether any is
    /// ±infinity.
    static func presentValues(_ column: Column, keep: [Bool]?) -> (values: [Double], hasInfinity: Bool) {
        switch column.values {
        // NaN is left out as missing by the kernel: the column's NaN rows need not be found first.
        case .float64(let buffer): return Binning.presentValues(buffer, validity: column.validityExceptNaN, keep: keep)
        case .int64(let buffer): return Binning.presentValues(buffer, validity: column.validity, keep: keep)
        default: return ([], false)
        }
    }

    private func binNumbers(
        _ column: Column, present: consuming [Double], hasInfinity: Bool, missing: Bool, role: Role,
        kind: FeatureKind
    ) -> BinnedFeature? {
        let categoryKind: FeatureKind = kind == .numeric ? .categorical : kind
        let distinct = Self.distinctValues(present, limit: categoricalThreshold + 1)
        if distinct.count <= categoricalThreshold {
            return numericCategories(
                column, distinct: distinct, missing: missing, kind: categoryKind)
        }
        // Integer class labels and batch ids are categories, as long as there are not too many of them.
        let isInteger: Bool = if case .int64 = column.values { true } else { false }
        if isInteger && role != .feature {
            let cap = min(role == .batch ? options.maxBatches : options.maxCategories, Self.maximumValueSlices)
            let all = Self.distinctValues(present, limit: cap + 1)
            if all.count <= cap {
                return numericCategories(
                    column, distinct: all, missing: missing, kind: categoryKind)
            }
        }
        // ±infinity would turn the quantile interpolation and the uniform width into NaN edges, which bin every
        // row as missing: edges come from the finite values, and the outer edges are widened to the infinities.
        let hasNegativeInfinity = hasInfinity && present.contains(-.infinity)
        let hasPositiveInfinity = hasInfinity && present.contains(.infinity)
        if hasNegativeInfinity || hasPositiveInfinity {
            present.removeAll { !$0.isFinite }
            if present.isEmpty {
                return intervalBins(
                    column, edges: [hasNegativeInfinity ? -.infinity : .infinity],
                    hasNegativeInfinity: hasNegativeInfinity, hasPositiveInfinity: hasPositiveInfinity, missing: missing,
                    kind: kind)
            }
        }
        let edges: [Double]
        switch options.binning {
        case .quantile: edges = Binning.quantileEdges(selectingFrom: &present, bins: options.bins)
        case .uniform:
            var low = present[0]
            var high = present[0]
            for value in present {
                low = min(low, value)
                high = max(high, value)
            }
            edges = Binning.uniformEdges(sortedValues: [low, high], bins: options.bins)
        }
        return intervalBins(
            column, edges: edges, hasNegativeInfinity: hasNegativeInfinity, hasPositiveInfinity: hasPositiveInfinity,
            missing: missing, kind: kind)
    }

    /// A numeric feature binned from its value counts: the same bins as from its present values, with the counts'
    /// raw-value measures when the bins are intervals. The counts are let go before the codes are written: at 10M
    /// rows of 1M distinct values, the two together were 26 MB a worker.
    private func binNumbers(
        _ column: Column, counts: consuming ValueCounts, rows: Int, kind: FeatureKind
    ) -> BinnedFeature? {
        let distinct = counts.distinctCount
        guard distinct > 0 else { return nil }
        let missing = counts.count < rows
        if distinct <= categoricalThreshold {
            return numericCategories(
                column, distinct: (0..<distinct).map(counts.value(at:)), missing: missing,
                kind: kind == .numeric ? .categorical : kind)
        }
        // ±infinity sort first and last; the edges come from the finite values between (see above).
        let hasNegativeInfinity = counts.value(at: 0) == -.infinity
        let hasPositiveInfinity = counts.value(at: distinct - 1) == .infinity
        let below = hasNegativeInfinity ? counts.rows(at: 0) : 0
        let finite = counts.count - below - (hasPositiveInfinity ? counts.rows(at: distinct - 1) : 0)
        let edges: [Double]
        if finite == 0 {
            // Only infinities: one edge, widened below (interpolating between infinities would give NaN edges).
            edges = [hasNegativeInfinity ? -.infinity : .infinity]
        } else {
            switch options.binning {
            case .quantile:
                let ranks = Binning.quantileRanks(count: finite, bins: options.bins)
                let values = counts.orderStatistics(ranks: ranks.map { $0 + below })
                // Every rank was selected, so the edges exist.
                edges =
                    Binning.quantileEdges(
                        count: finite, bins: options.bins,
                        orderStatistics: Dictionary(uniqueKeysWithValues: zip(ranks, values))) ?? []
            case .uniform:
                let bounds = counts.orderStatistics(ranks: [below, below + finite - 1])
                edges = Binning.uniformEdges(sortedValues: bounds, bins: options.bins)
            }
        }
        // The raw-value measures are a feature's association with the failures (not a role column's).
        let measures = kind == .numeric ? FeatureAssociations.numericMeasures(counts) : nil
        _ = consume counts
        var binned = intervalBins(
            column, edges: edges, hasNegativeInfinity: hasNegativeInfinity, hasPositiveInfinity: hasPositiveInfinity,
            missing: missing, kind: kind)
        binned?.rawValueMeasures = measures
        return binned
    }

    private func isFloat(_ column: Column) -> Bool {
        if case .float64 = column.values { true } else { false }
    }

    /// A numeric feature's values against the failures, read in place when the column is a float column; nil past
    /// 32-bit counts.
    ///
    /// With rows left out (`keep`, and `failure` one flag per kept row) the left-out rows read as missing and the
    /// flags are spread back to their rows: the same values and flags as the kept rows' copy, whose making (a
    /// NaN check per row, 8 bytes a kept row) took longer than the counts.
    static func valueCounts(_ column: Column, keep: [Bool]?, failure: [UInt8]) -> ValueCounts? {
        if case .float64(let buffer) = column.values {
            // NaN counts as missing there, so the column's NaN rows need not be found first.
            let validity = column.validityExceptNaN
            guard let keep else { return ValueCounts.of(values: buffer, validity: validity, outcome: failure) }
            let (keptValidity, outcome) = Self.spread(failure, over: keep, validity: validity)
            return ValueCounts.of(values: buffer, validity: keptValidity, outcome: outcome)
        }
        guard let values = FeatureAssociations.numericValues(of: column, keep: keep) else { return nil }
        precondition(values.count == failure.count, "one failure flag per kept row")
        return ValueCounts.of(values: values, outcome: failure)
    }

    /// The kept rows' validity (`validity` and `keep`), and one flag per row: a kept row's from `failure` (one per
    /// kept row, in row order), 0 for a row left out.
    static func spread(
        _ failure: [UInt8], over keep: [Bool], validity: ValidityBitmap?
    ) -> (validity: ValidityBitmap, outcome: [UInt8]) {
        precondition(validity.map { $0.count == keep.count } ?? true, "validity length mismatch")
        var words = [UInt64](repeating: 0, count: (keep.count + 63) / 64)
        var outcome = [UInt8](repeating: 0, count: keep.count)
        var kept = 0
        for row in keep.indices where keep[row] {
            precondition(kept < failure.count, "one failure flag per kept row")
            outcome[row] = failure[kept]
            kept += 1
            words[row >> 6] |= 1 << UInt64(row & 63)
        }
        precondition(kept == failure.count, "one failure flag per kept row")
        if let validity {
            for index in words.indices { words[index] &= validity.word(index) }
        }
        return (ValidityBitmap(words: words, count: keep.count), outcome)
    }

    /// Interval bins on `edges`, widened to the infinities the column holds, with a missing-value bin when rows
    /// have no value.
    private func intervalBins(
        _ column: Column, edges: [Double], hasNegativeInfinity: Bool, hasPositiveInfinity: Bool, missing: Bool,
        kind: FeatureKind
    ) -> BinnedFeature? {
        // -0 and +0 are one value (as in the value counts): an edge the selection took from a -0 is written +0.
        var edges = edges.map { $0 == 0 ? 0.0 : $0 }
        guard !edges.isEmpty else { return nil }
        if hasNegativeInfinity && edges[0] != -.infinity {
            if edges.count == 1 { edges.insert(-.infinity, at: 0) } else { edges[0] = -.infinity }
        }
        if hasPositiveInfinity && edges[edges.count - 1] != .infinity {
            if edges.count == 1 { edges.append(.infinity) } else { edges[edges.count - 1] = .infinity }
        }
        let binCount = max(1, edges.count - 1)
        let pairEdges = edges.count >= 2 ? edges : [edges[0], edges[0]]
        var identities: [BinIdentity] = (0..<binCount).map { index in
            .interval(lower: pairEdges[index], upper: pairEdges[index + 1], lowerInclusive: index == 0)
        }
        // Written again from the column by the recipe, whole or a range of rows. An integer column is read as Doubles
        // a block at a time: it is never copied whole (8 bytes a row, each time its codes are written).
        let assign: (@Sendable (Range<Int>?) -> BinCodes)? =
            switch column.values {
            case .float64(let values):
                { rows in
                    // NaN is outside every interval (the missing code), as a missing row.
                    let validity = column.validityExceptNaN
                    return Self.binCodes(missingCode: binCount) {
                        Binning.assign(
                            values: values, validity: validity, edges: pairEdges, missingCode: $0, rows: rows)
                    } wide: {
                        Binning.assign(
                            values: values, validity: validity, edges: pairEdges, missingCode: $0, rows: rows)
                    }
                }
            case .int64(let values):
                { rows in
                    Self.binCodes(missingCode: binCount) {
                        Binning.assign(
                            values: values, validity: column.validity, edges: pairEdges, missingCode: $0, rows: rows)
                    } wide: {
                        Binning.assign(
                            values: values, validity: column.validity, edges: pairEdges, missingCode: $0, rows: rows)
                    }
                }
            default: nil
            }
        let write: @Sendable () -> BinCodes = {
            if let assign { return assign(nil) }
            let values = ColumnBuffer(Self.doubles(column))
            return Self.binCodes(missingCode: binCount) {
                Binning.assign(values: values, validity: nil, edges: pairEdges, missingCode: $0)
            } wide: {
                Binning.assign(values: values, validity: nil, edges: pairEdges, missingCode: $0)
            }
        }
        let block = assign.map { assign in { @Sendable (rows: Range<Int>) in assign(rows) } }
        if missing { identities.append(.missing) }
        let inner = Array(pairEdges.dropFirst().dropLast())
        let (low, high) = (pairEdges[0], pairEdges[pairEdges.count - 1])
        let recipe = CodeRecipe(
            count: column.count, isNarrow: BinCodes.isNarrow(codeCount: binCount + 1), all: write, block: block
        ) { row in
            // As Binning.assign: a missing or NaN value, or one outside the edges, gets the missing code.
            let value = Self.number(column, row)
            guard value >= low && value <= high else { return UInt16(binCount) }
            var bin = 0
            for edge in inner { bin &+= value > edge ? 1 : 0 }
            return UInt16(bin)
        }
        var binned = BinnedFeature(
            name: column.name, kind: kind, columnType: column.type.description, binning: options.binning,
            edges: pairEdges, identities: identities,
            codes: writesCodes || block == nil ? recipe.all() : BinCodes(remadeBy: recipe))
        binned.recipe = recipe
        return binned
    }

    /// An integer label, prediction or batch column of few values, one slice per value, from its distinct values
    /// read in place (``Kernels/FirstAppearanceCodes/sortedDistinct(_:validity:)``); nil when it takes the general
    /// path (too wide a range or too many values, or no value).
    /// With rows left out (`kept`), the distinct values and the missing rows are the kept rows' (a left-out row
    /// reads as missing), and the recipe's codes are compacted to them after.
    private func integerCategories(
        _ column: Column, role: Role, kind: FeatureKind, kept: KeptRows?
    ) -> BinnedFeature? {
        let validity = kept.map { $0.validity(and: column.validity) } ?? column.validity
        guard case .int64(let buffer) = column.values,
            let distinct = FirstAppearanceCodes.sortedDistinct(buffer, validity: validity),
            let first = distinct.first, let last = distinct.last,
            // Exact as Doubles, so that distinct integers stay distinct values.
            first >= -(1 << 53), last <= 1 << 53
        else { return nil }
        // As in binNumbers: few values are categories, and so are integer roles of up to their cap.
        let cap = role == .batch ? options.maxBatches : options.maxCategories
        guard distinct.count <= min(max(options.categoricalThreshold, cap), Self.maximumValueSlices) else { return nil }
        let rows = kept?.keptCount ?? column.count
        let missing = (validity?.validCount ?? rows) < rows
        return numericCategories(column, distinct: distinct.map(Double.init), missing: missing, kind: kind)
    }

    /// The class ids of an integer label or prediction column: the id of each row (-1 where it has none) and, for
    /// each distinct value the column holds, the value and its id (every row's id is one of these, or -1).
    public struct ClassIds: Sendable {
        public var ids: ClassIdColumn
        public var values: [Int64]
        public var idOfValue: [Int32]

        public init(ids: ClassIdColumn, values: [Int64], idOfValue: [Int32]) {
            precondition(values.count == idOfValue.count, "one id per value")
            self.ids = ids
            self.values = values
            self.idOfValue = idOfValue
        }
    }

    /// An integer label or prediction column of every analysed row, binned from its class ids: the bins
    /// ``bin(_:role:keep:failure:)`` gives it (one per value, in value order, then the missing rows' bin), from one
    /// pass over the ids instead of a range pass, a distinct-values pass and a lookup pass over the values. Nil where
    /// that path would not give a bin per value (too many values, values past ±2⁵³, no value, or not an integer
    /// column): the caller then bins the column itself.
    public func bin(_ column: Column, role: Role, classIds: ClassIds) -> BinnedFeature? {
        guard role == .label || role == .prediction, case .int64 = column.values, classIds.ids.count == column.count
        else { return nil }
        let order = classIds.values.indices.sorted { classIds.values[$0] < classIds.values[$1] }
        guard let first = order.first.map({ classIds.values[$0] }), let last = order.last.map({ classIds.values[$0] }),
            // Exact as Doubles, so that distinct integers stay distinct values (as in integerCategories).
            first >= -(1 << 53), last <= 1 << 53,
            order.count <= min(max(options.categoricalThreshold, options.maxCategories), Self.maximumValueSlices),
            classIds.idOfValue.allSatisfy({ $0 >= 0 }), let largestId = classIds.idOfValue.max()
        else { return nil }
        var identities: [BinIdentity] = order.map { .value(NumberFormat.shortest(Double(classIds.values[$0]))) }
        var table = [Int](repeating: 0, count: Int(largestId) + 1)
        for (code, index) in order.enumerated() { table[Int(classIds.idOfValue[index])] = code }
        let missingCode = order.count
        let ids = classIds.ids
        // The codes integerCategories would write: so they can be let go once counted, as theirs (or not written
        // at all, without `writesCodes`).
        let recipe = Self.categoriesRecipe(column, sortedDistinct: order.map { Double(classIds.values[$0]) })
        let codes =
            writesCodes
            ? Self.binCodes(missingCode: missingCode) {
                CategoryCodes.remap(classIds: ids, table: table.map { UInt8($0) }, missingCode: $0)
            } wide: {
                CategoryCodes.remap(classIds: ids, table: table.map { UInt16($0) }, missingCode: $0)
            } : BinCodes(remadeBy: recipe)
        if (column.validity?.validCount ?? column.count) < column.count { identities.append(.missing) }
        var binned = BinnedFeature(
            name: column.name, kind: role == .label ? .label : .prediction, columnType: column.type.description,
            identities: identities, codes: codes)
        binned.recipe = recipe
        return binned
    }

    private func numericCategories(
        _ column: Column, distinct: [Double], missing: Bool, kind: FeatureKind
    ) -> BinnedFeature {
        // -0 and +0 are one value, labelled 0 whichever the column met first.
        let distinct = distinct.map { $0 == 0 ? 0.0 : $0 }
        var identities: [BinIdentity] = distinct.map { .value(NumberFormat.shortest($0)) }
        let recipe = Self.categoriesRecipe(column, sortedDistinct: distinct)
        let codes = writesCodes ? recipe.all() : BinCodes(remadeBy: recipe)
        if missing { identities.append(.missing) }
        var binned = BinnedFeature(
            name: column.name, kind: kind, columnType: column.type.description, identities: identities, codes: codes)
        binned.recipe = recipe
        return binned
    }

    /// The recipe of a numeric column's codes by value: the position of each row's value among `sortedDistinct`
    /// (0 and -0 equal), the missing code (`sortedDistinct.count`) for a missing row or another value.
    private static func categoriesRecipe(_ column: Column, sortedDistinct distinct: [Double]) -> CodeRecipe {
        let validity = column.validity
        let missingCode = distinct.count
        // The codes of a range of rows, or of every row (nil).
        let write: @Sendable (Range<Int>?) -> BinCodes = { rows in
            switch column.values {
            case .float64(let buffer):
                Self.binCodes(missingCode: missingCode) {
                    CategoryCodes.assign(
                        values: buffer, validity: validity, sortedDistinct: distinct, missingCode: $0, rows: rows)
                } wide: {
                    CategoryCodes.assign(
                        values: buffer, validity: validity, sortedDistinct: distinct, missingCode: $0, rows: rows)
                }
            case .int64(let buffer):
                Self.binCodes(missingCode: missingCode) {
                    CategoryCodes.assign(
                        values: buffer, validity: validity, sortedDistinct: distinct, missingCode: $0, rows: rows)
                } wide: {
                    CategoryCodes.assign(
                        values: buffer, validity: validity, sortedDistinct: distinct, missingCode: $0, rows: rows)
                }
            default:
                Self.binCodes(missingCode: missingCode) { [UInt8](repeating: $0, count: rows?.count ?? column.count) }
                    wide: { [UInt16](repeating: $0, count: rows?.count ?? column.count) }
            }
        }
        let numeric: Bool = switch column.values {
            case .float64, .int64: true
            default: false
        }
        return CodeRecipe(
            count: column.count, isNarrow: BinCodes.isNarrow(codeCount: missingCode + 1), all: { write(nil) },
            block: { write($0) }
        ) { row in
            // As CategoryCodes.assign: the position of an equal value (0 and -0 are equal), else the missing code.
            let value = numeric ? Self.number(column, row) : .nan
            var low = 0
            var high = distinct.count
            while low < high {
                let middle = (low + high) >> 1
                if distinct[middle] < value { low = middle + 1 } else { high = middle }
            }
            return UInt16(low < distinct.count && distinct[low] == value ? low : distinct.count)
        }
    }

    // MARK: - Text and flags

    private func binStrings(
        _ column: Column, _ strings: DictionaryStrings, kind: FeatureKind, limit: Int, keep: [Bool]?
    ) -> BinnedFeature? {
        let dictionary = strings.dictionary
        // Writing the codes while counting the entries pays only when the codes are kept.
        if writesCodes, keep == nil, dictionary.count <= limit,
            let binned = binEveryEntry(column, strings, kind: kind)
        {
            return binned
        }
        // In place (a mapped column is not copied).
        let counted =
            if let keep {
                CategoryCodes.counts(
                    codes: strings.codes, validity: column.validity, entries: dictionary.count, keep: keep)
            } else {
                CategoryCodes.counts(codes: strings.codes, validity: column.validity, entries: dictionary.count)
            }
        let counts = counted.counts
        let missing = counted.missing > 0
        var present = (0..<dictionary.count).filter { counts[$0] > 0 }
        guard !present.isEmpty || missing else { return nil }
        var merged: [Int] = []
        if present.count > limit {
            let byFrequency = present.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : dictionary[$0] < dictionary[$1] }
            present = Array(byFrequency.prefix(limit))
            merged = Array(byFrequency.dropFirst(limit))
        }
        present.sort { dictionary[$0] < dictionary[$1] }
        var identities: [BinIdentity] = present.map { .value(dictionary[$0]) }
        var remap = [Int](repeating: 0, count: dictionary.count)
        for (code, entry) in present.enumerated() { remap[entry] = code }
        if !merged.isEmpty {
            let otherCode = identities.count
            identities.append(.other(mergedCategories: merged.count))
            for entry in merged { remap[entry] = otherCode }
        }
        let missingCode = identities.count
        if missing { identities.append(.missing) }
        let recipe = Self.dictionaryRecipe(column, strings, remap: remap, missingCode: missingCode)
        var binned = BinnedFeature(
            name: column.name, kind: kind, columnType: column.type.description, identities: identities,
            codes: writesCodes ? recipe.all() : BinCodes(remadeBy: recipe))
        binned.recipe = recipe
        return binned
    }

    /// The bins of a string column whose every dictionary entry occurs: one per entry in text order, then the
    /// missing rows' bin, as ``binStrings(_:_:kind:limit:keep:)`` makes them when no entry is merged, from one pass
    /// that writes the codes and counts them (the dictionaries read from files hold the entries that occur). Nil
    /// when an entry does not occur: its code was given in vain, and the caller bins the column in two passes.
    private func binEveryEntry(_ column: Column, _ strings: DictionaryStrings, kind: FeatureKind) -> BinnedFeature? {
        let dictionary = strings.dictionary
        let order = dictionary.indices.sorted { dictionary[$0] < dictionary[$1] }
        var remap = [Int](repeating: 0, count: dictionary.count)
        for (code, entry) in order.enumerated() { remap[entry] = code }
        let missingCode = dictionary.count
        let validity = column.validity
        var counts: [Int] = []
        let codes = Self.binCodes(missingCode: missingCode) { missing in
            let counted = CategoryCodes.remapCounting(
                codes: strings.codes, validity: validity, table: remap.map { UInt8($0) }, missingCode: missing)
            counts = counted.counts
            return counted.codes
        } wide: { missing in
            let counted = CategoryCodes.remapCounting(
                codes: strings.codes, validity: validity, table: remap.map { UInt16($0) }, missingCode: missing)
            counts = counted.counts
            return counted.codes
        }
        guard counts.dropLast().allSatisfy({ $0 > 0 }) else { return nil }
        var identities: [BinIdentity] = order.map { .value(dictionary[$0]) }
        if counts[missingCode] > 0 { identities.append(.missing) }
        guard !identities.isEmpty else { return nil }
        var binned = BinnedFeature(
            name: column.name, kind: kind, columnType: column.type.description, identities: identities, codes: codes)
        binned.recipe = Self.dictionaryRecipe(column, strings, remap: remap, missingCode: missingCode)
        return binned
    }

    /// The recipe of a dictionary column's codes: `remap[entry]` for a present row, `missingCode` for a missing one,
    /// at one byte when the codes fit (as ``Kernels/CategoryCodes`` remaps them).
    private static func dictionaryRecipe(
        _ column: Column, _ strings: DictionaryStrings, remap: [Int], missingCode: Int
    ) -> CodeRecipe {
        let validity = column.validity
        let narrowTable = remap.map { UInt8(truncatingIfNeeded: $0) }
        let wideTable = remap.map { UInt16($0) }
        let write: @Sendable (Range<Int>?) -> BinCodes = { rows in
            Self.binCodes(missingCode: missingCode) { missing in
                CategoryCodes.remap(
                    codes: strings.codes, validity: validity, table: narrowTable, missingCode: missing, rows: rows)
            } wide: { missing in
                CategoryCodes.remap(
                    codes: strings.codes, validity: validity, table: wideTable, missingCode: missing, rows: rows)
            }
        }
        return CodeRecipe(
            count: strings.codes.count, isNarrow: BinCodes.isNarrow(codeCount: missingCode + 1), all: { write(nil) },
            block: { write($0) }
        ) { row in
            column.isValid(row) ? UInt16(remap[Int(strings.codes[row])]) : UInt16(missingCode)
        }
    }

    private func binBools(
        _ column: Column, _ flags: ColumnBuffer<UInt8>, kind: FeatureKind, keep: [Bool]?
    ) -> BinnedFeature? {
        var seen = [false, false]
        var missing = false
        for row in 0..<flags.count where keep?[row] ?? true {
            if column.isValid(row) { seen[Int(flags[row] != 0 ? 1 : 0)] = true } else { missing = true }
        }
        let present = (0..<2).filter { seen[$0] }
        guard !present.isEmpty || missing else { return nil }
        var identities: [BinIdentity] = present.map { .value($0 == 1 ? "True" : "False") }
        var remap: [UInt8] = [0, 0]
        for (code, value) in present.enumerated() { remap[value] = UInt8(code) }
        let missingCode = UInt8(identities.count)
        if missing { identities.append(.missing) }
        let one: @Sendable (Int) -> UInt16 = { [remap] row in
            UInt16(column.isValid(row) ? remap[Int(flags[row] != 0 ? 1 : 0)] : missingCode)
        }
        let write: @Sendable () -> BinCodes = {
            BinCodes((0..<flags.count).map { UInt8(truncatingIfNeeded: one($0)) })
        }
        let codes = write()
        var binned = BinnedFeature(
            name: column.name, kind: kind, columnType: column.type.description, identities: identities, codes: codes)
        binned.recipe = CodeRecipe(count: codes.count, isNarrow: true, all: write, one: one)
        return binned
    }

    // MARK: - Time

    private func binTimes(
        _ column: Column, _ stamps: ColumnBuffer<Int64>, unit: TimeUnit, kind: FeatureKind, keep: [Bool]?
    ) -> BinnedFeature? {
        let perSecond = unit.perSecond
        // The range of the kept stamps: floor division is monotone, so the seconds' range is the stamps' divided.
        let (range, missing) = Binning.keptRange(stamps, validity: column.validity, keep: keep)
        guard let (lowStamp, highStamp) = range else { return nil }
        let plan = timeBuckets(
            low: TimestampFormat.floorDiv(lowStamp, perSecond), high: TimestampFormat.floorDiv(highStamp, perSecond))
        let (width, first, bucketCount) = (plan.width, plan.first, plan.identities.count)
        var identities = plan.identities
        let missingCode = UInt16(bucketCount)
        if missing { identities.append(.missing) }
        // Rows outside the buckets can only be rows the keep mask drops (the buckets span the kept stamps): they get
        // the missing code and are compacted away.
        let fixed = Self.fixedBuckets(first: first, width: width, perSecond: perSecond, highest: highStamp)
        let block: @Sendable (Range<Int>) -> BinCodes = { rows in
            Self.timeCodes(
                column, stamps, perSecond: perSecond, first: first, width: width, count: bucketCount, fixed: fixed,
                rows: rows)
        }
        let write: @Sendable () -> BinCodes = { block(0..<stamps.count) }
        let recipe = CodeRecipe(
            count: stamps.count, isNarrow: BinCodes.isNarrow(codeCount: bucketCount + 1), all: write, block: block
        ) { row in
            guard column.isValid(row) else { return missingCode }
            let index = TimeBuckets.index(
                of: TimestampFormat.floorDiv(stamps[row], perSecond), first: first, width: width)
            return index >= 0 && index < bucketCount ? UInt16(truncatingIfNeeded: index) : missingCode
        }
        var binned = BinnedFeature(
            name: column.name, kind: kind, columnType: column.type.description, timeBucket: width,
            identities: identities, codes: writesCodes ? recipe.all() : BinCodes(remadeBy: recipe))
        binned.recipe = recipe
        return binned
    }

    /// The bucket codes of a timestamp column: fixed-width buckets (`fixed`: origin and step in stamp units) in
    /// one division per row, else calendar buckets from the seconds; the missing code (`count`) for a missing row
    /// or one outside the buckets.
    private static func timeCodes(
        _ column: Column, _ stamps: ColumnBuffer<Int64>, perSecond: Int64, first: Int64, width: TimeBucketWidth,
        count bucketCount: Int, fixed: (origin: Int64, step: Int64)?, rows: Range<Int>
    ) -> BinCodes {
        let missingCode = UInt16(bucketCount)
        let codes: BinCodes
        if let (origin, step) = fixed {
            // Hours, days and weeks are fixed spans: floor((t − origin) / step) in the stamps' own unit is the bucket
            // index (floor(floor(t / p) / w) = floor(t / (p·w)), and `first` is a bucket start), one division per row
            // instead of two and a call.
            let validity = column.validity
            codes = Self.binCodes(missingCode: bucketCount) {
                Binning.fixedWidthCodes(
                    stamps, validity: validity, origin: origin, step: step, count: bucketCount, missingCode: $0,
                    rows: rows)
            } wide: {
                Binning.fixedWidthCodes(
                    stamps, validity: validity, origin: origin, step: step, count: bucketCount, missingCode: $0,
                    rows: rows)
            }
        } else {
            let wide = rows.map { row in
                guard column.isValid(row) else { return missingCode }
                let index = TimeBuckets.index(
                    of: TimestampFormat.floorDiv(stamps[row], perSecond), first: first, width: width)
                return index >= 0 && index < bucketCount ? UInt16(truncatingIfNeeded: index) : missingCode
            }
            codes = BinCodes(wide, codeCount: bucketCount + 1)
        }
        return codes
    }

    /// The first bucket's start and the bucket width in stamp units, for the fixed-width buckets (not months), when
    /// both, and the offset of the `highest` kept stamp from that start, fit in 64 bits.
    static func fixedBuckets(
        first: Int64, width: TimeBucketWidth, perSecond: Int64, highest: Int64
    ) -> (origin: Int64, step: Int64)? {
        let seconds: Int64
        switch width {
        case .hour: seconds = 3_600
        case .day: seconds = 86_400
        case .week: seconds = 604_800
        case .month: return nil
        }
        let (origin, overflow) = first.multipliedReportingOverflow(by: perSecond)
        let (step, stepOverflow) = seconds.multipliedReportingOverflow(by: perSecond)
        guard !overflow, !stepOverflow, !highest.subtractingReportingOverflow(origin).overflow else { return nil }
        return (origin, step)
    }

    /// The time buckets for timestamps from `low` to `high` (epoch seconds): the width (`--time-bucket`, or chosen
    /// from the span and widened until there are at most 20,000 buckets), the start of the first bucket, and one
    /// identity per bucket. A timestamp `t` falls in bucket ``timeBucketIndex(of:first:width:)``.
    public func timeBuckets(low: Int64, high: Int64) -> (width: TimeBucketWidth, first: Int64, identities: [BinIdentity]) {
        var width = options.timeBucket ?? TimeBucketWidth.automatic(spanSeconds: high - low)
        let maximumBuckets = 20_000
        while TimeBuckets.count(from: low, to: high, width: width) > maximumBuckets, width != .month {
            width = TimeBucketWidth.allCases[TimeBucketWidth.allCases.firstIndex(of: width)! + 1]
        }
        let first = TimeBuckets.start(of: low, width: width)
        let bucketCount = TimeBuckets.count(from: low, to: high, width: width)
        let identities: [BinIdentity] = (0..<bucketCount).map { index in
            let start = TimeBuckets.advance(first, by: index, width: width)
            return .timeBucket(start: start, end: TimeBuckets.advance(first, by: index + 1, width: width))
        }
        return (width, first, identities)
    }

    /// The bucket index of `seconds` for buckets of `width` starting at `first`.
    public static func timeBucketIndex(of seconds: Int64, first: Int64, width: TimeBucketWidth) -> Int {
        TimeBuckets.index(of: seconds, first: first, width: width)
    }

    // MARK: - Helpers

    /// The column's values as Doubles, NaN where missing.
    static func doubles(_ column: Column) -> [Double] {
        var values: [Double]
        switch column.values {
        case .float64(let buffer): values = Array(buffer.array)
        case .int64(let buffer): values = buffer.array.map { Double($0) }
        case .bool(let buffer): values = buffer.array.map { Double($0) }
        case .timestamp(let buffer, _): values = buffer.array.map { Double($0) }
        case .string(let strings): values = [Double](repeating: .nan, count: strings.codes.count)
        }
        if let validity = column.validity {
            for row in 0..<values.count where !validity.isValid(row) { values[row] = .nan }
        }
        return values
    }

    /// The distinct values (sorted), stopping once `limit` of them are found: a linear scan that ends after a handful
    /// of rows for continuous data. Few distinct values (the categorical threshold) are kept in a small array, where
    /// a linear search beats hashing every row of a column that turns out categorical.
    static func distinctValues(_ values: [Double], limit: Int) -> [Double] {
        guard limit <= 32 else { return DistinctCount.sortedValues(values, limit: limit - 1) }
        var seen: [Double] = []
        seen.reserveCapacity(limit)
        var last = Double.nan
        for value in values where value != last {
            last = value
            // `==` treats 0.0 and -0.0 as one value, as Set<Double> does.
            if !seen.contains(value) {
                seen.append(value)
                if seen.count >= limit { break }
            }
        }
        return seen.sorted()
    }

    /// The value of `row` of a numeric column as a Double, NaN where it has none.
    @inline(__always)
    static func number(_ column: Column, _ row: Int) -> Double {
        guard column.isValid(row) else { return .nan }
        switch column.values {
        case .float64(let buffer): return buffer[row]
        case .int64(let buffer): return Double(buffer[row])
        case .bool(let buffer): return Double(buffer[row])
        case .timestamp(let buffer, _): return Double(buffer[row])
        case .string: return .nan
        }
    }

    /// Codes from 0 to `missingCode` at their narrowest width: `narrow`'s one-byte codes when `missingCode` is below
    /// 256, else `wide`'s two-byte codes, each given the missing code at its width.
    static func binCodes(
        missingCode: Int, narrow: (UInt8) -> [UInt8], wide: (UInt16) -> [UInt16]
    ) -> BinCodes {
        BinCodes.isNarrow(codeCount: missingCode + 1)
            ? BinCodes(narrow(UInt8(missingCode))) : BinCodes(wide(UInt16(missingCode)))
    }
}

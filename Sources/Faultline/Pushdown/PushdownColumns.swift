import ColumnStore
import Kernels
import SliceSearch

/// A column of the SQL table.
struct SQLColumn: Sendable, Equatable {
    var name: String
    var type: SQLColumnType
}

/// A column to slice: its role and what the profile query learnt about it over the analysed rows.
struct PushdownColumn {
    var column: SQLColumn
    var role: FeatureBinner.Role
    /// Non-NULL values over the analysed rows.
    var present = 0
    var distinct = 0
    /// Numbers: the smallest and largest value; timestamps: in epoch seconds.
    var low: Double?
    var high: Double?
    /// Values by count (categories, flags, and numbers with few distinct values), from the values query.
    var counts: [(value: String, number: Double?, rows: Int)] = []
    /// Quantile order statistics by rank (numbers binned by quantile), from the values query.
    var ranked: [Int: Double] = [:]

    /// How the column is cut, decided from the profile: the values query must fetch the categories or the ranks.
    enum Plan: Equatable {
        case numericCategories, textCategories, flags, quantiles(ranks: [Int]), uniform, time, none
    }
}

/// Cuts columns into bins from aggregates exactly as ``FeatureBinner`` cuts them from rows, and writes the SQL that
/// gives each analysed row its bin code.
struct PushdownBinner {
    let dialect: SQLDialect
    let options: SlicingOptions

    func kind(for role: FeatureBinner.Role) -> FeatureKind {
        switch role {
        case .feature: .numeric
        case .label: .label
        case .prediction: .prediction
        case .time: .time
        case .batch: .batch
        }
    }

    /// The plan for a profiled column (`.none` when it has no value on the analysed rows).
    func plan(_ profile: PushdownColumn) -> PushdownColumn.Plan {
        guard profile.present > 0 else { return .none }
        switch profile.column.type {
        case .string: return .textCategories
        case .bool: return .flags
        case .timestamp: return .time
        case .integer, .float:
            if profile.distinct <= options.categoricalThreshold { return .numericCategories }
            if profile.column.type == .integer && profile.role != .feature {
                let cap = profile.role == .batch ? options.maxBatches : options.maxCategories
                if profile.distinct <= cap { return .numericCategories }
            }
            switch options.binning {
            case .quantile: return .quantiles(ranks: Binning.quantileRanks(count: profile.present, bins: options.bins))
            case .uniform: return .uniform
            }
        }
    }

    /// The binned column (identities, no codes) and the SQL expression of its code, given the profile and, where
    /// the plan needs them, the values or ranks.
    func bin(_ profile: PushdownColumn, analysedRows: Int) -> (feature: BinnedFeature, code: String)? {
        let column = dialect.quote(profile.column.name)
        let missing = profile.present < analysedRows
        let kind = kind(for: profile.role)
        let categoryKind: FeatureKind = kind == .numeric ? .categorical : kind
        let typeName = profile.column.type.description
        switch plan(profile) {
        case .none:
            return nil
        case .numericCategories:
            let values = profile.counts.compactMap(\.number).sorted()
            var identities: [BinIdentity] = values.map { .value(NumberFormat.shortest($0)) }
            let missingCode = identities.count
            if missing { identities.append(.missing) }
            var cases = "CASE WHEN \(column) IS NULL THEN \(missingCode)"
            for (code, value) in values.enumerated() {
                cases += " WHEN CAST(\(column) AS \(dialect.doubleType)) = \(dialect.double(value)) THEN \(code)"
            }
            return (
                BinnedFeature(name: profile.column.name, kind: categoryKind, columnType: typeName, identities: identities, codes: []),
                cases + " ELSE -1 END"
            )
        case .textCategories, .flags:
            let isFlag = profile.column.type == .bool
            let limit = profile.role == .batch ? options.maxBatches : options.maxCategories
            var present = profile.counts.filter { $0.rows > 0 }
            var merged = 0
            if !isFlag && present.count > limit {
                present.sort { $0.rows != $1.rows ? $0.rows > $1.rows : $0.value < $1.value }
                merged = present.count - limit
                present = Array(present.prefix(limit))
            }
            present.sort { $0.value < $1.value }
            var identities: [BinIdentity] = present.map { .value($0.value) }
            var otherCode = -1
            if merged > 0 {
                otherCode = identities.count
                identities.append(.other(mergedCategories: merged))
            }
            let missingCode = identities.count
            if missing { identities.append(.missing) }
            var cases = "CASE WHEN \(column) IS NULL THEN \(missingCode)"
            for (code, entry) in present.enumerated() {
                let literal = isFlag ? (entry.value == "True" ? "TRUE" : "FALSE") : dialect.literal(entry.value)
                cases += " WHEN \(column) = \(literal) THEN \(code)"
            }
            return (
                BinnedFeature(name: profile.column.name, kind: categoryKind, columnType: typeName, identities: identities, codes: []),
                cases + " ELSE \(otherCode) END"
            )
        case .quantiles, .uniform:
            guard let low = profile.low, let high = profile.high else { return nil }
            let edges: [Double]
            if options.binning == .quantile {
                guard
                    let quantiles = Binning.quantileEdges(
                        count: profile.present, bins: options.bins, orderStatistics: profile.ranked)
                else { return nil }
                edges = quantiles
            } else {
                edges = Binning.uniformEdges(sortedValues: [low, high], bins: options.bins)
            }
            let pairEdges = edges.count >= 2 ? edges : [edges[0], edges[0]]
            let binCount = max(1, pairEdges.count - 1)
            var identities: [BinIdentity] = (0..<binCount).map { index in
                .interval(lower: pairEdges[index], upper: pairEdges[index + 1], lowerInclusive: index == 0)
            }
            if missing { identities.append(.missing) }
            // The bin is the number of inner edges strictly below the value (``Binning/binIndex``).
            var cases = "CASE WHEN \(column) IS NULL THEN \(binCount)"
            let inner = pairEdges.dropFirst().dropLast()
            for (index, edge) in inner.enumerated() {
                cases += " WHEN \(column) <= \(dialect.double(edge)) THEN \(index)"
            }
            return (
                BinnedFeature(
                    name: profile.column.name, kind: kind, columnType: typeName, binning: options.binning,
                    edges: pairEdges, identities: identities, codes: []),
                cases + " ELSE \(binCount - 1) END"
            )
        case .time:
            guard let low = profile.low, let high = profile.high else { return nil }
            let binner = FeatureBinner(options: options)
            let plan = binner.timeBuckets(low: Int64(low), high: Int64(high))
            var identities = plan.identities
            let missingCode = identities.count
            if missing { identities.append(.missing) }
            let seconds = dialect.epochSeconds(column)
            let index: String
            switch plan.width {
            case .hour, .day, .week:
                let width: Int64 = plan.width == .hour ? 3_600 : plan.width == .day ? 86_400 : 604_800
                let shift: Int64 = plan.width == .week ? 4 * 86_400 : 0
                let firstIndex = (plan.first - shift) / width
                index = "CAST(FLOOR((\(seconds) - \(shift)) / \(width)) AS \(dialect.integerType)) - \(firstIndex)"
            case .month:
                let (year, month, _) = TimestampFormat.civilFromDays(Int(TimestampFormat.floorDiv(plan.first, 86_400)))
                index = "CAST(EXTRACT(YEAR FROM \(column)) AS \(dialect.integerType)) * 12 + "
                    + "CAST(EXTRACT(MONTH FROM \(column)) AS \(dialect.integerType)) - \(year * 12 + month)"
            }
            let timeKind: FeatureKind = profile.role == .feature ? .time : kind
            return (
                BinnedFeature(
                    name: profile.column.name, kind: timeKind, columnType: typeName, timeBucket: plan.width,
                    identities: identities, codes: []),
                "CASE WHEN \(column) IS NULL THEN \(missingCode) ELSE \(index) END"
            )
        }
    }
}

import Kernels
import SliceSearch

/// Counts conjunctions of bins on the SQL engine: one masked `GROUPING SETS` query per batch of candidates (every
/// non-promising code becomes NULL, rows with too few codes left are dropped before grouping), with results cached,
/// so a candidate is never counted twice.
final class SQLSliceCounter: SliceCounter {
    typealias Failure = AnalysisError

    let dialect: SQLDialect
    let runner: any SQLQueryRunner
    /// `WITH base AS (...)`: one code column per binned column, `err`, `loss` and the task's columns.
    let base: String
    /// The base column of each searched feature, and its first one-hot column.
    let featureColumns: [String]
    let domains: [Int]
    let columnOffsets: [Int]
    let featureOfColumn: [Int]
    let scoresLoss: Bool
    let statisticsSelect: String
    private var cache: [[Int32]: IntersectionCounts] = [:]
    private var queries = 0

    init(
        dialect: SQLDialect, runner: any SQLQueryRunner, base: String, featureColumns: [String], domains: [Int],
        scoresLoss: Bool, statisticsSelect: String
    ) {
        self.dialect = dialect
        self.runner = runner
        self.base = base
        self.featureColumns = featureColumns
        self.domains = domains
        var offsets: [Int] = []
        var owner: [Int] = []
        for (feature, domain) in domains.enumerated() {
            offsets.append(owner.count)
            owner.append(contentsOf: repeatElement(feature, count: domain))
        }
        columnOffsets = offsets
        featureOfColumn = owner
        self.scoresLoss = scoresLoss
        self.statisticsSelect = statisticsSelect
    }

    /// Records level-1 counts already known from the 1-D query.
    func seed(column: Int32, counts: IntersectionCounts) { cache[[column]] = counts }

    func evaluate(_ columns: [Int32], arity: Int) throws(AnalysisError) -> [IntersectionCounts] {
        let count = arity > 0 ? columns.count / arity : 0
        var pending: [[Int32]] = []
        for index in 0..<count {
            let candidate = Array(columns[index * arity..<(index + 1) * arity])
            guard cache[candidate] == nil else { continue }
            if Set(candidate.map { featureOfColumn[Int($0)] }).count < candidate.count {
                cache[candidate] = IntersectionCounts()  // two bins of one feature: no row
            } else {
                pending.append(candidate)
            }
        }
        if !pending.isEmpty { try countPending(pending, arity: arity) }
        return (0..<count).map { cache[Array(columns[$0 * arity..<($0 + 1) * arity])] ?? IntersectionCounts() }
    }

    private func countPending(_ candidates: [[Int32]], arity: Int) throws(AnalysisError) {
        var codes: [Int: Set<Int>] = [:]
        var combinations = Set<[Int]>()
        for candidate in candidates {
            let features = candidate.map { featureOfColumn[Int($0)] }
            combinations.insert(features)
            for (feature, column) in zip(features, candidate) {
                codes[feature, default: []].insert(Int(column) - columnOffsets[feature])
            }
        }
        let features = codes.keys.sorted()
        let names = features.map { featureColumns[$0] }
        let present = names.map { "CASE WHEN \($0) IS NULL THEN 0 ELSE 1 END" }.joined(separator: " + ")
        let masked = zip(features, names).map { feature, name in
            "CASE WHEN \(name) IN (\(codes[feature]!.sorted().map(String.init).joined(separator: ", "))) THEN \(name) END AS \(name)"
        }
        let sets = combinations.sorted { $0.lexicographicallyPrecedes($1) }.map { combination in
            "(" + combination.map { featureColumns[$0] }.joined(separator: ", ") + ")"
        }
        let text = """
            \(base),
            masked AS (SELECT \(masked.joined(separator: ", ")), err, loss FROM base),
            kept AS (SELECT * FROM masked WHERE \(present) >= \(arity))
            SELECT * FROM (
              SELECT \(names.joined(separator: ", ")), COUNT(*) AS n, SUM(err) AS n_fail, SUM(loss) AS loss_sum, MAX(loss) AS loss_max
              FROM kept GROUP BY GROUPING SETS (\(sets.joined(separator: ", ")))
            ) g WHERE \(present) = \(arity)
            """
        queries += 1
        let query = SQLQuery(step: "level-\(arity)", text: text)
        let table = try SQLResultTable(csv: runner.run(query), query: query)
        let positions = try names.map { name throws(AnalysisError) in try table.column(name) }
        let n = try table.column("n")
        let failures = try table.column("n_fail")
        let lossSum = try table.column("loss_sum")
        let lossMax = try table.column("loss_max")
        for row in 0..<table.rows.count {
            var key: [Int32] = []
            for (slot, feature) in features.enumerated() {
                guard let code = try table.integer(row, positions[slot]) else { continue }
                guard code >= 0 && code < domains[feature] else {
                    throw AnalysisError(
                        code: .sqlEngine,
                        message: "the \(query.step) query returned code \(code) for \(featureColumns[feature]), which "
                            + "no bin has: did the table change while Faultline queried it?")
                }
                key.append(Int32(columnOffsets[feature] + code))
            }
            guard key.count == arity else { continue }
            cache[key] = IntersectionCounts(
                rows: try table.integer(row, n) ?? 0, markedRows: try table.integer(row, failures) ?? 0,
                valueSum: scoresLoss ? (try table.double(row, lossSum) ?? 0) : 0,
                valueMax: scoresLoss ? max(0, try table.double(row, lossMax) ?? 0) : 0)
        }
        for candidate in candidates where cache[candidate] == nil { cache[candidate] = IntersectionCounts() }
    }

    /// `f3 = 1 AND f5 = 2` for a conjunction.
    private func condition(_ slice: [Int32]) -> String {
        slice.map { column in
            let feature = featureOfColumn[Int(column)]
            return "\(featureColumns[feature]) = \(Int(column) - columnOffsets[feature])"
        }.joined(separator: " AND ")
    }

    func statistics(of slices: [[Int32]]) throws(AnalysisError) -> [GroupStats] {
        guard !slices.isEmpty else { return [] }
        let parts = slices.enumerated().map { index, slice in
            "SELECT \(index) AS slice, \(statisticsSelect) FROM base WHERE \(condition(slice))"
        }
        let query = SQLQuery(step: "slices", text: base + "\n" + parts.joined(separator: "\nUNION ALL\n"))
        let table = try SQLResultTable(csv: runner.run(query), query: query)
        let slice = try table.column("slice")
        var result = [GroupStats](repeating: GroupStats(), count: slices.count)
        for row in 0..<table.rows.count {
            guard let index = try table.integer(row, slice), result.indices.contains(index) else { continue }
            result[index] = try PushdownAnalysis.groupStats(table, row: row)
        }
        return result
    }

    func constantColumns(of slices: [[Int32]]) throws(AnalysisError) -> [[Int32]] {
        guard !slices.isEmpty else { return [] }
        let bounds = featureColumns.enumerated().map { index, name in
            "MIN(\(name)) AS lo\(index), MAX(\(name)) AS hi\(index)"
        }.joined(separator: ", ")
        let parts = slices.enumerated().map { index, slice in
            "SELECT \(index) AS slice, \(bounds) FROM base WHERE \(condition(slice))"
        }
        let query = SQLQuery(step: "constant", text: base + "\n" + parts.joined(separator: "\nUNION ALL\n"))
        let table = try SQLResultTable(csv: runner.run(query), query: query)
        let slice = try table.column("slice")
        let lows = try featureColumns.indices.map { feature throws(AnalysisError) in try table.column("lo\(feature)") }
        let highs = try featureColumns.indices.map { feature throws(AnalysisError) in try table.column("hi\(feature)") }
        var result = [[Int32]](repeating: [], count: slices.count)
        for row in 0..<table.rows.count {
            guard let index = try table.integer(row, slice), result.indices.contains(index) else { continue }
            var constant: [Int32] = []
            for feature in featureColumns.indices {
                let low = try table.integer(row, lows[feature])
                let high = try table.integer(row, highs[feature])
                if let low, let high, low == high { constant.append(Int32(columnOffsets[feature] + low)) }
            }
            result[index] = constant
        }
        return result
    }
}

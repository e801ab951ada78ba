import Kernels
import SliceSearch

/// The time analysis's counts from the SQL engine: the per-bucket counts come from the 1-D query, the
/// before/after tables from one `GROUPING SETS` query, the followed slices' series from one `UNION ALL` query.
struct SQLTimeCounter: TimeCounter {
    typealias Failure = AnalysisError

    let runner: any SQLQueryRunner
    /// `WITH base AS (...)`, whose column `f<i>` holds the code of `binned[i]`.
    let base: String
    let binned: [BinnedFeature]
    /// The position of the time (or batch) column in `binned`.
    let axis: Int
    /// The 1-D counts of the time column, per code.
    let counts: [GroupStats]

    func timeCounts() -> (trials: [Int], failures: [Int]) {
        (counts.map(\.rows), counts.map(\.failures))
    }

    private func column(of feature: BinnedFeature) throws(AnalysisError) -> Int {
        guard let index = binned.firstIndex(where: { $0.name == feature.name && $0.kind == feature.kind }) else {
            throw AnalysisError(code: .sqlEngine, message: "no base column for '\(feature.name)'")
        }
        return index
    }

    func periodCounts(
        periodOfCode: [UInt8], features: [BinnedFeature]
    ) throws(AnalysisError) -> [(trials: [[Int]], failures: [[Int]])] {
        guard !features.isEmpty else { return [] }
        let columns = try features.map { feature throws(AnalysisError) in try column(of: feature) }
        // Runs of consecutive time codes in one period (the split leaves at most three).
        var cases: [String] = []
        var start = 0
        for code in 1...periodOfCode.count where code == periodOfCode.count || periodOfCode[code] != periodOfCode[start] {
            if periodOfCode[start] < 2 {
                cases.append("WHEN f\(axis) BETWEEN \(start) AND \(code - 1) THEN \(periodOfCode[start])")
            }
            start = code
        }
        let names = columns.map { "f\($0)" }
        let sets = names.map { "(p, \($0))" }.joined(separator: ", ")
        let text = """
            \(base)
            SELECT p, \(names.joined(separator: ", ")), COUNT(*) AS n, SUM(err) AS n_fail FROM (
              SELECT CASE \(cases.joined(separator: " ")) END AS p, \(names.joined(separator: ", ")), err FROM base
            ) periods WHERE p IS NOT NULL GROUP BY GROUPING SETS (\(sets))
            """
        let query = SQLQuery(step: "periods", text: text)
        let table = try SQLResultTable(csv: runner.run(query), query: query)
        let period = try table.column("p")
        let positions = try names.map { name throws(AnalysisError) in try table.column(name) }
        let n = try table.column("n")
        let failed = try table.column("n_fail")
        var result = features.map { feature in
            let empty = [[Int]](repeating: [Int](repeating: 0, count: max(1, feature.identities.count)), count: 2)
            return (trials: empty, failures: empty)
        }
        for row in 0..<table.rows.count {
            guard let side = try table.integer(row, period), side == 0 || side == 1 else { continue }
            for (slot, position) in positions.enumerated() {
                guard let code = try table.integer(row, position) else { continue }
                guard code >= 0 && code < result[slot].trials[side].count else {
                    throw AnalysisError(
                        code: .sqlEngine, message: "the periods query returned code \(code) for \(names[slot])")
                }
                result[slot].trials[side][code] = try table.integer(row, n) ?? 0
                result[slot].failures[side][code] = try table.integer(row, failed) ?? 0
            }
        }
        return result
    }

    func sliceCounts(_ slices: [[(feature: Int, code: Int)]]) throws(AnalysisError) -> [(trials: [Int], failures: [Int])] {
        let codes = counts.count
        var result = [(trials: [Int], failures: [Int])](
            repeating: ([Int](repeating: 0, count: codes), [Int](repeating: 0, count: codes)), count: slices.count)
        guard !slices.isEmpty else { return result }
        let parts = slices.enumerated().map { index, conditions in
            let condition = conditions.map { "f\($0.feature) = \($0.code)" }.joined(separator: " AND ")
            return "SELECT \(index) AS slice, f\(axis) AS t, COUNT(*) AS n, SUM(err) AS n_fail FROM base "
                + "WHERE \(condition) GROUP BY f\(axis)"
        }
        let query = SQLQuery(step: "slices-over-time", text: base + "\n" + parts.joined(separator: "\nUNION ALL\n"))
        let table = try SQLResultTable(csv: runner.run(query), query: query)
        let (slice, t, n, failed) = (
            try table.column("slice"), try table.column("t"), try table.column("n"), try table.column("n_fail")
        )
        for row in 0..<table.rows.count {
            guard let index = try table.integer(row, slice), result.indices.contains(index),
                let code = try table.integer(row, t), code >= 0 && code < codes
            else { continue }
            result[index].trials[code] = try table.integer(row, n) ?? 0
            result[index].failures[code] = try table.integer(row, failed) ?? 0
        }
        return result
    }
}

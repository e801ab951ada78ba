import Kernels
import Testing
import _TestSupport

@testable import SliceSearch

/// The exact search against a brute-force enumeration of every conjunction (SliceLine's Definition 2).
struct SliceLineOracleTests {
    /// A random small problem and search settings.
    struct Case {
        var problem: SliceLineSearch.Problem
        var configuration: SliceLineSearch.Configuration
    }

    static func randomCase(seed: UInt64) -> Case {
        var random = SeededRandom(seed: seed)
        func uniform(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(random.next() % UInt64(range.count))
        }
        let rows = uniform(6...70)
        let featureCount = uniform(1...6)
        let domains = (0..<featureCount).map { _ in uniform(1...5) }
        // Skewed codes, so some bins are large, some tiny and some empty.
        let codes = domains.map { domain in
            (0..<rows).map { _ in UInt16(min(domain - 1, Int(Double(domain) * random.unit() * random.unit() * 1.6))) }
        }
        let failureRate = random.unit() * 0.7
        let failure = (0..<rows).map { _ in UInt8(random.unit() < failureRate ? 1 : 0) }
        // Half the cases score a continuous error in multiples of 1/8, so every sum is exact in any order.
        let continuous = seed % 2 == 1
        let errors: [Double]? =
            continuous
            ? failure.map { Double($0) * Double(uniform(1...16)) / 8 + (random.unit() < 0.2 ? 0.125 : 0) } : nil
        let configuration = SliceLineSearch.Configuration(
            alpha: [0.5, 0.8, 0.9, 0.95, 0.99, 1.0][uniform(0...5)], maxLevel: uniform(1...5), top: uniform(1...12),
            minimumSupport: uniform(1...max(1, rows / 3)), referenceCompatible: false,
            distinctRowSets: seed % 3 != 0, threads: uniform(1...3))
        return Case(
            problem: SliceLineSearch.Problem(codes: codes, domains: domains, failure: failure, errors: errors),
            configuration: configuration)
    }

    struct Expected: Equatable, CustomStringConvertible {
        var columns: [Int32]
        var score: Double
        var size: Int
        var description: String { "\(columns) \(score) n=\(size)" }
    }

    /// Every conjunction (one bin per feature, at most `maxLevel` predicates) with at least σ rows and a positive
    /// score, best first (score, then fewer predicates, then columns); with `distinctRowSets`, one per row set,
    /// described by its first conjunction in that order.
    static func bruteForce(_ problem: SliceLineSearch.Problem, _ configuration: SliceLineSearch.Configuration)
        -> [Expected]
    {
        let rows = problem.rowCount
        let errors = problem.errors ?? problem.failure.map(Double.init)
        var total = 0.0
        for error in errors { total += error }
        guard rows > 0, total > 0 else { return [] }
        let mean = total / Double(rows)
        var offsets: [Int] = []
        var next = 0
        for domain in problem.domains {
            offsets.append(next)
            next += domain
        }
        var found: [(expected: Expected, members: [Int])] = []
        func visit(feature: Int, chosen: [(feature: Int, code: Int)]) {
            if feature == problem.domains.count {
                guard !chosen.isEmpty else { return }
                let members = (0..<rows).filter { row in
                    chosen.allSatisfy { Int(problem.codes[$0.feature][row]) == $0.code }
                }
                guard members.count >= configuration.minimumSupport else { return }
                var errorSum = 0.0
                for row in members { errorSum += errors[row] }
                let size = Double(members.count)
                let alpha = configuration.alpha
                let score = alpha * (errorSum / size / mean - 1) - (1 - alpha) * (Double(rows) / size - 1)
                guard score > 0 else { return }
                let columns = chosen.map { Int32(offsets[$0.feature] + $0.code) }
                found.append((Expected(columns: columns, score: score, size: members.count), members))
                return
            }
            visit(feature: feature + 1, chosen: chosen)
            guard chosen.count < configuration.maxLevel else { return }
            for code in 0..<problem.domains[feature] {
                visit(feature: feature + 1, chosen: chosen + [(feature, code)])
            }
        }
        visit(feature: 0, chosen: [])
        found.sort { a, b in
            if a.expected.score != b.expected.score { return a.expected.score > b.expected.score }
            if a.expected.columns.count != b.expected.columns.count {
                return a.expected.columns.count < b.expected.columns.count
            }
            return a.expected.columns.lexicographicallyPrecedes(b.expected.columns)
        }
        var result: [Expected] = []
        var seen: Set<[Int]> = []
        for entry in found {
            if configuration.distinctRowSets {
                guard seen.insert(entry.members).inserted else { continue }
            }
            result.append(entry.expected)
            if result.count == configuration.top { break }
        }
        return result
    }

    @Test func exactSearchEqualsBruteForceOn600SeededDatasets() {
        var mismatches: [String] = []
        for seed in 0..<600 as Range<UInt64> {
            let testCase = Self.randomCase(seed: seed)
            let expected = Self.bruteForce(testCase.problem, testCase.configuration)
            let outcome = SliceLineSearch.run(testCase.problem, testCase.configuration)
            let got = outcome.top.map { Expected(columns: $0.columns, score: $0.score, size: $0.size) }
            if got != expected { mismatches.append("seed \(seed): got \(got), expected \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.first ?? "")")
    }

    @Test func resultDoesNotDependOnTheThreadCount() {
        for seed in 700..<760 as Range<UInt64> {
            var testCase = Self.randomCase(seed: seed)
            testCase.configuration.threads = 1
            let single = SliceLineSearch.run(testCase.problem, testCase.configuration)
            for threads in [2, 4] {
                testCase.configuration.threads = threads
                let parallel = SliceLineSearch.run(testCase.problem, testCase.configuration)
                #expect(parallel.top == single.top)
                #expect(parallel.familySizes == single.familySizes && parallel.familyFailures == single.familyFailures)
                #expect(parallel.levels == single.levels)
            }
        }
    }

    @Test func familyHoldsEveryNonEmptyEvaluatedSlice() {
        for seed in 800..<830 as Range<UInt64> {
            let testCase = Self.randomCase(seed: seed)
            let outcome = SliceLineSearch.run(testCase.problem, testCase.configuration)
            #expect(outcome.familySizes.allSatisfy { $0 > 0 })
            #expect(outcome.familySizes.count == outcome.familyFailures.count)
            // Level 1 is every non-empty bin.
            let nonEmpty = testCase.problem.codes.reduce(0) { $0 + Set($1).count }
            #expect(outcome.levels.first?.evaluated == nonEmpty)
            for slice in outcome.top {
                #expect(outcome.familySizes[slice.familyIndex] == slice.size)
                #expect(outcome.familyFailures[slice.familyIndex] == slice.failures)
            }
        }
    }
}

import Kernels
import Stats
import Testing
import _TestSupport

@testable import SliceSearch

/// The search with statistics: planted conjunctions, the null, equivalent descriptions and explaining parents.
struct SliceLineAnalysisTests {
    /// Categorical features with the given numbers of values, uniform codes.
    static func features(_ domains: [Int], rows: Int, random: inout SeededRandom) -> [BinnedFeature] {
        domains.enumerated().map { index, domain in
            BinnedFeature(
                name: "f\(index)", kind: .categorical, columnType: "string",
                identities: (0..<domain).map { .value("v\($0)") },
                codes: (0..<rows).map { _ in UInt16(random.next() % UInt64(domain)) })
        }
    }

    static func analyse(
        _ features: [BinnedFeature], failure: [UInt8], options: SliceLineOptions = SliceLineOptions(),
        threads: Int = 2, loss: [Double]? = nil
    ) -> SliceLineAnalysis.Outcome {
        let outcomes = RowOutcomes(failure: failure, loss: loss, signedError: nil, confusion: nil)
        var slicing = SlicingOptions()
        slicing.threads = threads
        let total = OneDimensionalSlicing.evaluate(
            features: features, outcomes: outcomes, options: slicing, regression: false, binary: false
        ).total
        return SliceLineAnalysis.run(
            features: features, outcomes: outcomes, total: total, options: options, slicing: slicing,
            regression: false, binary: false)
    }

    /// Seeding level 1 with the 1-D counts (so a level-1 search builds no bitmap) changes nothing, at any level.
    @Test(arguments: [1, 2, 3])
    func levelOneFromTheOneDimensionalCountsGivesTheSameSlices(maxLevel: Int) {
        var random = SeededRandom(seed: 40 + UInt64(maxLevel))
        let rows = 6_000
        let features = Self.features([3, 5, 4, 2], rows: rows, random: &random)
        let failure = (0..<rows).map { row -> UInt8 in
            random.unit() < (features[1].codes[row] == 2 && features[2].codes[row] == 1 ? 0.4 : 0.08) ? 1 : 0
        }
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        var slicing = SlicingOptions()
        slicing.minSupport = 20
        let sliced = OneDimensionalSlicing.evaluate(
            features: features, outcomes: outcomes, options: slicing, regression: false, binary: false)
        var options = SliceLineOptions()
        options.maxLevel = maxLevel
        let plain = SliceLineAnalysis.run(
            features: features, outcomes: outcomes, total: sliced.total, options: options, slicing: slicing,
            regression: false, binary: false)
        let seeded = SliceLineAnalysis.run(
            features: features, outcomes: outcomes, total: sliced.total, options: options, slicing: slicing,
            regression: false, binary: false, oneDimensional: sliced.features)
        #expect(!plain.slices.isEmpty)
        #expect(seeded.slices.map(\.predicates) == plain.slices.map(\.predicates))
        #expect(seeded.slices.map(\.statistics.n) == plain.slices.map(\.statistics.n))
        #expect(seeded.slices.map(\.equivalents) == plain.slices.map(\.equivalents))
        #expect(seeded.slices.map(\.score) == plain.slices.map(\.score))
        #expect(seeded.summary == plain.summary)
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func plantedConjunctionIsFoundFirst(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let rows = 20_000
        let features = Self.features([5, 6, 4, 8], rows: rows, random: &random)
        // 5% failures, 45% where f0 = v2 and f1 = v3 (1/30 of the rows); neither bin alone is that bad.
        let failure = (0..<rows).map { row -> UInt8 in
            let planted = features[0].codes[row] == 2 && features[1].codes[row] == 3
            return random.unit() < (planted ? 0.45 : 0.05) ? 1 : 0
        }
        let outcome = Self.analyse(features, failure: failure)
        let top = outcome.slices.first
        #expect(top?.predicates.map(\.text) == ["f0 = v2", "f1 = v3"])
        #expect(top?.rank == 1 && top?.level == 2)
        #expect((top?.statistics.qValue ?? 1) < 1e-6)
        #expect(top?.explainedBy == nil, "significantly worse than both parents")
        // The statistics are those of the slice's rows.
        let members = (0..<rows).filter { features[0].codes[$0] == 2 && features[1].codes[$0] == 3 }
        #expect(top?.statistics.n == members.count)
        #expect(top?.statistics.failures == members.reduce(0) { $0 + Int(failure[$1]) })
        // Ranked 1... by score.
        #expect(outcome.slices.map(\.rank) == Array(1...outcome.slices.count))
        #expect(zip(outcome.slices, outcome.slices.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(outcome.summary.evaluated > outcome.summary.levels[0].evaluated)
    }

    @Test func noSignificantSliceWhenFailuresAreIndependentOfFeatures() {
        let runs = 60
        var runsWithASignificantSlice = 0
        for seed in 0..<runs {
            var random = SeededRandom(seed: 10_000 + UInt64(seed))
            let rows = 3_000
            let features = Self.features([3, 4, 5, 6], rows: rows, random: &random)
            let failure = (0..<rows).map { _ in UInt8(random.unit() < 0.1 ? 1 : 0) }
            let outcome = Self.analyse(features, failure: failure, threads: 1)
            if outcome.slices.contains(where: { $0.statistics.qValue < 0.05 }) { runsWithASignificantSlice += 1 }
        }
        // At least 95% of the runs report nothing significant.
        #expect(runsWithASignificantSlice * 20 <= runs, "\(runsWithASignificantSlice) of \(runs) runs")
    }

    @Test func identicalRowSetsCollapseIntoTheShortestDescription() {
        var random = SeededRandom(seed: 7)
        let rows = 4_000
        var features = Self.features([4, 3], rows: rows, random: &random)
        // f2 renames f0's values (so f2 = w1 holds exactly the rows of f0 = v1); f3 is constant.
        features.append(
            BinnedFeature(
                name: "f2", kind: .categorical, columnType: "string", identities: (0..<4).map { .value("w\($0)") },
                codes: features[0].codes))
        features.append(
            BinnedFeature(
                name: "f3", kind: .categorical, columnType: "string", identities: [.value("only")],
                codes: [UInt16](repeating: 0, count: rows)))
        let failure = (0..<rows).map { row -> UInt8 in
            UInt8(random.unit() < (features[0].codes[row] == 1 ? 0.4 : 0.05) ? 1 : 0)
        }
        var options = SliceLineOptions()
        options.top = 5
        let outcome = Self.analyse(features, failure: failure, options: options)
        let top = outcome.slices.first
        #expect(top?.predicates.map(\.text) == ["f0 = v1"])
        // Every other description of the same rows, shortest first, up to max-level 3.
        let expected: [[String]] = [
            ["f2 = w1"], ["f0 = v1", "f2 = w1"], ["f0 = v1", "f3 = only"], ["f2 = w1", "f3 = only"],
            ["f0 = v1", "f2 = w1", "f3 = only"],
        ]
        #expect(top?.equivalents.map { $0.map(\.text) } == expected)
        // No other reported slice covers the same rows.
        #expect(outcome.slices.dropFirst().allSatisfy { $0.statistics.n != top?.statistics.n || $0.score != top?.score })
    }

    @Test func childOfABadParentThatAddsNothingIsExplainedByIt() {
        var random = SeededRandom(seed: 11)
        let rows = 30_000
        let features = Self.features([4, 3, 3], rows: rows, random: &random)
        // Only f0 matters: a child f0 = v1 ∧ f1 = x fails as often as f0 = v1.
        let failure = (0..<rows).map { row -> UInt8 in
            UInt8(random.unit() < (features[0].codes[row] == 1 ? 0.3 : 0.05) ? 1 : 0)
        }
        var options = SliceLineOptions()
        options.top = 10
        options.alpha = 0.99
        let outcome = Self.analyse(features, failure: failure, options: options)
        let children = outcome.slices.filter { $0.level >= 2 && $0.predicates.contains { $0.text == "f0 = v1" } }
        #expect(!children.isEmpty)
        for child in children {
            #expect(child.explainedBy != nil, "\(child.description)")
            if child.level == 2 { #expect(child.explainedBy?.predicates.map(\.text) == ["f0 = v1"]) }
        }
    }

    @Test func findingsDoNotDependOnTheThreadCount() {
        var random = SeededRandom(seed: 23)
        let rows = 10_000
        let features = Self.features([3, 5, 7, 4], rows: rows, random: &random)
        let failure = (0..<rows).map { row -> UInt8 in
            let planted = features[2].codes[row] == 3 && features[3].codes[row] != 1
            return UInt8(random.unit() < (planted ? 0.3 : 0.08) ? 1 : 0)
        }
        let loss = failure.map { Double($0) * 2 + 0.25 }
        for error in SliceErrorKind.allCases {
            var options = SliceLineOptions()
            options.error = error
            let single = Self.analyse(features, failure: failure, options: options, threads: 1, loss: loss)
            let parallel = Self.analyse(features, failure: failure, options: options, threads: 3, loss: loss)
            #expect(single == parallel)
            #expect(!single.slices.isEmpty)
        }
    }

    @Test func continuousLossScoresOnTheLoss() {
        var random = SeededRandom(seed: 31)
        let rows = 8_000
        let features = Self.features([4, 4], rows: rows, random: &random)
        // Failures are uniform; the loss is large on f1 = v2 only.
        let failure = (0..<rows).map { _ in UInt8(random.unit() < 0.1 ? 1 : 0) }
        let loss = (0..<rows).map { row in (features[1].codes[row] == 2 ? 5.0 : 1.0) * Double(failure[row]) }
        var options = SliceLineOptions()
        options.error = .loss
        let outcome = Self.analyse(features, failure: failure, options: options, loss: loss)
        #expect(outcome.slices.first?.predicates.map(\.text) == ["f1 = v2"])
        let members = (0..<rows).filter { features[1].codes[$0] == 2 }
        var sum = 0.0
        for row in members { sum += loss[row] }
        #expect(isClose(outcome.slices.first?.errorSum ?? 0, sum, relative: 1e-12))
        #expect(outcome.summary.error == .loss)
    }

    @Test func onlyNumericAndCategoricalFeaturesAreSearched() {
        var random = SeededRandom(seed: 41)
        let rows = 2_000
        var features = Self.features([3, 3], rows: rows, random: &random)
        features.append(
            BinnedFeature(
                name: "label", kind: .label, columnType: "int64", identities: [.value("0"), .value("1")],
                codes: (0..<rows).map { _ in UInt16(random.next() % 2) }))
        let failure = features[2].codes.map { UInt8($0) }
        let outcome = Self.analyse(features, failure: failure)
        #expect(outcome.summary.features == ["f0", "f1"])
        #expect(outcome.slices.allSatisfy { $0.predicates.allSatisfy { $0.feature != "label" } })
    }

    @Test func noFailuresGiveNoSlices() {
        var random = SeededRandom(seed: 43)
        let features = Self.features([3, 3], rows: 500, random: &random)
        let outcome = Self.analyse(features, failure: [UInt8](repeating: 0, count: 500))
        #expect(outcome.slices.isEmpty)
        #expect(outcome.summary.levels.count == 1)
    }
}

/// The q-value family of the slice search: every conjunction of the lattice, counted against brute force.
struct SliceLatticeSizeTests {
    @Test func latticeSizeMatchesEnumeration() {
        var random = SeededRandom(seed: 9)
        for _ in 0..<30 {
            let domains = (0..<(1 + Int(random.next() % 6))).map { _ in 1 + Int(random.next() % 5) }
            for maxLevel in 1...4 {
                // Brute force: every subset of features of size 1...maxLevel, times the product of its bin counts.
                var count = 0
                for mask in 1..<(1 << domains.count) where mask.nonzeroBitCount <= maxLevel {
                    count += domains.indices.filter { mask & (1 << $0) != 0 }.reduce(1) { $0 * domains[$1] }
                }
                #expect(SliceLineAnalysis.latticeSize(domains: domains, maxLevel: maxLevel) == Double(count))
            }
        }
    }
}

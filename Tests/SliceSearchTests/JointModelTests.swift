import Foundation
import Kernels
import Stats
import Testing
import _TestSupport

@testable import SliceSearch

/// The joint model: statsmodels on the committed dump, proxies separated from real conditions, sampling, and edge
/// cases.
struct JointModelTests {
    /// The fixture's cells fitted by statsmodels (penalised GLM for λ = 1, GLM Binomial for λ = 0), with the largest
    /// bin of each feature as reference: coefficients, standard errors and odds-ratio bounds within 1e-8 relative.
    @Test(arguments: [0.0, 1.0])
    func matchesStatsmodelsOnTheFixtureDump(penalty: Double) throws {
        let fixture = try ConditionsSlicesFixture.load()
        var options = JointModelOptions()
        options.penalty = penalty
        let model = try #require(
            try JointModel.fit(features: fixture.binnedFeatures, outcomes: fixture.outcomes, options: options))
        let reference = penalty == 0 ? fixture.joint.lambda_0 : fixture.joint.lambda_1
        #expect(model.cells == fixture.joint.cells)
        #expect(!model.sampled && model.rows == fixture.rows)
        #expect(model.converged)
        #expect(model.terms.map(\.feature) == fixture.joint.terms.map(\.feature))
        #expect(model.terms.map(\.code) == fixture.joint.terms.map(\.code))
        #expect(isClose(model.intercept, reference.params[0], relative: 1e-8))
        #expect(isClose(model.logLikelihood, reference.loglike, relative: 1e-10))
        for (index, term) in model.terms.enumerated() {
            #expect(isClose(term.coefficient, reference.params[index + 1], relative: 1e-8, absolute: 1e-12))
            #expect(isClose(term.standardError, reference.bse[index + 1], relative: 1e-8))
            #expect(isClose(term.ciLow, reference.or_low[index + 1], relative: 1e-8))
            #expect(isClose(term.ciHigh, reference.or_high[index + 1], relative: 1e-8))
            #expect(isClose(term.pValue, reference.pvalues[index + 1], relative: 1e-7, absolute: 1e-14))
        }
        // The references are the largest bins (a: 0, b: 0, proxy: 0, x: 2 by the fixture's terms).
        #expect(model.references.map(\.feature) == ["a", "b", "proxy", "x"])
        #expect(model.references.map(\.code) == [0, 0, 0, 2])
        for reference in model.references {
            let codes = fixture.features[reference.feature] ?? []
            let count = codes.filter { Int($0) == reference.code }.count
            #expect(reference.n == count)
        }
    }

    /// The planted condition (a = 2) has an odds-ratio interval above 1; its 85%-agreeing proxy, strongly associated
    /// on its own (first table of FeatureAssociationsTests), has an interval that includes 1 in the joint model.
    @Test func separatesTheConditionFromItsProxy() throws {
        let fixture = try ConditionsSlicesFixture.load()
        let model = try #require(try JointModel.fit(features: fixture.binnedFeatures, outcomes: fixture.outcomes))
        let condition = try #require(model.terms.first { $0.feature == "a" && $0.code == 2 })
        let proxy = try #require(model.terms.first { $0.feature == "proxy" && $0.code == 1 })
        #expect(condition.excludesOne && condition.ciLow > 2)
        #expect(!proxy.excludesOne)
        #expect(proxy.ciLow < 1 && proxy.ciHigh > 1)
    }

    /// The same on larger generated data over five seeds: condition C (OR e¹ ≈ 2.7) always excludes 1; proxy P
    /// (agrees with C in 80% of rows, no effect of its own) includes 1 in at least four of the five runs (measured: 4; each run has a 95% chance).
    @Test func plantedJointEffectWithCorrelatedProxy() throws {
        var proxyIncludesOne = 0
        for seed in 0..<5 {
            var random = SeededRandom(seed: UInt64(700 + seed))
            let rows = 20_000
            var condition: [UInt16] = []
            var proxy: [UInt16] = []
            var noise: [UInt16] = []
            var failure: [UInt8] = []
            for _ in 0..<rows {
                let c: UInt16 = random.unit() < 0.3 ? 1 : 0
                let p: UInt16 = random.unit() < 0.8 ? c : 1 - c
                let probability = 1 / (1 + exp(-(-2.5 + 1.0 * Double(c))))
                condition.append(c)
                proxy.append(p)
                noise.append(UInt16(random.next() % 6))
                failure.append(random.unit() < probability ? 1 : 0)
            }
            let features = [
                BinnedFeature(name: "P", kind: .categorical, columnType: "string",
                              identities: [.value("no"), .value("yes")], codes: proxy),
                BinnedFeature(name: "C", kind: .categorical, columnType: "string",
                              identities: [.value("no"), .value("yes")], codes: condition),
                BinnedFeature(name: "N", kind: .categorical, columnType: "string",
                              identities: (0..<6).map { .value("n\($0)") }, codes: noise),
            ]
            let model = try #require(
                try JointModel.fit(
                    features: features,
                    outcomes: RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)))
            let c = try #require(model.terms.first { $0.feature == "C" })
            let p = try #require(model.terms.first { $0.feature == "P" })
            #expect(c.excludesOne && c.ciLow > 1, "seed \(seed): C [\(c.ciLow), \(c.ciHigh)]")
            #expect(isClose(c.oddsRatio, exp(1.0), relative: 0.2))
            if !p.excludesOne { proxyIncludesOne += 1 }
            // The marginal association of the proxy is strong: its 1-D test would flag it.
            let marginal = Association.contingency(
                successes: [0, 1].map { code in (0..<rows).filter { proxy[$0] == code && failure[$0] == 1 }.count },
                trials: [0, 1].map { code in proxy.filter { $0 == code }.count })
            #expect(marginal.pValue < 1e-10)
        }
        #expect(proxyIncludesOne >= 4, "\(proxyIncludesOne) of 5")
    }

    /// No effects: over 40 seeded runs, the share of terms with q < 0.05 stays at the nominal level (runs with any
    /// claim ≤ 10%; BH controls the FDR, which is the FWER under the global null; measured: 1 of 40).
    @Test func noClaimsWithoutEffects() throws {
        var runsWithClaims = 0
        for seed in 0..<40 {
            var random = SeededRandom(seed: UInt64(9_000 + seed))
            let rows = 3_000
            let features = [2, 4, 7].enumerated().map { index, bins in
                BinnedFeature(
                    name: "f\(index)", kind: .categorical, columnType: "string",
                    identities: (0..<bins).map { .value("v\($0)") },
                    codes: (0..<rows).map { _ in UInt16(random.next() % UInt64(bins)) })
            }
            let failure = (0..<rows).map { _ in UInt8(random.unit() < 0.1 ? 1 : 0) }
            let model = try #require(
                try JointModel.fit(
                    features: features,
                    outcomes: RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)))
            if model.terms.contains(where: { $0.qValue < 0.05 }) { runsWithClaims += 1 }
        }
        #expect(runsWithClaims <= 4, "\(runsWithClaims) of 40")
    }

    /// Above `maximumDesignRows` cells, a seeded row sample of that size is fitted: the same seed gives the same
    /// model, another seed another sample.
    @Test func samplesRowsAboveTheDesignLimit() throws {
        let fixture = try ConditionsSlicesFixture.load()
        var options = JointModelOptions()
        options.maximumDesignRows = 50
        options.seed = 3
        let first = try #require(
            try JointModel.fit(features: fixture.binnedFeatures, outcomes: fixture.outcomes, options: options))
        let again = try #require(
            try JointModel.fit(features: fixture.binnedFeatures, outcomes: fixture.outcomes, options: options))
        #expect(first.sampled && first.rows == 50 && first.totalRows == fixture.rows && first.cells <= 50)
        #expect(first == again)
        options.seed = 4
        let other = try #require(
            try JointModel.fit(features: fixture.binnedFeatures, outcomes: fixture.outcomes, options: options))
        #expect(other.terms.map(\.coefficient) != first.terms.map(\.coefficient))
        let sample = JointModel.sampleRows(count: 1_000, from: 10_000, seed: 1)
        #expect(sample.count == 1_000 && Set(sample).count == 1_000 && sample == sample.sorted())
        #expect(JointModel.sampleRows(count: 5, from: 3, seed: 1) == [0, 1, 2])
    }

    /// The sample is Knuth's selection sampling (Algorithm S) as written plainly: row by row, kept with probability
    /// needed ÷ left, one draw per row; the same rows for every size and seed.
    @Test func sampleIsPlainSelectionSampling() {
        func reference(count: Int, total: Int, seed: UInt64) -> [Int] {
            guard count < total else { return Array(0..<total) }
            var generator = SplitMix64(seed: seed)
            var chosen: [Int] = []
            for row in 0..<total where chosen.count < count {
                if Double(total - row) * generator.unit() < Double(count - chosen.count) { chosen.append(row) }
            }
            return chosen
        }
        for (count, total) in [(1, 2), (3, 10), (50, 51), (1_000, 10_000), (7, 100_003), (0, 5)] {
            for seed: UInt64 in [0, 1, 42] {
                #expect(
                    JointModel.sampleRows(count: count, from: total, seed: seed)
                        == reference(count: count, total: total, seed: seed), "\(count) of \(total), seed \(seed)")
            }
        }
    }

    /// The sampled fit is the fit of the sampled rows alone: its gathered codes and failures describe those rows.
    @Test func sampledFitEqualsTheFitOfTheSampledRows() throws {
        let fixture = try ConditionsSlicesFixture.load()
        var options = JointModelOptions()
        options.maximumDesignRows = 60
        options.seed = 5
        let sampled = try #require(
            try JointModel.fit(features: fixture.binnedFeatures, outcomes: fixture.outcomes, options: options))
        #expect(sampled.sampled)
        let rows = JointModel.sampleRows(count: 60, from: fixture.rows, seed: 5)
        // A sample drawn ahead (rowSample) is the one the fit draws.
        #expect(JointModel.rowSample(rows: fixture.rows, options: options) == rows)
        #expect(
            try JointModel.fit(
                features: fixture.binnedFeatures, outcomes: fixture.outcomes, options: options, sample: rows) == sampled)
        let features = fixture.binnedFeatures.map { feature in
            var gathered = feature
            gathered.codes = BinCodes(rows.map { feature.codes[$0] })
            return gathered
        }
        let outcomes = RowOutcomes(
            failure: rows.map { fixture.outcomes.failure[$0] }, loss: nil, signedError: nil, confusion: nil)
        options.maximumDesignRows = fixture.rows
        let whole = try #require(try JointModel.fit(features: features, outcomes: outcomes, options: options))
        #expect(!whole.sampled && whole.rows == 60)
        #expect(whole.cells == sampled.cells)
        #expect(whole.terms == sampled.terms)
        #expect(whole.references == sampled.references)
        #expect(whole.intercept == sampled.intercept)
    }

    /// The strided subset that can skip the pass over every row only ever decides "too many cells" when all rows do
    /// have too many: few cells on many rows are fitted whole, and cells the subset never sees still count.
    @Test func subsetProbeNeverSamplesWhatFits() throws {
        let rows = 10_000
        var options = JointModelOptions()
        options.maximumDesignRows = 20  // the subset: every 125th row
        let failure = (0..<rows).map { UInt8($0 % 5 == 0 ? 1 : 0) }
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        func feature(_ name: String, bins: Int, _ code: (Int) -> Int) -> BinnedFeature {
            BinnedFeature(
                name: name, kind: .categorical, columnType: "string",
                identities: (0..<bins).map { .value(String($0)) }, codes: (0..<rows).map { UInt16(code($0)) })
        }
        let a = feature("a", bins: 3) { $0 % 3 }
        let few = try #require(
            try JointModel.fit(features: [a, feature("b", bins: 3) { ($0 / 7) % 3 }], outcomes: outcomes, options: options))
        #expect(!few.sampled && few.rows == rows && few.cells == 9)
        // Rows 1, 201, 401, …: rare codes that no 125th row has, making 33 cells with `a`.
        let rare = feature("b", bins: 11) { $0 % 200 == 1 ? 1 + ($0 / 200) % 10 : 0 }
        let many = try #require(try JointModel.fit(features: [a, rare], outcomes: outcomes, options: options))
        #expect(JointModel.Cells(features: [a, rare], rows: Array(0..<rows)).count > 20)
        #expect(many.sampled && many.rows == 20)
    }

    /// Cells aggregate identical rows exactly: counts add up to the rows.
    @Test func cellsPartitionTheRows() throws {
        let fixture = try ConditionsSlicesFixture.load()
        let rows = Array(0..<fixture.rows)
        let cells = JointModel.Cells(features: fixture.binnedFeatures, rows: rows)
        #expect(cells.count == fixture.joint.cells)
        for (position, row) in rows.enumerated() {
            let first = cells.firstRow[cells.cellOfRow[position]]
            for feature in fixture.binnedFeatures { #expect(feature.codes[row] == feature.codes[first]) }
        }
    }

    /// The cells against a dictionary of code tuples numbered on first sight: enough distinct cells to grow the
    /// numbering table several times (from 1,024 slots), one- and two-byte codes, rows in any order and repeated,
    /// and a limit met exactly or passed by one (then no cells).
    @Test(arguments: [1, 7, 40])
    func cellsEqualFirstSightNumberingOfCodeTuples(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let rows = 6_000
        let feature: (String, Int) -> BinnedFeature = { name, bins in
            let codes = (0..<rows).map { _ in UInt16(random.next() % UInt64(bins)) }
            return BinnedFeature(
                name: name, kind: .categorical, columnType: "string",
                identities: (0..<bins).map { .value(String($0)) }, codes: codes)
        }
        let features = [feature("a", 3), feature("b", 300), feature("c", 1), feature("d", 7)]
        let isWide: (BinnedFeature) -> Bool = { if case .wide = $0.codes.storage { true } else { false } }
        #expect(isWide(features[1]) && !isWide(features[0]))
        let order = (0..<2 * rows).map { _ in Int(random.next() % UInt64(rows)) }
        var numberOf: [[UInt16]: Int] = [:]
        var expected: [Int] = []
        for row in order {
            let key = features.map { $0.codes[row] }
            if numberOf[key] == nil { numberOf[key] = numberOf.count }
            expected.append(numberOf[key]!)
        }
        let cells = JointModel.Cells(features: features, rows: order)
        #expect(numberOf.count > 2_000)
        #expect(cells.count == numberOf.count)
        #expect(cells.cellOfRow == expected)
        for (position, row) in order.enumerated() {
            #expect(features.map { $0.codes[cells.firstRow[cells.cellOfRow[position]]] } == features.map { $0.codes[row] })
        }
        #expect(JointModel.Cells(features: features, rows: order, limit: numberOf.count)?.cellOfRow == expected)
        #expect(JointModel.Cells(features: features, rows: order, limit: numberOf.count - 1) == nil)
        #expect(JointModel.Cells(features: [], rows: order).count == 1)
    }

    @Test func edgeCases() throws {
        let feature = BinnedFeature(
            name: "f", kind: .categorical, columnType: "string", identities: [.value("a"), .value("b")],
            codes: [0, 1, 0, 1])
        let none = RowOutcomes(failure: [0, 0, 0, 0], loss: nil, signedError: nil, confusion: nil)
        #expect(try JointModel.fit(features: [feature], outcomes: none) == nil)
        let all = RowOutcomes(failure: [1, 1, 1, 1], loss: nil, signedError: nil, confusion: nil)
        #expect(try JointModel.fit(features: [feature], outcomes: all) == nil)
        // Label columns are skipped; a single-bin feature is omitted with a reason; the column budget omits the rest.
        let label = BinnedFeature(
            name: "y", kind: .label, columnType: "string", identities: [.value("0"), .value("1")], codes: [0, 1, 1, 0])
        let constant = BinnedFeature(
            name: "c", kind: .categorical, columnType: "string", identities: [.value("x"), .missing],
            codes: [0, 0, 0, 0])
        let wide = BinnedFeature(
            name: "w", kind: .categorical, columnType: "string", identities: (0..<4).map { .value("w\($0)") },
            codes: [0, 1, 2, 3])
        var options = JointModelOptions()
        options.maximumColumns = 2
        let some = RowOutcomes(failure: [1, 0, 0, 1], loss: nil, signedError: nil, confusion: nil)
        let model = try #require(
            try JointModel.fit(features: [label, feature, constant, wide], outcomes: some, options: options))
        #expect(model.terms.map(\.feature) == ["f"])
        #expect(model.omitted.map(\.name) == ["c", "w"])
        #expect(model.references.map(\.feature) == ["f"])
    }
}

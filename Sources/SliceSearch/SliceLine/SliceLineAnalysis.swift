import Kernels
import Stats

/// The multi-feature slice search with honest statistics: SliceLine's top-K conjunctions of feature bins, each with
/// the statistics SliceLine lacks.
///
/// - **Searched columns:** features of kind `numeric` and `categorical`, with the bins of the 1-D stage (every bin,
///   the missing bin included, is one predicate). Timestamp features and the label, prediction, time and batch
///   columns are not searched.
/// - **Statistics of each reported slice:** failure rate with a Wilson 95% interval, lift, the two-sided test
///   against the complement (Fisher or z, as for 1-D slices), and a Benjamini-Hochberg q-value whose family is
///   the whole lattice the search ranges over: every conjunction of at most `max-level` bins of distinct searched
///   features (``latticeSize(domains:maxLevel:)``), whether or not the pruning let the search count its rows.
///   Slices never counted enter as p = 1. Taking only the evaluated slices as the family would be anticonservative:
///   the pruning discards unremarkable candidates, and with them the large p-values that BH needs (measured: 7.7%
///   of 600 null runs then showed a "significant" top slice; with the lattice family, see the tests).
/// - **Equivalents:** conjunctions (of at most `max-level` predicates) that cover exactly the same rows are one
///   slice; it is described by the shortest (then first in feature and bin order), the others are listed.
/// - **Explained by:** a slice of two or more predicates is tested against the other rows of its worst parent (the
///   parent, one predicate fewer, with the highest failure rate; then the most rows; then the first in feature and
///   bin order): one-sided, "fails more often", with the two-sided test's p-value when its rate is the higher
///   (conservative) and 1 otherwise. These tests form their own family, every evaluated slice of two or more
///   predicates, Benjamini-Hochberg adjusted; a slice that does not fail more often than the rest of its worst
///   parent at q < `--fdr` is marked as explained by that parent (the extra predicate adds nothing demonstrable).
///   Without the adjustment, the slices the search selects for their high failure rates would often look
///   significantly worse by chance.
public enum SliceLineAnalysis {
    /// The feature kinds the search uses.
    public static let searchedKinds: [FeatureKind] = [.numeric, .categorical]
    /// At most this many conjunctions are counted when looking for a slice's equivalent descriptions.
    static let maximumEquivalentCandidates = 2_000

    /// The reported slices and how the search ran.
    public struct Outcome: Sendable, Equatable {
        public var slices: [SliceFinding]
        public var summary: SliceSearchSummary
    }

    /// Searches `features` (those of a searched kind) for the top slices and describes them.
    /// - Parameters:
    ///   - features: the binned columns of the 1-D stage (other kinds are ignored).
    ///   - outcomes: the per-row failures and losses.
    ///   - total: the statistics of all analysed rows.
    ///   - options: the search settings.
    ///   - slicing: the minimum support, the FDR level and the thread count.
    ///   - regression, binary: which task metrics to add (as for 1-D slices).
    /// - Precondition: with `options.error == .loss`, every loss is finite and at least 0.
    /// - Complexity: see ``SliceLineSearch``; the statistics cost O(K · (rows of the slice + rows / 64 · parents)).
    /// - Parameter oneDimensional: the 1-D slices of `features` (``OneDimensionalSlicing``), whose counts then stand
    ///   for level 1 of the search.
    /// - Parameter singleBins: the sufficient statistics of every bin of `features` (`singleBins[f][code]`, from the
    ///   1-D counts), which then describe the reported single bins without reading their rows (codes that were let
    ///   go are written again only to check a feature that may be constant over a slice).
    public static func run(
        features: [BinnedFeature], outcomes: RowOutcomes, total: GroupStats, options: SliceLineOptions,
        slicing: SlicingOptions, regression: Bool, binary: Bool, oneDimensional: [FeatureSlices]? = nil,
        singleBins: [[GroupStats]]? = nil
    ) -> Outcome {
        let searchedIndices = features.indices.filter {
            searchedKinds.contains(features[$0].kind) && !features[$0].identities.isEmpty
        }
        let searched = searchedIndices.map { features[$0] }
        let errors: [Double]? = options.error == .loss ? outcomes.loss : nil
        if let errors {
            precondition(errors.allSatisfy { $0.isFinite && $0 >= 0 }, "the scored loss must be finite and >= 0")
        }
        let problem = SliceLineSearch.Problem(
            codes: searched.map(\.codes), domains: searched.map(\.identities.count), failure: outcomes.failure,
            errors: errors)
        let counter = BitmapSliceCounter(problem: problem, outcomes: outcomes, threads: slicing.threads)
        if let oneDimensional {
            let counts = searched.map { feature in
                oneDimensional.first { $0.name == feature.name && $0.kind == feature.kind }.map { slices in
                    slices.bins.map { (rows: $0.statistics.n, failures: $0.statistics.failures) }
                } ?? []
            }
            counter.seedSingleBins(counts)
        }
        if let singleBins, singleBins.count == features.count {
            counter.seedSingleBinStatistics(searchedIndices.map { singleBins[$0] })
        }
        return run(
            counter: counter, features: searched, rows: outcomes.count, meanError: counter.meanError,
            total: total, options: options, slicing: slicing, regression: regression, binary: binary)
    }

    /// Searches and describes the slices of a dump of `rows` rows whose rows `counter` counts (in memory, or on a
    /// SQL engine): `features` are the binned columns (their codes are not read), `meanError` is ē of the scored
    /// error.
    public static func run<Counter: SliceCounter>(
        counter: Counter, features: [BinnedFeature], rows: Int, meanError: Double, total: GroupStats,
        options: SliceLineOptions, slicing: SlicingOptions, regression: Bool, binary: Bool
    ) throws(Counter.Failure) -> Outcome {
        let searched = features.filter { searchedKinds.contains($0.kind) && !$0.identities.isEmpty }
        let support = slicing.minimumSupport(rows: rows)
        let configuration = SliceLineSearch.Configuration(
            alpha: options.alpha, maxLevel: options.maxLevel, top: options.top, minimumSupport: max(1, support),
            referenceCompatible: options.referenceCompatible, distinctRowSets: true, threads: slicing.threads)
        let search = try SliceLineSearch.search(
            counter: counter, domains: searched.map(\.identities.count), rows: rows, meanError: meanError,
            scoresLoss: options.error == .loss, configuration)
        let familySize = max(
            Double(search.familySizes.count),
            latticeSize(domains: searched.map(\.identities.count), maxLevel: options.maxLevel))
        let qValues = familyQValues(search, total: total, familySize: familySize, threads: slicing.threads)
        let parentQValues = parentFamilyQValues(search, threads: slicing.threads)
        let describer = _Describer(
            search: search, counter: counter, features: searched, total: total, maxLevel: options.maxLevel,
            fdr: slicing.fdr, regression: regression, binary: binary, parentQValues: parentQValues)
        var findings: [SliceFinding] = []
        let groups = try describer.groups()
        let representatives = groups.map { search.top[$0] }
        let statistics = try counter.statistics(of: representatives.map(\.columns))
        let constant = try counter.constantColumns(of: representatives.map(\.columns))
        for (index, slice) in representatives.enumerated() {
            var finding = try describer.finding(for: slice, statistics: statistics[index], constant: constant[index])
            finding.rank = findings.count + 1
            finding.statistics.qValue = qValues[slice.familyIndex]
            findings.append(finding)
        }
        let summary = SliceSearchSummary(
            alpha: options.alpha, maxLevel: options.maxLevel, top: options.top, error: options.error,
            referenceCompatible: options.referenceCompatible, minimumSupport: configuration.minimumSupport,
            features: searched.map(\.name), evaluated: search.familySizes.count,
            levels: search.levels.map {
                .init(level: $0.level, candidates: $0.candidates, bounded: $0.bounded, evaluated: $0.evaluated)
            },
            meanError: search.meanError)
        var described = summary
        described.familySize = familySize
        return Outcome(slices: findings, summary: described)
    }

    /// Benjamini-Hochberg q-values over every evaluated slice, each tested against its complement.
    static func familyQValues(
        _ search: SliceLineSearch.Outcome, total: GroupStats, familySize: Double, threads: Int
    ) -> [Double] {
        let count = search.familySizes.count
        let chunkSize = 4_096
        let chunks = Parallel.map(count: (count + chunkSize - 1) / chunkSize, threads: threads) { chunk in
            (chunk * chunkSize..<min(count, (chunk + 1) * chunkSize)).map { index in
                let size = search.familySizes[index]
                let failures = search.familyFailures[index]
                return TwoSampleTests.compare(
                    successes1: failures, trials1: size, successes2: total.failures - failures,
                    trials2: total.rows - size
                ).pValue
            }
        }
        return MultipleTesting.benjaminiHochberg(chunks.flatMap { $0 }, familySize: familySize)
    }

    /// How many conjunctions of at most `maxLevel` bins of distinct features exist: the elementary symmetric
    /// polynomials e₁ + … + e_L of the bin counts (empty conjunctions included, so an upper bound on the slices
    /// the search could have evaluated).
    static func latticeSize(domains: [Int], maxLevel: Int) -> Double {
        // e[k] after each feature: the conjunctions of k bins among the features so far.
        var e = [Double](repeating: 0, count: maxLevel + 1)
        e[0] = 1
        for domain in domains {
            for k in stride(from: maxLevel, through: 1, by: -1) { e[k] += e[k - 1] * Double(domain) }
        }
        return e.dropFirst().reduce(0, +)
    }

    /// Benjamini-Hochberg q-values of every evaluated slice of two or more predicates against the other rows of its
    /// worst parent (NaN for single predicates).
    static func parentFamilyQValues(_ search: SliceLineSearch.Outcome, threads: Int) -> [Double] {
        let count = search.familySizes.count
        let chunkSize = 4_096
        let chunks = Parallel.map(count: (count + chunkSize - 1) / chunkSize, threads: threads) { chunk in
            (chunk * chunkSize..<min(count, (chunk + 1) * chunkSize)).map { index in
                parentTest(
                    size: search.familySizes[index], failures: search.familyFailures[index],
                    parentSize: search.familyParentSizes[index], parentFailures: search.familyParentFailures[index]
                )?.pValue ?? .nan
            }
        }
        return MultipleTesting.benjaminiHochberg(chunks.flatMap { $0 })
    }

    /// Whether the slice fails more often than the other rows of a parent (nil without a parent): a one-sided
    /// p-value, the two-sided test's p when the slice's rate is the higher (conservative), else 1.
    static func parentTest(size: Int, failures: Int, parentSize: Int, parentFailures: Int)
        -> (pValue: Double, worse: Bool)?
    {
        guard parentSize > 0 else { return nil }
        let restRows = parentSize - size
        let restFailures = parentFailures - failures
        // failures / size > restFailures / restRows, cross-multiplied.
        let worse = restRows > 0 && failures * restRows > restFailures * size
        guard worse else { return (1, false) }
        let test = TwoSampleTests.compare(
            successes1: failures, trials1: size, successes2: restFailures, trials2: restRows)
        return (test.pValue, true)
    }

    /// The loss sums of `stats` under the 0/1 failure indicator, from its failures.
    static func setZeroOneLoss(_ stats: inout GroupStats) {
        stats.lossSum = Double(stats.failures)
        stats.lossSquaredSum = Double(stats.failures)
        stats.lossMax = stats.failures > 0 ? 1 : 0
    }

    /// The sufficient statistics of the rows `rows` (ascending), accumulated in row order like ``GroupBy``.
    static func statistics(ofRows rows: [Int], outcomes: RowOutcomes) -> GroupStats {
        var stats = GroupStats()
        stats.rows = rows.count
        for row in rows { stats.failures += Int(outcomes.failure[row]) }
        if outcomes.hasLoss {
            for row in rows {
                let value = outcomes.loss(at: row)
                stats.lossSum += value
                stats.lossSquaredSum += value * value
                stats.lossMax = max(stats.lossMax, value)
            }
        } else {
            setZeroOneLoss(&stats)
        }
        if outcomes.hasErrors {
            for row in rows {
                let error = outcomes.error(at: row)
                stats.absoluteErrorSum += abs(error)
                stats.squaredErrorSum += error * error
                stats.signedErrorSum += error
            }
        }
        if let confusion = outcomes.confusion {
            for row in rows { stats.confusion[Int(confusion[row] & 3)] += 1 }
        }
        return stats
    }
}

/// Turns the search's top slices into findings: merged equivalents, statistics, explaining parents.
private struct _Describer<Counter: SliceCounter> {
    let search: SliceLineSearch.Outcome
    let counter: Counter
    let features: [BinnedFeature]
    let total: GroupStats
    let maxLevel: Int
    let fdr: Double
    let regression: Bool
    let binary: Bool
    /// Per family member: the q-value of its test against its worst parent.
    let parentQValues: [Double]

    /// The first index of each group of top slices with identical rows, in order.
    func groups() throws(Counter.Failure) -> [Int] {
        var firsts: [Int] = []
        for (index, slice) in search.top.enumerated() {
            var duplicate = false
            for first in firsts {
                let other = search.top[first]
                guard other.size == slice.size, other.failures == slice.failures, other.errorSum == slice.errorSum
                else { continue }
                let union = Array(Set(other.columns + slice.columns)).sorted()
                if try counter.evaluate(union, arity: union.count)[0].rows == slice.size {
                    duplicate = true
                    break
                }
            }
            if !duplicate { firsts.append(index) }
        }
        return firsts
    }

    /// The finding for `slice`, whose rows have the sufficient statistics `statistics` and the constant columns
    /// `constant` (``SliceCounter/constantColumns(of:)``).
    func finding(
        for slice: SliceLineSearch.Slice, statistics stats: GroupStats, constant: [Int32]
    ) throws(Counter.Failure) -> SliceFinding {
        var descriptions = try equivalentDescriptions(of: slice, constant: constant)
        let representative = descriptions.removeFirst()
        var statistics = SliceStatistics.make(slice: stats, total: total, regression: regression, binary: binary)
        statistics.qValue = .nan
        return SliceFinding(
            rank: 0, level: representative.count, predicates: predicates(representative), score: slice.score,
            errorSum: slice.errorSum, errorMax: slice.errorMax, statistics: statistics,
            equivalents: descriptions.map(predicates),
            explainedBy: try explainingParent(of: slice))
    }

    /// Every conjunction of at most `maxLevel` predicates with exactly the slice's rows, shortest first (then in
    /// column order); the slice's own description is among them.
    ///
    /// Such a conjunction only uses bins that hold every one of the rows, so the candidates are the subsets of
    /// `constant`, the bins of the features that are constant over the rows.
    func equivalentDescriptions(
        of slice: SliceLineSearch.Slice, constant: [Int32]
    ) throws(Counter.Failure) -> [[Int32]] {
        var found: [[Int32]] = []
        var counted = 0
        for size in 1...max(1, min(maxLevel, constant.count)) where counted < SliceLineAnalysis.maximumEquivalentCandidates {
            var candidates: [[Int32]] = []
            Self.forEachSubset(of: constant, size: size) { subset in
                guard counted < SliceLineAnalysis.maximumEquivalentCandidates else { return false }
                candidates.append(subset)
                counted += 1
                return true
            }
            guard !candidates.isEmpty else { continue }
            let counts = try counter.evaluate(candidates.flatMap { $0 }, arity: size)
            for (index, subset) in candidates.enumerated() where counts[index].rows == slice.size {
                found.append(subset)
            }
        }
        if !found.contains(slice.columns) { found.append(slice.columns) }
        found.sort { a, b in a.count != b.count ? a.count < b.count : a.lexicographicallyPrecedes(b) }
        return found
    }

    /// The worst parent, when the slice does not fail significantly more often than the rest of it (q over the
    /// family of parent tests).
    func explainingParent(of slice: SliceLineSearch.Slice) throws(Counter.Failure) -> SliceParent? {
        let columns = slice.columns
        guard columns.count >= 2, slice.familyIndex >= 0 else { return nil }
        var parents: [[Int32]] = (0..<columns.count).map { dropped in
            columns.enumerated().filter { $0.offset != dropped }.map(\.element)
        }
        parents.sort { $0.lexicographicallyPrecedes($1) }
        let counts = try counter.evaluate(parents.flatMap { $0 }, arity: columns.count - 1)
        var worst = 0
        for index in 1..<parents.count {
            let a = counts[index]
            let b = counts[worst]
            // Higher failure rate (cross-multiplied, exact), then more rows; ties keep the earlier description.
            let left = a.markedRows * b.rows
            let right = b.markedRows * a.rows
            if left > right || (left == right && a.rows > b.rows) { worst = index }
        }
        let parent = counts[worst]
        assert(parent.rows == search.familyParentSizes[slice.familyIndex], "the search chose another worst parent")
        guard
            let test = SliceLineAnalysis.parentTest(
                size: slice.size, failures: slice.failures, parentSize: parent.rows, parentFailures: parent.markedRows)
        else { return nil }
        let qValue = parentQValues[slice.familyIndex]
        if test.worse && qValue < fdr { return nil }
        return SliceParent(
            predicates: predicates(parents[worst]), n: parent.rows, failures: parent.markedRows,
            failureRate: Double(parent.markedRows) / Double(parent.rows), pValue: test.pValue, qValue: qValue)
    }

    func predicates(_ columns: [Int32]) -> [SlicePredicate] {
        columns.map { column in
            let feature = search.featureOfColumn[Int(column)]
            let binned = features[feature]
            return SlicePredicate(
                feature: binned.name, kind: binned.kind,
                identity: binned.identities[Int(column) - search.columnOffsets[feature]])
        }
    }

    /// Calls `body` with every `size`-element subset of `items`, in lexicographic order of positions, until it
    /// returns false.
    static func forEachSubset(of items: [Int32], size: Int, _ body: ([Int32]) -> Bool) {
        guard size >= 1 && size <= items.count else { return }
        var positions = Array(0..<size)
        while true {
            guard body(positions.map { items[$0] }) else { return }
            var slot = size - 1
            while slot >= 0 && positions[slot] == items.count - size + slot { slot -= 1 }
            if slot < 0 { return }
            positions[slot] += 1
            for next in (slot + 1)..<size { positions[next] = positions[next - 1] + 1 }
        }
    }
}

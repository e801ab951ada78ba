import Kernels

/// The exact level-wise SliceLine search over one-hot columns (the search itself; statistics come after, in
/// ``SliceLineAnalysis``).
///
/// A slice is a conjunction of predicates `feature = bin`, at most one per feature; each bin of a searched feature
/// (its missing bin included) is one one-hot column. Level 1 scores every column; level L joins two surviving
/// slices of level L−1 that share L−2 predicates (the Apriori join, which yields each candidate once, in
/// lexicographic order of its columns) and keeps the candidate only if
///
/// 1. every one of its L parents survived level L−1 (missing parents: a parent below σ rows, without error, or
///    pruned by its bound has no descendant that could enter the top-K),
/// 2. the smallest parent has at least σ rows (size),
/// 3. the upper bound of its score from its parents' sizes, error sums and largest errors is above 0 and above
///    the K-th score held (score and top-K bounds).
///
/// Survivors are evaluated exactly: the rows in the AND of their columns' bitmaps are counted
/// (``BitmapIntersection``, parallel over candidates), with the failures and the error sum.
///
/// **Exact mode** (the default): no pruning against a top-K that is not yet full, the bound uses n rows and the
/// minimum over all L parents, and the top-K holds K slices with distinct row sets (a slice covering the same rows
/// as one already held is an equivalent description of it, not a new slice). Ties at the K-th score are broken by
/// fewer predicates, then by the predicates' order (feature order, then bin order); because levels are searched in
/// increasing order, strict pruning against the K-th score cannot drop a slice that would win that tie-break, so the
/// result is the K best distinct row sets in exactly this order (tested against a brute-force enumeration).
///
/// **Reference-compatible mode** reproduces the `sliceline` Python package (0.3.x) for cross-checks: the bound
/// uses the number of one-hot columns instead of rows, candidates are pruned against the lowest score held even
/// before K slices are held, the bound comes from the first two parents in the package's order, every slice tied
/// with the K-th score is kept (so more than K may be returned), ties are ordered by the one-hot bit vector, and
/// identical row sets are not merged.
package enum SliceLineSearch {
    /// How the search runs.
    package struct Configuration: Sendable, Equatable {
        package var alpha: Double
        package var maxLevel: Int
        package var top: Int
        /// σ, in rows (at least 1).
        package var minimumSupport: Int
        package var referenceCompatible: Bool
        /// Whether the exact top-K merges slices with identical rows (ignored in reference-compatible mode).
        package var distinctRowSets: Bool
        package var threads: Int

        package init(
            alpha: Double, maxLevel: Int, top: Int, minimumSupport: Int, referenceCompatible: Bool = false,
            distinctRowSets: Bool = true, threads: Int = 1
        ) {
            self.alpha = alpha
            self.maxLevel = maxLevel
            self.top = top
            self.minimumSupport = minimumSupport
            self.referenceCompatible = referenceCompatible
            self.distinctRowSets = distinctRowSets
            self.threads = threads
        }
    }

    /// The coded input: one code per row and feature, a failure flag per row, and optionally a continuous error.
    package struct Problem: Sendable {
        /// `codes[f][row]` in `0..<domains[f]`.
        package var codes: [BinCodes]
        package var domains: [Int]
        /// 1 where the row fails.
        package var failure: [UInt8]
        /// The per-row error to score on (finite, at least 0); `nil` scores on the failure indicator.
        package var errors: [Double]?

        /// A problem from two-byte codes.
        package init(codes: [[UInt16]], domains: [Int], failure: [UInt8], errors: [Double]?) {
            self.init(codes: codes.map(BinCodes.init), domains: domains, failure: failure, errors: errors)
        }

        package init(codes: [BinCodes], domains: [Int], failure: [UInt8], errors: [Double]?) {
            precondition(codes.count == domains.count, "one domain per feature")
            precondition(codes.allSatisfy { $0.count == failure.count }, "one code per row")
            precondition(errors.map { $0.count == failure.count } ?? true, "one error per row")
            self.codes = codes
            self.domains = domains
            self.failure = failure
            self.errors = errors
        }

        package var rowCount: Int { failure.count }
    }

    /// One evaluated slice.
    package struct Slice: Sendable, Equatable {
        /// Its one-hot columns, ascending (so in feature order).
        package var columns: [Int32]
        package var score: Double
        package var size: Int
        package var failures: Int
        package var errorSum: Double
        package var errorMax: Double
        /// Its position in the multiple-testing family (``Outcome/familySizes``).
        package var familyIndex: Int

        package var level: Int { columns.count }
    }

    /// What one level did.
    package struct LevelSummary: Sendable, Equatable {
        package var level: Int
        /// Candidates whose parents all survived (level 1: the non-empty columns).
        package var candidates: Int
        /// Candidates left by the size and score bounds from their parents.
        package var bounded: Int
        /// Candidates whose rows were counted: those left after the bound from their exact failure count (exact
        /// mode, failure error), else all bounded ones.
        package var evaluated: Int
    }

    /// The search's result, with what later stages need to describe the slices.
    package struct Outcome: Sendable {
        /// The top slices, best first.
        package var top: [Slice]
        /// Every non-empty evaluated slice, in evaluation order: its size and failures (the family for the
        /// Benjamini-Hochberg correction).
        package var familySizes: [Int]
        package var familyFailures: [Int]
        /// For each family member of two or more predicates, the size and failures of its worst parent (the parent
        /// with the highest failure rate, then the most rows, then the first in column order); 0 and 0 at level 1.
        package var familyParentSizes: [Int]
        package var familyParentFailures: [Int]
        package var levels: [LevelSummary]
        /// ē (0 when there is no error, and then no slice scores above 0).
        package var meanError: Double
        /// The first column of each feature; feature `f` owns `columnOffsets[f] ..< columnOffsets[f] + domains[f]`.
        package var columnOffsets: [Int]
        package var featureOfColumn: [Int]
    }

    /// Runs the search in memory, over row bitmaps.
    /// - Complexity: one bitmap pass per evaluated candidate, O(candidates · level · rows / 64) word operations,
    ///   plus O(rows · features) to build the bitmaps.
    package static func run(_ problem: Problem, _ configuration: Configuration) -> Outcome {
        let counter = BitmapSliceCounter(
            problem: problem,
            outcomes: RowOutcomes(failure: problem.failure, loss: problem.errors, signedError: nil, confusion: nil),
            threads: configuration.threads)
        return search(
            counter: counter, domains: problem.domains, rows: problem.rowCount, meanError: counter.meanError,
            scoresLoss: problem.errors != nil, configuration)
    }

    /// Runs the search over `counter`, which counts the rows of a dump of `rows` rows whose features have `domains`
    /// codes each; `meanError` is ē, and `scoresLoss` says whether the error is a continuous loss rather than the
    /// failure indicator.
    package static func search<Counter: SliceCounter>(
        counter: Counter, domains: [Int], rows: Int, meanError: Double, scoresLoss: Bool,
        _ configuration: Configuration
    ) throws(Counter.Failure) -> Outcome {
        precondition(configuration.minimumSupport >= 1, "the minimum support is at least one row")
        precondition(configuration.top >= 1 && configuration.maxLevel >= 1, "top and max level are at least 1")
        precondition(configuration.alpha > 0 && configuration.alpha <= 1, "alpha lies in (0, 1]")
        var columnOffsets: [Int] = []
        var featureOfColumn: [Int] = []
        for (feature, domain) in domains.enumerated() {
            columnOffsets.append(featureOfColumn.count)
            featureOfColumn.append(contentsOf: repeatElement(feature, count: domain))
        }
        var outcome = Outcome(
            top: [], familySizes: [], familyFailures: [], familyParentSizes: [], familyParentFailures: [], levels: [],
            meanError: meanError, columnOffsets: columnOffsets, featureOfColumn: featureOfColumn)
        guard rows > 0 else { return outcome }
        var lattice = _Lattice(
            configuration: configuration, featureOfColumn: featureOfColumn, scoresLoss: scoresLoss,
            scoring: SliceLineScore(
                alpha: configuration.alpha, meanError: meanError, rows: Double(rows),
                minimumSupport: Double(configuration.minimumSupport)))
        try lattice.search(&outcome, counter: counter, featureCount: domains.count, hasError: meanError > 0)
        return outcome
    }
}

/// The level-wise enumeration: one level of slices at a time, as flat column lists in lexicographic order.
private struct _Lattice {
    let configuration: SliceLineSearch.Configuration
    let featureOfColumn: [Int]
    /// Whether the error is a continuous loss (else the failure indicator).
    let scoresLoss: Bool
    let scoring: SliceLineScore
    var topK: _TopK

    init(
        configuration: SliceLineSearch.Configuration, featureOfColumn: [Int], scoresLoss: Bool, scoring: SliceLineScore
    ) {
        self.configuration = configuration
        self.featureOfColumn = featureOfColumn
        self.scoresLoss = scoresLoss
        self.scoring = scoring
        topK = _TopK(
            capacity: configuration.top, referenceCompatible: configuration.referenceCompatible,
            distinctRowSets: configuration.distinctRowSets)
    }

    /// One level's slices: `arity` columns each, one after another, with their statistics.
    struct Level {
        var arity: Int
        var columns: [Int32] = []
        var slices: [SliceLineSearch.Slice] = []

        var count: Int { slices.count }

        /// Candidate `index`'s columns.
        func columns(of index: Int) -> ArraySlice<Int32> { columns[index * arity..<(index + 1) * arity] }
    }

    mutating func search<Counter: SliceCounter>(
        _ outcome: inout SliceLineSearch.Outcome, counter: Counter, featureCount: Int, hasError: Bool
    ) throws(Counter.Failure) {
        let columnCount = featureOfColumn.count
        guard columnCount > 0 else { return }
        // Level 1: every column.
        let allColumns = (0..<columnCount).map { Int32($0) }
        let firstCounts = try counter.evaluate(allColumns, arity: 1)
        var current = Level(arity: 1)
        var observedColumns = 0
        for column in 0..<columnCount where firstCounts[column].rows > 0 {
            observedColumns += 1
            let slice = record([Int32(column)], firstCounts[column], worstParent: nil, into: &outcome)
            current.columns.append(Int32(column))
            current.slices.append(slice)
        }
        outcome.levels.append(
            .init(level: 1, candidates: observedColumns, bounded: observedColumns, evaluated: observedColumns))
        guard hasError else { return }
        current = filtered(current)
        try topK.admit(current.slices, minimumSupport: configuration.minimumSupport, sameRows: sameRows(counter))
        var level = 1
        while current.count > 0 && level < min(featureCount, configuration.maxLevel) {
            level += 1
            let bounded = generate(from: current, observedColumns: observedColumns)
            let candidates = try screened(bounded, arity: level, counter: counter)
            var evaluated = Level(arity: level)
            if !candidates.columns.isEmpty {
                let counts = try counter.evaluate(candidates.columns, arity: level)
                for index in 0..<counts.count {
                    let columns = Array(candidates.columns[index * level..<(index + 1) * level])
                    evaluated.columns.append(contentsOf: columns)
                    evaluated.slices.append(
                        record(columns, counts[index], worstParent: candidates.worstParents[index], into: &outcome))
                }
            }
            outcome.levels.append(
                .init(
                    level: level, candidates: bounded.generated, bounded: bounded.worstParents.count,
                    evaluated: evaluated.count))
            try topK.admit(evaluated.slices, minimumSupport: configuration.minimumSupport, sameRows: sameRows(counter))
            current = filtered(evaluated)
        }
        outcome.top = topK.entries
    }

    /// Scores an evaluated slice and adds it to the family (when not empty).
    func record(
        _ columns: [Int32], _ counts: IntersectionCounts, worstParent: SliceLineSearch.Slice?,
        into outcome: inout SliceLineSearch.Outcome
    ) -> SliceLineSearch.Slice {
        let errorSum = scoresLoss ? counts.valueSum : Double(counts.markedRows)
        let errorMax = scoresLoss ? counts.valueMax : (counts.markedRows > 0 ? 1 : 0)
        var familyIndex = -1
        if counts.rows > 0 {
            familyIndex = outcome.familySizes.count
            outcome.familySizes.append(counts.rows)
            outcome.familyFailures.append(counts.markedRows)
            outcome.familyParentSizes.append(worstParent?.size ?? 0)
            outcome.familyParentFailures.append(worstParent?.failures ?? 0)
        }
        return SliceLineSearch.Slice(
            columns: columns, score: scoring.score(size: counts.rows, errorSum: errorSum), size: counts.rows,
            failures: counts.markedRows, errorSum: errorSum, errorMax: errorMax, familyIndex: familyIndex)
    }

    /// The slices that may have descendants in the top-K: at least σ rows and some error.
    func filtered(_ level: Level) -> Level {
        var kept = Level(arity: level.arity)
        for index in 0..<level.count {
            let slice = level.slices[index]
            guard slice.size >= configuration.minimumSupport && slice.errorSum > 0 else { continue }
            kept.columns.append(contentsOf: level.columns(of: index))
            kept.slices.append(slice)
        }
        return kept
    }

    /// Whether two slices cover the same rows: equal sizes and an intersection of that size.
    func sameRows<Counter: SliceCounter>(
        _ counter: Counter
    ) -> (SliceLineSearch.Slice, SliceLineSearch.Slice) throws(Counter.Failure) -> Bool {
        { (first, second) throws(Counter.Failure) -> Bool in
            guard first.size == second.size else { return false }
            let union = Array(Set(first.columns + second.columns)).sorted()
            return try counter.evaluate(union, arity: union.count)[0].rows == first.size
        }
    }

    /// A level's candidates (`arity` columns each, in lexicographic order) with what was learnt from their parents.
    struct Candidates {
        var columns: [Int32] = []
        /// The worst parent of each candidate.
        var worstParents: [SliceLineSearch.Slice] = []
        /// The smallest parent size and largest-error bound of each candidate.
        var sizeBounds: [Int] = []
        var errorMaxBounds: [Double] = []
        /// Candidates whose parents all survived, before the size and score bounds.
        var generated = 0
    }

    /// Exact mode with the failure indicator as the error: the failures of each candidate are counted first (failing
    /// rows are stored first, so this reads a small prefix of each bitmap), and a candidate whose bound from its
    /// exact failure count, `f(s)` with `errorSum = failures`, is not above 0 and the K-th score is dropped before its
    /// rows are counted. Its descendants have no more failures and no more rows, so none of them could enter the
    /// top-K either: an exact pruning rule, which the reference does not have.
    func screened<Counter: SliceCounter>(
        _ candidates: Candidates, arity: Int, counter: Counter
    ) throws(Counter.Failure) -> Candidates {
        guard !configuration.referenceCompatible, !scoresLoss, !candidates.columns.isEmpty else {
            return candidates
        }
        let failures = try counter.failures(candidates.columns, arity: arity)
        let threshold = topK.threshold
        var kept = Candidates(generated: candidates.generated)
        for index in 0..<failures.count where failures[index] > 0 {
            let bound = scoring.exactUpperBound(
                size: candidates.sizeBounds[index], errorSum: Double(failures[index]), errorMax: 1)
            let margin = scoring.pruningMargin(bound, threshold.isFinite ? threshold : 0)
            guard bound + margin > threshold && bound + margin > 0 else { continue }
            kept.columns.append(contentsOf: candidates.columns[index * arity..<(index + 1) * arity])
            kept.worstParents.append(candidates.worstParents[index])
            kept.sizeBounds.append(candidates.sizeBounds[index])
            kept.errorMaxBounds.append(candidates.errorMaxBounds[index])
        }
        return kept
    }

    /// The candidates of the next level that survive the size, score and missing-parent rules, in lexicographic
    /// order of their columns.
    func generate(from previous: Level, observedColumns: Int) -> Candidates {
        let parentArity = previous.arity
        let arity = parentArity + 1
        let threshold = topK.threshold
        var output = Candidates()
        var candidate = [Int32](repeating: 0, count: arity)
        var parentIndices = [Int](repeating: 0, count: arity)
        var groupStart = 0
        while groupStart < previous.count {
            // Slices sharing their first `parentArity − 1` columns are contiguous.
            var groupEnd = groupStart + 1
            while groupEnd < previous.count
                && previous.columns(of: groupEnd).dropLast().elementsEqual(previous.columns(of: groupStart).dropLast())
            {
                groupEnd += 1
            }
            for first in groupStart..<groupEnd {
                let firstColumns = previous.columns(of: first)
                let firstLast = firstColumns[firstColumns.endIndex - 1]
                for second in (first + 1)..<groupEnd {
                    let secondLast = previous.columns[second * parentArity + parentArity - 1]
                    if featureOfColumn[Int(firstLast)] == featureOfColumn[Int(secondLast)] { continue }
                    for (slot, column) in firstColumns.enumerated() { candidate[slot] = column }
                    candidate[arity - 1] = secondLast
                    // Parent k drops column k: the last two parents are `second` and `first`, the others are looked up.
                    parentIndices[arity - 1] = first
                    parentIndices[arity - 2] = second
                    var complete = true
                    for dropped in 0..<(arity - 2) {
                        guard let index = find(candidate, dropping: dropped, in: previous) else {
                            complete = false
                            break
                        }
                        parentIndices[dropped] = index
                    }
                    guard complete else { continue }
                    output.generated += 1
                    // Bounds: every parent (exact), or the first two in the reference's order, which are the parents
                    // dropping columns 0 and 1.
                    let boundParents = configuration.referenceCompatible ? Array(parentIndices[0..<2]) : parentIndices
                    var size = Int.max
                    var errorSum = Double.infinity
                    var errorMax = Double.infinity
                    for index in boundParents {
                        let parent = previous.slices[index]
                        size = min(size, parent.size)
                        errorSum = min(errorSum, parent.errorSum)
                        errorMax = min(errorMax, parent.errorMax)
                    }
                    guard size >= configuration.minimumSupport else { continue }
                    if configuration.referenceCompatible {
                        let bound = scoring.referenceUpperBound(
                            size: size, errorSum: errorSum, errorMax: errorMax, columns: observedColumns)
                        guard bound > threshold && bound > 0 else { continue }
                    } else {
                        let bound = scoring.exactUpperBound(size: size, errorSum: errorSum, errorMax: errorMax)
                        let margin = scoring.pruningMargin(bound, threshold.isFinite ? threshold : 0)
                        guard bound + margin > threshold && bound + margin > 0 else { continue }
                    }
                    output.columns.append(contentsOf: candidate)
                    output.sizeBounds.append(size)
                    output.errorMaxBounds.append(errorMax)
                    // Parents in column order are those dropping the last column first.
                    var worst = previous.slices[parentIndices[arity - 1]]
                    for dropped in stride(from: arity - 2, through: 0, by: -1) {
                        let parent = previous.slices[parentIndices[dropped]]
                        if Self.failsMoreOften(parent, than: worst) { worst = parent }
                    }
                    output.worstParents.append(worst)
                }
            }
            groupStart = groupEnd
        }
        return output
    }

    /// A higher failure rate (compared exactly by cross-multiplying), or the same rate over more rows.
    static func failsMoreOften(_ a: SliceLineSearch.Slice, than b: SliceLineSearch.Slice) -> Bool {
        let left = a.failures * b.size
        let right = b.failures * a.size
        return left > right || (left == right && a.size > b.size)
    }

    /// The index in `level` of `candidate` without its column `dropped`, by binary search (levels are sorted).
    func find(_ candidate: [Int32], dropping dropped: Int, in level: Level) -> Int? {
        var low = 0
        var high = level.count
        while low < high {
            let middle = (low + high) / 2
            let slice = level.columns(of: middle)
            var order = 0  // -1: slice < key, 1: slice > key
            var keyIndex = 0
            for column in slice {
                if keyIndex == dropped { keyIndex += 1 }
                let key = candidate[keyIndex]
                keyIndex += 1
                if column != key {
                    order = column < key ? -1 : 1
                    break
                }
            }
            if order == 0 { return middle }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}

/// The top-K: exact (K distinct row sets, deterministic tie-break) or as the reference keeps it.
private struct _TopK {
    let capacity: Int
    let referenceCompatible: Bool
    /// Whether a slice covering the same rows as one held is an equivalent description rather than a new slice.
    let distinctRowSets: Bool
    private(set) var entries: [SliceLineSearch.Slice] = []

    init(capacity: Int, referenceCompatible: Bool, distinctRowSets: Bool) {
        self.capacity = capacity
        self.referenceCompatible = referenceCompatible
        self.distinctRowSets = distinctRowSets
    }

    /// The score a candidate's bound must beat: the K-th score once K slices are held (exact), the lowest score
    /// held (reference), −∞ otherwise.
    var threshold: Double {
        guard let last = entries.last else { return -.infinity }
        if referenceCompatible || entries.count >= capacity { return last.score }
        return -.infinity
    }

    /// Offers a level's evaluated slices (in candidate order).
    mutating func admit<Failure: Error>(
        _ slices: [SliceLineSearch.Slice], minimumSupport: Int,
        sameRows: (SliceLineSearch.Slice, SliceLineSearch.Slice) throws(Failure) -> Bool
    ) throws(Failure) {
        let admissible = slices.filter { $0.size >= minimumSupport && $0.score > 0 }
        guard !admissible.isEmpty else { return }
        if referenceCompatible {
            admitAsReference(admissible)
            return
        }
        for slice in admissible {
            if entries.count >= capacity, let last = entries.last, !Self.precedes(slice, last) { continue }
            if distinctRowSets {
                var duplicate = false
                for entry in entries
                where entry.score == slice.score && entry.errorSum == slice.errorSum && entry.failures == slice.failures {
                    if try sameRows(entry, slice) {
                        duplicate = true
                        break
                    }
                }
                if duplicate { continue }
            }
            let position = entries.firstIndex { Self.precedes(slice, $0) } ?? entries.count
            entries.insert(slice, at: position)
            if entries.count > capacity { entries.removeLast() }
        }
    }

    /// The exact order: higher score, then fewer predicates, then the predicates' columns lexicographically.
    static func precedes(_ a: SliceLineSearch.Slice, _ b: SliceLineSearch.Slice) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.level != b.level { return a.level < b.level }
        return a.columns.lexicographicallyPrecedes(b.columns)
    }

    /// `sliceline`'s `_maintain_top_k`: every slice whose score ranks (method "min") within K is kept, ordered by
    /// score, then by the one-hot bit vector (a slice without the first differing column comes first).
    private mutating func admitAsReference(_ admissible: [SliceLineSearch.Slice]) {
        let pool = entries + admissible
        // rankdata(-score, method="min") <= K: fewer than K scores are strictly higher.
        let descending = pool.map(\.score).sorted(by: >)
        func higherCount(_ score: Double) -> Int {
            var low = 0
            var high = descending.count
            while low < high {
                let middle = (low + high) / 2
                if descending[middle] > score { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var kept = pool.filter { higherCount($0.score) + 1 <= capacity }
        kept.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            return Self.bitVectorPrecedes(a.columns, b.columns)
        }
        entries = kept
    }

    /// `a` before `b` in numpy's lexsort of the one-hot rows: at the first column where they differ, `a` is 0.
    static func bitVectorPrecedes(_ a: [Int32], _ b: [Int32]) -> Bool {
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                i += 1
                j += 1
            } else {
                return a[i] > b[j]
            }
        }
        return i == a.count && j < b.count
    }
}

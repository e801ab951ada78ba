import Kernels
import Stats

/// Settings of ``JointModel``.
public struct JointModelOptions: Sendable, Equatable {
    /// λ, the ridge penalty on every bin coefficient (the intercept is unpenalised); see
    /// ``Stats/LogisticRegression``. Default 1: a N(0, 1) prior on each log-odds ratio, which keeps bins with no
    /// failures (or only failures) finite and matters little once a bin holds a few hundred rows.
    public var penalty: Double = 1
    /// The most design rows (distinct cells) fitted. When the data have more distinct cells, a seeded simple random
    /// sample of this many rows is drawn and its cells are fitted. Default 50,000.
    public var maximumDesignRows: Int = 50_000
    /// The most one-hot columns; features that would exceed it (in the order given) are left out. Default 1,000.
    public var maximumColumns: Int = 1_000
    /// The seed of the row sample (`--seed`). Default 0.
    public var seed: UInt64 = 0
    /// The coverage of the odds-ratio intervals. Default 0.95.
    public var confidence: Double = 0.95
    /// Threads for the fit's `XᵀWX` (``Stats/LogisticRegression/Options/threads``); the model is the same for any
    /// count. Default 1.
    public var threads: Int = 1

    /// The documented defaults.
    public init() {}
}

/// One bin's adjusted odds ratio in the joint model.
public struct JointModelTerm: Sendable, Equatable {
    /// The feature.
    public var feature: String
    /// Its kind.
    public var kind: FeatureKind
    /// The bin code.
    public var code: Int
    /// The bin.
    public var identity: BinIdentity
    /// Rows of the bin in the fitted data.
    public var n: Int
    /// Failures among them.
    public var failures: Int
    /// The log-odds ratio against the feature's reference bin, the other features held fixed.
    public var coefficient: Double
    /// Its standard error (inverse penalised Hessian).
    public var standardError: Double
    /// `exp(coefficient)`.
    public var oddsRatio: Double
    /// The lower Wald bound of the odds ratio.
    public var ciLow: Double
    /// The upper Wald bound.
    public var ciHigh: Double
    /// The two-sided Wald p-value of "odds ratio = 1".
    public var pValue: Double
    /// Benjamini–Hochberg q-value over every term.
    public var qValue: Double

    /// Creates a term.
    public init(
        feature: String, kind: FeatureKind, code: Int, identity: BinIdentity, n: Int, failures: Int,
        coefficient: Double, standardError: Double, oddsRatio: Double, ciLow: Double, ciHigh: Double, pValue: Double,
        qValue: Double
    ) {
        self.feature = feature
        self.kind = kind
        self.code = code
        self.identity = identity
        self.n = n
        self.failures = failures
        self.coefficient = coefficient
        self.standardError = standardError
        self.oddsRatio = oddsRatio
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.pValue = pValue
        self.qValue = qValue
    }

    /// Whether the interval excludes 1 (the condition matters jointly at the interval's level).
    public var excludesOne: Bool { ciLow > 1 || ciHigh < 1 }
    /// Whether the report claims this odds ratio: q below the conditions family's level and an interval that
    /// excludes 1 (set by the analysis; see ``ConditionsLevel``).
    public var significant = false
}

/// A feature's reference bin (odds ratio 1 by definition).
public struct JointModelReference: Sendable, Equatable {
    /// The feature.
    public var feature: String
    /// The bin code.
    public var code: Int
    /// The bin.
    public var identity: BinIdentity
    /// Rows of the bin in the fitted data.
    public var n: Int
    /// Failures among them.
    public var failures: Int

    /// Creates a reference.
    public init(feature: String, code: Int, identity: BinIdentity, n: Int, failures: Int) {
        self.feature = feature
        self.code = code
        self.identity = identity
        self.n = n
        self.failures = failures
    }
}

/// The joint model (`analysis.json` → `model`).
public struct JointModelResult: Sendable, Equatable {
    /// λ.
    public var penalty: Double
    /// The rows of the data.
    public var totalRows: Int
    /// The rows fitted (all, or the sample).
    public var rows: Int
    /// Whether a row sample was fitted.
    public var sampled: Bool
    /// The seed of the sample (meaningful when `sampled`).
    public var seed: UInt64
    /// Design rows: the distinct cells (combinations of bins) fitted, weighted by their counts.
    public var cells: Int
    /// One-hot columns (terms).
    public var columns: Int
    /// Whether IRLS converged.
    public var converged: Bool
    /// Newton iterations.
    public var iterations: Int
    /// `cholesky` or `symmetric_indefinite` (``Stats/LogisticRegression/Solver``).
    public var solver: String
    /// The intercept: the log-odds of failure when every feature is at its reference bin.
    public var intercept: Double
    /// `1 / (1 + e^-intercept)`, the modelled failure rate at the reference bins.
    public var baselineRate: Double
    /// The unpenalised log-likelihood at the estimate.
    public var logLikelihood: Double
    /// The coverage of the intervals.
    public var confidence: Double
    /// One per non-reference, non-empty bin, in feature order then code order.
    public var terms: [JointModelTerm]
    /// One per modelled feature.
    public var references: [JointModelReference]
    /// Features not modelled, and why.
    public var omitted: [SkippedColumn]

    /// Creates a result.
    public init(
        penalty: Double, totalRows: Int, rows: Int, sampled: Bool, seed: UInt64, cells: Int, columns: Int,
        converged: Bool, iterations: Int, solver: String, intercept: Double, baselineRate: Double,
        logLikelihood: Double, confidence: Double, terms: [JointModelTerm], references: [JointModelReference],
        omitted: [SkippedColumn]
    ) {
        self.penalty = penalty
        self.totalRows = totalRows
        self.rows = rows
        self.sampled = sampled
        self.seed = seed
        self.cells = cells
        self.columns = columns
        self.converged = converged
        self.iterations = iterations
        self.solver = solver
        self.intercept = intercept
        self.baselineRate = baselineRate
        self.logLikelihood = logLikelihood
        self.confidence = confidence
        self.terms = terms
        self.references = references
        self.omitted = omitted
    }
}

/// Under what conditions failures happen *jointly*: an L2-penalised logistic regression of the failure indicator on
/// the one-hot bins of all features, so a condition that matters stands apart from its correlated proxies (a proxy's
/// adjusted odds ratio moves to 1 once the real condition is in the model).
///
/// **Design.** Features in the order given; label and prediction columns are skipped (they are not conditions).
/// Each feature contributes one 0/1 column per non-empty bin except its **reference bin, the largest bin** (most
/// rows; ties: the lowest code) — so every odds ratio compares a bin with the feature's most common condition.
/// Features with a single non-empty bin add nothing; features that would push the columns past `maximumColumns`
/// are left out (listed in `omitted`).
///
/// **Aggregation.** Rows with the same bins in every modelled feature share a design row: the fit runs on the
/// distinct cells with their failure and row counts (binomial counts), which gives exactly the row-level estimate at
/// a fraction of the cost. When there are more than `maximumDesignRows` (50,000) distinct cells, a simple random
/// sample of 50,000 rows without replacement (Knuth's selection sampling, Algorithm S, driven by SplitMix64 seeded
/// with `seed`) is drawn and its cells are fitted; reference bins and counts then refer to the sample.
///
/// **Fit.** ``Stats/LogisticRegression/fit(rowStarts:activeColumns:columns:successes:trials:options:)`` with
/// penalty λ (default 1) on every bin coefficient and an unpenalised intercept: IRLS with `XᵀWX` accumulated over
/// each cell's active bins (the design is one-hot, so sparse), Newton solves by LAPACK
/// `dpotrf`/`dpotrs` (`dsysv` if not positive definite), covariance from `dpotri`. Per bin: the odds ratio against
/// the reference with a 95% Wald interval, the p-value, and a BH q-value over all terms.
public enum JointModel {
    /// Fits the joint model.
    ///
    /// - Parameters:
    ///   - features: The binned features (one code per row).
    ///   - outcomes: The per-row failures.
    ///   - options: Penalty, size limits, seed, coverage.
    /// - Returns: The model, or nil when there is nothing to model (no rows, no failures, or only failures).
    /// - Throws: ``Stats/StatsError`` if LAPACK fails on the Newton system (not expected with λ > 0).
    /// - Precondition: Every feature has one code per row of `outcomes`; `maximumDesignRows ≥ 1`.
    /// - Complexity: O(rows · features) to build the cells; per Newton iteration O(cells · features²) plus
    ///   O(columns³).
    ///   - sample: ``rowSample(rows:options:)`` for these outcomes and options, when the caller drew it ahead (beside
    ///     other work); drawn here when needed otherwise.
    public static func fit(
        features: [BinnedFeature], outcomes: RowOutcomes, options: JointModelOptions = JointModelOptions(),
        sample drawn: [Int]? = nil
    ) throws(StatsError) -> JointModelResult? {
        precondition(options.maximumDesignRows >= 1, "maximumDesignRows must be >= 1")
        let totalRows = outcomes.count
        let totalFailures = outcomes.failure.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        guard totalRows > 0, totalFailures > 0, totalFailures < totalRows else { return nil }
        var candidates = features.filter { $0.kind != .label && $0.kind != .prediction }
        for feature in candidates {
            precondition(feature.codes.count == totalRows, "feature codes and outcomes differ in length")
        }

        // A subset of the rows never has more cells than all of them: when a strided subset of about four times the
        // limit already has too many, so do all rows, and their pass over every row (most of this stage's time on
        // a big dump) is skipped.
        let subsetHasTooMany =
            probeRows(totalRows: totalRows, options: options).map { probe in
                Cells(features: candidates, rows: probe, limit: options.maximumDesignRows) == nil
            } ?? false
        var rows = subsetHasTooMany ? [] : Array(0..<totalRows)
        if !subsetHasTooMany {
            // Every row's cells are counted, and then tallied: codes that were let go are written once for both.
            for index in candidates.indices { candidates[index].codes = candidates[index].codes.materialized() }
        }
        var failure = outcomes.failure
        var sampled = false
        let cells: Cells
        if !subsetHasTooMany, let all = Cells(features: candidates, rows: rows, limit: options.maximumDesignRows) {
            cells = all
        } else {
            let sample = drawn ?? rowSample(rows: totalRows, options: options)
            precondition(sample.count == min(options.maximumDesignRows, totalRows), "a sample of other options")
            sampled = true
            // The sampled rows' codes and failures are gathered once, and everything below reads them in order:
            // a count indexed by a code loaded from a far row waited for that load on every row (three passes over
            // the sample cost 0.17 s at 10M rows).
            for index in candidates.indices {
                candidates[index].codes = candidates[index].codes.gathered(sample)
            }
            failure = sample.map { outcomes.failure[$0] }
            rows = Array(0..<sample.count)
            cells = Cells(features: candidates, rows: rows)
        }
        let sampleFailures = rows.reduce(0) { $0 + (failure[$1] != 0 ? 1 : 0) }
        guard sampleFailures > 0, sampleFailures < rows.count else { return nil }

        // Columns: per feature, every non-empty bin but the largest.
        var terms: [(feature: BinnedFeature, code: Int, n: Int, failures: Int)] = []
        var references: [JointModelReference] = []
        var omitted: [SkippedColumn] = []
        var columnOf: [[Int]] = []  // per candidate feature: the design column of each code, or -1
        for feature in candidates {
            var trials = [Int](repeating: 0, count: max(1, feature.identities.count))
            var failures = trials
            switch feature.codes.materialized().storage {
            case .narrow(let codes): tally(codes, rows: rows, failure: failure, trials: &trials, failures: &failures)
            case .wide(let codes): tally(codes, rows: rows, failure: failure, trials: &trials, failures: &failures)
            case .remade: preconditionFailure("materialized codes are kept")
            }
            var columns = [Int](repeating: -1, count: trials.count)
            let present = trials.indices.filter { trials[$0] > 0 }
            guard present.count >= 2 else {
                columnOf.append(columns)
                omitted.append(SkippedColumn(name: feature.name, reason: "a single non-empty bin"))
                continue
            }
            guard terms.count + present.count - 1 <= options.maximumColumns else {
                columnOf.append(columns)
                omitted.append(
                    SkippedColumn(
                        name: feature.name,
                        reason: "more than \(options.maximumColumns) one-hot columns in the joint model"))
                continue
            }
            var reference = present[0]
            for code in present where trials[code] > trials[reference] { reference = code }
            references.append(
                JointModelReference(
                    feature: feature.name, code: reference, identity: feature.identities[reference],
                    n: trials[reference], failures: failures[reference]))
            for code in present where code != reference {
                columns[code] = terms.count
                terms.append((feature, code, trials[code], failures[code]))
            }
            columnOf.append(columns)
        }

        let width = terms.count
        // The one-hot design in sparse rows: each cell's non-reference bins.
        var rowStarts = [0]
        var activeColumns: [Int] = []
        rowStarts.reserveCapacity(cells.count + 1)
        // At most one active column per feature and cell, reserved at once: grown by doubling, the list was copied
        // up to its last doubling (at 10M rows, 50,000 cells of 16 features: 4 MB and 8 MB held together).
        activeColumns.reserveCapacity(cells.count * candidates.count)
        // Each feature's code of each cell's first row, gathered once: reading them through the features in this
        // loop copied (and released) a whole BinnedFeature per cell and feature, 40% of the fit at 10M rows.
        let cellCodes = candidates.map { $0.codes.gathered(cells.firstRow).wide }
        for cell in 0..<cells.count {
            for index in candidates.indices {
                let column = columnOf[index][Int(cellCodes[index][cell])]
                if column >= 0 { activeColumns.append(column) }
            }
            rowStarts.append(activeColumns.count)
        }
        var successes = [Double](repeating: 0, count: cells.count)
        var trials = [Double](repeating: 0, count: cells.count)
        for (position, row) in rows.enumerated() {
            let cell = cells.cellOfRow[position]
            trials[cell] += 1
            if failure[row] != 0 { successes[cell] += 1 }
        }

        var regression = LogisticRegression.Options()
        regression.penalty = options.penalty
        regression.confidence = options.confidence
        regression.threads = options.threads
        let fit = try LogisticRegression.fit(
            rowStarts: rowStarts, activeColumns: activeColumns, columns: width, successes: successes, trials: trials,
            options: regression)
        let qValues = MultipleTesting.benjaminiHochberg(Array(fit.pValues.dropFirst()))
        let modelTerms = terms.enumerated().map { index, term in
            JointModelTerm(
                feature: term.feature.name, kind: term.feature.kind, code: term.code,
                identity: term.feature.identities[term.code], n: term.n, failures: term.failures,
                coefficient: fit.coefficients[index + 1], standardError: fit.standardErrors[index + 1],
                oddsRatio: fit.oddsRatios[index + 1], ciLow: fit.oddsRatioLow[index + 1],
                ciHigh: fit.oddsRatioHigh[index + 1], pValue: fit.pValues[index + 1], qValue: qValues[index])
        }
        let intercept = fit.coefficients[0]
        let baselineOdds = fit.oddsRatios[0]
        return JointModelResult(
            penalty: options.penalty, totalRows: totalRows, rows: rows.count, sampled: sampled, seed: options.seed,
            cells: cells.count, columns: width, converged: fit.converged, iterations: fit.iterations,
            solver: fit.solver == .cholesky ? "cholesky" : "symmetric_indefinite", intercept: intercept,
            baselineRate: baselineOdds.isInfinite ? 1 : baselineOdds / (1 + baselineOdds), logLikelihood: fit.logLikelihood,
            confidence: options.confidence, terms: modelTerms, references: references, omitted: omitted)
    }

    /// The rows and failing rows of each code over `rows`: a loop per code width (it reads every row).
    private static func tally<Code: FixedWidthInteger>(
        _ codes: [Code], rows: [Int], failure: [UInt8], trials: inout [Int], failures: inout [Int]
    ) {
        for row in rows {
            let code = Int(codes[row])
            trials[code] += 1
            failures[code] += failure[row] != 0 ? 1 : 0
        }
    }

    // MARK: - Cells

    /// The distinct combinations of codes over `rows`, numbered by first appearance.
    struct Cells {
        /// The cell of each row of `rows` (by position).
        var cellOfRow: [Int]
        /// The first row (an index into the data) of each cell.
        var firstRow: [Int]
        var count: Int { firstRow.count }

        /// Remapping feature by feature: the pair (cell so far, code) gets the next number on first sight, through
        /// one ``CellNumbers`` table for every feature, sized by the rows (not by cells × bins).
        init?(features: [BinnedFeature], rows: [Int], limit: Int) {
            self.init(features: features, rows: rows, limit: Optional(limit))
        }

        init(features: [BinnedFeature], rows: [Int]) {
            // Without a limit the initialiser cannot fail.
            self.init(features: features, rows: rows, limit: nil)!
        }

        private init?(features: [BinnedFeature], rows: [Int], limit: Int?) {
            let limit = limit ?? Int.max
            var cell = [Int](repeating: 0, count: rows.count)
            var cellCount = rows.isEmpty ? 0 : 1
            var numbers = CellNumbers()
            let positions = Array(rows.indices)
            for feature in features {
                let bins = max(1, feature.identities.count)
                // Codes not kept are written whole, one feature at a time, or for a few rows only those rows' codes.
                let few = feature.codes.isRemade && rows.count * 8 < feature.codes.count
                let codes = few ? feature.codes.gathered(rows) : feature.codes.materialized()
                let counted =
                    switch codes.storage {
                    case .narrow(let codes):
                        numbers.renumber(codes, bins: bins, rows: few ? positions : rows, limit: limit, cell: &cell)
                    case .wide(let codes):
                        numbers.renumber(codes, bins: bins, rows: few ? positions : rows, limit: limit, cell: &cell)
                    case .remade: preconditionFailure("materialized codes are kept")
                    }
                guard counted else { return nil }
                cellCount = numbers.next
            }
            var firstRow = [Int](repeating: -1, count: cellCount)
            for (position, row) in rows.enumerated() where firstRow[cell[position]] < 0 {
                firstRow[cell[position]] = row
            }
            cellOfRow = cell
            self.firstRow = firstRow
        }
    }

    /// Numbers the keys `cell · bins + code` of one feature's rows on first sight, in an open-addressing table
    /// that doubles at half full and is emptied after each feature where it was written. It holds at most the
    /// distinct keys (no more than the rows, or the limit): the dense array by key it replaces reached 2²² entries
    /// (32 MiB, filled and faulted in twice per analysis) for a 50,000-row sample, where this one stays near
    /// 2 MiB.
    struct CellNumbers {
        private var keys = [Int](repeating: -1, count: 1024)
        private var numbers = [Int](repeating: 0, count: 1024)
        private var written: [Int] = []
        private(set) var next = 0

        /// Replaces `cell[position]` by the number of (it, the code of `rows[position]`), numbered from 0; false
        /// (the cells unfinished) once there are more than `limit` numbers.
        mutating func renumber<Code: FixedWidthInteger>(
            _ codes: [Code], bins: Int, rows: [Int], limit: Int, cell: inout [Int]
        ) -> Bool {
            next = 0
            defer {
                for slot in written { keys[slot] = -1 }
                written.removeAll(keepingCapacity: true)
            }
            for (position, row) in rows.enumerated() {
                let key = cell[position] * bins + Int(codes[row])
                var slot = slotOf(key)
                while keys[slot] != key {
                    if keys[slot] < 0 {
                        if 2 * (next + 1) > keys.count {
                            grow()
                            slot = slotOf(key)
                            continue
                        }
                        keys[slot] = key
                        numbers[slot] = next
                        written.append(slot)
                        next += 1
                        if next > limit { return false }
                        break
                    }
                    slot = (slot + 1) & (keys.count - 1)
                }
                cell[position] = numbers[slot]
            }
            return true
        }

        /// The first slot to probe: Fibonacci hashing (the top bits of the product spread neighbouring keys apart).
        private func slotOf(_ key: Int) -> Int {
            let shift = UInt64(64 - keys.count.trailingZeroBitCount)
            return Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }

        private mutating func grow() {
            let held = written.map { (keys[$0], numbers[$0]) }
            keys = [Int](repeating: -1, count: 2 * keys.count)
            numbers = [Int](repeating: 0, count: keys.count)
            written.removeAll(keepingCapacity: true)
            for (key, number) in held {
                var slot = slotOf(key)
                while keys[slot] >= 0 { slot = (slot + 1) & (keys.count - 1) }
                keys[slot] = key
                numbers[slot] = number
                written.append(slot)
            }
        }
    }

    /// The strided subset of about four times `maximumDesignRows` rows whose cells the fit counts first (when they
    /// are already too many, so are all rows'), or nil when the rows are too few for a subset.
    public static func probeRows(totalRows: Int, options: JointModelOptions) -> [Int]? {
        let probeStep = totalRows / (4 * options.maximumDesignRows)
        return probeStep >= 2 ? Array(stride(from: 0, to: totalRows, by: probeStep)) : nil
    }

    /// The rows the model is fitted on when their cells are too many: `maximumDesignRows` of `rows`, drawn with
    /// `seed`. It depends on nothing else, so a caller may draw it ahead, beside other work (at 10M rows it takes
    /// 25 ms), and give it to ``fit(features:outcomes:options:sample:)``.
    public static func rowSample(rows: Int, options: JointModelOptions) -> [Int] {
        sampleRows(count: options.maximumDesignRows, from: rows, seed: options.seed)
    }

    /// `count` distinct row indices from `0..<total`, ascending: Knuth's Algorithm S (TAOCP vol. 2, §3.4.2), which
    /// keeps row t with probability (still needed)/(still left), driven by SplitMix64.
    static func sampleRows(count: Int, from total: Int, seed: UInt64) -> [Int] {
        guard count < total else { return Array(0..<total) }
        var generator = SplitMix64(seed: seed)
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        // The count still needed and the rows left as Doubles, kept in step with the loop: converting both on every
        // row (and reading the array's count) made this a tenth of the joint model's time at 10M rows.
        var needed = Double(count)
        var left = Double(total)
        var row = 0
        while row < total && needed > 0 {
            if left * generator.unit() < needed {
                chosen.append(row)
                needed -= 1
            }
            left -= 1
            row += 1
        }
        return chosen
    }
}

/// SplitMix64 (G. Steele, D. Lea and C. Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA 2014): the
/// same stream on every platform and run for a given seed.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1), from the top 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

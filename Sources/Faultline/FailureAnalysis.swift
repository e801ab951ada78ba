import ColumnStore
import Dispatch
import Ingest
import Kernels
import SliceSearch
import Stats

/// The high-level API: a prediction dump and options in, a failure analysis out.
///
/// ```swift
/// var options = AnalysisOptions()
/// options.slicing.bins = 10
/// let result = try FailureAnalysis.run(path: "data/adult_predictions.csv", options: options)
/// print(result.hotspots.first?.identity.label ?? "no hotspot")
/// ```
public enum FailureAnalysis {
    /// Reads `path` and analyses it.
    /// - Parameter progress: called with a short description of each stage (for a progress line).
    public static func run(
        path: String, options: AnalysisOptions, progress: (@Sendable (String) -> Void)? = nil
    ) throws(AnalysisError) -> AnalysisResult {
        progress?("reading \(path)")
        let loaded = _LoadedTable(try TableLoader.load(path: path, options: options))
        let result = try run(table: loaded.table, source: path, options: options, progress: progress)
        loaded.releaseElsewhere()
        return result
    }

    /// Analyses a table already in memory; `source` names it in messages and outputs.
    public static func run(
        table: Table, source: String, options: AnalysisOptions, progress: (@Sendable (String) -> Void)? = nil
    ) throws(AnalysisError) -> AnalysisResult {
        try validate(options)
        let roles = try RoleDetection.detect(in: table, options: options, source: source)
        guard let labelName = roles.label, let label = table.column(named: labelName) else {
            throw AnalysisError(
                code: .missingRole("label"),
                message: "\(source): no label column; name it with --label (looked for: "
                    + RoleDetection.labelNames.joined(separator: ", ") + ")")
        }
        guard let predictionName = roles.prediction, let prediction = table.column(named: predictionName) else {
            throw AnalysisError(
                code: .missingRole("prediction"),
                message: "\(source): no prediction column; name it with --pred (looked for: "
                    + RoleDetection.predictionNames.joined(separator: ", ") + ")")
        }
        let score = roles.score.flatMap { table.column(named: $0) }
        progress?("defining failures")
        var failure = try FailureOutcomes.compute(
            table: table, label: label, prediction: prediction, score: score, options: options, source: source)
        // Held until the label and the prediction are binned, then let go (two ids a row, one byte each when they fit).
        let classIds = failure.keep == nil ? failure.classIds : nil
        failure.classIds = nil
        let rows = failure.outcomes.count
        guard table.rowCount > 0 else {
            throw AnalysisError(
                code: .noRows,
                message: "\(source): the file has columns but no data rows: there is nothing to analyse. "
                    + "Check that the dump was written completely.")
        }
        guard rows > 0 else {
            throw AnalysisError(
                code: .noRows,
                message: "\(source): no row is left to analyse ("
                    + failure.exclusions.map { "\($0.rows) rows: \($0.reason)" }.joined(separator: "; ") + ")")
        }

        progress?("binning \(table.columns.count) columns")
        let binner = FeatureBinner(options: options.slicing)
        var binned: [BinnedFeature] = []
        var skipped: [SkippedColumn] = []
        let roleColumns = Set(roles.all)
        // Columns are binned independently, one per thread, the role columns with the features; the results keep
        // the table's column order, then the roles.
        let featureColumns = table.columns.filter { !roleColumns.contains($0.name) }
        var jobs: [(column: Column, role: FeatureBinner.Role)] = featureColumns.map { ($0, .feature) }
        jobs += [(label, .label), (prediction, .prediction)]
        for (name, role) in [(roles.time, FeatureBinner.Role.time), (roles.batch, .batch)] {
            guard let name, let column = table.column(named: name) else { continue }
            jobs.append((column, role))
        }
        // The joint model's row sample depends only on the row count and the seed: it is drawn beside the binning
        // (its last job, or with the columns binned ahead when the features keep their sampled codes), not on the
        // model's thread, where it delayed the end of the analysis (25 ms at 10M rows). Drawn in vain when the model
        // needs no sample (few cells).
        // A search that stops at single bins needs the codes only for the counts, which are then taken as each
        // column is binned, and for a few reads after that the mapped columns can answer (see BinningStage).
        let countsWhileBinning = options.sliceLine.maxLevel == 1 && options.countsWhileBinning
        let modelOptions = ConditionsStage.modelOptions(options)
        let stage = BinningStage(
            binner: binner, jobs: jobs, kept: failure.keep.map(KeptRows.init), rowCount: rows, threads: options.threads,
            drawsSample: !countsWhileBinning && options.threads >= 2 && rows > modelOptions.maximumDesignRows,
            modelOptions: modelOptions)
        // Codes let go keep the joint model's probe and sample rows (drawn ahead, beside the axis).
        let samplesEarly = countsWhileBinning && rows > modelOptions.maximumDesignRows
        // Codes counted while binning are let go: the time stage needs no other codes whole (the features' tables
        // against the time axis are counted with them, whatever the loss).
        let letsCodesGo = countsWhileBinning
        // Handed over: the ids are let go once the role columns are binned.
        let (prebinned, earlySample) = stage.binRoles(
            classIds: consume classIds, axis: countsWhileBinning, writesFewCodes: letsCodesGo,
            drawsSample: samplesEarly)
        var binning: BinningStage.Output
        if countsWhileBinning {
            // Handed over, not shared: the binning lets each prebinned column's codes go once it is counted.
            binning = stage.binAndCount(
                prebinned: consume prebinned, outcomes: &failure.outcomes, letsCodesGo: letsCodesGo,
                keepingRows: [JointModel.probeRows(totalRows: rows, options: modelOptions), earlySample].compactMap {
                    $0
                },
                axisOf: { ConditionsStage.timeAxis($0, time: roles.time, batch: roles.batch) })
        } else {
            binning = stage.bin(prebinned: prebinned, outcomes: failure.outcomes)
        }
        if samplesEarly { binning.sample = earlySample }
        for (index, job) in jobs.enumerated() {
            if let feature = binning.features[index] {
                binned.append(feature)
            } else if job.role != .label && job.role != .prediction {
                skipped.append(SkippedColumn(name: job.column.name, reason: "no value on the analysed rows"))
            }
        }
        let isRegression = failure.task == .regression
        if let name = roles.score {
            skipped.append(SkippedColumn(name: name, reason: "it is the score column (model output)"))
        }

        // The joint model needs only the binned features and the outcomes: on two or more threads it is fitted on a
        // thread of its own while the slicing, the search and the time analysis run (at 10M rows it takes 0.2 s on
        // one thread), and joined at the end. Where it runs changes none of its numbers.
        let modelled = ConditionsStage.modelledFeatures(binned)
        let outcomes = failure.outcomes
        let sample = binning.sample
        let model = Parallel.Pending(onItsOwnThread: options.threads >= 2) {
            ConditionsStage.fitModel(features: modelled, outcomes: outcomes, options: modelOptions, sample: sample)
        }

        progress?("slicing \(binned.count) columns over \(rows) rows")
        // Each binned column's counts, in `binned`'s order, when they were taken while binning.
        let counted = binning.counted.map { counts in
            jobs.indices.compactMap { index -> (groups: [GroupStats], table: PairCounts.Table?)? in
                guard binning.features[index] != nil else { return nil }
                guard let count = counts[index] else { preconditionFailure("a binned column without its counts") }
                return count
            }
        }
        // The counts are let go as soon as they are read: a time table is held until the slicing keeps it or drops
        // it.
        binning.counted = nil
        // The features the time analysis splits are counted against its axis with the slicing (one pass for both).
        let axisIndex = ConditionsStage.timeAxis(binned, time: roles.time, batch: roles.batch)
        let timeAxis = axisIndex.map { binned[$0] }
        let singleBins = counted.map { $0.map(\.groups) }
        let (sliced, timeTables) =
            counted == nil
            ? OneDimensionalSlicing.evaluate(
                features: binned, outcomes: failure.outcomes, options: options.slicing, regression: isRegression,
                binary: failure.task == .binary, timeAxis: timeAxis)
            : OneDimensionalSlicing.assemble(
                features: binned, counted: consume counted ?? [],
                total: GroupBy.total(outcomes: failure.outcomes, threads: options.threads), options: options.slicing,
                regression: isRegression, binary: failure.task == .binary)
        let total = sliced.total
        let overall = Proportions.wilson(successes: total.failures, trials: total.rows)
        var notes: [String] = []
        notes += outcomeNotes(
            total: total, spec: failure.summary.spec, singleLabelClass: failure.singleLabelClass, label: labelName)
        if let name = roles.time, let column = table.column(named: name), case .string(let strings) = column.values {
            let example = strings.dictionary.first { TimestampText.epochSeconds($0) == nil }
            notes.append(
                "The time column '\(name)' was read as text, not as timestamps"
                    + (example.map { ", because of values such as '\($0)'" } ?? "")
                    + ": its values are unordered labels, so there is no time trend or change point. "
                    + "Write every value as an ISO-8601 date or time (2024-01-31, 2024-01-31T10:00:00Z) "
                    + "or leave it empty.")
        }
        for column in table.columns where !roleColumns.contains(column.name) {
            // A few stray texts in a numeric column make it a text column: say so, or it is sliced silently per value.
            guard case .string(let strings) = column.values, strings.dictionary.count >= 2 else { continue }
            let texts = strings.dictionary.filter { Double($0) == nil }
            guard !texts.isEmpty, texts.count * 10 <= strings.dictionary.count else { continue }
            notes.append(
                "Column '\(column.name)' holds numbers but was read as text because of values such as '\(texts[0])': "
                    + "it is sliced per value, not in numeric bins. "
                    + "Mark such values as missing (--na-values) or fix them.")
        }
        for column in skipped { notes.append("Column '\(column.name)' was not sliced: \(column.reason).") }

        progress?("searching conjunctions of up to \(options.sliceLine.maxLevel) bins")
        if options.sliceLine.error == .loss {
            if failure.outcomes.hasLoss {
                guard failure.outcomes.allLosses(satisfy: { $0.isFinite && $0 >= 0 }) else {
                    throw AnalysisError(
                        code: .invalidOption,
                        message: "\(source): --slice-error loss needs a finite, non-negative loss on every row; "
                            + "'\(failure.summary.spec)' gives other values (use --slice-error failure)")
                }
            } else {
                notes.append(
                    "'\(failure.summary.spec)' has no continuous loss: --slice-error loss scored slices on the 0/1 "
                        + "failure indicator.")
            }
        }
        let search = SliceLineAnalysis.run(
            features: binned, outcomes: failure.outcomes, total: total, options: options.sliceLine,
            slicing: options.slicing, regression: isRegression, binary: failure.task == .binary,
            oneDimensional: sliced.features, singleBins: singleBins)
        let followed = ConditionsStage.followedSlices(hotspots: sliced.hotspots, slices: search.slices)
        let conditions = ConditionsStage.run(
            table: table, timeColumn: roles.time, batchColumn: roles.batch, binned: binned, keep: failure.keep,
            outcomes: failure.outcomes, followed: followed, slices: search.slices, options: options,
            binCounts: Dictionary(
                sliced.features.map { ($0.name, ($0.bins.map(\.statistics.n), $0.bins.map(\.statistics.failures))) },
                uniquingKeysWith: { first, _ in first }),
            // By position: two roles may name the same column (a label that is also the batch id), binned apart.
            axisCounts: axisIndex.map { index in
                let bins = sliced.features[index].bins
                return (bins.map(\.statistics.n), bins.map(\.statistics.failures))
            },
            timeTables: timeTables, progress: progress)
        notes.append(contentsOf: conditions.notes)
        let excluded = failure.exclusions.reduce(0) { $0 + $1.rows }
        var result = AnalysisResult(
            source: source, task: failure.task.rawValue,
            roles: .init(label: labelName, prediction: predictionName, score: roles.score, time: roles.time, batch: roles.batch),
            failureDefinition: failure.summary, rows: total.rows, failures: total.failures,
            failureRate: Double(total.failures) / Double(total.rows), ciLow: overall.low, ciHigh: overall.high,
            excludedRows: excluded, exclusions: failure.exclusions,
            settings: settings(options, rows: total.rows),
            features: sliced.features, hotspots: sliced.hotspots, skipped: skipped, notes: notes,
            slices: search.slices, sliceSearch: search.summary)
        result.time = conditions.time
        result.timeSlices = conditions.timeSlices
        result.associations = conditions.associations
        result.pair = conditions.pair
        progress?("fitting the joint model")
        ConditionsStage.attach(model.value(), to: &result, fdr: options.slicing.fdr)
        return result
    }

    /// The slicing settings as analysis.json reports them.
    static func settings(_ options: AnalysisOptions, rows: Int) -> AnalysisResult.Settings {
        .init(
            binning: options.slicing.binning.rawValue, bins: options.slicing.bins,
            categoricalThreshold: options.slicing.categoricalThreshold,
            maxCategories: options.slicing.maxCategories, fdr: options.slicing.fdr, minLift: options.slicing.minLift,
            minSupport: options.slicing.minimumSupport(rows: rows))
    }

    /// The notes on the failures as a whole: none or all of the rows fail, or every row has the same true class.
    static func outcomeNotes(total: GroupStats, spec: String, singleLabelClass: String?, label: String) -> [String] {
        var notes: [String] = []
        if total.failures == 0 {
            notes.append("No analysed row is a failure under '\(spec)': there is nothing to localise.")
        } else if total.failures == total.rows {
            notes.append("Every analysed row is a failure under '\(spec)': no slice can stand out.")
        }
        if let only = singleLabelClass {
            notes.append(
                "Every analysed row has the same true class ('\(only)' in '\(label)'): the dump holds a single "
                    + "class, so failures are the rows predicted as another class.")
        }
        return notes
    }

    /// Rejects option values that cannot work, with the option's name.
    static func validate(_ options: AnalysisOptions) throws(AnalysisError) {
        let slicing = options.slicing
        func fail(_ message: String) -> AnalysisError { AnalysisError(code: .invalidOption, message: message) }
        guard slicing.bins >= 1 && slicing.bins <= 1000 else { throw fail("--bins must be between 1 and 1000") }
        // One slice per value: a column's codes are two bytes, one of them kept for missing rows.
        let valueSlices = FeatureBinner.maximumValueSlices
        guard slicing.categoricalThreshold >= 0 && slicing.categoricalThreshold <= valueSlices else {
            throw fail("--categorical-threshold must be between 0 and \(valueSlices)")
        }
        guard slicing.maxCategories >= 1 && slicing.maxCategories <= 10_000 else {
            throw fail("--max-categories must be between 1 and 10000")
        }
        guard slicing.fdr > 0 && slicing.fdr < 1 else { throw fail("--fdr must be between 0 and 1 (exclusive)") }
        guard slicing.minLift.isFinite && slicing.minLift >= 0 else { throw fail("--min-lift must be a number >= 0") }
        if let support = slicing.minSupport, !(support.isFinite && support > 0) {
            throw fail("--min-support must be a positive count, or a fraction below 1")
        }
        guard slicing.threads >= 1 && slicing.threads <= 256 else { throw fail("--threads must be between 1 and 256") }
        let sliceLine = options.sliceLine
        guard sliceLine.alpha > 0 && sliceLine.alpha <= 1 else { throw fail("--alpha must be in (0, 1]") }
        guard sliceLine.maxLevel >= 1 && sliceLine.maxLevel <= SliceLineOptions.maximumLevel else {
            throw fail("--max-level must be between 1 and \(SliceLineOptions.maximumLevel)")
        }
        guard sliceLine.top >= 1 && sliceLine.top <= SliceLineOptions.maximumTop else {
            throw fail("--top must be between 1 and \(SliceLineOptions.maximumTop)")
        }
    }
}

/// A table read from a file, let go on another thread once analysed: unmapping a big file takes time (25 ms for the
/// 1.4 GB benchmark dump), which then overlaps the caller's next work (writing the reports) instead of preceding it.
/// The process may end first; the kernel then unmaps what is left.
private final class _LoadedTable: Sendable {
    private let held: Locked<Table?>

    init(_ table: Table) { held = Locked(table) }

    /// The table, until ``releaseElsewhere()``.
    var table: Table {
        held.withLock { table in
            guard let table else { preconditionFailure("the table was asked for after it was let go") }
            return table
        }
    }

    /// Hands the last reference to a Dispatch thread, which drops it.
    func releaseElsewhere() {
        DispatchQueue.global().async { _ = self.held.withLock { $0.take() } }
    }
}

import ColumnStore
import Kernels
import SliceSearch
import Stats

/// The "when" and "under what conditions" stage: the time (or batch) analysis with the hotspots and top slices
/// followed over time, the per-feature associations, and the joint model.
enum ConditionsStage {
    struct Output {
        var time: TimeAnalysisResult?
        var timeSlices: [SliceTimeSeries] = []
        var associations: [FeatureAssociation] = []
        var pair: PairGrid?
        var notes: [String] = []
    }

    /// The position in `binned` of the axis the time analysis runs over: the time column, or the batch column when
    /// there is none.
    static func timeAxis(_ binned: [BinnedFeature], time: String?, batch: String?) -> Int? {
        binned.firstIndex { $0.kind == .time && $0.name == time }
            ?? binned.firstIndex { $0.kind == .batch && $0.name == batch }
    }

    /// The time analysis's settings from the analysis options.
    static func timeAnalysisOptions(_ options: AnalysisOptions) -> TimeAnalysisOptions {
        var timeOptions = TimeAnalysisOptions()
        timeOptions.fdr = options.slicing.fdr
        timeOptions.baselineUntil = options.baselineUntil
        timeOptions.threads = options.threads
        return timeOptions
    }

    /// The slices followed over time: the hotspots, then the top multi-feature slices, each once.
    static func followedSlices(hotspots: [Hotspot], slices: [SliceFinding]) -> [[SliceReference]] {
        var followed: [[SliceReference]] = []
        for slice in
            hotspots.map({ [SliceReference(feature: $0.feature, identity: $0.identity)] })
            + slices.map({ $0.predicates.map { SliceReference(feature: $0.feature, identity: $0.identity) } })
        where !followed.contains(slice) {
            followed.append(slice)
        }
        return followed
    }

    /// - Parameters:
    ///   - binned: Every binned column, in analysis order (features, label, prediction, time, batch).
    ///   - keep: The analysed rows of `table` (nil: all).
    ///   - followed: The slices to follow over time (hotspots, then top slices), each a conjunction.
    ///   - binCounts: Rows and failures per code of each binned column, by name (from the 1-D slicing).
    ///   - axisCounts: Rows and failures per code of the time axis (``timeAxis(_:time:batch:)`` of `binned`), from
    ///     the 1-D slicing; counted again when nil.
    ///   - timeTables: Features' tables against the time axis, counted with the 1-D slicing.
    static func run(
        table: Table, timeColumn: String?, batchColumn: String?, binned: [BinnedFeature], keep: [Bool]?,
        outcomes: RowOutcomes, followed: [[SliceReference]], slices: [SliceFinding], options: AnalysisOptions,
        binCounts: [String: (trials: [Int], failures: [Int])] = [:],
        axisCounts: (trials: [Int], failures: [Int])? = nil, timeTables: [String: KeptTimeTable] = [:],
        progress: (@Sendable (String) -> Void)? = nil
    ) -> Output {
        var output = Output()
        // The time role first; a batch id stands in when there is no time column.
        let axis = timeAxis(binned, time: timeColumn, batch: batchColumn).map { binned[$0] }
        if let axis {
            progress?("testing time dependence over \(axis.name)")
            let timeOptions = timeAnalysisOptions(options)
            let others = binned.filter { $0.kind != .time && $0.kind != .batch }
            // One counter for both: the slice series reuse the before/after tables (see RowTimeCounter).
            let counter = RowTimeCounter(
                time: axis, failure: outcomes.failure, threads: options.threads, features: binned, tables: timeTables,
                timeCounts: axisCounts)
            let time = TimeAnalysis.analyze(time: axis, counter: counter, features: others, options: timeOptions)
            output.time = time
            output.timeSlices = TimeAnalysis.sliceSeries(
                followed, time: axis, features: binned, counter: counter, result: time)
            if options.baselineUntil != nil && time.split == nil {
                output.notes.append(
                    "--baseline-until leaves no time bucket on one side: no emerging slices or decomposition.")
            }
        }

        if axis == nil && options.baselineUntil != nil {
            output.notes.append("--baseline-until was given, but the dump has no time or batch column: it was not used.")
        }

        let features = modelledFeatures(binned)
        progress?("measuring feature associations")
        output.associations = FeatureAssociations.evaluate(
            features: features, outcomes: outcomes, threads: options.threads, counts: { binCounts[$0.name] }
        ) { feature in
            guard feature.kind == .numeric, let column = table.column(named: feature.name) else { return nil }
            return FeatureAssociations.numericValues(of: column, keep: keep)
        }

        if let pair = PairGrid.strongestPair(
            slices: slices, associations: output.associations,
            fdr: ConditionsLevel.familyLevel(fdr: options.slicing.fdr)),
            let first = binned.first(where: { $0.name == pair.first }),
            let second = binned.first(where: { $0.name == pair.second })
        {
            output.pair = PairGrid.count(
                rows: first, columns: second, failure: outcomes.failure, reason: pair.reason, threads: options.threads)
        }

        return output
    }

    /// The features the associations and the joint model take: the numeric and categorical ones.
    static func modelledFeatures(_ binned: [BinnedFeature]) -> [BinnedFeature] {
        binned.filter { $0.kind == .numeric || $0.kind == .categorical }
    }

    /// The joint model of the failures on `features` (``modelledFeatures(_:)``), or the note saying why there is
    /// none. It needs nothing from the other stages, so it may run beside them.
    /// - Parameters:
    ///   - options: ``modelOptions(_:)`` of the analysis.
    ///   - sample: ``JointModel/rowSample(rows:options:)`` for `options`, when drawn ahead.
    static func fitModel(
        features: [BinnedFeature], outcomes: RowOutcomes, options: JointModelOptions, sample: [Int]? = nil
    ) -> (model: JointModelResult?, note: String?) {
        do {
            return (try JointModel.fit(features: features, outcomes: outcomes, options: options, sample: sample), nil)
        } catch {
            return (nil, "The joint model could not be fitted (\(error)); no odds ratios are reported.")
        }
    }

    /// The joint model's options in the analysis: its seed, and the analysis's threads.
    static func modelOptions(_ options: AnalysisOptions) -> JointModelOptions {
        var modelOptions = JointModelOptions()
        modelOptions.seed = options.seed
        modelOptions.threads = options.threads
        return modelOptions
    }

    /// Puts the fitted model into `result`, after the stage's notes, and marks the associations and the model's
    /// terms at the family level of the FDR.
    static func attach(
        _ fitted: (model: JointModelResult?, note: String?), to result: inout AnalysisResult, fdr: Double
    ) {
        result.model = fitted.model
        if let note = fitted.note { result.notes.append(note) }
        ConditionsLevel.mark(associations: &result.associations, model: &result.model, fdr: fdr)
    }
}

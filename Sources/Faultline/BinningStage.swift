import ColumnStore
import Kernels
import SliceSearch

/// Bins every column of the analysis on the analysis's threads, one column per job. When the search stops at
/// single bins (`--max-level 1`), each column is also counted in its job, as soon as it is binned (its 1-D
/// statistics, and its table against the time axis), and then its codes are let go when they can be written again
/// from the mapped column (``SliceSearch/BinnedFeature/letCodesGo()``): what the later stages read of them is
/// little (a sample, a few slices' rows, a pair), so a dump's codes are never all held at once. The time axis's
/// codes are written again after the binning: the time stage reads them whole for any table the slicing did not
/// keep.
struct BinningStage {
    /// A column to bin, and what for.
    typealias Job = (column: Column, role: FeatureBinner.Role)
    /// The class ids of an integer label and prediction (``FailureOutcomes``).
    typealias ClassIdPair = (label: FeatureBinner.ClassIds, prediction: FeatureBinner.ClassIds)

    /// The binned columns, by job (nil: no value on the analysed rows), and the joint model's row sample when it was
    /// drawn beside them.
    struct Output {
        var features: [BinnedFeature?]
        /// Per job, its 1-D counts when the features were counted in their jobs (nil otherwise).
        var counted: [(groups: [GroupStats], table: PairCounts.Table?)?]?
        var sample: [Int]?
    }

    let binner: FeatureBinner
    let jobs: [Job]
    let keep: [Bool]?
    /// The analysed rows.
    let rowCount: Int
    let threads: Int
    /// Whether the joint model's sample is drawn as the last job (``JointModel/rowSample(rows:options:)``).
    let drawsSample: Bool
    let modelOptions: JointModelOptions

    /// Bins every other job's column than those of `prebinned` (``binRoles(classIds:axis:)`` without the axis):
    /// every code is kept, and the slicing counts them after.
    func bin(prebinned: [BinnedFeature?], outcomes: RowOutcomes) -> Output {
        let order = jobOrder(jobs.indices.filter { prebinned[$0] == nil })
        let failureFlags = outcomes.failure
        let results = Parallel.map(count: order.count + (drawsSample ? 1 : 0), threads: threads) {
            position -> (feature: BinnedFeature?, sample: [Int]?) in
            guard position < order.count else { return (nil, drawnSample()) }
            let (column, role) = jobs[order[position]]
            return (binner.bin(column, role: role, keep: keep, failure: failureFlags), nil)
        }
        var features = prebinned
        for (position, index) in order.enumerated() { features[index] = results[position].feature }
        return Output(features: features, counted: nil, sample: drawsSample ? results.last?.sample : nil)
    }

    /// Bins and counts every job's column. `prebinned` holds the time and batch columns (the time axis, which the
    /// features are counted against) and the label and prediction binned from their class ids
    /// (``binRoles(classIds:axis:writesFewCodes:drawsSample:)`` with the axis): they are counted first, and each
    /// other column is binned in a job that counts it
    /// (``SliceSearch/OneDimensionalSlicing/count(_:outcomes:axis:threads:gathering:)``). When `letsCodesGo`, a
    /// column's codes are let go once counted: each prebinned column's as its job ends (the jobs take them out of
    /// `prebinned`, so that no other reference holds them through the binning: at 10M rows, 40 MB less), a
    /// feature's as soon as it is counted. The time axis's codes are written again at the end (the time stage reads
    /// them whole).
    ///
    /// The axis combined with the rows' classes (two bytes a row) holds every outcome of a 0/1 loss: the failure
    /// flags and confusion cells of `outcomes` are let go while the columns are counted, the combined rows stand in
    /// for them (in the numeric features' value counts, bit 0, and in every count), and `outcomes` is written back
    /// from them at the end. At 10M rows the binning then holds 20 MB of rows where it held 40.
    /// - Parameter axisOf: the position of the time axis among the binned columns (``ConditionsStage/timeAxis``).
    /// - Parameter keepingRows: lists of rows whose codes a feature keeps when it lets the others go (the joint
    ///   model's probe and sample, ``SliceSearch/BinnedFeature/letCodesGo(keepingRows:)``).
    func binAndCount(
        prebinned: consuming [BinnedFeature?], outcomes: inout RowOutcomes, letsCodesGo: Bool, keepingRows: [[Int]],
        axisOf: ([BinnedFeature]) -> Int?
    ) -> Output {
        precondition(outcomes.count == rowCount, "one outcome per analysed row")
        let ahead = jobs.indices.filter { prebinned[$0] != nil }
        let order = ahead + jobOrder(jobs.indices.filter { prebinned[$0] == nil })
        var axisJob: Int?
        var axisClasses: OneDimensionalSlicing.AxisClasses?
        do {
            let present = prebinned.compactMap { $0 }
            let axisPosition = axisOf(present)
            axisJob = axisPosition.map { ahead[$0] }
            axisClasses = OneDimensionalSlicing.axisClasses(
                axisPosition.map { present[$0] }, outcomes: outcomes, threads: threads)
        }
        var output = countEveryColumn(
            order: order, pending: Locked(consume prebinned), axis: consume axisClasses, axisJob: axisJob,
            outcomes: &outcomes, letsCodesGo: letsCodesGo, keepingRows: keepingRows)
        // The axis combined with the classes is let go by now: the axis's codes are written again from its column
        // (not beside the combined rows and the outcomes written back from them: at 10M rows, 10 MB less at the peak).
        if let axisJob, let axisCodes = output.features[axisJob]?.codes, axisCodes.isRemade {
            output.features[axisJob]?.codes = axisCodes.materialized(threads: threads)
        }
        return output
    }

    /// The jobs of ``binAndCount(prebinned:outcomes:letsCodesGo:keepingRows:axisOf:)`` from `order` on, each taking
    /// its column out of `pending` when it was binned ahead, and `outcomes` written back from `axis` when it was let
    /// go. The axis's codes are written again from its classes when they are kept apart from the rows' classes;
    /// otherwise the caller writes them.
    private func countEveryColumn(
        order: [Int], pending: Locked<[BinnedFeature?]>, axis: consuming OneDimensionalSlicing.AxisClasses?,
        axisJob: Int?, outcomes: inout RowOutcomes, letsCodesGo: Bool, keepingRows: [[Int]]
    ) -> Output {
        let axis = axis
        // The outcomes the jobs read: none beside the axis combined with the classes, which hold all of them.
        let combined = axis?.classes.combinedRows
        let jobOutcomes: RowOutcomes? = combined == nil ? outcomes : nil
        if combined != nil { outcomes = RowOutcomes(failure: [], loss: nil, signedError: nil, confusion: nil) }
        // Codes that are let go once counted need not be written whole first: they are written a block at a time
        // as they are counted.
        var blockBinner = binner
        blockBinner.writesCodes = false
        let results = Parallel.map(count: order.count, threads: threads) {
            position -> (feature: BinnedFeature?, counted: (groups: [GroupStats], table: PairCounts.Table?)?) in
            let index = order[position]
            let (column, role) = jobs[index]
            // The axis's codes are written again; without its classes, it keeps them.
            let letsGo = letsCodesGo && (index != axisJob || axis != nil)
            let jobBinner = letsGo ? blockBinner : binner
            let taken = pending.withLock { features -> BinnedFeature? in
                let feature = features[index]
                features[index] = nil
                return feature
            }
            let binned: BinnedFeature? =
                if let taken {
                    taken
                } else if let jobOutcomes {
                    jobBinner.bin(column, role: role, keep: keep, failure: jobOutcomes.failure)
                } else if let combined {
                    jobBinner.bin(column, role: role, keep: keep, failureBits: combined, mask: 1)
                } else {
                    preconditionFailure("neither outcomes nor an axis")
                }
            guard var feature = binned else { return (nil, nil) }
            let modelled = role == .feature && (feature.kind == .numeric || feature.kind == .categorical)
            let kept = letsGo && modelled ? keepingRows : []
            let counted =
                if let jobOutcomes {
                    OneDimensionalSlicing.count(
                        feature, outcomes: jobOutcomes, axis: axis, threads: 1, gathering: kept)
                } else if let axis {
                    OneDimensionalSlicing.count(feature, axis: axis, threads: 1, gathering: kept)
                } else {
                    preconditionFailure("neither outcomes nor an axis")
                }
            if letsGo { feature.letCodesGo(keepingRows: kept, gathered: counted.gathered) }
            return (feature, (counted.groups, counted.table))
        }
        var features = [BinnedFeature?](repeating: nil, count: jobs.count)
        var counts = [(groups: [GroupStats], table: PairCounts.Table?)?](repeating: nil, count: jobs.count)
        for (position, index) in order.enumerated() {
            features[index] = results[position].feature
            counts[index] = results[position].counted
        }
        if let axis {
            if combined != nil {
                outcomes = axis.classes.outcomes(threads: threads)
            } else if let axisJob, let axisCodes = features[axisJob].map(\.codes), axisCodes.isRemade {
                features[axisJob]?.codes = axis.classes.columnCodes(narrow: axisCodes.isNarrow)
            }
        }
        return Output(features: features, counted: counts, sample: nil)
    }

    /// The label and prediction binned from their class ids, and with `axis` the time and batch columns, in small
    /// parallel maps of their own, before the other columns. The ids are let go as soon as the label and prediction
    /// are binned, before the time and batch columns are (one or four bytes a row each: at 10M rows and one byte,
    /// the time axis's codes are written while 20 MB fewer are held). Nil for the other jobs, and for a role column
    /// its class ids cannot bin.
    /// With `drawsSample`, the joint model's row sample is drawn as one more job, and returned.
    /// With `writesFewCodes` (their codes are let go once counted, ``binAndCount``), the columns are binned without
    /// writing their codes, which are written a block at a time as they are counted: at 10M rows, 40 MB less held.
    /// The time axis's blocks are written into the axis combined with the rows' classes, and its codes whole once
    /// the binning ends.
    func binRoles(
        classIds: consuming ClassIdPair?, axis: Bool, writesFewCodes: Bool = false, drawsSample: Bool = false
    ) -> (features: [BinnedFeature?], sample: [Int]?) {
        var binned = [BinnedFeature?](repeating: nil, count: jobs.count)
        let fromIds = classIds == nil ? [] : jobs.indices.filter { [.label, .prediction].contains(jobs[$0].role) }
        let axisJobs = axis ? jobs.indices.filter { [.time, .batch].contains(jobs[$0].role) } : []
        var blockBinner = binner
        blockBinner.writesCodes = false
        let writingBinner = writesFewCodes ? blockBinner : binner
        var sample: [Int]?
        if let ids = classIds, !fromIds.isEmpty || drawsSample {
            let results = Parallel.map(count: fromIds.count + (drawsSample ? 1 : 0), threads: threads) {
                position -> (feature: BinnedFeature?, sample: [Int]?) in
                guard position < fromIds.count else { return (nil, drawnSample()) }
                let (column, role) = jobs[fromIds[position]]
                // Nil is left to the main jobs (which count it too).
                let roleIds = role == .label ? ids.label : ids.prediction
                return (writingBinner.bin(column, role: role, classIds: roleIds), nil)
            }
            for (index, result) in zip(fromIds, results) { binned[index] = result.feature }
            if drawsSample { sample = results.last?.sample }
        }
        classIds = nil
        let drawsNow = drawsSample && fromIds.isEmpty
        guard !axisJobs.isEmpty || drawsNow else { return (binned, sample) }
        let results = Parallel.map(count: axisJobs.count + (drawsNow ? 1 : 0), threads: threads) {
            position -> (feature: BinnedFeature?, sample: [Int]?) in
            guard position < axisJobs.count else { return (nil, drawnSample()) }
            let (column, role) = jobs[axisJobs[position]]
            // A role column is not binned against the failures (only features are).
            return (writingBinner.bin(column, role: role, keep: keep), nil)
        }
        for (index, result) in zip(axisJobs, results) { binned[index] = result.feature }
        if drawsNow { sample = results.last?.sample }
        return (binned, sample)
    }

    /// The jobs in the order they are handed out: numeric features first, each followed by a cheaper column, so the
    /// long value counts start early (none is left to run alone at the end), and a worker's cache-sized hash table
    /// mostly runs beside the other worker's streaming pass instead of a second table (binning 0.79 -> 0.74 s,
    /// medians of 6 at 10M rows).
    private func jobOrder(_ indices: [Int]) -> [Int] {
        let isNumeric: (Int) -> Bool = { index in
            guard jobs[index].role == .feature else { return false }
            switch jobs[index].column.values {
            case .float64, .int64: return true
            default: return false
            }
        }
        let numeric = indices.filter(isNumeric)
        let other = indices.filter { !isNumeric($0) }
        var order: [Int] = []
        for index in 0..<max(numeric.count, other.count) {
            if index < numeric.count { order.append(numeric[index]) }
            if index < other.count { order.append(other[index]) }
        }
        return order
    }

    private func drawnSample() -> [Int] { JointModel.rowSample(rows: rowCount, options: modelOptions) }
}

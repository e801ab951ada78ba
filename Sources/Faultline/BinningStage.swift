import ColumnStore
import Kernels
import SliceSearch

/// Bins every column of the analysis on the analysis's threads, one column per job. When the search stops at
/// single bins (`--max-level 1`), each column is also counted in its job, as soon as it is binned (its 1-D
/// statistics, and its table against the time axis), and then its codes are let go when they can be written again
/// from the mapped column (``SliceSearch/BinnedFeature/letCodesGo()``): what the later stages read of them is
/// little (a sample, a few slices' rows, a pair), so a dump's codes are never all held at once. So are the time
/// axis's: the time stage writes them whole, once, only when the slicing did not keep a table it needs
/// (``SliceSearch/RowTimeCounter``).
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
    /// The analysed rows, when rows are left out.
    let kept: KeptRows?
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
            return (binner.bin(column, role: role, kept: kept, failure: failureFlags), nil)
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
    /// feature's as soon as it is counted; the time axis's too, once the features were counted against it.
    ///
    /// The axis combined with the rows' classes holds every outcome of a 0/1 loss: every column is counted from it,
    /// the confusion cells of `outcomes` are let go while the columns are counted, and they are written back from it
    /// at the end (at 10M rows, 10 MB less held through the binning). It takes two bytes a row, or, when the axis's
    /// codes never decrease (a dump in time order), its runs and a byte a row of classes, none without confusion
    /// cells (``Kernels/PairCounts/ColumnClasses``). The failure flags stay: the numeric features' value counts read
    /// them at one byte a row (bit 0 of the combined rows, at two, made the binning 6% slower).
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
        return countEveryColumn(
            order: order, pending: Locked(consume prebinned), axis: consume axisClasses, axisJob: axisJob,
            outcomes: &outcomes, letsCodesGo: letsCodesGo, keepingRows: keepingRows)
    }

    /// The jobs of ``binAndCount(prebinned:outcomes:letsCodesGo:keepingRows:axisOf:)`` from `order` on, each taking
    /// its column out of `pending` when it was binned ahead, and the confusion cells of `outcomes` written back
    /// from `axis` when they were let go. The axis's codes are written again from its classes when they are kept
    /// apart from the rows' classes; otherwise they stay with its recipe, like every other column's.
    private func countEveryColumn(
        order: [Int], pending: Locked<[BinnedFeature?]>, axis: consuming OneDimensionalSlicing.AxisClasses?,
        axisJob: Int?, outcomes: inout RowOutcomes, letsCodesGo: Bool, keepingRows: [[Int]]
    ) -> Output {
        let axis = axis
        // With the axis combined with the classes, the jobs count from those, and the confusion cells are let go;
        // the failure flags stay for the numeric features' value counts (read at one byte a row, not two).
        // Under another loss, or with regression errors, the jobs read the outcomes' floating values too.
        let zeroOneLoss = !outcomes.hasLoss && !outcomes.hasErrors
        let combined = axis?.classes.holdsColumnCodes ?? false
        let letsCellsGo = combined && zeroOneLoss && outcomes.confusion != nil
        let jobOutcomes: RowOutcomes? = combined && zeroOneLoss ? nil : outcomes
        let failureFlags = outcomes.failure
        if letsCellsGo { outcomes = RowOutcomes(failure: failureFlags, loss: nil, signedError: nil, confusion: nil) }
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
            guard var feature = taken ?? jobBinner.bin(column, role: role, kept: kept, failure: failureFlags)
            else { return (nil, nil) }
            let modelled = role == .feature && (feature.kind == .numeric || feature.kind == .categorical)
            let remembered = letsGo && modelled ? keepingRows : []
            let counted =
                if let jobOutcomes {
                    OneDimensionalSlicing.count(
                        feature, outcomes: jobOutcomes, axis: axis, threads: 1, gathering: remembered)
                } else if let axis {
                    OneDimensionalSlicing.count(feature, axis: axis, threads: 1, gathering: remembered)
                } else {
                    preconditionFailure("neither outcomes nor an axis")
                }
            if letsGo { feature.letCodesGo(keepingRows: remembered, gathered: counted.gathered) }
            return (feature, (counted.groups, counted.table))
        }
        var features = [BinnedFeature?](repeating: nil, count: jobs.count)
        var counts = [(groups: [GroupStats], table: PairCounts.Table?)?](repeating: nil, count: jobs.count)
        for (position, index) in order.enumerated() {
            features[index] = results[position].feature
            counts[index] = results[position].counted
        }
        if let axis {
            if letsCellsGo {
                outcomes = RowOutcomes(
                    failure: failureFlags, loss: nil, signedError: nil,
                    confusion: axis.classes.confusionCells(threads: threads))
            }
            if !combined, let axisJob, let axisCodes = features[axisJob].map(\.codes), axisCodes.isRemade {
                features[axisJob]?.codes = axis.classes.columnCodes(narrow: axisCodes.isNarrow)
            }
        }
        return Output(features: features, counted: counts, sample: nil)
    }

    /// The label and prediction binned from their class ids, and with `axis` the time and batch columns, in a small
    /// parallel map of their own, before the other columns: the caller then lets the ids go (one or four bytes a row
    /// each; at four, peak memory at 10M rows 30 MB lower). Nil for the other jobs, and for a role column its class
    /// ids cannot bin.
    /// With `drawsSample`, the joint model's row sample is drawn as one more job, and returned.
    /// With `writesFewCodes` (their codes are let go once counted, ``binAndCount``), the columns are binned without
    /// writing their codes, which are written a block at a time as they are counted: at 10M rows, 40 MB less held.
    /// The time axis's blocks are written into the axis combined with the rows' classes, or read for its runs.
    func binRoles(
        classIds: ClassIdPair?, axis: Bool, writesFewCodes: Bool = false, drawsSample: Bool = false
    ) -> (features: [BinnedFeature?], sample: [Int]?) {
        var binned = [BinnedFeature?](repeating: nil, count: jobs.count)
        let fromIds = classIds == nil ? [] : jobs.indices.filter { [.label, .prediction].contains(jobs[$0].role) }
        let axisJobs = axis ? jobs.indices.filter { [.time, .batch].contains(jobs[$0].role) } : []
        var blockBinner = binner
        blockBinner.writesCodes = false
        let writingBinner = writesFewCodes ? blockBinner : binner
        // One map for every role column (a second one, so that the ids went before the time axis was binned, cost
        // 10% more CPU in thread hand-overs at 10M rows; without its codes written, the axis costs little memory).
        let roleJobs = fromIds + axisJobs
        guard !roleJobs.isEmpty || drawsSample else { return (binned, nil) }
        let ids = classIds
        let results = Parallel.map(count: roleJobs.count + (drawsSample ? 1 : 0), threads: threads) {
            position -> (feature: BinnedFeature?, sample: [Int]?) in
            guard position < roleJobs.count else { return (nil, drawnSample()) }
            let (column, role) = jobs[roleJobs[position]]
            if let ids, role == .label || role == .prediction {
                // Nil is left to the main jobs (which count it too).
                let roleIds = role == .label ? ids.label : ids.prediction
                return (writingBinner.bin(column, role: role, classIds: roleIds), nil)
            }
            // A role column is not binned against the failures (only features are).
            return (writingBinner.bin(column, role: role, kept: kept), nil)
        }
        for (index, result) in zip(roleJobs, results) { binned[index] = result.feature }
        return (binned, drawsSample ? results.last?.sample : nil)
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

import Kernels
import Stats

/// Every 1-D slice of every binned column, with statistics, q-values and hotspots.
///
/// The multiple-testing family is every non-empty 1-D bin of every sliced column (features, labels,
/// predictions, time buckets, batches); Benjamini-Hochberg controls the false discovery rate over it.
public enum OneDimensionalSlicing {
    /// The result of slicing.
    public struct Outcome: Sendable {
        public var total: GroupStats
        public var features: [FeatureSlices]
        public var hotspots: [Hotspot]
    }

    /// Aggregates and tests every bin of `features`.
    /// - Complexity: one group-by pass over the rows per feature.
    public static func evaluate(
        features: [BinnedFeature], outcomes: RowOutcomes, options: SlicingOptions, regression: Bool, binary: Bool
    ) -> Outcome {
        evaluate(
            features: features, outcomes: outcomes, options: options, regression: regression, binary: binary,
            timeAxis: nil
        ).outcome
    }

    /// As ``evaluate(features:outcomes:options:regression:binary:)``, with the columns the time analysis compares
    /// before and after a split or follows over time (all but the time column) counted against `timeAxis`'s bins in
    /// the same pass, when the loss is the 0/1 failure indicator: each bin's statistics are the sums of its row of the
    /// table (``Kernels/PairCounts/ClassTable/groupStats()``, which splits the rows by confusion cell too), and the
    /// tables are returned for the time analysis (``RowTimeCounter``), which then makes no pass over the rows for them
    /// (neither for its before/after counts nor for the series of one-bin slices). Each row adds one to one counter
    /// either way, so the tables cost the slicing about what its group-by did.
    ///
    /// Tables too big to keep (``RowTimeCounter/maximumTableCells``, ``RowTimeCounter/maximumTotalCells``) are
    /// left to ``Kernels/GroupBy``, as is every feature under another loss. While counted, a table takes 32 bytes a
    /// cell per row segment (8 counters of 4 bytes; twice that for small tables), and 64 bytes a cell in total;
    /// it is kept at 16.
    public static func evaluate(
        features: [BinnedFeature], outcomes: RowOutcomes, options: SlicingOptions, regression: Bool, binary: Bool,
        timeAxis: BinnedFeature?
    ) -> (outcome: Outcome, timeTables: [String: KeptTimeTable]) {
        let againstTime = timeTableFeatures(features, outcomes: outcomes, timeAxis: timeAxis)
        var groups = [[GroupStats]?](repeating: nil, count: features.count)
        var timeTables: [String: KeptTimeTable] = [:]
        if let timeAxis, !againstTime.isEmpty {
            let counted = PairCounts.countAgainst(
                features: againstTime.map { features[$0].codes },
                codeCounts: againstTime.map { max(1, features[$0].identities.count) }, column: timeAxis.codes,
                columnCount: max(1, timeAxis.identities.count), failure: outcomes.failure,
                confusion: outcomes.confusion, threads: options.threads)
            for (index, table) in zip(againstTime, counted) {
                groups[index] = table.groupStats()
                timeTables[features[index].name] = KeptTimeTable(feature: features[index], table: table.table)
            }
        }
        let total = GroupBy.total(outcomes: outcomes, threads: options.threads)
        let grouped = features.indices.map { index in
            groups[index]
                ?? GroupBy.aggregate(
                    codes: features[index].codes, groupCount: max(1, features[index].identities.count),
                    outcomes: outcomes, threads: options.threads)
        }
        let outcome = assemble(
            features: features, groups: grouped, total: total, options: options, regression: regression, binary: binary)
        return (outcome, timeTables)
    }

    /// The time axis as features are counted against it one at a time
    /// (``count(_:outcomes:axis:threads:gathering:)``): its name, and its codes combined with the rows' classes once
    /// for all of them.
    public struct AxisClasses: Sendable {
        public let name: String
        public let classes: PairCounts.ColumnClasses
    }

    /// The classes of `timeAxis` for ``count(_:outcomes:axis:threads:gathering:)``, or nil when there is no axis.
    /// Under another loss than the 0/1 failure indicator, or with regression errors, the features counted against it
    /// take their floating sums from the outcomes too (unlike
    /// ``evaluate(features:outcomes:options:regression:binary:timeAxis:)``, which counts them all by
    /// ``Kernels/GroupBy`` then).
    public static func axisClasses(_ timeAxis: BinnedFeature?, outcomes: RowOutcomes, threads: Int) -> AxisClasses? {
        guard let timeAxis, timeAxis.codes.count == outcomes.count else { return nil }
        return AxisClasses(
            name: timeAxis.name,
            classes: PairCounts.ColumnClasses(
                column: timeAxis.codes, columnCount: max(1, timeAxis.identities.count), failure: outcomes.failure,
                confusion: outcomes.confusion, threads: threads))
    }

    /// One feature's per-bin statistics, counted as soon as it is binned (so that its codes may be let go): from its
    /// table against the time axis when it may have one (returned too), else by ``Kernels/GroupBy``. The same
    /// statistics as ``evaluate(features:outcomes:options:regression:binary:timeAxis:)``'s, which counts every
    /// feature at once; ``assemble(features:counted:total:options:regression:binary:)`` keeps the tables that fit
    /// the time analysis's budget.
    /// The table is returned as rows and failures per cell (16 bytes a cell, a quarter of the counters by class):
    /// every eligible feature's is held until the budget is applied.
    ///
    /// Codes not written yet (``FeatureBinner/writesCodes``) are written a block at a time as they are counted,
    /// when their recipe can, on one thread; the codes of each ascending list of `gathering` are then picked from
    /// the blocks and returned (nil when the codes were read whole: ``BinnedFeature/letCodesGo(keepingRows:gathered:)``
    /// gathers them itself).
    public static func count(
        _ feature: BinnedFeature, outcomes: RowOutcomes, axis: AxisClasses?, threads: Int, gathering: [[Int]] = []
    ) -> (groups: [GroupStats], table: PairCounts.Table?, gathered: [BinCodes]?) {
        count(feature, outcomes: .some(outcomes), axis: axis, threads: threads, gathering: gathering)
    }

    /// ``count(_:outcomes:axis:threads:gathering:)`` with no other outcomes than the axis's row classes: a feature
    /// without a table is counted from them (``Kernels/GroupBy/aggregate(codes:groupCount:classes:threads:)``, the
    /// same statistics), so that the failure flags and confusion cells need not be held while the binning counts.
    public static func count(
        _ feature: BinnedFeature, axis: AxisClasses, threads: Int, gathering: [[Int]] = []
    ) -> (groups: [GroupStats], table: PairCounts.Table?, gathered: [BinCodes]?) {
        count(feature, outcomes: nil, axis: axis, threads: threads, gathering: gathering)
    }

    private static func count(
        _ feature: BinnedFeature, outcomes: RowOutcomes?, axis: AxisClasses?, threads: Int, gathering: [[Int]]
    ) -> (groups: [GroupStats], table: PairCounts.Table?, gathered: [BinCodes]?) {
        guard let rows = outcomes?.count ?? axis?.classes.rowCount else {
            preconditionFailure("counted against neither outcomes nor an axis")
        }
        let codeCount = max(1, feature.identities.count)
        // Under another loss than the 0/1 failure indicator, or with regression errors, a table's counts take their
        // floating sums from the same blocks (``Kernels/GroupBy/LossSums``).
        let floatOutcomes = outcomes.flatMap { $0.hasLoss || $0.hasErrors ? $0 : nil }
        if floatOutcomes == nil, let axis, feature.name == axis.name, codeCount == axis.classes.columnCount,
            axis.classes.rowCount == rows, gathering.allSatisfy(\.isEmpty)
        {
            // The axis itself: its statistics are those of its classes, whose rows hold its codes.
            return (GroupBy.aggregate(columnOf: axis.classes, threads: threads), nil, nil)
        }
        let hasTable =
            axis.map { mayHaveTable(feature, axis: $0.name, axisCodes: $0.classes.columnCount, rows: rows) } ?? false
        if threads == 1, feature.codes.isRemade, let recipe = feature.recipe, recipe.writesBlocks,
            gathering.allSatisfy(BinCodes.Gathering.isAscending)
        {
            var gatherings = gathering.map { BinCodes.Gathering(rows: $0, isNarrow: recipe.isNarrow) }
            let eachBlock = { (rows: Range<Int>, codes: BinCodes) in
                for index in gatherings.indices { gatherings[index].add(codes, rows: rows) }
            }
            if let axis, hasTable {
                var sums = floatOutcomes.map { GroupBy.LossSums(groupCount: codeCount, outcomes: $0) }
                if let table = PairCounts.countAgainst(
                    blocksOf: recipe, codeCount: codeCount, classes: axis.classes,
                    eachBlock: { rows, codes in
                        eachBlock(rows, codes)
                        sums?.add(codes, rows: rows)
                    })
                {
                    let groups = table.groupStats()
                    return (sums?.applied(to: groups) ?? groups, table.table, gatherings.map(\.codes))
                }
            } else if let outcomes {
                let groups = GroupBy.aggregate(
                    blocksOf: recipe, groupCount: codeCount, outcomes: outcomes, eachBlock: eachBlock)
                return (groups, nil, gatherings.map(\.codes))
            } else if let axis {
                let groups = GroupBy.aggregate(
                    blocksOf: recipe, groupCount: codeCount, classes: axis.classes, eachBlock: eachBlock)
                return (groups, nil, gatherings.map(\.codes))
            }
        }
        if let axis, hasTable {
            let table = PairCounts.countAgainst(
                features: [feature.codes], codeCounts: [codeCount], classes: axis.classes, threads: threads)[0]
            guard let floatOutcomes else { return (table.groupStats(), table.table, nil) }
            var sums = GroupBy.LossSums(groupCount: codeCount, outcomes: floatOutcomes)
            sums.add(column: feature.codes)
            return (sums.applied(to: table.groupStats()), table.table, nil)
        }
        if let outcomes {
            let groups = GroupBy.aggregate(
                codes: feature.codes, groupCount: codeCount, outcomes: outcomes, threads: threads)
            return (groups, nil, nil)
        }
        guard let axis else { preconditionFailure("counted against neither outcomes nor an axis") }
        let groups = GroupBy.aggregate(
            codes: feature.codes, groupCount: codeCount, classes: axis.classes, threads: threads)
        return (groups, nil, nil)
    }

    /// The slicing's outcome from features counted one at a time (``count(_:outcomes:axis:threads:gathering:)``, in
    /// the order of `features`), and their tables against the time axis, kept first to last while they fit the time
    /// analysis's total budget (``RowTimeCounter/maximumTotalCells``), as
    /// ``evaluate(features:outcomes:options:regression:binary:timeAxis:)`` keeps them.
    public static func assemble(
        features: [BinnedFeature], counted: [(groups: [GroupStats], table: PairCounts.Table?)],
        total: GroupStats, options: SlicingOptions, regression: Bool, binary: Bool
    ) -> (outcome: Outcome, timeTables: [String: KeptTimeTable]) {
        precondition(features.count == counted.count, "one count per feature")
        var timeTables: [String: KeptTimeTable] = [:]
        var cells = 0
        for (feature, count) in zip(features, counted) {
            guard let table = count.table,
                cells + table.firstCount * table.secondCount <= RowTimeCounter.maximumTotalCells
            else { continue }
            cells += table.firstCount * table.secondCount
            timeTables[feature.name] = KeptTimeTable(feature: feature, table: table)
        }
        let outcome = assemble(
            features: features, groups: counted.map(\.groups), total: total, options: options, regression: regression,
            binary: binary)
        return (outcome, timeTables)
    }

    /// The positions of the features counted against the time axis: under a 0/1 loss, every column but the time
    /// column (and the axis), first to last while their tables fit the time analysis's budget. The batch, label and
    /// prediction columns are among them: counted this way instead of by ``Kernels/GroupBy``, at about the same
    /// cost, their tables are there for the slice series of their bins (a batch's bins were counted again there).
    static func timeTableFeatures(
        _ features: [BinnedFeature], outcomes: RowOutcomes, timeAxis: BinnedFeature?
    ) -> [Int] {
        guard let timeAxis, !outcomes.hasLoss, !outcomes.hasErrors, timeAxis.codes.count == outcomes.count
        else { return [] }
        let timeCodes = max(1, timeAxis.identities.count)
        var cells = 0
        return features.indices.filter { index in
            let feature = features[index]
            let featureCells = max(1, feature.identities.count) * timeCodes
            guard mayHaveTable(feature, axis: timeAxis.name, axisCodes: timeCodes, rows: outcomes.count),
                cells + featureCells <= RowTimeCounter.maximumTotalCells
            else { return false }
            cells += featureCells
            return true
        }
    }

    /// Whether `feature` is counted against the time axis (`axis` its name, `axisCodes` its codes) on its own: not
    /// a time column nor the axis, a code per row, and a table within ``RowTimeCounter/maximumTableCells``. The
    /// total budget is applied over the features in order.
    static func mayHaveTable(_ feature: BinnedFeature, axis: String, axisCodes: Int, rows: Int) -> Bool {
        feature.kind != .time && feature.name != axis && feature.codes.count == rows
            && max(1, feature.identities.count) * axisCodes <= RowTimeCounter.maximumTableCells
    }

    /// Tests every bin from its sufficient statistics, counted elsewhere (`groups[f][code]`, e.g. by a SQL engine).
    /// - Precondition: `groups[f]` has one entry per identity of `features[f]` (or one, for a feature without any).
    public static func assemble(
        features: [BinnedFeature], groups: [[GroupStats]], total: GroupStats, options: SlicingOptions,
        regression: Bool, binary: Bool
    ) -> Outcome {
        var slices: [FeatureSlices] = zip(features, groups).map { feature, groups in
            let bins = feature.identities.enumerated().map { code, identity in
                FeatureBin(
                    identity: identity,
                    statistics: .make(slice: groups[code], total: total, regression: regression, binary: binary))
            }
            return FeatureSlices(
                name: feature.name, kind: feature.kind, columnType: feature.columnType, binning: feature.binning,
                edges: feature.edges, timeBucket: feature.timeBucket?.rawValue, bins: bins)
        }
        applyFalseDiscoveryControl(&slices)
        let hotspots = selectHotspots(slices, options: options, rows: total.rows)
        return Outcome(total: total, features: slices, hotspots: hotspots)
    }

    /// Fills every bin's q-value from the p-values of the whole family.
    static func applyFalseDiscoveryControl(_ slices: inout [FeatureSlices]) {
        var pValues: [Double] = []
        for feature in slices { for bin in feature.bins { pValues.append(bin.statistics.pValue) } }
        let qValues = MultipleTesting.benjaminiHochberg(pValues)
        var index = 0
        for featureIndex in slices.indices {
            for binIndex in slices[featureIndex].bins.indices {
                slices[featureIndex].bins[binIndex].statistics.qValue = qValues[index]
                index += 1
            }
        }
    }

    /// Bins with q < fdr, lift >= minLift and n >= the minimum support, highest lift first
    /// (ties: larger slice, then feature name, then bin label).
    static func selectHotspots(_ slices: [FeatureSlices], options: SlicingOptions, rows: Int) -> [Hotspot] {
        let support = options.minimumSupport(rows: rows)
        var hotspots: [Hotspot] = []
        for feature in slices {
            for bin in feature.bins {
                let statistics = bin.statistics
                guard statistics.qValue < options.fdr, statistics.lift >= options.minLift, statistics.n >= support
                else { continue }
                hotspots.append(
                    Hotspot(feature: feature.name, kind: feature.kind, identity: bin.identity, statistics: statistics))
            }
        }
        hotspots.sort { a, b in
            if a.statistics.lift != b.statistics.lift { return a.statistics.lift > b.statistics.lift }
            if a.statistics.n != b.statistics.n { return a.statistics.n > b.statistics.n }
            if a.feature != b.feature { return a.feature < b.feature }
            return a.identity.label < b.identity.label
        }
        return hotspots
    }
}

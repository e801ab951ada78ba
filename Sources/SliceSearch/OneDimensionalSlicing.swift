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
        let total = GroupBy.total(outcomes: outcomes, threads: options.threads)
        let groups = features.map { feature in
            GroupBy.aggregate(
                codes: feature.codes, groupCount: max(1, feature.identities.count), outcomes: outcomes,
                threads: options.threads)
        }
        return assemble(
            features: features, groups: groups, total: total, options: options, regression: regression, binary: binary)
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

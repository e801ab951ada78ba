import Benchmark
import ColumnStore
import Ingest
import Kernels

/// The kernels' throughput on seeded in-memory columns: 1-D group-by, quantile selection and bin assignment,
/// one-hot bitmaps and their pairwise intersections (the search's level 2), the AUC's rank sums, distinct counts
/// and per-value codes.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 50)
    for rows in [64_000, 1_000_000] {
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let codes = (0..<rows).map { _ in UInt16(next() % 11) }
        let failure = (0..<rows).map { _ in UInt8(next() % 10 == 0 ? 1 : 0) }
        let values = (0..<rows).map { _ in Double(next() % 1_000_000) / 1000 }
        let narrowCodes = codes.map { UInt8($0) }
        let wideCodes = (0..<rows).map { _ in UInt8(next() % 200) }
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        for threads in [1, 2] {
            Benchmark("GroupBy.aggregate UInt16 codes \(rows / 1000)k threads \(threads)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(GroupBy.aggregate(codes: codes, groupCount: 11, outcomes: outcomes, threads: threads))
                }
            }
            Benchmark("GroupBy.aggregate UInt8 codes \(rows / 1000)k threads \(threads)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(GroupBy.aggregate(codes: narrowCodes, groupCount: 11, outcomes: outcomes, threads: threads))
                }
            }
            Benchmark("PairCounts.count 11 x 200 UInt8 codes \(rows / 1000)k threads \(threads)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        PairCounts.count(
                            first: narrowCodes, firstCount: 11, second: wideCodes, secondCount: 200, failure: failure,
                            threads: threads))
                }
            }
        }
        Benchmark("Binning.quantileEdges(selecting)+assign 10 bins \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                var scratch = values
                let edges = Binning.quantileEdges(selectingFrom: &scratch, bins: 10)
                blackHole(Binning.assign(values: ColumnBuffer(values), validity: nil, edges: edges, missingCode: 10))
            }
        }
        // A numeric feature's codes written whole and then counted, against written a block at a time as they are
        // counted (what the analysis does with codes it lets go).
        let edges = Binning.quantileEdges(sortedValues: values.sorted(), bins: 10)
        let column = ColumnBuffer(values)
        let recipe = CodeRecipe(
            count: rows, isNarrow: true,
            all: { BinCodes(Binning.assign(values: column, validity: nil, edges: edges, missingCode: UInt8(10))) },
            block: {
                BinCodes(Binning.assign(values: column, validity: nil, edges: edges, missingCode: UInt8(10), rows: $0))
            }
        ) { _ in 0 }
        Benchmark("Binning.assign then GroupBy.aggregate, whole codes \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(GroupBy.aggregate(codes: recipe.all(), groupCount: 11, outcomes: outcomes, threads: 1))
            }
        }
        Benchmark("Binning.assign then GroupBy.aggregate, blocks of a recipe \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(GroupBy.aggregate(blocksOf: recipe, groupCount: 11, outcomes: outcomes))
            }
        }
        // A pair whose first feature's codes were let go: written whole and counted, against written a block at a
        // time as they are counted (the report's pair grid).
        let kept = BinCodes(wideCodes)
        for threads in [1, 2] {
            Benchmark("PairCounts.count 11 x 200, whole codes of a recipe \(rows / 1000)k threads \(threads)") {
                benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        PairCounts.count(
                            first: recipe.all(), firstCount: 11, second: kept, secondCount: 200, failure: failure,
                            threads: threads))
                }
            }
            Benchmark("PairCounts.count 11 x 200, blocks of a recipe \(rows / 1000)k threads \(threads)") {
                benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        PairCounts.count(
                            blocksOf: BinCodes(remadeBy: recipe), firstCount: 11, second: kept, secondCount: 200,
                            failure: failure, threads: threads))
                }
            }
        }
        Benchmark("OrderStatistics.select 22 ranks \(rows / 1000)k") { benchmark in
            let ranks = Quantiles.qcutProbabilities(bins: 10).flatMap { probability -> [Int] in
                let position = Quantiles.position(count: rows, q: probability)
                return [position.lower, position.upper]
            }
            for _ in benchmark.scaledIterations {
                var scratch = values
                blackHole(OrderStatistics.select(&scratch, ranks: ranks))
            }
        }
        // 16 features of 11 codes: 176 one-hot columns, and every pair of columns of distinct features.
        let features = (0..<16).map { feature in (0..<rows).map { _ in UInt16(next() % UInt64(6 + feature % 6)) } }
        let domains = (0..<16).map { 6 + $0 % 6 }
        var offsets: [Int32] = []
        var columnCount: Int32 = 0
        for domain in domains {
            offsets.append(columnCount)
            columnCount += Int32(domain)
        }
        let columnOf = domains.indices.map { feature in (0..<domains[feature]).map { offsets[feature] + Int32($0) } }
        Benchmark("RowBitmaps.oneHot 16 features \(rows / 1000)k threads 2") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    RowBitmaps.oneHot(
                        codes: features, columnOf: columnOf, columnCount: Int(columnCount), rowOrder: nil, threads: 2))
            }
        }
        let bitmaps = RowBitmaps.oneHot(
            codes: features, columnOf: columnOf, columnCount: Int(columnCount), rowOrder: nil, threads: 2)
        var pairs: [Int32] = []
        for first in 0..<16 {
            for second in (first + 1)..<16 {
                for a in columnOf[first] { for b in columnOf[second] { pairs += [a, b] } }
            }
        }
        Benchmark("BitmapIntersection.evaluate \(pairs.count / 2) pairs \(rows / 1000)k threads 2") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    BitmapIntersection.evaluate(
                        bitmaps, columns: pairs, arity: 2, markedRows: rows / 10, values: nil, threads: 2))
            }
        }
        Benchmark("RankSums.of (AUC ranks) \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(RankSums.of(values: values, outcome: failure))
            }
        }
        // The AUC's ranks of a column whose values repeat (1,000 distinct): counted per value, not radix-sorted.
        let repeated = values.map { $0.rounded(.down) }  // values are in [0, 1000)
        Benchmark("RankSums.of 1,000 distinct values (tie groups) \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(RankSums.of(values: repeated, outcome: failure))
            }
        }
        // A numeric feature's value counts, what its quantile edges, AUC and point-biserial r come from, read in
        // place from a column buffer: 1,000 whole numbers (the decimal grid), 1,000 values off any decimal grid
        // (one hash table), and nearly all distinct (the radix sort).
        let repeatedColumn = ColumnBuffer(repeated)
        let offGridColumn = ColumnBuffer(repeated.map { $0 + 1.0 / 3 })
        let spreadColumn = ColumnBuffer(values)
        Benchmark("ValueCounts.of 1,000 distinct values \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ValueCounts.of(values: repeatedColumn, validity: nil, outcome: failure))
            }
        }
        Benchmark("ValueCounts.of 1,000 distinct values off a decimal grid \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ValueCounts.of(values: offGridColumn, validity: nil, outcome: failure))
            }
        }
        Benchmark("ValueCounts.of spread values \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ValueCounts.of(values: spreadColumn, validity: nil, outcome: failure))
            }
        }
        // A string column's dictionary codes (50 entries): counted eight rows ahead, then remapped.
        let dictionaryCodes = ColumnBuffer(codes.map { UInt32($0) * 4 + UInt32(next() % 4) })
        let remapTable = (0..<50).map { UInt16(49 - $0) }
        Benchmark("CategoryCodes.counts+remap 50 entries \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(CategoryCodes.counts(codes: dictionaryCodes, validity: nil, entries: 50))
                blackHole(
                    CategoryCodes.remap(codes: dictionaryCodes, validity: nil, table: remapTable, missingCode: 50))
            }
        }
        // The same column when every entry is a bin: remapped and counted in one pass.
        Benchmark("CategoryCodes.remapCounting 50 entries \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    CategoryCodes.remapCounting(
                        codes: dictionaryCodes, validity: nil, table: remapTable, missingCode: 50))
            }
        }
        // `faultline inspect`'s distinct counts: few values (one table) and nearly all distinct (partitions).
        let fewValues = Column(name: "few", values: .float64(ColumnBuffer(repeated)), validity: nil)
        let manyValues = Column(
            name: "many", values: .int64(ColumnBuffer((0..<rows).map { _ in Int64(next()) })), validity: nil)
        Benchmark("DistinctCount.of 1,000 values \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(DistinctCount.of(fewValues)) }
        }
        Benchmark("DistinctCount.of nearly all distinct \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(DistinctCount.of(manyValues)) }
        }
        // A label column sliced per value (integers: the table) and a float column of 8 values (SIMD counting).
        let labels = ColumnBuffer(failure.map { Int64($0) })
        let eightValues = ColumnBuffer(codes.map { Double($0 % 8) * 0.5 })
        Benchmark("CategoryCodes.assign Int64 2 values \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(CategoryCodes.assign(values: labels, validity: nil, sortedDistinct: [0, 1], missingCode: 2))
            }
        }
        // A label column with 1% of its rows missing, coded per row with its validity: the bitmap owned, and in place
        // in an Arrow file of one batch (read inline through ColumnBuffer's inlinable subscript).
        let nullableLabels = Column(
            name: "label", values: .int64(labels), validity: ValidityBitmap((0..<rows).map { _ in next() % 100 != 0 }))
        let arrowBytes = try? ArrowWriter.encode(Table(columns: [nullableLabels]))
        let mapped = arrowBytes.flatMap { try? ArrowReader.read(bytes: $0, path: "<memory>").column(named: "label") }
        for (placement, column) in [("owned", nullableLabels), ("in place", mapped ?? nullableLabels)] {
            guard case .int64(let values) = column.values else { continue }
            let validity = column.validity
            precondition(validity?.isMapped == (placement == "in place"), "the bitmap is not \(placement)")
            Benchmark("FirstAppearanceCodes.narrow, 1% missing, bitmap \(placement) \(rows / 1000)k") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(FirstAppearanceCodes.narrow(values, validity: validity))
                }
            }
        }
        Benchmark("CategoryCodes.assign Double 8 values \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    CategoryCodes.assign(
                        values: eightValues, validity: nil, sortedDistinct: (0..<8).map { Double($0) * 0.5 },
                        missingCode: 8))
            }
        }
        // The time analysis: 90 time buckets in row order, split after bucket 60; the 16 features above.
        let timeCodes = (0..<rows).map { UInt16($0 * 90 / rows) }
        let periodOfGroup = (0..<90).map { UInt8($0 < 60 ? 0 : 1) }
        for threads in [1, 2] {
            Benchmark("PeriodCounts.count 16 features \(rows / 1000)k threads \(threads)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        PeriodCounts.count(
                            groups: timeCodes, periodOfGroup: periodOfGroup, failure: failure, features: features,
                            codeCounts: domains, threads: threads))
                }
            }
        }
        // The 1-D slicing of a binary task: the 16 features against the 90 time buckets, split by confusion cell
        // (their bins' statistics and the time analysis's tables in one pass).
        let confusion = failure.map { $0 == 1 ? UInt8(next() % 2 == 0 ? 1 : 3) : UInt8(next() % 2 == 0 ? 0 : 2) }
        Benchmark("PairCounts.countAgainst 16 features x 90 buckets by confusion \(rows / 1000)k threads 2") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    PairCounts.countAgainst(
                        features: features, codeCounts: domains, column: timeCodes, columnCount: 90, failure: failure,
                        confusion: confusion, threads: 2))
            }
        }
        // The same with one-byte codes, as the binner stores columns of at most 255 bins (`BinCodes`).
        let narrowFeatures = zip(features, domains).map { BinCodes($0, codeCount: $1 + 1) }
        let narrowTime = BinCodes(timeCodes, codeCount: 90)
        Benchmark("PairCounts.countAgainst 16 features x 90 buckets by confusion, one-byte codes \(rows / 1000)k threads 2") {
            benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    PairCounts.countAgainst(
                        features: narrowFeatures, codeCounts: domains, column: narrowTime, columnCount: 90,
                        failure: failure, confusion: confusion, threads: 2))
            }
        }
        // One feature's 1-D statistics in a binary task, on one thread, as a binning job counts a feature without a
        // table: from the failure flags and confusion cells (two bytes of outcome a row), and from the time axis
        // combined with the rows' classes, which stands in for them while the analysis bins (two bytes, one load).
        let binaryOutcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: confusion)
        let axisClasses = PairCounts.ColumnClasses(
            column: narrowTime, columnCount: 90, failure: failure, confusion: confusion, threads: 2)
        Benchmark("GroupBy.aggregate by confusion, from the outcomes \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    GroupBy.aggregate(
                        codes: narrowFeatures[0], groupCount: domains[0], outcomes: binaryOutcomes, threads: 1))
            }
        }
        Benchmark("GroupBy.aggregate by confusion, from the axis's classes \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    GroupBy.aggregate(
                        codes: narrowFeatures[0], groupCount: domains[0], classes: axisClasses, threads: 1))
            }
        }
        // The same axis in time order, as a dump written in time order has it: its classes are its runs and a byte
        // a row, the combined rows written a block at a time where they are read. The 1-D statistics of one feature
        // and its table against the axis, against the combined rows of the unordered axis above.
        let ascendingTime = BinCodes(timeCodes.sorted(), codeCount: 90)
        let ascendingClasses = PairCounts.ColumnClasses(
            column: ascendingTime, columnCount: 90, failure: failure, confusion: confusion, threads: 2)
        precondition(ascendingClasses.ascendingRunCount != nil, "an ascending axis held as runs")
        Benchmark("GroupBy.aggregate by confusion, from the ascending axis's runs \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    GroupBy.aggregate(
                        codes: narrowFeatures[0], groupCount: domains[0], classes: ascendingClasses, threads: 1))
            }
        }
        for (name, classes) in [("combined rows", axisClasses), ("ascending runs", ascendingClasses)] {
            Benchmark("PairCounts.countAgainst 1 feature x 90 buckets by confusion, \(name) \(rows / 1000)k") {
                benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        PairCounts.countAgainst(
                            features: [narrowFeatures[0]], codeCounts: [domains[0]], classes: classes, threads: 1))
                }
            }
        }
        // A regression's errors and losses from its label and prediction columns (a percentile threshold then needs
        // the losses), and one feature's 1-D statistics under the absolute error: the errors held (8 bytes a row), or
        // read from the columns a block at a time, as the analysis does when every row is analysed.
        let truths = (0..<rows).map { _ in Double(next() % 2_000_000) / 10_000 }
        let predictions = truths.map { $0 + (Double(next() % 20_000) - 10_000) / 10_000 }
        let labelValues = RegressionErrors.Values.float64(ColumnBuffer(truths), nil)
        let predictionValues = RegressionErrors.Values.float64(ColumnBuffer(predictions), nil)
        for threads in [1, 2] {
            Benchmark("RegressionErrors.compute absolute \(rows / 1000)k threads \(threads)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        RegressionErrors.compute(
                            label: labelValues, prediction: predictionValues, loss: .absolute, threads: threads,
                            writesErrors: false))
                }
            }
        }
        // The default threshold (the 90th percentile of the absolute error): selected from the columns through
        // tallies of each block's losses, or from the losses written whole (what a dump with rows left out does).
        for threads in [1, 2] {
            Benchmark("RegressionErrors.lossQuantile absolute p90 \(rows / 1000)k threads \(threads)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        RegressionErrors.lossQuantile(
                            label: labelValues, prediction: predictionValues, loss: .absolute, q: 0.9,
                            threads: threads))
                }
            }
            Benchmark("RegressionErrors written losses p90 \(rows / 1000)k threads \(threads)") { benchmark in
                for _ in benchmark.scaledIterations {
                    let losses = RegressionErrors.compute(
                        label: labelValues, prediction: predictionValues, loss: .absolute, threads: threads,
                        writesErrors: false
                    ).losses
                    blackHole(Quantiles.linear(selectingFrom: losses, q: 0.9))
                }
            }
        }
        let regressionFailure = RegressionErrors.failures(
            losses: zip(predictions, truths).map { abs($0 - $1) }, above: 0.9, threads: 2)
        let heldErrors = RowOutcomes(
            failure: regressionFailure,
            signedError: RegressionErrors.signedErrors(label: labelValues, prediction: predictionValues),
            lossOfError: .absolute)
        let readErrors = RowOutcomes(
            failure: regressionFailure, label: labelValues, prediction: predictionValues, lossOfError: .absolute)
        for (name, outcomes) in [("held", heldErrors), ("read from the columns", readErrors)] {
            Benchmark("GroupBy.aggregate absolute error, errors \(name) \(rows / 1000)k") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        GroupBy.aggregate(
                            codes: narrowFeatures[0], groupCount: domains[0], outcomes: outcomes, threads: 1))
                }
            }
        }
        // A binary task's failure flags and confusion cells from the label's and the prediction's class ids.
        let labelIds = (0..<rows).map { _ in Int32(next() % 2) }
        let predictionIds = labelIds.map { next() % 10 == 0 ? 1 - $0 : $0 }
        for threads in [1, 2] {
            Benchmark("Misclassification.flags binary \(rows / 1000)k threads \(threads)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(
                        Misclassification.flags(
                            labelIds: labelIds, predictionIds: predictionIds, positive: 1, threads: threads))
                }
            }
        }
        // 16 one-condition slices and 8 two-condition slices, counted per time bucket.
        let conjunctions =
            (0..<16).map { [ConjunctionCounts.Condition(codes: features[$0], code: UInt16($0 % 3))] }
            + (0..<8).map { pair in
                [
                    ConjunctionCounts.Condition(codes: features[2 * pair], code: 1),
                    ConjunctionCounts.Condition(codes: features[2 * pair + 1], code: 2),
                ]
            }
        Benchmark("ConjunctionCounts.count 24 slices \(rows / 1000)k threads 2") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(
                    ConjunctionCounts.count(
                        conjunctions, groups: timeCodes, groupCount: 90, failure: failure, threads: 2))
            }
        }
    }
}

import Benchmark
import ColumnStore
import Kernels

/// 1-D group-by and binning throughput on seeded in-memory columns.
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
        let outcomes = RowOutcomes(failure: failure, loss: nil, signedError: nil, confusion: nil)
        for threads in [1, 2] {
            Benchmark("GroupBy.aggregate UInt16 codes \(rows / 1000)k threads \(threads)") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(GroupBy.aggregate(codes: codes, groupCount: 11, outcomes: outcomes, threads: threads))
                }
            }
        }
        Benchmark("Binning.quantileEdges+assign 10 bins \(rows / 1000)k") { benchmark in
            for _ in benchmark.scaledIterations {
                let sorted = Quantiles.sortedValues(of: values)
                let edges = Binning.quantileEdges(sortedValues: sorted, bins: 10)
                blackHole(Binning.assign(values: ColumnBuffer(values), validity: nil, edges: edges, missingCode: 10))
            }
        }
    }
}

import Benchmark
import Foundation
import Ingest

/// CSV ingest throughput on a generated dump (1M rows by default; FAULTLINE_BENCH_ROWS overrides).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(20), maxIterations: 10)
    let rows = Int(ProcessInfo.processInfo.environment["FAULTLINE_BENCH_ROWS"] ?? "") ?? 1_000_000
    let path = SyntheticCSV.path(rows: rows)
    let megabytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int).map { ($0 ?? 0) / 1_000_000 } ?? 0
    for threads in [1, 2] {
        Benchmark("CSV.read \(rows / 1000)k rows \(megabytes) MB threads \(threads)") { benchmark in
            var options = CSVOptions()
            options.threads = threads
            for _ in benchmark.scaledIterations {
                blackHole(try CSVReader.read(path: path, options: options))
            }
        }
    }
}

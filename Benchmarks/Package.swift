// swift-tools-version: 6.2
// Benchmarks for Faultline, kept in a nested package so the main build never compiles package-benchmark.
// Run: cd Benchmarks && swift package benchmark   (see docs/performance.md)
import PackageDescription

let package = Package(
    name: "FaultlineBenchmarks",
    dependencies: [
        .package(name: "Faultline", path: "../"),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: []
)

for suite in ["IngestBenchmarks", "KernelsBenchmarks"] {
    package.targets += [
        .executableTarget(
            name: suite,
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "FaultlineEngine", package: "Faultline"),
            ],
            path: "Benchmarks/\(suite)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        )
    ]
}

// The counting kernels on the C reference kernels' workload, timed for scripts/bench/kernels.sh (plain executable).
package.targets.append(
    .executableTarget(
        name: "KernelLimits",
        dependencies: [.product(name: "FaultlineEngine", package: "Faultline")],
        path: "Benchmarks/KernelLimits"
    )
)

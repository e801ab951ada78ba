// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .strictMemorySafety(),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Faultline",
    products: [
        // MARK: - Public API
        .executable(name: "faultline", targets: ["CLI"]),
        .library(name: "Faultline", targets: ["Faultline"]),
        // The engine's modules, for the nested Benchmarks package and embedders that want the pieces.
        .library(
            name: "FaultlineEngine",
            targets: ["ColumnStore", "Ingest", "Kernels", "Stats", "SliceSearch", "Report", "Faultline"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.6.0")
    ],
    targets: [
        // MARK: - C libraries
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"]), .brew(["openblas"])]
        ),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),

        // MARK: - Engine
        .target(name: "ColumnStore", swiftSettings: swiftSettings),
        .target(name: "Ingest", dependencies: ["ColumnStore", "CLZ4", "CZstd"], swiftSettings: swiftSettings),
        .target(name: "_KernelShims"),
        .target(name: "Kernels", dependencies: ["ColumnStore", "_KernelShims"], swiftSettings: swiftSettings),
        .target(name: "Stats", dependencies: ["COpenBLAS"], swiftSettings: swiftSettings),
        .target(name: "SliceSearch", dependencies: ["ColumnStore", "Kernels", "Stats"], swiftSettings: swiftSettings),
        .target(name: "Report", dependencies: ["SliceSearch", "ColumnStore"], swiftSettings: swiftSettings),
        .target(
            name: "Faultline",
            dependencies: ["ColumnStore", "Ingest", "Kernels", "Stats", "SliceSearch", "Report"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Front end
        .executableTarget(
            name: "CLI",
            dependencies: [
                "Faultline", "ColumnStore", "Ingest", "Kernels", "SliceSearch", "Stats", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Unit test bundles
        .target(name: "_TestSupport", dependencies: ["ColumnStore"], path: "Tests/_TestSupport",
                swiftSettings: swiftSettings),
        .testTarget(name: "ColumnStoreTests", dependencies: ["ColumnStore", "_TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "ColumnStore", "_TestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "ColumnStore", "_TestSupport"], resources: [.copy("Fixtures")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "StatsTests", dependencies: ["Stats", "_TestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "SliceSearchTests", dependencies: ["SliceSearch", "Kernels", "Stats", "ColumnStore", "_TestSupport"], resources: [.copy("Fixtures")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ReportTests", dependencies: ["Report", "SliceSearch", "_TestSupport"],
                    resources: [.copy("Snapshots")], swiftSettings: swiftSettings),
        .testTarget(name: "FaultlineTests",
                    dependencies: ["Faultline", "Ingest", "ColumnStore", "SliceSearch", "Kernels", "Report", "_TestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["CLI", "_TestSupport"], resources: [.copy("Corpus")],
                    swiftSettings: swiftSettings),
    ]
)

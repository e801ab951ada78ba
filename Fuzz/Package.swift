// swift-tools-version: 6.2
// libFuzzer targets for Faultline's parsers, kept in a nested package so the main build never needs the fuzzer
// runtime. Build and run them with scripts/fuzz.sh (see docs/exit-codes.md, "Fuzzing"); by hand:
//   cd Fuzz && swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   .build/debug/FuzzCSV Corpus/csv -max_total_time=30
import PackageDescription

let package = Package(
    name: "FaultlineFuzz",
    dependencies: [
        .package(name: "Faultline", path: "../")
    ],
    targets: [
        // Each target defines LLVMFuzzerTestOneInput, and <Target>_main (SwiftPM's entry point for an executable)
        // which hands it to libFuzzer's driver.
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "FuzzCSV",
            dependencies: ["CFuzzerDriver", .product(name: "FaultlineEngine", package: "Faultline")]),
        .executableTarget(
            name: "FuzzArrow",
            dependencies: ["CFuzzerDriver", .product(name: "FaultlineEngine", package: "Faultline")]),
        .executableTarget(
            name: "FuzzFailureSpec",
            dependencies: ["CFuzzerDriver", .product(name: "FaultlineEngine", package: "Faultline")]),
    ]
)

// swift-tools-version: 6.0
//
// Orbit: a deep-learning framework in pure Swift for symmetry-aware models of moving and flowing data.
//
// Dependency rule (no package dependencies at all):
//   OrbitKernels  <-  Orbit  <-  {OrbitNN, OrbitOptimizers, OrbitDatasets}  <-  test support, tests, benchmarks, executables
//   OrbitCommandLine (argument parsing, progress, metrics) depends on Foundation only.
// `OrbitKernels` is an implementation detail: raw-buffer SIMD kernels and the one parallel-for.
// `Orbit` imports it with `internal import`, so no kernel type can leak into public API.

import PackageDescription

let package = Package(
    name: "Orbit",
    products: [
        // MARK: Public API
        .library(name: "Orbit", targets: ["Orbit"]),
        .library(name: "OrbitNN", targets: ["OrbitNN"]),
        .library(name: "OrbitOptimizers", targets: ["OrbitOptimizers"]),
        .library(name: "OrbitDatasets", targets: ["OrbitDatasets"]),
    ],
    targets: [
        // MARK: Public API
        .target(name: "Orbit", dependencies: ["OrbitKernels"], exclude: ["README.md"]),
        .target(name: "OrbitNN", dependencies: ["Orbit"], exclude: ["README.md"]),
        .target(name: "OrbitOptimizers", dependencies: ["Orbit"], exclude: ["README.md"]),
        // The MNIST files under Data/ are read at run time, not sources.
        .target(name: "OrbitDatasets", dependencies: ["Orbit"], exclude: ["Data", "README.md"]),
        .target(name: "OrbitCommandLine", exclude: ["README.md"]),

        // MARK: Implementation details
        .target(name: "OrbitKernels", exclude: ["README.md", "GEMM/README.md", "Convolution/README.md"]),

        // MARK: Test support
        .target(
            name: "_OrbitTestSupport",
            dependencies: ["Orbit"],
            path: "Tests/_OrbitTestSupport"),

        // MARK: Tests
        .testTarget(name: "OrbitKernelsTests", dependencies: ["OrbitKernels"]),
        .testTarget(
            name: "OrbitTests",
            dependencies: ["Orbit", "_OrbitTestSupport"],
            exclude: ["IO/Fixtures"]),  // read by path from the tests; the generator script is not a source
        .testTarget(name: "OrbitTestSupportTests", dependencies: ["Orbit", "_OrbitTestSupport"]),
        .testTarget(
            name: "OrbitNNTests",
            dependencies: ["OrbitNN", "Orbit", "_OrbitTestSupport"],
            exclude: ["Fixtures"]),  // read by path from the tests
        .testTarget(name: "OrbitOptimizersTests", dependencies: ["OrbitOptimizers", "Orbit", "_OrbitTestSupport"]),
        .testTarget(name: "OrbitDatasetsTests", dependencies: ["OrbitDatasets", "Orbit", "OrbitNN", "_OrbitTestSupport"]),
        .testTarget(name: "OrbitCommandLineTests", dependencies: ["OrbitCommandLine"]),
        .testTarget(name: "OrbitTrainTests", dependencies: ["OrbitTrain", "Orbit"]),
        .testTarget(name: "OrbitFlowsTests", dependencies: ["OrbitFlows", "Orbit"]),
        .testTarget(name: "ApproximateEquivarianceExperimentsTests",
                    dependencies: ["ApproximateEquivarianceExperiments", "Orbit", "OrbitNN", "OrbitDatasets"]),

        // MARK: Executables
        .executableTarget(
            name: "EquivarianceReport",
            dependencies: ["Orbit", "OrbitNN", "OrbitCommandLine"],
            path: "Sources/Examples/EquivarianceReport"),
        .executableTarget(
            name: "SmokeData",
            dependencies: ["Orbit", "OrbitDatasets", "OrbitCommandLine"],
            path: "Sources/Examples/SmokeData"),
        .executableTarget(
            name: "ApproximateEquivarianceExperiments",
            dependencies: ["Orbit", "OrbitNN", "OrbitOptimizers", "OrbitDatasets", "OrbitCommandLine"],
            path: "Sources/Examples/ApproximateEquivarianceExperiments"),
        .executableTarget(
            name: "OrbitTrain",
            dependencies: ["Orbit", "OrbitNN", "OrbitOptimizers", "OrbitDatasets", "OrbitCommandLine"]),
        .executableTarget(
            name: "OrbitFlows",
            dependencies: ["Orbit", "OrbitNN", "OrbitOptimizers", "OrbitDatasets", "OrbitCommandLine"]),
        .executableTarget(
            name: "OrbitBenchmarks",
            dependencies: ["Orbit", "OrbitKernels", "OrbitNN", "OrbitOptimizers", "OrbitCommandLine"],
            path: "Benchmarks/OrbitBenchmarks"),
    ]
)

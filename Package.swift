// swift-tools-version: 6.0
//
// Orbit: a deep-learning framework in pure Swift for symmetry-aware models of moving and flowing data.
//
// Dependency rule (no package dependencies at all):
//   OrbitKernels  <-  Orbit  <-  test support, tests, benchmarks
// `OrbitKernels` is an implementation detail: raw-buffer SIMD kernels and the one parallel-for.
// `Orbit` imports it with `internal import`, so no kernel type can leak into public API.

import PackageDescription

let package = Package(
    name: "Orbit",
    products: [
        // MARK: Public API
        .library(name: "Orbit", targets: ["Orbit"]),
    ],
    targets: [
        // MARK: Public API
        .target(name: "Orbit", dependencies: ["OrbitKernels"], exclude: ["README.md"]),

        // MARK: Implementation details
        .target(name: "OrbitKernels", exclude: ["README.md"]),

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

        // MARK: Executables
        .executableTarget(
            name: "OrbitBenchmarks",
            dependencies: ["Orbit", "OrbitKernels"],
            path: "Benchmarks/OrbitBenchmarks"),
    ]
)

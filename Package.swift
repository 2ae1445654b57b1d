// swift-tools-version: 6.0
//
// Orbit: a deep-learning framework in pure Swift for symmetry-aware models of moving and flowing data.
//
// Dependency rule (no package dependencies at all):
//   OrbitKernels  <-  Orbit  <-  {OrbitNN, OrbitOptimizers, OrbitDatasets}  <-  OrbitModels, OrbitTraining
//     <-  OrbitExperiments  <-  test support, tests, benchmarks, executables (thin: options, printing, exit codes)
//   OrbitCommandLine (argument parsing, progress, metrics) depends on Foundation only.
// `OrbitKernels` is an implementation detail: raw-buffer SIMD kernels and the one parallel-for.
// `Orbit` imports it with `internal import`, so no kernel type can leak into public API.

import PackageDescription

// Data-parallel training over MPI is opt-in: `ORBIT_MPI=1 swift build ...` (or `make test-distributed`,
// `make run-distributed`) adds CMPI (the system's mpi.h through pkg-config, `ompi-c` for Open MPI; set
// ORBIT_MPI_PKGCONFIG=mpich for MPICH), OrbitDistributed (MPICommunicator), the MPI checks, and MPI support
// in orbit-flows. Without the variable nothing here needs MPI (Docs/Distributed.md).
let mpiEnabled = ["1", "yes", "true"].contains(Context.environment["ORBIT_MPI"]?.lowercased() ?? "")

// MARK: Opt-in: MPI (ORBIT_MPI=1)
let mpiTargets: [Target] = [
    .systemLibrary(name: "CMPI", pkgConfig: Context.environment["ORBIT_MPI_PKGCONFIG"] ?? "ompi-c",
                   providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
    .target(name: "OrbitDistributed", dependencies: ["CMPI", "OrbitTraining"], exclude: ["README.md"]),
    // Run under mpirun by Tests/Distributed/run.sh (make test-distributed), not by `swift test`.
    .executableTarget(
        name: "OrbitDistributedChecks",
        dependencies: ["Orbit", "OrbitNN", "OrbitOptimizers", "OrbitDatasets", "OrbitModels", "OrbitTraining", "OrbitDistributed"],
        path: "Tests/Distributed/DistributedChecks"),
    // The scaling measurements (make bench-distributed).
    .executableTarget(
        name: "OrbitDistributedBenchmarks",
        dependencies: ["Orbit", "OrbitNN", "OrbitOptimizers", "OrbitModels", "OrbitTraining", "OrbitDistributed"],
        path: "Benchmarks/DistributedBenchmarks"),
]

let package = Package(
    name: "Orbit",
    products: [
        // MARK: Public API
        .library(name: "Orbit", targets: ["Orbit"]),
        .library(name: "OrbitNN", targets: ["OrbitNN"]),
        .library(name: "OrbitOptimizers", targets: ["OrbitOptimizers"]),
        .library(name: "OrbitDatasets", targets: ["OrbitDatasets"]),
        .library(name: "OrbitImages", targets: ["OrbitImages"]),
        .library(name: "OrbitModels", targets: ["OrbitModels"]),
        .library(name: "OrbitTraining", targets: ["OrbitTraining"]),
        .library(name: "OrbitExperiments", targets: ["OrbitExperiments"]),
    ],
    targets: [
        // MARK: Public API
        .target(name: "Orbit", dependencies: ["OrbitKernels"], exclude: ["README.md"]),
        .target(name: "OrbitNN", dependencies: ["Orbit"], exclude: ["README.md"]),
        .target(name: "OrbitOptimizers", dependencies: ["Orbit"], exclude: ["README.md"]),
        // The MNIST files under Data/ are read at run time, not sources.
        .target(name: "OrbitDatasets", dependencies: ["Orbit", "OrbitImages"], exclude: ["Data", "README.md"]),
        // The papers' models (a model zoo, like torchvision.models), each built from OrbitNN's layers.
        // The trained models under Trained/ (weights and manifests) are read at run time, not sources.
        .target(name: "OrbitModels", dependencies: ["Orbit", "OrbitNN", "OrbitDatasets"], exclude: ["Trained", "README.md"]),
        // PNG, plots and heat maps, and the DEFLATE/gzip codec they and the MNIST reader share.
        .target(name: "OrbitImages", dependencies: ["Orbit"], exclude: ["README.md"]),
        .target(name: "OrbitCommandLine", exclude: ["README.md"]),
        .target(name: "OrbitTraining",
                dependencies: ["Orbit", "OrbitNN", "OrbitOptimizers", "OrbitDatasets", "OrbitImages", "OrbitCommandLine"],
                exclude: ["README.md"]),
        // The papers' experiments with their settings and reports (what orbit-flows and
        // ApproximateEquivarianceExperiments run); OrbitCommandLine only for `Console` progress lines, as the Trainer's.
        .target(name: "OrbitExperiments",
                dependencies: ["Orbit", "OrbitNN", "OrbitOptimizers", "OrbitDatasets", "OrbitImages", "OrbitModels", "OrbitTraining",
                               "OrbitCommandLine"],
                exclude: ["README.md"]),

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
            dependencies: ["OrbitNN", "OrbitModels", "OrbitOptimizers", "Orbit", "_OrbitTestSupport"],
            exclude: ["Fixtures"]),  // read by path from the tests
        .testTarget(name: "OrbitOptimizersTests", dependencies: ["OrbitOptimizers", "Orbit", "_OrbitTestSupport"]),
        .testTarget(name: "OrbitDatasetsTests", dependencies: ["OrbitDatasets", "OrbitImages", "Orbit", "OrbitNN", "_OrbitTestSupport"]),
        .testTarget(name: "OrbitImagesTests", dependencies: ["OrbitImages", "Orbit"]),
        .testTarget(name: "OrbitCommandLineTests", dependencies: ["OrbitCommandLine"]),
        .testTarget(name: "OrbitTrainingTests", dependencies: ["OrbitTraining", "Orbit", "OrbitNN", "OrbitOptimizers"]),
        .testTarget(name: "OrbitTrainTests", dependencies: ["OrbitTrain", "OrbitExperiments", "OrbitCommandLine"]),
        .testTarget(name: "OrbitFlowsTests", dependencies: ["OrbitFlows", "OrbitExperiments", "OrbitCommandLine"]),
        .testTarget(name: "OrbitExperimentsTests", dependencies: ["OrbitExperiments", "Orbit", "OrbitNN", "OrbitTraining", "OrbitDatasets", "OrbitModels"]),
        // OrbitTraining: the shipped-model tests write weights with the trainer's own `TrainingFiles.writeBest`.
        .testTarget(name: "OrbitModelsTests", dependencies: ["OrbitModels", "Orbit", "OrbitNN", "OrbitDatasets", "OrbitTraining"]),
        .testTarget(name: "ApproximateEquivarianceExperimentsTests",
                    dependencies: ["ApproximateEquivarianceExperiments", "OrbitExperiments", "OrbitCommandLine"]),

        // MARK: Executables
        .executableTarget(
            name: "EquivarianceReport",
            dependencies: ["Orbit", "OrbitNN", "OrbitCommandLine"],
            path: "Sources/Examples/EquivarianceReport"),
        .executableTarget(
            name: "GroupCNNExample",
            dependencies: ["Orbit", "OrbitNN", "OrbitOptimizers", "OrbitDatasets", "OrbitImages", "OrbitModels", "OrbitCommandLine", "OrbitTraining"],
            path: "Sources/Examples/GroupCNNExample"),
        .executableTarget(
            name: "SmokeData",
            dependencies: ["Orbit", "OrbitDatasets", "OrbitCommandLine"],
            path: "Sources/Examples/SmokeData"),
        .executableTarget(
            name: "ApproximateEquivarianceExperiments",
            dependencies: ["OrbitDatasets", "OrbitModels", "OrbitExperiments", "OrbitCommandLine"],
            path: "Sources/Examples/ApproximateEquivarianceExperiments"),
        .executableTarget(
            name: "OrbitTrain",
            dependencies: ["Orbit", "OrbitDatasets", "OrbitExperiments", "OrbitCommandLine"]),
        .executableTarget(
            name: "OrbitFlows",
            dependencies: ["Orbit", "OrbitExperiments", "OrbitTraining", "OrbitCommandLine"] + (mpiEnabled ? ["OrbitDistributed"] : []),
            swiftSettings: mpiEnabled ? [.define("ORBIT_MPI")] : []),
        .executableTarget(
            name: "OrbitBenchmarks",
            dependencies: ["Orbit", "OrbitKernels", "OrbitNN", "OrbitModels", "OrbitOptimizers", "OrbitCommandLine"],
            path: "Benchmarks/OrbitBenchmarks"),
    ] + (mpiEnabled ? mpiTargets : [])
)


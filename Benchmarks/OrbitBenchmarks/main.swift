import Foundation
import OrbitCommandLine

// Orbit's benchmark executable: `make bench` (or `make bench CASES="gemm_1024 ..."`).
// Prints one JSON line per case: {"name", "seconds" (median of one call), "gflops"}.
// ORBIT_BENCH_CALLS=n times exactly n calls after the warm-up instead of at least a second, so that
// `perf stat -e task-clock` measures the same work on every run (CPU time per call holds up on a busy machine
// better than wall-clock seconds: time spent waiting for a core is not counted).

/// Debug builds run kernels 10-100x slower; their timings would mislead anyone who reads them.
func isDebugBuild() -> Bool {
    #if DEBUG
    return true
    #else
    return false
    #endif
}

let listedCases: [BenchmarkCase] = peakCases() + gemmCases() + convolutionCases() + tensorCases() + equivariantCases() + flowCases()
let arguments = Arguments.parseOrExit(command: "OrbitBenchmarks", summary: """
    Times Orbit's kernels: one JSON line per case on standard output, {"name", "seconds" (median of one call), \
    "gflops", "impl"}. Without case names, runs every case but the long ones. ORBIT_BENCH_CALLS=n times exactly \
    n calls after the warm-up. Refuses debug builds (use `make bench`). Any flow step named \
    fernn_v<V>_b<B>_h<HID>_t<T_IN>x<T_OUT>_d<LAYERS> also runs. Cases: \(listedCases.map(\.name).joined(separator: ", "))
    """, options: [], operands: "[case ...]")

if isDebugBuild() {
    FileHandle.standardError.write(Data("OrbitBenchmarks: refusing to run a debug build; use `make bench`.\n".utf8))
    exit(ExitStatus.usage)
}

let wanted = Set(arguments.operands)
// Flow steps of any shape named `fernn_v<V>_b<B>_h<HID>_t<T_IN>x<T_OUT>_d<LAYERS>` (FlowBenchmarks.swift).
let allCases = listedCases + wanted.subtracting(listedCases.map(\.name)).sorted().compactMap(FlowShape.init(name:)).map(flowCase)
let unknown = wanted.subtracting(allCases.map(\.name))
if !unknown.isEmpty {
    let known = "among the benchmark cases: " + listedCases.map(\.name).joined(separator: ", ")
    CommandFailure.exit(ArgumentError.invalidOperands(unknown.sorted(), expected: known), command: "OrbitBenchmarks")
}

let fixedCalls = ProcessInfo.processInfo.environment["ORBIT_BENCH_CALLS"].flatMap { Int($0) }.map { max(1, $0) }
var failures = 0
for benchmark in allCases where wanted.contains(benchmark.name) || (wanted.isEmpty && !benchmark.isLong) {
    let prepared = benchmark.prepare()
    let seconds = if let calls = fixedCalls {
        medianSeconds(prepared.run, warmUps: 1, minimumRepetitions: calls, minimumSeconds: 0)
    } else if benchmark.isLong {
        medianSeconds(prepared.run, warmUps: 1, minimumRepetitions: 3, minimumSeconds: 0)
    } else {
        medianSeconds(prepared.run)
    }
    if let problem = prepared.verify() {
        FileHandle.standardError.write(Data("\(benchmark.name): WRONG RESULT: \(problem)\n".utf8))
        failures += 1
        continue
    }
    let gflops = benchmark.flops / seconds / 1e9
    let extra = prepared.extra().sorted { $0.key < $1.key }.map { ", \"\($0.key)\": \($0.value)" }.joined()
    let line = "{\"name\": \"\(benchmark.name)\", \"seconds\": \(seconds), \"gflops\": \(gflops), \"impl\": \"orbit\"\(extra)}\n"
    FileHandle.standardOutput.write(Data(line.utf8))
}
exit(failures == 0 ? 0 : 1)

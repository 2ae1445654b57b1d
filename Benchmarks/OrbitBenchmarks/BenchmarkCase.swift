import Foundation

/// A named benchmark: `prepare` builds the inputs outside the timed region and returns the call to time
/// plus a check of its result against a reference (a wrong fast kernel is not a fast kernel).
struct BenchmarkCase {
    let name: String
    /// Floating-point operations of one call (the formula is documented where the case is defined).
    let flops: Double
    /// Long cases (seconds per call) run only when named on the command line, with one warm-up call
    /// and three timed calls.
    var isLong = false
    let prepare: () -> Prepared

    struct Prepared {
        /// The timed call. Its result must reach `BlackHole.consume` so the optimizer cannot drop it.
        let run: () -> Void
        /// Runs after timing; returns nil when the result matches the reference, or what went wrong.
        let verify: () -> String?
        /// Extra integer fields for the JSON line (e.g. peak memory in bytes).
        var extra: () -> [String: Int] = { [:] }
    }
}

/// Keeps a value alive and observable so the optimizer cannot delete the work that produced it.
enum BlackHole {
    nonisolated(unsafe) private static var sink: Int = 0
    @inline(never) static func consume<T>(_ value: T) {
        withUnsafePointer(to: value) { sink &+= Int(bitPattern: $0) & 1 }
    }
}

/// Median wall-clock seconds of one call: two warm-up calls, then at least `minimumRepetitions`
/// calls and at least `minimumSeconds` of timing (the same protocol as ../shared/bench/torch_bench.py).
func medianSeconds(_ run: () -> Void, warmUps: Int = 2, minimumRepetitions: Int = 5, minimumSeconds: Double = 1.0) -> Double {
    for _ in 0..<warmUps { run() }
    var times: [Double] = []
    let start = DispatchTime.now().uptimeNanoseconds
    while times.count < minimumRepetitions
        || Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 < minimumSeconds {
        let t0 = DispatchTime.now().uptimeNanoseconds
        run()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
    }
    times.sort()
    let middle = times.count / 2
    return times.count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2
}

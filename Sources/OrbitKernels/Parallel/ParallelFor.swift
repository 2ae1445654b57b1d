import Dispatch
import Foundation
import Synchronization

/// The one parallel loop every kernel uses.
///
/// Work is cut into chunks whose boundaries depend only on the problem size, never on the number of
/// threads; each chunk is computed by exactly one thread and chunks never share an output element. So a
/// kernel gives bit-identical results with 1 or N threads, which keeps tests reproducible (STYLE K5).
/// Reductions that combine chunks do it afterwards, in chunk order, on one thread.
public enum Parallel {
    private static let configuredThreadCount = Atomic<Int>(
        max(1, Int(ProcessInfo.processInfo.environment["ORBIT_THREADS"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount))

    /// Worker threads kernels may use (default: the active processor count, or `ORBIT_THREADS`).
    public static var threadCount: Int {
        get { configuredThreadCount.load(ordering: .relaxed) }
        set { configuredThreadCount.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Runs `body(chunk)` for every chunk in `0..<chunkCount`, on up to `threadCount` threads.
    ///
    /// Chunks are handed out dynamically (an atomic counter), which balances uneven chunks; which thread
    /// runs a chunk does not affect its result.
    public static func forEachChunk(_ chunkCount: Int, _ body: (Int) -> Void) {
        let workers = min(threadCount, chunkCount)
        if workers <= 1 {
            for chunk in 0..<chunkCount { body(chunk) }
            return
        }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if chunk >= chunkCount { break }
                    shared.value(chunk)
                }
            }
        }
    }

    /// Runs `body(range)` over `0..<count` cut into ranges of `grain` elements (the last may be shorter).
    ///
    /// Small problems (`count <= grain`) run inline on the calling thread, so the cost of waking a thread
    /// is only paid when there is enough work to hide it.
    public static func forEachRange(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let grain = max(1, grain)
        let chunks = (count + grain - 1) / grain
        forEachChunk(chunks) { chunk in
            let start = chunk * grain
            body(start..<min(count, start + grain))
        }
    }

    /// A grain that gives each chunk roughly `work` units when one element costs `costPerElement` units.
    /// The result depends on the problem only, never on the thread count.
    public static func grain(costPerElement: Int, work: Int = 1 << 15) -> Int {
        max(1, work / max(1, costPerElement))
    }
}

/// Carries a non-Sendable value (a closure over raw pointers) into `concurrentPerform`. Safe here because
/// every chunk writes a disjoint part of the output and the call returns only after all chunks finish.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

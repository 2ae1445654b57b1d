import Dispatch

// The machine's fp32 fused multiply-add peak, so every other figure can be read as a fraction of it:
// `peak_fma_1core` and `peak_fma_2cores` (one chain set per thread, run at the same time on 2 threads).
//
// Each thread keeps 12 independent chains of SIMD8<Float> multiply-adds in registers,
// acc_i <- c + acc_i · m, which is enough to hide the FMA latency on two pipes (4 cycles x 2 pipes = 8
// chains needed on AMD Zen 3 and Intel Skylake-class cores). Nothing is loaded or stored in the loop.
// Flops of one call: threads x iterations x 12 chains x 8 lanes x 2. The result must be the chains' fixed
// point c / (1 - m). Built without `-D ORBIT_FMA` (no FMA on the target), this measures separate
// multiplies and adds instead, and says so in the "fma" field.
func peakCases() -> [BenchmarkCase] {
    [peakCase("peak_fma_1core", threads: 1), peakCase("peak_fma_2cores", threads: 2)]
}

private let peakIterations = 1 << 21
private let peakChains = 12

private func peakCase(_ name: String, threads: Int) -> BenchmarkCase {
    BenchmarkCase(name: name, flops: Double(threads * peakIterations * peakChains * 8 * 2)) {
        var results = [Float](repeating: 0, count: threads)
        return BenchmarkCase.Prepared(
            run: {
                results.withUnsafeMutableBufferPointer { results in
                    let shared = SendablePointer(results.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: threads) { thread in
                        shared.pointer[thread] = fmaChains(iterations: peakIterations, seed: Float(thread + 1))
                    }
                }
                BlackHole.consume(results)
            },
            verify: {
                // Each chain converges to c / (1 - m) = 2c; the sum over 12 chains x 8 lanes is 192c, c = 0.25·seed.
                for (thread, value) in results.enumerated() where abs(value - 48 * Float(thread + 1)) > 1e-3 * 48 * Float(thread + 1) {
                    return "thread \(thread): chains sum to \(value), expected \(48 * (thread + 1))"
                }
                return nil
            },
            extra: { ["threads": threads, "chains": peakChains, "fma": fusedMultiplyAdd ? 1 : 0] })
    }
}

private struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}

private let fusedMultiplyAdd: Bool = {
    #if ORBIT_FMA
    true
    #else
    false
    #endif
}()

@inline(__always)
private func chainStep(_ acc: SIMD8<Float>, _ m: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
    #if ORBIT_FMA
    c.addingProduct(acc, m)
    #else
    c + acc * m
    #endif
}

/// 12 independent dependency chains, `iterations` multiply-adds each, all in registers; returns the sum of
/// every lane of every chain (so the compiler cannot drop any of them).
@inline(never)
private func fmaChains(iterations: Int, seed: Float) -> Float {
    let m = SIMD8<Float>(repeating: 0.5), c = SIMD8<Float>(repeating: 0.25 * seed)
    var a0 = SIMD8<Float>(repeating: 0.0), a1 = SIMD8<Float>(repeating: 0.1), a2 = SIMD8<Float>(repeating: 0.2)
    var a3 = SIMD8<Float>(repeating: 0.3), a4 = SIMD8<Float>(repeating: 0.4), a5 = SIMD8<Float>(repeating: 0.5)
    var a6 = SIMD8<Float>(repeating: 0.6), a7 = SIMD8<Float>(repeating: 0.7), a8 = SIMD8<Float>(repeating: 0.8)
    var a9 = SIMD8<Float>(repeating: 0.9), a10 = SIMD8<Float>(repeating: 1.0), a11 = SIMD8<Float>(repeating: 1.1)
    for _ in 0..<iterations {
        a0 = chainStep(a0, m, c); a1 = chainStep(a1, m, c); a2 = chainStep(a2, m, c); a3 = chainStep(a3, m, c)
        a4 = chainStep(a4, m, c); a5 = chainStep(a5, m, c); a6 = chainStep(a6, m, c); a7 = chainStep(a7, m, c)
        a8 = chainStep(a8, m, c); a9 = chainStep(a9, m, c); a10 = chainStep(a10, m, c); a11 = chainStep(a11, m, c)
    }
    let sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11))
    return sum.sum()
}

import OrbitKernels

// GEMM cases of ../shared/bench/cases.json: C = A·B with A m x k and B k x n, row-major, float32.
// Flops: 2·m·n·k (one multiply and one add per term), as torch_bench.py counts them.
func gemmCases() -> [BenchmarkCase] {
    [
        gemmCase("gemm_256", m: 256, n: 256, k: 256),
        gemmCase("gemm_512", m: 512, n: 512, k: 512),
        gemmCase("gemm_1024", m: 1024, n: 1024, k: 1024),
        gemmCase("gemm_tall_4096x64x576", m: 4096, n: 64, k: 576),
    ]
}

private func gemmCase(_ name: String, m: Int, n: Int, k: Int) -> BenchmarkCase {
    BenchmarkCase(name: name, flops: 2.0 * Double(m * n * k)) {
        var random = BenchmarkRandom(seed: 1)
        let a = random.floats(m * k)
        let b = random.floats(k * n)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
        c.initialize(repeating: .nan, count: m * n)
        return BenchmarkCase.Prepared(
            run: {
                gemm(m: m, n: n, k: k, a: a, aRowStride: k, aColumnStride: 1,
                     b: b, bRowStride: n, bColumnStride: 1, c: c, cRowStride: n, accumulate: false)
                BlackHole.consume(c[0])
            },
            verify: {
                // 512 sampled elements recomputed in Double. A float dot product of length k is within
                // k·u·Σ|a||b| of the exact value (u = 2^-24, Higham's gamma_k bound to first order);
                // allowing 2k·u leaves room for the bound's second-order term and nothing else.
                for sample in 0..<512 {
                    let i = (sample * 7919) % m
                    let j = (sample * 104_729) % n
                    var exact = 0.0
                    var magnitude = 0.0
                    for p in 0..<k {
                        let term = Double(a[i * k + p]) * Double(b[p * n + j])
                        exact += term
                        magnitude += abs(term)
                    }
                    let error = abs(Double(c[i * n + j]) - exact)
                    if !(error <= 2.0 * Double(k) * 0x1p-24 * magnitude) {
                        return "C[\(i), \(j)] = \(c[i * n + j]), expected \(exact) (error \(error))"
                    }
                }
                return nil
            })
    }
}

/// Seeded uniform values in [-1, 1) (SplitMix64), so every run times the same inputs.
struct BenchmarkRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) * 0x1p-23 - 1
    }

    /// `count` values in a fresh buffer that lives as long as the benchmark process.
    mutating func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        let values = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        for index in 0..<count { values[index] = next() }
        return values
    }
}

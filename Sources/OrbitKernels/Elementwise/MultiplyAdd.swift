// c + a·b on SIMD vectors, for the GEMM and convolution inner loops.
//
// With the Makefile's builds (`-target-cpu native` plus `-D ORBIT_FMA` when the CPU has FMA) this is
// one fused multiply-add instruction. A plain `swift build -c release` targets baseline x86-64, which has
// no FMA instruction: there `addingProduct` becomes a C library call per lane (measured ~70x slower),
// so this multiplies and adds separately instead (about 2x slower than FMA, and rounded twice, which
// every kernel test's tolerance allows).

@inline(__always)
func multiplyAdd(_ c: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    #if ORBIT_FMA
    c.addingProduct(a, b)
    #else
    c + a * b
    #endif
}

@inline(__always)
func multiplyAdd(_ c: SIMD4<Double>, _ a: SIMD4<Double>, _ b: SIMD4<Double>) -> SIMD4<Double> {
    #if ORBIT_FMA
    c.addingProduct(a, b)
    #else
    c + a * b
    #endif
}

@inline(__always)
func multiplyAdd(_ c: SIMD8<Double>, _ a: SIMD8<Double>, _ b: SIMD8<Double>) -> SIMD8<Double> {
    #if ORBIT_FMA
    c.addingProduct(a, b)
    #else
    c + a * b
    #endif
}

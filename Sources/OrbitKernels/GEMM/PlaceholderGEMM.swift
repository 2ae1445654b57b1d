// TEMPORARY (replaced when the packed GEMM lands from the `kernels` branch): a plain loop with the
// agreed signature, so the tensor layer can be written and tested meanwhile.

public func gemm(m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
                 b: UnsafePointer<Float>, bRowStride: Int, bColumnStride: Int,
                 c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool) {
    plainGEMM(m, n, k, a, aRowStride, aColumnStride, b, bRowStride, bColumnStride, c, cRowStride, accumulate)
}

public func gemm(m: Int, n: Int, k: Int,
                 a: UnsafePointer<Double>, aRowStride: Int, aColumnStride: Int,
                 b: UnsafePointer<Double>, bRowStride: Int, bColumnStride: Int,
                 c: UnsafeMutablePointer<Double>, cRowStride: Int, accumulate: Bool) {
    plainGEMM(m, n, k, a, aRowStride, aColumnStride, b, bRowStride, bColumnStride, c, cRowStride, accumulate)
}

private func plainGEMM<T: KernelFloat>(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<T>, _ ars: Int, _ acs: Int,
                                       _ b: UnsafePointer<T>, _ brs: Int, _ bcs: Int,
                                       _ c: UnsafeMutablePointer<T>, _ crs: Int, _ accumulate: Bool) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: T = accumulate ? c[i * crs + j] : 0
            for p in 0..<k { sum += a[i * ars + p * acs] * b[p * brs + j * bcs] }
            c[i * crs + j] = sum
        }
    }
}

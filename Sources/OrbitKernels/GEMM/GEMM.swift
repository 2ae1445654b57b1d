/// Single-precision matrix product: `C = A·B`, or `C += A·B` when `accumulate`.
///
/// Shapes: A is m x k, B is k x n, C is m x n. A and B are strided views: element (i, p) of A is
/// `a[i * aRowStride + p * aColumnStride]` and element (p, j) of B is `b[p * bRowStride + j * bColumnStride]`,
/// so a transposed operand is the same buffer with swapped strides. C is row-major with row stride
/// `cRowStride` (unit column stride). With k = 0, C becomes zero (unchanged when accumulating).
///
/// Runs on up to `Parallel.threadCount` threads; the result is bit-identical for any thread count.
/// C must not overlap A or B. No alignment is required. Packing is fastest for a unit column stride
/// in both A and B (row-major operands); transposed views cost a little more to pack.
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
    b: UnsafePointer<Float>, bRowStride: Int, bColumnStride: Int,
    c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool
) {
    if GEMMKernelChoice.prefersFourRows(rows: m, columns: n) {
        stridedGEMM(
            Float4x24Kernel.self, m: m, n: n, k: k, a: a, aStrides: (aRowStride, aColumnStride),
            b: b, bStrides: (bRowStride, bColumnStride), c: c, cRowStride: cRowStride, accumulate: accumulate)
    } else {
        stridedGEMM(
            Float6x16Kernel.self, m: m, n: n, k: k, a: a, aStrides: (aRowStride, aColumnStride),
            b: b, bStrides: (bRowStride, bColumnStride), c: c, cRowStride: cRowStride, accumulate: accumulate)
    }
}

/// Double-precision matrix product: `C = A·B`, or `C += A·B` when `accumulate`.
///
/// Same shapes, strides and guarantees as the `Float` version.
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Double>, aRowStride: Int, aColumnStride: Int,
    b: UnsafePointer<Double>, bRowStride: Int, bColumnStride: Int,
    c: UnsafeMutablePointer<Double>, cRowStride: Int, accumulate: Bool
) {
    stridedGEMM(
        Double6x8Kernel.self, m: m, n: n, k: k, a: a, aStrides: (aRowStride, aColumnStride),
        b: b, bStrides: (bRowStride, bColumnStride), c: c, cRowStride: cRowStride, accumulate: accumulate)
}

private func stridedGEMM<Kernel: GEMMKernel>(
    _ kernel: Kernel.Type, m: Int, n: Int, k: Int,
    a: UnsafePointer<Kernel.Scalar>, aStrides: (row: Int, column: Int),
    b: UnsafePointer<Kernel.Scalar>, bStrides: (row: Int, column: Int),
    c: UnsafeMutablePointer<Kernel.Scalar>, cRowStride: Int, accumulate: Bool
) {
    parallelGEMM(
        rows: m, columns: n, depth: k,
        a: StridedLeftOperand<Kernel>(base: a, rowStride: aStrides.row, columnStride: aStrides.column),
        b: StridedRightOperand<Kernel>(base: b, rowStride: bStrides.row, columnStride: bStrides.column),
        c: StridedOutput(base: c, rowStride: cRowStride), accumulate: accumulate)
}

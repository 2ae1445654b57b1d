/// Single-precision matrix product: `C = A·B`, or `C += A·B` when `accumulate`.
///
/// Shapes: A is m x k, B is k x n, C is m x n. A and B are strided views: element (i, p) of A is
/// `a[i * aRowStride + p * aColumnStride]` and element (p, j) of B is `b[p * bRowStride + j * bColumnStride]`,
/// so a transposed operand is the same buffer with swapped strides. C is row-major with row stride
/// `cRowStride` (unit column stride). With k = 0, C becomes zero (unchanged when accumulating).
///
/// Runs on up to `Parallel.threadCount` threads; the result is bit-identical for any thread count.
/// C must not overlap A or B. No alignment is required.
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
    b: UnsafePointer<Float>, bRowStride: Int, bColumnStride: Int,
    c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool
) {
    parallelGEMM(
        rows: m, columns: n, depth: k,
        a: StridedLeftOperand(base: a, rowStride: aRowStride, columnStride: aColumnStride),
        b: StridedRightOperand(base: b, rowStride: bRowStride, columnStride: bColumnStride),
        c: StridedOutput(base: c, rowStride: cRowStride), accumulate: accumulate)
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
    parallelGEMM(
        rows: m, columns: n, depth: k,
        a: StridedLeftOperand(base: a, rowStride: aRowStride, columnStride: aColumnStride),
        b: StridedRightOperand(base: b, rowStride: bRowStride, columnStride: bColumnStride),
        c: StridedOutput(base: c, rowStride: cRowStride), accumulate: accumulate)
}

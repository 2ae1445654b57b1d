internal import OrbitKernels

/// Matrix product over the last two axes, batched with NumPy broadcasting over the leading axes:
/// a [..., m, k] · b [..., k, n] -> [..., m, n]. Pullback: (ḡ·bᵀ, aᵀ·ḡ), computed by GEMM with swapped
/// strides (no transposed copies); broadcast batch axes are summed by the backward pass.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    checkFloatingPoint(a, "matmul")
    checkSameDType(a, b, "matmul")
    check(a.rank >= 2 && b.rank >= 2, "matmul", "needs operands of rank >= 2, got \(a.shape) and \(b.shape); reshape vectors to [1, k] or [k, 1]")
    check(a.shape[a.rank - 1] == b.shape[b.rank - 2], "matmul",
          "inner sizes differ: \(a.shape) · \(b.shape) (a's last axis \(a.shape[a.rank - 1]) must equal b's second-to-last \(b.shape[b.rank - 2]))")
    if b.rank == 2 && a.rank > 2 {
        // A batch against one matrix is one tall product: fold the batch into rows.
        let rows = a.shape.dropLast().reduce(1, *)
        return matmul(a.reshaped([rows, a.shape[a.rank - 1]]), b).reshaped(Array(a.shape.dropLast()) + [b.shape[1]])
    }
    let y = matmulKernel(a, b, transposeA: false, transposeB: false)
    return record("matmul", inputs: [a, b], output: y) { g, needs in
        [needs[0] ? matmulKernel(g, b, transposeA: false, transposeB: true) : nil,
         needs[1] ? matmulKernel(a, g, transposeA: true, transposeB: false) : nil]
    }
}

/// op(a) · op(b) over broadcast batch axes, where op transposes the last two axes when asked.
func matmulKernel(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
    let (aRows, aColumns) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
    let (bRows, bColumns) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
    let m = transposeA ? aColumns : aRows, k = transposeA ? aRows : aColumns
    let n = transposeB ? bRows : bColumns
    guard let batch = Shape.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2))) else {
        fail("matmul", "batch axes of \(a.shape) and \(b.shape) do not broadcast")
    }
    let output = Tensor(uninitializedShape: batch + [m, n], dtype: a.dtype)
    let aBatchStrides = Shape.broadcastStrides(of: Array(a.shape.dropLast(2)), to: batch).map { $0 * aRows * aColumns }
    let bBatchStrides = Shape.broadcastStrides(of: Array(b.shape.dropLast(2)), to: batch).map { $0 * bRows * bColumns }
    // Element (i, p) of op(a) is a[i * rowStride + p * columnStride].
    let (aRowStride, aColumnStride) = transposeA ? (1, aColumns) : (aColumns, 1)
    let (bRowStride, bColumnStride) = transposeB ? (1, bColumns) : (bColumns, 1)
    let batchStrides = batch.rowMajorStrides
    for index in 0..<batch.elementCount {
        var aOffset = 0, bOffset = 0
        for axis in batch.indices {
            let position = (index / batchStrides[axis]) % batch[axis]
            aOffset += position * aBatchStrides[axis]
            bOffset += position * bBatchStrides[axis]
        }
        let cOffset = index * m * n
        switch a.dtype {
        case .float32:
            gemm(m: m, n: n, k: k, a: a.pointer(Float.self) + aOffset, aRowStride: aRowStride, aColumnStride: aColumnStride,
                 b: b.pointer(Float.self) + bOffset, bRowStride: bRowStride, bColumnStride: bColumnStride,
                 c: output.pointer(Float.self) + cOffset, cRowStride: n, accumulate: false)
        case .float64:
            gemm(m: m, n: n, k: k, a: a.pointer(Double.self) + aOffset, aRowStride: aRowStride, aColumnStride: aColumnStride,
                 b: b.pointer(Double.self) + bOffset, bRowStride: bRowStride, bColumnStride: bColumnStride,
                 c: output.pointer(Double.self) + cOffset, cRowStride: n, accumulate: false)
        case .int64, .bool: fail("matmul", "unreachable")
        }
    }
    return output
}

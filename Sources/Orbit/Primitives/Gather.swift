internal import OrbitKernels

extension Tensor {
    /// Picks elements along `axis` by an int64 index tensor of the same rank (PyTorch `gather`):
    /// y[o, j, i] = x[o, index[o, j, i], i] for the view [outer, axis, inner]. `indices` may differ from
    /// x only along `axis`. Pullback: ḡ scatter-added into zeros of x's shape.
    public func gathered(along axis: Int, indices: Tensor) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, operation: "gathered(along:indices:)")
        check(indices.dtype == .int64, "gathered(along:indices:)", "indices must be int64, got \(indices.dtype)")
        check(indices.rank == rank && shape.indices.allSatisfy { $0 == axis || indices.shape[$0] == shape[$0] },
              "gathered(along:indices:)", "indices of shape \(indices.shape) must match \(shape) on every axis but \(axis)")
        let length = shape[axis]
        if let bad = indices.buffer(Int64.self).first(where: { $0 < 0 || $0 >= length }) {
            fail("gathered(along:indices:)", "index \(bad) is out of range 0..<\(length) along axis \(axis) of shape \(shape)")
        }
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        let count = indices.shape[axis]
        let output = Tensor(uninitializedShape: indices.shape, dtype: dtype)
        OrbitKernels.gather(storage.pointer, outer: outer, length: length, inner: inner, indices: indices.pointer(Int64.self),
                            count: count, output: output.storage.pointer, elementSize: dtype.byteCount)
        guard dtype.isFloatingPoint else { return output }
        let sourceShape = shape
        return record("gather", inputs: [self], output: output) { g, _ in
            let result = Tensor(uninitializedShape: sourceShape, dtype: g.dtype)
            switch g.dtype {
            case .float32: scatterAdd(g.pointer(Float.self), outer: outer, length: length, inner: inner,
                                      indices: indices.pointer(Int64.self), count: count, output: result.pointer(Float.self))
            case .float64: scatterAdd(g.pointer(Double.self), outer: outer, length: length, inner: inner,
                                      indices: indices.pointer(Int64.self), count: count, output: result.pointer(Double.self))
            case .int64, .bool: fail("gather", "unreachable")
            }
            return [result]
        }
    }
}

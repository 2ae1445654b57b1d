internal import OrbitKernels

// Primitives that change how elements are arranged: reshape (free: storage is shared), expand
// (broadcast copy) and permute (transposing copy). All are linear; their pullbacks are each other.

extension Tensor {
    /// The same elements in a new shape with the same count; one size may be -1 (inferred). Shares
    /// storage. Pullback: ḡ reshaped back.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let target = Tensor.resolve(newShape, count: scalarCount, from: shape)
        let output = Tensor(shape: target, dtype: dtype, storage: storage)
        guard dtype.isFloatingPoint else { return output }
        let original = shape
        return record("reshape", inputs: [self], output: output) { g, _ in [g.reshaped(original)] }
    }

    /// The tensor broadcast to `target` (NumPy rules: new leading axes, size-1 axes repeated).
    /// Pullback: ḡ summed back to the input shape (done by the backward pass).
    public func expanded(to target: [Int]) -> Tensor {
        check(Shape.broadcast(shape, target) == target, "expanded(to:)",
              "shape \(shape) cannot be broadcast to \(target) (aligned from the last axis, sizes must match or be 1)")
        if target == shape { return self }
        let output = Tensor(uninitializedShape: target, dtype: dtype)
        let layout = StridedLayout(shape: target, operandStrides: [Shape.broadcastStrides(of: shape, to: target)])
        copyStrided(layout, source: storage.pointer, output: output.storage.pointer, elementSize: dtype.byteCount)
        guard dtype.isFloatingPoint else { return output }
        return record("expand", inputs: [self], output: output) { g, _ in [g] }
    }

    /// Axes reordered: output axis k is input axis `order[k]` (PyTorch `permute`). Copies.
    /// Pullback: ḡ permuted by the inverse order.
    public func permuted(_ order: [Int]) -> Tensor {
        check(order.count == rank && Set(order) == Set(0..<rank), "permuted",
              "order \(order) is not a permutation of the \(rank) axes of shape \(shape)")
        if order == Array(0..<rank) { return self }
        let target = order.map { shape[$0] }
        let strides = shape.rowMajorStrides
        let output = Tensor(uninitializedShape: target, dtype: dtype)
        let layout = StridedLayout(shape: target, operandStrides: [order.map { strides[$0] }])
        copyStrided(layout, source: storage.pointer, output: output.storage.pointer, elementSize: dtype.byteCount)
        guard dtype.isFloatingPoint else { return output }
        let inverse = (0..<rank).map { axis in order.firstIndex(of: axis)! }
        return record("permute", inputs: [self], output: output) { g, _ in [g.permuted(inverse)] }
    }

    /// Resolves one -1 in `shape`, checking that the element count is preserved.
    static func resolve(_ shape: [Int], count: Int, from original: [Int]) -> [Int] {
        let unknown = shape.indices.filter { shape[$0] == -1 }
        check(unknown.count <= 1 && shape.allSatisfy { $0 >= -1 }, "reshaped",
              "shape \(shape) may contain at most one -1 and no other negative size")
        var resolved = shape
        if let axis = unknown.first {
            let known = shape.filter { $0 != -1 }.reduce(1, *)
            check(known > 0 && count % known == 0, "reshaped",
                  "cannot infer the -1 in \(shape) for \(count) elements (input shape \(original))")
            resolved[axis] = count / known
        }
        check(resolved.elementCount == count, "reshaped",
              "cannot reshape \(original) (\(count) elements) to \(shape) (\(resolved.elementCount) elements)")
        return resolved
    }
}

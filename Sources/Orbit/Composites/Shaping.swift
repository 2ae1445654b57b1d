// Shape helpers composed from reshape, permute, flip and concatenate.

extension Tensor {
    /// Swaps two axes (the last two by default).
    public func transposed(_ axis0: Int = -2, _ axis1: Int = -1) -> Tensor {
        let first = Shape.normalize(axis: axis0, rank: rank, operation: "transposed")
        let second = Shape.normalize(axis: axis1, rank: rank, operation: "transposed")
        var order = Array(0..<rank)
        order.swapAt(first, second)
        return permuted(order)
    }

    /// Inserts a size-1 axis at `axis` (which may be `rank`, to append).
    public func unsqueezed(axis: Int) -> Tensor {
        let position = axis < 0 ? axis + rank + 1 : axis
        check(position >= 0 && position <= rank, "unsqueezed", "axis \(axis) is out of range for rank \(rank)")
        var newShape = shape
        newShape.insert(1, at: position)
        return reshaped(newShape)
    }

    /// Removes the size-1 axis `axis`.
    public func squeezed(axis: Int) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, operation: "squeezed")
        check(shape[axis] == 1, "squeezed", "axis \(axis) of shape \(shape) has size \(shape[axis]), not 1")
        var newShape = shape
        newShape.remove(at: axis)
        return reshaped(newShape)
    }

    /// All axes from `startAxis` on merged into one (PyTorch `flatten(start_dim)`).
    public func flattened(from startAxis: Int = 0) -> Tensor {
        let start = Shape.normalize(axis: startAxis, rank: rank, operation: "flattened")
        return reshaped(Array(shape[..<start]) + [shape[start...].reduce(1, *)])
    }

    /// Exact rotation by k·90° of the last two axes (H, W), counter-clockwise as displayed with row 0 at
    /// the top, as NumPy/PyTorch `rot90(x, k, dims=(-2, -1))`: k = 1 gives y[i, j] = x[j, W-1-i].
    public func rotated90(_ k: Int = 1) -> Tensor {
        check(rank >= 2, "rotated90", "needs at least two axes, got shape \(shape)")
        switch ((k % 4) + 4) % 4 {
        case 1: return transposed().flipped(axes: [-2])
        case 2: return flipped(axes: [-2, -1])
        case 3: return flipped(axes: [-2]).transposed()
        default: return self
        }
    }
}

/// Joins tensors of equal shape along a new axis.
public func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    check(!tensors.isEmpty, "stack", "needs at least one tensor")
    check(tensors.allSatisfy { $0.shape == tensors[0].shape }, "stack", "shapes differ: \(tensors.map(\.shape))")
    return concatenate(tensors.map { $0.unsqueezed(axis: axis) }, axis: axis)
}

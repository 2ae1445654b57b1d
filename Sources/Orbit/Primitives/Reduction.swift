internal import OrbitKernels

// Reductions over axes. A run of adjacent reduced axes is one kernel call on the view
// [outer, length, inner]; separate runs are reduced one after another, last run first.

extension Tensor {
    /// Sum over `axes` (all axes when nil). Pullback: ḡ broadcast back over the reduced axes.
    public func sum(axes: [Int]? = nil, keepDimensions: Bool = false) -> Tensor {
        let axes = Shape.normalize(axes: axes, rank: rank, operation: "sum")
        let kept = reduceKernel(.sum, self, axes: axes, "sum")
        let input = self
        let y = record("sum", inputs: [self], output: kept) { g, _ in [g.expanded(to: input.shape)] }
        return keepDimensions ? y : y.reshaped(Tensor.droppingAxes(axes, of: shape))
    }

    /// Sum over one axis.
    public func sum(axis: Int, keepDimensions: Bool = false) -> Tensor {
        sum(axes: [axis], keepDimensions: keepDimensions)
    }

    /// Maximum over `axes` (all when nil); NaN propagates. Pullback: ḡ shared equally by the elements
    /// that attain the maximum (ties split, as PyTorch's `amax`).
    public func max(axes: [Int]? = nil, keepDimensions: Bool = false) -> Tensor {
        extremum(.maximum, axes: axes, keepDimensions: keepDimensions, "max")
    }

    /// Maximum over one axis.
    public func max(axis: Int, keepDimensions: Bool = false) -> Tensor {
        max(axes: [axis], keepDimensions: keepDimensions)
    }

    /// Minimum over `axes` (all when nil); NaN propagates. Pullback: as `max`, for the minimum.
    public func min(axes: [Int]? = nil, keepDimensions: Bool = false) -> Tensor {
        extremum(.minimum, axes: axes, keepDimensions: keepDimensions, "min")
    }

    /// Minimum over one axis.
    public func min(axis: Int, keepDimensions: Bool = false) -> Tensor {
        min(axes: [axis], keepDimensions: keepDimensions)
    }

    private func extremum(_ operation: ReductionOperation, axes: [Int]?, keepDimensions: Bool, _ name: String) -> Tensor {
        let axes = Shape.normalize(axes: axes, rank: rank, operation: name)
        let kept = reduceKernel(operation, self, axes: axes, name)
        let input = self
        let y = record(name, inputs: [self], output: kept) { g, _ in
            if let gradient = extremumGradient(input, kept: kept, gradient: g, axes: axes) { return [gradient] }
            let attains = input .== kept
            let count = attains.converted(to: g.dtype).sum(axes: axes, keepDimensions: true)
            return [select(attains, g / count, 0)]
        }
        return keepDimensions ? y : y.reshaped(Tensor.droppingAxes(axes, of: shape))
    }

    /// Index of the first maximum along `axis`, as int64 (not differentiable).
    public func argmax(axis: Int, keepDimensions: Bool = false) -> Tensor {
        argReduce(maximum: true, axis: axis, keepDimensions: keepDimensions, "argmax")
    }

    /// Index of the first minimum along `axis`, as int64 (not differentiable).
    public func argmin(axis: Int, keepDimensions: Bool = false) -> Tensor {
        argReduce(maximum: false, axis: axis, keepDimensions: keepDimensions, "argmin")
    }

    private func argReduce(maximum: Bool, axis: Int, keepDimensions: Bool, _ name: String) -> Tensor {
        checkFloatingPoint(self, name)
        let axis = Shape.normalize(axis: axis, rank: rank, operation: name)
        if rank == 0 { return Tensor(Int64(0)) }
        check(shape[axis] > 0, name, "cannot take \(name) over an empty axis \(axis) of shape \(shape)")
        var keptShape = shape
        keptShape[axis] = 1
        let output = Tensor(uninitializedShape: keptShape, dtype: .int64)
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        switch dtype {
        case .float32: OrbitKernels.argReduce(maximum: maximum, pointer(Float.self), outer: outer, length: shape[axis], inner: inner, output.pointer(Int64.self))
        case .float64: OrbitKernels.argReduce(maximum: maximum, pointer(Double.self), outer: outer, length: shape[axis], inner: inner, output.pointer(Int64.self))
        case .int64, .bool: fail(name, "unreachable")
        }
        return keepDimensions ? output : output.reshaped(Tensor.droppingAxes([axis], of: shape))
    }

    /// Sums a cotangent down to `target`, the shape it was broadcast from: the backward pass's one
    /// broadcast reduction (STYLE C5).
    func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let leading = rank - target.count
        check(leading >= 0, "summed(toShape:)", "cannot reduce shape \(shape) to \(target)")
        var axes = Array(0..<leading)
        for axis in target.indices where target[axis] == 1 && shape[leading + axis] != 1 { axes.append(leading + axis) }
        return sum(axes: axes, keepDimensions: true).reshaped(target)
    }

    static func droppingAxes(_ axes: [Int], of shape: [Int]) -> [Int] {
        shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }
}

/// The pullback of a maximum or minimum over one run of adjacent axes, as one kernel (the common case:
/// a max over V, a global max); nil for several runs, which take the composite in `extremum`.
private func extremumGradient(_ input: Tensor, kept: Tensor, gradient: Tensor, axes: [Int]) -> Tensor? {
    guard let first = axes.first, let last = axes.last, last - first + 1 == axes.count,
          gradient.dtype == input.dtype, gradient.shape == kept.shape, input.scalarCount > 0 else { return nil }
    let outer = input.shape[..<first].reduce(1, *), length = input.shape[first...last].reduce(1, *)
    let inner = input.shape[(last + 1)...].reduce(1, *)
    let result = Tensor(uninitializedShape: input.shape, dtype: input.dtype)
    switch input.dtype {
    case .float32: OrbitKernels.extremumGradient(input.pointer(Float.self), extremum: kept.pointer(Float.self), gradient: gradient.pointer(Float.self),
                                                 outer: outer, length: length, inner: inner, result.pointer(Float.self))
    case .float64: OrbitKernels.extremumGradient(input.pointer(Double.self), extremum: kept.pointer(Double.self), gradient: gradient.pointer(Double.self),
                                                 outer: outer, length: length, inner: inner, result.pointer(Double.self))
    case .int64, .bool: return nil
    }
    return result
}

/// Reduces `axes` (sorted, normalized) keeping them as size-1 axes.
private func reduceKernel(_ operation: ReductionOperation, _ x: Tensor, axes: [Int], _ name: String) -> Tensor {
    checkFloatingPoint(x, name)
    if operation != .sum {
        check(axes.allSatisfy { x.shape[$0] > 0 }, name, "cannot take \(name) over an empty axis of shape \(x.shape)")
    }
    // Group adjacent axes into runs; reduce the last run first so earlier axis numbers stay valid.
    var runs: [Range<Int>] = []
    for axis in axes {
        if let last = runs.last, last.upperBound == axis { runs[runs.count - 1] = last.lowerBound..<(axis + 1) }
        else { runs.append(axis..<(axis + 1)) }
    }
    var current = x
    for run in runs.reversed() {
        let outer = current.shape[..<run.lowerBound].reduce(1, *)
        let length = current.shape[run].reduce(1, *)
        let inner = current.shape[run.upperBound...].reduce(1, *)
        var shape = current.shape
        for axis in run { shape[axis] = 1 }
        let output = Tensor(uninitializedShape: shape, dtype: x.dtype)
        switch x.dtype {
        case .float32: reduce(operation, current.pointer(Float.self), outer: outer, length: length, inner: inner, output.pointer(Float.self))
        case .float64: reduce(operation, current.pointer(Double.self), outer: outer, length: length, inner: inner, output.pointer(Double.self))
        case .int64, .bool: fail(name, "unreachable")
        }
        current = output
    }
    return runs.isEmpty ? Tensor(shape: x.shape, dtype: x.dtype, storage: x.storage) : current
}

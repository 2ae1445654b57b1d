internal import OrbitKernels

// Comparisons (masks, not differentiable) and selection by mask (differentiable in the two values).

infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

/// Element-wise a == b with broadcasting, as a bool tensor.
public func .== (a: Tensor, b: Tensor) -> Tensor { comparison(.equal, a, b, "compare(.==)") }
/// Element-wise a != b with broadcasting, as a bool tensor.
public func .!= (a: Tensor, b: Tensor) -> Tensor { comparison(.notEqual, a, b, "compare(.!=)") }
/// Element-wise a < b with broadcasting, as a bool tensor.
public func .< (a: Tensor, b: Tensor) -> Tensor { comparison(.less, a, b, "compare(.<)") }
/// Element-wise a <= b with broadcasting, as a bool tensor.
public func .<= (a: Tensor, b: Tensor) -> Tensor { comparison(.lessOrEqual, a, b, "compare(.<=)") }
/// Element-wise a > b with broadcasting, as a bool tensor.
public func .> (a: Tensor, b: Tensor) -> Tensor { comparison(.greater, a, b, "compare(.>)") }
/// Element-wise a >= b with broadcasting, as a bool tensor.
public func .>= (a: Tensor, b: Tensor) -> Tensor { comparison(.greaterOrEqual, a, b, "compare(.>=)") }

// Comparisons with a number. Integer tensors are compared in float64 (exact below 2⁵³), so that a
// fractional constant is not truncated: labels .< 2.5 includes 2.
public func .== (a: Tensor, b: Double) -> Tensor { comparable(a) .== Tensor.scalar(b, like: comparable(a)) }
public func .< (a: Tensor, b: Double) -> Tensor { comparable(a) .< Tensor.scalar(b, like: comparable(a)) }
public func .<= (a: Tensor, b: Double) -> Tensor { comparable(a) .<= Tensor.scalar(b, like: comparable(a)) }
public func .> (a: Tensor, b: Double) -> Tensor { comparable(a) .> Tensor.scalar(b, like: comparable(a)) }
public func .>= (a: Tensor, b: Double) -> Tensor { comparable(a) .>= Tensor.scalar(b, like: comparable(a)) }

private func comparable(_ tensor: Tensor) -> Tensor {
    tensor.dtype == .int64 ? tensor.converted(to: .float64) : tensor
}

private func comparison(_ operation: ComparisonOperation, _ a: Tensor, _ b: Tensor, _ name: String) -> Tensor {
    checkSameDType(a, b, name)
    check(a.dtype != .bool, name, "comparisons take numbers, got bool tensors \(a.shape) and \(b.shape)")
    let shape = broadcastShape(a, b, name)
    let output = Tensor(uninitializedShape: shape, dtype: .bool)
    let layout = StridedLayout(shape: shape, operandStrides: [
        Shape.broadcastStrides(of: a.shape, to: shape), Shape.broadcastStrides(of: b.shape, to: shape)])
    switch a.dtype {
    case .float32: applyComparison(operation, layout, a.pointer(Float.self), b.pointer(Float.self), output.pointer(Bool.self))
    case .float64: applyComparison(operation, layout, a.pointer(Double.self), b.pointer(Double.self), output.pointer(Bool.self))
    case .int64: applyComparison(operation, layout, a.pointer(Int64.self), b.pointer(Int64.self), output.pointer(Bool.self))
    case .bool: fail(name, "unreachable")
    }
    return output
}

/// Element-wise `mask ? a : b` (PyTorch `torch.where`) with broadcasting of all three. Pullback: (ḡ where mask, ḡ where !mask).
public func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    check(mask.dtype == .bool, "select", "mask must be a bool tensor, got \(mask.dtype) \(mask.shape)")
    checkFloatingPoint(a, "select")
    checkSameDType(a, b, "select")
    guard let valueShape = Shape.broadcast(a.shape, b.shape), let shape = Shape.broadcast(mask.shape, valueShape) else {
        fail("select", "mask \(mask.shape), a \(a.shape) and b \(b.shape) do not broadcast together")
    }
    let output = Tensor(uninitializedShape: shape, dtype: a.dtype)
    let layout = StridedLayout(shape: shape, operandStrides: [mask, a, b].map { Shape.broadcastStrides(of: $0.shape, to: shape) })
    switch a.dtype {
    case .float32: applySelect(layout, mask: mask.pointer(Bool.self), a.pointer(Float.self), b.pointer(Float.self), output.pointer(Float.self))
    case .float64: applySelect(layout, mask: mask.pointer(Bool.self), a.pointer(Double.self), b.pointer(Double.self), output.pointer(Double.self))
    case .int64, .bool: fail("select", "unreachable")
    }
    return record("select", inputs: [a, b], output: output) { g, needs in
        let zero = Tensor.scalar(0, like: g)
        return [needs[0] ? select(mask, g, zero) : nil, needs[1] ? select(mask, zero, g) : nil]
    }
}

/// `select` with constant values, of the dtype of `like`.
public func select(_ mask: Tensor, _ a: Double, _ b: Double, like: Tensor) -> Tensor {
    select(mask, Tensor.scalar(a, like: like), Tensor.scalar(b, like: like))
}

/// `select` with a tensor and a constant.
public func select(_ mask: Tensor, _ a: Tensor, _ b: Double) -> Tensor {
    select(mask, a, Tensor.scalar(b, like: a))
}

/// `select` with a constant and a tensor.
public func select(_ mask: Tensor, _ a: Double, _ b: Tensor) -> Tensor {
    select(mask, Tensor.scalar(a, like: b), b)
}

internal import OrbitKernels

// Element-wise primitives of two tensors with NumPy broadcasting. Pullbacks return cotangents at the
// broadcast shape; the backward pass sums them down to each input's shape (Backward.swift).

/// a + b. Pullback: (ḡ, ḡ).
public func + (a: Tensor, b: Tensor) -> Tensor {
    let y = binaryKernel(.add, a, b, "add")
    return record("add", inputs: [a, b], output: y) { g, _ in [g, g] }
}

/// a - b. Pullback: (ḡ, -ḡ).
public func - (a: Tensor, b: Tensor) -> Tensor {
    let y = binaryKernel(.subtract, a, b, "subtract")
    return record("subtract", inputs: [a, b], output: y) { g, needs in [g, needs[1] ? -g : nil] }
}

/// a · b element-wise. Pullback: (ḡ·b, ḡ·a).
public func * (a: Tensor, b: Tensor) -> Tensor {
    let y = binaryKernel(.multiply, a, b, "multiply")
    return record("multiply", inputs: [a, b], output: y) { g, needs in
        [needs[0] ? g * b : nil, needs[1] ? g * a : nil]
    }
}

/// a / b element-wise. Pullback: (ḡ / b, -ḡ·y / b).
public func / (a: Tensor, b: Tensor) -> Tensor {
    let y = binaryKernel(.divide, a, b, "divide")
    return record("divide", inputs: [a, b], output: y) { g, needs in
        [needs[0] ? g / b : nil, needs[1] ? -(g * y / b) : nil]
    }
}

/// Element-wise maximum (NaN if either is NaN). Pullback: ḡ to the larger operand; at ties each
/// operand gets ḡ/2 (the symmetric subgradient).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    let y = binaryKernel(.maximum, a, b, "maximum")
    return record("maximum", inputs: [a, b], output: y) { g, _ in
        let shareOfA = select(a .> b, 1.0, select(a .== b, 0.5, 0.0, like: g))
        return [g * shareOfA, g * (1 - shareOfA)]
    }
}

/// Element-wise minimum (NaN if either is NaN). Pullback: ḡ to the smaller operand; ḡ/2 each at ties.
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    let y = binaryKernel(.minimum, a, b, "minimum")
    return record("minimum", inputs: [a, b], output: y) { g, _ in
        let shareOfA = select(a .< b, 1.0, select(a .== b, 0.5, 0.0, like: g))
        return [g * shareOfA, g * (1 - shareOfA)]
    }
}

/// Runs a binary kernel with broadcasting into a new tensor.
func binaryKernel(_ operation: BinaryOperation, _ a: Tensor, _ b: Tensor, _ name: String) -> Tensor {
    checkFloatingPoint(a, name)
    checkSameDType(a, b, name)
    let shape = broadcastShape(a, b, name)
    let output = Tensor(uninitializedShape: shape, dtype: a.dtype)
    let layout = StridedLayout(shape: shape, operandStrides: [
        Shape.broadcastStrides(of: a.shape, to: shape), Shape.broadcastStrides(of: b.shape, to: shape)])
    switch a.dtype {
    case .float32: applyBinary(operation, layout, a.pointer(Float.self), b.pointer(Float.self), output.pointer(Float.self))
    case .float64: applyBinary(operation, layout, a.pointer(Double.self), b.pointer(Double.self), output.pointer(Double.self))
    case .int64, .bool: fail(name, "unreachable dtype \(a.dtype)")
    }
    return output
}

/// The broadcast shape of two operands, or a stop naming the op and both shapes.
func broadcastShape(_ a: Tensor, _ b: Tensor, _ name: String) -> [Int] {
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
        fail(name, "shapes \(a.shape) and \(b.shape) do not broadcast (aligned from the last axis, sizes must be equal or 1)")
    }
    return shape
}

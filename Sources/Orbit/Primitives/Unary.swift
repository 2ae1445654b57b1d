internal import OrbitKernels

// Element-wise primitives of one tensor. Each is: argument check, kernel call, pullback (STYLE C4).
// Pullbacks run with recording off and reuse the forward output `y` where that is cheaper than x.

/// -x. Pullback: -ḡ.
public prefix func - (x: Tensor) -> Tensor {
    let y = unaryKernel(.negate, x, "negate")
    return record("negate", inputs: [x], output: y) { g, _ in [-g] }
}

/// eˣ. Pullback: ḡ·y.
public func exp(_ x: Tensor) -> Tensor {
    let y = unaryKernel(.exp, x, "exp")
    return record("exp", inputs: [x], output: y) { g, _ in [g * y] }
}

/// Natural logarithm (NaN below 0, -inf at 0). Pullback: ḡ / x.
public func log(_ x: Tensor) -> Tensor {
    let y = unaryKernel(.log, x, "log")
    return record("log", inputs: [x], output: y) { g, _ in [g / x] }
}

/// √x. Pullback: ḡ / (2y).
public func sqrt(_ x: Tensor) -> Tensor {
    let y = unaryKernel(.squareRoot, x, "sqrt")
    return record("sqrt", inputs: [x], output: y) { g, _ in [g / (y * 2)] }
}

/// |x|. Pullback: ḡ·sign(x), with the subgradient 0 at x = 0.
public func abs(_ x: Tensor) -> Tensor {
    let y = unaryKernel(.absoluteValue, x, "abs")
    return record("abs", inputs: [x], output: y) { g, _ in [g * unaryKernel(.sign, x, "abs")] }
}

/// tanh x. Pullback: ḡ·(1 - y²).
public func tanh(_ x: Tensor) -> Tensor {
    let y = unaryKernel(.tanh, x, "tanh")
    return record("tanh", inputs: [x], output: y) { g, _ in [binaryKernel(.tanhBackward, y, g, "tanh")] }
}

/// 1 / (1 + e⁻ˣ), a primitive of its own for stability and speed. Pullback: ḡ·y·(1 - y).
public func sigmoid(_ x: Tensor) -> Tensor {
    let y = unaryKernel(.sigmoid, x, "sigmoid")
    return record("sigmoid", inputs: [x], output: y) { g, _ in [binaryKernel(.sigmoidBackward, y, g, "sigmoid")] }
}

/// max(x, 0). Pullback: ḡ where x > 0, else 0 (subgradient 0 at x = 0, as PyTorch). The mask is read
/// from the output (y > 0 exactly where x > 0), so a network keeps only its activations for backward.
public func relu(_ x: Tensor) -> Tensor {
    let y = unaryKernel(.relu, x, "relu")
    return record("relu", inputs: [x], output: y) { g, _ in [binaryKernel(.reluBackward, y, g, "relu")] }
}

/// x for x > 0, slope·x otherwise. Pullback: ḡ where x > 0, slope·ḡ otherwise (slope at x = 0).
public func leakyRelu(_ x: Tensor, slope: Double = 0.01) -> Tensor {
    let y = unaryKernel(.leakyRelu(slope: slope), x, "leakyRelu")
    return record("leakyRelu", inputs: [x], output: y) { g, _ in
        [binaryKernel(.leakyReluBackward(slope: slope), x, g, "leakyRelu")]
    }
}

/// xᶜ for a constant exponent c. Pullback: ḡ·c·xᶜ⁻¹.
public func pow(_ x: Tensor, _ exponent: Double) -> Tensor {
    let y = unaryKernel(.power(exponent), x, "pow")
    return record("pow", inputs: [x], output: y) { g, _ in
        exponent == 0 ? [g * 0] : [g * unaryKernel(.power(exponent - 1), x, "pow") * exponent]
    }
}

/// Runs a unary kernel into a new tensor of the same shape and dtype.
func unaryKernel(_ operation: UnaryOperation, _ x: Tensor, _ name: String) -> Tensor {
    checkFloatingPoint(x, name)
    let output = Tensor(uninitializedShape: x.shape, dtype: x.dtype)
    switch x.dtype {
    case .float32: applyUnary(operation, x.buffer(Float.self), output.pointer(Float.self))
    case .float64: applyUnary(operation, x.buffer(Double.self), output.pointer(Double.self))
    case .int64, .bool: fail(name, "unreachable dtype \(x.dtype)")
    }
    return output
}

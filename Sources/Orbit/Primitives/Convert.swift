internal import OrbitKernels

extension Tensor {
    /// The values converted to another dtype (float to int64 truncates toward zero; to bool is `!= 0`).
    /// Differentiable between float32 and float64. Pullback: ḡ converted back.
    public func converted(to target: DType) -> Tensor {
        if target == dtype { return self }
        let output = Tensor(uninitializedShape: shape, dtype: target)
        switch (dtype, target) {
        case (.float32, .float64): convert(buffer(Float.self), output.pointer(Double.self)) { Double($0) }
        case (.float64, .float32): convert(buffer(Double.self), output.pointer(Float.self)) { Float($0) }
        case (.float32, .int64): convert(buffer(Float.self), output.pointer(Int64.self)) { Int64(exactly: $0.rounded(.towardZero)) ?? 0 }
        case (.float64, .int64): convert(buffer(Double.self), output.pointer(Int64.self)) { Int64(exactly: $0.rounded(.towardZero)) ?? 0 }
        case (.int64, .float32): convert(buffer(Int64.self), output.pointer(Float.self)) { Float($0) }
        case (.int64, .float64): convert(buffer(Int64.self), output.pointer(Double.self)) { Double($0) }
        case (.bool, .float32): convert(buffer(Bool.self), output.pointer(Float.self)) { $0 ? 1 : 0 }
        case (.bool, .float64): convert(buffer(Bool.self), output.pointer(Double.self)) { $0 ? 1 : 0 }
        case (.bool, .int64): convert(buffer(Bool.self), output.pointer(Int64.self)) { $0 ? 1 : 0 }
        case (.float32, .bool): convert(buffer(Float.self), output.pointer(Bool.self)) { $0 != 0 }
        case (.float64, .bool): convert(buffer(Double.self), output.pointer(Bool.self)) { $0 != 0 }
        case (.int64, .bool): convert(buffer(Int64.self), output.pointer(Bool.self)) { $0 != 0 }
        default: fail("converted(to:)", "unreachable conversion \(dtype) -> \(target)")
        }
        guard dtype.isFloatingPoint && target.isFloatingPoint else { return output }
        let source = dtype
        return record("convert", inputs: [self], output: output) { g, _ in [g.converted(to: source)] }
    }
}

internal import OrbitKernels

/// Max pooling over kH×kW windows of [N, C, H, W] (PyTorch `max_pool2d`; stride defaults to the
/// window). Pullback: ḡ routed to the first maximum of each window.
public func maxPool2d(_ x: Tensor, kernelSize: some PerAxisConvertible, stride: (any PerAxisConvertible)? = nil,
                      padding: some PerAxisConvertible = 0) -> Tensor {
    let geometry = poolingGeometry(x, kernelSize.perAxis, stride?.perAxis, padding.perAxis, "maxPool2d")
    let (height, width) = geometry.outputSize
    let output = Tensor(uninitializedShape: [x.shape[0], x.shape[1], height, width], dtype: x.dtype)
    let argmax = Tensor(uninitializedShape: output.shape, dtype: .int64)
    switch x.dtype {
    case .float32: maxPoolForward(geometry, x.pointer(Float.self), output.pointer(Float.self), argmax: argmax.pointer(Int64.self))
    case .float64: maxPoolForward(geometry, x.pointer(Double.self), output.pointer(Double.self), argmax: argmax.pointer(Int64.self))
    case .int64, .bool: fail("maxPool2d", "unreachable")
    }
    let inputShape = x.shape
    return record("maxPool2d", inputs: [x], output: output) { g, _ in
        let result = Tensor(uninitializedShape: inputShape, dtype: g.dtype)
        switch g.dtype {
        case .float32: maxPoolBackward(geometry, g.pointer(Float.self), argmax: argmax.pointer(Int64.self), result.pointer(Float.self))
        case .float64: maxPoolBackward(geometry, g.pointer(Double.self), argmax: argmax.pointer(Int64.self), result.pointer(Double.self))
        case .int64, .bool: fail("maxPool2d", "unreachable")
        }
        return [result]
    }
}

/// Average pooling over kH×kW windows of [N, C, H, W] (PyTorch `avg_pool2d`; padding counts toward
/// the divisor unless `countPadding` is false). Pullback: ḡ spread evenly over each window.
public func averagePool2d(_ x: Tensor, kernelSize: some PerAxisConvertible, stride: (any PerAxisConvertible)? = nil,
                          padding: some PerAxisConvertible = 0, countPadding: Bool = true) -> Tensor {
    let geometry = poolingGeometry(x, kernelSize.perAxis, stride?.perAxis, padding.perAxis, "averagePool2d")
    let (height, width) = geometry.outputSize
    let output = Tensor(uninitializedShape: [x.shape[0], x.shape[1], height, width], dtype: x.dtype)
    switch x.dtype {
    case .float32: averagePoolForward(geometry, countPadding: countPadding, x.pointer(Float.self), output.pointer(Float.self))
    case .float64: averagePoolForward(geometry, countPadding: countPadding, x.pointer(Double.self), output.pointer(Double.self))
    case .int64, .bool: fail("averagePool2d", "unreachable")
    }
    let inputShape = x.shape
    return record("averagePool2d", inputs: [x], output: output) { g, _ in
        let result = Tensor(uninitializedShape: inputShape, dtype: g.dtype)
        switch g.dtype {
        case .float32: averagePoolBackward(geometry, countPadding: countPadding, g.pointer(Float.self), result.pointer(Float.self))
        case .float64: averagePoolBackward(geometry, countPadding: countPadding, g.pointer(Double.self), result.pointer(Double.self))
        case .int64, .bool: fail("averagePool2d", "unreachable")
        }
        return [result]
    }
}

private func poolingGeometry(_ x: Tensor, _ kernelSize: PerAxis, _ stride: PerAxis?, _ padding: PerAxis, _ name: String) -> PoolingGeometry {
    checkFloatingPoint(x, name)
    check(x.rank == 4, name, "input must be [N, C, H, W], got shape \(x.shape)")
    let kernel = kernelSize.resolved(rank: 2, "kernelSize", name)
    let strides = (stride ?? kernelSize).resolved(rank: 2, "stride", name)
    let paddings = padding.resolved(rank: 2, "padding", name)
    check(kernel.allSatisfy { $0 >= 1 } && strides.allSatisfy { $0 >= 1 }, name,
          "kernel size \(kernel) and stride \(strides) must be >= 1")
    check(zip(paddings, kernel).allSatisfy { $0 >= 0 && 2 * $0 <= $1 }, name,
          "padding \(paddings) must be between 0 and half the kernel size \(kernel)")
    check(x.shape[2] + 2 * paddings[0] >= kernel[0] && x.shape[3] + 2 * paddings[1] >= kernel[1], name,
          "input \(x.shape) with padding \(paddings) is smaller than the window \(kernel)")
    return PoolingGeometry(planes: x.shape[0] * x.shape[1], inputSize: (x.shape[2], x.shape[3]),
                           kernelSize: (kernel[0], kernel[1]), stride: (strides[0], strides[1]),
                           padding: (paddings[0], paddings[1]))
}

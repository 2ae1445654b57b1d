/// Element-wise functions of two tensors with NumPy broadcasting (the caller supplies broadcast
/// strides through `StridedLayout`).
public enum BinaryOperation: Sendable, Equatable {
    case add, subtract, multiply, divide, maximum, minimum
    // Fused backward helpers for first-order pullbacks: (forward value, cotangent) -> input cotangent.
    /// (x, g) -> x > 0 ? g : 0
    case reluBackward
    /// (x, g) -> x > 0 ? g : slope·g
    case leakyReluBackward(slope: Double)
    /// (y, g) -> g·(1 - y²), with y = tanh(x)
    case tanhBackward
    /// (y, g) -> g·y·(1 - y), with y = sigmoid(x)
    case sigmoidBackward
}

public func applyBinary(_ operation: BinaryOperation, _ layout: StridedLayout,
                        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
    binary(operation, layout, a, b, output)
}

public func applyBinary(_ operation: BinaryOperation, _ layout: StridedLayout,
                        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ output: UnsafeMutablePointer<Double>) {
    binary(operation, layout, a, b, output)
}

@inline(__always)
private func binary<T: KernelFloat>(_ operation: BinaryOperation, _ layout: StridedLayout,
                                    _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>) {
    switch operation {
    case .add: zip(layout, a, b, output) { $0 + $1 }
    case .subtract: zip(layout, a, b, output) { $0 - $1 }
    case .multiply: zip(layout, a, b, output) { $0 * $1 }
    case .divide: zip(layout, a, b, output) { $0 / $1 }
    // NaN in either operand gives NaN (as PyTorch's maximum/minimum), unlike pointwiseMax.
    case .maximum: zip(layout, a, b, output) { x, y in propagatingNaN(x, y, T.select(T.greater(y, x), y, x)) }
    case .minimum: zip(layout, a, b, output) { x, y in propagatingNaN(x, y, T.select(T.less(y, x), y, x)) }
    case .reluBackward: zip(layout, a, b, output) { x, g in T.select(T.greater(x, .zero), g, .zero) }
    case .leakyReluBackward(let slope):
        let slope = T(slope)
        zip(layout, a, b, output) { x, g in T.select(T.greater(x, .zero), g, g * slope) }
    case .tanhBackward: zip(layout, a, b, output) { y, g in g * (1 - y * y) }
    case .sigmoidBackward: zip(layout, a, b, output) { y, g in g * y * (1 - y) }
    }
}

/// `result`, except NaN where x or y is NaN.
@inline(__always)
func propagatingNaN<T: KernelFloat>(_ x: SIMD8<T>, _ y: SIMD8<T>, _ result: SIMD8<T>) -> SIMD8<T> {
    T.select(T.isNaN(x), x, T.select(T.isNaN(y), y, result))
}

/// Applies `function` to pairs of elements along each row of `layout`; a broadcast operand (row stride
/// 0) is splatted once per row instead of loaded.
@inline(__always)
func zip<T: KernelFloat>(_ layout: StridedLayout, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
                         _ output: UnsafeMutablePointer<T>, _ function: (SIMD8<T>, SIMD8<T>) -> SIMD8<T>) {
    let strideA = layout.rowStrides[0], strideB = layout.rowStrides[1]
    layout.forEachPiece { start, length, offsets in
        let rowA = a + offsets[0], rowB = b + offsets[1], rowOutput = output + start
        let splatA = SIMD8<T>(repeating: rowA[0]), splatB = SIMD8<T>(repeating: rowB[0])
        var index = 0
        while index + 8 <= length {
            let x = strideA == 0 ? splatA : loadVector(rowA + index)
            let y = strideB == 0 ? splatB : loadVector(rowB + index)
            storeVector(function(x, y), rowOutput + index)
            index += 8
        }
        if index < length {
            let count = length - index
            let x = strideA == 0 ? splatA : loadPartialVector(rowA + index, count)
            let y = strideB == 0 ? splatB : loadPartialVector(rowB + index, count)
            storePartialVector(function(x, y), rowOutput + index, count)
        }
    }
}

/// Element-wise functions of one tensor. Each case is one line of SIMD math (STYLE K3), applied by
/// `map` as full vectors plus one partial vector for the tail.
public enum UnaryOperation: Sendable, Equatable {
    case negate, exp, log, squareRoot, absoluteValue, tanh, sigmoid, relu
    /// -1, 0 or 1 (NaN stays NaN): the subgradient Orbit uses for |x| at 0.
    case sign
    /// x for x > 0, slope·x otherwise.
    case leakyRelu(slope: Double)
    /// x^exponent for a constant exponent (exact fast paths for 1, 2, 3, 0.5 and -1).
    case power(Double)
    /// x·scale for a constant scale.
    case scale(Double)
}

public func applyUnary(_ operation: UnaryOperation, _ input: UnsafeBufferPointer<Float>, _ output: UnsafeMutablePointer<Float>) {
    unary(operation, input, output)
}

public func applyUnary(_ operation: UnaryOperation, _ input: UnsafeBufferPointer<Double>, _ output: UnsafeMutablePointer<Double>) {
    unary(operation, input, output)
}

@inline(__always)
private func unary<T: KernelFloat>(_ operation: UnaryOperation, _ input: UnsafeBufferPointer<T>, _ output: UnsafeMutablePointer<T>) {
    switch operation {
    case .negate: map(input, output) { -$0 }
    case .exp: map(input, output) { T.exp($0) }
    case .log: map(input, output) { T.log($0) }
    case .squareRoot: map(input, output) { $0.squareRoot() }
    // Negating negative lanes and zeroing ±0 gives |−0| = +0, as IEEE abs.
    case .absoluteValue:
        map(input, output) { x in T.select(T.equal(x, .zero), .zero, T.select(T.less(x, .zero), -x, x)) }
    case .tanh: map(input, output) { T.tanh($0) }
    case .sigmoid: map(input, output) { 1 / (1 + T.exp(-$0)) }
    case .relu: map(input, output) { x in T.select(T.lessOrEqual(x, .zero), .zero, x) }
    case .sign:
        map(input, output) { x in
            T.select(T.isNaN(x), x, T.select(T.greater(x, .zero), SIMD8(repeating: 1),
                                             T.select(T.less(x, .zero), SIMD8(repeating: -1), .zero)))
        }
    case .leakyRelu(let slope):
        let slope = T(slope)
        map(input, output) { x in T.select(T.greater(x, .zero), x, x * slope) }
    case .scale(let factor):
        let factor = T(factor)
        map(input, output) { $0 * factor }
    case .power(let exponent):
        switch exponent {
        case 1: map(input, output) { $0 }
        case 2: map(input, output) { $0 * $0 }
        case 3: map(input, output) { $0 * $0 * $0 }
        case 0.5: map(input, output) { $0.squareRoot() }
        case -1: map(input, output) { 1 / $0 }
        default:
            let exponent = T(exponent)
            map(input, output) { T.power($0, exponent) }
        }
    }
}

/// Applies `function` to every element: SIMD8 vectors in parallel chunks, and the tail as one partial
/// vector, so each element's result is independent of where it sits in the buffer.
@inline(__always)
func map<T: KernelFloat>(_ input: UnsafeBufferPointer<T>, _ output: UnsafeMutablePointer<T>,
                         _ function: (SIMD8<T>) -> SIMD8<T>) {
    guard let source = input.baseAddress else { return }
    Parallel.forEachRange(input.count, grain: 1 << 16) { range in
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            storeVector(function(loadVector(source + index)), output + index)
            index += 8
        }
        if index < range.upperBound {
            let count = range.upperBound - index
            storePartialVector(function(loadPartialVector(source + index, count)), output + index, count)
        }
    }
}

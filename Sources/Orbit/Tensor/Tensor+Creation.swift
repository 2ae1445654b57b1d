internal import OrbitKernels

extension Tensor {
    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        full(shape, value: 0, dtype: dtype)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        full(shape, value: 1, dtype: dtype)
    }

    /// Zeros with the shape and dtype of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape, dtype: other.dtype) }

    /// A tensor with every element equal to `value` (converted to `dtype`).
    public static func full(_ shape: [Int], value: Double, dtype: DType = .float32) -> Tensor {
        check(shape.allSatisfy { $0 >= 0 }, "full", "negative size in shape \(shape)")
        let output = Tensor(uninitializedShape: shape, dtype: dtype)
        switch dtype {
        case .float32: fill(output.mutableBuffer(Float.self), with: Float(value))
        case .float64: fill(output.mutableBuffer(Double.self), with: value)
        case .int64:
            check(value.isFinite && Swift.abs(value) < 0x1p63, "full", "int64 fill value \(value) is not a finite int64")
            fill(output.mutableBuffer(Int64.self), with: Int64(value))
        case .bool: fill(output.mutableBuffer(Bool.self), with: value != 0)
        }
        return output
    }

    /// 0, 1, …, count - 1 (PyTorch `arange(count)`).
    public static func arange(_ count: Int, dtype: DType = .float32) -> Tensor {
        arange(from: 0, to: Double(count), step: 1, dtype: dtype)
    }

    /// start, start + step, … while below `end` (above it for a negative step). Element i is
    /// computed as start + i·step, so no rounding error accumulates.
    public static func arange(from start: Double, to end: Double, step: Double = 1, dtype: DType = .float32) -> Tensor {
        check(step != 0 && step.isFinite, "arange", "step must be finite and non-zero, got \(step)")
        let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor((0..<count).map { start + Double($0) * step }, shape: [count], dtype: dtype)
    }

    /// Samples from N(mean, standardDeviation²) drawn from `generator` (same seed, same tensor, on
    /// every machine).
    public static func randomNormal(_ shape: [Int], mean: Double = 0, standardDeviation: Double = 1,
                                    dtype: DType = .float32, using generator: inout RandomGenerator) -> Tensor {
        checkFloatDType(dtype, "randomNormal")
        let values = (0..<shape.elementCount).map { _ in mean + standardDeviation * generator.nextStandardNormal() }
        return Tensor(values, shape: shape, dtype: dtype)
    }

    /// Samples from the uniform distribution on [lowerBound, upperBound) drawn from `generator`.
    public static func randomUniform(_ shape: [Int], lowerBound: Double = 0, upperBound: Double = 1,
                                     dtype: DType = .float32, using generator: inout RandomGenerator) -> Tensor {
        checkFloatDType(dtype, "randomUniform")
        check(lowerBound <= upperBound, "randomUniform", "lowerBound \(lowerBound) is above upperBound \(upperBound)")
        let width = upperBound - lowerBound
        let values = (0..<shape.elementCount).map { _ in lowerBound + width * generator.nextUnitDouble() }
        return Tensor(values, shape: shape, dtype: dtype)
    }

    private static func checkFloatDType(_ dtype: DType, _ name: String) {
        check(dtype.isFloatingPoint, name, "samples float32 or float64, not \(dtype)")
    }
}

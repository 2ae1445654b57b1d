import Orbit
import Testing

/// A safetensors file from its parts: the 8-byte little-endian length of `header`, `header` as UTF-8,
/// then `data`. Crafted inputs for the rejection tests are built with it, so each test shows its header.
func safeTensorsBytes(header: String, data: [UInt8] = []) -> [UInt8] {
    let json = Array(header.utf8)
    return littleEndianBytes(UInt64(json.count)) + json + data
}

/// The 8 little-endian bytes of `value`.
func littleEndianBytes(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}

/// The raw bits of each element, so NaN payloads and -0.0 compare exactly.
func elementBits(_ tensor: Tensor) -> [UInt64] {
    switch tensor.dtype {
    case .float32: tensor.scalars(as: Float.self).map { UInt64($0.bitPattern) }
    case .float64: tensor.scalars(as: Double.self).map(\.bitPattern)
    case .int64: tensor.scalars(as: Int64.self).map { UInt64(bitPattern: $0) }
    case .bool: tensor.scalars(as: Bool.self).map { $0 ? 1 : 0 }
    }
}

/// Expects two tensors to have the same shape, dtype and element bits.
func expectIdentical(_ actual: Tensor, _ expected: Tensor, _ name: String = "",
                     sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, "\(name): shape", sourceLocation: sourceLocation)
    #expect(actual.dtype == expected.dtype, "\(name): dtype", sourceLocation: sourceLocation)
    guard actual.shape == expected.shape, actual.dtype == expected.dtype else { return }
    #expect(elementBits(actual) == elementBits(expected), "\(name): elements", sourceLocation: sourceLocation)
}

/// A tensor of the given dtype and shape whose elements are all different (and, for floats, include
/// -0.0, infinities and NaN when there is room), from a small deterministic sequence.
func sampleTensor(dtype: DType, shape: [Int]) -> Tensor {
    let count = shape.reduce(1, *)
    switch dtype {
    case .float32:
        let specials: [Float] = [-0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        return Tensor((0..<count).map { $0 < specials.count ? specials[$0] : Float($0) * 0.37 - 5 }, shape: shape)
    case .float64:
        let specials: [Double] = [-0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .pi]
        return Tensor((0..<count).map { $0 < specials.count ? specials[$0] : Double($0) / 3 - 7 }, shape: shape)
    case .int64:
        let specials: [Int64] = [.min, .max, -1, 0]
        return Tensor((0..<count).map { $0 < specials.count ? specials[$0] : Int64($0) * 1_000_003 - 17 }, shape: shape)
    case .bool:
        return Tensor((0..<count).map { $0 % 3 == 1 }, shape: shape)
    }
}

/// A small valid file with every writable dtype, a scalar, an empty tensor and metadata (53 data bytes),
/// for the truncation and mutation sweeps.
func sampleFileBytes() throws -> [UInt8] {
    try SafeTensors.encode([
        ("a", sampleTensor(dtype: .float32, shape: [2, 3])),
        ("b", sampleTensor(dtype: .float64, shape: [2])),
        ("c", sampleTensor(dtype: .int64, shape: [])),
        ("empty", sampleTensor(dtype: .float32, shape: [0, 4])),
        ("d", sampleTensor(dtype: .bool, shape: [5])),
    ], metadata: ["epoch": "3", "note": "x\"y"])
}

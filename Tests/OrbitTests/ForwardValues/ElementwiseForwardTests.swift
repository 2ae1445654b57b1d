import Foundation
import Orbit
import Testing
import _OrbitTestSupport

// Element-wise kernels against Double references at sizes around the SIMD width (0, 1, 7, 8, 9, 16, 17)
// (STYLE K3/T10). Kernels run 8-wide with one partial vector for the tail, so these sizes cover empty,
// tail-only, one full vector, and full vectors plus a tail.

private let simdSizes = [0, 1, 7, 8, 9, 16, 17]

/// Operations whose float32 result is correctly rounded (IEEE +, -, ·, /, √ and exact ones): computed
/// in Double from float32 inputs and rounded once, the reference is the float32 answer bit for bit.
private let exactUnary: [(name: String, apply: @Sendable (Tensor) -> Tensor, reference: @Sendable (Double) -> Double)] = [
    ("negate", { -$0 }, { -$0 }),
    ("abs", { abs($0) }, { Swift.abs($0) }),
    ("relu", { relu($0) }, { Swift.max($0, 0) }),
    ("sqrt", { sqrt(abs($0)) }, { Swift.abs($0).squareRoot() }),
    ("square", { square($0) }, { $0 * $0 }),
    ("pow 0.5", { pow(abs($0), 0.5) }, { Swift.abs($0).squareRoot() }),
    ("pow -1", { pow($0, -1) }, { 1 / $0 }),
    ("leakyRelu 0.25", { leakyRelu($0, slope: 0.25) }, { $0 > 0 ? $0 : 0.25 * $0 }),
]

/// Transcendental operations with their documented float32 error in ulps (VectorMath: exp and log 1 ulp,
/// tanh 2 ulp; sigmoid = 1/(1 + e⁻ˣ) adds two roundings to exp's ulp; pow calls powf, < 1 ulp; pow 3
/// rounds twice).
private let approximateUnary: [(name: String, ulps: Float, apply: @Sendable (Tensor) -> Tensor, reference: @Sendable (Double) -> Double)] = [
    ("exp", 1, { exp($0) }, { Foundation.exp($0) }),
    ("log", 1, { log(abs($0)) }, { Foundation.log(Swift.abs($0)) }),
    ("tanh", 2, { tanh($0) }, { Foundation.tanh($0) }),
    ("sigmoid", 3, { sigmoid($0) }, { 1 / (1 + Foundation.exp(-$0)) }),
    ("pow 1.7", 1, { pow(abs($0), 1.7) }, { Foundation.pow(Swift.abs($0), 1.7) }),
    ("pow -2.5", 1, { pow(abs($0), -2.5) }, { Foundation.pow(Swift.abs($0), -2.5) }),
    ("pow 3", 2, { pow($0, 3) }, { $0 * $0 * $0 }),
]

@Test(arguments: simdSizes)
func float32UnaryMatchesDouble(_ size: Int) {
    // Inputs in [-4, 4] and never exactly 0, so log and negative powers stay finite.
    let x = referenceInput([size], seed: UInt64(100 + size), dtype: .float32, lowerBound: 0.05, upperBound: 4)
    let signs = (0..<size).map { $0 % 3 == 1 ? -1.0 : 1.0 }
    let input = Tensor(zip(x.doubles, signs).map(*), shape: [size], dtype: .float32)
    for operation in exactUnary {
        let expected = input.doubles.map { Double(Float(operation.reference($0))) }
        #expect(operation.apply(input).doubles == expected, "\(operation.name) size \(size)")
    }
    for operation in approximateUnary {
        expectWithinUlps(operation.apply(input), input.doubles.map(operation.reference), ulps: operation.ulps,
                         "\(operation.name) size \(size)")
    }
}

@Test(arguments: simdSizes)
func float64UnaryMatchesFoundation(_ size: Int) {
    let x = referenceInput([size], seed: UInt64(200 + size), dtype: .float64, lowerBound: 0.05, upperBound: 4)
    let input = Tensor(x.doubles.enumerated().map { $0.offset % 3 == 1 ? -$0.element : $0.element }, shape: [size])
    for operation in exactUnary {
        #expect(operation.apply(input).doubles == input.doubles.map(operation.reference), "\(operation.name) size \(size)")
    }
    for operation in approximateUnary {
        expectReference(operation.apply(input), input.doubles.map(operation.reference), shape: [size], dtype: .float64,
                        relativeTolerance: float64Tolerance, "\(operation.name) size \(size)")
    }
}

private let exactBinary: [(name: String, apply: @Sendable (Tensor, Tensor) -> Tensor, reference: @Sendable (Double, Double) -> Double)] = [
    ("add", { $0 + $1 }, { $0 + $1 }),
    ("subtract", { $0 - $1 }, { $0 - $1 }),
    ("multiply", { $0 * $1 }, { $0 * $1 }),
    ("divide", { $0 / $1 }, { $0 / $1 }),
    ("maximum", { maximum($0, $1) }, { Swift.max($0, $1) }),
    ("minimum", { minimum($0, $1) }, { Swift.min($0, $1) }),
]

/// Broadcast pairings at each SIMD size n: [n]·[n], [n]·[], []·[n], [3, n]·[n], [n, 1]·[1, 3], [2, 1, n]·[3, 1].
private func broadcastPairs(_ n: Int) -> [([Int], [Int])] {
    [([n], [n]), ([n], []), ([], [n]), ([3, n], [n]), ([n, 1], [1, 3]), ([2, 1, n], [3, 1])]
}

/// Reads `values` of `shape` at an output multi-index, with NumPy broadcasting.
private func broadcastRead(_ values: [Double], _ shape: [Int], _ index: [Int]) -> Double {
    let aligned = Array(index.suffix(shape.count))
    return values[flatIndex(zip(aligned, shape).map { $1 == 1 ? 0 : $0 }, in: shape)]
}

@Test(arguments: simdSizes, [DType.float32, .float64])
func binaryWithBroadcastingIsCorrectlyRounded(_ size: Int, _ dtype: DType) {
    for (first, second) in broadcastPairs(size) {
        let a = referenceInput(first, seed: 300, dtype: dtype, lowerBound: 0.1, upperBound: 2)
        let b = referenceInput(second, seed: 301, dtype: dtype, lowerBound: -2, upperBound: -0.1)
        let rank = Swift.max(first.count, second.count)
        let padded = ([Int](repeating: 1, count: rank - first.count) + first, [Int](repeating: 1, count: rank - second.count) + second)
        // NumPy: a size-1 axis takes the other operand's size (which may be 0).
        let shape = zip(padded.0, padded.1).map { $0 == 1 ? $1 : $0 }
        for operation in exactBinary {
            let expected = (0..<shape.reduce(1, *)).map { flat -> Double in
                let index = multiIndex(flat, in: shape)
                let exact = operation.reference(broadcastRead(a.doubles, first, index), broadcastRead(b.doubles, second, index))
                return dtype == .float32 ? Double(Float(exact)) : exact
            }
            let result = operation.apply(a, b)
            #expect(result.shape == shape, "\(operation.name) \(first) \(second)")
            #expect(result.dtype == dtype)
            #expect(result.doubles == expected, "\(operation.name) \(first) \(second) \(dtype)")
        }
    }
}

@Test(arguments: simdSizes)
func selectAndComparisonsAtSIMDSizes(_ size: Int) {
    let a = referenceInput([size], seed: 400, dtype: .float32), b = referenceInput([size], seed: 401, dtype: .float32)
    let (x, y) = (a.doubles, b.doubles)
    #expect((a .> b).scalars(as: Bool.self) == zip(x, y).map { $0 > $1 })
    #expect((a .<= b).scalars(as: Bool.self) == zip(x, y).map { $0 <= $1 })
    #expect((a .== a).scalars(as: Bool.self) == [Bool](repeating: true, count: size))
    #expect((a .!= b).scalars(as: Bool.self) == zip(x, y).map { $0 != $1 })
    #expect((a .>= 0).scalars(as: Bool.self) == x.map { $0 >= 0 })
    #expect((a .< 0.25).scalars(as: Bool.self) == x.map { $0 < 0.25 })
    #expect(select(a .> b, a, b).doubles == zip(x, y).map { Swift.max($0, $1) })
    #expect(select(a .> 0, a, -1).doubles == x.map { $0 > 0 ? $0 : -1 })
}

@Test func integerComparisonsWithFractionalConstants() {
    // The constant must be compared as the number it is, not truncated to the tensor's integer dtype.
    let labels = Tensor([0, 1, 2, 3] as [Int64], shape: [4])
    #expect((labels .< 2.0).scalars(as: Bool.self) == [true, true, false, false])
    #expect((labels .< 2.5).scalars(as: Bool.self) == [true, true, true, false])
    #expect((labels .> -0.5).scalars(as: Bool.self) == [true, true, true, true])
    #expect((labels .== 2.5).scalars(as: Bool.self) == [false, false, false, false])
}

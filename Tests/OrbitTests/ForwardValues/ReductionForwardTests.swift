import Foundation
import Orbit
import Testing
import _OrbitTestSupport

// Reductions against naive loops (STYLE T10): sum, mean, max, min and variance over any set of axes,
// with reduced lengths and inner sizes around the SIMD width (8) and the 4-vector unroll (32), in
// float32 and float64.

/// Reduces `axes` of a row-major array by folding every element into its output slot (size-1 kept axes).
private func naiveReduce(_ x: [Double], _ shape: [Int], axes: [Int], initial: Double,
                         _ combine: (Double, Double) -> Double) -> (values: [Double], keptShape: [Int]) {
    var kept = shape
    for axis in axes { kept[axis] = 1 }
    var output = [Double](repeating: initial, count: kept.reduce(1, *))
    for flat in x.indices {
        var index = multiIndex(flat, in: shape)
        for axis in axes { index[axis] = 0 }
        let slot = flatIndex(index, in: kept)
        output[slot] = combine(output[slot], x[flat])
    }
    return (output, kept)
}

struct ReductionReferenceCase: Sendable, CustomTestStringConvertible {
    let shape: [Int]
    let axes: [Int]
    var testDescription: String { "\(shape) axes \(axes)" }
    var count: Int { axes.map { shape[$0] }.reduce(1, *) }
}

/// Lengths 1, 7, 8, 9, 31, 32, 33, 65 along the last axis (contiguous rows), the same along a leading
/// axis with inner sizes 7, 8, 9 (the strided path), several non-adjacent axes and all axes.
private let reductionCases: [ReductionReferenceCase] = [1, 7, 8, 9, 31, 32, 33, 65].map { ReductionReferenceCase(shape: [3, $0], axes: [1]) }
    + [(9, 7), (8, 8), (7, 9), (33, 3), (1, 9)].map { ReductionReferenceCase(shape: [$0.0, $0.1], axes: [0]) }
    + [ReductionReferenceCase(shape: [2, 9, 3, 8], axes: [1, 3]), ReductionReferenceCase(shape: [2, 9, 3, 8], axes: [0, 2]),
       ReductionReferenceCase(shape: [3, 4, 5], axes: [0, 1, 2]), ReductionReferenceCase(shape: [65], axes: [0]),
       ReductionReferenceCase(shape: [2, 3, 4], axes: [])]

@Test(arguments: reductionCases, [DType.float32, .float64])
func reductionsMatchNaiveLoops(_ reduction: ReductionReferenceCase, _ dtype: DType) {
    // Positive values keep the float32 sums well conditioned (Σ|xᵢ| = |Σxᵢ|), so the bound is count·ε.
    let x = referenceInput(reduction.shape, seed: 12, dtype: dtype, lowerBound: 0.5, upperBound: 1.5)
    let values = x.doubles, axes = reduction.axes, count = Double(reduction.count)
    let sumTolerance = dtype == .float64 ? float64Tolerance : Double(reduction.count + 1) * float32Epsilon
    let sums = naiveReduce(values, reduction.shape, axes: axes, initial: 0, +)
    expectReference(x.sum(axes: axes, keepDimensions: true), sums.values, shape: sums.keptShape, dtype: dtype,
                    relativeTolerance: sumTolerance, "sum")
    expectReference(x.mean(axes: axes), sums.values.map { $0 / count }, shape: droppedShape(reduction.shape, axes),
                    dtype: dtype, relativeTolerance: sumTolerance, "mean")
    // Maxima and minima involve no rounding: exact.
    let maxima = naiveReduce(values, reduction.shape, axes: axes, initial: -.infinity) { Swift.max($0, $1) }
    #expect(x.max(axes: axes, keepDimensions: true).doubles == maxima.values)
    let minima = naiveReduce(values, reduction.shape, axes: axes, initial: .infinity) { Swift.min($0, $1) }
    #expect(x.min(axes: axes).doubles == minima.values)
    // Variance: two passes of count terms; inputs spread over [0.5, 1.5] keep mean²/variance ≈ 12.
    let means = sums.values.map { $0 / count }
    var squares = [Double](repeating: 0, count: means.count)
    for flat in values.indices {
        var index = multiIndex(flat, in: reduction.shape)
        for axis in axes { index[axis] = 0 }
        let slot = flatIndex(index, in: sums.keptShape)
        squares[slot] += (values[flat] - means[slot]) * (values[flat] - means[slot])
    }
    let varianceTolerance = dtype == .float64 ? float64Tolerance : 12 * 2 * Double(reduction.count + 2) * float32Epsilon
    expectReference(x.variance(axes: axes, keepDimensions: true), squares.map { $0 / count }, shape: sums.keptShape,
                    dtype: dtype, relativeTolerance: varianceTolerance, "variance")
}

/// `shape` without `axes`.
private func droppedShape(_ shape: [Int], _ axes: [Int]) -> [Int] {
    shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
}

@Test(arguments: [DType.float32, .float64])
func sumsOverEmptyAxesAreZero(_ dtype: DType) {
    let empty = Tensor.zeros([3, 0], dtype: dtype)
    #expect(empty.sum(axis: 1).shape == [3])
    #expect(empty.sum(axis: 1).doubles == [0, 0, 0])
    #expect(empty.sum(axis: 0).shape == [0])
    #expect(Tensor.zeros([0], dtype: dtype).sum().item == 0)
    #expect(Tensor.zeros([2, 0, 9], dtype: dtype).sum(axes: [1]).doubles == [Double](repeating: 0, count: 18))
}

@Test(arguments: [DType.float32, .float64])
func maxAndMinPropagateNaN(_ dtype: DType) {
    // NaN first, last, in a SIMD tail and in the strided path: each row's result is NaN, other rows not.
    for length in [1, 7, 8, 9, 33] {
        for position in Set([0, length - 1, length / 2]) {
            var values = (0..<(2 * length)).map { Double($0) }
            values[length + position] = .nan
            let x = Tensor(values, shape: [2, length], dtype: dtype)
            // Transposed, the reduced axis is the outer one: the strided (vectorized along inner) path.
            let transposed = x.transposed()
            for result in [x.max(axis: 1), x.min(axis: 1), transposed.max(axis: 0), transposed.min(axis: 0)] {
                let row = result.doubles
                #expect(!row[0].isNaN, "length \(length) NaN at \(position)")
                #expect(row[1].isNaN, "length \(length) NaN at \(position)")
            }
        }
    }
}

@Test(arguments: [DType.float32, .float64])
func argmaxAndArgminReturnTheFirstExtremum(_ dtype: DType) {
    let x = Tensor([1, 3, 3, 2, -1, -1, 0, 5], shape: [2, 4], dtype: dtype)
    #expect(x.argmax(axis: 1).scalars(as: Int64.self) == [1, 3])
    #expect(x.argmin(axis: 1).scalars(as: Int64.self) == [0, 0])
    #expect(x.argmax(axis: 0).scalars(as: Int64.self) == [0, 0, 0, 1])
    #expect(x.argmax(axis: -1, keepDimensions: true).shape == [2, 1])
    // NaN counts as the extremum for both, as in PyTorch; the first NaN wins.
    let withNaN = Tensor([1, .nan, 5, .nan, .nan, 2, 7, 0], shape: [2, 4], dtype: dtype)
    #expect(withNaN.argmax(axis: 1).scalars(as: Int64.self) == [1, 0])
    #expect(withNaN.argmin(axis: 1).scalars(as: Int64.self) == [1, 0])
    let ties = Tensor([Double](repeating: 2, count: 9), shape: [9], dtype: dtype)
    #expect(ties.argmax(axis: 0).scalars(as: Int64.self) == [0])
}

@Test func reducingARankZeroTensorAlongItsOnlyAxis() {
    // PyTorch accepts dim 0 and -1 on a 0-d tensor and returns its value.
    #expect(Tensor(3.0).sum(axis: 0).item == 3)
    #expect(Tensor(3.0).max(axis: -1).item == 3)
    #expect(softmax(Tensor(3.0)).item == 1)
    #expect(logSumExp(Tensor(3.0)).item == 3)
    #expect(Tensor(3.0).argmax(axis: 0).item == 0)
}

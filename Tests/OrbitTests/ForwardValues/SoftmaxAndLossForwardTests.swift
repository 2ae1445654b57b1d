import Foundation
import Orbit
import Testing
import _OrbitTestSupport

// Softmax, log-softmax, log-sum-exp and the losses against naive Double formulas (STYLE T10).

/// The 1-D fibres of `shape` along `axis`, in row-major order of the other axes.
private func fibres(_ x: [Double], _ shape: [Int], axis: Int) -> [[Double]] {
    let inner = shape[(axis + 1)...].reduce(1, *), length = shape[axis], outer = shape[..<axis].reduce(1, *)
    return (0..<(outer * inner)).map { fibre in
        let (o, i) = (fibre / inner, fibre % inner)
        return (0..<length).map { x[(o * length + $0) * inner + i] }
    }
}

/// Applies `rowFunction` to every fibre along `axis` and writes the results back in place.
private func alongAxis(_ x: [Double], _ shape: [Int], axis: Int, _ rowFunction: ([Double]) -> [Double]) -> [Double] {
    let inner = shape[(axis + 1)...].reduce(1, *), length = shape[axis]
    var output = [Double](repeating: 0, count: x.count)
    for (fibre, row) in fibres(x, shape, axis: axis).enumerated() {
        let (o, i) = (fibre / inner, fibre % inner)
        for (position, value) in rowFunction(row).enumerated() { output[(o * length + position) * inner + i] = value }
    }
    return output
}

/// log Σ e^{xᵢ} with the maximum factored out, in Double.
private func naiveLogSumExp(_ row: [Double]) -> Double {
    let top = row.max()!
    return top + log(row.map { exp($0 - top) }.reduce(0, +))
}

private let softmaxShapes: [(shape: [Int], axis: Int)] = [
    ([3, 4, 5], 0), ([3, 4, 5], 1), ([3, 4, 5], 2), ([1], 0), ([7], 0), ([2, 8], 1), ([9, 2], 0), ([2, 17], 1), ([2, 1, 3], 1),
]

@Test(arguments: [DType.float32, .float64])
func softmaxFamilyMatchesNaiveFormulas(_ dtype: DType) {
    for (shape, axis) in softmaxShapes {
        let x = referenceInput(shape, seed: 13, dtype: dtype, lowerBound: -3, upperBound: 3)
        let values = x.doubles, length = shape[axis]
        // float32: exp and log within 1 ulp, a sum of `length` positive terms, one division or subtraction.
        let tolerance = dtype == .float64 ? float64Tolerance : float32SumTolerance(terms: length + 4)
        let soft = alongAxis(values, shape, axis: axis) { row in
            let total = naiveLogSumExp(row)
            return row.map { exp($0 - total) }
        }
        expectReference(softmax(x, axis: axis), soft, shape: shape, dtype: dtype, relativeTolerance: tolerance, "softmax \(shape) \(axis)")
        let logSoft = alongAxis(values, shape, axis: axis) { row in
            let total = naiveLogSumExp(row)
            return row.map { $0 - total }
        }
        expectReference(logSoftmax(x, axis: axis), logSoft, shape: shape, dtype: dtype, relativeTolerance: tolerance,
                        "logSoftmax \(shape) \(axis)")
        var keptShape = shape
        keptShape[axis] = 1
        expectReference(logSumExp(x, axis: axis, keepDimensions: true), fibres(values, shape, axis: axis).map(naiveLogSumExp),
                        shape: keptShape, dtype: dtype,
                        relativeTolerance: tolerance, "logSumExp \(shape) \(axis)")
    }
}

@Test(arguments: [DType.float32, .float64])
func softmaxIsStableForLargeLogits(_ dtype: DType) {
    // e^1000 overflows both dtypes; the shifted form must still give the exact distribution.
    let x = Tensor([1000, 1000, 999, -1000], shape: [4], dtype: dtype)
    let expected = [1, 1, exp(-1.0), 0].map { $0 / (2 + exp(-1.0)) }
    // float32: exp of 0 and -1 within 1 ulp, a sum of 3 terms and a division: a few ulps, below 1e-6.
    expectReference(softmax(x), expected, shape: [4], dtype: dtype, relativeTolerance: dtype == .float64 ? float64Tolerance : 1e-6)
    // The result is near 1000, where one float32 ulp is 6.1e-5: allow two.
    let allowed = dtype == .float64 ? 1e-12 * 1000 : 2 * Double(Float(1000).ulp)
    #expect(Swift.abs(logSumExp(x).item - (1000 + log(2 + exp(-1.0)))) <= allowed)
    #expect(logSoftmax(x).doubles.allSatisfy { $0.isFinite })
}

@Test(arguments: [DType.float32, .float64])
func lossesMatchTheirFormulas(_ dtype: DType) {
    let logits = referenceInput([4, 3], seed: 14, dtype: dtype, lowerBound: -2, upperBound: 2)
    let labels: [Int64] = [2, 0, 1, 2]
    let perSample = (0..<4).map { row -> Double in
        let values = Array(logits.doubles[(3 * row)..<(3 * row + 3)])
        return naiveLogSumExp(values) - values[Int(labels[row])]
    }
    let labelTensor = Tensor(labels, shape: [4])
    let tolerance = dtype == .float64 ? float64Tolerance : float32SumTolerance(terms: 8)
    expectReference(crossEntropy(logits, labels: labelTensor, reduction: .none), perSample, shape: [4], dtype: dtype,
                    relativeTolerance: tolerance)
    expectReference(crossEntropy(logits, labels: labelTensor), [perSample.reduce(0, +) / 4], shape: [], dtype: dtype,
                    relativeTolerance: tolerance)
    expectReference(crossEntropy(logits, labels: labelTensor, reduction: .sum), [perSample.reduce(0, +)], shape: [], dtype: dtype,
                    relativeTolerance: tolerance)

    // [N, C, H, W] logits with [N, H, W] labels: class axis 1 at every pixel.
    let images = referenceInput([2, 3, 2, 2], seed: 15, dtype: dtype)
    let pixelLabels: [Int64] = [0, 2, 1, 1, 2, 2, 0, 1]
    var pixelLosses: [Double] = []
    for n in 0..<2 {
        for pixel in 0..<4 {
            let row = (0..<3).map { images.doubles[(n * 3 + $0) * 4 + pixel] }
            pixelLosses.append(naiveLogSumExp(row) - row[Int(pixelLabels[n * 4 + pixel])])
        }
    }
    expectReference(crossEntropy(images, labels: Tensor(pixelLabels, shape: [2, 2, 2]), reduction: .none), pixelLosses,
                    shape: [2, 2, 2], dtype: dtype, relativeTolerance: tolerance)

    let prediction = referenceInput([3, 5], seed: 16, dtype: dtype), target = referenceInput([3, 5], seed: 17, dtype: dtype)
    let squares = zip(prediction.doubles, target.doubles).map { ($0 - $1) * ($0 - $1) }
    // float32 per element: one subtraction and one product, two roundings (≤ 2ε relative, 4ε allowed).
    expectReference(meanSquaredError(prediction, target, reduction: .none), squares, shape: [3, 5], dtype: dtype,
                    relativeTolerance: dtype == .float64 ? float64Tolerance : 4 * float32Epsilon)
    expectReference(meanSquaredError(prediction, target), [squares.reduce(0, +) / 15], shape: [], dtype: dtype,
                    relativeTolerance: dtype == .float64 ? float64Tolerance : float32SumTolerance(terms: 16))
}

@Test func crossEntropyOfUniformLogitsIsLogOfTheClassCount() {
    let logits = Tensor.zeros([3, 5], dtype: .float64)
    let loss = crossEntropy(logits, labels: Tensor([0, 4, 2] as [Int64], shape: [3]))
    #expect(Swift.abs(loss.item - log(5.0)) < 1e-15)
}

import Orbit
import Testing
import _OrbitTestSupport

// Max and average pooling against naive window loops (STYLE T10). Windows hang over the border by the
// padding; padded positions never win a max and count toward an average only with countPadding (the
// divisor is then always the full window, as PyTorch's avg_pool2d without ceil mode).

struct PoolingReferenceCase: Sendable, CustomTestStringConvertible {
    let shape: [Int]
    let kernel: [Int]
    let stride: [Int]
    let padding: [Int]
    var testDescription: String { "\(shape) kernel \(kernel) stride \(stride) padding \(padding)" }
    var outputSize: [Int] { (0..<2).map { (shape[$0 + 2] + 2 * padding[$0] - kernel[$0]) / stride[$0] + 1 } }
}

private enum Pooling { case maximum, average(countPadding: Bool) }

private func naivePooling(_ x: [Double], _ pooling: PoolingReferenceCase, _ kind: Pooling) -> [Double] {
    let (height, width) = (pooling.shape[2], pooling.shape[3])
    let (outputHeight, outputWidth) = (pooling.outputSize[0], pooling.outputSize[1])
    var output: [Double] = []
    for plane in 0..<(pooling.shape[0] * pooling.shape[1]) {
        for row in 0..<outputHeight {
            for column in 0..<outputWidth {
                var values: [Double] = []
                for dy in 0..<pooling.kernel[0] {
                    for dx in 0..<pooling.kernel[1] {
                        let (y, x0) = (row * pooling.stride[0] - pooling.padding[0] + dy, column * pooling.stride[1] - pooling.padding[1] + dx)
                        if y >= 0 && y < height && x0 >= 0 && x0 < width { values.append(x[(plane * height + y) * width + x0]) }
                    }
                }
                switch kind {
                case .maximum: output.append(values.max()!)
                case .average(let countPadding):
                    output.append(values.reduce(0, +) / Double(countPadding ? pooling.kernel[0] * pooling.kernel[1] : values.count))
                }
            }
        }
    }
    return output
}

private let poolingCases: [PoolingReferenceCase] = [
    PoolingReferenceCase(shape: [2, 3, 6, 6], kernel: [2, 2], stride: [2, 2], padding: [0, 0]),
    PoolingReferenceCase(shape: [1, 2, 5, 5], kernel: [3, 3], stride: [1, 1], padding: [1, 1]),
    PoolingReferenceCase(shape: [2, 2, 7, 6], kernel: [3, 3], stride: [2, 2], padding: [1, 1]),
    PoolingReferenceCase(shape: [1, 2, 8, 7], kernel: [2, 2], stride: [3, 3], padding: [0, 0]),
    PoolingReferenceCase(shape: [1, 1, 4, 5], kernel: [2, 2], stride: [1, 1], padding: [1, 1]),
    PoolingReferenceCase(shape: [2, 1, 5, 9], kernel: [2, 3], stride: [1, 3], padding: [1, 0]),
    PoolingReferenceCase(shape: [1, 3, 1, 1], kernel: [1, 1], stride: [1, 1], padding: [0, 0]),
    PoolingReferenceCase(shape: [1, 1, 9, 17], kernel: [3, 8], stride: [2, 3], padding: [1, 4]),
]

private func kernelSize(_ pooling: PoolingReferenceCase) -> PerAxis { PerAxis(pooling.kernel) }

@Test(arguments: poolingCases, [DType.float32, .float64])
func maxPoolMatchesNaiveLoops(_ pooling: PoolingReferenceCase, _ dtype: DType) {
    let x = referenceInput(pooling.shape, seed: 7, dtype: dtype)
    let y = maxPool2d(x, kernelSize: kernelSize(pooling), stride: PerAxis(pooling.stride), padding: PerAxis(pooling.padding))
    // A maximum involves no rounding: exact in both dtypes.
    #expect(y.shape == Array(pooling.shape.prefix(2)) + pooling.outputSize)
    #expect(y.dtype == dtype)
    #expect(y.doubles == naivePooling(x.doubles, pooling, .maximum))
}

@Test(arguments: poolingCases, [DType.float32, .float64])
func averagePoolMatchesNaiveLoops(_ pooling: PoolingReferenceCase, _ dtype: DType) {
    let x = referenceInput(pooling.shape, seed: 8, dtype: dtype)
    let terms = pooling.kernel.reduce(1, *)
    let tolerance = dtype == .float64 ? float64Tolerance : float32SumTolerance(terms: terms + 1)
    for countPadding in [true, false] {
        let y = averagePool2d(x, kernelSize: kernelSize(pooling), stride: PerAxis(pooling.stride),
                              padding: PerAxis(pooling.padding), countPadding: countPadding)
        expectReference(y, naivePooling(x.doubles, pooling, .average(countPadding: countPadding)),
                        shape: Array(pooling.shape.prefix(2)) + pooling.outputSize, dtype: dtype,
                        relativeTolerance: tolerance, "countPadding \(countPadding)")
    }
}

@Test func poolingStrideDefaultsToTheWindow() {
    let x = Tensor((0..<16).map { Double($0) }, shape: [1, 1, 4, 4])
    #expect(maxPool2d(x, kernelSize: 2).doubles == [5, 7, 13, 15])
    #expect(averagePool2d(x, kernelSize: 2).doubles == [2.5, 4.5, 10.5, 12.5])
}

@Test(arguments: [DType.float32, .float64])
func maxPoolPropagatesNaN(_ dtype: DType) {
    // NaN anywhere in a window makes that window's maximum NaN (PyTorch); other windows are unaffected.
    let x = Tensor([1, 2, .nan, 0, 3, 4, 5, 6], shape: [1, 1, 2, 4], dtype: dtype)
    let y = maxPool2d(x, kernelSize: 2).doubles
    #expect(y[0] == 4)
    #expect(y[1].isNaN)
    let nanLast = Tensor([1, 2, 3, .nan], shape: [1, 1, 2, 2], dtype: dtype)
    #expect(maxPool2d(nanLast, kernelSize: 2).item.isNaN)
}

@Test func maxPoolOfNegativeInfinityIsNegativeInfinity() {
    let x = Tensor([-.infinity, -.infinity, -.infinity, -.infinity] as [Double], shape: [1, 1, 2, 2])
    #expect(maxPool2d(x, kernelSize: 2).item == -.infinity)
    // And its gradient still lands on one element of the window, not outside it.
    #expect(gradient(at: [x]) { maxPool2d($0[0], kernelSize: 2).sum() }[0].doubles == [1, 0, 0, 0])
}

import Orbit
import Testing
import _OrbitTestSupport

// matmul against a naive triple loop in Double with NumPy batch broadcasting (STYLE T10).

/// a [..., m, k] · b [..., k, n] with broadcast batch axes, by definition.
private func naiveMatmul(_ a: [Double], _ aShape: [Int], _ b: [Double], _ bShape: [Int]) -> (values: [Double], shape: [Int]) {
    let (m, k, n) = (aShape[aShape.count - 2], aShape[aShape.count - 1], bShape[bShape.count - 1])
    let aBatch = Array(aShape.dropLast(2)), bBatch = Array(bShape.dropLast(2))
    let rank = max(aBatch.count, bBatch.count)
    let paddedA = [Int](repeating: 1, count: rank - aBatch.count) + aBatch
    let paddedB = [Int](repeating: 1, count: rank - bBatch.count) + bBatch
    let batch = zip(paddedA, paddedB).map { $0 == 1 ? $1 : $0 }
    let batchCount = batch.reduce(1, *)
    var output = [Double](repeating: 0, count: batchCount * m * n)
    for batchIndex in 0..<batchCount {
        let index = multiIndex(batchIndex, in: batch)
        let aIndex = flatIndex(zip(index, paddedA).map { $1 == 1 ? 0 : $0 }, in: paddedA)
        let bIndex = flatIndex(zip(index, paddedB).map { $1 == 1 ? 0 : $0 }, in: paddedB)
        for row in 0..<m {
            for column in 0..<n {
                var sum = 0.0
                for inner in 0..<k { sum += a[(aIndex * m + row) * k + inner] * b[(bIndex * k + inner) * n + column] }
                output[(batchIndex * m + row) * n + column] = sum
            }
        }
    }
    return (output, batch + [m, n])
}

private let matmulShapePairs: [([Int], [Int])] = [
    ([3, 4], [4, 5]), ([1, 1], [1, 1]), ([1, 9], [9, 1]), ([7, 8], [8, 9]), ([9, 37], [37, 17]),
    ([2, 3, 4], [2, 4, 2]), ([2, 1, 3, 4], [5, 4, 2]), ([2, 3, 5], [5, 7]), ([3, 4], [2, 4, 5]),
    ([3, 1, 2, 3], [1, 4, 3, 2]), ([2, 0, 3], [3, 4]), ([2, 3, 0], [0, 4]),
]

@Test(arguments: matmulShapePairs, [DType.float32, .float64])
func matmulMatchesNaiveLoops(_ shapes: ([Int], [Int]), _ dtype: DType) {
    let a = referenceInput(shapes.0, seed: 1, dtype: dtype), b = referenceInput(shapes.1, seed: 2, dtype: dtype)
    let expected = naiveMatmul(a.doubles, a.shape, b.doubles, b.shape)
    let k = shapes.0.last!
    // float64: k ≤ 37 products per entry, error ~k·2.2e-16 ≪ 1e-12.
    let tolerance = dtype == .float64 ? float64Tolerance : float32SumTolerance(terms: k)
    expectReference(matmul(a, b), expected.values, shape: expected.shape, dtype: dtype, relativeTolerance: tolerance,
                    "\(shapes.0) · \(shapes.1) \(dtype)")
}

@Test func matmulOfSmallIntegersIsExact() {
    // Every product and partial sum is a small integer, so float32 and float64 must both be exact.
    let a = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
    let b = Tensor([7, 8, 9, 10, 11, 12] as [Float], shape: [3, 2])
    #expect(matmul(a, b).scalars(as: Float.self) == [58, 64, 139, 154])
    let identity = Tensor([1, 0, 0, 0, 1, 0, 0, 0, 1] as [Double], shape: [3, 3])
    let x = Tensor((0..<12).map { Double($0) - 5.5 }, shape: [4, 3])
    #expect(matmul(x, identity).doubles == x.doubles)
}

import Orbit
import Testing

// The pullback of max and min over a run of adjacent axes is one kernel (`extremumGradient`); over
// separate runs it is the composite select(x .== m, ḡ / count, 0). Both must give exactly
// ḡ / count at every element attaining the extremum and 0 elsewhere: checked here element by element
// against a scalar loop, in float32 and float64, with many ties, a NaN column, and inner sizes that
// are not multiples of the 8-lane vectors.

/// The expected cotangent of `x` [outer, length, inner] for m = max (or min) over the middle axis.
private func expectedPullback<T: BinaryFloatingPoint>(_ x: [T], _ g: [T], outer: Int, length: Int, inner: Int,
                                                      maximum: Bool) -> [T] {
    var result = [T](repeating: 0, count: x.count)
    for o in 0..<outer {
        for i in 0..<inner {
            let column = (0..<length).map { x[(o * length + $0) * inner + i] }
            let m: T = column.contains { $0.isNaN } ? .nan : (maximum ? column.max()! : column.min()!)
            let count = T(column.filter { $0 == m }.count)
            for l in 0..<length where column[l] == m { result[(o * length + l) * inner + i] = g[o * inner + i] / count }
        }
    }
    return result
}

/// Values with many ties: small integers, plus a NaN in one column of the first outer row.
private func tiedValues(_ count: Int, seed: Int) -> [Double] {
    (0..<count).map { index in index == 3 ? .nan : Double((index * 7 + seed * 3 + index / 5) % 4) }
}

@Test(arguments: [(outer: 2, length: 9, inner: 21), (outer: 3, length: 25, inner: 16 * 5), (outer: 1, length: 4, inner: 3)])
func extremumPullbackMatchesTheDefinitionExactly(shape: (outer: Int, length: Int, inner: Int)) {
    let (outer, length, inner) = shape
    let values = tiedValues(outer * length * inner, seed: length)
    let seed = (0..<(outer * inner)).map { Double($0 % 13) * 0.37 + 0.11 }
    for maximum in [true, false] {
        for dtype in [DType.float32, .float64] {
            let x = Tensor(values, shape: [outer, length, inner]).converted(to: dtype)
            let g = Tensor(seed, shape: [outer, inner]).converted(to: dtype)
            let result = gradient(at: [x], seed: g) { maximum ? $0[0].max(axis: 1) : $0[0].min(axis: 1) }[0]
            if dtype == .float32 {
                let floatValues: [Float] = values.map { Float($0) }, floatSeed: [Float] = seed.map { Float($0) }
                let expected: [Float] = expectedPullback(floatValues, floatSeed, outer: outer, length: length, inner: inner,
                                                         maximum: maximum)
                #expect(result.scalars(as: Float.self) == expected, "float32 maximum \(maximum)")
            } else {
                let expected: [Double] = expectedPullback(values, seed, outer: outer, length: length, inner: inner, maximum: maximum)
                #expect(result.doubles == expected, "float64 maximum \(maximum)")
            }
        }
    }
}

@Test func extremumPullbackOverAdjacentAndSeparateAxesAgree() {
    // max over axes [1, 2] of [2, 3, 4, 5] is one run (the kernel); the same data permuted so the two axes
    // are [0, 2] is two runs (the composite). The cotangents must agree after undoing the permutation.
    let values = tiedValues(2 * 3 * 4 * 5, seed: 1).map { $0.isNaN ? 2 : $0 }
    let x = Tensor(values, shape: [2, 3, 4, 5])
    let g = Tensor((0..<10).map { Double($0) + 0.5 }, shape: [2, 5])
    let adjacent = gradient(at: [x], seed: g) { $0[0].max(axes: [1, 2]) }[0]
    let separate = gradient(at: [x.permuted([1, 0, 2, 3])], seed: g) { $0[0].max(axes: [0, 2]) }[0]
    #expect(adjacent.doubles == separate.permuted([1, 0, 2, 3]).doubles)
    let counts = adjacent.doubles.filter { $0 != 0 }.count
    #expect(counts >= 10)
}

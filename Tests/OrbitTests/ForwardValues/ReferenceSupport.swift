import Orbit
import Testing
import _OrbitTestSupport

// Helpers for the naive Double references of the forward-value tests (STYLE T10). Nothing here calls an
// Orbit kernel: references read input values with `.doubles` and loop over plain arrays.

/// Row-major strides of `shape`, written out here so the references share no code with Orbit.
func referenceStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in shape.indices.reversed() {
        strides[axis] = running
        running *= shape[axis]
    }
    return strides
}

/// The multi-index of flat position `flat` in a row-major array of `shape`.
func multiIndex(_ flat: Int, in shape: [Int]) -> [Int] {
    var remainder = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() where shape[axis] > 0 {
        index[axis] = remainder % shape[axis]
        remainder /= shape[axis]
    }
    return index
}

/// The flat position of `index` in a row-major array of `shape`.
func flatIndex(_ index: [Int], in shape: [Int]) -> Int {
    zip(index, referenceStrides(shape)).reduce(0) { $0 + $1.0 * $1.1 }
}

/// Random values in [lowerBound, upperBound) already rounded to `dtype`, as a tensor of that dtype: the
/// reference reads exactly what Orbit reads.
func referenceInput(_ shape: [Int], seed: UInt64, dtype: DType, lowerBound: Double = -1, upperBound: Double = 1) -> Tensor {
    randomTensor(shape, seed: seed, lowerBound: lowerBound, upperBound: upperBound, dtype: dtype)
}

/// float64 results against Double references: each op rounds at 1.1e-16 and the longest chains here
/// (sums of ≤ 65 terms) stay below 1e-14, so 1e-12 passes rounding and fails any real mistake.
let float64Tolerance = 1e-12

/// float32 machine epsilon (2⁻²³ ≈ 1.2e-7, the gap between 1 and the next float).
let float32Epsilon = Double(Float.ulpOfOne)

/// Tolerance for a result that sums `terms` float32 products or values per element: the worst-case
/// recursive-summation bound terms·ε, times 8 for the condition number Σ|xᵢ|/|Σxᵢ|, which for random
/// signs grows like √terms (≤ 8 for the ≤ 64 terms used here). Relative, norm-wise.
func float32SumTolerance(terms: Int) -> Double { 8 * Double(Swift.max(terms, 1)) * float32Epsilon }

/// Expects `actual` (any float dtype) to hold `expected` with shape `shape`, within a norm-wise relative
/// tolerance; the dtype must be `dtype`.
func expectReference(_ actual: Tensor, _ expected: [Double], shape: [Int], dtype: DType, relativeTolerance: Double,
                     _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.dtype == dtype, comment, sourceLocation: sourceLocation)
    expectClose(Tensor(actual.doubles, shape: actual.shape), Tensor(expected, shape: shape), relativeTolerance: relativeTolerance,
                absoluteFloor: 1e-300, comment, sourceLocation: sourceLocation)
}

/// Expects every float32 element within `ulps` units in the last place of the correctly rounded
/// reference (NaN must match NaN, infinities must match exactly).
func expectWithinUlps(_ actual: Tensor, _ reference: [Double], ulps: Float, _ comment: Comment? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    let values = actual.scalars(as: Float.self)
    guard values.count == reference.count else {
        Issue.record("\(values.count) elements, expected \(reference.count)", sourceLocation: sourceLocation)
        return
    }
    for (index, (value, exact)) in zip(values, reference).enumerated() {
        let rounded = Float(exact)
        let agrees = rounded.isNaN ? value.isNaN
            : rounded.isInfinite ? value == rounded
            : Swift.abs(value - rounded) <= ulps * Swift.max(rounded.ulp, Float.leastNonzeroMagnitude)
        if !agrees {
            Issue.record("element \(index): \(value), expected \(exact) within \(ulps) ulp. \(comment?.rawValue ?? "")",
                         sourceLocation: sourceLocation)
            return
        }
    }
}

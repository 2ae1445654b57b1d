import Orbit
import Testing

/// Expects `actual` to equal `expected` within tolerance (STYLE T6): shape and dtype first, then the
/// norm-based relative error ‖actual - expected‖ / max(‖expected‖, absoluteFloor). The failure message
/// gives the relative error, the largest element error and where it is.
public func expectClose(_ actual: Tensor, _ expected: Tensor, relativeTolerance: Double,
                        absoluteFloor: Double = 1e-30, _ comment: Comment? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("shape \(actual.shape) != expected \(expected.shape). \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        return
    }
    guard actual.dtype == expected.dtype else {
        Issue.record("dtype \(actual.dtype) != expected \(expected.dtype). \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        return
    }
    let (a, e) = (actual.doubles, expected.doubles)
    let error = relativeError(a, e, absoluteFloor: absoluteFloor)
    guard !(error <= relativeTolerance) else { return }
    var worstIndex = 0
    for index in a.indices where !(abs(a[index] - e[index]) <= abs(a[worstIndex] - e[worstIndex])) { worstIndex = index }
    Issue.record("""
        relative error \(error) > \(relativeTolerance); largest difference at flat index \(worstIndex): \
        \(a[worstIndex]) vs expected \(e[worstIndex]). \(comment?.rawValue ?? "")
        """, sourceLocation: sourceLocation)
}

/// ‖a - e‖₂ / max(‖e‖₂, absoluteFloor); NaN anywhere gives NaN (so comparisons with it fail).
public func relativeError(_ a: [Double], _ e: [Double], absoluteFloor: Double = 1e-30) -> Double {
    precondition(a.count == e.count, "relativeError: \(a.count) vs \(e.count) elements")
    var difference = 0.0, reference = 0.0
    for (x, y) in zip(a, e) {
        difference += (x - y) * (x - y)
        reference += y * y
    }
    return difference.squareRoot() / max(reference.squareRoot(), absoluteFloor)
}

/// A float64 tensor of uniform values in [lowerBound, upperBound), from a seed.
public func randomTensor(_ shape: [Int], seed: UInt64, lowerBound: Double = -1, upperBound: Double = 1,
                         dtype: DType = .float64) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.randomUniform(shape, lowerBound: lowerBound, upperBound: upperBound, dtype: dtype, using: &generator)
}

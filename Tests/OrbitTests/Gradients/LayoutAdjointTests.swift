import Orbit
import Testing
import _OrbitTestSupport

// Linear layout ops checked by the exact adjoint identity ⟨f(u), v⟩ = ⟨u, fᵀv⟩ (STYLE T3): reshape,
// expand, permute and the composites built on them, concatenate, stack, and dtype conversion.

private let reshapeSpecs: [AdjointSpec] = [
    AdjointSpec("reshaped flat -1", [[2, 3, 4]]) { $0[0].reshaped([-1]) },
    AdjointSpec("reshaped [4, -1]", [[2, 3, 4]]) { $0[0].reshaped([4, -1]) },
    AdjointSpec("reshaped [-1, 1, 3]", [[2, 3]]) { $0[0].reshaped([-1, 1, 3]) },
    AdjointSpec("reshaped to rank 0", [[1, 1]]) { $0[0].reshaped([]) },
    AdjointSpec("reshaped from rank 0", [[]]) { $0[0].reshaped([1, 1, 1]) },
    AdjointSpec("unsqueezed axis 0", [[3, 2]]) { $0[0].unsqueezed(axis: 0) },
    AdjointSpec("unsqueezed axis 1", [[3, 2]]) { $0[0].unsqueezed(axis: 1) },
    AdjointSpec("unsqueezed axis -1", [[3, 2]]) { $0[0].unsqueezed(axis: -1) },
    AdjointSpec("squeezed axis 1", [[3, 1, 2]]) { $0[0].squeezed(axis: 1) },
    AdjointSpec("squeezed axis -1", [[3, 2, 1]]) { $0[0].squeezed(axis: -1) },
    AdjointSpec("flattened", [[2, 3, 4]]) { $0[0].flattened() },
    AdjointSpec("flattened from 1", [[2, 3, 4, 1]]) { $0[0].flattened(from: 1) },
    AdjointSpec("flattened from -2", [[2, 3, 4]]) { $0[0].flattened(from: -2) },
]

private let expandSpecs: [AdjointSpec] = [
    AdjointSpec("expanded [3, 1] to [2, 3, 4]", [[3, 1]]) { $0[0].expanded(to: [2, 3, 4]) },
    AdjointSpec("expanded rank 0 to [2, 2]", [[]]) { $0[0].expanded(to: [2, 2]) },
    AdjointSpec("expanded [4] to [3, 4]", [[4]]) { $0[0].expanded(to: [3, 4]) },
    AdjointSpec("expanded [1, 1] to [1, 3]", [[1, 1]]) { $0[0].expanded(to: [1, 3]) },
    AdjointSpec("expanded [2, 1, 3] to [2, 5, 3]", [[2, 1, 3]]) { $0[0].expanded(to: [2, 5, 3]) },
    AdjointSpec("expanded to own shape", [[2, 3]]) { $0[0].expanded(to: [2, 3]) },
]

private let permuteSpecs: [AdjointSpec] = [
    AdjointSpec("permuted [2, 0, 1]", [[2, 3, 4]]) { $0[0].permuted([2, 0, 1]) },
    AdjointSpec("permuted [3, 1, 0, 2]", [[2, 3, 1, 4]]) { $0[0].permuted([3, 1, 0, 2]) },
    AdjointSpec("permuted identity", [[2, 3]]) { $0[0].permuted([0, 1]) },
    AdjointSpec("transposed", [[3, 4]]) { $0[0].transposed() },
    AdjointSpec("transposed batch", [[2, 3, 4]]) { $0[0].transposed() },
    AdjointSpec("transposed 0 2", [[2, 3, 4]]) { $0[0].transposed(0, 2) },
    AdjointSpec("transposed -3 -2", [[2, 3, 4]]) { $0[0].transposed(-3, -2) },
    AdjointSpec("permute then reshape", [[2, 3, 4]]) { $0[0].permuted([1, 0, 2]).reshaped([3, 8]).transposed() },
]

private let joinSpecs: [AdjointSpec] = [
    AdjointSpec("concatenate 3 axis 0", [[2, 3], [1, 3], [4, 3]]) { concatenate($0, axis: 0) },
    AdjointSpec("concatenate 3 axis 1", [[2, 3, 2], [2, 1, 2], [2, 4, 2]]) { concatenate($0, axis: 1) },
    AdjointSpec("concatenate 3 axis -1", [[2, 3, 2], [2, 3, 5], [2, 3, 1]]) { concatenate($0, axis: -1) },
    AdjointSpec("concatenate with an empty piece", [[2, 3], [2, 0], [2, 2]]) { concatenate($0, axis: 1) },
    AdjointSpec("concatenate one tensor", [[3, 2]]) { concatenate($0, axis: 0) },
    AdjointSpec("concatenate the same tensor twice", [[2, 3], [2, 1]]) { concatenate([$0[0], $0[1], $0[0]], axis: 1) },
    AdjointSpec("stack 3 axis 0", [[2, 3], [2, 3], [2, 3]]) { stack($0) },
    AdjointSpec("stack 3 axis 1", [[2, 3], [2, 3], [2, 3]]) { stack($0, axis: 1) },
    AdjointSpec("stack 3 axis 2", [[2, 3], [2, 3], [2, 3]]) { stack($0, axis: 2) },
    AdjointSpec("stack rank 0", [[], [], []]) { stack($0) },
]

private let conversionSpecs: [AdjointSpec] = [
    AdjointSpec("converted float64 to float64", [[3, 4]]) { $0[0].converted(to: .float64) },
    // Through float32 the map is linear only up to rounding: u and v each lose up to 2⁻²⁴ relative per
    // element, so ⟨f(u), v⟩ and ⟨u, fᵀv⟩ differ by at most 2·6e-8·Σ|uᵢvᵢ|, ~1e-6 of |⟨u, v⟩| here.
    AdjointSpec("converted through float32", [[4, 6]], tolerance: 1e-5) {
        $0[0].converted(to: .float32).converted(to: .float64)
    },
]

@Test(arguments: reshapeSpecs + expandSpecs + permuteSpecs + joinSpecs + conversionSpecs)
func layoutAdjoint(_ spec: AdjointSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

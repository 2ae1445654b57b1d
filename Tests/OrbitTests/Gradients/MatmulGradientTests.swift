import Orbit
import Testing
import _OrbitTestSupport

// matmul: plain, batched, broadcast batch, batch against a matrix and a matrix against a batch. Each
// shape pair is checked three ways: the directional check on both operands at once (STYLE T2), and the
// exact adjoint identity in each operand with the other held constant (STYLE T3), which isolates a wrong
// pullback to one operand.

private let matmulShapes: [([Int], [Int])] = [
    ([3, 4], [4, 5]),
    ([1, 1], [1, 1]),
    ([1, 7], [7, 1]),
    ([5, 1], [1, 3]),
    ([2, 3, 4], [2, 4, 2]),
    ([2, 1, 3, 4], [5, 4, 2]),
    ([1, 3, 4], [5, 4, 2]),
    ([2, 3, 4], [4, 5]),
    ([2, 2, 3, 4], [4, 1]),
    ([3, 4], [2, 4, 5]),
    ([3, 1, 2, 3], [1, 4, 3, 2]),
]

private let matmulSpecs: [GradientSpec] = matmulShapes.map { a, b in GradientSpec("matmul", [a, b]) { matmul($0[0], $0[1]) } }

@Test(arguments: matmulSpecs)
func matmulGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

@Test(arguments: matmulSpecs)
func matmulAdjointInEachOperand(_ spec: GradientSpec) {
    let constants = spec.inputs()
    let (left, right) = (constants[0], constants[1])
    let inLeft = GradientCheck(linear: { matmul($0[0], right) }, shapes: [left.shape])
    #expect(inLeft.passed, "left operand: \(inLeft)")
    let inRight = GradientCheck(linear: { matmul(left, $0[0]) }, shapes: [right.shape])
    #expect(inRight.passed, "right operand: \(inRight)")
}

/// The same tensor as both operands (x·xᵀ and x·x): the two pullbacks accumulate into one gradient.
@Test func matmulWithItself() {
    let gram = GradientCheck({ matmul($0[0], $0[0].transposed()) }, at: [randomTensor([3, 4], seed: 11)])
    #expect(gram.passed, "\(gram)")
    let square = GradientCheck({ matmul($0[0], $0[0]) }, at: [randomTensor([2, 3, 3], seed: 12)])
    #expect(square.passed, "\(square)")
}

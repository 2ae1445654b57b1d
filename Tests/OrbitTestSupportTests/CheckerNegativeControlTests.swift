import Orbit
import Testing
import _OrbitTestSupport

// The checkers must be able to fail: each is run on a deliberately wrong pullback.

@Test func gradientCheckCatchesAWrongPullback() {
    let x = randomTensor([3, 4], seed: 7)
    // d(x²)/dx is 2x; this pullback claims 2.01x, an error of half a percent.
    let wrong: ([Tensor]) -> Tensor = { inputs in
        customGradient("wrongSquare", inputs, forward: { $0[0] * $0[0] }) { g, inputs, _ in [g * inputs[0] * 2.01] }
    }
    let right: ([Tensor]) -> Tensor = { inputs in
        customGradient("square", inputs, forward: { $0[0] * $0[0] }) { g, inputs, _ in [g * inputs[0] * 2] }
    }
    let failing = GradientCheck(wrong, at: [x])
    #expect(!failing.passed, "\(failing)")
    #expect(failing.worstEntry != nil)
    let passing = GradientCheck(right, at: [x])
    #expect(passing.passed, "\(passing)")
}

@Test func adjointCheckCatchesAWrongTranspose() {
    // The pullback of a flip must flip back; returning the cotangent unflipped is wrong.
    let wrong: ([Tensor]) -> Tensor = { inputs in
        customGradient("wrongFlip", inputs, forward: { $0[0].flipped(axes: [1]) }) { g, _, _ in [g] }
    }
    #expect(!GradientCheck(linear: wrong, shapes: [[2, 5]]).passed)
    #expect(GradientCheck(linear: { $0[0].flipped(axes: [1]) }, shapes: [[2, 5]]).passed)
}

@Test func expectCloseReportsADifference() {
    let a = Tensor([1, 2, 3] as [Double], shape: [3])
    let b = Tensor([1, 2, 3.001] as [Double], shape: [3])
    withKnownIssue { expectClose(a, b, relativeTolerance: 1e-6) }
    expectClose(a, b, relativeTolerance: 1e-3)
}

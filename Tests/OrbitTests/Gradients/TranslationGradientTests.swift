import Orbit
import Testing
import _OrbitTestSupport

// translate is linear in x, so its pullback (the shift by -shifts) gets the exact adjoint identity
// (STYLE T3) over odd and even sizes (the Nyquist convention), per-image shifts, shifts beyond one pixel
// and whole-pixel shifts; plus the directional finite-difference check through a nonlinearity (T2).

private let shiftSets: [(name: String, shape: [Int], shifts: [[Double]])] = [
    ("one shift, odd sizes", [2, 3, 5, 7], [[0.3, -1.7]]),
    ("per-image shifts, even sizes", [3, 2, 6, 8], [[0.5, 0.5], [-2.25, 3.1], [0, 0.4]]),
    ("two shifts cycling over four images", [4, 1, 4, 5], [[-0.75, 0], [5.5, -6.2]]),
    ("whole pixels", [1, 2, 3, 4], [[1, -2]]),
    ("MNIST canvas", [1, 1, 28, 28], [[0.5, -0.25]]),
]

private let adjointSpecs: [AdjointSpec] = TranslationInterpolation.allCases.flatMap { interpolation in
    shiftSets.map { set in
        AdjointSpec("translate \(interpolation), \(set.name)", [set.shape]) {
            translate($0[0], by: set.shifts, interpolation: interpolation)
        }
    }
}

@Test(arguments: adjointSpecs)
func translateAdjoint(_ spec: AdjointSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

private let gradientSpecs: [GradientSpec] = TranslationInterpolation.allCases.map { interpolation in
    GradientSpec("tanh of translate \(interpolation) times x", [[2, 2, 5, 6]]) {
        tanh(translate($0[0], by: [[0.4, -1.3], [2.5, 0.75]], interpolation: interpolation)) * $0[0]
    }
}

@Test(arguments: gradientSpecs)
func translateGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

import Orbit
import Testing
import _OrbitTestSupport

// Pooling and affine resampling. Max pooling is piecewise linear, so it gets the directional check on
// distinct inputs (no ties, so no argmax switches under the central-difference step); average pooling
// and resampling are linear in x and get the exact adjoint identity (STYLE T3).

private let maxPoolSpecs: [GradientSpec] = [
    GradientSpec("kernel 2", [[2, 3, 6, 6]], [.distinct]) { maxPool2d($0[0], kernelSize: 2) },
    GradientSpec("kernel 3 stride 1 padding 1", [[1, 2, 5, 5]], [.distinct]) {
        maxPool2d($0[0], kernelSize: 3, stride: 1, padding: 1)
    },
    GradientSpec("kernel 3 stride 2 padding 1", [[2, 2, 7, 6]], [.distinct]) {
        maxPool2d($0[0], kernelSize: 3, stride: 2, padding: 1)
    },
    GradientSpec("kernel 2 stride 3 (gaps)", [[1, 2, 8, 7]], [.distinct]) { maxPool2d($0[0], kernelSize: 2, stride: 3) },
    GradientSpec("kernel 2 stride 1 padding 1", [[1, 1, 4, 5]], [.distinct]) {
        maxPool2d($0[0], kernelSize: 2, stride: 1, padding: 1)
    },
    GradientSpec("rectangular kernel and stride", [[2, 1, 5, 9]], [.distinct]) {
        maxPool2d($0[0], kernelSize: [2, 3], stride: [1, 3], padding: [1, 0])
    },
    GradientSpec("window covers the input", [[2, 2, 3, 3]], [.distinct]) { maxPool2d($0[0], kernelSize: 3) },
]

@Test(arguments: maxPoolSpecs)
func maxPoolGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

private let averagePoolSpecs: [AdjointSpec] = [
    AdjointSpec("kernel 2", [[2, 3, 6, 6]]) { averagePool2d($0[0], kernelSize: 2) },
    AdjointSpec("kernel 3 stride 2 padding 1 counted", [[1, 2, 7, 6]]) {
        averagePool2d($0[0], kernelSize: 3, stride: 2, padding: 1)
    },
    AdjointSpec("kernel 3 stride 2 padding 1 not counted", [[1, 2, 7, 6]]) {
        averagePool2d($0[0], kernelSize: 3, stride: 2, padding: 1, countPadding: false)
    },
    AdjointSpec("kernel 3 stride 1 padding 1 not counted", [[2, 1, 4, 5]]) {
        averagePool2d($0[0], kernelSize: 3, stride: 1, padding: 1, countPadding: false)
    },
    AdjointSpec("rectangular", [[1, 2, 5, 8]]) { averagePool2d($0[0], kernelSize: [3, 2], stride: [1, 2], padding: [1, 0]) },
    AdjointSpec("kernel 2 stride 3 (gaps)", [[1, 1, 8, 7]]) { averagePool2d($0[0], kernelSize: 2, stride: 3) },
]

private let thetaPerImage = Tensor([0.9, -0.3, 0.1, 0.25, 1.1, -0.2,
                                    0.5, 0.5, 0, -0.5, 0.5, 0.3] as [Double], shape: [2, 2, 3])

private let resampleSpecs: [AdjointSpec] = [
    AdjointSpec("resample identity", [[1, 2, 4, 5]]) {
        affineResample($0[0], theta: Tensor([1, 0, 0, 0, 1, 0] as [Double], shape: [2, 3]))
    },
    AdjointSpec("resample rotation 0.3 shared", [[2, 3, 5, 6]]) { affineResample($0[0], theta: rotationTheta(angle: 0.3)) },
    AdjointSpec("resample rotation to a larger grid", [[2, 1, 5, 6]]) {
        affineResample($0[0], theta: rotationTheta(angle: -1.1), outputSize: (height: 7, width: 4))
    },
    AdjointSpec("resample per-image theta", [[2, 2, 4, 5]]) {
        affineResample($0[0], theta: thetaPerImage, outputSize: (height: 6, width: 3))
    },
    AdjointSpec("resample to one pixel", [[2, 1, 3, 3]]) {
        affineResample($0[0], theta: rotationTheta(angle: 0.7), outputSize: (height: 1, width: 1))
    },
    AdjointSpec("resample shift half outside", [[1, 1, 4, 4]]) {
        affineResample($0[0], theta: Tensor([1, 0, 0.9, 0, 1, -0.6] as [Double], shape: [2, 3]))
    },
]

@Test(arguments: averagePoolSpecs + resampleSpecs)
func poolingAndResamplingAdjoint(_ spec: AdjointSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

import Orbit
import Testing
import _OrbitTestSupport

// conv2d and conv3d are bilinear: linear in the input for a fixed weight and in the weight for a fixed
// input. Each case is checked by the exact adjoint identity in each argument (STYLE T3) and by the
// directional check in both at once (STYLE T2).

struct ConvolutionCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inputShape: [Int]
    let weightShape: [Int]
    let apply: @Sendable (Tensor, Tensor) -> Tensor
    var testDescription: String { "\(name) \(inputShape) \(weightShape)" }
}

private let convolution2DCases: [ConvolutionCase] = [
    ConvolutionCase(name: "plain 3x3", inputShape: [1, 1, 5, 5], weightShape: [1, 1, 3, 3]) { conv2d($0, $1) },
    ConvolutionCase(name: "zeros padding 1", inputShape: [2, 3, 6, 7], weightShape: [4, 3, 3, 3]) { conv2d($0, $1, padding: 1) },
    ConvolutionCase(name: "circular padding 1", inputShape: [2, 2, 5, 6], weightShape: [3, 2, 3, 3]) {
        conv2d($0, $1, padding: 1, paddingMode: .circular)
    },
    ConvolutionCase(name: "stride 2 padding 1", inputShape: [1, 2, 7, 7], weightShape: [2, 2, 3, 3]) {
        conv2d($0, $1, stride: 2, padding: 1)
    },
    ConvolutionCase(name: "dilation 2 padding 2", inputShape: [1, 2, 8, 7], weightShape: [3, 2, 3, 3]) {
        conv2d($0, $1, padding: 2, dilation: 2)
    },
    ConvolutionCase(name: "groups 2 padding 1", inputShape: [2, 4, 5, 5], weightShape: [6, 2, 3, 3]) {
        conv2d($0, $1, padding: 1, groups: 2)
    },
    ConvolutionCase(name: "depthwise groups 3", inputShape: [1, 3, 5, 4], weightShape: [3, 1, 3, 3]) {
        conv2d($0, $1, padding: 1, groups: 3)
    },
    ConvolutionCase(name: "kernel 1", inputShape: [2, 3, 4, 5], weightShape: [2, 3, 1, 1]) { conv2d($0, $1) },
    ConvolutionCase(name: "kernel 2 stride 2", inputShape: [1, 2, 5, 6], weightShape: [3, 2, 2, 2]) { conv2d($0, $1, stride: 2) },
    ConvolutionCase(name: "rectangular kernel, per-axis stride and padding", inputShape: [2, 3, 5, 7], weightShape: [2, 3, 2, 3]) {
        conv2d($0, $1, stride: [1, 2], padding: [0, 1])
    },
    ConvolutionCase(name: "circular stride 2 dilation 2", inputShape: [1, 2, 6, 6], weightShape: [2, 2, 3, 3]) {
        conv2d($0, $1, stride: 2, padding: 2, dilation: 2, paddingMode: .circular)
    },
    ConvolutionCase(name: "circular groups 2 per-axis everything", inputShape: [2, 4, 6, 5], weightShape: [2, 2, 3, 2]) {
        conv2d($0, $1, stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2, paddingMode: .circular)
    },
    ConvolutionCase(name: "circular padding equal to the size", inputShape: [1, 1, 3, 3], weightShape: [1, 1, 3, 3]) {
        conv2d($0, $1, padding: 3, paddingMode: .circular)
    },
    ConvolutionCase(name: "kernel as large as the input", inputShape: [2, 2, 3, 4], weightShape: [3, 2, 3, 4]) { conv2d($0, $1) },
    ConvolutionCase(name: "input shifts, circular (the flow step)", inputShape: [6, 2, 5, 6], weightShape: [3, 2, 3, 3]) {
        conv2d($0, $1, padding: 1, paddingMode: .circular, inputShifts: [[0, 0], [1, -2], [-4, 3]])
    },
    ConvolutionCase(name: "input shifts, zeros, stride 2", inputShape: [4, 9, 7, 7], weightShape: [2, 9, 3, 3]) {
        conv2d($0, $1, stride: 2, padding: 1, inputShifts: [[2, 1], [-1, 0]])
    },
]

private let convolution3DCases: [ConvolutionCase] = [
    ConvolutionCase(name: "3-D zeros padding 1", inputShape: [1, 2, 4, 5, 5], weightShape: [2, 2, 3, 3, 3]) {
        conv3d($0, $1, padding: 1)
    },
    ConvolutionCase(name: "3-D groups 2 per-axis stride and padding", inputShape: [2, 2, 4, 4, 5], weightShape: [4, 1, 2, 3, 3]) {
        conv3d($0, $1, stride: [1, 2, 2], padding: [0, 1, 1], groups: 2)
    },
    ConvolutionCase(name: "3-D input shifts", inputShape: [2, 2, 3, 4, 5], weightShape: [2, 2, 3, 3, 3]) {
        conv3d($0, $1, padding: 1, paddingMode: .circular, inputShifts: [[1, -1, 2], [0, 3, -1]])
    },
    ConvolutionCase(name: "3-D circular dilation", inputShape: [1, 2, 4, 5, 6], weightShape: [3, 2, 3, 3, 3]) {
        conv3d($0, $1, padding: [1, 1, 2], dilation: [1, 1, 2], paddingMode: .circular)
    },
    ConvolutionCase(name: "3-D kernel 1 stride 2", inputShape: [2, 3, 3, 4, 5], weightShape: [2, 3, 1, 1, 1]) {
        conv3d($0, $1, stride: 2)
    },
    ConvolutionCase(name: "3-D kernel [3, 1, 1] (the flow convolution over velocities)", inputShape: [1, 2, 5, 3, 3],
                    weightShape: [2, 2, 3, 1, 1]) {
        conv3d($0, $1, padding: [1, 0, 0], paddingMode: .circular)
    },
]

private let convolutionCases = convolution2DCases + convolution3DCases

@Test(arguments: convolutionCases)
func convolutionInputAdjoint(_ convolution: ConvolutionCase) {
    let weight = randomTensor(convolution.weightShape, seed: stableSeed(convolution.testDescription))
    let apply = convolution.apply
    let check = GradientCheck(linear: { apply($0[0], weight) }, shapes: [convolution.inputShape])
    #expect(check.passed, "\(check)")
}

@Test(arguments: convolutionCases)
func convolutionWeightAdjoint(_ convolution: ConvolutionCase) {
    let input = randomTensor(convolution.inputShape, seed: stableSeed(convolution.testDescription))
    let apply = convolution.apply
    let check = GradientCheck(linear: { apply(input, $0[0]) }, shapes: [convolution.weightShape])
    #expect(check.passed, "\(check)")
}

@Test(arguments: convolutionCases)
func convolutionGradient(_ convolution: ConvolutionCase) {
    let apply = convolution.apply
    let spec = GradientSpec(convolution.name, [convolution.inputShape, convolution.weightShape]) { apply($0[0], $0[1]) }
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

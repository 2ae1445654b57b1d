import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The translation-relaxed steerable layer (eq. 8) and the translation-relaxed scale layer: fresh, they are
// the strict layer of the mean coefficients (exactly C4- and shift-equivariant in float64); relaxing the
// position weights breaks shifts and rotations, relaxing the kernel maps breaks only rotations.

private let c4 = CyclicGroup(order: 4)
private let vector = FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: 1)
private let regular = FieldType(group: c4, c4.regularRepresentation, count: 2)
private let shifts = [[1, 0], [0, 2], [3, -1]]

private func layer(_ input: FieldType<CyclicGroup>, _ output: FieldType<CyclicGroup>, relaxesRotation: Bool,
                   seed: UInt64 = 1) -> RelaxedTranslationSteerableConvolution<CyclicGroup> {
    var generator = RandomGenerator(seed: seed)
    let layer = RelaxedTranslationSteerableConvolution(inputType: input, outputType: output, kernelSize: 3, bankCount: 2, height: 8, width: 8,
                                                       relaxesRotation: relaxesRotation, padding: 1, paddingMode: .circular,
                                                       dtype: .float64, using: &generator)
    if let bias = layer.bias { bias.value = Tensor.randomNormal(bias.shape, dtype: .float64, using: &generator) }
    return layer
}

private func rotationErrors(_ layer: RelaxedTranslationSteerableConvolution<CyclicGroup>, _ x: Tensor) -> [Double] {
    layer.equivarianceErrors(input: x).map(\.error)
}

@Test(arguments: [false, true])
func freshTranslationSteerableLayerIsExactlyEquivariant(_ relaxesRotation: Bool) {
    for (input, output) in [(vector, regular), (regular, vector)] {
        let relaxed = layer(input, output, relaxesRotation: relaxesRotation)
        let x = randomTensor([2, input.channels, 8, 8], seed: 2)
        #expect(rotationErrors(relaxed, x).allSatisfy { $0 < 1e-13 }, "\(rotationErrors(relaxed, x))")
        #expect(translationErrors(relaxed.callAsFunction, input: x, shifts: shifts).allSatisfy { $0 < 1e-13 })
        // The steerable convolution of the mean coefficients.
        let count = relaxed.expansion.coefficientCount
        let coefficients = relaxed.weight.value.slice(axis: 1, index: 0).slice(axis: 1, index: 0).reshaped([2, count]).mean(axis: 0)
        var bias = conv2d(x, relaxed.expansion.filter(coefficients), padding: 1, paddingMode: .circular)
        if let expanded = relaxed.expandedBias { bias = bias + expanded.reshaped([-1, 1, 1]) }
        expectClose(relaxed(x), bias, relativeTolerance: 1e-13)
        #expect(relaxedTranslationRegularizer([relaxed], alpha: 1).item == 0 && relaxedSteerableRegularizer([relaxed], alpha: 1).item == 0)
    }
}

@Test func relaxedPositionWeightsBreakShiftsAndRotationsRelaxedKernelsOnlyRotations() {
    let x = randomTensor([1, 2, 8, 8], seed: 3)
    let positions = layer(vector, regular, relaxesRotation: false)
    perturb(positions.combinationWeights, size: 0.2, seed: 4)
    #expect(translationErrors(positions.callAsFunction, input: x, shifts: shifts).allSatisfy { $0 > 1e-2 })
    #expect(rotationErrors(positions, x).dropFirst().allSatisfy { $0 > 1e-2 })
    #expect(relaxedTranslationRegularizer([positions], alpha: 1).item > 0)
    // Negative control: kernel maps relaxed, position weights equal: still commutes with shifts, not rotations.
    let kernels = layer(vector, regular, relaxesRotation: true)
    perturb(kernels.weight, size: 0.2, seed: 5)
    #expect(translationErrors(kernels.callAsFunction, input: x, shifts: shifts).allSatisfy { $0 < 1e-13 })
    #expect(rotationErrors(kernels, x).dropFirst().allSatisfy { $0 > 1e-2 })
    #expect(relaxedSteerableRegularizer([kernels], alpha: 1).item > 0)
    // Gradients of both relaxations, parameters and input.
    perturb(kernels.combinationWeights, size: 0.2, seed: 6)
    let second = layer(regular, vector, relaxesRotation: true, seed: 7)
    let model = { (input: Tensor) in second(tanh(kernels(input))) }
    let check = GradientCheck(parameters: kernels.parameters + second.parameters) { model(x) }
    #expect(check.passed, "\(check)")
    let inputCheck = GradientCheck({ model($0[0]) }, at: [x])
    #expect(inputCheck.passed, "\(inputCheck)")
    #expect(kernels.namedParameters.map { "\($0.name) \($0.parameter.shape)" }
        == ["weight [\(2 * kernels.expansion.coefficientCount), 3, 3]", "combinationWeights [8, 8, 2]", "bias [2]"])
}

@Test func translationRelaxedScaleLayerIsTheScaleConvolutionOfTheMeanWhenFresh() {
    var generator = RandomGenerator(seed: 8)
    for lifting in [true, false] {
        let relaxed = RelaxedTranslationScaleConvolution(inputChannels: 2, outputChannels: 2, bankCount: 2, height: 7, width: 7, basis: scaleBasis,
                                                         lifting: lifting, scaleSize: lifting ? 1 : 2, paddingMode: .circular,
                                                         dtype: .float64, using: &generator)
        let strict = ScaleConvolution(inputChannels: 2, outputChannels: 2, basis: scaleBasis, lifting: lifting, scaleSize: lifting ? 1 : 2,
                                      paddingMode: .circular, dtype: .float64, using: &generator)
        strict.weight.value = relaxed.weight.value.mean(axis: 0)
        strict.bias!.value = relaxed.bias!.value
        let x = randomTensor(lifting ? [1, 2, 7, 7] : [1, 2, 3, 7, 7], seed: 9)
        expectClose(relaxed(x), strict(x), relativeTolerance: 1e-13)
        let spatial = lifting ? [2, 3] : [3, 4]
        func shiftErrors() -> [Double] {
            shifts.map { shift in
                relativeError(relaxed(x.rolled(shifts: shift, axes: spatial)).doubles, relaxed(x).rolled(shifts: shift, axes: [3, 4]).doubles)
            }
        }
        #expect(shiftErrors().allSatisfy { $0 < 1e-13 }, "\(shiftErrors())")
        perturb(relaxed.combinationWeights, size: 0.2, seed: 10)
        #expect(shiftErrors().allSatisfy { $0 > 1e-2 }, "\(shiftErrors())")
        let check = GradientCheck(parameters: relaxed.parameters) { relaxed(x) }
        #expect(check.passed, "lifting \(lifting): \(check)")
    }
}

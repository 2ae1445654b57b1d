import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The translation-relaxed convolution (weights per position) and the relaxed scale convolution (weights
// per scale): equal weights give the strict layer exactly; different weights break the symmetry.

private func translationLayer(_ indexing: RelaxedWeightIndexing, seed: UInt64 = 1) -> RelaxedTranslationConvolution {
    var generator = RandomGenerator(seed: seed)
    return RelaxedTranslationConvolution(inputChannels: 2, outputChannels: 3, kernelSize: 3, bankCount: 2, height: 7, width: 7,
                                         indexing: indexing, padding: 1, paddingMode: .circular, dtype: .float64, using: &generator)
}

private let shifts = [[1, 0], [0, 2], [3, -1]]

@Test(arguments: [RelaxedWeightIndexing.inputElement, .outputElement])
func freshTranslationRelaxedConvolutionsCommuteWithShifts(_ indexing: RelaxedWeightIndexing) {
    let layer = translationLayer(indexing)
    let x = randomTensor([2, 2, 7, 7], seed: 2)
    let errors = translationErrors(layer.callAsFunction, input: x, shifts: shifts)
    #expect(errors.allSatisfy { $0 < 1e-13 }, "\(indexing): \(errors)")
    // Equal weights: one convolution with the mean filter (and, per output position, the mean bias).
    let mean = conv2d(x, layer.weight.value.mean(axis: 0), padding: 1, paddingMode: .circular)
    let bias = indexing == .outputElement ? layer.bias!.value.mean(axis: 0) : layer.bias!.value
    expectClose(layer(x), mean + bias.reshaped([-1, 1, 1]), relativeTolerance: 1e-13)
}

@Test(arguments: [RelaxedWeightIndexing.inputElement, .outputElement])
func translationRegularizerRestoresShiftEquivariance(_ indexing: RelaxedWeightIndexing) {
    let first = translationLayer(indexing)
    var generator = RandomGenerator(seed: 3)
    let second = RelaxedTranslationConvolution(inputChannels: 3, outputChannels: 2, kernelSize: 3, bankCount: 2, height: 7, width: 7,
                                               indexing: indexing, padding: 1, paddingMode: .circular, dtype: .float64, using: &generator)
    let layers = [first, second]
    for (index, layer) in layers.enumerated() { perturb(layer.combinationWeights, size: 0.2, seed: 10 + UInt64(index)) }
    let model = { (x: Tensor) in second(tanh(first(x))) }
    let x = randomTensor([1, 2, 7, 7], seed: 4)
    let before = translationErrors(model, input: x, shifts: shifts), regularizerBefore = relaxedTranslationRegularizer(layers, alpha: 1).item
    #expect(before.allSatisfy { $0 > 1e-2 }, "\(before)")
    descend(layers.map(\.combinationWeights), learningRate: 0.01) { relaxedTranslationRegularizer(layers, alpha: 1) }
    let after = translationErrors(model, input: x, shifts: shifts), regularizerAfter = relaxedTranslationRegularizer(layers, alpha: 1).item
    #expect(regularizerAfter < regularizerBefore, "\(regularizerBefore) -> \(regularizerAfter)")
    #expect(after.max()! < before.max()!, "\(before) -> \(after)")
    for form in [SoftEquivarianceForm.paper, .referenceSquared] {
        let check = GradientCheck(parameters: layers.map(\.combinationWeights)) { relaxedTranslationRegularizer(layers, alpha: 0.3, form: form) }
        #expect(check.passed, "\(form): \(check)")
    }
    let check = GradientCheck(parameters: first.parameters + second.parameters) { model(x) }
    #expect(check.passed, "\(indexing): \(check)")
    let inputCheck = GradientCheck({ model($0[0]) }, at: [x])
    #expect(inputCheck.passed, "\(indexing): \(inputCheck)")
}

@Test func translationRegularizerValues() {
    // One bank on a 2×3 grid, w = [[0, 1, 3], [1, 1, 1]]: along H 1+0+2 = 3, along W 1+2 + 0+0 = 3.
    var generator = RandomGenerator(seed: 0)
    let layer = RelaxedTranslationConvolution(inputChannels: 1, outputChannels: 1, kernelSize: 1, bankCount: 1, height: 2, width: 3,
                                              dtype: .float64, using: &generator)
    layer.combinationWeights.value = Tensor([0, 1, 3, 1, 1, 1], shape: [2, 3, 1], dtype: .float64)
    #expect(abs(relaxedTranslationRegularizer([layer], alpha: 0.5).item - 3) < 1e-15)
    // Reference: (α (mean along H + mean along W))² = (0.5 (3/3 + 3/4))².
    let reference = 0.5 * (1 + 0.75)
    #expect(abs(relaxedTranslationRegularizer([layer, layer], alpha: 0.5, form: .referenceSquared).item - reference * reference) < 1e-15)
    #expect(layer.namedParameters.map { "\($0.name) \($0.parameter.shape)" } == ["weight [1, 1, 1, 1, 1]", "bias [1, 1]", "combinationWeights [2, 3, 1]"])
}

@Test func freshRelaxedScaleConvolutionIsTheScaleConvolutionOfTheMeanCoefficients() {
    var generator = RandomGenerator(seed: 5)
    for lifting in [true, false] {
        let relaxed = RelaxedScaleConvolution(inputChannels: 2, outputChannels: 2, bankCount: 3, basis: scaleBasis, lifting: lifting,
                                              scaleSize: lifting ? 1 : 2, dtype: .float64, using: &generator)
        let strict = ScaleConvolution(inputChannels: 2, outputChannels: 2, basis: scaleBasis, lifting: lifting, scaleSize: lifting ? 1 : 2,
                                      dtype: .float64, using: &generator)
        strict.weight.value = relaxed.weight.value.mean(axis: 0)
        strict.bias!.value = relaxed.bias!.value
        let x = randomTensor(lifting ? [1, 2, 7, 7] : [1, 2, 3, 7, 7], seed: 6)
        expectClose(relaxed(x), strict(x), relativeTolerance: 1e-13)
        // Per-scale weights: scale 0 keeps the mean, the others do not.
        perturb(relaxed.combinationWeights, size: 0.2, seed: 7)
        relaxed.combinationWeights.value = concatenate([Tensor.full([3, 1], value: 1.0 / 3, dtype: .float64),
                                                        relaxed.combinationWeights.value.slice(axis: 1, 1..<3)], axis: 1)
        let output = relaxed(x), reference = strict(x)
        expectClose(output.slice(axis: 2, index: 0), reference.slice(axis: 2, index: 0), relativeTolerance: 1e-13)
        #expect(relativeError(output.slice(axis: 2, index: 2).doubles, reference.slice(axis: 2, index: 2).doubles) > 1e-2)
        let check = GradientCheck(parameters: relaxed.parameters) { relaxed(x) }
        #expect(check.passed, "lifting \(lifting): \(check)")
    }
}

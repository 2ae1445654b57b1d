import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// Relaxed lifting and group convolutions (Wang, Walters and Yu 2022, eq. 4-5): exact equivariance with
// equal combination weights, a clear error once they differ, and the regularizer pushing back.

private let c4 = CyclicGroup(order: 4)

private func relaxedPair(_ indexing: RelaxedWeightIndexing, seed: UInt64 = 1)
    -> (lifting: RelaxedLiftingConvolution<CyclicGroup>, group: RelaxedGroupConvolution<CyclicGroup>) {
    var generator = RandomGenerator(seed: seed)
    let lifting = RelaxedLiftingConvolution(group: c4, inputChannels: 2, outputFields: 2, kernelSize: 3, bankCount: 3, padding: 1,
                                            dtype: .float64, using: &generator)
    let group = RelaxedGroupConvolution(group: c4, inputFields: 2, outputFields: 2, kernelSize: 3, bankCount: 3, indexing: indexing,
                                        padding: 1, dtype: .float64, using: &generator)
    return (lifting, group)
}

private func modelErrors(_ pair: (lifting: RelaxedLiftingConvolution<CyclicGroup>, group: RelaxedGroupConvolution<CyclicGroup>)) -> [Double] {
    let model = { (x: Tensor) in pair.group(relu(pair.lifting(x))) }
    return layerEquivarianceErrors(model, input: randomTensor([2, 2, 9, 9], seed: 11), inputType: pair.lifting.inputType,
                                   outputType: pair.group.outputType, elements: c4.elements)
}

@Test(arguments: [RelaxedWeightIndexing.inputElement, .outputElement])
func freshRelaxedGroupConvolutionsAreExactlyEquivariant(_ indexing: RelaxedWeightIndexing) {
    let pair = relaxedPair(indexing)
    let errors = modelErrors(pair)
    #expect(errors.allSatisfy { $0 < 1e-13 }, "\(indexing): \(errors)")
    // With equal weights 1/L the layers are the strict ones with the mean of the banks.
    var generator = RandomGenerator(seed: 0)
    let strict = GroupConvolution(group: c4, inputFields: 2, outputFields: 2, kernelSize: 3, padding: 1, dtype: .float64, using: &generator)
    strict.weight.value = pair.group.weight.value.mean(axis: 0)
    strict.bias!.value = pair.group.bias!.value
    let hidden = randomTensor([1, 8, 7, 7], seed: 12)
    expectClose(pair.group(hidden), strict(hidden), relativeTolerance: 1e-13)
}

@Test func freshRelaxedD4ConvolutionsAreExactlyEquivariantUnderFlipsToo() {
    let d4 = DihedralGroup(order: 4)
    var generator = RandomGenerator(seed: 8)
    let lifting = RelaxedLiftingConvolution(group: d4, inputChannels: 2, outputFields: 2, kernelSize: 3, bankCount: 2, padding: 1,
                                            dtype: .float64, using: &generator)
    let group = RelaxedGroupConvolution(group: d4, inputFields: 2, outputFields: 1, kernelSize: 3, bankCount: 2, padding: 1,
                                        dtype: .float64, using: &generator)
    let errors = layerEquivarianceErrors({ group(relu(lifting($0))) }, input: randomTensor([1, 2, 7, 7], seed: 9),
                                         inputType: lifting.inputType, outputType: group.outputType, elements: d4.elements)
    #expect(errors.allSatisfy { $0 < 1e-13 }, "\(errors)")
    #expect(!group.combinationAxisIsCyclic && relaxedGroupRegularizer([lifting, group], alpha: 1).item == 0)
}

@Test(arguments: [RelaxedWeightIndexing.inputElement, .outputElement])
func perturbedCombinationWeightsBreakEquivarianceAndTheRegularizerRestoresIt(_ indexing: RelaxedWeightIndexing) {
    let pair = relaxedPair(indexing)
    let layers: [any RelaxedCombinationLayer] = [pair.lifting, pair.group]
    perturb(pair.lifting.combinationWeights, size: 0.2, seed: 21)
    perturb(pair.group.combinationWeights, size: 0.2, seed: 22)
    let before = modelErrors(pair), regularizerBefore = relaxedGroupRegularizer(layers, alpha: 1).item
    #expect(before.dropFirst().allSatisfy { $0 > 1e-2 }, "\(indexing): \(before)")
    // One step on the regularizer alone (no data loss): the weights move towards constants.
    descend([pair.lifting.combinationWeights, pair.group.combinationWeights], learningRate: 0.02) {
        relaxedGroupRegularizer(layers, alpha: 1)
    }
    let after = modelErrors(pair), regularizerAfter = relaxedGroupRegularizer(layers, alpha: 1).item
    #expect(regularizerAfter < regularizerBefore, "\(regularizerBefore) -> \(regularizerAfter)")
    #expect(after.max()! < before.max()!, "\(before) -> \(after)")
}

@Test func relaxedGroupConvolutionsHaveCorrectGradients() {
    for indexing in [RelaxedWeightIndexing.inputElement, .outputElement] {
        let pair = relaxedPair(indexing, seed: 3)
        perturb(pair.lifting.combinationWeights, size: 0.2, seed: 31)
        perturb(pair.group.combinationWeights, size: 0.2, seed: 32)
        let x = randomTensor([1, 2, 5, 5], seed: 33)
        let check = GradientCheck(parameters: pair.lifting.parameters + pair.group.parameters) { pair.group(tanh(pair.lifting(x))) }
        #expect(check.passed, "\(indexing): \(check)")
        let inputCheck = GradientCheck({ pair.group(tanh(pair.lifting($0[0]))) }, at: [x])
        #expect(inputCheck.passed, "\(indexing): \(inputCheck)")
    }
    let pair = relaxedPair(.inputElement)
    #expect(pair.group.namedParameters.map { "\($0.name) \($0.parameter.shape)" }
            == ["weight [3, 2, 2, 4, 3, 3]", "combinationWeights [3, 4]", "bias [2]"])
    #expect(pair.lifting.namedParameters.map(\.name) == ["weight", "combinationWeights", "bias"])
}

@Test func groupRegularizerValuesAndGradients() {
    // One bank over C4 with weights (0, 1, 3, 1): adjacent differences 1, 2, -2, -1 (sum 6); all ordered
    // pairs sum to 2·(1 + 3 + 1 + 2 + 0 + 2) = 18.
    var generator = RandomGenerator(seed: 4)
    let layer = RelaxedLiftingConvolution(group: c4, inputChannels: 1, outputFields: 1, kernelSize: 3, bankCount: 1,
                                          dtype: .float64, using: &generator)
    layer.combinationWeights.value = Tensor([0, 1, 3, 1], shape: [1, 4], dtype: .float64)
    #expect(abs(relaxedGroupRegularizer([layer], alpha: 0.5).item - 3) < 1e-15)
    #expect(abs(relaxedGroupRegularizer([layer], alpha: 0.5, pairs: .all).item - 9) < 1e-15)
    #expect(abs(relaxedGroupRegularizer([layer], alpha: 0.5, form: .referenceSquared).item - 0.5625) < 1e-15)
    // Scales are a line: (0, 1, 3, 1) gives 1 + 2 + 2 = 5.
    let scale = RelaxedScaleConvolution(inputChannels: 1, outputChannels: 1, bankCount: 1, basis: scaleBasis, lifting: true,
                                        dtype: .float64, using: &generator)
    scale.combinationWeights.value = Tensor([0, 1, 3], shape: [1, 3], dtype: .float64)
    #expect(abs(relaxedGroupRegularizer([scale], alpha: 1).item - 3) < 1e-15)
    let pair = relaxedPair(.inputElement)
    perturb(pair.lifting.combinationWeights, size: 0.2, seed: 41)
    perturb(pair.group.combinationWeights, size: 0.2, seed: 42)
    for pairs in [GroupElementPairs.adjacent, .all] {
        for form in [SoftEquivarianceForm.paper, .referenceSquared] {
            let check = GradientCheck(parameters: [pair.lifting.combinationWeights, pair.group.combinationWeights]) {
                relaxedGroupRegularizer([pair.lifting, pair.group], alpha: 0.3, pairs: pairs, form: form)
            }
            #expect(check.passed, "\(pairs) \(form): \(check)")
        }
    }
}

@Test func relaxedLayersCheckTheirInputs() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        var generator = RandomGenerator(seed: 0)
        let layer = RelaxedGroupConvolution(group: CyclicGroup(order: 4), inputFields: 2, outputFields: 1, kernelSize: 3, bankCount: 2,
                                            using: &generator)
        _ = layer(Tensor.zeros([1, 6, 5, 5]))
    }.map { result in
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains("RelaxedGroupConvolution") && message.contains("[1, 6, 5, 5]"), "\(message)")
    }
}

import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// Relaxed steerable convolutions (eq. 7): coefficients constant over the kernel are exactly the steerable
// kernel; the reference code's random init is not equivariant; the regularizer pushes back.

private let c4 = CyclicGroup(order: 4)
private let vector = FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: 2)
private let regular = FieldType(group: c4, c4.regularRepresentation, count: 2)

private func relaxed(_ input: FieldType<CyclicGroup>, _ output: FieldType<CyclicGroup>,
                     _ initialization: RelaxedSteerableInitialization = .equivariant, seed: UInt64 = 1) -> RelaxedSteerableConvolution<CyclicGroup> {
    var generator = RandomGenerator(seed: seed)
    let layer = RelaxedSteerableConvolution(inputType: input, outputType: output, kernelSize: 3, initialization: initialization,
                                            padding: 1, dtype: .float64, using: &generator)
    if let bias = layer.bias { bias.value = Tensor.randomNormal(bias.shape, dtype: .float64, using: &generator) }
    return layer
}

private func errors(_ layer: RelaxedSteerableConvolution<CyclicGroup>) -> [Double] {
    layer.equivarianceErrors(input: randomTensor([2, layer.inputType.channels, 9, 9], seed: 7)).map(\.error)
}

@Test func freshRelaxedSteerableConvolutionsAreExactlyEquivariant() {
    for (input, output) in [(vector, regular), (regular, regular), (regular, vector)] {
        let layer = relaxed(input, output)
        #expect(errors(layer).allSatisfy { $0 < 1e-13 }, "\(input) -> \(output): \(errors(layer))")
        // Constant coefficient maps: the filter is the steerable expansion of those coefficients.
        let constant = layer.weight.value.slice(axis: 1, index: 0).slice(axis: 1, index: 0)
        expectClose(layer.filter, layer.expansion.filter(constant), relativeTolerance: 1e-14)
    }
    // Mixed field types go through the block assembly of `SteerableFilterExpansion`.
    let mixed = FieldType(group: c4, representations: [c4.regularRepresentation, c4.trivialRepresentation, c4.irreducibleRepresentation(frequency: 1)])
    let layer = relaxed(mixed, mixed)
    #expect(errors(layer).allSatisfy { $0 < 1e-13 }, "mixed: \(errors(layer))")
}

@Test func referenceRandomInitializationIsNotEquivariant() {
    let layer = relaxed(vector, regular, .referenceRandom)
    let measured = errors(layer)
    #expect(measured[0] < 1e-15 && measured.dropFirst().allSatisfy { $0 > 1e-2 }, "\(measured)")
    #expect(relaxedSteerableRegularizer([layer], alpha: 1).item > 0)
}

@Test func theSteerableRegularizerRestoresEquivariance() {
    let first = relaxed(vector, regular), second = relaxed(regular, vector, seed: 2)
    perturb(first.weight, size: 0.1, seed: 3)
    perturb(second.weight, size: 0.1, seed: 4)
    let model = { (x: Tensor) in second(relu(first(x))) }
    func modelErrors() -> [Double] {
        layerEquivarianceErrors(model, input: randomTensor([2, 4, 9, 9], seed: 5), inputType: first.inputType,
                                outputType: second.outputType, elements: c4.elements)
    }
    let before = modelErrors(), regularizerBefore = relaxedSteerableRegularizer([first, second], alpha: 1).item
    #expect(before.dropFirst().allSatisfy { $0 > 1e-2 }, "\(before)")
    descend([first.weight, second.weight], learningRate: 0.01) { relaxedSteerableRegularizer([first, second], alpha: 1) }
    let after = modelErrors(), regularizerAfter = relaxedSteerableRegularizer([first, second], alpha: 1).item
    #expect(regularizerAfter < regularizerBefore, "\(regularizerBefore) -> \(regularizerAfter)")
    #expect(after.max()! < before.max()!, "\(before) -> \(after)")
}

@Test func steerableRegularizerValuesAndGradients() {
    // One coefficient map [[0, 1, 3], [1, 1, 1], [2, 0, 0]] (padding the rest of the weight with zeros):
    // row differences 1+0+2 + 1+1+1 = 6, column differences 1+2 + 0+0 + 2+0 = 5; flattened consecutive
    // differences 1,2,2,0,0,1,2,0 (mean over the layer's C·8 entries).
    let layer = relaxed(vector, vector)
    let count = layer.weight.shape[0]
    var values = [Double](repeating: 0, count: count * 9)
    values.replaceSubrange(0..<9, with: [0, 1, 3, 1, 1, 1, 2, 0, 0])
    layer.weight.value = Tensor(values, shape: [count, 3, 3], dtype: .float64)
    #expect(abs(relaxedSteerableRegularizer([layer], alpha: 0.5).item - 5.5) < 1e-14)
    let mean = 8 / Double(count * 8)
    #expect(abs(relaxedSteerableRegularizer([layer], alpha: 0.5, form: .referenceSquared).item - (0.5 * mean) * (0.5 * mean)) < 1e-15)

    let first = relaxed(vector, regular, .referenceRandom), second = relaxed(regular, vector, .referenceRandom, seed: 2)
    for form in [SoftEquivarianceForm.paper, .referenceSquared] {
        let check = GradientCheck(parameters: [first.weight, second.weight]) { relaxedSteerableRegularizer([first, second], alpha: 0.3, form: form) }
        #expect(check.passed, "\(form): \(check)")
    }
    let x = randomTensor([1, 4, 5, 5], seed: 6)
    let check = GradientCheck(parameters: first.parameters + second.parameters) { second(tanh(first(x))) }
    #expect(check.passed, "\(check)")
    #expect(first.namedParameters.map { "\($0.name) \($0.parameter.shape)" } == ["weight [\(2 * 2 * 12), 3, 3]", "bias [2]"])
}

import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// Lifting and group convolutions are exactly equivariant under every element that acts exactly on the
// grid: float64 at rounding level (STYLE T5), float32 at ~1e-5, and a plain convolution is not.

private func liftingThenGroup<G: FiniteGroup & PlanarGroup>(_ group: G, dtype: DType, paddingMode: PaddingMode)
    -> (lifting: LiftingConvolution<G>, group: GroupConvolution<G>) {
    var generator = RandomGenerator(seed: 5)
    let lifting = LiftingConvolution(group: group, inputChannels: 2, outputFields: 3, kernelSize: 3, padding: 1,
                                     paddingMode: paddingMode, dtype: dtype, using: &generator)
    let convolution = GroupConvolution(group: group, inputFields: 3, outputFields: 2, kernelSize: 3, padding: 1,
                                       paddingMode: paddingMode, dtype: dtype, using: &generator)
    return (lifting, convolution)
}

@Test(arguments: [PaddingMode.zeros, .circular])
func liftingAndGroupConvolutionsAreExactlyEquivariantForC4AndD4(_ paddingMode: PaddingMode) {
    let x = randomTensor([2, 2, 9, 9], seed: 1)
    let c4 = CyclicGroup(order: 4)
    let (liftC4, groupC4) = liftingThenGroup(c4, dtype: .float64, paddingMode: paddingMode)
    let liftErrors = layerEquivarianceErrors(liftC4.callAsFunction, input: x, inputType: liftC4.inputType,
                                             outputType: liftC4.outputType, elements: c4.elements)
    #expect(liftErrors.allSatisfy { $0 < 1e-13 }, "C4 lifting: \(liftErrors)")
    let hidden = relu(liftC4(x))
    let groupErrors = layerEquivarianceErrors(groupC4.callAsFunction, input: hidden, inputType: groupC4.inputType,
                                              outputType: groupC4.outputType, elements: c4.elements)
    #expect(groupErrors.allSatisfy { $0 < 1e-13 }, "C4 group: \(groupErrors)")

    let d4 = DihedralGroup(order: 4)
    let (liftD4, groupD4) = liftingThenGroup(d4, dtype: .float64, paddingMode: paddingMode)
    let model = { (input: Tensor) in groupD4(relu(liftD4(input))) }
    let errors = layerEquivarianceErrors(model, input: x, inputType: liftD4.inputType, outputType: groupD4.outputType,
                                         elements: d4.elements)
    #expect(errors.allSatisfy { $0 < 1e-13 }, "D4 lifting + group: \(errors)")
}

@Test func c8IsExactOnItsC4SubgroupOnly() {
    let c8 = CyclicGroup(order: 8)
    let (lifting, convolution) = liftingThenGroup(c8, dtype: .float64, paddingMode: .zeros)
    let model = { (input: Tensor) in convolution(relu(lifting(input))) }
    let x = randomTensor([1, 2, 11, 11], seed: 2)
    let errors = layerEquivarianceErrors(model, input: x, inputType: lifting.inputType, outputType: convolution.outputType,
                                         elements: c8.elements)
    for (element, error) in zip(c8.elements, errors) {
        if element % 2 == 0 {
            #expect(error < 1e-13, "C8 element \(element) (a quarter turn): \(error)")
        } else {
            #expect(error > 1e-3, "C8 element \(element) (45°) is only approximately equivariant: \(error)")
        }
    }
}

@Test func float32EquivarianceIsAtFloatRounding() {
    let c4 = CyclicGroup(order: 4)
    let (lifting, convolution) = liftingThenGroup(c4, dtype: .float32, paddingMode: .circular)
    let model = { (input: Tensor) in convolution(relu(lifting(input))) }
    let x = randomTensor([2, 2, 8, 8], seed: 3, dtype: .float32)
    let errors = layerEquivarianceErrors(model, input: x, inputType: lifting.inputType, outputType: convolution.outputType,
                                         elements: c4.elements)
    #expect(errors.allSatisfy { $0 < 1e-5 }, "\(errors)")
}

@Test func groupPoolingIsInvariant() {
    let d4 = DihedralGroup(order: 4)
    let (lifting, convolution) = liftingThenGroup(d4, dtype: .float64, paddingMode: .zeros)
    for reduction in [GroupPooling<DihedralGroup>.Reduction.maximum, .mean] {
        let pooling = GroupPooling(group: d4, fields: 2, reduction: reduction)
        let model = { (input: Tensor) in pooling(convolution(relu(lifting(input)))) }
        let errors = layerEquivarianceErrors(model, input: randomTensor([1, 2, 7, 7], seed: 4), inputType: lifting.inputType,
                                             outputType: pooling.outputType, elements: d4.elements)
        #expect(errors.allSatisfy { $0 < 1e-13 }, "\(reduction): \(errors)")
    }
}

@Test func aPlainConvolutionFailsTheSameTest() {
    // Negative control: the identical measurement on an ordinary convolution with random weights.
    var generator = RandomGenerator(seed: 6)
    let plain = Convolution2D(inputChannels: 2, outputChannels: 4, kernelSize: 3, padding: 1, dtype: .float64, using: &generator)
    let c4 = CyclicGroup(order: 4)
    let type = FieldType(group: c4, c4.trivialRepresentation, count: 2)
    let outputType = FieldType(group: c4, c4.trivialRepresentation, count: 4)
    let errors = layerEquivarianceErrors(plain.callAsFunction, input: randomTensor([1, 2, 9, 9], seed: 7), inputType: type,
                                         outputType: outputType, elements: c4.elements)
    #expect(errors[0] < 1e-15)
    #expect(errors.dropFirst().allSatisfy { $0 > 0.1 }, "\(errors)")
}

@Test func groupConvolutionsHaveCorrectGradients() {
    let d4 = DihedralGroup(order: 4)
    let (lifting, convolution) = liftingThenGroup(d4, dtype: .float64, paddingMode: .circular)
    let x = randomTensor([1, 2, 5, 5], seed: 8)
    let check = GradientCheck(parameters: lifting.parameters + convolution.parameters) { convolution(tanh(lifting(x))) }
    #expect(check.passed, "\(check)")
    let inputCheck = GradientCheck({ convolution(tanh(lifting($0[0]))) }, at: [x])
    #expect(inputCheck.passed, "\(inputCheck)")
    #expect(lifting.namedParameters.map(\.name) == ["weight", "bias"])
    #expect(convolution.weight.shape == [2, 3, 8, 3, 3])
}

@Test(arguments: [(4, 2), (2, 1)])
func groupConvolutionFloat32GradientsAgreeWithFloat64(_ groupOrder: Int, _ outputFields: Int) {
    // Lifting then group convolution. C4 with 2 output fields (8 channels) runs the GEMM kernels; C2 with
    // 1 field (2 channels) the direct single-precision ones. Bound and its reason: `float32GradientTolerance`.
    func model(_ dtype: DType) -> Sequential {
        var generator = RandomGenerator(seed: 21)
        let group = CyclicGroup(order: groupOrder)
        return Sequential(
            LiftingConvolution(group: group, inputChannels: 2, outputFields: 3, kernelSize: 3, padding: 1, dtype: dtype, using: &generator),
            Tanh(),
            GroupConvolution(group: group, inputFields: 3, outputFields: outputFields, kernelSize: 3, padding: 1, dtype: dtype,
                             using: &generator))
    }
    let errors = float32GradientErrors(model(.float64), model(.float32), input: randomTensor([2, 2, 8, 8], seed: 22), seed: 23)
    #expect(errors.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "input"])
    for (name, error) in errors {
        #expect(error < float32GradientTolerance, "C\(groupOrder), \(outputFields) output fields, \(name): relative error \(error)")
    }
}

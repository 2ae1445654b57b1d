import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// Gradient checks (float64, STYLE T2) of the G-RNN, rotation FERNN and G-RNN+ cells over several steps,
// of the sequence classifier and the 3D-CNN; parameter names and counts against Docs/References.md §F3 and §F4.

private func unrolledStates<Cell: RecurrentCell>(_ cell: Cell, _ sequence: Tensor) -> Tensor where Cell.State == Tensor {
    unroll(cell, over: sequence).outputs
}

@Test func theGroupRNNCellHasCorrectGradientsOverSeveralSteps() {
    var generator = RandomGenerator(seed: 11)
    let cell = GroupRNNCell(group: CyclicGroup(order: 4), inputChannels: 1, hiddenFields: 2, activation: .tanh,
                            dtype: .float64, using: &generator)
    let frames = randomTensor([2, 3, 1, 5, 5], seed: 110)
    let check = GradientCheck(parameters: cell.parameters) { unrolledStates(cell, frames) }
    #expect(check.passed, "\(check)")
    let inputCheck = GradientCheck({ unrolledStates(cell, $0[0]) }, at: [frames])
    #expect(inputCheck.passed, "\(inputCheck)")
    #expect(cell.namedParameters.map(\.name) == ["inputConvolution.weight", "hiddenConvolution.weight"])
}

@Test func theRotationFERNNCellHasCorrectGradientsOverSeveralSteps() {
    // C8 with a resampled flow (-45 degrees), the identity and an exact one (90 degrees).
    var generator = RandomGenerator(seed: 12)
    let cell = RotationFlowEquivariantRNNCell(inputChannels: 1, hiddenFields: 1, flows: RotationFlows(groupOrder: 8, steps: [-1, 0, 2]),
                                              activation: .tanh, dtype: .float64, using: &generator)
    let frames = randomTensor([2, 3, 1, 5, 5], seed: 120)
    let check = GradientCheck(parameters: cell.parameters) { unrolledStates(cell, frames) }
    #expect(check.passed, "\(check)")
    let inputCheck = GradientCheck({ unrolledStates(cell, $0[0]) }, at: [frames])
    #expect(inputCheck.passed, "\(inputCheck)")
    // The next-step predictor takes the lifted rotation cell (its decoder sees all fields·N channels).
    let predictor = FlowPredictor(cell: cell, decoderLayers: 1, dtype: .float64, using: &generator)
    let predictorCheck = GradientCheck(parameters: predictor.parameters) { predictor(frames, predicting: 1) }
    #expect(predictorCheck.passed, "\(predictorCheck)")
    #expect(predictor(frames, predicting: 2).shape == [2, 2, 1, 5, 5])
}

@Test func theLearnedShiftCellHasCorrectGradientsOverSeveralSteps() {
    var generator = RandomGenerator(seed: 13)
    let cell = LearnedShiftRNNCell(inputChannels: 1, hiddenChannels: 2, flows: .grid(range: 1), dtype: .float64, using: &generator)
    #expect(cell.shiftKernels.shape == [9, 1, 3, 3])
    let frames = randomTensor([2, 3, 1, 5, 6], seed: 130)
    let check = GradientCheck(parameters: cell.parameters) { unrolledStates(cell, frames) }
    #expect(check.passed, "\(check)")
    let inputCheck = GradientCheck({ unrolledStates(cell, $0[0]) }, at: [frames])
    #expect(inputCheck.passed, "\(inputCheck)")
    #expect(cell.namedParameters.map(\.name) == ["inputWeight", "hiddenWeight", "shiftKernels"])
}

@Test func theLearnedShiftCellWithOneHotKernelsIsTheFERNN() {
    // K_ν = one-hot at offset -ν makes K_ν ⋆ h the flow roll by +ν: the G-RNN+ then computes the FERNN.
    var generator = RandomGenerator(seed: 14)
    let flows = TranslationFlows.grid(range: 1)
    let fernn = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 2, flows: flows, activation: .tanh, dtype: .float64,
                                       using: &generator)
    let plus = LearnedShiftRNNCell(inputChannels: 1, hiddenChannels: 2, flows: flows, dtype: .float64, using: &generator)
    plus.inputWeight!.value = fernn.inputWeight!.value
    plus.hiddenWeight.value = fernn.hiddenWeight.value
    var oneHot = [Double](repeating: 0, count: flows.count * 9)
    for (index, velocity) in flows.velocities.enumerated() { oneHot[index * 9 + (1 - velocity[0]) * 3 + (1 - velocity[1])] = 1 }
    plus.shiftKernels.value = Tensor(oneHot, shape: [flows.count, 1, 3, 3], dtype: .float64)
    let frames = randomTensor([2, 3, 1, 5, 6], seed: 140)
    expectClose(unrolledStates(plus, frames), unrolledStates(fernn, frames), relativeTolerance: 1e-13)
}

private func smallConfiguration() -> SequenceClassifierConfiguration {
    var configuration = SequenceClassifierConfiguration()
    (configuration.encoderChannels, configuration.encoderKernelSizes, configuration.classes) = ([3, 2], [3, 3], 3)
    return configuration
}

@Test func theSequenceClassifiersHaveCorrectGradients() {
    var generator = RandomGenerator(seed: 15)
    let clips = randomTensor([3, 3, 1, 5, 5], seed: 150)
    let fernn = FlowSequenceClassifier<FlowEquivariantRNNCell>(flows: .grid(range: 1), configuration: smallConfiguration(),
                                                               dtype: .float64, using: &generator)
    #expect(fernn(clips).shape == [3, 3])
    let check = GradientCheck(parameters: fernn.parameters) { fernn(clips) }
    #expect(check.passed, "FERNN classifier: \(check)")
    let plus = FlowSequenceClassifier<LearnedShiftRNNCell>(flows: .grid(range: 1), configuration: smallConfiguration(),
                                                           dtype: .float64, using: &generator)
    let plusCheck = GradientCheck(parameters: plus.parameters) { plus(clips) }
    #expect(plusCheck.passed, "G-RNN+ classifier: \(plusCheck)")
    let rotation = FlowSequenceClassifier(cell: RotationFlowEquivariantRNNCell(inputChannels: 1, hiddenFields: 1,
                                                                               flows: .range(1, groupOrder: 4), activation: .tanh,
                                                                               dtype: .float64, using: &generator),
                                          classes: 2, pooling: .mean, dtype: .float64, using: &generator)
    let rotationCheck = GradientCheck(parameters: rotation.parameters) { rotation(clips) }
    #expect(rotationCheck.passed, "rotation FERNN classifier: \(rotationCheck)")
}

@Test func theVideoCNNHasCorrectGradients() {
    var generator = RandomGenerator(seed: 16)
    let model = VideoCNNClassifier(baseChannels: 2, classes: 3, dtype: .float64, using: &generator)
    let clips = randomTensor([2, 4, 1, 8, 8], seed: 161)
    #expect(model(clips).shape == [2, 3])
    // One check per parameter: moving all of them at once along one random direction crosses ReLU kinks
    // within the finite-difference step in this tiny network (measured: relative error 0.19 at this seed,
    // while every parameter alone agrees to 3e-7; the reverse-mode side is the sum of the single ones).
    for (name, parameter) in model.namedParameters {
        let check = GradientCheck(parameters: [parameter]) { model(clips) }
        #expect(check.passed, "\(name): \(check)")
    }
    let inputCheck = GradientCheck({ model($0[0]) }, at: [clips])
    #expect(inputCheck.passed, "\(inputCheck)")
}

@Test func theKTHModelsHaveTheReferenceParameterCounts() {
    // Docs/References.md §F4: FERNN and G-RNN 241,638 whatever |V|; G-RNN+ with V_2^T adds 25 kernels of 5×5;
    // the 3D-CNN (base 16) 208,598.
    var generator = RandomGenerator(seed: 17)
    let fernn = FlowSequenceClassifier<FlowEquivariantRNNCell>(flows: .grid(range: 2), using: &generator)
    let grnn = FlowSequenceClassifier<FlowEquivariantRNNCell>(flows: .stationary, using: &generator)
    let plus = FlowSequenceClassifier<LearnedShiftRNNCell>(flows: .grid(range: 2), using: &generator)
    let video = VideoCNNClassifier(using: &generator)
    #expect([fernn.parameterCount, grnn.parameterCount, plus.parameterCount, video.parameterCount] == [241_638, 241_638, 242_263, 208_598])
    #expect(plus.cell.shiftKernelSize == 5)
    #expect(fernn.namedParameters.map(\.name) == [
        "cell.inputEncoder.0.weight", "cell.inputEncoder.1.weight", "cell.inputEncoder.1.bias",
        "cell.inputEncoder.3.weight", "cell.inputEncoder.4.weight", "cell.inputEncoder.4.bias",
        "cell.inputEncoder.6.weight", "cell.inputEncoder.7.weight", "cell.inputEncoder.7.bias",
        "cell.hiddenWeight", "head.weight", "head.bias",
    ])
    #expect(video.namedParameters.map(\.name).prefix(6) == [
        "stage1.0.weight", "stage1.1.weight", "stage1.1.bias", "stage2.0.0.weight", "stage2.0.1.weight", "stage2.0.1.bias",
    ])
    // Rotating MNIST (Docs/References.md §F3): 32 regular C36 fields. Our U and W hold full filters per
    // field pair (1·9 and 36·9 per pair) where escnn's harmonic basis has 6 and 216: 332,064 against
    // its 221,376.
    let rotation = RotationFlowEquivariantRNNCell(inputChannels: 1, hiddenFields: 32, flows: .range(2, groupOrder: 36), using: &generator)
    #expect(rotation.parameterCount == 32 * 9 + 32 * 32 * 36 * 9 && rotation.hiddenChannels == 1152)
}

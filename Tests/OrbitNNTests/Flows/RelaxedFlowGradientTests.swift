import Orbit
import OrbitModels
import OrbitNN
import OrbitOptimizers
import Testing
import _OrbitTestSupport

// Gradient checks (float64, STYLE T2) of the relaxed FERNN cell's step and unroll, its regulariser and a
// predictor built on it; and a few Adam steps of that predictor lowering its loss.

/// A cell away from every special point: coefficients spread over V, a nonzero flow correction, tanh.
private func spreadCell(seed: UInt64, bankCount: Int = 2, using generator: inout RandomGenerator) -> RelaxedFlowEquivariantRNNCell {
    let cell = RelaxedFlowEquivariantRNNCell(inputChannels: 2, hiddenChannels: 2, flows: .grid(range: 1), bankCount: bankCount,
                                             activation: .tanh, flowCorrection: true, dtype: .float64, using: &generator)
    cell.combinationWeights.value = randomTensor(cell.combinationWeights.shape, seed: seed, lowerBound: 0, upperBound: 1)
    cell.flowCorrections!.value = randomTensor(cell.flowCorrections!.shape, seed: seed + 1, lowerBound: -0.3, upperBound: 0.3)
    return cell
}

@Test func theRelaxedCellStepHasCorrectGradients() {
    var generator = RandomGenerator(seed: 1)
    let cell = spreadCell(seed: 10, using: &generator)
    let input = randomTensor([2, 2, 5, 6], seed: 11), state = randomTensor([2, 9, 2, 5, 6], seed: 12)
    // With respect to the input frame and the state, together and each alone.
    let step = { (inputs: [Tensor]) in cell(inputs[0], state: inputs[1]).output }
    for (name, check) in [("input and state", GradientCheck(step, at: [input, state])),
                          ("input", GradientCheck({ step([$0[0], state]) }, at: [input])),
                          ("state", GradientCheck({ step([input, $0[0]]) }, at: [state]))] {
        #expect(check.passed, "\(name): \(check)")
    }
    // With respect to each parameter alone (banks, coefficients, correction, input convolution), then all.
    for (name, parameter) in cell.namedParameters {
        let check = GradientCheck(parameters: [parameter]) { cell(input, state: state).output }
        #expect(check.passed, "\(name): \(check)")
    }
    let all = GradientCheck(parameters: cell.parameters) { cell(input, state: state).output }
    #expect(all.passed, "all parameters: \(all)")
}

@Test(arguments: [1, 3])
func theRelaxedCellHasCorrectGradientsOverSeveralSteps(_ bankCount: Int) {
    var generator = RandomGenerator(seed: 2)
    let cell = spreadCell(seed: 20, bankCount: bankCount, using: &generator)
    let frames = randomTensor([2, 3, 2, 5, 6], seed: 21)
    let check = GradientCheck(parameters: cell.parameters) { unroll(cell, over: frames).outputs }
    #expect(check.passed, "\(check)")
    let inputCheck = GradientCheck({ unroll(cell, over: $0[0]).outputs }, at: [frames])
    #expect(inputCheck.passed, "\(inputCheck)")
    // The next-step predictor on the relaxed cell (one decoder step: the only fed-back frame is an input).
    let predictor = FlowPredictor(cell: cell, frameChannels: 2, decoderLayers: 1, dtype: .float64, using: &generator)
    let predictorCheck = GradientCheck(parameters: predictor.parameters) { predictor(frames, predicting: 1) }
    #expect(predictorCheck.passed, "\(predictorCheck)")
    #expect(predictor.namedParameters.map(\.name) == ["cell.inputWeight", "cell.hiddenWeight", "cell.combinationWeights",
                                                      "cell.flowCorrections", "decoder.0.weight", "decoder.2.weight"])
}

@Test func theRelaxedFlowRegularizerHasItsFormulaAndCorrectGradients() {
    var generator = RandomGenerator(seed: 3)
    let cells = [spreadCell(seed: 30, using: &generator), spreadCell(seed: 32, bankCount: 3, using: &generator)]
    cells[1].flowCorrections!.value = cells[1].flowCorrections!.value * 0.5
    let alpha = 0.7
    // The formula, summed independently in Double: α Σ_cells [Σ_l Σ_ν (a_l(ν) - ā_l)² + Σ_ν Σ_p (K_ν[p] - K̄[p])²].
    func squaredDeviation(_ values: [Double], groups: Int, length: Int, strideOfGroup: Int, strideInGroup: Int) -> Double {
        (0..<groups).reduce(0.0) { total, group in
            let entries = (0..<length).map { values[group * strideOfGroup + $0 * strideInGroup] }
            let mean = entries.reduce(0, +) / Double(length)
            return total + entries.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
    }
    let expected = alpha * cells.reduce(0.0) { total, cell in
        let (banks, velocities) = (cell.bankCount, cell.flows.count)
        return total + squaredDeviation(cell.combinationWeights.value.doubles, groups: banks, length: velocities,
                                        strideOfGroup: velocities, strideInGroup: 1)
            + squaredDeviation(cell.flowCorrections!.value.doubles, groups: 9, length: velocities, strideOfGroup: 1, strideInGroup: 9)
    }
    let penalty = relaxedFlowRegularizer(cells, alpha: alpha)
    #expect(penalty.shape == [] && abs(penalty.item - expected) <= 1e-13 * expected, "\(penalty.item) vs \(expected)")
    let parameters = cells.flatMap { [$0.combinationWeights, $0.flowCorrections!] }
    let check = GradientCheck(parameters: parameters) { relaxedFlowRegularizer(cells, alpha: alpha) }
    #expect(check.passed, "\(check)")
    // Zero, with a zero gradient, at velocity-independent coefficients and corrections.
    let fresh = RelaxedFlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 2, flows: .grid(range: 1), flowCorrection: true,
                                              dtype: .float64, using: &generator)
    let (value, gradients) = valueAndGradient(of: fresh.parameters) { relaxedFlowRegularizer([fresh], alpha: alpha) }
    #expect(value.item == 0 && gradients[fresh.combinationWeights].doubles.allSatisfy { $0 == 0 })
}

@Test func aFlowPredictorOnTheRelaxedCellTrains() {
    var generator = RandomGenerator(seed: 4)
    let cell = RelaxedFlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 4, flows: .grid(range: 1), bankCount: 2,
                                             flowCorrection: true, using: &generator)
    let predictor = FlowPredictor(cell: cell, decoderLayers: 1, using: &generator)
    // Random sequences of 5 frames: read 3, predict 2.
    let sequences = randomTensor([4, 5, 1, 8, 8], seed: 40, lowerBound: 0, upperBound: 1, dtype: .float32)
    let (inputs, targets) = (sequences.slice(axis: 1, 0..<3), sequences.slice(axis: 1, 3..<5))
    let optimizer = Adam(learningRate: 3e-3)
    let loss = { meanSquaredError(predictor(inputs, predicting: 2), targets) + relaxedFlowRegularizer([cell], alpha: 1e-3) }
    var losses: [Double] = []
    for _ in 0..<10 {
        let (value, gradients) = valueAndGradient(of: predictor.parameters, loss)
        losses.append(value.item)
        optimizer.update(predictor.parameters, with: gradients)
    }
    losses.append(loss().item)
    #expect(losses.allSatisfy(\.isFinite) && losses.last! < 0.5 * losses[0], "losses \(losses)")
    // Every velocity's coefficients and correction moved, apart from each other: the cell left the FERNN.
    #expect(cell.kernelSpread > 1e-3, "kernel spread \(cell.kernelSpread)")
}

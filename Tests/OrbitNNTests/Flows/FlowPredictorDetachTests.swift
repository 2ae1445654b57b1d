import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// FlowPredictor feeds each prediction back as the next input, detached: the gradient flows through the
// state but not through the fed-back frames. A plain gradient check cannot see the detach (finite
// differences of the predictor follow whatever the tape follows), so the reference here is the same
// rollout with the fed-back frames frozen as constants, differentiated by central differences.

/// The predictor's decoder rollout with the frames it reads after `frames` given: the cell reads
/// `frames`, then each of `fed` in turn, and every state after a fed frame is read out.
/// [N, T, C, H, W] and `fed` [N, C, H, W] each -> [N, fed.count, C, H, W].
private func rollout<Cell: LiftedRecurrentCell>(_ predictor: FlowPredictor<Cell>, _ frames: Tensor, feeding fed: [Tensor]) -> Tensor {
    var state = unroll(predictor.cell, over: frames).state
    var predictions: [Tensor] = []
    for input in fed {
        state = predictor.cell(input, state: state).state
        predictions.append(predictor.readout(state))
    }
    return stack(predictions, axis: 1)
}

/// ⟨(f(θ + hu) - f(θ - hu)) / 2h, v⟩ for the parameters moved along `directions`; restores them.
private func centralDifference(_ parameters: [Parameter], _ directions: [Tensor], _ cotangent: Tensor,
                               step: Double = 1e-5, _ function: () -> Tensor) -> Double {
    let original = parameters.map(\.value)
    func shifted(_ sign: Double) -> Tensor {
        for (parameter, (value, direction)) in zip(parameters, zip(original, directions)) { parameter.value = value + direction * (sign * step) }
        return function()
    }
    let difference = dot((shifted(1) - shifted(-1)) / (2 * step), cotangent)
    for (parameter, value) in zip(parameters, original) { parameter.value = value }
    return difference
}

/// Along random parameter directions (seeded), against a random cotangent on the predictions: the reverse-mode
/// derivative, central differences of the whole closed loop, and central differences with the fed-back frames
/// frozen as `fed`.
private func directionalDerivatives<Cell: LiftedRecurrentCell>(_ predictor: FlowPredictor<Cell>, _ frames: Tensor, steps: Int,
                                                              feeding fed: [Tensor], seed: UInt64)
    -> (reverseMode: Double, closedLoop: Double, frozen: Double) {
    let parameters = predictor.parameters
    var random = RandomGenerator(seed: seed)
    let cotangent = Tensor.randomNormal([frames.shape[0], steps] + Array(frames.shape[2...]), dtype: .float64, using: &random)
    let directions = parameters.map { Tensor.randomNormal($0.shape, dtype: .float64, using: &random) }
    let gradients = valueAndGradient(of: parameters, seed: cotangent) { predictor(frames, predicting: steps) }.gradients
    let reverseMode = zip(directions, parameters).map { dot($0, gradients[$1]) }.reduce(0, +)
    let closedLoop = centralDifference(parameters, directions, cotangent) { predictor(frames, predicting: steps) }
    let frozen = centralDifference(parameters, directions, cotangent) { rollout(predictor, frames, feeding: fed) }
    return (reverseMode, closedLoop, frozen)
}

private func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(a), abs(b), 1e-12) }

@Test func theFlowPredictorsGradientStopsAtEveryFedBackPrediction() {
    var generator = RandomGenerator(seed: 12)
    let cell = RotationFlowEquivariantRNNCell(inputChannels: 1, hiddenFields: 1, flows: RotationFlows(groupOrder: 8, steps: [-1, 0, 2]),
                                              activation: .tanh, dtype: .float64, using: &generator)
    let predictor = FlowPredictor(cell: cell, decoderLayers: 1, dtype: .float64, using: &generator)
    let frames = randomTensor([2, 3, 1, 5, 5], seed: 121)
    let steps = 3
    let predictions = predictor(frames, predicting: steps)
    // What the decoder reads: the last input frame, then its own predictions (constants from here on).
    let fed = [frames.slice(axis: 1, index: 2)] + (0..<(steps - 1)).map { predictions.slice(axis: 1, index: $0) }
    expectClose(rollout(predictor, frames, feeding: fed), predictions, relativeTolerance: 1e-15)

    let (reverseMode, undetached, detached) = directionalDerivatives(predictor, frames, steps: steps, feeding: fed, seed: 1)
    // Tolerance as GradientCheck's (float64, h = 1e-5): truncation ~1e-10, rounding ~1e-11.
    #expect(relative(reverseMode, detached) < 1e-6,
            "reverse mode \(reverseMode) vs central differences with the fed-back frames frozen \(detached)")
    // The control: the path through the fed-back frames is not negligible here, so a missing detach fails above.
    #expect(relative(detached, undetached) > 1e-3, "detached \(detached), undetached \(undetached)")
}

// With detachesFeedback false the gradient follows the fed-back predictions too: reverse mode matches central
// differences of the whole closed loop, and (the control, as above) not those with the fed-back frames frozen.
@Test func withoutTheDetachTheGradientFollowsTheClosedLoop() {
    var generator = RandomGenerator(seed: 12)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 2, flows: .grid(range: 1), dtype: .float64, using: &generator)
    let predictor = FlowPredictor(cell: cell, decoderLayers: 1, detachesFeedback: false, dtype: .float64, using: &generator)
    let frames = randomTensor([2, 3, 1, 5, 5], seed: 122, lowerBound: 0, upperBound: 1)
    let steps = 3
    let predictions = predictor(frames, predicting: steps)
    let fed = [frames.slice(axis: 1, index: 2)] + (0..<(steps - 1)).map { predictions.slice(axis: 1, index: $0).detached() }

    let (reverseMode, closedLoop, frozen) = directionalDerivatives(predictor, frames, steps: steps, feeding: fed, seed: 2)
    #expect(relative(reverseMode, closedLoop) < 1e-6, "reverse mode \(reverseMode) vs central differences of the closed loop \(closedLoop)")
    #expect(relative(closedLoop, frozen) > 1e-3, "closed loop \(closedLoop), fed-back frames frozen \(frozen)")
}

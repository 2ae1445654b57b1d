import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// Keller 2025, Theorems 3.1 and 4.1 as tests. On a 5x5 torus with V = {-2..2}² (the whole group Z₅², so
// relabelling velocities by ν ↦ ν - μ stays inside V), feeding a sequence that flows with velocity μ
// (f'_t = roll_{μt} f_t) must give states s'_t[ν] = roll_{μt}(s_t[ν - μ]) after frame t: exactly
// (float64 rounding) for the FERNN, and not at all for the G-RNN (V = {0}).

private let size = 5, steps = 4

private func flowedSequence(_ frames: [Tensor], _ velocity: [Int]) -> [Tensor] {
    frames.enumerated().map { t, frame in frame.rolled(shifts: [velocity[0] * t, velocity[1] * t], axes: [2, 3]) }
}

private func states(_ cell: FlowEquivariantRNNCell, _ frames: [Tensor]) -> [Tensor] {
    var state = cell.zeroState(for: frames[0])
    return frames.map { frame in state = cell(frame, state: state).state; return state }
}

/// The largest relative error of s'_t[ν] against roll_{μt}(s_t[ν - μ]) over t and ν (velocities
/// relabelled on the torus group).
private func flowEquivarianceError(_ cell: FlowEquivariantRNNCell, velocity: [Int], frames: [Tensor]) -> Double {
    let original = states(cell, frames), flowed = states(cell, flowedSequence(frames, velocity))
    let wrap = { (value: Int) in ((value + size / 2) % size + size) % size - size / 2 }
    var worst = 0.0
    for t in 0..<frames.count {
        for (index, ν) in cell.flows.velocities.enumerated() {
            let source = cell.flows.index(of: [wrap(ν[0] - velocity[0]), wrap(ν[1] - velocity[1])])!
            let expected = original[t].slice(axis: 1, index: source).rolled(shifts: [velocity[0] * t, velocity[1] * t], axes: [2, 3])
            worst = max(worst, relativeError(flowed[t].slice(axis: 1, index: index).doubles, expected.doubles))
        }
    }
    return worst
}

private func randomFrames(seed: UInt64) -> [Tensor] {
    (0..<steps).map { randomTensor([2, 1, size, size], seed: seed + UInt64($0)) }
}

@Test(arguments: [[1, 0], [0, -2], [2, 1], [-1, -1]])
func theFERNNIsFlowEquivariant(_ velocity: [Int]) {
    var generator = RandomGenerator(seed: 1)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 3, flows: .grid(range: 2), dtype: .float64, using: &generator)
    let error = flowEquivarianceError(cell, velocity: velocity, frames: randomFrames(seed: 10))
    #expect(error < 1e-13, "FERNN, flow \(velocity): \(error)")
    // With V-mixing over neighbouring velocities (the velocity grid wrapped, as the torus group requires).
    let mixing = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 2, flows: .grid(range: 2), activation: .tanh,
                                        velocityMixing: 3, velocityPadding: .circular, dtype: .float64, using: &generator)
    let mixingError = flowEquivarianceError(mixing, velocity: velocity, frames: randomFrames(seed: 20))
    #expect(mixingError < 1e-13, "FERNN with V-mixing, flow \(velocity): \(mixingError)")
}

@Test func theGRNNIsNotFlowEquivariant() {
    // Theorem 3.1: a G-RNN (V = {0}) is translation equivariant at each step but not flow equivariant.
    var generator = RandomGenerator(seed: 2)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 3, flows: .stationary, dtype: .float64, using: &generator)
    let frames = randomFrames(seed: 30)
    let original = states(cell, frames), flowed = states(cell, flowedSequence(frames, [1, 1]))
    let errors = (1..<steps).map { t in
        relativeError(flowed[t].doubles, original[t].rolled(shifts: [t, t], axes: [3, 4]).doubles)
    }
    #expect(errors.allSatisfy { $0 > 0.05 }, "G-RNN errors \(errors)")
    // A static input (μ = 0) is still fine: that is ordinary translation equivariance.
    let shifted = frames.map { $0.rolled(shifts: [2, 1], axes: [2, 3]) }
    let staticError = relativeError(states(cell, shifted)[steps - 1].doubles,
                                    original[steps - 1].rolled(shifts: [2, 1], axes: [3, 4]).doubles)
    #expect(staticError < 1e-13)
}

@Test func theReadoutOfTheFERNNMovesWithTheInput() {
    // The prediction read from the state (decoder of the max over V) shifts with the input as well.
    var generator = RandomGenerator(seed: 3)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 3, flows: .grid(range: 2), dtype: .float64, using: &generator)
    let predictor = FlowPredictor(cell: cell, decoderLayers: 1, dtype: .float64, using: &generator)
    let frames = randomFrames(seed: 40), velocity = [1, -2]
    let original = states(cell, frames).map(predictor.readout)
    let flowed = states(cell, flowedSequence(frames, velocity)).map(predictor.readout)
    for t in 0..<steps {
        let expected = original[t].rolled(shifts: [velocity[0] * t, velocity[1] * t], axes: [2, 3])
        #expect(relativeError(flowed[t].doubles, expected.doubles) < 1e-13, "readout at step \(t)")
    }
}

@Test func theCellHasCorrectGradientsOverSeveralSteps() {
    var generator = RandomGenerator(seed: 4)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 2, flows: .grid(range: 1), activation: .tanh,
                                      velocityMixing: 3, dtype: .float64, using: &generator)
    let frames = randomTensor([1, 4, 1, 5, 6], seed: 50)
    let unrolled = { (sequence: Tensor) in unroll(cell, over: sequence).outputs }
    let check = GradientCheck(parameters: cell.parameters) { unrolled(frames) }
    #expect(check.passed, "\(check)")
    let inputCheck = GradientCheck({ unrolled($0[0]) }, at: [frames])
    #expect(inputCheck.passed, "\(inputCheck)")
    // The predictor feeds its predictions back detached (Docs/References.md §F2), so its gradient is the
    // gradient of the model with those frames held constant: with one decoder step the only fed-back
    // frame is an input, a constant for the parameters, and the check applies.
    let predictor = FlowPredictor(cell: cell, decoderLayers: 1, dtype: .float64, using: &generator)
    let predictorCheck = GradientCheck(parameters: predictor.parameters) { predictor(frames, predicting: 1) }
    #expect(predictorCheck.passed, "\(predictorCheck)")
    #expect(predictor.namedParameters.map(\.name) == ["cell.inputWeight", "cell.hiddenWeight", "decoder.0.weight", "decoder.2.weight"])
}

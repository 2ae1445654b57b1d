import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The paper's moving-MNIST predictor has no biases and ReLU everywhere, so the whole closed loop (cell, max over V,
// decoder, prediction fed back) is positively homogeneous of degree 1: frames scaled by c > 0 give every prediction
// scaled by c. Nothing in the model fixes the brightness of what it predicts; each step multiplies it by a gain that
// training can only tune towards 1 (Docs/FlowEquivariance.md §4, why predictions brighten or fade past the
// training length). A saturating activation (tanh) breaks the homogeneity: the control.
@Test(arguments: [FlowEquivariantRNNCell.Activation.relu, .tanh])
func theReLUFlowPredictorScalesWithItsInputAndTheTanhOneDoesNot(activation: FlowEquivariantRNNCell.Activation) {
    var generator = RandomGenerator(seed: 5)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 3, flows: .grid(range: 1), activation: activation,
                                      dtype: .float64, using: &generator)
    let predictor = FlowPredictor(cell: cell, decoderLayers: 1, dtype: .float64, using: &generator)
    let frames = randomTensor([2, 3, 1, 6, 6], seed: 9, lowerBound: 0, upperBound: 1)
    let scale = 3.7
    let scaledInput = predictor(frames * scale, predicting: 6)
    let scaledOutput = predictor(frames, predicting: 6) * scale
    let error = relativeError(scaledInput.doubles, scaledOutput.doubles)
    if activation == .relu {
        #expect(error < 1e-14, "ReLU predictor: relative difference \(error) between f(c x) and c f(x)")
    } else {
        #expect(error > 1e-2, "tanh predictor: f(c x) and c f(x) differ by only \(error)")
    }
}

// The IRNN start (`setIdentityRecurrence`): with no input, each velocity's slice of a non-negative state is carried
// exactly one step along its flow (with and without V-mixing); the control is the default initialization.
@Test(arguments: [1, 3])
func theIdentityRecurrenceCarriesEachSliceAlongItsFlow(velocityMixing: Int) {
    var generator = RandomGenerator(seed: 8)
    let flows = TranslationFlows.grid(range: 1)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 3, flows: flows, velocityMixing: velocityMixing,
                                      dtype: .float64, using: &generator)
    let state = randomTensor([2, flows.count, 3, 6, 7], seed: 81, lowerBound: 0, upperBound: 1)
    let input = Tensor.zeros([2, 1, 6, 7], dtype: .float64)
    let carried = stack(flows.velocities.enumerated().map { index, velocity in
        state.slice(axis: 1, index: index).rolled(shifts: velocity, axes: [2, 3])
    }, axis: 1)
    #expect(relativeError(cell(input, state: state).state.doubles, carried.doubles) > 0.1)
    cell.setIdentityRecurrence()
    expectClose(cell(input, state: state).state, carried, relativeTolerance: 1e-15)
}

import Orbit
import OrbitNN
import Testing
import _OrbitTestSupport

// Velocity sets beyond the paper's grids (issue 17): any list of integer velocities, and sub-pixel
// velocities split into a whole-pixel part (folded into the convolution) and a remainder (translated).

@Test func translationFlowsAcceptAnyListOfIntegerVelocities() {
    let still = TranslationFlows.horizontal([0])
    #expect(still.velocities == [[0, 0]] && still == .stationary)
    let even = TranslationFlows.horizontal([-4, -2, 0, 2, 4])
    #expect(even.velocities == [[0, -4], [0, -2], [0, 0], [0, 2], [0, 4]] && even.count == 5 && even.subpixel == nil)
    #expect(even.index(of: [0, 2]) == 3 && even.index(of: [0, 1]) == nil && even.description == "V = (0, -4) (0, -2) (0, 0) (0, 2) (0, 4)")
    let between = TranslationFlows.horizontal(Array(-5...5))
    #expect(between.count == 11 && between.velocities.first == [0, -5] && between.velocities.last == [0, 5])
    #expect(TranslationFlows(velocities: [[3, -1], [0, 0]]).velocities == [[3, -1], [0, 0]])
}

/// The states after each frame of `frames` [N, 1, H, W] each.
private func states(_ cell: FlowEquivariantRNNCell, _ frames: [Tensor]) -> [Tensor] {
    var state = cell.zeroState(for: frames[0])
    return frames.map { frame in state = cell(frame, state: state).state; return state }
}

/// Largest relative error of s'_t[ν] against move_t(s_t[ν - μ]) over t and the ν whose ν - μ is in V,
/// for input frames moved by `move` (frame t by μt) and the same `move` on the states.
private func flowError(_ cell: FlowEquivariantRNNCell, velocity: [Double], frames: [Tensor],
                       move: (Tensor, [Double]) -> Tensor) -> Double {
    let original = states(cell, frames)
    let flowed = states(cell, frames.enumerated().map { t, frame in move(frame, velocity.map { $0 * Double(t) }) })
    var worst = 0.0, compared = 0
    for t in frames.indices {
        for (index, ν) in cell.flows.realVelocities.enumerated() {
            guard let source = cell.flows.index(of: [ν[0] - velocity[0], ν[1] - velocity[1]]) else { continue }
            let expected = move(original[t].slice(axis: 1, index: source), velocity.map { $0 * Double(t) })
            worst = max(worst, relativeError(flowed[t].slice(axis: 1, index: index).doubles, expected.doubles))
            compared += 1
        }
    }
    return compared > frames.count ? worst : .nan   // NaN (a failure) unless some ν - μ lay in V
}

private func roll(_ x: Tensor, _ shift: [Double]) -> Tensor { x.rolled(shifts: [Int(shift[0]), Int(shift[1])], axes: [2, 3]) }

@Test func aFERNNOverVelocitiesBetweenGeneratorsIsEquivariantToItsOwnFlows() {
    // V = {-4, -2, 0, 2, 4} along x on a 5 x 11 torus: input flowing at μ = (0, 2) relabels ν ↦ ν - μ
    // wherever ν - μ stays in V (Theorem 4.1 for a subset of the group).
    var generator = RandomGenerator(seed: 11)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 2, flows: .horizontal([-4, -2, 0, 2, 4]),
                                      dtype: .float64, using: &generator)
    let frames = (0..<4).map { randomTensor([2, 1, 5, 11], seed: 60 + UInt64($0)) }
    #expect(flowError(cell, velocity: [0, 2], frames: frames, move: roll) < 1e-13)
    #expect(flowError(cell, velocity: [0, -4], frames: frames, move: roll) < 1e-13)
}

@Test func subpixelVelocitiesSplitIntoWholePixelsAndRemainders() {
    let flows = TranslationFlows.horizontal([-1, -0.5, 0, 0.5, 1.5], interpolation: .fourier)
    #expect(flows.velocities == [[0, -1], [0, -1], [0, 0], [0, 1], [0, 2]])
    #expect(flows.subpixel?.remainders == [[0, 0], [0, 0.5], [0, 0], [0, -0.5], [0, -0.5]])
    #expect(flows.index(of: [0, 0.5] as [Double]) == 3 && flows.index(of: [0, 0] as [Int]) == 2 && flows.index(of: [0, 2] as [Int]) == nil)
    #expect(flows.description == "V = (0, -1) (0, -0.5) (0, 0) (0, 0.5) (0, 1.5) (fourier)")
    #expect(flows.hasSubpixelVelocities && !TranslationFlows(velocities: [[0, 1.0]], interpolation: .bilinear).hasSubpixelVelocities)
    // The split is exact: the flowed state is the translate by the whole velocity, slice by slice.
    for interpolation in TranslationInterpolation.allCases {
        let set = TranslationFlows(velocities: [[0.25, -1.5], [2, 0.5], [-0.5, 0]], interpolation: interpolation)
        let state = randomTensor([2, 3, 2, 6, 7], seed: 12)
        let flowed = set.flowed(state)
        for (index, velocity) in set.realVelocities.enumerated() {
            expectClose(flowed.slice(axis: 1, index: index), translate(state.slice(axis: 1, index: index), by: [velocity],
                                                                        interpolation: interpolation), relativeTolerance: 1e-15)
            let split = translate(state.slice(axis: 1, index: index), by: [set.subpixel!.remainders[index]], interpolation: interpolation)
            expectClose(roll(split, set.velocities[index].map(Double.init)), flowed.slice(axis: 1, index: index),
                        relativeTolerance: 1e-14, "\(interpolation), velocity \(velocity)")
        }
    }
}

@Test(arguments: TranslationInterpolation.allCases)
func theCellWithSubpixelFlowsMovesEachSliceByItsVelocity(_ interpolation: TranslationInterpolation) {
    // One step of the cell against the equation written out: σ(U ⋆ f + W ⋆ Flow_ν(h[ν])).
    var generator = RandomGenerator(seed: 13)
    let flows = TranslationFlows(velocities: [[0, 0.5], [-1.25, 2], [0, 0]], interpolation: interpolation)
    let cell = FlowEquivariantRNNCell(inputChannels: 2, hiddenChannels: 3, flows: flows, activation: .tanh, dtype: .float64,
                                      using: &generator)
    let (input, state) = (randomTensor([2, 2, 6, 7], seed: 14), randomTensor([2, 3, 3, 6, 7], seed: 15))
    let drive = conv2d(input, cell.inputWeight!.value, padding: 1, paddingMode: .circular)
    let moved = flows.flowed(state).reshaped([6, 3, 6, 7])
    let expected = tanh(conv2d(moved, cell.hiddenWeight.value, padding: 1, paddingMode: .circular).reshaped(state.shape)
                        + drive.unsqueezed(axis: 1))
    expectClose(cell(input, state: state).state, expected, relativeTolerance: 1e-14)
    // Whole-pixel velocities given as real numbers are the integer cell, bit for bit.
    let whole = FlowEquivariantRNNCell(inputChannels: 2, hiddenChannels: 3, flows: .horizontal([-1, 0, 2]), using: &generator)
    let wholeAsReal = FlowEquivariantRNNCell(inputChannels: 2, hiddenChannels: 3,
                                             flows: .horizontal([-1, 0, 2], interpolation: interpolation), using: &generator)
    wholeAsReal.hiddenWeight.value = whole.hiddenWeight.value
    wholeAsReal.inputWeight!.value = whole.inputWeight!.value
    let frame = randomTensor([1, 2, 5, 5], seed: 16, dtype: .float32), start = randomTensor([1, 3, 3, 5, 5], seed: 17, dtype: .float32)
    #expect(whole(frame, state: start).state.doubles == wholeAsReal(frame, state: start).state.doubles)
}

@Test(arguments: TranslationInterpolation.allCases)
func theCellWithSubpixelFlowsHasCorrectGradients(_ interpolation: TranslationInterpolation) {
    var generator = RandomGenerator(seed: 18)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 2,
                                      flows: .horizontal([-0.5, 0, 0.75, 1.5], interpolation: interpolation),
                                      activation: .tanh, dtype: .float64, using: &generator)
    let frames = randomTensor([1, 4, 1, 5, 6], seed: 19)
    let unrolled = { (sequence: Tensor) in unroll(cell, over: sequence).outputs }
    let check = GradientCheck(parameters: cell.parameters) { unrolled(frames) }
    #expect(check.passed, "\(check)")
    let inputCheck = GradientCheck({ unrolled($0[0]) }, at: [frames])
    #expect(inputCheck.passed, "\(inputCheck)")
}

@Test func velocityMixingRefusesSubpixelFlows() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        var generator = RandomGenerator(seed: 0)
        _ = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 1, flows: .horizontal([0, 0.5], interpolation: .fourier),
                                   velocityMixing: 3, using: &generator)
    }.map { result in
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains("FlowEquivariantRNNCell") && message.contains("velocity mixing 3") && message.contains("0.5"), "\(message)")
    }
}

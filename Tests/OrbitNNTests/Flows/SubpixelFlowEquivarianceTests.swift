import Orbit
import OrbitNN
import Testing
import _OrbitTestSupport

// Flow equivariance with sub-pixel velocities, measured (issue 17; the numbers are in
// Docs/FlowEquivariance.md, "Imperfect flows"). V = {-1, -0.5, 0, 0.5, 1} px/step along x; the input
// flows at μ (frame t moved by μt with the flows' own interpolation) and the expected states are
// s'_t[ν] = move_{μt}(s_t[ν - μ]) for the ν whose ν - μ lies in V.
//
// - A linear recurrence h[ν] ← W ⋆ Flow_ν(h[ν]) + U ⋆ f isolates the flows: the Fourier shifts form a
//   group and commute with W, so it is exact on an odd torus; bilinear shifts blur (B_s B_t ≠ B_{s+t}).
// - The FERNN cell adds tanh, which no sub-pixel shift commutes with, so neither is exact for fractional
//   μ; for whole-pixel μ both are (a roll commutes with everything and factors out of every flow).

private let flowSpeeds: [Double] = [-1, -0.5, 0, 0.5, 1]

private func move(_ interpolation: TranslationInterpolation) -> (Tensor, [Double]) -> Tensor {
    { x, shift in translate(x, by: [shift], interpolation: interpolation) }
}

/// Largest relative error over steps and velocities of the states of `step` (state, frame) -> state.
private func flowError(flows: TranslationFlows, velocity: [Double], frames: [Tensor], zero: Tensor,
                       step: (Tensor, Tensor) -> Tensor) -> Double {
    let shift = move(flows.subpixel!.interpolation)
    func run(_ inputs: [Tensor]) -> [Tensor] {
        var state = zero
        return inputs.map { state = step(state, $0); return state }
    }
    let original = run(frames)
    let flowed = run(frames.enumerated().map { t, frame in shift(frame, velocity.map { $0 * Double(t) }) })
    var worst = 0.0, compared = 0
    for t in frames.indices {
        for (index, ν) in flows.realVelocities.enumerated() {
            guard let source = flows.index(of: [ν[0] - velocity[0], ν[1] - velocity[1]]) else { continue }
            let expected = shift(original[t].slice(axis: 1, index: source), velocity.map { $0 * Double(t) })
            worst = max(worst, relativeError(flowed[t].slice(axis: 1, index: index).doubles, expected.doubles))
            compared += 1
        }
    }
    return compared > frames.count ? worst : .nan   // NaN (a failure) unless some ν - μ lay in V
}

private struct Setting {
    let height: Int, width: Int, dtype: DType
    func frames() -> [Tensor] { (0..<4).map { randomTensor([2, 1, height, width], seed: 70 + UInt64($0), dtype: dtype) } }
}

/// The linear recurrence's error: h[ν] ← W ⋆ Flow_ν(h[ν]) + U ⋆ f, W and U the cell's weights.
private func linearError(_ interpolation: TranslationInterpolation, velocity: [Double], _ setting: Setting) -> Double {
    var generator = RandomGenerator(seed: 21)
    let flows = TranslationFlows.horizontal(flowSpeeds, interpolation: interpolation)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 2, flows: flows, dtype: setting.dtype, using: &generator)
    let frames = setting.frames()
    return flowError(flows: flows, velocity: velocity, frames: frames, zero: cell.zeroState(for: frames[0])) { state, frame in
        let moved = flows.flowed(state).reshaped([state.shape[0] * flows.count] + Array(state.shape[2...]))
        let recurrent = conv2d(moved, cell.hiddenWeight.value, padding: 1, paddingMode: .circular).reshaped(state.shape)
        return recurrent + conv2d(frame, cell.inputWeight!.value, padding: 1, paddingMode: .circular).unsqueezed(axis: 1)
    }
}

/// The FERNN cell's error (tanh).
private func cellError(_ interpolation: TranslationInterpolation, velocity: [Double], _ setting: Setting) -> Double {
    var generator = RandomGenerator(seed: 22)
    let flows = TranslationFlows.horizontal(flowSpeeds, interpolation: interpolation)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: 2, flows: flows, activation: .tanh, dtype: setting.dtype,
                                      using: &generator)
    let frames = setting.frames()
    return flowError(flows: flows, velocity: velocity, frames: frames, zero: cell.zeroState(for: frames[0])) { cell($1, state: $0).state }
}

private let odd64 = Setting(height: 7, width: 9, dtype: .float64), mnist64 = Setting(height: 28, width: 28, dtype: .float64)
private let odd32 = Setting(height: 7, width: 9, dtype: .float32), mnist32 = Setting(height: 28, width: 28, dtype: .float32)

@Test func theFourierFlowsAreExactlyEquivariantInALinearRecurrenceAndBilinearFlowsAreNot() {
    let half = [0.0, 0.5]
    let fourier = linearError(.fourier, velocity: half, odd64), bilinear = linearError(.bilinear, velocity: half, odd64)
    let fourier32 = linearError(.fourier, velocity: half, odd32), bilinear32 = linearError(.bilinear, velocity: half, odd32)
    let fourierEven = linearError(.fourier, velocity: half, mnist64), bilinearEven = linearError(.bilinear, velocity: half, mnist64)
    print("linear recurrence, μ = 0.5 px/step: 7x9 Fourier f64 \(fourier) f32 \(fourier32), bilinear f64 \(bilinear) "
          + "f32 \(bilinear32); 28x28 (Nyquist line) Fourier \(fourierEven), bilinear \(bilinearEven)")
    #expect(fourier < 1e-13, "Fourier, 7x9, float64: \(fourier)")
    #expect(fourier32 < 1e-5, "Fourier, 7x9, float32: \(fourier32)")
    #expect(bilinear > 1e-2 && bilinear32 > 1e-2, "bilinear, 7x9: \(bilinear), \(bilinear32)")
    // On an even torus the Nyquist line breaks the group law (cos(π/2)·cos(π/2) ≠ cos(π)): not exact either.
    #expect(fourierEven > 1e-6 && fourierEven < bilinearEven, "28x28: Fourier \(fourierEven), bilinear \(bilinearEven)")
}

@Test func theFERNNWithSubpixelFlowsIsExactForWholePixelFlowsAndApproximateOtherwise() {
    for interpolation in TranslationInterpolation.allCases {
        for setting in [odd64, mnist64] {
            let error = cellError(interpolation, velocity: [0, 1], setting)
            #expect(error < 1e-13, "\(interpolation), \(setting.height)x\(setting.width), μ = 1: \(error)")
        }
    }
    let half = [0.0, 0.5]
    var report: [String] = []
    for setting in [odd64, mnist64, odd32, mnist32] {
        let fourier = cellError(.fourier, velocity: half, setting), bilinear = cellError(.bilinear, velocity: half, setting)
        report.append("\(setting.height)x\(setting.width) \(setting.dtype): Fourier \(fourier), bilinear \(bilinear)")
        #expect(fourier > 1e-6 && fourier < bilinear, "tanh breaks the Fourier flows' equivariance, less than bilinear blurring: \(report)")
    }
    print("FERNN cell (tanh), μ = 0.5 px/step: " + report.joined(separator: "; "))
}

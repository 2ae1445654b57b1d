import Foundation
import Orbit
import Testing
import _OrbitTestSupport

// translate (sub-pixel shifts on the torus) by its defining properties, in float64: whole-pixel shifts
// are rolls; the Fourier shift moves a band-limited sinusoid exactly, composes (s then t is s + t, with
// the even-size Nyquist exception documented in FourierShift.swift) and commutes with circular
// convolution; bilinear interpolation does none of the last three exactly.

private let sizes = [(5, 7), (6, 8), (28, 28)]

@Test(arguments: sizes)
func wholePixelShiftsAreRolls(height: Int, width: Int) {
    let x = randomTensor([2, 3, height, width], seed: 1)
    let shifts = [[2.0, -3.0], [-1.0, 9.0]]
    let rolled = concatenate((0..<2).map { n in
        x.slice(axis: 0, n..<(n + 1)).rolled(shifts: [Int(shifts[n][0]), Int(shifts[n][1])], axes: [2, 3])
    }, axis: 0)
    #expect(translate(x, by: shifts, interpolation: .bilinear).doubles == rolled.doubles)
    expectClose(translate(x, by: shifts, interpolation: .fourier), rolled, relativeTolerance: 1e-15 * Double(height + width))
}

/// cos(2π (a·(i - dy)/H + b·(j - dx)/W) + 0.3) on an H × W grid, [1, 1, H, W].
private func sinusoid(height: Int, width: Int, frequencies a: Int, _ b: Int, shift: [Double] = [0, 0]) -> Tensor {
    var values: [Double] = []
    for i in 0..<height {
        for j in 0..<width {
            let rowPhase: Double = Double(a) * (Double(i) - shift[0]) / Double(height)
            let columnPhase: Double = Double(b) * (Double(j) - shift[1]) / Double(width)
            values.append(cos(2 * Double.pi * (rowPhase + columnPhase) + 0.3))
        }
    }
    return Tensor(values, shape: [1, 1, height, width])
}

@Test(arguments: sizes)
func theFourierShiftMovesABandLimitedSinusoidExactly(height: Int, width: Int) {
    let shift = [0.37, -1.5]
    let (a, b) = ((height - 1) / 2, -(width - 1) / 2 + 1)
    let x = sinusoid(height: height, width: width, frequencies: a, b)
    let expected = sinusoid(height: height, width: width, frequencies: a, b, shift: shift)
    expectClose(translate(x, by: [shift], interpolation: .fourier), expected, relativeTolerance: 1e-14)
    // Bilinear interpolation damps and delays a high frequency: far from exact.
    #expect(relativeError(translate(x, by: [shift], interpolation: .bilinear).doubles, expected.doubles) > 0.05)
}

@Test func aHalfPixelBilinearShiftAveragesNeighboursAndWraps() {
    let x = Tensor([1, 2, 3, 4, 10, 20, 30, 40] as [Double], shape: [1, 1, 2, 4])
    #expect(translate(x, by: [[0, 0.5]], interpolation: .bilinear).doubles == [2.5, 1.5, 2.5, 3.5, 25, 15, 25, 35])
    #expect(translate(x, by: [[0.5, 0]], interpolation: .bilinear).doubles == [5.5, 11, 16.5, 22, 5.5, 11, 16.5, 22])
    // y[j] = x(j - d) interpolated: d = 0.25 gives 0.75 x[j] + 0.25 x[j - 1]; d = -1.25 gives
    // 0.75 x[j + 1] + 0.25 x[j + 2] (content moved left by 1.25).
    let row = Tensor([1, 2, 3, 4] as [Double], shape: [1, 1, 1, 4])
    #expect(translate(row, by: [[0, 0.25]], interpolation: .bilinear).doubles == [1.75, 1.75, 2.75, 3.75])
    #expect(translate(row, by: [[0, -1.25]], interpolation: .bilinear).doubles == [2.25, 3.25, 3.25, 1.25])
}

@Test func fourierShiftsComposeAndBilinearShiftsDoNot() {
    // Odd sizes: no Nyquist bin, so shifts form a group for every signal.
    let odd = randomTensor([2, 2, 5, 7], seed: 2)
    let (s, t) = ([0.3, -0.8], [1.45, 0.6])
    let sum = [s[0] + t[0], s[1] + t[1]]
    let twice = translate(translate(odd, by: [s], interpolation: .fourier), by: [t], interpolation: .fourier)
    expectClose(twice, translate(odd, by: [sum], interpolation: .fourier), relativeTolerance: 1e-14)
    // Even sizes: exact for signals without Nyquist content (sinusoids below it) and when one shift is whole.
    let even = sinusoid(height: 6, width: 8, frequencies: 2, -3) + sinusoid(height: 6, width: 8, frequencies: 1, 1)
    expectClose(translate(translate(even, by: [s], interpolation: .fourier), by: [t], interpolation: .fourier),
                translate(even, by: [sum], interpolation: .fourier), relativeTolerance: 1e-14)
    let generic = randomTensor([1, 2, 6, 8], seed: 3)
    expectClose(translate(translate(generic, by: [s], interpolation: .fourier), by: [[2, -3]], interpolation: .fourier),
                translate(generic, by: [[s[0] + 2, s[1] - 3]], interpolation: .fourier), relativeTolerance: 1e-14)
    // The Nyquist line itself is multiplied by cos(π d): a pure (-1)^j column pattern shifted by 0.25 then
    // 0.25 keeps cos²(π/4) = 1/2 of its amplitude, where one shift by 0.5 keeps cos(π/2) = 0.
    let nyquist = Tensor((0..<48).map { Double(($0 % 8) % 2 == 0 ? 1 : -1) }, shape: [1, 1, 6, 8])
    let quarter = translate(nyquist, by: [[0, 0.25]], interpolation: .fourier)
    expectClose(quarter, nyquist * cos(Double.pi / 4), relativeTolerance: 1e-15)
    expectClose(translate(quarter, by: [[0, 0.25]], interpolation: .fourier), nyquist * 0.5, relativeTolerance: 1e-15)
    #expect(translate(nyquist, by: [[0, 0.5]], interpolation: .fourier).doubles.allSatisfy { abs($0) < 1e-15 })
    // Bilinear: two half-pixel shifts blur; one whole-pixel shift does not.
    let halves = translate(translate(odd, by: [[0, 0.5]], interpolation: .bilinear), by: [[0, 0.5]], interpolation: .bilinear)
    #expect(relativeError(halves.doubles, translate(odd, by: [[0, 1]], interpolation: .bilinear).doubles) > 0.1)
}

/// ‖shift(conv(x)) - conv(shift(x))‖ / ‖conv(shift(x))‖ for a random 3x3 circular convolution, and the
/// same for ReLU, per interpolation and dtype.
private func commutationErrors(_ interpolation: TranslationInterpolation, dtype: DType) -> (convolution: Double, relu: Double) {
    let x = randomTensor([2, 3, 28, 28], seed: 4, dtype: dtype)
    let weight = randomTensor([4, 3, 3, 3], seed: 5, dtype: dtype)
    let shifts = [[0.5, -0.25], [1.3, 2.7]]
    let convolve = { (input: Tensor) in conv2d(input, weight, padding: 1, paddingMode: .circular) }
    let move = { (input: Tensor) in translate(input, by: shifts, interpolation: interpolation) }
    let convolutionError = relativeError(move(convolve(x)).doubles, convolve(move(x)).doubles)
    let reluError = relativeError(move(relu(x)).doubles, relu(move(x)).doubles)
    return (convolutionError, reluError)
}

// Both shifts are linear and shift-invariant on the torus (the bilinear one is itself a circular
// convolution with a 2x2 kernel), so both commute with every circular convolution; neither commutes with
// a pointwise nonlinearity, since a sub-pixel shift mixes values across its kink. What separates them is
// the group law above and the exact motion of band-limited content (the flow tests in OrbitNNTests).
@Test func bothShiftsCommuteWithCircularConvolutionAndNeitherWithReLU() {
    let fourier64 = commutationErrors(.fourier, dtype: .float64), bilinear64 = commutationErrors(.bilinear, dtype: .float64)
    let fourier32 = commutationErrors(.fourier, dtype: .float32), bilinear32 = commutationErrors(.bilinear, dtype: .float32)
    print("translate commutation errors (28x28, shifts (0.5, -0.25) and (1.3, 2.7)): "
          + "conv fourier f64 \(fourier64.convolution) f32 \(fourier32.convolution), bilinear f64 \(bilinear64.convolution) "
          + "f32 \(bilinear32.convolution); relu fourier f64 \(fourier64.relu) f32 \(fourier32.relu), "
          + "bilinear f64 \(bilinear64.relu) f32 \(bilinear32.relu)")
    #expect(fourier64.convolution < 1e-14 && bilinear64.convolution < 1e-14,
            "float64: Fourier \(fourier64.convolution), bilinear \(bilinear64.convolution)")
    #expect(fourier32.convolution < 1e-6 && bilinear32.convolution < 1e-6,
            "float32: Fourier \(fourier32.convolution), bilinear \(bilinear32.convolution)")
    #expect(fourier64.relu > 1e-2 && bilinear64.relu > 1e-2, "ReLU: Fourier \(fourier64.relu), bilinear \(bilinear64.relu)")
}

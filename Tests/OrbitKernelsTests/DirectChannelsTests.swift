import Testing
@testable import OrbitKernels

// The direct kernels for 4-16 channels (`DirectChannelsConvolution.swift`) against the naive
// loops in Double, with the error bound of a dot product accumulated by fused multiply-adds; its input
// gradient through the flipped convolution; the routing rule; thread-count independence.

/// 2-D (and 1-D) unit-stride geometries: 16 -> 16 at 28 x 28 (the FERNN hidden convolution) with flow
/// shifts, 8 channels, channel counts that leave a partial block of 4, zero and circular padding,
/// a 5 x 5 kernel, dilation 2, two groups, a plane large enough for two position chunks, a 1-D signal.
private let directCases: [(geometry: ConvolutionGeometry, shifts: [[Int]])] = [
    (geometry(batch: 3, 16, 16, [28, 28], kernel: [3, 3], padding: [1, 1], .circular), [[0, 0], [1, -1], [-2, 3]]),
    (geometry(batch: 2, 8, 8, [28, 28], kernel: [3, 3], padding: [1, 1], .circular), []),
    (geometry(batch: 1, 16, 16, [9, 11], kernel: [3, 3], padding: [1, 1], .zeros), []),
    (geometry(batch: 2, 5, 7, [6, 13], kernel: [3, 3], padding: [0, 1], .zeros), []),
    (geometry(batch: 1, 12, 14, [10, 9], kernel: [5, 5], padding: [2, 2], .circular), []),
    (geometry(batch: 1, 9, 6, [12, 12], kernel: [3, 3], padding: [2, 2], dilation: [2, 2], .zeros), []),
    (geometry(batch: 2, 16, 12, [7, 8], kernel: [3, 3], padding: [1, 1], groups: 2, .circular), [[1, 2]]),
    (geometry(batch: 1, 4, 4, [48, 48], kernel: [3, 3], padding: [1, 1], .circular), []),
    (geometry(batch: 2, 6, 8, [40], kernel: [3], padding: [1], .zeros), []),
]

private func geometry(batch: Int, _ inputs: Int, _ outputs: Int, _ size: [Int], kernel: [Int], padding: [Int],
                      dilation: [Int]? = nil, groups: Int = 1, _ mode: PaddingMode) -> ConvolutionGeometry {
    ConvolutionGeometry(batch: batch, inputChannels: inputs, outputChannels: outputs, groups: groups, inputSize: size,
                        kernelSize: kernel, stride: size.map { _ in 1 }, padding: padding,
                        dilation: dilation ?? size.map { _ in 1 }, paddingMode: mode)
}

private func direct(_ geometry: ConvolutionGeometry, input: [Float], weight: [Float]) -> [Float] {
    [Float](unsafeUninitializedCapacity: geometry.outputElementCount) { output, count in
        DirectChannelsConvolution.forward(geometry, input: input, weight: weight, output: output.baseAddress!)
        count = geometry.outputElementCount
    }
}

/// Each output is Σ_r w_r·x_r over n = (C_in/groups)·ΠK terms, accumulated by n fused multiply-adds (one
/// rounding each, the first exact): |ŷ - y| <= γ_(n-1)·Σ|w·x| <= 1.01·n·u·Σ|w·x| (inputs exact in Float).
private func dotProductBound(_ geometry: ConvolutionGeometry, magnitude: [Double]) -> [Double] {
    let n = Double(geometry.inputChannels / geometry.groups * geometry.kernelSize.reduce(1, *))
    return magnitude.map { 1.01 * n * 0x1p-24 * $0 }
}

@Test(arguments: directCases.indices)
func directChannelsForwardIsWithinTheDotProductBound(_ index: Int) {
    let (plain, shifts) = directCases[index]
    var shifted = plain
    shifted.inputShifts = shifts
    #expect(DirectChannelsConvolution.applies(ConvolutionLayout(shifted)))
    let (x, w, _) = inputs(plain, seed: UInt64(900 + index))
    let seen = shifts.isEmpty ? x : rolled(x, plain, shifts)
    let expected = referenceForward(plain, input: seen, weight: w)
    let bound = dotProductBound(plain, magnitude: expected.magnitude)
    let output = direct(shifted, input: x.map { Float($0) }, weight: w.map { Float($0) })
    let worst = zip(output, zip(expected.output, bound)).map { abs(Double($0) - $1.0) / max($1.1, 1e-300) }.max() ?? 0
    #expect(worst <= 1, "case \(index): error \(worst)x the bound")
    // Not vacuous: the bound is far below the outputs' typical size, which a wrong kernel errs by.
    let typical = expected.magnitude.reduce(0, +) / Double(expected.magnitude.count)
    #expect(bound.max()! < 1e-4 * typical)
    // The public entry point takes this route for these geometries.
    let routed = Float.forward(shifted, input: x.map { Float($0) }, weight: w.map { Float($0) })
    #expect(bitwiseEqual(routed, output))
}

/// The input gradient runs as the flipped forward convolution: the same kernel, the same kind of bound
/// (length C_out/groups·ΠK).
@Test(arguments: directCases.indices)
func directChannelsInputGradientIsWithinTheDotProductBound(_ index: Int) {
    let (plain, shifts) = directCases[index]
    var shifted = plain
    shifted.inputShifts = shifts
    guard let flipped = shifted.inputGradientConvolution, DirectChannelsConvolution.applies(ConvolutionLayout(flipped)) else { return }
    let (_, w, dy) = inputs(plain, seed: UInt64(950 + index))
    let expected = referenceBackwardInput(plain, outputGradient: dy, weight: w)
    let magnitude = referenceBackwardInputMagnitude(plain, outputGradient: dy, weight: w)
    let length = Double(plain.outputChannels / plain.groups * plain.kernelSize.reduce(1, *))
    let gradient = Float.backwardInput(shifted, outputGradient: dy.map { Float($0) }, weight: w.map { Float($0) })
    // A shifted geometry's input gradient is the unshifted one rolled back by the shift.
    let seen = shifts.isEmpty ? gradient.map(Double.init) : rolled(gradient.map(Double.init), plain, shifts)
    let worst = zip(seen, zip(expected, magnitude)).map { abs($0 - $1.0) / max(1.01 * length * 0x1p-24 * $1.1, 1e-300) }.max() ?? 0
    #expect(worst <= 1, "case \(index): error \(worst)x the bound")
}

private func referenceBackwardInputMagnitude(_ geometry: ConvolutionGeometry, outputGradient: [Double], weight: [Double]) -> [Double] {
    var magnitude = [Double](repeating: 0, count: geometry.inputElementCount)
    referenceForEachTerm(geometry) { outputIndex, inputIndex, weightIndex in
        magnitude[inputIndex] += abs(weight[weightIndex] * outputGradient[outputIndex])
    }
    return magnitude
}

@Test func directChannelsRouteTakesFewChannelsAtUnitStrideOnly() {
    let base = geometry(batch: 2, 16, 16, [12, 12], kernel: [3, 3], padding: [1, 1], .zeros)
    #expect(DirectChannelsConvolution.applies(ConvolutionLayout(base)))
    var strided = base
    strided.stride = [2, 2]
    #expect(!DirectChannelsConvolution.applies(ConvolutionLayout(strided)))
    #expect(!DirectChannelsConvolution.applies(ConvolutionLayout(geometry(batch: 2, 32, 16, [12, 12], kernel: [3, 3], padding: [1, 1], .zeros))))
    #expect(!DirectChannelsConvolution.applies(ConvolutionLayout(geometry(batch: 2, 16, 32, [12, 12], kernel: [3, 3], padding: [1, 1], .zeros))))
    #expect(!DirectChannelsConvolution.applies(ConvolutionLayout(geometry(batch: 2, 16, 3, [12, 12], kernel: [3, 3], padding: [1, 1], .zeros))))
    #expect(!DirectChannelsConvolution.applies(ConvolutionLayout(geometry(batch: 2, 16, 16, [4, 6, 6], kernel: [3, 3, 3], padding: [1, 1, 1], .zeros))))
}

@Test func directChannelsForwardDoesNotDependOnTheThreadCount() {
    let (plain, shifts) = directCases[0]
    var shifted = plain
    shifted.inputShifts = shifts
    let (x, w, _) = inputs(plain, seed: 990)
    let one = withThreadCount(1) { direct(shifted, input: x.map { Float($0) }, weight: w.map { Float($0) }) }
    let two = withThreadCount(2) { direct(shifted, input: x.map { Float($0) }, weight: w.map { Float($0) }) }
    #expect(bitwiseEqual(one, two))
}

/// The weight gradient: each entry sums N·positions products; along any product's path there are at most
/// span/8 fused multiply-adds in its lane, 7 additions of the lane sum, one addition per image of its image
/// group and one per image group: |ε| <= 1.01·(span/8 + N + 15)·u·Σ|x·dy|.
@Test(arguments: directCases.indices)
func directChannelsWeightGradientIsWithinItsBound(_ index: Int) {
    let (plain, shifts) = directCases[index]
    var shifted = plain
    shifted.inputShifts = shifts
    let (x, _, dy) = inputs(plain, seed: UInt64(1000 + index))
    let seen = shifts.isEmpty ? x : rolled(x, plain, shifts)
    let expected = referenceBackwardWeight(plain, input: seen, outputGradient: dy)
    var magnitude = [Double](repeating: 0, count: plain.weightElementCount)
    referenceForEachTerm(plain) { outputIndex, inputIndex, weightIndex in
        magnitude[weightIndex] += abs(seen[inputIndex] * dy[outputIndex])
    }
    let layout = ConvolutionLayout(plain)
    let span = ((layout.outputSize[1] - 1) * layout.paddedSize[2] + layout.outputSize[2] + 7) / 8 * 8
    let roundings = Double(span / 8 + plain.batch + 15)
    let gradient = [Float](unsafeUninitializedCapacity: plain.weightElementCount) { result, count in
        DirectChannelsConvolution.backwardWeight(shifted, input: x.map { Float($0) }, outputGradient: dy.map { Float($0) },
                                                 weightGradient: result.baseAddress!)
        count = plain.weightElementCount
    }
    let worst = zip(gradient, zip(expected, magnitude)).map { abs(Double($0) - $1.0) / max(1.01 * roundings * 0x1p-24 * $1.1, 1e-300) }.max() ?? 0
    #expect(worst <= 1, "case \(index): error \(worst)x the bound")
    let typical = expected.map(abs).reduce(0, +) / Double(expected.count)
    #expect(magnitude.max()! * 1.01 * roundings * 0x1p-24 < 1e-2 * typical)
    let routed = Float.backwardWeight(shifted, input: x.map { Float($0) }, outputGradient: dy.map { Float($0) })
    #expect(bitwiseEqual(routed, gradient))
    let one = withThreadCount(1) { Float.backwardWeight(shifted, input: x.map { Float($0) }, outputGradient: dy.map { Float($0) }) }
    #expect(bitwiseEqual(one, gradient))
}

import Testing
@testable import OrbitKernels

// Convolutions of cyclically shifted inputs (`ConvolutionGeometry.inputShifts`, the flow shift of a
// flow-equivariant RNN) against the naive loops applied to explicitly rolled inputs, on every route:
// the direct kernels (<= 3 output channels), the flipped input-gradient convolution (circular,
// unit stride, >= 8 input channels) and the im2col routes; zero and circular padding; ranks 1-3.

/// Rolls each image n of [N, C, spatial...] by shifts[n % shifts.count] (content moves by +shift).
func rolled(_ values: [Double], _ geometry: ConvolutionGeometry, _ shifts: [[Int]], sign: Int = 1) -> [Double] {
    let size = geometry.inputSize
    let plane = size.reduce(1, *)
    var result = values
    for image in 0..<geometry.batch {
        let shift = shifts[image % shifts.count]
        for channel in 0..<geometry.inputChannels {
            let base = (image * geometry.inputChannels + channel) * plane
            for index in referenceIndices(size) {
                let target = zip(index, zip(shift, size)).map { position, pair in
                    (((position + sign * pair.0) % pair.1) + pair.1) % pair.1
                }
                result[base + referenceLinearIndex(target, size)] = values[base + referenceLinearIndex(index, size)]
            }
        }
    }
    return result
}

private let shiftCases: [(ConvolutionGeometry, [[Int]])] = [
    // FERNN-like: batch·|V| images, |V| = 3 shift classes, circular 3x3 'same', 8 channels (flipped route).
    (ConvolutionGeometry(batch: 6, inputChannels: 8, outputChannels: 4, inputSize: [7, 6], kernelSize: [3, 3],
                         stride: [1, 1], padding: [1, 1], dilation: [1, 1], paddingMode: .circular),
     [[0, 0], [1, -2], [-3, 7]]),
    // Few input channels: im2col input-gradient route; zero padding (the roll wraps inside the image).
    (ConvolutionGeometry(batch: 4, inputChannels: 3, outputChannels: 5, inputSize: [8, 9], kernelSize: [3, 3],
                         stride: [1, 1], padding: [1, 1], dilation: [1, 1], paddingMode: .zeros),
     [[2, 1], [-1, 0]]),
    // Direct kernels (one output channel), stride 2, circular.
    (ConvolutionGeometry(batch: 3, inputChannels: 2, outputChannels: 1, inputSize: [9, 11], kernelSize: [3, 3],
                         stride: [2, 2], padding: [1, 1], dilation: [1, 1], paddingMode: .circular),
     [[1, 1], [0, -1], [4, 3]]),
    // Rank 1 and rank 3.
    (ConvolutionGeometry(batch: 2, inputChannels: 8, outputChannels: 3, inputSize: [13], kernelSize: [5],
                         stride: [1], padding: [2], dilation: [1], paddingMode: .circular),
     [[3], [-5]]),
    (ConvolutionGeometry(batch: 2, inputChannels: 2, outputChannels: 4, inputSize: [3, 5, 4], kernelSize: [3, 3, 3],
                         stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1], paddingMode: .circular),
     [[1, 2, -1], [0, 0, 1]]),
]

@Test(arguments: shiftCases.indices)
func shiftedConvolutionsEqualConvolutionsOfRolledInputs(_ index: Int) {
    let (plain, shifts) = shiftCases[index]
    var shifted = plain
    shifted.inputShifts = shifts
    let (x, w, dy) = inputs(plain, seed: UInt64(11 + index))
    let rolledInput = rolled(x, plain, shifts)
    let expectedOutput = referenceForward(plain, input: rolledInput, weight: w).output
    // The input gradient of a rolled input is the plain one rolled back.
    let expectedInput = rolled(referenceBackwardInput(plain, outputGradient: dy, weight: w), plain, shifts, sign: -1)
    let expectedWeight = referenceBackwardWeight(plain, input: rolledInput, outputGradient: dy)
    func check<Scalar: ConvolutionTestScalar>(_ type: Scalar.Type) {
        let y = Scalar.forward(shifted, input: x.map { Scalar($0) }, weight: w.map { Scalar($0) })
        let dx = Scalar.backwardInput(shifted, outputGradient: dy.map { Scalar($0) }, weight: w.map { Scalar($0) })
        let dw = Scalar.backwardWeight(shifted, input: x.map { Scalar($0) }, outputGradient: dy.map { Scalar($0) })
        // Sums of at most a few hundred terms of magnitude <= 1: 1e4·u bounds their rounding.
        let tolerance = 1e4 * Scalar.unitRoundoff
        #expect(zip(y, expectedOutput).allSatisfy { abs(Double($0) - $1) <= tolerance }, "\(Scalar.self) forward, case \(index)")
        #expect(zip(dx, expectedInput).allSatisfy { abs(Double($0) - $1) <= tolerance }, "\(Scalar.self) input gradient, case \(index)")
        #expect(zip(dw, expectedWeight).allSatisfy { abs(Double($0) - $1) <= tolerance }, "\(Scalar.self) weight gradient, case \(index)")
    }
    check(Float.self)
    check(Double.self)
}

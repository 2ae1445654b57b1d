import Orbit
import Testing
import _OrbitTestSupport

// conv2d and conv3d against the definition of cross-correlation, written as a naive loop over any
// spatial rank (STYLE T10):
//     y[n, o, p] = Σ_{c in o's group} Σ_t x[n, c, p·s - pad + t·d] · w[o, c, t]
// with x read as zero (zeros), wrapped (circular) or mirrored (reflect, via padding first) outside.

private enum Outside { case zeros, circular, reflect }

struct ConvolutionReferenceCase: Sendable, CustomTestStringConvertible {
    let inputShape: [Int]
    let weightShape: [Int]
    let stride: [Int]
    let padding: [Int]
    let dilation: [Int]
    let groups: Int
    var testDescription: String {
        "x \(inputShape) w \(weightShape) stride \(stride) padding \(padding) dilation \(dilation) groups \(groups)"
    }
    var spatialRank: Int { inputShape.count - 2 }
    var outputSpatial: [Int] {
        (0..<spatialRank).map { axis in
            (inputShape[axis + 2] + 2 * padding[axis] - dilation[axis] * (weightShape[axis + 2] - 1) - 1) / stride[axis] + 1
        }
    }
}

/// Index `index` along an axis of `size` read through the padding rule, or nil for a zero.
private func sourceIndex(_ index: Int, _ size: Int, _ outside: Outside) -> Int? {
    if (0..<size).contains(index) { return index }
    switch outside {
    case .zeros: return nil
    case .circular: return ((index % size) + size) % size
    case .reflect:
        // Mirror about the edges without repeating them: -1 -> 1, size -> size - 2.
        var mirrored = index
        while !(0..<size).contains(mirrored) { mirrored = mirrored < 0 ? -mirrored : 2 * (size - 1) - mirrored }
        return mirrored
    }
}

private func naiveConvolution(_ x: [Double], _ w: [Double], _ geometry: ConvolutionReferenceCase, _ outside: Outside) -> (values: [Double], shape: [Int]) {
    let (batch, channels, outputChannels) = (geometry.inputShape[0], geometry.inputShape[1], geometry.weightShape[0])
    let spatial = Array(geometry.inputShape[2...]), kernel = Array(geometry.weightShape[2...])
    let channelsPerGroup = channels / geometry.groups, outputsPerGroup = outputChannels / geometry.groups
    let outputShape = [batch, outputChannels] + geometry.outputSpatial
    let (inputStrides, weightStrides) = (referenceStrides(geometry.inputShape), referenceStrides(geometry.weightShape))
    let taps = (0..<kernel.reduce(1, *)).map { multiIndex($0, in: kernel) }
    var output = [Double](repeating: 0, count: outputShape.reduce(1, *))
    for flat in output.indices {
        let index = multiIndex(flat, in: outputShape)
        let (n, o) = (index[0], index[1])
        var sum = 0.0
        for tap in taps {
            // Offset of x[n, 0, source...] and of w[o, 0, tap...], or skip the tap when it reads a zero.
            var inputOffset = n * inputStrides[0], weightOffset = o * weightStrides[0], inside = true
            for axis in spatial.indices {
                let raw = index[axis + 2] * geometry.stride[axis] - geometry.padding[axis] + tap[axis] * geometry.dilation[axis]
                guard let read = sourceIndex(raw, spatial[axis], outside) else { inside = false; break }
                inputOffset += read * inputStrides[axis + 2]
                weightOffset += tap[axis] * weightStrides[axis + 2]
            }
            guard inside else { continue }
            for localChannel in 0..<channelsPerGroup {
                let c = (o / outputsPerGroup) * channelsPerGroup + localChannel
                sum += x[inputOffset + c * inputStrides[1]] * w[weightOffset + localChannel * weightStrides[1]]
            }
        }
        output[flat] = sum
    }
    return (output, outputShape)
}

private let convolutionGeometries: [ConvolutionReferenceCase] = [
    ConvolutionReferenceCase(inputShape: [1, 1, 5, 5], weightShape: [1, 1, 3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1),
    ConvolutionReferenceCase(inputShape: [2, 3, 6, 7], weightShape: [4, 3, 3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1),
    ConvolutionReferenceCase(inputShape: [1, 2, 7, 8], weightShape: [2, 2, 3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1),
    ConvolutionReferenceCase(inputShape: [1, 2, 8, 7], weightShape: [3, 2, 3, 3], stride: [1, 1], padding: [2, 2], dilation: [2, 2], groups: 1),
    ConvolutionReferenceCase(inputShape: [2, 4, 5, 5], weightShape: [6, 2, 3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 2),
    ConvolutionReferenceCase(inputShape: [1, 3, 5, 4], weightShape: [3, 1, 3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 3),
    ConvolutionReferenceCase(inputShape: [2, 3, 4, 5], weightShape: [2, 3, 1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1),
    ConvolutionReferenceCase(inputShape: [1, 2, 5, 6], weightShape: [3, 2, 2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], groups: 1),
    ConvolutionReferenceCase(inputShape: [2, 3, 5, 7], weightShape: [2, 3, 2, 3], stride: [1, 2], padding: [0, 1], dilation: [1, 1], groups: 1),
    ConvolutionReferenceCase(inputShape: [2, 4, 6, 5], weightShape: [2, 2, 3, 2], stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2),
    ConvolutionReferenceCase(inputShape: [1, 2, 9, 9], weightShape: [2, 2, 3, 3], stride: [2, 2], padding: [2, 2], dilation: [2, 2], groups: 1),
    ConvolutionReferenceCase(inputShape: [1, 2, 4, 5, 5], weightShape: [2, 2, 3, 3, 3], stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1], groups: 1),
    ConvolutionReferenceCase(inputShape: [2, 2, 4, 4, 5], weightShape: [4, 1, 2, 3, 3], stride: [1, 2, 2], padding: [0, 1, 1], dilation: [1, 1, 1], groups: 2),
    ConvolutionReferenceCase(inputShape: [1, 2, 4, 5, 6], weightShape: [3, 2, 3, 3, 3], stride: [1, 1, 1], padding: [1, 1, 2], dilation: [1, 1, 2], groups: 1),
    ConvolutionReferenceCase(inputShape: [2, 3, 3, 4, 5], weightShape: [2, 3, 1, 1, 1], stride: [2, 2, 2], padding: [0, 0, 0], dilation: [1, 1, 1], groups: 1),
]

private func orbitConvolution(_ x: Tensor, _ w: Tensor, _ geometry: ConvolutionReferenceCase, _ mode: PaddingMode) -> Tensor {
    let (stride, padding, dilation) = (PerAxis(geometry.stride), PerAxis(geometry.padding), PerAxis(geometry.dilation))
    return geometry.spatialRank == 2
        ? conv2d(x, w, stride: stride, padding: padding, dilation: dilation, groups: geometry.groups, paddingMode: mode)
        : conv3d(x, w, stride: stride, padding: padding, dilation: dilation, groups: geometry.groups, paddingMode: mode)
}

@Test(arguments: convolutionGeometries, [DType.float32, .float64])
func convolutionMatchesNaiveLoops(_ geometry: ConvolutionReferenceCase, _ dtype: DType) {
    let x = referenceInput(geometry.inputShape, seed: 3, dtype: dtype)
    let w = referenceInput(geometry.weightShape, seed: 4, dtype: dtype)
    // Terms per output: input channels per group times kernel taps (≤ 54 here).
    let terms = geometry.weightShape.dropFirst().reduce(1, *)
    let tolerance = dtype == .float64 ? float64Tolerance : float32SumTolerance(terms: terms)
    for (mode, outside) in [(PaddingMode.zeros, Outside.zeros), (.circular, .circular)] {
        let expected = naiveConvolution(x.doubles, w.doubles, geometry, outside)
        expectReference(orbitConvolution(x, w, geometry, mode), expected.values, shape: expected.shape, dtype: dtype,
                        relativeTolerance: tolerance, "\(mode)")
    }
}

@Test(arguments: [DType.float32, .float64])
func reflectPaddedConvolutionMatchesNaiveLoops(_ dtype: DType) {
    // Convolutions take zeros or circular padding; reflect is padding first, then a valid convolution.
    let geometry = ConvolutionReferenceCase(inputShape: [2, 2, 5, 6], weightShape: [3, 2, 3, 3], stride: [1, 2],
                                       padding: [2, 1], dilation: [1, 1], groups: 1)
    let x = referenceInput(geometry.inputShape, seed: 5, dtype: dtype)
    let w = referenceInput(geometry.weightShape, seed: 6, dtype: dtype)
    let padded = x.padded([(2, 2), (1, 1)], mode: .reflect)
    let expected = naiveConvolution(x.doubles, w.doubles, geometry, .reflect)
    expectReference(conv2d(padded, w, stride: [1, 2]), expected.values, shape: expected.shape, dtype: dtype,
                    relativeTolerance: dtype == .float64 ? float64Tolerance : float32SumTolerance(terms: 18))
}

@Test func convolutionWithADeltaKernelShifts() {
    // A kernel that is 1 at tap (2, 0) and 0 elsewhere reads x[i + 2 - 1, j - 1] (padding 1): a shift
    // by (+1, -1) with zeros or with wrap-around. Exact: one product by 1 per output.
    let x = Tensor((0..<20).map { Double($0) }, shape: [1, 1, 4, 5])
    var taps = [Double](repeating: 0, count: 9)
    taps[6] = 1
    let w = Tensor(taps, shape: [1, 1, 3, 3])
    let shifted = conv2d(x, w, padding: 1).doubles
    let wrapped = conv2d(x, w, padding: 1, paddingMode: .circular).doubles
    for i in 0..<4 {
        for j in 0..<5 {
            let (row, column) = (i + 1, j - 1)
            let inside = row < 4 && column >= 0
            #expect(shifted[i * 5 + j] == (inside ? Double(row * 5 + column) : 0))
            #expect(wrapped[i * 5 + j] == Double((row % 4) * 5 + (column + 5) % 5))
        }
    }
}

@Test func inputShiftsEqualRollingTheImagesFirst() {
    // The flow step of a FERNN: hidden [B, V, C, H, W] seen as B·V images, velocity v rolled by shifts[v].
    let shifts = [[0, 0], [1, 2], [-2, 1]]
    let hidden = randomTensor([2, 3, 4, 6, 5], seed: 31)
    let weight = randomTensor([4, 4, 3, 3], seed: 32)
    let images = hidden.reshaped([6, 4, 6, 5])
    let fused = conv2d(images, weight, padding: 1, paddingMode: .circular, inputShifts: shifts)
    let rolledImages = concatenate((0..<6).map { n in
        images.slice(axis: 0, n..<(n + 1)).rolled(shifts: shifts[n % 3], axes: [2, 3])
    }, axis: 0)
    expectClose(fused, conv2d(rolledImages, weight, padding: 1, paddingMode: .circular), relativeTolerance: 1e-14)
}

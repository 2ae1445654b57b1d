import Testing
@testable import OrbitKernels

// Winograd's F(4x4, 3x3) route (`WinogradConvolution.swift`) against the naive loops in Double, with
// an error bound derived for the algorithm (forward, input gradient, weight gradient); the routing rule;
// thread-count independence.

/// 3 x 3 unit-stride geometries with at least 16 channels on both sides: odd and even output sizes,
/// sizes that are and are not multiples of 4, single tiles, partial and several groups of eight tiles,
/// many chunks per image, zero and circular padding, padding 0-2, input shifts.
private let winogradCases: [(geometry: ConvolutionGeometry, shifts: [[Int]])] = [
    (geometry(batch: 2, 16, 20, [7, 9], padding: 1, .zeros), []),
    (geometry(batch: 1, 17, 16, [6, 6], padding: 1, .circular), []),
    (geometry(batch: 3, 16, 33, [9, 8], padding: 0, .zeros), []),
    (geometry(batch: 1, 24, 18, [4, 5], padding: 2, .zeros), []),
    (geometry(batch: 1, 20, 16, [2, 2], padding: 1, .zeros), []),
    (geometry(batch: 1, 16, 16, [3, 40], padding: 1, .circular), []),
    (geometry(batch: 2, 16, 16, [28, 28], padding: 1, .circular), []),
    (geometry(batch: 1, 16, 19, [30, 17], padding: 1, .zeros), []),
    (geometry(batch: 4, 16, 16, [10, 10], padding: 1, .circular), [[0, 0], [1, -2], [-3, 7]]),
    (geometry(batch: 32, 16, 16, [28, 28], padding: 1, .circular), []),  // 192-tile chunks, 9 of them
]

private func geometry(batch: Int, _ inputs: Int, _ outputs: Int, _ size: [Int], padding: Int, _ mode: PaddingMode)
    -> ConvolutionGeometry {
    ConvolutionGeometry(batch: batch, inputChannels: inputs, outputChannels: outputs, inputSize: size, kernelSize: [3, 3],
                        stride: [1, 1], padding: [padding, padding], dilation: [1, 1], paddingMode: mode)
}

/// The rounding error bound of F(4x4, 3x3) at every output pixel:
///
///     |ŷ - y| <= 2·(C_in + 12)·u·E,   E = Σ_c |A|ᵀ [ (|G| |g_oc| |G|ᵀ) ⊙ (|B|ᵀ |d_c| |B|) ] |A|
///
/// (the input transform rounds at most 4 times, U once, each product once, the GEMM's sum over C_in
/// at most C_in times, the output transform at most 6 times: (1 + u)^(C_in + 12) - 1 <= 2·(C_in + 12)·u;
/// every rounded quantity is bounded by the same expression with absolute values).
/// `input` is the unshifted input the kernel sees (already rolled for shifted geometries).
private func winogradErrorBound(_ geometry: ConvolutionGeometry, input: [Double], weight: [Double]) -> [Double] {
    let (inputs, outputs) = (geometry.inputChannels, geometry.outputChannels)
    let (outputHeight, outputWidth) = (geometry.outputSize[0], geometry.outputSize[1])
    let filters = (0..<(outputs * inputs)).map { pair in
        matrixProduct(matrixProduct(absG, (0..<3).map { r in (0..<3).map { s in abs(weight[pair * 9 + r * 3 + s]) } }), transposedMatrix(absG))
    }
    var bound = [Double](repeating: 0, count: geometry.outputElementCount)
    for n in 0..<geometry.batch {
        for tileRow in 0..<((outputHeight + 3) / 4) {
            for tileColumn in 0..<((outputWidth + 3) / 4) {
                let patches = (0..<inputs).map { c in patchMagnitude(geometry, input, n, c, tileRow, tileColumn) }
                for o in 0..<outputs {
                    var sum = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 6)
                    for c in 0..<inputs {
                        for k in 0..<6 { for l in 0..<6 { sum[k][l] += filters[o * inputs + c][k][l] * patches[c][k][l] } }
                    }
                    let magnitude = matrixProduct(matrixProduct(transposedMatrix(absA), sum), absA)
                    for p in 0..<4 where 4 * tileRow + p < outputHeight {
                        for q in 0..<4 where 4 * tileColumn + q < outputWidth {
                            bound[((n * outputs + o) * outputHeight + 4 * tileRow + p) * outputWidth + 4 * tileColumn + q] =
                                2 * Double(inputs + 12) * 0x1p-24 * magnitude[p][q]
                        }
                    }
                }
            }
        }
    }
    return bound
}

private func matrixProduct(_ left: [[Double]], _ right: [[Double]]) -> [[Double]] {
    left.map { row in right[0].indices.map { j in row.indices.reduce(0) { $0 + row[$1] * right[$1][j] } } }
}

private func transposedMatrix(_ matrix: [[Double]]) -> [[Double]] { matrix[0].indices.map { j in matrix.map { $0[j] } } }

/// The absolute values of Winograd's matrices: |A| (6 x 4), |B| (6 x 6), |G| (6 x 3), written out here
/// from the paper's definition rather than taken from the kernel.
private let absA: [[Double]] = [[1, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1], [1, 2, 4, 8], [1, 2, 4, 8], [0, 0, 0, 1]]
private let absB: [[Double]] = transposedMatrix([
    [4, 0, 5, 0, 1, 0], [0, 4, 4, 1, 1, 0], [0, 4, 4, 1, 1, 0], [0, 2, 1, 2, 1, 0], [0, 2, 1, 2, 1, 0], [0, 4, 0, 5, 0, 1],
])
private let absG: [[Double]] = [
    [1.0 / 4, 0, 0], [1.0 / 6, 1.0 / 6, 1.0 / 6], [1.0 / 6, 1.0 / 6, 1.0 / 6], [1.0 / 24, 1.0 / 12, 1.0 / 6],
    [1.0 / 24, 1.0 / 12, 1.0 / 6], [0, 0, 1],
]

/// |B|ᵀ |d| |B| for the 6 x 6 input patch of tile (tileRow, tileColumn), channel c of image n.
private func patchMagnitude(_ geometry: ConvolutionGeometry, _ input: [Double], _ n: Int, _ c: Int, _ tileRow: Int, _ tileColumn: Int)
    -> [[Double]] {
    let patch = (0..<6).map { r in (0..<6).map { s in paddedMagnitude(geometry, input, n, c, 4 * tileRow + r, 4 * tileColumn + s) } }
    return matrixProduct(matrixProduct(transposedMatrix(absB), patch), absB)
}

/// |d| at padded position (row, column) of channel c of image n (zero padding outside, wrapped when circular).
private func paddedMagnitude(_ geometry: ConvolutionGeometry, _ input: [Double], _ n: Int, _ c: Int, _ row: Int, _ column: Int) -> Double {
    guard let r = referenceSourceIndex(out: row, tap: 0, axis: 0, geometry),
          let s = referenceSourceIndex(out: column, tap: 0, axis: 1, geometry) else { return 0 }
    return abs(input[((n * geometry.inputChannels + c) * geometry.inputSize[0] + r) * geometry.inputSize[1] + s])
}

private func winograd(_ geometry: ConvolutionGeometry, input: [Float], weight: [Float]) -> [Float] {
    [Float](unsafeUninitializedCapacity: geometry.outputElementCount) { output, count in
        WinogradConvolution.forward(geometry, input: input, weight: weight, output: output.baseAddress!)
        count = geometry.outputElementCount
    }
}

@Test(arguments: winogradCases.indices)
func winogradForwardIsWithinItsErrorBound(_ index: Int) {
    let (plain, shifts) = winogradCases[index]
    var shifted = plain
    shifted.inputShifts = shifts
    #expect(WinogradConvolution.applies(ConvolutionLayout(shifted)))
    let (x, w, _) = inputs(plain, seed: UInt64(500 + index))
    let seen = shifts.isEmpty ? x : rolled(x, plain, shifts)
    let expected = referenceForward(plain, input: seen, weight: w)
    let bound = winogradErrorBound(plain, input: seen, weight: w)
    let output = winograd(shifted, input: x.map { Float($0) }, weight: w.map { Float($0) })
    let worst = zip(output, zip(expected.output, bound)).map { abs(Double($0) - $1.0) / $1.1 }.max() ?? 0
    #expect(worst <= 1, "case \(index): error \(worst)x the bound")
    // The bound is tight enough to catch a wrong kernel (which errs by about the outputs' own size): it
    // stays below 1% of their typical size (0.01-0.12% in these cases; the transforms make E about 75
    // times Σ|g||d|, while the measured error is near 1e-6 of the typical output).
    let typical = expected.magnitude.reduce(0, +) / Double(expected.magnitude.count)
    #expect(bound.max()! < 1e-2 * typical)
}

/// The input gradient runs as the flipped forward convolution, so it takes the Winograd route too.
@Test(arguments: winogradCases.indices)
func winogradInputGradientIsWithinItsErrorBound(_ index: Int) {
    let (plain, shifts) = winogradCases[index]
    guard shifts.isEmpty, let flipped = plain.inputGradientConvolution else { return }
    #expect(WinogradConvolution.applies(ConvolutionLayout(flipped)))
    let (_, w, dy) = inputs(plain, seed: UInt64(600 + index))
    let flippedWeight = w.withUnsafeBufferPointer { OrbitKernels.flippedWeight(plain, $0.baseAddress!) }
    let expected = referenceBackwardInput(plain, outputGradient: dy, weight: w)
    let bound = winogradErrorBound(flipped, input: dy, weight: flippedWeight)
    let gradient = Float.backwardInput(plain, outputGradient: dy.map { Float($0) }, weight: w.map { Float($0) })
    let worst = zip(gradient, zip(expected, bound)).map { abs(Double($0) - $1.0) / $1.1 }.max() ?? 0
    #expect(worst <= 1, "case \(index): error \(worst)x the bound")
}

/// The weight gradient: Σ over the batch's tiles, so the bound is 2·(tiles + 10)·u·E (V and dM round at
/// most 4 times each, each product once, the sums over tiles and over the at most 8 partial gradients
/// at most tiles + 7 times, the final Gᵀ dU G once: tiles + 17 roundings, within 2·(tiles + 10)) with
/// E = Σ_t |G|ᵀ [ (|B|ᵀ |d_tc| |B|) ⊙ (|A| |dY_to| |A|ᵀ) ] |G|.
@Test(arguments: winogradCases.indices)
func winogradWeightGradientIsWithinItsErrorBound(_ index: Int) {
    let (plain, shifts) = winogradCases[index]
    var shifted = plain
    shifted.inputShifts = shifts
    let (x, _, dy) = inputs(plain, seed: UInt64(700 + index))
    let seen = shifts.isEmpty ? x : rolled(x, plain, shifts)
    let expected = referenceBackwardWeight(plain, input: seen, outputGradient: dy)
    let bound = winogradWeightGradientBound(plain, input: seen, outputGradient: dy)
    let gradient = Float.backwardWeight(shifted, input: x.map { Float($0) }, outputGradient: dy.map { Float($0) })
    let worst = zip(gradient, zip(expected, bound)).map { abs(Double($0) - $1.0) / $1.1 }.max() ?? 0
    #expect(worst <= 1, "case \(index): error \(worst)x the bound")
    // Not vacuous: a wrong kernel errs by about the gradient's own size. The bound grows like the number
    // of summed tiles times their absolute sum, the gradient of random data like its square root: at 98
    // tiles (case 6) the bound reaches 9% of the typical entry, at 1568 (case 9) it exceeds it, so there
    // the measured error itself must be small (it is 2.5e-5 of the typical entry; 0.2-2.6e-5 elsewhere).
    let typical = expected.map(abs).reduce(0, +) / Double(expected.count)
    let measured = zip(gradient, expected).map { abs(Double($0) - $1) }.max()! / typical
    if bound.max()! < typical {
        #expect(bound.max()! < 0.2 * typical)
    } else {
        #expect(measured < 1e-4)
    }
}

private func winogradWeightGradientBound(_ geometry: ConvolutionGeometry, input: [Double], outputGradient: [Double]) -> [Double] {
    let (inputs, outputs) = (geometry.inputChannels, geometry.outputChannels)
    let (outputHeight, outputWidth) = (geometry.outputSize[0], geometry.outputSize[1])
    let (tileRows, tileColumns) = ((outputHeight + 3) / 4, (outputWidth + 3) / 4)
    var sums = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: 6), count: 6), count: outputs * inputs)
    for n in 0..<geometry.batch {
        for tileRow in 0..<tileRows {
            for tileColumn in 0..<tileColumns {
                let patches = (0..<inputs).map { c in patchMagnitude(geometry, input, n, c, tileRow, tileColumn) }
                for o in 0..<outputs {
                    let tile = (0..<4).map { p in (0..<4).map { q -> Double in
                        let (row, column) = (4 * tileRow + p, 4 * tileColumn + q)
                        guard row < outputHeight, column < outputWidth else { return 0 }
                        return abs(outputGradient[((n * outputs + o) * outputHeight + row) * outputWidth + column])
                    } }
                    let spread = matrixProduct(matrixProduct(absA, tile), transposedMatrix(absA))
                    for c in 0..<inputs {
                        for k in 0..<6 { for l in 0..<6 { sums[o * inputs + c][k][l] += patches[c][k][l] * spread[k][l] } }
                    }
                }
            }
        }
    }
    let terms = Double(geometry.batch * tileRows * tileColumns + 10)
    return sums.flatMap { sum in
        matrixProduct(matrixProduct(transposedMatrix(absG), sum), absG).flatMap { $0.map { 2 * terms * 0x1p-24 * $0 } }
    }
}

@Test func winogradRouteOnlyTakesUnitStride3x3ConvolutionsWithManyChannels() {
    let base = geometry(batch: 2, 16, 16, [12, 12], padding: 1, .zeros)
    #expect(WinogradConvolution.applies(ConvolutionLayout(base)))
    var changes: [ConvolutionGeometry] = []
    var few = base; few.inputChannels = 15; changes.append(few)
    var fewOutputs = base; fewOutputs.outputChannels = 8; changes.append(fewOutputs)
    var strided = base; strided.stride = [1, 2]; changes.append(strided)
    var dilated = base; dilated.dilation = [2, 1]; changes.append(dilated)
    var grouped = base; grouped.groups = 2; grouped.inputChannels = 32; grouped.outputChannels = 32; changes.append(grouped)
    var wide = base; wide.kernelSize = [3, 5]; wide.padding = [1, 2]; changes.append(wide)
    var rankThree = base; rankThree.inputSize = [4, 12, 12]; rankThree.kernelSize = [3, 3, 3]
    rankThree.stride = [1, 1, 1]; rankThree.padding = [1, 1, 1]; rankThree.dilation = [1, 1, 1]; changes.append(rankThree)
    var thin = base; thin.inputSize = [1, 12]; thin.padding = [0, 1]; changes.append(thin)  // one output row
    for change in changes { #expect(!WinogradConvolution.applies(ConvolutionLayout(change)), "\(change)") }
}

@Test func winogradIsBitIdenticalForAnyThreadCount() {
    let (plain, _) = winogradCases[9]
    #expect(WinogradTiling(ConvolutionLayout(plain)).tilesPerChunk == 192)
    let (x, w, dy) = inputs(plain, seed: 7)
    let (xf, wf, dyf) = (x.map { Float($0) }, w.map { Float($0) }, dy.map { Float($0) })
    let run = { (winograd(plain, input: xf, weight: wf), Float.backwardWeight(plain, input: xf, outputGradient: dyf)) }
    let (single, double) = (withThreadCount(1, run), withThreadCount(2, run))
    #expect(single.0 == double.0 && single.1 == double.1)
}

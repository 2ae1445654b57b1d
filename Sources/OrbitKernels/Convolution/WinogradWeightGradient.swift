/// The weight gradient of a convolution on the Winograd route, as the exact adjoint of its forward pass
/// (`WinogradConvolution.swift`): from Y_t = Aᵀ [ Σ_c U_oc ⊙ V_tc ] A with U = G g Gᵀ,
///
///     ∂L/∂g_oc = Gᵀ [ Σ_t V_tc ⊙ (A dY_to Aᵀ) ] G,
///
/// so each of the 16 entries ξ is again one GEMM, over tiles instead of channels:
///
///     dU_ξ (C_out x C_in) = Σ_t dM_ξ[o, t] · V_ξ[c, t],   dM = A dY Aᵀ,   A = [1 0; 1 1; 1 -1; 0 -1].
///
/// Tiles of output pixels past the output's edge (odd sizes) enter with dY = 0, as those pixels do not
/// exist. Chunks are gathered into at most `partialCount` consecutive groups, each summing its own
/// partial dU; the partials are added in group order at the end, so the result does not depend on the
/// thread count.
extension WinogradConvolution {
    static let partialCount = 8
    /// Memory the partial gradients may take in all.
    static let partialByteLimit = 64 << 20

    /// weightGradient = Σ over the batch (overwritten), for a geometry where `applies` holds; shapes as
    /// `convolutionBackwardWeight`.
    static func backwardWeight(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>
    ) {
        let tiling = WinogradTiling(ConvolutionLayout(geometry))
        if GEMMKernelChoice.prefersFourRows(rows: geometry.outputChannels, columns: geometry.inputChannels) {
            runBackwardWeight(Float4x24Kernel.self, tiling, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
        } else {
            runBackwardWeight(Float6x16Kernel.self, tiling, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
        }
    }

    private static func runBackwardWeight<Kernel: GEMMKernel>(
        _ kernel: Kernel.Type, _ tiling: WinogradTiling, input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>
    ) where Kernel.Scalar == Float {
        let layout = tiling.layout
        let (inputs, outputs) = (layout.inputChannels, layout.outputChannels)
        let matrices = 16 * outputs * inputs
        // Fewer partials when they would be large (16 x 512 x 512 floats is 16 MB each), but two at least,
        // so that both cores work.
        let groups = min(partialCount, tiling.chunkCount, max(2, partialByteLimit / (matrices * MemoryLayout<Float>.stride)))
        tiling.withPaddedInput(input, extra: groups * matrices) { padded, imageStride, partials in
            let stride = tiling.slotStride
            let workspaceCount = BlockedGEMM<Kernel>(rows: outputs, columns: inputs, depth: WinogradTiling.tilesPerChunk).workspaceCount
            let scratchCount = 16 * (inputs + outputs) * stride + 4 * tiling.combinedStride + workspaceCount
            layout.forEachChunk(groups) { group in
                let chunks = (group * tiling.chunkCount / groups)..<((group + 1) * tiling.chunkCount / groups)
                let partial = partials + group * matrices
                ScratchPool.withScratch(Float.self, count: scratchCount) { scratch in
                    let (v, dm) = (scratch, scratch + 16 * inputs * stride)
                    let combined = dm + 16 * outputs * stride
                    let workspace = combined + 4 * tiling.combinedStride
                    for chunk in chunks {
                        let tiles = tiling.chunk(chunk)
                        tiling.transformInput(padded, imageStride: imageStride, tiles: tiles, into: v, combined: combined)
                        tiling.transformOutputGradient(outputGradient, tiles: tiles, into: dm)
                        let gemm = BlockedGEMM<Kernel>(rows: outputs, columns: inputs, depth: tiles.count)
                        for entry in 0..<16 {
                            gemm.multiply(
                                rows: 0..<outputs, columns: 0..<inputs, depth: tiles.count,
                                a: StridedLeftOperand<Kernel>(base: dm + entry * outputs * stride, rowStride: stride, columnStride: 1),
                                b: StridedRightOperand<Kernel>(base: v + entry * inputs * stride, rowStride: 1, columnStride: stride),
                                c: StridedOutput(base: partial + entry * outputs * inputs, rowStride: inputs),
                                accumulate: chunk > chunks.lowerBound, workspace: workspace)
                        }
                    }
                }
            }
            for group in 1..<groups {
                let partial = partials + group * matrices
                for index in 0..<matrices { partials[index] += partial[index] }
            }
            transformWeightGradient(partials, outputs: outputs, inputs: inputs, into: weightGradient)
        }
    }

    /// dg_oc = Gᵀ dU_oc G for every channel pair, from the 16 C_out x C_in matrices dU_ξ (computed in Double).
    /// Gᵀ (w0, w1, w2, w3) = (w0 + (w1 + w2)/2, (w1 - w2)/2, (w1 + w2)/2 + w3).
    static func transformWeightGradient(
        _ transformed: UnsafePointer<Float>, outputs: Int, inputs: Int, into weightGradient: UnsafeMutablePointer<Float>
    ) {
        let pairs = outputs * inputs
        func contract(_ w: SIMD4<Double>) -> SIMD3<Double> {
            SIMD3(w[0] + (w[1] + w[2]) / 2, (w[1] - w[2]) / 2, (w[1] + w[2]) / 2 + w[3])
        }
        for pair in 0..<pairs {
            func entry(_ k: Int, _ l: Int) -> Double { Double(transformed[(4 * k + l) * pairs + pair]) }
            // Gᵀ over each column of dU (giving a 3 x 4 matrix by columns), then over each of its rows.
            let (first, second) = (contract(SIMD4(entry(0, 0), entry(1, 0), entry(2, 0), entry(3, 0))),
                                   contract(SIMD4(entry(0, 1), entry(1, 1), entry(2, 1), entry(3, 1))))
            let (third, fourth) = (contract(SIMD4(entry(0, 2), entry(1, 2), entry(2, 2), entry(3, 2))),
                                   contract(SIMD4(entry(0, 3), entry(1, 3), entry(2, 3), entry(3, 3))))
            for row in 0..<3 {
                let values = contract(SIMD4(first[row], second[row], third[row], fourth[row]))
                for column in 0..<3 { weightGradient[pair * 9 + row * 3 + column] = Float(values[column]) }
            }
        }
    }
}

extension WinogradTiling {
    /// dM_ξ[o, t] = (A dY A ᵀ)[ξ] for every output channel o and every tile t of `tiles` (`outputGradient`:
    /// the batch's N x C_out x H_out x W_out); pixels past the output's edge count as zero. With a tile
    /// row (a, b) of dY, A (a, b)ᵀ = (a, a + b, a - b, -b), first over rows, then over columns.
    func transformOutputGradient(
        _ outputGradient: UnsafePointer<Float>, tiles: Range<Int>, into dm: UnsafeMutablePointer<Float>
    ) {
        let (height, width, outputs, stride) = (layout.outputSize[1], layout.outputSize[2], layout.outputChannels, slotStride)
        for channel in 0..<outputs {
            forEachSegment(tiles) { image, tileRow, columns, slot in
                let plane = outputGradient + (image * outputs + channel) * height * width
                for group in 0..<((columns.count + 7) / 8) {
                    let firstTile = columns.lowerBound + 8 * group
                    let column = 2 * firstTile
                    let count = min(16, 2 * (columns.upperBound - firstTile), width - column)
                    let upper = loadPixels(plane + 2 * tileRow * width + column, count: count)
                    let lower = 2 * tileRow + 1 < height ? loadPixels(plane + (2 * tileRow + 1) * width + column, count: count) : .zero
                    // A dY: rows (upper, upper + lower, upper - lower, -lower), each a pair (left, right) of
                    // pixels; then A over each row's pair.
                    func store(_ k: Int, _ left: SIMD8<Float>, _ right: SIMD8<Float>) {
                        let target = dm + (4 * k * outputs + channel) * stride + slot + 8 * group
                        store8(left, target)
                        store8(left + right, target + outputs * stride)
                        store8(left - right, target + 2 * outputs * stride)
                        store8(-right, target + 3 * outputs * stride)
                    }
                    let (upperLeft, upperRight, lowerLeft, lowerRight) = (upper.evenHalf, upper.oddHalf, lower.evenHalf, lower.oddHalf)
                    store(0, upperLeft, upperRight)
                    store(1, upperLeft + lowerLeft, upperRight + lowerRight)
                    store(2, upperLeft - lowerLeft, upperRight - lowerRight)
                    store(3, -lowerLeft, -lowerRight)
                }
            }
        }
    }
}

/// The first `count` of 16 consecutive pixels, zeros after.
@inline(__always)
private func loadPixels(_ source: UnsafePointer<Float>, count: Int) -> SIMD16<Float> {
    if count == 16 { return UnsafeRawPointer(source).loadUnaligned(as: SIMD16<Float>.self) }
    var pixels = SIMD16<Float>()
    for lane in 0..<count { pixels[lane] = source[lane] }
    return pixels
}

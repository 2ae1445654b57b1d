/// The weight gradient of a convolution on the Winograd route, as the exact adjoint of its forward pass
/// (`WinogradConvolution.swift`): from Y_t = Aᵀ [ Σ_c U_oc ⊙ V_tc ] A with U = G g Gᵀ,
///
///     ∂L/∂g_oc = Gᵀ [ Σ_t V_tc ⊙ (A dY_to Aᵀ) ] G,
///
/// so each of the 36 entries ξ is again one GEMM, over tiles instead of channels:
///
///     dU_ξ (C_out x C_in) = Σ_t dM_ξ[o, t] · V_ξ[c, t],   dM = A dY Aᵀ   (A: 6 x 4).
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
        let (entries, matrices) = (WinogradTiling.entryCount, WinogradTiling.entryCount * outputs * inputs)
        // Fewer partials when they would be large (36 x 512 x 512 floats is 36 MB each), but two at least,
        // so that both cores work.
        let groups = min(partialCount, tiling.chunkCount, max(2, partialByteLimit / (matrices * MemoryLayout<Float>.stride)))
        tiling.withPaddedInput(input, extra: groups * matrices) { padded, imageStride, partials in
            let stride = tiling.slotStride
            let workspaceCount = BlockedGEMM<Kernel>(rows: outputs, columns: inputs, depth: tiling.tilesPerChunk).workspaceCount
            let (inputEntryStride, outputEntryStride) = (tiling.entryStride(channels: inputs), tiling.entryStride(channels: outputs))
            let scratchCount = tiling.transformedCount(channels: inputs) + tiling.transformedCount(channels: outputs)
                + 6 * tiling.combinedStride + workspaceCount
            layout.forEachChunk(groups) { group in
                let chunks = (group * tiling.chunkCount / groups)..<((group + 1) * tiling.chunkCount / groups)
                let partial = partials + group * matrices
                ScratchPool.withScratch(Float.self, count: scratchCount) { scratch in
                    let (v, dm) = (scratch, scratch + tiling.transformedCount(channels: inputs))
                    let combined = dm + tiling.transformedCount(channels: outputs)
                    let workspace = combined + 6 * tiling.combinedStride
                    for chunk in chunks {
                        let tiles = tiling.chunk(chunk)
                        tiling.transformInput(padded, imageStride: imageStride, tiles: tiles, into: v, combined: combined)
                        tiling.transformOutputGradient(outputGradient, tiles: tiles, into: dm)
                        let gemm = BlockedGEMM<Kernel>(rows: outputs, columns: inputs, depth: tiles.count)
                        for entry in 0..<entries {
                            gemm.multiply(
                                rows: 0..<outputs, columns: 0..<inputs, depth: tiles.count,
                                a: StridedLeftOperand<Kernel>(base: dm + entry * outputEntryStride, rowStride: stride, columnStride: 1),
                                b: StridedRightOperand<Kernel>(base: v + entry * inputEntryStride, rowStride: 1, columnStride: stride),
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

    /// dg_oc = Gᵀ dU_oc G for every channel pair, from the 36 C_out x C_in matrices dU_ξ (computed in
    /// Double); one output channel at a time, gathered into a local block (see `transformWeight`).
    static func transformWeightGradient(
        _ transformed: UnsafePointer<Float>, outputs: Int, inputs: Int, into weightGradient: UnsafeMutablePointer<Float>
    ) {
        let pairs = outputs * inputs
        Parallel.forEachRange(outputs, grain: Parallel.grain(costPerElement: 200 * inputs)) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: WinogradTiling.entryCount * inputs) { block in
                let local = block.baseAddress!
                for output in range {
                    for entry in 0..<WinogradTiling.entryCount {
                        copyElements(from: transformed + entry * pairs + output * inputs, to: local + entry * inputs, count: inputs)
                    }
                    for input in 0..<inputs {
                        // Gᵀ over each column l of dU (giving a 3 x 6 matrix by columns), then over each of its rows.
                        func column(_ l: Int) -> SIMD3<Double> {
                            let entry = { (k: Int) in Double(local[(6 * k + l) * inputs + input]) }
                            return winogradFilterGradientTransform((entry(0), entry(1), entry(2), entry(3), entry(4), entry(5)))
                        }
                        let (c0, c1, c2, c3, c4, c5) = (column(0), column(1), column(2), column(3), column(4), column(5))
                        let target = weightGradient + (output * inputs + input) * 9
                        for row in 0..<3 {
                            let values = winogradFilterGradientTransform((c0[row], c1[row], c2[row], c3[row], c4[row], c5[row]))
                            for column in 0..<3 { target[row * 3 + column] = Float(values[column]) }
                        }
                    }
                }
            }
        }
    }
}

extension WinogradTiling {
    /// dM_ξ[o, t] = (A dY Aᵀ)[ξ] for every output channel o and every tile t of `tiles` (`outputGradient`:
    /// the batch's N x C_out x H_out x W_out); pixels past the output's edge count as zero. A over the
    /// four rows of each column of dY, then over the four columns of each resulting row.
    func transformOutputGradient(
        _ outputGradient: UnsafePointer<Float>, tiles: Range<Int>, into dm: UnsafeMutablePointer<Float>
    ) {
        let (height, width, outputs, stride) = (layout.outputSize[1], layout.outputSize[2], layout.outputChannels, slotStride)
        let entryStride = entryStride(channels: outputs)
        for channel in 0..<outputs {
            forEachSegment(tiles) { image, tileRow, columns, slot in
                let plane = outputGradient + (image * outputs + channel) * height * width
                for group in 0..<((columns.count + 7) / 8) {
                    let firstTile = columns.lowerBound + 8 * group
                    let column = 4 * firstTile
                    let count = min(32, 4 * (columns.upperBound - firstTile), width - column)
                    // Row a of the eight tiles as four vectors: pixel b of each tile.
                    func row(_ a: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                        guard 4 * tileRow + a < height else { return (.zero, .zero, .zero, .zero) }
                        return strideFourLanes(loadPixels(plane + (4 * tileRow + a) * width + column, count: count))
                    }
                    let (r0, r1, r2, r3) = (row(0), row(1), row(2), row(3))
                    let c0 = winogradOutputGradientTransform(r0.0, r1.0, r2.0, r3.0)
                    let c1 = winogradOutputGradientTransform(r0.1, r1.1, r2.1, r3.1)
                    let c2 = winogradOutputGradientTransform(r0.2, r1.2, r2.2, r3.2)
                    let c3 = winogradOutputGradientTransform(r0.3, r1.3, r2.3, r3.3)
                    for k in 0..<6 {
                        let t = winogradOutputGradientTransform(c0[k], c1[k], c2[k], c3[k])
                        let target = dm + 6 * k * entryStride + channel * stride + slot + 8 * group
                        for l in 0..<6 { store8(t[l], target + l * entryStride) }
                    }
                }
            }
        }
    }
}

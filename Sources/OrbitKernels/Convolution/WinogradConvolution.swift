import Foundation

/// Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural
/// Networks", 2016) for 3 x 3, unit-stride, undilated, ungrouped 2-D convolutions in single precision.
///
/// Every 4 x 4 block of output pixels (a *tile*) is computed from the 6 x 6 patch d of the padded input
/// under it and the 3 x 3 filter g of each channel pair as
///
///     Y = Aᵀ [ Σ_c (G g_oc Gᵀ) ⊙ (Bᵀ d_c B) ] A
///
/// with the 6 x 6, 6 x 3 and 4 x 6 matrices B, G, A of `WinogradTransforms.swift`. The sum over input
/// channels makes each of the 36 entries ξ of the transformed tile one GEMM,
///
///     M_ξ (C_out x tiles) = U_ξ (C_out x C_in) · V_ξ (C_in x tiles),   U = G g Gᵀ,  V = Bᵀ d B,
///
/// so a tile of 16 pixels costs 36 multiply-adds per channel pair instead of the 144 of the direct sum:
/// 4x fewer. The result differs from the direct sum by rounding only, but by more than a direct
/// convolution does (the transforms scale by up to 8 and cancel): the derived bound and the measured
/// error are in `Tests/OrbitKernelsTests/WinogradTests.swift`; `ORBIT_WINOGRAD=0` turns the route off.
///
/// The input gradient of such a convolution is again one (`inputGradientConvolution`), so it takes this
/// route too; the weight gradient is the exact adjoint of this algorithm (`WinogradWeightGradient.swift`).
///
/// Work is cut into chunks of consecutive tiles (`WinogradTiling.tilesPerChunk`), each done by one
/// thread start to finish: transform its patches into V, run the 36 GEMMs into M, transform M into
/// output pixels. Chunks depend on the geometry only, so results are bit-identical for any thread count.
enum WinogradConvolution {
    /// Channel counts below which the GEMMs are too thin to repay the transforms.
    static let minimumChannels = 16
    /// `ORBIT_WINOGRAD=0` turns the route off (to compare it with the implicit GEMM).
    static let isEnabled = ProcessInfo.processInfo.environment["ORBIT_WINOGRAD"] != "0"

    /// Whether a convolution takes this route: its forward pass and weight gradient directly, its input
    /// gradient when the flipped convolution (`inputGradientConvolution`) does.
    static func applies(_ layout: ConvolutionLayout) -> Bool {
        isEnabled && layout.kernelSize == [1, 3, 3] && layout.stride == [1, 1, 1] && layout.dilation == [1, 1, 1]
            && layout.groups == 1 && layout.inputSize[0] == 1 && layout.padding[0] == 0
            && layout.inputChannels >= minimumChannels && layout.outputChannels >= minimumChannels
            && layout.outputSize[1] >= 2 && layout.outputSize[2] >= 2 && layout.batch > 0
    }

    /// y = conv(x, w) for a geometry where `applies` holds; shapes as `convolutionForward`.
    static func forward(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) {
        let tiling = WinogradTiling(ConvolutionLayout(geometry))
        if GEMMKernelChoice.prefersFourRows(rows: tiling.layout.outputChannels, columns: tiling.tilesPerChunk) {
            run(Float4x24Kernel.self, tiling, input: input, weight: weight, output: output)
        } else {
            run(Float6x16Kernel.self, tiling, input: input, weight: weight, output: output)
        }
    }

    private static func run<Kernel: GEMMKernel>(
        _ kernel: Kernel.Type, _ tiling: WinogradTiling, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) where Kernel.Scalar == Float {
        let layout = tiling.layout
        let (inputs, outputs) = (layout.inputChannels, layout.outputChannels)
        let gemm = BlockedGEMM<Kernel>(rows: outputs, columns: tiling.tilesPerChunk, depth: inputs)
        let depthBlocks = Array(stride(from: 0, to: inputs, by: gemm.depthBlock))
        let packedCount = BlockedGEMM<Kernel>.packedLeftCount(rows: outputs)
        let packedWeight = packedTransformedWeight(
            Kernel.self, weight, outputs: outputs, inputs: inputs, depthBlocks: depthBlocks, depthBlock: gemm.depthBlock,
            packedCount: packedCount)
        tiling.withPaddedInput(input) { padded, imageStride, _ in
            packedWeight.withUnsafeBufferPointer { packedWeight in
                let transformed = tiling.transformedCount(channels: max(inputs, outputs))
                let scratchCount = 2 * transformed + 6 * tiling.combinedStride + gemm.workspaceCount
                layout.forEachChunk(tiling.chunkCount) { chunk in
                    ScratchPool.withScratch(Float.self, count: scratchCount) { scratch in
                        let (v, m) = (scratch, scratch + transformed)
                        let combined = m + transformed
                        let workspace = combined + 6 * tiling.combinedStride
                        let tiles = tiling.chunk(chunk)
                        // Whole micro-panels: the extra columns read unused slots of V and write unused
                        // slots of M (each GEMM column is one tile; tiles never mix).
                        let columns = (tiles.count + Kernel.microColumns - 1) / Kernel.microColumns * Kernel.microColumns
                        tiling.transformInput(padded, imageStride: imageStride, tiles: tiles, into: v, combined: combined)
                        for entry in 0..<WinogradTiling.entryCount {
                            for (block, first) in depthBlocks.enumerated() {
                                gemm.multiply(
                                    packedLeft: packedWeight.baseAddress! + (entry * depthBlocks.count + block) * packedCount,
                                    rows: outputs, columns: 0..<columns, depth: min(gemm.depthBlock, inputs - first),
                                    b: StridedRightOperand<Kernel>(
                                        base: v + entry * tiling.entryStride(channels: inputs) + first * tiling.slotStride,
                                        rowStride: tiling.slotStride, columnStride: 1),
                                    c: StridedOutput(base: m + entry * tiling.entryStride(channels: outputs), rowStride: tiling.slotStride),
                                    accumulate: block > 0, workspace: workspace)
                            }
                        }
                        tiling.transformOutput(m, tiles: tiles, into: output)
                    }
                }
            }
        }
    }

    /// U, packed once for every chunk as the GEMM's left operand: one packed matrix (`packedCount`
    /// elements) per entry ξ and depth block (`depthBlock` input channels from each of `depthBlocks`),
    /// entry-major.
    private static func packedTransformedWeight<Kernel: GEMMKernel>(
        _ kernel: Kernel.Type, _ weight: UnsafePointer<Float>, outputs: Int, inputs: Int, depthBlocks: [Int], depthBlock: Int,
        packedCount: Int
    ) -> [Float] where Kernel.Scalar == Float {
        let transformed = transformWeight(weight, outputs: outputs, inputs: inputs)
        var packed = [Float](repeating: 0, count: WinogradTiling.entryCount * depthBlocks.count * packedCount)
        transformed.withUnsafeBufferPointer { u in
            packed.withUnsafeMutableBufferPointer { packed in
                for entry in 0..<WinogradTiling.entryCount {
                    for (block, first) in depthBlocks.enumerated() {
                        StridedLeftOperand<Kernel>(base: u.baseAddress! + entry * outputs * inputs + first, rowStride: inputs, columnStride: 1)
                            .packPanels(rows: 0..<outputs, depth: 0..<min(depthBlock, inputs - first),
                                        into: packed.baseAddress! + (entry * depthBlocks.count + block) * packedCount)
                    }
                }
            }
        }
        return packed
    }

    /// U_ξ[o, c] = (G g_oc Gᵀ)[ξ / 6, ξ % 6], as 36 row-major C_out x C_in matrices (computed in Double).
    /// One output channel at a time into a local block, then 36 contiguous copies: the 36 matrices are
    /// C_out·C_in floats apart, often a multiple of 4 KB, and writing them pair by pair thrashes a cache set.
    static func transformWeight(_ weight: UnsafePointer<Float>, outputs: Int, inputs: Int) -> [Float] {
        let (pairs, count) = (outputs * inputs, WinogradTiling.entryCount * outputs * inputs)
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let transformed = buffer.baseAddress!
            Parallel.forEachRange(outputs, grain: Parallel.grain(costPerElement: 200 * inputs)) { range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: WinogradTiling.entryCount * inputs) { block in
                    let local = block.baseAddress!
                    for output in range {
                        for input in 0..<inputs {
                            let g = weight + (output * inputs + input) * 9
                            // G applied to each column of g (6 x 3), then to each row of the result: (G g) Gᵀ.
                            let left = winogradFilterTransform(Double(g[0]), Double(g[3]), Double(g[6]))
                            let middle = winogradFilterTransform(Double(g[1]), Double(g[4]), Double(g[7]))
                            let right = winogradFilterTransform(Double(g[2]), Double(g[5]), Double(g[8]))
                            func store(_ row: Int, _ entries: (Double, Double, Double, Double, Double, Double)) {
                                let target = local + row * 6 * inputs + input
                                (target[0], target[inputs], target[2 * inputs]) = (Float(entries.0), Float(entries.1), Float(entries.2))
                                (target[3 * inputs], target[4 * inputs], target[5 * inputs]) =
                                    (Float(entries.3), Float(entries.4), Float(entries.5))
                            }
                            store(0, winogradFilterTransform(left.0, middle.0, right.0))
                            store(1, winogradFilterTransform(left.1, middle.1, right.1))
                            store(2, winogradFilterTransform(left.2, middle.2, right.2))
                            store(3, winogradFilterTransform(left.3, middle.3, right.3))
                            store(4, winogradFilterTransform(left.4, middle.4, right.4))
                            store(5, winogradFilterTransform(left.5, middle.5, right.5))
                        }
                        for entry in 0..<WinogradTiling.entryCount {
                            copyElements(from: local + entry * inputs, to: transformed + entry * pairs + output * inputs, count: inputs)
                        }
                    }
                }
            }
            initialized = count
        }
    }
}

import Foundation

/// Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural
/// Networks", 2016) for 3 x 3, unit-stride, undilated, ungrouped 2-D convolutions in single precision.
///
/// Every 2 x 2 block of output pixels (a *tile*) is computed from the 4 x 4 patch d of the padded input
/// under it and the 3 x 3 filter g of each channel pair as
///
///     Y = Aᵀ [ Σ_c (G g_oc Gᵀ) ⊙ (Bᵀ d_c B) ] A
///
///     Bᵀ = [1  0 -1  0]     G = [1   0   0]     Aᵀ = [1  1  1  0]
///          [0  1  1  0]         [½   ½   ½]          [0  1 -1 -1]
///          [0 -1  1  0]         [½  -½   ½]
///          [0  1  0 -1]         [0   0   1]
///
/// The sum over input channels makes each of the 16 entries ξ of the transformed tile one GEMM,
///
///     M_ξ (C_out x tiles) = U_ξ (C_out x C_in) · V_ξ (C_in x tiles),   U = G g Gᵀ,  V = Bᵀ d B,
///
/// so a tile costs 16 multiply-adds per channel pair instead of the 36 of the direct sum: 2.25x fewer.
/// The transforms only add and subtract (and halve, in G), so the result differs from the direct sum by
/// rounding only; the bound is in `Tests/OrbitKernelsTests/WinogradTests.swift`.
///
/// The input gradient of such a convolution is again one (`inputGradientConvolution`), so it takes this
/// route too; the weight gradient is the exact adjoint of this algorithm (`WinogradWeightGradient.swift`).
///
/// Work is cut into chunks of consecutive tiles (`WinogradTiling.tilesPerChunk`), each done by one
/// thread start to finish: transform its patches into V, run the 16 GEMMs into M, transform M into
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
        if GEMMKernelChoice.prefersFourRows(rows: tiling.layout.outputChannels, columns: WinogradTiling.tilesPerChunk) {
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
        let transformedWeight = transformWeight(weight, outputs: outputs, inputs: inputs)
        tiling.withPaddedInput(input) { padded, imageStride, _ in
            transformedWeight.withUnsafeBufferPointer { transformedWeight in
                let u = transformedWeight.baseAddress!
                let transformed = 16 * max(inputs, outputs) * tiling.slotStride
                let gemm = BlockedGEMM<Kernel>(rows: outputs, columns: WinogradTiling.tilesPerChunk, depth: inputs)
                let scratchCount = 2 * transformed + 4 * tiling.combinedStride + gemm.workspaceCount
                layout.forEachChunk(tiling.chunkCount) { chunk in
                    ScratchPool.withScratch(Float.self, count: scratchCount) { scratch in
                        let (v, m) = (scratch, scratch + transformed)
                        let combined = m + transformed
                        let workspace = combined + 4 * tiling.combinedStride
                        let tiles = tiling.chunk(chunk)
                        // Whole micro-panels: the extra columns read unused slots of V and write unused
                        // slots of M (each GEMM column is one tile; tiles never mix).
                        let columns = (tiles.count + Kernel.microColumns - 1) / Kernel.microColumns * Kernel.microColumns
                        tiling.transformInput(padded, imageStride: imageStride, tiles: tiles, into: v, combined: combined)
                        for entry in 0..<16 {
                            gemm.multiply(
                                rows: 0..<outputs, columns: 0..<columns, depth: inputs,
                                a: StridedLeftOperand<Kernel>(base: u + entry * outputs * inputs, rowStride: inputs, columnStride: 1),
                                b: StridedRightOperand<Kernel>(
                                    base: v + entry * inputs * tiling.slotStride, rowStride: tiling.slotStride, columnStride: 1),
                                c: StridedOutput(base: m + entry * outputs * tiling.slotStride, rowStride: tiling.slotStride),
                                accumulate: false, workspace: workspace)
                        }
                        tiling.transformOutput(m, tiles: tiles, into: output)
                    }
                }
            }
        }
    }

    /// U_ξ[o, c] = (G g_oc Gᵀ)[ξ / 4, ξ % 4], as 16 row-major C_out x C_in matrices (computed in Double).
    static func transformWeight(_ weight: UnsafePointer<Float>, outputs: Int, inputs: Int) -> [Float] {
        let (pairs, count) = (outputs * inputs, 16 * outputs * inputs)
        // G·(v0, v1, v2)ᵀ.
        func expand(_ v0: Double, _ v1: Double, _ v2: Double) -> SIMD4<Double> {
            SIMD4(v0, (v0 + v1 + v2) / 2, (v0 - v1 + v2) / 2, v2)
        }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for pair in 0..<pairs {
                let g = weight + pair * 9
                // The columns of G g (4 x 3), then each row of G g expanded again: (G g) Gᵀ.
                let left = expand(Double(g[0]), Double(g[3]), Double(g[6]))
                let middle = expand(Double(g[1]), Double(g[4]), Double(g[7]))
                let right = expand(Double(g[2]), Double(g[5]), Double(g[8]))
                for row in 0..<4 {
                    let entries = expand(left[row], middle[row], right[row])
                    for column in 0..<4 { buffer[(row * 4 + column) * pairs + pair] = Float(entries[column]) }
                }
            }
            initialized = count
        }
    }
}

// Public entry points of the N-d convolution, one per pass and dtype. Shapes and the formula are on
// `ConvolutionGeometry`; every buffer is contiguous row-major with the element count it reports.
// Each function runs on up to `Parallel.threadCount` threads and gives bit-identical results for
// any thread count. Outputs must not overlap inputs; no alignment is required.

/// The generic implementations behind the entry points, one pass per file
/// (`ConvolutionForward.swift`, `ConvolutionBackwardInput.swift`, `ConvolutionBackwardWeight.swift`).
enum ConvolutionPass<Kernel: GEMMKernel> {
    typealias Scalar = Kernel.Scalar
}

/// The GEMM shape (rows x columns of C) of each pass, which decides the Float kernel.
extension ConvolutionGeometry {
    fileprivate var usesFourRowKernel: (forward: Bool, backwardInput: Bool, backwardWeight: Bool) {
        let layout = ConvolutionLayout(self)
        return (GEMMKernelChoice.prefersFourRows(rows: layout.outputChannelsPerGroup, columns: batch * layout.outputPlane),
                GEMMKernelChoice.prefersFourRows(rows: layout.columnRows, columns: layout.outputPlane),
                GEMMKernelChoice.prefersFourRows(rows: layout.columnRows, columns: layout.outputChannelsPerGroup))
    }
}

/// Single precision: the route per pass. Few channels go to the direct kernels, 3 x 3 unit-stride 2-D
/// convolutions with many channels to Winograd's F(4x4, 3x3) (every pass; the input gradient through
/// the flipped convolution), the rest to an implicit GEMM with the 4 x 24 or 6 x 16 kernel,
/// whichever wastes less on edges.
enum FloatConvolution {
    static func forward(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) {
        let layout = ConvolutionLayout(geometry)
        if DirectConvolution.appliesToForward(layout) && geometry.outputElementCount > 0 && layout.columnRows > 0 {
            DirectConvolution.forward(geometry, input: input, weight: weight, output: output)
        } else if DirectChannelsConvolution.applies(layout) {
            DirectChannelsConvolution.forward(geometry, input: input, weight: weight, output: output)
        } else if WinogradConvolution.applies(layout) {
            WinogradConvolution.forward(geometry, input: input, weight: weight, output: output)
        } else if geometry.usesFourRowKernel.forward {
            ConvolutionPass<Float4x24Kernel>.forward(geometry, input: input, weight: weight, output: output)
        } else {
            ConvolutionPass<Float6x16Kernel>.forward(geometry, input: input, weight: weight, output: output)
        }
    }

    static func backwardInput(
        _ geometry: ConvolutionGeometry, outputGradient: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>
    ) {
        if let flipped = geometry.inputGradientConvolution {
            flippedWeight(geometry, weight).withUnsafeBufferPointer { weight in
                forward(flipped, input: outputGradient, weight: weight.baseAddress!, output: inputGradient)
            }
        } else if geometry.usesFourRowKernel.backwardInput {
            ConvolutionPass<Float4x24Kernel>.backwardInput(
                geometry, outputGradient: outputGradient, weight: weight, inputGradient: inputGradient)
        } else {
            ConvolutionPass<Float6x16Kernel>.backwardInput(
                geometry, outputGradient: outputGradient, weight: weight, inputGradient: inputGradient)
        }
    }

    static func backwardWeight(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>
    ) {
        let layout = ConvolutionLayout(geometry)
        if DirectConvolution.appliesToWeightGradient(layout) && geometry.weightElementCount > 0
            && layout.batch > 0 && layout.outputPlane > 0 {
            DirectConvolution.backwardWeight(
                geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
        } else if DirectChannelsConvolution.applies(layout) {
            DirectChannelsConvolution.backwardWeight(
                geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
        } else if WinogradConvolution.applies(layout) {
            WinogradConvolution.backwardWeight(
                geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
        } else if geometry.usesFourRowKernel.backwardWeight {
            ConvolutionPass<Float4x24Kernel>.backwardWeight(
                geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
        } else {
            ConvolutionPass<Float6x16Kernel>.backwardWeight(
                geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
        }
    }
}

/// Forward convolution (no bias): `output = conv(input, weight)`.
///
/// input N x C_in x S..., weight C_out x C_in/groups x K..., output N x C_out x O... (overwritten).
public func convolutionForward(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>
) {
    FloatConvolution.forward(geometry, input: input, weight: weight, output: output)
}

/// Input gradient, the adjoint of the forward map in its input: `inputGradient = convᵀ(outputGradient, weight)`.
///
/// outputGradient N x C_out x O..., weight C_out x C_in/groups x K..., inputGradient N x C_in x S... (overwritten).
public func convolutionBackwardInput(
    _ geometry: ConvolutionGeometry, outputGradient: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>
) {
    FloatConvolution.backwardInput(geometry, outputGradient: outputGradient, weight: weight, inputGradient: inputGradient)
}

/// Weight gradient summed over the batch:
/// `weightGradient[o, c, κ] = Σ_{n, x} outputGradient[n, o, x] · input[n, g·C_in/groups + c, x·stride - padding + κ·dilation]`.
///
/// input N x C_in x S..., outputGradient N x C_out x O..., weightGradient C_out x C_in/groups x K... (overwritten).
public func convolutionBackwardWeight(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
    weightGradient: UnsafeMutablePointer<Float>
) {
    FloatConvolution.backwardWeight(
        geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
}

/// Forward convolution in double precision; as the `Float` version (always an implicit GEMM).
public func convolutionForward(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Double>, weight: UnsafePointer<Double>,
    output: UnsafeMutablePointer<Double>
) {
    ConvolutionPass<Double6x8Kernel>.forward(geometry, input: input, weight: weight, output: output)
}

/// Input gradient in double precision; as the `Float` version.
public func convolutionBackwardInput(
    _ geometry: ConvolutionGeometry, outputGradient: UnsafePointer<Double>, weight: UnsafePointer<Double>,
    inputGradient: UnsafeMutablePointer<Double>
) {
    if let flipped = geometry.inputGradientConvolution {
        flippedWeight(geometry, weight).withUnsafeBufferPointer { weight in
            ConvolutionPass<Double6x8Kernel>.forward(
                flipped, input: outputGradient, weight: weight.baseAddress!, output: inputGradient)
        }
    } else {
        ConvolutionPass<Double6x8Kernel>.backwardInput(
            geometry, outputGradient: outputGradient, weight: weight, inputGradient: inputGradient)
    }
}

/// Weight gradient in double precision; as the `Float` version.
public func convolutionBackwardWeight(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Double>, outputGradient: UnsafePointer<Double>,
    weightGradient: UnsafeMutablePointer<Double>
) {
    ConvolutionPass<Double6x8Kernel>.backwardWeight(
        geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient)
}

extension ConvolutionPass {
    /// y = conv(x, w) as one implicit GEMM per group (see `ImageColumns`):
    ///
    ///     Y_g (C_out/groups x N·ΠO) = W_g (C_out/groups x C_in/groups·ΠK) · col_g (C_in/groups·ΠK x N·ΠO)
    ///
    /// The columns of every image of the batch form one GEMM, so the parallel tiles of `parallelGEMM`
    /// cover the batch and the pixels together, and the input is padded once up front (which also turns
    /// circular padding into plain indexing).
    static func forward(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>,
        output: UnsafeMutablePointer<Scalar>
    ) {
        let layout = ConvolutionLayout(geometry)
        guard layout.columnRows > 0 else {
            output.update(repeating: 0, count: geometry.outputElementCount)
            return
        }
        guard geometry.outputElementCount > 0 else { return }
        let images = PaddedImages(layout: layout)
        let kernelOffsets = layout.kernelOffsets(channels: 0..<layout.inputChannelsPerGroup)
        ScratchPool.withScratch(Scalar.self, count: images.count) { buffer in
            let padded = images.fill(from: input, into: buffer)
            kernelOffsets.withUnsafeBufferPointer { kernelOffsets in
                for group in 0..<layout.groups {
                    let firstOutput = group * layout.outputChannelsPerGroup
                    parallelGEMM(
                        rows: layout.outputChannelsPerGroup, columns: layout.batch * layout.outputPlane,
                        depth: layout.columnRows,
                        a: StridedLeftOperand<Kernel>(
                            base: weight + firstOutput * layout.columnRows, rowStride: layout.columnRows, columnStride: 1),
                        b: ImageColumns<Kernel>(
                            padded: padded + group * layout.inputChannelsPerGroup * layout.paddedPlane,
                            imageStride: images.imageStride, layout: layout, kernelOffsets: kernelOffsets.baseAddress!),
                        c: BatchedOutput(
                            base: output + firstOutput * layout.outputPlane,
                            imageStride: layout.outputChannels * layout.outputPlane, pixelsPerImage: layout.outputPlane),
                        accumulate: false)
                }
            }
        }
    }
}

extension ConvolutionPass {
    /// dx = convᵀ(dy, w): per image and group, a GEMM into im2col form, then col2im (scatter-add):
    ///
    ///     dcol_g (C_in/groups·ΠK x ΠO) = W_gᵀ (C_in/groups·ΠK x C_out/groups) · dY_g (C_out/groups x ΠO)
    ///     dx[c, x·stride - padding + κ·dilation] += dcol[(c, κ), x]
    ///
    /// Each chunk owns whole input-channel planes of one image (an image x group x channel block), so
    /// no two threads ever add into the same element and the order of the additions is fixed by the
    /// geometry: the result is bit-identical for any thread count. The chunk scatters into a padded
    /// plane (no bounds checks), then folds it back (dropping zero padding, or wrapping circular
    /// padding onto the input), pixel block by pixel block so the dcol tile stays in L2.
    static func backwardInput(
        _ geometry: ConvolutionGeometry, outputGradient: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>,
        inputGradient: UnsafeMutablePointer<Scalar>
    ) {
        let layout = ConvolutionLayout(geometry)
        guard geometry.inputElementCount > 0 else { return }
        guard layout.outputPlane > 0, layout.outputChannelsPerGroup > 0 else {
            inputGradient.update(repeating: 0, count: geometry.inputElementCount)
            return
        }
        let plan = BackwardInputPlan<Kernel>(layout)
        // W_gᵀ (C_in/groups·ΠK x C_out/groups) copied once, so every chunk packs contiguous rows.
        let (rows, columns) = (layout.columnRows, layout.outputChannelsPerGroup)
        let transposedWeight = [Scalar](unsafeUninitializedCapacity: geometry.weightElementCount) { buffer, count in
            for group in 0..<layout.groups {
                let source = weight + group * columns * rows
                let target = buffer.baseAddress! + group * rows * columns
                for o in 0..<columns {
                    for r in 0..<rows { target[r * columns + o] = source[o * rows + r] }
                }
            }
            count = geometry.weightElementCount
        }
        let kernelOffsets = layout.kernelOffsets(channels: 0..<plan.blockChannels)
        transposedWeight.withUnsafeBufferPointer { transposedWeight in
            kernelOffsets.withUnsafeBufferPointer { kernelOffsets in
                layout.forEachChunk(plan.chunkCount) { chunk in
                    ScratchPool.withScratch(Scalar.self, count: plan.scratchCount) { scratch in
                        plan.run(
                            chunk: chunk, outputGradient: outputGradient, transposedWeight: transposedWeight.baseAddress!,
                            kernelOffsets: kernelOffsets.baseAddress!, scratch: scratch, inputGradient: inputGradient)
                    }
                }
            }
        }
    }
}

/// Chunking and blocking of the input gradient, and the work of one chunk.
struct BackwardInputPlan<Kernel: GEMMKernel> {
    typealias Scalar = Kernel.Scalar
    let layout: ConvolutionLayout
    /// Input channels per chunk, and chunks per (image, group).
    let blockChannels: Int
    let blocksPerGroup: Int
    /// Output pixels per GEMM call: the dcol tile (channels·ΠK x pixelBlock) stays in L2.
    let pixelBlock: Int
    let blocked: BlockedGEMM<Kernel>
    /// One per shift class; image n folds with `tables[n % tables.count]`.
    let tables: [PaddingTables]

    init(_ layout: ConvolutionLayout) {
        self.layout = layout
        let channels = layout.inputChannelsPerGroup
        let imagesTimesGroups = layout.batch * layout.groups
        // Split channels only when images x groups alone cannot feed the threads.
        let wanted = min(channels, max(1, (ConvolutionLayout.targetChunks + imagesTimesGroups - 1) / imagesTimesGroups))
        blockChannels = (channels + wanted - 1) / wanted
        blocksPerGroup = (channels + blockChannels - 1) / blockChannels
        pixelBlock = balancedBlockSize(layout.outputPlane, maximum: 128, multiple: Kernel.microColumns)
        blocked = BlockedGEMM<Kernel>(
            rows: blockChannels * layout.kernelVolume, columns: pixelBlock, depth: layout.outputChannelsPerGroup)
        tables = PaddingTables.forEachShift(layout)
    }

    var chunkCount: Int { layout.batch * layout.groups * blocksPerGroup }
    private var paddedCount: Int { blockChannels * layout.paddedPlane }
    private var tileCount: Int { blockChannels * layout.kernelVolume * pixelBlock }
    /// Scratch of one chunk: padded gradient planes, the dcol tile and the GEMM workspace.
    var scratchCount: Int { paddedCount + tileCount + blocked.workspaceCount }

    func run(
        chunk: Int, outputGradient: UnsafePointer<Scalar>, transposedWeight: UnsafePointer<Scalar>,
        kernelOffsets: UnsafePointer<Int>, scratch: UnsafeMutablePointer<Scalar>,
        inputGradient: UnsafeMutablePointer<Scalar>
    ) {
        let block = chunk % blocksPerGroup
        let group = (chunk / blocksPerGroup) % layout.groups
        let image = chunk / (blocksPerGroup * layout.groups)
        let channels = (block * blockChannels)..<min(layout.inputChannelsPerGroup, (block + 1) * blockChannels)
        let rows = (channels.lowerBound * layout.kernelVolume)..<(channels.upperBound * layout.kernelVolume)
        let paddedGradient = scratch
        let tile = scratch + paddedCount
        paddedGradient.update(repeating: 0, count: channels.count * layout.paddedPlane)
        let firstOutput = group * layout.outputChannelsPerGroup
        let a = StridedLeftOperand<Kernel>(
            base: transposedWeight + group * layout.columnRows * layout.outputChannelsPerGroup,
            rowStride: layout.outputChannelsPerGroup, columnStride: 1)
        let b = StridedRightOperand<Kernel>(
            base: outputGradient + (image * layout.outputChannels + firstOutput) * layout.outputPlane,
            rowStride: layout.outputPlane, columnStride: 1)
        for first in stride(from: 0, to: layout.outputPlane, by: pixelBlock) {
            let pixels = first..<min(layout.outputPlane, first + pixelBlock)
            blocked.multiply(
                rows: rows, columns: pixels, depth: layout.outputChannelsPerGroup, a: a, b: b,
                c: StridedOutput(base: tile, rowStride: pixelBlock, firstRow: rows.lowerBound, firstColumn: first),
                accumulate: false, workspace: tile + tileCount)
            layout.scatterColumns(
                tile, tileRowStride: pixelBlock, rows: rows.count, pixels: pixels,
                kernelOffsets: kernelOffsets, into: paddedGradient)
        }
        let firstChannel = image * layout.inputChannels + group * layout.inputChannelsPerGroup + channels.lowerBound
        for channel in 0..<channels.count {
            tables[image % tables.count].foldPlane(
                layout, from: paddedGradient + channel * layout.paddedPlane,
                into: inputGradient + (firstChannel + channel) * layout.inputPlane)
        }
    }
}

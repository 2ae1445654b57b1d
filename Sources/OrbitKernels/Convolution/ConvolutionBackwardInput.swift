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
        let channelsPerGroup = layout.inputChannelsPerGroup
        let imagesTimesGroups = layout.batch * layout.groups
        // Split channels only when images x groups alone cannot feed the threads.
        let blocksPerGroup = min(
            channelsPerGroup, max(1, (ConvolutionLayout.targetChunks + imagesTimesGroups - 1) / imagesTimesGroups))
        let blockChannels = (channelsPerGroup + blocksPerGroup - 1) / blocksPerGroup
        let blocksInUse = (channelsPerGroup + blockChannels - 1) / blockChannels
        let kernelOffsets = layout.kernelOffsets(channels: 0..<blockChannels)
        let pixelBlock = balancedBlockSize(layout.outputPlane, maximum: 128, multiple: Scalar.microColumns)
        let maximumRows = blockChannels * layout.kernelVolume
        let blocked = BlockedGEMM<Scalar>(rows: maximumRows, columns: pixelBlock, depth: layout.outputChannelsPerGroup)
        let paddedCount = blockChannels * layout.paddedPlane
        let tables = PaddingTables(layout)
        kernelOffsets.withUnsafeBufferPointer { kernelOffsets in
            layout.forEachChunk(imagesTimesGroups * blocksInUse) { chunk in
                let block = chunk % blocksInUse
                let group = (chunk / blocksInUse) % layout.groups
                let image = chunk / (blocksInUse * layout.groups)
                let channels = (block * blockChannels)..<min(channelsPerGroup, (block + 1) * blockChannels)
                let rows = (channels.lowerBound * layout.kernelVolume)..<(channels.upperBound * layout.kernelVolume)
                let count = paddedCount + maximumRows * pixelBlock + blocked.workspaceCount
                ScratchPool.withScratch(Scalar.self, count: count) { scratch in
                    let paddedGradient = scratch
                    let tile = scratch + paddedCount
                    paddedGradient.update(repeating: 0, count: channels.count * layout.paddedPlane)
                    let firstOutput = group * layout.outputChannelsPerGroup
                    // W_gᵀ: element (r, o) = w[firstOutput + o, r], a transposed view of the weight.
                    let a = StridedLeftOperand(
                        base: weight + firstOutput * layout.columnRows, rowStride: 1, columnStride: layout.columnRows)
                    let b = StridedRightOperand(
                        base: outputGradient + (image * layout.outputChannels + firstOutput) * layout.outputPlane,
                        rowStride: layout.outputPlane, columnStride: 1)
                    for first in stride(from: 0, to: layout.outputPlane, by: pixelBlock) {
                        let pixels = first..<min(layout.outputPlane, first + pixelBlock)
                        blocked.multiply(
                            rows: rows, columns: pixels, depth: layout.outputChannelsPerGroup, a: a, b: b,
                            c: StridedOutput(base: tile, rowStride: pixelBlock, firstRow: rows.lowerBound, firstColumn: first),
                            accumulate: false, workspace: tile + maximumRows * pixelBlock)
                        layout.scatterColumns(
                            tile, tileRowStride: pixelBlock, rows: rows.count, pixels: pixels,
                            kernelOffsets: kernelOffsets.baseAddress!, into: paddedGradient)
                    }
                    let firstChannel = image * layout.inputChannels + group * channelsPerGroup + channels.lowerBound
                    for channel in 0..<channels.count {
                        tables.foldPlane(
                            layout, from: paddedGradient + channel * layout.paddedPlane,
                            into: inputGradient + (firstChannel + channel) * layout.inputPlane)
                    }
                }
            }
        }
    }
}

extension ConvolutionLayout {
    /// col2im for one pixel block: `padded[kernelOffsets[r] + pixelOffset(x)] += tile[r, x]` for the
    /// first `rows` im2col rows and the output pixels `pixels` (of one image). Pixels of one output row
    /// form a run (contiguous in the padded plane when the last stride is 1, a vectorised add).
    func scatterColumns<Scalar: GEMMScalar>(
        _ tile: UnsafePointer<Scalar>, tileRowStride: Int, rows: Int, pixels: Range<Int>,
        kernelOffsets: UnsafePointer<Int>, into padded: UnsafeMutablePointer<Scalar>
    ) {
        let widthStride = stride[2]
        // Runs: (first tile column, padded offset, length), found once and reused for every row.
        var runs: [(column: Int, offset: Int, length: Int)] = []
        var cursor = PixelCursor(self, column: pixels.lowerBound, imageStride: 0)
        for column in 0..<pixels.count {
            if let last = runs.last, last.offset + last.length * widthStride == cursor.offset {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((column, cursor.offset, 1))
            }
            cursor.advance()
        }
        for r in 0..<rows {
            let source = tile + r * tileRowStride
            let target = padded + kernelOffsets[r]
            for run in runs {
                let runSource = source + run.column
                let runTarget = target + run.offset
                if widthStride == 1 {
                    for t in 0..<run.length { runTarget[t] += runSource[t] }
                } else {
                    for t in 0..<run.length { runTarget[t * widthStride] += runSource[t] }
                }
            }
        }
    }
}

extension ConvolutionPass {
    /// dw = Σ over the batch of dY · colᵀ, computed transposed per group and image (see `ImageRows`):
    ///
    ///     dW_gᵀ (C_in/groups·ΠK x C_out/groups) += col_{n,g} (C_in/groups·ΠK x ΠO) · dY_{n,g}ᵀ (ΠO x C_out/groups)
    ///
    /// The transposed form makes the big operand (col, ΠK times the input) the left one, whose packed
    /// panels are rows: packing copies pixel runs instead of transposing them; only dY (ΠK times
    /// smaller) is transposed by the right-operand packing.
    ///
    /// Chunks are (image group, group, row tile). A chunk sums its images in order into its own
    /// partial dWᵀ; the partials are then added in image-group order while transposing into dw. Image
    /// groups and row tiles depend on the geometry only, so the result is bit-identical for any thread
    /// count.
    static func backwardWeight(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Scalar>, outputGradient: UnsafePointer<Scalar>,
        weightGradient: UnsafeMutablePointer<Scalar>
    ) {
        let layout = ConvolutionLayout(geometry)
        let weightCount = geometry.weightElementCount
        guard weightCount > 0 else { return }
        guard layout.batch > 0, layout.outputPlane > 0 else {
            weightGradient.update(repeating: 0, count: weightCount)
            return
        }
        let split = WeightGradientSplit(layout, microRows: Kernel.microRows)
        let images = PaddedImages(layout: layout)
        let kernelOffsets = layout.kernelOffsets(channels: 0..<layout.inputChannelsPerGroup)
        let blocked = BlockedGEMM<Kernel>(
            rows: split.maximumTileRows, columns: layout.outputChannelsPerGroup, depth: layout.outputPlane)
        // Partial dWᵀ per image group: groups x (C_in/groups·ΠK) x (C_out/groups).
        ScratchPool.withScratch(Scalar.self, count: images.count + split.imageGroups * weightCount) { buffer in
            let padded = images.fill(from: input, into: buffer)
            let partials = buffer + images.count
            kernelOffsets.withUnsafeBufferPointer { kernelOffsets in
                layout.forEachChunk(split.imageGroups * layout.groups * split.rowTiles) { chunk in
                    let tile = chunk % split.rowTiles
                    let group = (chunk / split.rowTiles) % layout.groups
                    let imageGroup = chunk / (split.rowTiles * layout.groups)
                    let rows = split.rowBoundaries[tile]..<split.rowBoundaries[tile + 1]
                    let output = StridedOutput(
                        base: partials + imageGroup * weightCount + group * layout.columnRows * layout.outputChannelsPerGroup,
                        rowStride: layout.outputChannelsPerGroup)
                    let firstOutput = group * layout.outputChannelsPerGroup
                    ScratchPool.withScratch(Scalar.self, count: blocked.workspaceCount) { workspace in
                        let imageRange = split.imageBoundaries[imageGroup]..<split.imageBoundaries[imageGroup + 1]
                        for image in imageRange {
                            blocked.multiply(
                                rows: rows, columns: 0..<layout.outputChannelsPerGroup, depth: layout.outputPlane,
                                a: ImageRows<Kernel>(
                                    padded: padded + image * images.imageStride
                                        + group * layout.inputChannelsPerGroup * layout.paddedPlane,
                                    layout: layout, kernelOffsets: kernelOffsets.baseAddress!),
                                b: StridedRightOperand<Kernel>(
                                    base: outputGradient + (image * layout.outputChannels + firstOutput) * layout.outputPlane,
                                    rowStride: 1, columnStride: layout.outputPlane),
                                c: output, accumulate: image > imageRange.lowerBound, workspace: workspace)
                        }
                    }
                }
            }
            sumTransposedPartials(partials, layout: layout, imageGroups: split.imageGroups, into: weightGradient)
        }
    }

    /// dw[g, o, r] = Σ_i partials[i][g][r][o], image groups i in order, in parallel over output channels.
    private static func sumTransposedPartials(
        _ partials: UnsafeMutablePointer<Scalar>, layout: ConvolutionLayout, imageGroups: Int,
        into weightGradient: UnsafeMutablePointer<Scalar>
    ) {
        let rows = layout.columnRows
        let columns = layout.outputChannelsPerGroup
        let weightCount = layout.outputChannels * rows
        Parallel.forEachRange(layout.outputChannels, grain: Parallel.grain(costPerElement: rows * imageGroups)) { channels in
            for channel in channels {
                let group = channel / columns
                let source = partials + group * rows * columns + channel % columns
                let target = weightGradient + channel * rows
                for r in 0..<rows {
                    var sum = source[r * columns]
                    for imageGroup in 1..<max(1, imageGroups) { sum += source[imageGroup * weightCount + r * columns] }
                    target[r] = sum
                }
            }
        }
    }
}

/// How the weight gradient is cut into chunks: image groups (each with its own partial result) and
/// row tiles of the im2col rows.
struct WeightGradientSplit {
    /// Elements all partial results together may take (16 M: 64 MB in Float).
    static let partialBudget = 1 << 24
    let imageGroups: Int
    let imageBoundaries: [Int]
    let rowTiles: Int
    let rowBoundaries: [Int]

    init(_ layout: ConvolutionLayout, microRows: Int) {
        let rows = layout.columnRows
        var imageGroups = 1
        var rowTiles = 1
        if layout.multiplyAdds >= GEMMTiling.minimumParallelWork {
            // Prefer splitting the batch: a row tile repacks dYᵀ for its rows, which costs ~15% when
            // the tiles are 8 (measured, 64 -> 128 channels), while an image group costs only a partial
            // result and its sum. Partials are capped at `partialBudget` elements; row tiles split the
            // rest.
            let affordable = max(1, WeightGradientSplit.partialBudget / max(1, layout.outputChannels * rows))
            imageGroups = min(layout.batch, affordable, max(1, ConvolutionLayout.targetChunks / layout.groups))
            let wanted = ConvolutionLayout.targetChunks / (layout.groups * imageGroups)
            rowTiles = max(1, min(wanted, rows / (4 * microRows)))
        }
        self.imageGroups = imageGroups
        self.rowTiles = rowTiles
        imageBoundaries = GEMMTiling.boundaries(layout.batch, tiles: imageGroups, multiple: 1)
        rowBoundaries = GEMMTiling.boundaries(rows, tiles: rowTiles, multiple: microRows)
    }

    var maximumTileRows: Int {
        zip(rowBoundaries.dropFirst(), rowBoundaries).map { $0 - $1 }.max() ?? 0
    }
}

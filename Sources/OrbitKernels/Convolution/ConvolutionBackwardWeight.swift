extension ConvolutionPass {
    /// dw = Σ over the batch of dY · colᵀ, per group (see `TransposedImageColumns`):
    ///
    ///     dW_g (C_out/groups x C_in/groups·ΠK) = Σ_n dY_{n,g} (C_out/groups x ΠO) · col_{n,g}ᵀ (ΠO x C_in/groups·ΠK)
    ///
    /// Chunks are (group, image group, column tile). A chunk sums its images in order into its own
    /// partial result; the partials of the image groups are then added in image-group order. Both the
    /// image groups and the column tiles depend on the geometry only, so the result is bit-identical
    /// for any thread count.
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
        let split = WeightGradientSplit(layout, microColumns: Scalar.microColumns)
        let images = PaddedImages(layout: layout)
        let kernelOffsets = layout.kernelOffsets(channels: 0..<layout.inputChannelsPerGroup)
        let blocked = BlockedGEMM<Scalar>(
            rows: layout.outputChannelsPerGroup, columns: split.maximumTileColumns, depth: layout.outputPlane)
        let partialCount = split.imageGroups > 1 ? split.imageGroups * weightCount : 0
        ScratchPool.withScratch(Scalar.self, count: images.count + partialCount) { buffer in
            let padded = images.fill(from: input, into: buffer)
            let partials = split.imageGroups > 1 ? buffer + images.count : weightGradient
            kernelOffsets.withUnsafeBufferPointer { kernelOffsets in
                layout.forEachChunk(layout.groups * split.imageGroups * split.columnTiles) { chunk in
                    let tile = chunk % split.columnTiles
                    let group = (chunk / split.columnTiles) % layout.groups
                    let imageGroup = chunk / (split.columnTiles * layout.groups)
                    let columns = split.columnBoundaries[tile]..<split.columnBoundaries[tile + 1]
                    let firstOutput = group * layout.outputChannelsPerGroup
                    let target = partials + (split.imageGroups > 1 ? imageGroup * weightCount : 0)
                    let output = StridedOutput(base: target + firstOutput * layout.columnRows, rowStride: layout.columnRows)
                    ScratchPool.withScratch(Scalar.self, count: blocked.workspaceCount) { workspace in
                        let imageRange = split.imageBoundaries[imageGroup]..<split.imageBoundaries[imageGroup + 1]
                        for image in imageRange {
                            blocked.multiply(
                                rows: 0..<layout.outputChannelsPerGroup, columns: columns, depth: layout.outputPlane,
                                a: StridedLeftOperand(
                                    base: outputGradient + (image * layout.outputChannels + firstOutput) * layout.outputPlane,
                                    rowStride: layout.outputPlane, columnStride: 1),
                                b: TransposedImageColumns(
                                    padded: padded + image * images.imageStride
                                        + group * layout.inputChannelsPerGroup * layout.paddedPlane,
                                    imageStride: 0, layout: layout, kernelOffsets: kernelOffsets.baseAddress!),
                                c: output, accumulate: image > imageRange.lowerBound, workspace: workspace)
                        }
                    }
                }
            }
            if split.imageGroups > 1 {
                sumPartials(partials, groups: split.imageGroups, count: weightCount, into: weightGradient)
            }
        }
    }
}

/// How the weight gradient is cut into chunks: image groups (each with its own partial result when
/// there is more than one) and column tiles of the im2col rows.
struct WeightGradientSplit {
    let imageGroups: Int
    let imageBoundaries: [Int]
    let columnTiles: Int
    let columnBoundaries: [Int]

    init(_ layout: ConvolutionLayout, microColumns: Int) {
        let columns = layout.columnRows
        var imageGroups = 1
        var columnTiles = 1
        if layout.multiplyAdds >= GEMMTiling.minimumParallelWork {
            // Prefer splitting the batch (no repeated packing); split the columns when the batch is small.
            imageGroups = min(layout.batch, max(1, ConvolutionLayout.targetChunks / layout.groups))
            let wanted = ConvolutionLayout.targetChunks / (layout.groups * imageGroups)
            columnTiles = max(1, min(wanted, columns / (4 * microColumns)))
        }
        self.imageGroups = imageGroups
        self.columnTiles = columnTiles
        imageBoundaries = GEMMTiling.boundaries(layout.batch, tiles: imageGroups, multiple: 1)
        columnBoundaries = GEMMTiling.boundaries(columns, tiles: columnTiles, multiple: microColumns)
    }

    var maximumTileColumns: Int {
        zip(columnBoundaries.dropFirst(), columnBoundaries).map { $0 - $1 }.max() ?? 0
    }
}

/// result[e] = partials[0][e] + partials[1][e] + ... in that order, in parallel over e.
private func sumPartials<Scalar: GEMMScalar>(
    _ partials: UnsafeMutablePointer<Scalar>, groups: Int, count: Int, into result: UnsafeMutablePointer<Scalar>
) {
    Parallel.forEachRange(count, grain: Parallel.grain(costPerElement: groups)) { range in
        for element in range {
            var sum = partials[element]
            for group in 1..<groups { sum += partials[group * count + element] }
            result[element] = sum
        }
    }
}

extension DirectConvolution {
    /// The weight gradient for at most 3 output channels per group, as dot products over the output
    /// pixels, vectorised along W:
    ///
    ///     dw[o, r] = Σ_n Σ_x dy[n, o, x] · padded_n[kernelOffsets[r] + pixelOffset(x)]
    ///
    /// Eight vector accumulators hold one output channel x 8 taps (one dy load serves eight FMAs)
    /// and are reduced horizontally at the end. Chunks are
    /// (image group, group); each image group sums its images in order into its own partial result,
    /// and the partials are added in image-group order, so the result does not depend on the threads.
    static func backwardWeight(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>
    ) {
        let layout = ConvolutionLayout(geometry)
        let weightCount = geometry.weightElementCount
        let images = PaddedImages(layout: layout)
        let kernelOffsets = layout.kernelOffsets(channels: 0..<layout.inputChannelsPerGroup)
        let imageGroups = layout.multiplyAdds < GEMMTiling.minimumParallelWork
            ? 1 : min(layout.batch, max(1, ConvolutionLayout.targetChunks / layout.groups))
        let imageBoundaries = GEMMTiling.boundaries(layout.batch, tiles: imageGroups, multiple: 1)
        let gradientEnd = outputGradient + geometry.outputElementCount
        ScratchPool.withScratch(Float.self, count: images.count + imageGroups * weightCount) { buffer in
            let padded = images.fill(from: input, into: buffer)
            let partials = buffer + images.count
            kernelOffsets.withUnsafeBufferPointer { kernelOffsets in
                layout.forEachChunk(imageGroups * layout.groups) { chunk in
                    let group = chunk % layout.groups
                    let imageGroup = chunk / layout.groups
                    let products = DotProducts(
                        layout: layout, kernelOffsets: kernelOffsets.baseAddress!, gradientEnd: gradientEnd)
                    for image in imageBoundaries[imageGroup]..<imageBoundaries[imageGroup + 1] {
                        products.accumulate(
                            gradient: outputGradient
                                + (image * layout.outputChannels + group * layout.outputChannelsPerGroup) * layout.outputPlane,
                            source: padded + image * images.imageStride
                                + group * layout.inputChannelsPerGroup * layout.paddedPlane,
                            into: partials + imageGroup * weightCount
                                + group * layout.outputChannelsPerGroup * layout.columnRows,
                            overwrite: image == imageBoundaries[imageGroup])
                    }
                }
            }
            Parallel.forEachRange(weightCount, grain: Parallel.grain(costPerElement: imageGroups)) { range in
                for element in range {
                    var sum = partials[element]
                    for imageGroup in 1..<max(1, imageGroups) { sum += partials[imageGroup * weightCount + element] }
                    weightGradient[element] = sum
                }
            }
        }
    }
}

/// The per-image work of the direct weight gradient.
private struct DotProducts {
    let layout: ConvolutionLayout
    let kernelOffsets: UnsafePointer<Int>
    /// End of the caller's dy: a tail vector that would read past it is gathered lane by lane.
    let gradientEnd: UnsafePointer<Float>

    /// Adds (or writes, for the first image) one image's dw[o, r] for every output channel o and tap
    /// r of a group into `partial` (C_out/groups x C_in/groups·ΠK), eight taps at a time.
    func accumulate(
        gradient: UnsafePointer<Float>, source: UnsafePointer<Float>,
        into partial: UnsafeMutablePointer<Float>, overwrite: Bool
    ) {
        let taps = layout.columnRows
        for channel in 0..<layout.outputChannelsPerGroup {
            for firstTap in stride(from: 0, to: taps, by: 8) {
                // Missing taps of the last block repeat the first one; their sums are dropped.
                func tapSource(_ t: Int) -> UnsafePointer<Float> {
                    source + kernelOffsets[firstTap + t < taps ? firstTap + t : firstTap]
                }
                let sums = oneChannelByEightTaps(
                    gradient: gradient + channel * layout.outputPlane,
                    sources: (tapSource(0), tapSource(1), tapSource(2), tapSource(3),
                              tapSource(4), tapSource(5), tapSource(6), tapSource(7)))
                for t in 0..<min(8, taps - firstTap) {
                    let target = partial + channel * taps + firstTap + t
                    let value = sums[t].sum()
                    target.pointee = overwrite ? value : target.pointee + value
                }
            }
        }
    }

    /// Eight dy values of one output row starting at `pointer`; in the row's last, partial vector
    /// (`lanes` < 8) the lanes past the row are zero, so the padded values they meet do not count.
    @inline(__always)
    private func gradientVector(_ pointer: UnsafePointer<Float>, lanes: Int, mask: SIMDMask<SIMD8<Int32>>) -> SIMD8<Float> {
        if lanes == 8 { return UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self) }
        if gradientEnd - pointer >= 8 {
            return SIMD8<Float>().replacing(with: UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self), where: mask)
        }
        var values = SIMD8<Float>()
        for lane in 0..<lanes { values[lane] = pointer[lane] }
        return values
    }

    /// Sums s[t] = Σ_x gradient[x] · sources_t[pixelOffset(x)] (8 accumulators).
    private func oneChannelByEightTaps(
        gradient: UnsafePointer<Float>,
        sources: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
                  UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)
    ) -> [SIMD8<Float>] {
        var (s0, s1, s2, s3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var (s4, s5, s6, s7) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        let width = layout.outputSize[2]
        let mask = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .< SIMD8<Int32>(repeating: Int32(width % 8))
        for row in 0..<(layout.outputSize[0] * layout.outputSize[1]) {
            let rowOffset = layout.pixelOffset(row: row, column: 0)
            for first in stride(from: 0, to: width, by: 8) {
                let offset = rowOffset + first
                let g = gradientVector(gradient + row * width + first, lanes: min(8, width - first), mask: mask)
                s0 = multiplyAdd(s0, g, value(sources.0, offset)); s1 = multiplyAdd(s1, g, value(sources.1, offset))
                s2 = multiplyAdd(s2, g, value(sources.2, offset)); s3 = multiplyAdd(s3, g, value(sources.3, offset))
                s4 = multiplyAdd(s4, g, value(sources.4, offset)); s5 = multiplyAdd(s5, g, value(sources.5, offset))
                s6 = multiplyAdd(s6, g, value(sources.6, offset)); s7 = multiplyAdd(s7, g, value(sources.7, offset))
            }
        }
        return [s0, s1, s2, s3, s4, s5, s6, s7]
    }
}

/// Eight padded-image values at `source + offset` (the buffer's slack covers reads past a row).
@inline(__always)
private func value(_ source: UnsafePointer<Float>, _ offset: Int) -> SIMD8<Float> {
    UnsafeRawPointer(source + offset).loadUnaligned(as: SIMD8<Float>.self)
}

extension DirectChannelsConvolution {
    /// The weight gradient for the same geometries as the forward, as dot products over the positions of
    /// the padded width (see `DirectChannelsConvolution`):
    ///
    ///     dw[o, r] = Σ_n Σ_q dyFlat_n[o, q] · padded_n[kernelOffsets[r] + q]
    ///
    /// where dyFlat holds dy at q = oh·Wp + ow and zeros at the dropped columns ow >= Wo. Register block:
    /// 4 output channels x 3 taps = 12 SIMD8 accumulators; per 8 positions 4 aligned dy loads, 3 unaligned
    /// input loads, 12 FMAs; the lanes are summed at the end of each image. Chunks are (image group,
    /// group); each image group sums its images in order into its own partial result, and the partials are
    /// added in image-group order, so the result does not depend on the threads.
    static func backwardWeight(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        weightGradient: UnsafeMutablePointer<Float>
    ) {
        let layout = ConvolutionLayout(geometry)
        let weightCount = geometry.weightElementCount
        let images = PaddedImages(layout: layout)
        let kernelOffsets = layout.kernelOffsets(channels: 0..<layout.inputChannelsPerGroup)
        let (outputHeight, outputWidth, paddedWidth) = (layout.outputSize[1], layout.outputSize[2], layout.paddedSize[2])
        let span = ((outputHeight - 1) * paddedWidth + outputWidth + 7) / 8 * 8
        let blocks = (layout.outputChannelsPerGroup + 3) / 4
        let imageGroups = layout.multiplyAdds < GEMMTiling.minimumParallelWork
            ? 1 : min(layout.batch, max(1, ConvolutionLayout.targetChunks / layout.groups))
        let imageBoundaries = GEMMTiling.boundaries(layout.batch, tiles: imageGroups, multiple: 1)
        let tables = PaddingTables.forEachShift(layout)
        let channelsPerGroup = layout.inputChannelsPerGroup
        ScratchPool.withScratch(Float.self, count: imageGroups * weightCount) { partials in
            kernelOffsets.withUnsafeBufferPointer { kernelOffsets in
                // Chunks are (image group, group); each pads one image at a time into its own scratch buffer,
                // which stays in cache while every block of 4 output channels reads it.
                layout.forEachChunk(imageGroups * layout.groups) { chunk in
                    let group = chunk % layout.groups
                    let imageGroup = chunk / layout.groups
                    ScratchPool.withScratch(Float.self, count: images.imageCount(channels: channelsPerGroup) + 4 * span) { buffer in
                        let (source, flat) = (buffer, buffer + images.imageCount(channels: channelsPerGroup))
                        flat.update(repeating: 0, count: 4 * span)
                        for image in imageBoundaries[imageGroup]..<imageBoundaries[imageGroup + 1] {
                            images.fillImage(image, channels: group * channelsPerGroup..<(group + 1) * channelsPerGroup,
                                             tables: tables, from: input, into: source)
                            for block in 0..<blocks {
                                let firstChannel = group * layout.outputChannelsPerGroup + 4 * block
                                let channels = min(4, layout.outputChannelsPerGroup - 4 * block)
                                for channel in 0..<channels {
                                    let plane = outputGradient + (image * layout.outputChannels + firstChannel + channel) * layout.outputPlane
                                    for row in 0..<outputHeight {
                                        copyElements(from: plane + row * outputWidth, to: flat + channel * span + row * paddedWidth, count: outputWidth)
                                    }
                                }
                                accumulate(layout, flat: flat, span: span, channels: channels, kernelOffsets: kernelOffsets.baseAddress!,
                                           source: source, into: partials + imageGroup * weightCount + firstChannel * layout.columnRows,
                                           overwrite: image == imageBoundaries[imageGroup])
                            }
                        }
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

    /// One image: partial[k, r] (+)= Σ_q flat[k·span + q] · source[kernelOffsets[r] + q] for the first
    /// `channels` of 4 rows of `flat` (the others are zero and their sums dropped), 3 taps at a time.
    private static func accumulate(
        _ layout: ConvolutionLayout, flat: UnsafePointer<Float>, span: Int, channels: Int, kernelOffsets: UnsafePointer<Int>,
        source: UnsafePointer<Float>, into partial: UnsafeMutablePointer<Float>, overwrite: Bool
    ) {
        let taps = layout.columnRows
        for firstTap in stride(from: 0, to: taps, by: 3) {
            // Missing taps of the last triple repeat the first one; their sums are dropped.
            let t0 = UnsafeRawPointer(source + kernelOffsets[firstTap])
            let t1 = UnsafeRawPointer(source + kernelOffsets[firstTap + 1 < taps ? firstTap + 1 : firstTap])
            let t2 = UnsafeRawPointer(source + kernelOffsets[firstTap + 2 < taps ? firstTap + 2 : firstTap])
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>()
            var b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>()
            var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>()
            var d0 = SIMD8<Float>(), d1 = SIMD8<Float>(), d2 = SIMD8<Float>()
            // Five running pointers, no index arithmetic in the loop (it kept the offsets in registers).
            var (g, x) = (UnsafeRawPointer(flat), 0)
            let rowBytes = 4 * span
            while x < span {
                let x0 = t0.loadUnaligned(fromByteOffset: 4 &* x, as: SIMD8<Float>.self)
                let x1 = t1.loadUnaligned(fromByteOffset: 4 &* x, as: SIMD8<Float>.self)
                let x2 = t2.loadUnaligned(fromByteOffset: 4 &* x, as: SIMD8<Float>.self)
                let ga = g.loadUnaligned(as: SIMD8<Float>.self)
                a0 = multiplyAdd(a0, ga, x0); a1 = multiplyAdd(a1, ga, x1); a2 = multiplyAdd(a2, ga, x2)
                let gb = g.loadUnaligned(fromByteOffset: rowBytes, as: SIMD8<Float>.self)
                b0 = multiplyAdd(b0, gb, x0); b1 = multiplyAdd(b1, gb, x1); b2 = multiplyAdd(b2, gb, x2)
                let gc = g.loadUnaligned(fromByteOffset: 2 &* rowBytes, as: SIMD8<Float>.self)
                c0 = multiplyAdd(c0, gc, x0); c1 = multiplyAdd(c1, gc, x1); c2 = multiplyAdd(c2, gc, x2)
                let gd = g.loadUnaligned(fromByteOffset: 3 &* rowBytes, as: SIMD8<Float>.self)
                d0 = multiplyAdd(d0, gd, x0); d1 = multiplyAdd(d1, gd, x1); d2 = multiplyAdd(d2, gd, x2)
                g += 32
                x &+= 8
            }
            func emit(_ k: Int, _ t: Int, _ s: SIMD8<Float>) {
                guard k < channels, firstTap + t < taps else { return }
                let target = partial + k * taps + firstTap + t
                target.pointee = overwrite ? s.sum() : target.pointee + s.sum()
            }
            emit(0, 0, a0); emit(0, 1, a1); emit(0, 2, a2); emit(1, 0, b0); emit(1, 1, b1); emit(1, 2, b2)
            emit(2, 0, c0); emit(2, 1, c1); emit(2, 2, c2); emit(3, 0, d0); emit(3, 1, d1); emit(3, 2, d2)
        }
    }
}

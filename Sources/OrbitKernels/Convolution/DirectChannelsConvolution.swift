import Foundation

// Direct single-precision convolution for few channels (4 to 16 output and at most 16 input channels per
// group), 1-D and 2-D, unit strides: the hidden convolutions of small FERNNs and G-RNNs (hidden 8-16),
// where Winograd's transforms and a GEMM of depth 8-16 cost as much as the arithmetic they save. The
// input gradient reaches it through the flipped convolution; the weight gradient is in
// `DirectChannelsWeight.swift`. Measured by instruction counts (callgrind, one thread, forward + both
// gradients of 72 images at 28 x 28): 8 channels 92 M against 133 M for the implicit GEMM; 16 channels
// about even with Winograd F(4x4, 3x3); 32 channels 1.7x Winograd's, hence the limit of 16. Its rounding
// error is that of a plain dot product (Winograd's bound is ~75x larger).
//
// Output pixels are computed over the *padded* width: position q = oh·Wp + ow for ow < Wp, so 24
// consecutive positions are 24 consecutive padded elements, and every kernel tap r is one unaligned
// vector load at padded[kernelOffsets[r] + q] (circular padding and the flow shift are already in the
// padded planes). Positions with ow >= Wo are computed and dropped (Wp / Wo extra work: 7% at 28 + 2).
// Each chunk pads its own image into a scratch buffer (`PaddedImages.fillImage`) that is still in cache
// when the taps read it; padding the whole batch first was 11% of a FERNN-V1 hidden-16 step (perf).
// Register block: 4 output channels x 24 positions = 12 SIMD8 accumulators; per tap 3 loads, 4
// broadcasts from the repacked weights, 12 FMAs. Each output sums its taps in the order (c, kh, kw),
// one rounding per FMA: the error bound of a plain dot product of length C_in·kH·kW.
enum DirectChannelsConvolution {
    static let maximumChannels = 16
    static let minimumOutputChannels = 4
    /// `ORBIT_DIRECT_CHANNELS=0` turns the route off (to compare it with Winograd and the implicit GEMM).
    static let isEnabled = ProcessInfo.processInfo.environment["ORBIT_DIRECT_CHANNELS"] != "0"
    /// Positions per chunk: whole 24-position blocks, at most a 2-D plane of ~2k pixels.
    static let positionsPerChunk = 24 * 84

    static func applies(_ layout: ConvolutionLayout) -> Bool {
        isEnabled && layout.stride == [1, 1, 1] && layout.inputSize[0] == 1 && layout.kernelSize[0] == 1
            && layout.padding[0] == 0 && layout.outputSize[0] == 1
            && layout.inputChannelsPerGroup <= maximumChannels
            && (minimumOutputChannels...maximumChannels).contains(layout.outputChannelsPerGroup)
            && layout.batch > 0 && layout.outputPlane > 0 && layout.columnRows > 0
            // Reads past a plane's last position stay within the padded buffer's slack.
            && 24 <= PaddedImages.slack
    }

    static func forward(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) {
        let layout = ConvolutionLayout(geometry)
        let images = PaddedImages(layout: layout)
        let kernelOffsets = layout.kernelOffsets(channels: 0..<layout.inputChannelsPerGroup)
        let (outputHeight, outputWidth, paddedWidth) = (layout.outputSize[1], layout.outputSize[2], layout.paddedSize[2])
        let positions = (outputHeight - 1) * paddedWidth + outputWidth
        let depth = layout.columnRows
        let blocks = (layout.outputChannelsPerGroup + 3) / 4
        // Weights repacked per group and block of 4 output channels as [r][4] (missing channels zero).
        var packed = [Float](repeating: 0, count: layout.groups * blocks * depth * 4)
        for group in 0..<layout.groups {
            for o in 0..<layout.outputChannelsPerGroup {
                let source = weight + (group * layout.outputChannelsPerGroup + o) * depth
                let target = ((group * blocks + o / 4) * depth) * 4 + o % 4
                for r in 0..<depth { packed[target + 4 * r] = source[r] }
            }
        }
        // Chunks are (image, group, share of the output-channel blocks): each pads its own image into a
        // scratch buffer that stays in cache for the taps' loads. An image's blocks are split into shares
        // only when there are too few images to give every thread work (each share pads the image again).
        let imageCount = layout.batch * layout.groups
        let shares = min(blocks, max(1, (ConvolutionLayout.targetChunks + imageCount - 1) / imageCount))
        let tables = PaddingTables.forEachShift(layout)
        kernelOffsets.withUnsafeBufferPointer { kernelOffsets in
            packed.withUnsafeBufferPointer { packed in
                layout.forEachChunk(imageCount * shares) { chunk in
                    let share = chunk % shares
                    let group = (chunk / shares) % layout.groups
                    let image = chunk / (shares * layout.groups)
                    let channelsPerGroup = layout.inputChannelsPerGroup
                    ScratchPool.withScratch(Float.self, count: images.imageCount(channels: channelsPerGroup)) { source in
                        images.fillImage(image, channels: group * channelsPerGroup..<(group + 1) * channelsPerGroup,
                                         tables: tables, from: input, into: source)
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * positionsPerChunk) { sums in
                            let sums = sums.baseAddress!
                            for block in (share * blocks / shares)..<((share + 1) * blocks / shares) {
                                let firstChannel = group * layout.outputChannelsPerGroup + 4 * block
                                let channels = min(4, layout.outputChannelsPerGroup - 4 * block)
                                let weights = packed.baseAddress! + (group * blocks + block) * depth * 4
                                for start in stride(from: 0, to: positions, by: positionsPerChunk) {
                                    let end = min(positions, start + positionsPerChunk)
                                    let span = (end - start + 23) / 24 * 24
                                    for q in stride(from: start, to: end, by: 24) {
                                        blockSums(depth: depth, weights: weights, kernelOffsets: kernelOffsets.baseAddress!,
                                                  source: source + q, into: sums + (q - start), stride: span)
                                    }
                                    // Copy the valid columns of each padded-width row into the output planes.
                                    for channel in 0..<channels {
                                        let plane = output + (image * layout.outputChannels + firstChannel + channel) * layout.outputPlane
                                        var row = start / paddedWidth
                                        while row * paddedWidth < end {
                                            let from = max(start, row * paddedWidth), to = min(end, row * paddedWidth + outputWidth)
                                            if from < to {
                                                copyElements(from: sums + channel * span + (from - start),
                                                             to: plane + row * outputWidth + (from - row * paddedWidth), count: to - from)
                                            }
                                            row += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// 4 output channels x 24 positions: sums[k·stride + j] = Σ_r weights[4r + k] · source[kernelOffsets[r] + j].
    @inline(__always)
    private static func blockSums(depth: Int, weights: UnsafePointer<Float>, kernelOffsets: UnsafePointer<Int>,
                                  source: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Float>, stride: Int) {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>()
        var b0 = SIMD8<Float>(), b1 = SIMD8<Float>(), b2 = SIMD8<Float>()
        var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>()
        var d0 = SIMD8<Float>(), d1 = SIMD8<Float>(), d2 = SIMD8<Float>()
        for r in 0..<depth {
            let pointer = UnsafeRawPointer(source + kernelOffsets[r])
            let x0 = pointer.loadUnaligned(as: SIMD8<Float>.self)
            let x1 = pointer.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let x2 = pointer.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            let w = weights + 4 * r
            let wa = SIMD8<Float>(repeating: w[0]), wb = SIMD8<Float>(repeating: w[1])
            a0 = multiplyAdd(a0, wa, x0); a1 = multiplyAdd(a1, wa, x1); a2 = multiplyAdd(a2, wa, x2)
            b0 = multiplyAdd(b0, wb, x0); b1 = multiplyAdd(b1, wb, x1); b2 = multiplyAdd(b2, wb, x2)
            let wc = SIMD8<Float>(repeating: w[2]), wd = SIMD8<Float>(repeating: w[3])
            c0 = multiplyAdd(c0, wc, x0); c1 = multiplyAdd(c1, wc, x1); c2 = multiplyAdd(c2, wc, x2)
            d0 = multiplyAdd(d0, wd, x0); d1 = multiplyAdd(d1, wd, x1); d2 = multiplyAdd(d2, wd, x2)
        }
        func put(_ v: SIMD8<Float>, _ k: Int, _ j: Int) {
            UnsafeMutableRawPointer(sums + k * stride + 8 * j).storeBytes(of: v, as: SIMD8<Float>.self)
        }
        put(a0, 0, 0); put(a1, 0, 1); put(a2, 0, 2); put(b0, 1, 0); put(b1, 1, 1); put(b2, 1, 2)
        put(c0, 2, 0); put(c1, 2, 1); put(c2, 2, 2); put(d0, 3, 0); put(d1, 3, 1); put(d2, 3, 2)
    }
}

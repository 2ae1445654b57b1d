// Direct single-precision kernels for convolutions with very few channels on one side, where a GEMM
// tile would be mostly padding (one output channel fills one row of a 6 x 16 tile; a weight gradient
// with one output channel fills one column of 16). Both read the padded images in place (no packing)
// and need a unit last stride, so output pixels along W are contiguous in the padded plane:
//
// - forward with at most 3 output channels per group (`DirectConvolution.swift`);
// - weight gradient with at most 3 output channels per group, as dot products over the pixels
//   (`DirectConvolutionWeight.swift`).

enum DirectConvolution {
    /// Output channels per group up to which the forward runs directly.
    static let maximumOutputChannels = 3
    static func appliesToForward(_ layout: ConvolutionLayout) -> Bool {
        layout.stride[2] == 1 && layout.outputChannelsPerGroup <= maximumOutputChannels
    }

    static func appliesToWeightGradient(_ layout: ConvolutionLayout) -> Bool {
        layout.stride[2] == 1 && layout.outputChannelsPerGroup <= maximumOutputChannels
    }

    /// The forward pass, output channel by output channel:
    /// y[n, o, row, x ..< x + 32] = Σ_r w[o, r] · padded[kernelOffsets[r] + pixelOffset(row, x ..< x + 32)],
    /// three output rows by 32 pixels (12 vector accumulators) at a time. Chunks are (image, group,
    /// block of output rows); each output element is written by one chunk.
    static func forward(
        _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) {
        let layout = ConvolutionLayout(geometry)
        let images = PaddedImages(layout: layout)
        let kernelOffsets = layout.kernelOffsets(channels: 0..<layout.inputChannelsPerGroup)
        let outputRows = layout.outputSize[0] * layout.outputSize[1]
        let imagesTimesGroups = layout.batch * layout.groups
        let rowBlocks = min(outputRows, max(1, ConvolutionLayout.targetChunks / imagesTimesGroups))
        ScratchPool.withScratch(Float.self, count: images.count) { buffer in
            let padded = images.fill(from: input, into: buffer)
            kernelOffsets.withUnsafeBufferPointer { kernelOffsets in
                layout.forEachChunk(imagesTimesGroups * rowBlocks) { chunk in
                    let block = chunk % rowBlocks
                    let group = (chunk / rowBlocks) % layout.groups
                    let image = chunk / (rowBlocks * layout.groups)
                    let rows = (block * outputRows / rowBlocks)..<((block + 1) * outputRows / rowBlocks)
                    let source = padded + image * images.imageStride
                        + group * layout.inputChannelsPerGroup * layout.paddedPlane
                    for channel in 0..<layout.outputChannelsPerGroup {
                        let o = group * layout.outputChannelsPerGroup + channel
                        forwardChannel(
                            layout, rows: rows, source: source, kernelOffsets: kernelOffsets.baseAddress!,
                            weights: weight + o * layout.columnRows,
                            output: output + (image * layout.outputChannels + o) * layout.outputPlane)
                    }
                }
            }
        }
    }

    /// One output channel over output rows `rows` (flattened (od, oh)) of one image and group.
    private static func forwardChannel(
        _ layout: ConvolutionLayout, rows: Range<Int>, source: UnsafePointer<Float>,
        kernelOffsets: UnsafePointer<Int>, weights: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        let outputWidth = layout.outputSize[2]
        for first in stride(from: 0, to: outputWidth, by: 32) {
            let lanes = min(32, outputWidth - first)
            for row in stride(from: rows.lowerBound, to: rows.upperBound, by: 3) {
                let validRows = min(3, rows.upperBound - row)
                // Missing rows of the last triple repeat the first one; their sums are dropped.
                func sourceRow(_ h: Int) -> UnsafePointer<Float> {
                    source + layout.pixelOffset(row: h < validRows ? row + h : row, column: first)
                }
                let sums = sumsOverDepth(
                    depth: layout.columnRows, weights: weights, kernelOffsets: kernelOffsets,
                    rows: (sourceRow(0), sourceRow(1), sourceRow(2)))
                for h in 0..<validRows {
                    let target = output + (row + h) * outputWidth + first
                    store(h == 0 ? sums.0 : h == 1 ? sums.1 : sums.2, lanes: lanes, to: target)
                }
            }
        }
    }

    /// Three rows x four vectors of Σ_r weights[r] · row[kernelOffsets[r] + 8v ..< + 8]: per depth step
    /// one broadcast, twelve loads from L1 and twelve FMAs.
    @inline(__always)
    private static func sumsOverDepth(
        depth: Int, weights: UnsafePointer<Float>, kernelOffsets: UnsafePointer<Int>,
        rows: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)
    ) -> (RowSums, RowSums, RowSums) {
        var a = RowSums(), b = RowSums(), c = RowSums()
        for r in 0..<depth {
            let weight = SIMD8<Float>(repeating: weights[r])
            let offset = kernelOffsets[r]
            a.add(weight, UnsafeRawPointer(rows.0 + offset))
            b.add(weight, UnsafeRawPointer(rows.1 + offset))
            c.add(weight, UnsafeRawPointer(rows.2 + offset))
        }
        return (a, b, c)
    }

    /// Writes the first `lanes` of 32 sums (whole vectors where possible).
    private static func store(_ sums: RowSums, lanes: Int, to target: UnsafeMutablePointer<Float>) {
        for v in 0..<4 where 8 * v < lanes {
            let vector = sums[v]
            if lanes - 8 * v >= 8 {
                UnsafeMutableRawPointer(target + 8 * v).storeBytes(of: vector, as: SIMD8<Float>.self)
            } else {
                for lane in 0..<(lanes - 8 * v) { target[8 * v + lane] = vector[lane] }
            }
        }
    }
}

/// Four vector accumulators: 32 consecutive output pixels of one row.
struct RowSums {
    var v0 = SIMD8<Float>(), v1 = SIMD8<Float>(), v2 = SIMD8<Float>(), v3 = SIMD8<Float>()

    @inline(__always)
    mutating func add(_ weight: SIMD8<Float>, _ source: UnsafeRawPointer) {
        v0 = multiplyAdd(v0, weight, source.loadUnaligned(as: SIMD8<Float>.self))
        v1 = multiplyAdd(v1, weight, source.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
        v2 = multiplyAdd(v2, weight, source.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
        v3 = multiplyAdd(v3, weight, source.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
    }

    subscript(index: Int) -> SIMD8<Float> {
        switch index {
        case 0: v0
        case 1: v1
        case 2: v2
        default: v3
        }
    }
}

extension ConvolutionLayout {
    /// Padded-plane offset of output pixel (row, column), row = od·oH + oh flattened.
    func pixelOffset(row: Int, column: Int) -> Int {
        let (od, oh) = (row / outputSize[1], row % outputSize[1])
        return (od * stride[0] * paddedSize[1] + oh * stride[1]) * paddedSize[2] + column * stride[2]
    }
}

/// A convolution geometry normalised to three spatial axes (D, H, W), so every loop is written once
/// for ranks 1, 2 and 3: a rank-1 geometry becomes 1 x 1 x W with unit kernel, stride and dilation
/// and no padding on the leading axes.
///
/// Kernels read the input through a *padded image*: every channel plane copied into a
/// (D + 2pD) x (H + 2pH) x (W + 2pW) buffer whose border holds zeros or the wrapped-around input.
/// Then the input value under kernel tap (c, kd, kh, kw) at output pixel (od, oh, ow) sits at
///
///     kernelOffset(c, kd, kh, kw) + pixelOffset(od, oh, ow)
///     kernelOffset = c·plane + kd·dD·Hp·Wp + kh·dH·Wp + kw·dW,   pixelOffset = od·sD·Hp·Wp + oh·sH·Wp + ow·sW
///
/// with no bounds checks and no wrapping in any inner loop: the im2col matrix of the GEMM
/// formulation is the sum of a row table and a column table.
struct ConvolutionLayout {
    let batch: Int
    let groups: Int
    let inputChannelsPerGroup: Int
    let outputChannelsPerGroup: Int
    let inputSize: [Int]
    let outputSize: [Int]
    let kernelSize: [Int]
    let stride: [Int]
    let padding: [Int]
    let dilation: [Int]
    let paddedSize: [Int]
    let circular: Bool
    /// Per shift class (image n uses class n % count), the cyclic shift per axis (D, H, W); [[0, 0, 0]]
    /// when the geometry has none.
    let shifts: [[Int]]

    init(_ geometry: ConvolutionGeometry) {
        let missing = 3 - geometry.inputSize.count
        func normalised(_ values: [Int], filler: Int) -> [Int] {
            [Int](repeating: filler, count: missing) + values
        }
        batch = geometry.batch
        groups = geometry.groups
        inputChannelsPerGroup = geometry.inputChannels / geometry.groups
        outputChannelsPerGroup = geometry.outputChannels / geometry.groups
        let inputSize = normalised(geometry.inputSize, filler: 1)
        let padding = normalised(geometry.padding, filler: 0)
        self.inputSize = inputSize
        self.padding = padding
        outputSize = normalised(geometry.outputSize, filler: 1)
        kernelSize = normalised(geometry.kernelSize, filler: 1)
        stride = normalised(geometry.stride, filler: 1)
        dilation = normalised(geometry.dilation, filler: 1)
        paddedSize = (0..<3).map { inputSize[$0] + 2 * padding[$0] }
        circular = geometry.paddingMode == .circular
        shifts = geometry.inputShifts.isEmpty ? [[0, 0, 0]] : geometry.inputShifts.map { normalised($0, filler: 0) }
    }

    var inputChannels: Int { inputChannelsPerGroup * groups }
    var outputChannels: Int { outputChannelsPerGroup * groups }
    var inputPlane: Int { inputSize[0] * inputSize[1] * inputSize[2] }
    var outputPlane: Int { outputSize[0] * outputSize[1] * outputSize[2] }
    var paddedPlane: Int { paddedSize[0] * paddedSize[1] * paddedSize[2] }
    var kernelVolume: Int { kernelSize[0] * kernelSize[1] * kernelSize[2] }
    /// Rows of one group's im2col matrix, the GEMM depth of the forward pass: (C_in / groups)·ΠK.
    var columnRows: Int { inputChannelsPerGroup * kernelVolume }
    /// Multiply-adds of one forward pass.
    var multiplyAdds: Int { batch * outputChannels * columnRows * outputPlane }

    /// Padded-image offsets of the im2col rows of `channels` (relative to the first of them), in
    /// row order (c, kd, kh, kw).
    func kernelOffsets(channels: Range<Int>) -> [Int] {
        let rowStride = paddedSize[2]
        let sliceStride = paddedSize[1] * paddedSize[2]
        var offsets: [Int] = []
        offsets.reserveCapacity(channels.count * kernelVolume)
        for channel in channels {
            for kd in 0..<kernelSize[0] {
                for kh in 0..<kernelSize[1] {
                    for kw in 0..<kernelSize[2] {
                        offsets.append(
                            (channel - channels.lowerBound) * paddedPlane + kd * dilation[0] * sliceStride
                                + kh * dilation[1] * rowStride + kw * dilation[2])
                    }
                }
            }
        }
        return offsets
    }

    /// Source index along `axis` of padded coordinate `position` for an input rolled by `shift`, or nil
    /// for a zero-padding position. Circular padding wraps with a true modulo, so any padding up to the
    /// input size is exact; the roll wraps inside the image in both modes.
    func sourceIndex(axis: Int, position: Int, shift: Int) -> Int? {
        let index = position - padding[axis]
        let size = inputSize[axis]
        guard circular || (0..<size).contains(index) else { return nil }
        return (((index - shift) % size) + size) % size
    }
}

/// Walks the output pixels of a batch in order (image, od, oh, ow), tracking each pixel's offset in
/// a padded-image buffer; advancing costs a few additions instead of three divisions.
struct PixelCursor {
    private let outputWidth: Int, outputHeight: Int, outputDepth: Int
    /// Offset steps when ow, oh, od or the image advance by one (after the inner axes wrap).
    private let stepW: Int, stepH: Int, stepD: Int, stepImage: Int
    private var ow: Int, oh: Int, od: Int
    private(set) var offset: Int

    /// Starts at column `column` of the batched im2col matrix (image `column / outputPlane`);
    /// images are `imageStride` apart in the padded buffer.
    init(_ layout: ConvolutionLayout, column: Int, imageStride: Int) {
        let outputSize = layout.outputSize
        (outputDepth, outputHeight, outputWidth) = (outputSize[0], outputSize[1], outputSize[2])
        let rowStride = layout.paddedSize[2]
        let sliceStride = layout.paddedSize[1] * layout.paddedSize[2]
        let image = column / layout.outputPlane
        let pixel = column % layout.outputPlane
        od = pixel / (outputSize[1] * outputSize[2])
        oh = (pixel / outputSize[2]) % outputSize[1]
        ow = pixel % outputSize[2]
        let strideW = layout.stride[2]
        let strideH = layout.stride[1] * rowStride
        let strideD = layout.stride[0] * sliceStride
        stepW = strideW
        stepH = strideH - outputSize[2] * strideW
        stepD = strideD - outputSize[1] * strideH
        stepImage = imageStride - outputSize[0] * strideD
        offset = image * imageStride + od * strideD + oh * strideH + ow * strideW
    }

    mutating func advance() {
        ow += 1
        offset += stepW
        guard ow == outputWidth else { return }
        ow = 0
        oh += 1
        offset += stepH
        guard oh == outputHeight else { return }
        oh = 0
        od += 1
        offset += stepD
        guard od == outputDepth else { return }
        od = 0
        offset += stepImage
    }
}

extension ConvolutionLayout {
    /// Runs `body` for every chunk, in parallel unless the whole convolution is too small to repay
    /// waking a thread. Chunk boundaries are the caller's and depend on the geometry only.
    func forEachChunk(_ count: Int, _ body: (Int) -> Void) {
        if multiplyAdds < GEMMTiling.minimumParallelWork {
            for chunk in 0..<count { body(chunk) }
        } else {
            Parallel.forEachChunk(count, body)
        }
    }

    /// Chunks a convolution pass aims for: enough for two threads to finish together even when
    /// chunks differ a little in cost, few enough that per-chunk packing stays negligible.
    static let targetChunks = 8
}

/// A batch of images as padded planes (see `ConvolutionLayout`): N x C_in x (D + 2pD)(H + 2pH)(W + 2pW),
/// after `slack` spare elements and followed by `slack` more, so packing may load whole vectors that
/// start before or end after the data (the extra lanes are discarded, never used).
struct PaddedImages {
    static let slack = 64
    let layout: ConvolutionLayout

    /// Distance between consecutive images.
    var imageStride: Int { layout.inputChannels * layout.paddedPlane }
    /// Elements to allocate, slack included.
    var count: Int { 2 * PaddedImages.slack + layout.batch * imageStride }

    /// Copies `input` (N x C_in x D x H x W) into `buffer`, writing the border as zeros or as the
    /// wrapped-around input; returns the address of the first padded image. Planes run in parallel.
    func fill<Scalar: BinaryFloatingPoint>(
        from input: UnsafePointer<Scalar>, into buffer: UnsafeMutablePointer<Scalar>
    ) -> UnsafeMutablePointer<Scalar> {
        let padded = buffer + PaddedImages.slack
        buffer.update(repeating: 0, count: PaddedImages.slack)
        (padded + layout.batch * imageStride).update(repeating: 0, count: PaddedImages.slack)
        let planes = layout.batch * layout.inputChannels
        let layout = layout
        let tables = PaddingTables(layout)
        let grain = Parallel.grain(costPerElement: layout.paddedPlane, work: 1 << 16)
        Parallel.forEachRange(planes, grain: grain) { range in
            for plane in range {
                tables.padPlane(
                    layout, from: input + plane * layout.inputPlane, into: padded + plane * layout.paddedPlane)
            }
        }
        return padded
    }
}

/// Per-axis maps from padded coordinate to input coordinate (-1 for a zero position), built once
/// per call with the layout's true-modulo wrapping.
struct PaddingTables {
    let depth: [Int], height: [Int], width: [Int]

    init(_ layout: ConvolutionLayout) {
        func table(_ axis: Int) -> [Int] {
            (0..<layout.paddedSize[axis]).map { layout.sourceIndex(axis: axis, position: $0) ?? -1 }
        }
        depth = table(0)
        height = table(1)
        width = table(2)
    }

    /// One channel plane: input D x H x W at `source` into padded Dp x Hp x Wp at `target`.
    func padPlane<Scalar: BinaryFloatingPoint>(
        _ layout: ConvolutionLayout, from source: UnsafePointer<Scalar>, into target: UnsafeMutablePointer<Scalar>
    ) {
        let (inputHeight, inputWidth) = (layout.inputSize[1], layout.inputSize[2])
        let paddedWidth = layout.paddedSize[2]
        let leftPadding = layout.padding[2]
        var row = target
        for sourceDepth in depth {
            for sourceHeight in height {
                if sourceDepth < 0 || sourceHeight < 0 {
                    for position in 0..<paddedWidth { row[position] = 0 }
                } else {
                    let sourceRow = source + (sourceDepth * inputHeight + sourceHeight) * inputWidth
                    // Border by table (zeros or wrapped values), interior as one contiguous copy.
                    for position in 0..<leftPadding {
                        row[position] = width[position] < 0 ? 0 : sourceRow[width[position]]
                    }
                    copyElements(from: sourceRow, to: row + leftPadding, count: inputWidth)
                    for position in (leftPadding + inputWidth)..<paddedWidth {
                        row[position] = width[position] < 0 ? 0 : sourceRow[width[position]]
                    }
                }
                row += paddedWidth
            }
        }
    }

    /// The adjoint of `padPlane`: every padded position's gradient is added to the input position it
    /// was read from (zero positions are dropped). Overwrites `target`; positions are visited in
    /// padded order, so the summation order is fixed.
    func foldPlane<Scalar: BinaryFloatingPoint>(
        _ layout: ConvolutionLayout, from source: UnsafePointer<Scalar>, into target: UnsafeMutablePointer<Scalar>
    ) {
        let (inputHeight, inputWidth) = (layout.inputSize[1], layout.inputSize[2])
        let paddedWidth = layout.paddedSize[2]
        let leftPadding = layout.padding[2]
        if !layout.circular {
            // Zero padding reads every input position exactly once: the fold is a copy of the interior.
            for d in 0..<layout.inputSize[0] {
                for h in 0..<inputHeight {
                    let paddedRow = source
                        + ((d + layout.padding[0]) * layout.paddedSize[1] + h + layout.padding[1]) * paddedWidth
                    copyElements(
                        from: paddedRow + leftPadding, to: target + (d * inputHeight + h) * inputWidth, count: inputWidth)
                }
            }
            return
        }
        target.update(repeating: 0, count: layout.inputPlane)
        var row = source
        for sourceDepth in depth {
            for sourceHeight in height {
                let targetRow = target + (sourceDepth * inputHeight + sourceHeight) * inputWidth
                for position in 0..<leftPadding { targetRow[width[position]] += row[position] }
                let interior = row + leftPadding
                for w in 0..<inputWidth { targetRow[w] += interior[w] }
                for position in (leftPadding + inputWidth)..<paddedWidth { targetRow[width[position]] += row[position] }
                row += paddedWidth
            }
        }
    }
}

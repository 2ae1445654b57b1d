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
        let tables = PaddingTables.forEachShift(layout)
        let grain = Parallel.grain(costPerElement: layout.paddedPlane, work: 1 << 16)
        Parallel.forEachRange(planes, grain: grain) { range in
            for plane in range {
                tables[(plane / layout.inputChannels) % tables.count].padPlane(
                    layout, from: input + plane * layout.inputPlane, into: padded + plane * layout.paddedPlane)
            }
        }
        return padded
    }

    /// Elements for one image's `channels` planes padded alone, with `slack` zeros after them.
    func imageCount(channels: Int) -> Int { channels * layout.paddedPlane + PaddedImages.slack }

    /// Pads the `channels` planes of one image into `target` (planes back to back, then `slack` zeros):
    /// `fill` for a kernel that pads each image inside its own chunk, so the padded planes are still in
    /// cache when it reads them. `tables` is `PaddingTables.forEachShift(layout)`.
    func fillImage<Scalar: BinaryFloatingPoint>(
        _ image: Int, channels: Range<Int>, tables: [PaddingTables], from input: UnsafePointer<Scalar>,
        into target: UnsafeMutablePointer<Scalar>
    ) {
        let table = tables[image % tables.count]
        for (index, channel) in channels.enumerated() {
            table.padPlane(layout, from: input + (image * layout.inputChannels + channel) * layout.inputPlane,
                           into: target + index * layout.paddedPlane)
        }
        (target + channels.count * layout.paddedPlane).update(repeating: 0, count: PaddedImages.slack)
    }
}

/// Per-axis maps from padded coordinate to input coordinate (-1 for a zero position), built once
/// per call with the layout's true-modulo wrapping and one input shift. A padded row is copied as a
/// few runs: the width map cut into pieces that read consecutive input (or zeros).
struct PaddingTables {
    let depth: [Int], height: [Int], width: [Int]
    /// The width map as runs: `count` padded positions from `target` read input from `source` on (-1: zeros).
    let widthRuns: [(target: Int, source: Int, count: Int)]

    init(_ layout: ConvolutionLayout, shift: [Int]) {
        func table(_ axis: Int) -> [Int] {
            (0..<layout.paddedSize[axis]).map { layout.sourceIndex(axis: axis, position: $0, shift: shift[axis]) ?? -1 }
        }
        depth = table(0)
        height = table(1)
        width = table(2)
        var runs: [(target: Int, source: Int, count: Int)] = []
        for (position, source) in width.enumerated() {
            if let last = runs.last, (last.source < 0 && source < 0) || (last.source >= 0 && source == last.source + last.count) {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((position, source, 1))
            }
        }
        widthRuns = runs
    }

    /// One table per shift class of the layout.
    static func forEachShift(_ layout: ConvolutionLayout) -> [PaddingTables] {
        layout.shifts.map { PaddingTables(layout, shift: $0) }
    }

    /// One channel plane: input D x H x W at `source` into padded Dp x Hp x Wp at `target`.
    func padPlane<Scalar: BinaryFloatingPoint>(
        _ layout: ConvolutionLayout, from source: UnsafePointer<Scalar>, into target: UnsafeMutablePointer<Scalar>
    ) {
        let (inputHeight, inputWidth) = (layout.inputSize[1], layout.inputSize[2])
        let paddedWidth = layout.paddedSize[2]
        var row = target
        for sourceDepth in depth {
            for sourceHeight in height {
                if sourceDepth < 0 || sourceHeight < 0 {
                    for position in 0..<paddedWidth { row[position] = 0 }
                } else {
                    let sourceRow = source + (sourceDepth * inputHeight + sourceHeight) * inputWidth
                    for run in widthRuns {
                        if run.source < 0 {
                            for position in run.target..<(run.target + run.count) { row[position] = 0 }
                        } else {
                            copyElements(from: sourceRow + run.source, to: row + run.target, count: run.count)
                        }
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
        let unshifted = widthRuns.contains { $0.target == layout.padding[2] && $0.source == 0 && $0.count == inputWidth }
            && height[layout.padding[1]] == 0 && depth[layout.padding[0]] == 0
        if !layout.circular && unshifted {
            // Zero padding without a shift reads every input position once, in place: the fold is a copy.
            let leftPadding = layout.padding[2]
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
                if sourceDepth >= 0 && sourceHeight >= 0 {
                    let targetRow = target + (sourceDepth * inputHeight + sourceHeight) * inputWidth
                    for run in widthRuns where run.source >= 0 {
                        for offset in 0..<run.count { targetRow[run.source + offset] += row[run.target + offset] }
                    }
                }
                row += paddedWidth
            }
        }
    }
}

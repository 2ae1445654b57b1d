/// The im2col matrix of one group as a GEMM right operand, never materialised ("implicit GEMM").
///
/// Row r = (c, kd, kh, kw) of C_in/groups x ΠK, column j = (image, od, oh, ow) of N x ΠO; element
/// (r, j) = padded[kernelOffsets[r] + pixelOffset(j)] (see `ConvolutionLayout`). Packing a micro-panel
/// of nr columns first classifies their pixel offsets: one contiguous run (stride 1 inside an output
/// row: a vector copy per row r), two runs (the panel wraps to the next output row: two vector loads
/// and a blend), or anything else (stride > 1, narrow outputs: an element gather).
struct ImageColumns<Kernel: GEMMKernel>: GEMMRightOperand {
    typealias Scalar = Kernel.Scalar
    /// Padded images (with `PaddedImages.slack` readable elements before and after), advanced to
    /// the group's first channel.
    let padded: UnsafePointer<Scalar>
    let imageStride: Int
    let layout: ConvolutionLayout
    let kernelOffsets: UnsafePointer<Int>

    func packPanels(depth: Range<Int>, columns: Range<Int>, into destination: UnsafeMutablePointer<Scalar>) {
        let microColumns = Kernel.microColumns
        withUnsafeTemporaryAllocation(of: Int.self, capacity: microColumns) { offsets in
            var cursor = PixelCursor(layout, column: columns.lowerBound, imageStride: imageStride)
            var panel = destination
            for panelColumn in stride(from: columns.lowerBound, to: columns.upperBound, by: microColumns) {
                let validColumns = min(microColumns, columns.upperBound - panelColumn)
                for t in 0..<validColumns {
                    offsets[t] = cursor.offset
                    cursor.advance()
                }
                packPanel(depth: depth, offsets: offsets.baseAddress!, validColumns: validColumns, into: panel)
                panel += microColumns * depth.count
            }
        }
    }

    private func packPanel(
        depth: Range<Int>, offsets: UnsafeMutablePointer<Int>, validColumns: Int,
        into panel: UnsafeMutablePointer<Scalar>
    ) {
        let microColumns = Kernel.microColumns
        var firstRun = 1
        while firstRun < validColumns && offsets[firstRun] == offsets[0] + firstRun { firstRun += 1 }
        var secondRun = 0
        if firstRun < validColumns {
            secondRun = 1
            while firstRun + secondRun < validColumns
                && offsets[firstRun + secondRun] == offsets[firstRun] + secondRun { secondRun += 1 }
        }
        var target = panel
        if firstRun == microColumns {
            let start = padded + offsets[0]
            for r in depth {
                Kernel.copyPanelRow(from: start + kernelOffsets[r], to: target)
                target += microColumns
            }
        } else if firstRun + secondRun == microColumns {
            // Both loads read nr elements; lanes outside their run fall in the next row, the padding or
            // the buffer's slack, and the blend drops them.
            let first = padded + offsets[0]
            let second = padded + (offsets[firstRun] - firstRun)
            for r in depth {
                let kernelOffset = kernelOffsets[r]
                Kernel.blendPanelRow(
                    first: first + kernelOffset, second: second + kernelOffset, split: firstRun, to: target)
                target += microColumns
            }
        } else {
            for r in depth {
                let source = padded + kernelOffsets[r]
                for t in 0..<validColumns { target[t] = source[offsets[t]] }
                for t in validColumns..<microColumns { target[t] = 0 }
                target += microColumns
            }
        }
    }
}

/// The output of a batched convolution GEMM: C(o, j) with column j = image·ΠO + pixel is
/// `base[image · imageStride + o · ΠO + pixel]`; columns are contiguous within an image.
struct BatchedOutput<Scalar: BinaryFloatingPoint>: GEMMOutput {
    let base: UnsafeMutablePointer<Scalar>
    let imageStride: Int
    let pixelsPerImage: Int

    var rowStride: Int { pixelsPerImage }

    func address(row: Int, column: Int) -> UnsafeMutablePointer<Scalar> {
        base + (column / pixelsPerImage) * imageStride + row * pixelsPerImage + column % pixelsPerImage
    }

    func contiguousColumns(from column: Int) -> Int { pixelsPerImage - column % pixelsPerImage }
}

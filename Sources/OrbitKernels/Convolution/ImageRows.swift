/// A run of output pixels along the last axis: tile columns `column ..< column + length` whose
/// padded-image offsets are `offset + t * stride[2]`.
struct PixelRun {
    var column: Int
    var offset: Int
    var length: Int
}

extension ConvolutionLayout {
    /// Runs `body` with the output pixels `pixels` (of one image, tile column 0 = `pixels.lowerBound`)
    /// cut into runs; a run ends where the pixel offsets stop advancing by the last stride (at the end
    /// of an output row). The runs live on the stack.
    func withPixelRuns<Result>(_ pixels: Range<Int>, _ body: (UnsafeBufferPointer<PixelRun>) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: PixelRun.self, capacity: max(1, pixels.count)) { runs in
            var count = 0
            var cursor = PixelCursor(self, column: pixels.lowerBound, imageStride: 0)
            for column in 0..<pixels.count {
                if count > 0, runs[count - 1].offset + runs[count - 1].length * stride[2] == cursor.offset {
                    runs[count - 1].length += 1
                } else {
                    runs.initializeElement(at: count, to: PixelRun(column: column, offset: cursor.offset, length: 1))
                    count += 1
                }
                cursor.advance()
            }
            defer { runs.baseAddress!.deinitialize(count: count) }
            return body(UnsafeBufferPointer(rebasing: runs[0..<count]))
        }
    }

    /// col2im for one pixel block: `padded[kernelOffsets[r] + pixelOffset(x)] += tile[r, x]` for the
    /// first `rows` im2col rows and the output pixels `pixels` (of one image). With a unit last stride
    /// each run is a contiguous, vectorised add.
    func scatterColumns<Scalar: BinaryFloatingPoint>(
        _ tile: UnsafePointer<Scalar>, tileRowStride: Int, rows: Int, pixels: Range<Int>,
        kernelOffsets: UnsafePointer<Int>, into padded: UnsafeMutablePointer<Scalar>
    ) {
        let widthStride = stride[2]
        withPixelRuns(pixels) { runs in
            for r in 0..<rows {
                let source = tile + r * tileRowStride
                let target = padded + kernelOffsets[r]
                for run in runs {
                    let runSource = source + run.column
                    let runTarget = target + run.offset
                    if widthStride == 1 {
                        for t in 0..<run.length { runTarget[t] += runSource[t] }
                    } else {
                        for t in 0..<run.length { runTarget[t * widthStride] += runSource[t] }
                    }
                }
            }
        }
    }
}

/// The im2col matrix of one group and one image as a GEMM *left* operand, for the transposed weight
/// gradient dWᵀ = col · dYᵀ: row r is a kernel tap (c, kd, kh, kw), column x an output pixel, element
/// (r, x) = padded[kernelOffsets[r] + pixelOffset(x)]. A packed A micro-panel stores rows, so packing
/// copies runs of pixels (contiguous for a unit last stride) without any transposition.
struct ImageRows<Kernel: GEMMKernel>: GEMMLeftOperand {
    typealias Scalar = Kernel.Scalar
    /// The image's padded planes, advanced to the group's first channel.
    let padded: UnsafePointer<Scalar>
    let layout: ConvolutionLayout
    let kernelOffsets: UnsafePointer<Int>

    func packPanels(rows: Range<Int>, depth: Range<Int>, into destination: UnsafeMutablePointer<Scalar>) {
        let microRows = Kernel.microRows
        let panelStride = Kernel.panelStride
        let widthStride = layout.stride[2]
        layout.withPixelRuns(depth) { runs in
            var panel = destination
            for panelRow in stride(from: rows.lowerBound, to: rows.upperBound, by: microRows) {
                let validRows = min(microRows, rows.upperBound - panelRow)
                for i in 0..<validRows {
                    let source = padded + kernelOffsets[panelRow + i]
                    let target = panel + i * panelStride
                    for run in runs {
                        let runSource = source + run.offset
                        let runTarget = target + run.column
                        if widthStride == 1 {
                            for t in 0..<run.length { runTarget[t] = runSource[t] }
                        } else {
                            for t in 0..<run.length { runTarget[t] = runSource[t * widthStride] }
                        }
                    }
                }
                for i in validRows..<microRows {
                    (panel + i * panelStride).update(repeating: 0, count: depth.count)
                }
                panel += Kernel.leftPanelCount
            }
        }
    }
}

/// The left operand A (m x k) of a blocked GEMM, seen only through its packing.
///
/// Anything that can produce A micro-panels is an operand: a strided matrix, a transposed weight, an
/// im2col view of an image. The blocked loops never read A any other way, which is what lets the
/// convolution run an "implicit GEMM" without materialising the im2col matrix.
protocol GEMMLeftOperand<Kernel> {
    associatedtype Kernel: GEMMKernel
    /// Packs A[rows, depth] into consecutive micro-panels of `Kernel.microRows` rows, each
    /// `Kernel.leftPanelCount` elements: element (i, p) of panel q goes to
    /// `destination[q * leftPanelCount + i * panelStride + (p - depth.lowerBound)]`, and rows past
    /// `rows.upperBound` in the last panel are zero (`depth.count <= maximumDepthBlock`).
    func packPanels(rows: Range<Int>, depth: Range<Int>, into destination: UnsafeMutablePointer<Kernel.Scalar>)
}

/// The right operand B (k x n) of a blocked GEMM, seen only through its packing.
protocol GEMMRightOperand<Kernel> {
    associatedtype Kernel: GEMMKernel
    /// Packs B[depth, columns] into consecutive micro-panels of `Kernel.microColumns` columns: element
    /// (p, j) of panel q goes to `destination[q * nr * depth.count + (p - depth.lowerBound) * nr + j]`,
    /// and columns past `columns.upperBound` in the last panel are zero.
    func packPanels(depth: Range<Int>, columns: Range<Int>, into destination: UnsafeMutablePointer<Kernel.Scalar>)
}

/// Where C (m x n) lives: rows at a fixed stride, columns contiguous in runs (one run for a plain
/// matrix; one run per image when the columns of C are (image, pixel) pairs of an NCHW tensor).
protocol GEMMOutput<Scalar> {
    associatedtype Scalar: BinaryFloatingPoint
    /// Distance in elements between C(i, j) and C(i + 1, j).
    var rowStride: Int { get }
    /// Address of C(row, column).
    func address(row: Int, column: Int) -> UnsafeMutablePointer<Scalar>
    /// How many columns starting at `column` are contiguous in memory (at least 1).
    func contiguousColumns(from column: Int) -> Int
}

/// A strided matrix as left operand: element (i, p) is `base[i * rowStride + p * columnStride]`.
struct StridedLeftOperand<Kernel: GEMMKernel>: GEMMLeftOperand {
    typealias Scalar = Kernel.Scalar
    let base: UnsafePointer<Scalar>
    let rowStride: Int
    let columnStride: Int

    func packPanels(rows: Range<Int>, depth: Range<Int>, into destination: UnsafeMutablePointer<Scalar>) {
        let microRows = Kernel.microRows
        let panelStride = Kernel.panelStride
        var panel = destination
        for panelRow in stride(from: rows.lowerBound, to: rows.upperBound, by: microRows) {
            let validRows = min(microRows, rows.upperBound - panelRow)
            let origin = base + panelRow * rowStride + depth.lowerBound * columnStride
            if columnStride == 1 {
                // Row-major A: each panel row is one contiguous copy.
                for i in 0..<validRows {
                    copyElements(from: origin + i * rowStride, to: panel + i * panelStride, count: depth.count)
                }
            } else {
                // Depth-outer, so a transposed A (unit row stride) is read in order.
                var source = origin
                for p in 0..<depth.count {
                    for i in 0..<validRows { panel[i * panelStride + p] = source[i * rowStride] }
                    source += columnStride
                }
            }
            for i in validRows..<microRows {
                (panel + i * panelStride).update(repeating: 0, count: depth.count)
            }
            panel += Kernel.leftPanelCount
        }
    }
}

/// A strided matrix as right operand: element (p, j) is `base[p * rowStride + j * columnStride]`.
struct StridedRightOperand<Kernel: GEMMKernel>: GEMMRightOperand {
    typealias Scalar = Kernel.Scalar
    let base: UnsafePointer<Scalar>
    let rowStride: Int
    let columnStride: Int

    func packPanels(depth: Range<Int>, columns: Range<Int>, into destination: UnsafeMutablePointer<Scalar>) {
        let microColumns = Kernel.microColumns
        let fullPanels = columnStride == 1 ? columns.count / microColumns : 0
        if fullPanels > 0 {
            // The common row-major case: walk B row by row (sequential reads, which the prefetcher
            // follows; walking panel by panel would touch one cache line per row and page per step)
            // and drop each row's nr-wide pieces into their panels with vector copies.
            let panelStride = microColumns * depth.count
            var source = base + depth.lowerBound * rowStride + columns.lowerBound
            var target = destination
            for _ in depth {
                for panel in 0..<fullPanels {
                    Kernel.copyPanelRow(from: source + panel * microColumns, to: target + panel * panelStride)
                }
                source += rowStride
                target += microColumns
            }
        }
        var panel = destination + fullPanels * microColumns * depth.count
        for panelColumn in stride(
            from: columns.lowerBound + fullPanels * microColumns, to: columns.upperBound, by: microColumns
        ) {
            let validColumns = min(microColumns, columns.upperBound - panelColumn)
            let origin = base + depth.lowerBound * rowStride + panelColumn * columnStride
            if validColumns == microColumns && rowStride == 1 {
                Kernel.packTransposedPanel(source: origin, columnStride: columnStride, depth: depth.count, into: panel)
                panel += microColumns * depth.count
                continue
            }
            // Column-outer so each column of B (contiguous when B is a transposed view) is read in order.
            for j in 0..<microColumns {
                var target = panel + j
                if j < validColumns {
                    var source = origin + j * columnStride
                    for _ in depth {
                        target.pointee = source.pointee
                        source += rowStride
                        target += microColumns
                    }
                } else {
                    for _ in depth {
                        target.pointee = 0
                        target += microColumns
                    }
                }
            }
            panel += microColumns * depth.count
        }
    }
}

/// A row-major matrix with row stride `rowStride` as output; `base` holds C(firstRow, firstColumn),
/// so a scratch buffer can stand for a tile in the middle of a larger C.
struct StridedOutput<Scalar: BinaryFloatingPoint>: GEMMOutput {
    let base: UnsafeMutablePointer<Scalar>
    let rowStride: Int
    var firstRow = 0
    var firstColumn = 0

    func address(row: Int, column: Int) -> UnsafeMutablePointer<Scalar> {
        base + (row - firstRow) * rowStride + (column - firstColumn)
    }
    func contiguousColumns(from column: Int) -> Int { Int.max }
}

/// Copies `count` elements between buffers that do not overlap, as an inline (vectorised) loop: the
/// rows copied here are short (tens to hundreds of elements), where a call to memmove per row costs
/// as much as the copy.
@inline(__always)
func copyElements<Scalar>(from source: UnsafePointer<Scalar>, to target: UnsafeMutablePointer<Scalar>, count: Int) {
    for index in 0..<count { target[index] = source[index] }
}

/// The left operand A (m x k) of a blocked GEMM, seen only through its packing.
///
/// Anything that can produce A micro-panels is an operand: a strided matrix, a transposed weight, an
/// im2col view of an image. The blocked loops never read A any other way, which is what lets the
/// convolution run an "implicit GEMM" without materialising the im2col matrix.
protocol GEMMLeftOperand<Scalar> {
    associatedtype Scalar: GEMMScalar
    /// Packs A[rows, depth] into consecutive micro-panels of `Scalar.microRows` rows: element (i, p) of
    /// panel q goes to `destination[q * mr * depth.count + (p - depth.lowerBound) * mr + i]`, and rows
    /// past `rows.upperBound` in the last panel are zero.
    func packPanels(rows: Range<Int>, depth: Range<Int>, into destination: UnsafeMutablePointer<Scalar>)
}

/// The right operand B (k x n) of a blocked GEMM, seen only through its packing.
protocol GEMMRightOperand<Scalar> {
    associatedtype Scalar: GEMMScalar
    /// Packs B[depth, columns] into consecutive micro-panels of `Scalar.microColumns` columns: element
    /// (p, j) of panel q goes to `destination[q * nr * depth.count + (p - depth.lowerBound) * nr + j]`,
    /// and columns past `columns.upperBound` in the last panel are zero.
    func packPanels(depth: Range<Int>, columns: Range<Int>, into destination: UnsafeMutablePointer<Scalar>)
}

/// Where C (m x n) lives: rows at a fixed stride, columns contiguous in runs (one run for a plain
/// matrix; one run per image when the columns of C are (image, pixel) pairs of an NCHW tensor).
protocol GEMMOutput<Scalar> {
    associatedtype Scalar: GEMMScalar
    /// Distance in elements between C(i, j) and C(i + 1, j).
    var rowStride: Int { get }
    /// Address of C(row, column).
    func address(row: Int, column: Int) -> UnsafeMutablePointer<Scalar>
    /// How many columns starting at `column` are contiguous in memory (at least 1).
    func contiguousColumns(from column: Int) -> Int
}

/// A strided matrix as left operand: element (i, p) is `base[i * rowStride + p * columnStride]`.
struct StridedLeftOperand<Scalar: GEMMScalar>: GEMMLeftOperand {
    let base: UnsafePointer<Scalar>
    let rowStride: Int
    let columnStride: Int

    func packPanels(rows: Range<Int>, depth: Range<Int>, into destination: UnsafeMutablePointer<Scalar>) {
        let microRows = Scalar.microRows
        var panel = destination
        for panelRow in stride(from: rows.lowerBound, to: rows.upperBound, by: microRows) {
            let validRows = min(microRows, rows.upperBound - panelRow)
            let origin = base + panelRow * rowStride + depth.lowerBound * columnStride
            if validRows == microRows {
                // Depth-outer: each step writes one contiguous group of mr values; with a unit column
                // stride the reads are mr sequential streams, with a unit row stride one contiguous run.
                var source = origin
                var target = panel
                for _ in depth {
                    for i in 0..<microRows { target[i] = source[i * rowStride] }
                    source += columnStride
                    target += microRows
                }
            } else {
                for p in 0..<depth.count {
                    for i in 0..<microRows {
                        panel[p * microRows + i] = i < validRows ? origin[i * rowStride + p * columnStride] : 0
                    }
                }
            }
            panel += microRows * depth.count
        }
    }
}

/// A strided matrix as right operand: element (p, j) is `base[p * rowStride + j * columnStride]`.
struct StridedRightOperand<Scalar: GEMMScalar>: GEMMRightOperand {
    let base: UnsafePointer<Scalar>
    let rowStride: Int
    let columnStride: Int

    func packPanels(depth: Range<Int>, columns: Range<Int>, into destination: UnsafeMutablePointer<Scalar>) {
        let microColumns = Scalar.microColumns
        var panel = destination
        for panelColumn in stride(from: columns.lowerBound, to: columns.upperBound, by: microColumns) {
            let validColumns = min(microColumns, columns.upperBound - panelColumn)
            let origin = base + depth.lowerBound * rowStride + panelColumn * columnStride
            if validColumns == microColumns && columnStride == 1 {
                // The common row-major case: one contiguous row segment per depth step (vector copies).
                var source = origin
                var target = panel
                for _ in depth {
                    for j in 0..<microColumns { target[j] = source[j] }
                    source += rowStride
                    target += microColumns
                }
            } else if validColumns == microColumns {
                // Column-outer so each column of B (contiguous when B is a transposed view) is read in order.
                for j in 0..<microColumns {
                    var source = origin + j * columnStride
                    var target = panel + j
                    for _ in depth {
                        target.pointee = source.pointee
                        source += rowStride
                        target += microColumns
                    }
                }
            } else {
                for p in 0..<depth.count {
                    for j in 0..<microColumns {
                        panel[p * microColumns + j] =
                            j < validColumns ? origin[p * rowStride + j * columnStride] : 0
                    }
                }
            }
            panel += microColumns * depth.count
        }
    }
}

/// A row-major matrix with row stride `rowStride` as output; `base` holds C(firstRow, firstColumn),
/// so a scratch buffer can stand for a tile in the middle of a larger C.
struct StridedOutput<Scalar: GEMMScalar>: GEMMOutput {
    let base: UnsafeMutablePointer<Scalar>
    let rowStride: Int
    var firstRow = 0
    var firstColumn = 0

    func address(row: Int, column: Int) -> UnsafeMutablePointer<Scalar> {
        base + (row - firstRow) * rowStride + (column - firstColumn)
    }
    func contiguousColumns(from column: Int) -> Int { Int.max }
}

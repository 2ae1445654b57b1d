/// The single-threaded blocked GEMM over one tile of C (the BLIS loop nest, see README.md):
///
///     for jc in column blocks (nc):           B block kc x nc packed per (jc, pc), streamed from L2/L3
///       for pc in depth blocks (kc):
///         pack B[pc, jc]
///         for ic in row blocks (mc):          A block mc x kc packed per (jc, pc, ic), kept in L2
///           pack A[ic, pc]
///           for jr in B micro-panels (nr):    one kc x nr micro-panel stays in L1 ...
///             for ir in A micro-panels (mr):  ... while the A micro-panels stream past it
///               microkernel: C[ir, jr] (+)= A[ir, pc] · B[pc, jr]
///
/// Every element of C sums its depth blocks in increasing order, and within a block in increasing
/// depth, whatever the tile it belongs to: results depend on the problem, not on the partition.
struct BlockedGEMM<Kernel: GEMMKernel> {
    typealias Scalar = Kernel.Scalar
    let rowBlock: Int
    let depthBlock: Int
    let columnBlock: Int

    /// Block sizes for a tile of `rows` x `columns` over `depth`, balanced so no block is a sliver.
    init(rows: Int, columns: Int, depth: Int) {
        rowBlock = balancedBlockSize(rows, maximum: Kernel.maximumRowBlock, multiple: Kernel.microRows)
        depthBlock = balancedBlockSize(depth, maximum: Kernel.maximumDepthBlock, multiple: 1)
        columnBlock = balancedBlockSize(
            columns, maximum: Kernel.maximumColumnBlock, multiple: Kernel.microColumns)
    }

    /// Scratch elements `multiply` needs: one packed A block, one packed B block and one micro-tile.
    var workspaceCount: Int {
        packedLeftCount + depthBlock * columnBlock + Kernel.microTileCount
    }

    /// A packed A block: rowBlock / mr micro-panels of `leftPanelCount` elements.
    private var packedLeftCount: Int { rowBlock / Kernel.microRows * Kernel.leftPanelCount }

    /// C[rows, columns] = A[rows, 0..<depth] · B[0..<depth, columns] (+ C when `accumulate`).
    /// `depth` must be positive; `workspace` holds at least `workspaceCount` elements.
    func multiply<Left: GEMMLeftOperand, Right: GEMMRightOperand, Output: GEMMOutput>(
        rows: Range<Int>, columns: Range<Int>, depth: Int,
        a: Left, b: Right, c: Output, accumulate: Bool, workspace: UnsafeMutablePointer<Scalar>
    ) where Left.Kernel == Kernel, Right.Kernel == Kernel, Output.Scalar == Scalar {
        let packedA = workspace
        let packedB = workspace + packedLeftCount
        let tile = packedB + depthBlock * columnBlock
        for jc in stride(from: columns.lowerBound, to: columns.upperBound, by: columnBlock) {
            let blockColumns = jc..<min(jc + columnBlock, columns.upperBound)
            for pc in stride(from: 0, to: depth, by: depthBlock) {
                let blockDepth = pc..<min(pc + depthBlock, depth)
                b.packPanels(depth: blockDepth, columns: blockColumns, into: packedB)
                // The first depth block overwrites C unless the caller asked to accumulate.
                let accumulateBlock = accumulate || pc > 0
                for ic in stride(from: rows.lowerBound, to: rows.upperBound, by: rowBlock) {
                    let blockRows = ic..<min(ic + rowBlock, rows.upperBound)
                    a.packPanels(rows: blockRows, depth: blockDepth, into: packedA)
                    multiplyPackedBlocks(
                        rows: blockRows, columns: blockColumns, depth: blockDepth.count,
                        packedA: packedA, packedB: packedB, c: c, accumulate: accumulateBlock, tile: tile)
                }
            }
        }
    }

    /// C[0..<rows, columns] = A · B[0..<depth, columns] (+ C when `accumulate`) for an A packed whole
    /// in advance (`packPanels(rows: 0..<rows, depth: 0..<depth)` into `packedLeftCount(rows:)` elements), so a caller that multiplies one A by many B packs it once (the
    /// Winograd convolution: 36 weight matrices, each against every chunk of tiles).
    func multiply<Right: GEMMRightOperand, Output: GEMMOutput>(
        packedLeft: UnsafePointer<Scalar>, rows: Int, columns: Range<Int>, depth: Int,
        b: Right, c: Output, accumulate: Bool, workspace: UnsafeMutablePointer<Scalar>
    ) where Right.Kernel == Kernel, Output.Scalar == Scalar {
        guard depth <= depthBlock else { fatalError("BlockedGEMM.multiply(packedLeft:): depth \(depth) exceeds one block of \(depthBlock)") }
        let packedB = workspace + packedLeftCount
        let tile = packedB + depthBlock * columnBlock
        for jc in stride(from: columns.lowerBound, to: columns.upperBound, by: columnBlock) {
            let blockColumns = jc..<min(jc + columnBlock, columns.upperBound)
            b.packPanels(depth: 0..<depth, columns: blockColumns, into: packedB)
            multiplyPackedBlocks(
                rows: 0..<rows, columns: blockColumns, depth: depth, packedA: packedLeft, packedB: packedB, c: c,
                accumulate: accumulate, tile: tile)
        }
    }

    /// Elements of an A of `rows` rows packed whole, for `multiply(packedLeft:...)`.
    static func packedLeftCount(rows: Int) -> Int {
        (rows + Kernel.microRows - 1) / Kernel.microRows * Kernel.leftPanelCount
    }

    /// The jr / ir loops over packed blocks. Full tiles whose columns are contiguous in C go straight
    /// to the microkernel; edge tiles (and tiles straddling two images) go through `tile` and only the
    /// valid part is written back.
    private func multiplyPackedBlocks<Output: GEMMOutput>(
        rows: Range<Int>, columns: Range<Int>, depth: Int,
        packedA: UnsafePointer<Scalar>, packedB: UnsafeMutablePointer<Scalar>,
        c: Output, accumulate: Bool, tile: UnsafeMutablePointer<Scalar>
    ) where Output.Scalar == Scalar {
        let microRows = Kernel.microRows
        let microColumns = Kernel.microColumns
        var bPanel = UnsafePointer(packedB)
        for column in stride(from: columns.lowerBound, to: columns.upperBound, by: microColumns) {
            let validColumns = min(microColumns, columns.upperBound - column)
            let directColumns = validColumns == microColumns && c.contiguousColumns(from: column) >= microColumns
            // C rows are `rowStride` apart, so one address per column panel serves every row (the
            // batched convolution output pays two divisions for an address).
            let columnTop = c.address(row: rows.lowerBound, column: column)
            var aPanel = packedA
            for row in stride(from: rows.lowerBound, to: rows.upperBound, by: microRows) {
                let validRows = min(microRows, rows.upperBound - row)
                if directColumns && validRows == microRows {
                    Kernel.microkernel(
                        depth: depth, a: aPanel, b: bPanel, c: columnTop + (row - rows.lowerBound) * c.rowStride,
                        cRowStride: c.rowStride, accumulate: accumulate)
                } else {
                    Kernel.microkernel(
                        depth: depth, a: aPanel, b: bPanel, c: tile, cRowStride: microColumns, accumulate: false)
                    writeBack(
                        tile: tile, row: row, column: column, rows: validRows, columns: validColumns,
                        c: c, accumulate: accumulate)
                }
                aPanel += Kernel.leftPanelCount
            }
            bPanel += microColumns * depth
        }
    }

    private func writeBack<Output: GEMMOutput>(
        tile: UnsafeMutablePointer<Scalar>, row: Int, column: Int, rows: Int, columns: Int,
        c: Output, accumulate: Bool
    ) where Output.Scalar == Scalar {
        for i in 0..<rows {
            var j = 0
            while j < columns {
                let run = min(columns - j, c.contiguousColumns(from: column + j))
                let target = c.address(row: row + i, column: column + j)
                let source = tile + i * Kernel.microColumns + j
                for t in 0..<run { target[t] = accumulate ? target[t] + source[t] : source[t] }
                j += run
            }
        }
    }
}

/// Sets C[rows, columns] to zero (the product over an empty depth).
func zeroOutput<Output: GEMMOutput>(_ c: Output, rows: Range<Int>, columns: Range<Int>) {
    for row in rows {
        var column = columns.lowerBound
        while column < columns.upperBound {
            let run = min(columns.upperBound - column, c.contiguousColumns(from: column))
            c.address(row: row, column: column).update(repeating: 0, count: run)
            column += run
        }
    }
}

/// How a GEMM's C is cut into tiles, one tile per parallel chunk.
///
/// The cut depends on m, n, k only (never on the thread count), so every element of C is computed by
/// the same loop nest whatever the number of threads. Tiles are near-equal (boundaries on micro-tile
/// multiples), and their count is a power of two, so two threads pulling tiles finish together.
struct GEMMTiling {
    /// Tile boundaries along m (first 0, last m) and along n.
    let rowBoundaries: [Int]
    let columnBoundaries: [Int]

    /// Multiply-adds below which a problem runs on the calling thread: waking a second thread costs
    /// tens of microseconds, about what ~1M multiply-adds take on one core.
    static let minimumParallelWork = 1 << 21
    /// Work per tile the partition aims for (~4M multiply-adds, a few hundred microseconds).
    static let workPerTile = 1 << 22
    /// Upper bound on tiles: more tiles means more re-packing of A and B for little balance gain.
    static let maximumTiles = 8

    init(rows: Int, columns: Int, depth: Int, microRows: Int, microColumns: Int) {
        let work = rows * columns * max(depth, 1)
        var rowTiles = 1
        var columnTiles = 1
        if work >= GEMMTiling.minimumParallelWork {
            let target = min(GEMMTiling.maximumTiles, max(2, work / GEMMTiling.workPerTile))
            // Halve the larger side while tiles stay at least four micro-tiles wide, so packing and
            // the microkernel's fixed costs stay small against a tile's work.
            while rowTiles * columnTiles * 2 <= target {
                let rowsCanSplit = rows / (rowTiles * 2) >= 4 * microRows
                let columnsCanSplit = columns / (columnTiles * 2) >= 4 * microColumns
                let rowsAreLonger = rows / rowTiles >= columns / columnTiles
                if rowsCanSplit && (rowsAreLonger || !columnsCanSplit) {
                    rowTiles *= 2
                } else if columnsCanSplit {
                    columnTiles *= 2
                } else {
                    break
                }
            }
        }
        rowBoundaries = GEMMTiling.boundaries(rows, tiles: rowTiles, multiple: microRows)
        columnBoundaries = GEMMTiling.boundaries(columns, tiles: columnTiles, multiple: microColumns)
    }

    var count: Int { (rowBoundaries.count - 1) * (columnBoundaries.count - 1) }

    /// The rows and columns of tile `index` (row-tile major).
    func tile(_ index: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        let columnTiles = columnBoundaries.count - 1
        let row = index / columnTiles
        let column = index % columnTiles
        return (rowBoundaries[row]..<rowBoundaries[row + 1],
                columnBoundaries[column]..<columnBoundaries[column + 1])
    }

    /// `tiles` near-equal pieces of `count`, cut at multiples of `multiple` (micro-tiles are never split).
    static func boundaries(_ count: Int, tiles: Int, multiple: Int) -> [Int] {
        let units = (count + multiple - 1) / multiple
        return (0...tiles).map { min(count, ($0 * units / tiles) * multiple) }
    }
}

/// C = A·B (+ C) over the whole problem: one `BlockedGEMM` per tile of `GEMMTiling`, tiles in parallel.
func parallelGEMM<Left: GEMMLeftOperand, Right: GEMMRightOperand, Output: GEMMOutput>(
    rows: Int, columns: Int, depth: Int, a: Left, b: Right, c: Output, accumulate: Bool
) where Left.Kernel == Right.Kernel, Output.Scalar == Left.Kernel.Scalar {
    typealias Kernel = Left.Kernel
    guard rows > 0, columns > 0 else { return }
    guard depth > 0 else {
        if !accumulate { zeroOutput(c, rows: 0..<rows, columns: 0..<columns) }
        return
    }
    let tiling = GEMMTiling(
        rows: rows, columns: columns, depth: depth,
        microRows: Kernel.microRows, microColumns: Kernel.microColumns)
    Parallel.forEachChunk(tiling.count) { index in
        let tile = tiling.tile(index)
        let blocked = BlockedGEMM<Kernel>(rows: tile.rows.count, columns: tile.columns.count, depth: depth)
        ScratchPool.withScratch(Kernel.Scalar.self, count: blocked.workspaceCount) { workspace in
            blocked.multiply(
                rows: tile.rows, columns: tile.columns, depth: depth,
                a: a, b: b, c: c, accumulate: accumulate, workspace: workspace)
        }
    }
}

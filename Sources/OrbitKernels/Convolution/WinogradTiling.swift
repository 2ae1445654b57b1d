/// How `WinogradConvolution` cuts a batch into 4 x 4 output tiles and chunks, and its two data
/// transforms: padded input patches to V = Bᵀ d B, and M to output pixels Aᵀ M A.
///
/// Tile (i, j) of an image covers output pixels (4i..4i+3, 4j..4j+3) and reads the padded input rows
/// 4i..4i+5 and columns 4j..4j+5. Both transforms run eight neighbouring tiles of a tile row at once,
/// one per vector lane: Bᵀ d combines six whole padded rows, then every fourth column of the result
/// (`strideFourLanes`) gives the column combinations of eight patches. Positions past the padded
/// image read as zeros, so no other image's values enter a tile.
///
/// V and M are 36 matrices (one per entry ξ = 6k + l of the transformed tile), channels x tiles, rows
/// `slotStride` apart. A chunk is a run of `tilesPerChunk` consecutive tiles of the batch (image, tile
/// row, tile column); it may start and end inside a tile row, so it is walked as row *segments*.
struct WinogradTiling {
    let layout: ConvolutionLayout
    /// Tiles per image: ⌈H_out / 4⌉ x ⌈W_out / 4⌉.
    let tileRows: Int, tileColumns: Int
    /// Tiles of one chunk (the last may have fewer): a multiple of both microkernels' widths (16 and 24),
    /// so the GEMMs have no edge panels; 192 for large batches (measured 3-6% faster than 96 on the
    /// FERNN's 128 -> 128 layer), smaller when that would leave fewer than about eight chunks to share
    /// between threads. It depends on the geometry only, never on the thread count.
    let tilesPerChunk: Int
    /// Entries of a transformed tile: 6 x 6.
    static let entryCount = 36

    init(_ layout: ConvolutionLayout) {
        self.layout = layout
        tileRows = (layout.outputSize[1] + 3) / 4
        tileColumns = (layout.outputSize[2] + 3) / 4
        tilesPerChunk = max(48, min(192, layout.batch * tileRows * tileColumns / 8 / 48 * 48))
    }

    /// Tiles of the batch, numbered image by image, then tile row by tile row.
    var tileCount: Int { layout.batch * tileRows * tileColumns }
    var chunkCount: Int { (tileCount + tilesPerChunk - 1) / tilesPerChunk }
    /// Row stride of V and M: a chunk plus one vector, since a segment's last group of eight tiles is
    /// stored whole (its extra lanes land in the next segment's slots, which are written after it).
    var slotStride: Int { tilesPerChunk + 8 }
    /// Distance between consecutive entries ξ of V or M (`channels` rows each). (Padding it by a cache
    /// line, so that the 36 entries of a tile do not share an L1 set, measured 7% slower.)
    func entryStride(channels: Int) -> Int { channels * slotStride }
    /// Elements of V or M for `channels` rows.
    func transformedCount(channels: Int) -> Int { Self.entryCount * entryStride(channels: channels) }
    /// Length of one row-combination buffer: the 32 columns of each group of eight tiles, plus the
    /// overlap of the last tile (columns 4j + 4 and 4j + 5), rounded to whole vectors.
    var combinedStride: Int { 32 * ((tileColumns + 7) / 8) + 8 }

    /// The tiles of chunk `index`.
    func chunk(_ index: Int) -> Range<Int> {
        index * tilesPerChunk..<min((index + 1) * tilesPerChunk, tileCount)
    }

    /// Calls `body(image, tileRow, columns, slot)` for each piece of a tile row inside `tiles`, in order;
    /// `slot` is the position of the piece's first tile within the chunk.
    func forEachSegment(_ tiles: Range<Int>, _ body: (Int, Int, Range<Int>, Int) -> Void) {
        var tile = tiles.lowerBound
        while tile < tiles.upperBound {
            let (row, column) = (tile / tileColumns, tile % tileColumns)
            let count = min(tileColumns - column, tiles.upperBound - tile)
            body(row / tileRows, row % tileRows, column..<(column + count), tile - tiles.lowerBound)
            tile += count
        }
    }

    /// Runs `body` with the batch's input as padded images (`PaddedImages`; `imageStride` apart) and
    /// `extra` uninitialised elements for the caller.
    func withPaddedInput<Result>(
        _ input: UnsafePointer<Float>, extra: Int = 0,
        _ body: (_ padded: UnsafePointer<Float>, _ imageStride: Int, _ extra: UnsafeMutablePointer<Float>) -> Result
    ) -> Result {
        let images = PaddedImages(layout: layout)
        return ScratchPool.withScratch(Float.self, count: images.count + extra) { buffer in
            body(images.fill(from: input, into: buffer), images.imageStride, buffer + images.count)
        }
    }

    /// V_ξ[c, t] = (Bᵀ d B)[ξ] for every input channel c and every tile t of `tiles` (`padded`: the
    /// batch's padded images). `combined` holds 6 x `combinedStride` elements of scratch.
    func transformInput(
        _ padded: UnsafePointer<Float>, imageStride: Int, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>,
        combined: UnsafeMutablePointer<Float>
    ) {
        let (height, width) = (layout.paddedSize[1], layout.paddedSize[2])
        let (inputs, stride, rowLength) = (layout.inputChannels, slotStride, combinedStride)
        let entryStride = entryStride(channels: inputs)
        for channel in 0..<inputs {
            forEachSegment(tiles) { image, tileRow, columns, slot in
                // Bᵀ d over the six rows under the segment; rows and columns past the padded image are zeros.
                let top = padded + image * imageStride + channel * layout.paddedPlane + 4 * tileRow * width
                    + 4 * columns.lowerBound
                let (rows, validColumns) = (min(6, height - 4 * tileRow), width - 4 * columns.lowerBound)
                let groups = (columns.count + 7) / 8
                for x in Swift.stride(from: 0, to: 32 * groups + 8, by: 8) {
                    let valid = validColumns - x
                    func row(_ r: Int) -> SIMD8<Float> { r < rows ? load8(top + r * width + x, valid: valid) : .zero }
                    let t = winogradInputTransform(row(0), row(1), row(2), row(3), row(4), row(5))
                    for k in 0..<6 { store8(t[k], combined + k * rowLength + x) }
                }
                // (Bᵀ d) B: the same combinations of columns 4j .. 4j + 5, eight tiles per vector.
                for k in 0..<6 {
                    let row = combined + k * rowLength
                    for group in 0..<groups {
                        let (c0, c1, c2, c3) = strideFourLanes(load32(row + 32 * group))
                        let (c4, c5, _, _) = strideFourLanes(load32(row + 32 * group + 4))
                        let t = winogradInputTransform(c0, c1, c2, c3, c4, c5)
                        let target = v + 6 * k * entryStride + channel * stride + slot + 8 * group
                        for l in 0..<6 { store8(t[l], target + l * entryStride) }
                    }
                }
            }
        }
    }

    /// The output pixels of `tiles` (`output`: the batch's N x C_out x H_out x W_out) from M_ξ[o, t]:
    /// Y = Aᵀ M A, over rows, then over columns. Writes only the pixels of these tiles (other chunks
    /// write their neighbours concurrently).
    func transformOutput(_ m: UnsafePointer<Float>, tiles: Range<Int>, into output: UnsafeMutablePointer<Float>) {
        let (height, width, outputs, stride) = (layout.outputSize[1], layout.outputSize[2], layout.outputChannels, slotStride)
        let entryStride = entryStride(channels: outputs)
        for channel in 0..<outputs {
            forEachSegment(tiles) { image, tileRow, columns, slot in
                let plane = output + (image * outputs + channel) * height * width
                for group in 0..<((columns.count + 7) / 8) {
                    let source = m + channel * stride + slot + 8 * group
                    // Aᵀ over the rows k of each column l of the transformed tile.
                    func column(_ l: Int) -> FourVectors {
                        let entry = { (k: Int) in load8(source + (6 * k + l) * entryStride) }
                        return winogradOutputTransform(entry(0), entry(1), entry(2), entry(3), entry(4), entry(5))
                    }
                    let (c0, c1, c2, c3, c4, c5) = (column(0), column(1), column(2), column(3), column(4), column(5))
                    let firstTile = columns.lowerBound + 8 * group
                    let column = 4 * firstTile
                    let count = min(32, 4 * (columns.upperBound - firstTile), width - column)
                    for a in 0..<min(4, height - 4 * tileRow) {
                        let p = winogradOutputTransform(c0[a], c1[a], c2[a], c3[a], c4[a], c5[a])
                        storePixels(interleavedFourLanes(p.v0, p.v1, p.v2, p.v3),
                                    to: plane + (4 * tileRow + a) * width + column, count: count)
                    }
                }
            }
        }
    }
}

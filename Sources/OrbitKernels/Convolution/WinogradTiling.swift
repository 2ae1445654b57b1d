/// How `WinogradConvolution` cuts a batch into 2 x 2 output tiles and chunks, and its two data
/// transforms: padded input patches to V = Bᵀ d B, and M to output pixels Aᵀ M A.
///
/// Tile (i, j) of an image covers output pixels (2i..2i+1, 2j..2j+1) and reads the padded input rows
/// 2i..2i+3 and columns 2j..2j+3. Both transforms run eight neighbouring tiles of a tile row at once,
/// one per vector lane: Bᵀ d combines four whole padded rows, then the even and odd columns of the
/// result give the column combinations of eight patches.
///
/// V and M are 16 matrices (one per entry ξ = 4k + l of the transformed tile), channels x tiles, rows
/// `slotStride` apart. A chunk is a run of `tilesPerChunk` consecutive tiles of the batch (image, tile
/// row, tile column); it may start and end inside a tile row, so it is walked as row *segments*.
struct WinogradTiling {
    let layout: ConvolutionLayout
    /// Tiles per image: ⌈H_out / 2⌉ x ⌈W_out / 2⌉.
    let tileRows: Int, tileColumns: Int
    /// Tiles of one chunk (the last may have fewer): a multiple of both microkernels' widths (16 and 24),
    /// so the GEMMs have no edge panels; ~100 KB of V and M per channel pair of rows, which stay in cache.
    static let tilesPerChunk = 96

    init(_ layout: ConvolutionLayout) {
        self.layout = layout
        tileRows = (layout.outputSize[1] + 1) / 2
        tileColumns = (layout.outputSize[2] + 1) / 2
    }

    /// Tiles of the batch, numbered image by image, then tile row by tile row.
    var tileCount: Int { layout.batch * tileRows * tileColumns }
    var chunkCount: Int { (tileCount + Self.tilesPerChunk - 1) / Self.tilesPerChunk }
    /// Row stride of V and M: a chunk plus one vector, since a segment's last group of eight tiles is
    /// stored whole (its extra lanes land in the next segment's slots, which are written after it).
    var slotStride: Int { Self.tilesPerChunk + 8 }
    /// Length of one row-combination buffer: a tile row's 2·tileColumns + 2 columns, plus the lanes
    /// that whole-vector loads read past the last tile.
    var combinedStride: Int { (2 * tileColumns + 24 + 7) / 8 * 8 }

    /// The tiles of chunk `index`.
    func chunk(_ index: Int) -> Range<Int> {
        index * Self.tilesPerChunk..<min((index + 1) * Self.tilesPerChunk, tileCount)
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

    /// Runs `body` with the batch's input as padded images (`PaddedImages`; `imageStride` apart), followed
    /// by a zeroed tail that the patches of the last tile row and column may reach into (odd output sizes,
    /// whole-vector loads), and by `extra` uninitialised elements for the caller.
    func withPaddedInput<Result>(
        _ input: UnsafePointer<Float>, extra: Int = 0,
        _ body: (_ padded: UnsafePointer<Float>, _ imageStride: Int, _ extra: UnsafeMutablePointer<Float>) -> Result
    ) -> Result {
        let images = PaddedImages(layout: layout)
        let tail = 2 * layout.paddedSize[2] + combinedStride + 64
        return ScratchPool.withScratch(Float.self, count: images.count + tail + extra) { buffer in
            (buffer + images.count).update(repeating: 0, count: tail)
            return body(images.fill(from: input, into: buffer), images.imageStride, buffer + images.count + tail)
        }
    }

    /// V_ξ[c, t] = (Bᵀ d B)[ξ] for every input channel c and every tile t of `tiles` (`padded`: the
    /// batch's padded images). `combined` holds 4 x `combinedStride` elements of scratch.
    func transformInput(
        _ padded: UnsafePointer<Float>, imageStride: Int, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>,
        combined: UnsafeMutablePointer<Float>
    ) {
        let (width, inputs, stride, rowLength) = (layout.paddedSize[2], layout.inputChannels, slotStride, combinedStride)
        for channel in 0..<inputs {
            forEachSegment(tiles) { image, tileRow, columns, slot in
                // Bᵀ d over the rows under the segment: (d0 - d2, d1 + d2, d2 - d1, d1 - d3).
                let top = padded + image * imageStride + channel * layout.paddedPlane + 2 * tileRow * width
                    + 2 * columns.lowerBound
                for x in Swift.stride(from: 0, to: 2 * columns.count + 18, by: 8) {
                    let (d0, d1) = (load8(top + x), load8(top + width + x))
                    let (d2, d3) = (load8(top + 2 * width + x), load8(top + 3 * width + x))
                    store8(d0 - d2, combined + x)
                    store8(d1 + d2, combined + rowLength + x)
                    store8(d2 - d1, combined + 2 * rowLength + x)
                    store8(d1 - d3, combined + 3 * rowLength + x)
                }
                // (Bᵀ d) B: the same combinations of columns 2j .. 2j + 3, eight tiles per vector.
                for k in 0..<4 {
                    let row = combined + k * rowLength
                    for group in 0..<((columns.count + 7) / 8) {
                        let (first, second) = (load16(row + 16 * group), load16(row + 16 * group + 2))
                        let (c0, c1, c2, c3) = (first.evenHalf, first.oddHalf, second.evenHalf, second.oddHalf)
                        let target = v + (4 * k * inputs + channel) * stride + slot + 8 * group
                        store8(c0 - c2, target)
                        store8(c1 + c2, target + inputs * stride)
                        store8(c2 - c1, target + 2 * inputs * stride)
                        store8(c1 - c3, target + 3 * inputs * stride)
                    }
                }
            }
        }
    }

    /// The output pixels of `tiles` (`output`: the batch's N x C_out x H_out x W_out) from M_ξ[o, t]:
    /// Y = Aᵀ M A, rows (m0 + m1 + m2, m1 - m2 - m3), then the same over columns. Writes only the
    /// pixels of these tiles (other chunks write their neighbours concurrently).
    func transformOutput(_ m: UnsafePointer<Float>, tiles: Range<Int>, into output: UnsafeMutablePointer<Float>) {
        let (height, width, outputs, stride) = (layout.outputSize[1], layout.outputSize[2], layout.outputChannels, slotStride)
        for channel in 0..<outputs {
            forEachSegment(tiles) { image, tileRow, columns, slot in
                let plane = output + (image * outputs + channel) * height * width
                for group in 0..<((columns.count + 7) / 8) {
                    let source = m + channel * stride + slot + 8 * group
                    // Aᵀ M: column l of the transformed tile gives (top, bottom) = (m0 + m1 + m2, m1 - m2 - m3).
                    func rows(_ l: Int) -> (top: SIMD8<Float>, bottom: SIMD8<Float>) {
                        let entry = { (k: Int) in load8(source + (4 * k + l) * outputs * stride) }
                        let (m0, m1, m2, m3) = (entry(0), entry(1), entry(2), entry(3))
                        return (m0 + m1 + m2, m1 - m2 - m3)
                    }
                    let (column0, column1, column2, column3) = (rows(0), rows(1), rows(2), rows(3))
                    let firstTile = columns.lowerBound + 8 * group
                    let column = 2 * firstTile
                    let count = min(16, 2 * (columns.upperBound - firstTile), width - column)
                    storePixels(column0.top + column1.top + column2.top, column1.top - column2.top - column3.top,
                                to: plane + 2 * tileRow * width + column, count: count)
                    if 2 * tileRow + 1 < height {
                        storePixels(column0.bottom + column1.bottom + column2.bottom,
                                    column1.bottom - column2.bottom - column3.bottom,
                                    to: plane + (2 * tileRow + 1) * width + column, count: count)
                    }
                }
            }
        }
    }
}

/// Interleaves the left and right pixels of eight tiles into 16 consecutive pixels; stores the first `count`.
@inline(__always)
private func storePixels(_ left: SIMD8<Float>, _ right: SIMD8<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    var pixels = SIMD16<Float>()
    pixels.evenHalf = left
    pixels.oddHalf = right
    if count == 16 {
        UnsafeMutableRawPointer(target).storeBytes(of: pixels, as: SIMD16<Float>.self)
    } else {
        for lane in 0..<count { target[lane] = pixels[lane] }
    }
}

@inline(__always)
func load8(_ source: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(source).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func load16(_ source: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(source).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func store8(_ value: SIMD8<Float>, _ target: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(target).storeBytes(of: value, as: SIMD8<Float>.self)
}

extension Float: GEMMScalar {
    static var microRows: Int { 6 }
    static var microColumns: Int { 16 }
    // 256 x 16 floats = 16 KB: the B micro-panel fills half of the 32 KB L1 and the A micro-panel
    // (6 KB) streams beside it.
    static var maximumDepthBlock: Int { 256 }
    // 144 x 256 floats = 144 KB: the A block sits in the 512 KB L2 with room for B and C traffic.
    static var maximumRowBlock: Int { 144 }
    // 256 x 1024 floats = 1 MB: a B block is reused by every row block of a tile, from L2/L3.
    static var maximumColumnBlock: Int { 1024 }

    /// 6 x 16 tile in 12 `SIMD8<Float>` accumulators (AVX2: 12 of the 16 ymm registers; the other four
    /// hold two B vectors and one broadcast A value). Per depth step: 2 vector loads, 6 broadcasts and
    /// 12 fused multiply-adds, enough independent FMAs to cover their latency on two FMA pipes.
    static func microkernel(
        depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool
    ) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
        var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
        var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
        var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        var aPanel = a
        var bPanel = UnsafeRawPointer(b)
        for _ in 0..<depth {
            let b0 = bPanel.loadUnaligned(as: SIMD8<Float>.self)
            let b1 = bPanel.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            var broadcast = SIMD8<Float>(repeating: aPanel[0])
            c00 = c00.addingProduct(broadcast, b0)
            c01 = c01.addingProduct(broadcast, b1)
            broadcast = SIMD8<Float>(repeating: aPanel[1])
            c10 = c10.addingProduct(broadcast, b0)
            c11 = c11.addingProduct(broadcast, b1)
            broadcast = SIMD8<Float>(repeating: aPanel[2])
            c20 = c20.addingProduct(broadcast, b0)
            c21 = c21.addingProduct(broadcast, b1)
            broadcast = SIMD8<Float>(repeating: aPanel[3])
            c30 = c30.addingProduct(broadcast, b0)
            c31 = c31.addingProduct(broadcast, b1)
            broadcast = SIMD8<Float>(repeating: aPanel[4])
            c40 = c40.addingProduct(broadcast, b0)
            c41 = c41.addingProduct(broadcast, b1)
            broadcast = SIMD8<Float>(repeating: aPanel[5])
            c50 = c50.addingProduct(broadcast, b0)
            c51 = c51.addingProduct(broadcast, b1)
            aPanel += 6
            bPanel += 64
        }
        storeRow(c, c00, c01, accumulate)
        storeRow(c + cRowStride, c10, c11, accumulate)
        storeRow(c + 2 * cRowStride, c20, c21, accumulate)
        storeRow(c + 3 * cRowStride, c30, c31, accumulate)
        storeRow(c + 4 * cRowStride, c40, c41, accumulate)
        storeRow(c + 5 * cRowStride, c50, c51, accumulate)
    }

    @inline(__always)
    private static func storeRow(
        _ row: UnsafeMutablePointer<Float>, _ left: SIMD8<Float>, _ right: SIMD8<Float>, _ accumulate: Bool
    ) {
        let raw = UnsafeMutableRawPointer(row)
        if accumulate {
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self) + left, as: SIMD8<Float>.self)
            raw.storeBytes(
                of: raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self) + right,
                toByteOffset: 32, as: SIMD8<Float>.self)
        } else {
            raw.storeBytes(of: left, as: SIMD8<Float>.self)
            raw.storeBytes(of: right, toByteOffset: 32, as: SIMD8<Float>.self)
        }
    }
}

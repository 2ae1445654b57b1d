/// Row stride of a packed A micro-panel, and so the largest depth block (a compile-time constant:
/// the broadcasts of the microkernel address the six rows with immediate offsets).
private let panelStride = 256

extension Float: GEMMScalar {
    static var microRows: Int { 6 }
    static var microColumns: Int { 16 }
    // 256 x 16 floats = 16 KB: the B micro-panel fills half of the 32 KB L1 and the A micro-panel
    // (6 KB) streams beside it.
    static var maximumDepthBlock: Int { panelStride }
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
            broadcast = SIMD8<Float>(repeating: aPanel[1 * panelStride])
            c10 = c10.addingProduct(broadcast, b0)
            c11 = c11.addingProduct(broadcast, b1)
            broadcast = SIMD8<Float>(repeating: aPanel[2 * panelStride])
            c20 = c20.addingProduct(broadcast, b0)
            c21 = c21.addingProduct(broadcast, b1)
            broadcast = SIMD8<Float>(repeating: aPanel[3 * panelStride])
            c30 = c30.addingProduct(broadcast, b0)
            c31 = c31.addingProduct(broadcast, b1)
            broadcast = SIMD8<Float>(repeating: aPanel[4 * panelStride])
            c40 = c40.addingProduct(broadcast, b0)
            c41 = c41.addingProduct(broadcast, b1)
            broadcast = SIMD8<Float>(repeating: aPanel[5 * panelStride])
            c50 = c50.addingProduct(broadcast, b0)
            c51 = c51.addingProduct(broadcast, b1)
            aPanel += 1
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

    static func copyPanelRow(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>) {
        let source = UnsafeRawPointer(source)
        let target = UnsafeMutableRawPointer(target)
        target.storeBytes(of: source.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
        target.storeBytes(
            of: source.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self), toByteOffset: 32, as: SIMD8<Float>.self)
    }

    static func blendPanelRow(
        first: UnsafePointer<Float>, second: UnsafePointer<Float>, split: Int, to target: UnsafeMutablePointer<Float>
    ) {
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let first = UnsafeRawPointer(first)
        let second = UnsafeRawPointer(second)
        let target = UnsafeMutableRawPointer(target)
        for half in 0..<2 {
            let offset = 32 * half
            let fromFirst = lanes .< SIMD8<Int32>(repeating: Int32(split - 8 * half))
            let blended = second.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                .replacing(with: first.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self), where: fromFirst)
            target.storeBytes(of: blended, toByteOffset: offset, as: SIMD8<Float>.self)
        }
    }
}

/// Row stride of a packed A micro-panel, and so the largest depth block (a compile-time constant:
/// the broadcasts of the microkernel address the six rows with immediate offsets).
private let panelStride = 256

extension Double: GEMMScalar {
    static var microRows: Int { 6 }
    static var microColumns: Int { 8 }
    // 256 x 8 doubles = 16 KB B micro-panel in L1, as for Float.
    static var maximumDepthBlock: Int { panelStride }
    // 72 x 256 doubles = 144 KB A block in L2, as for Float.
    static var maximumRowBlock: Int { 72 }
    // 256 x 512 doubles = 1 MB B block, as for Float.
    static var maximumColumnBlock: Int { 512 }

    /// 6 x 8 tile in 12 `SIMD4<Double>` accumulators: the same register plan as the `Float` kernel
    /// (a ymm register holds four doubles), so half the flops per instruction.
    static func microkernel(
        depth: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
        c: UnsafeMutablePointer<Double>, cRowStride: Int, accumulate: Bool
    ) {
        var c00 = SIMD4<Double>(), c01 = SIMD4<Double>()
        var c10 = SIMD4<Double>(), c11 = SIMD4<Double>()
        var c20 = SIMD4<Double>(), c21 = SIMD4<Double>()
        var c30 = SIMD4<Double>(), c31 = SIMD4<Double>()
        var c40 = SIMD4<Double>(), c41 = SIMD4<Double>()
        var c50 = SIMD4<Double>(), c51 = SIMD4<Double>()
        var aPanel = a
        var bPanel = UnsafeRawPointer(b)
        for _ in 0..<depth {
            let b0 = bPanel.loadUnaligned(as: SIMD4<Double>.self)
            let b1 = bPanel.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
            var broadcast = SIMD4<Double>(repeating: aPanel[0])
            c00 = c00.addingProduct(broadcast, b0)
            c01 = c01.addingProduct(broadcast, b1)
            broadcast = SIMD4<Double>(repeating: aPanel[1 * panelStride])
            c10 = c10.addingProduct(broadcast, b0)
            c11 = c11.addingProduct(broadcast, b1)
            broadcast = SIMD4<Double>(repeating: aPanel[2 * panelStride])
            c20 = c20.addingProduct(broadcast, b0)
            c21 = c21.addingProduct(broadcast, b1)
            broadcast = SIMD4<Double>(repeating: aPanel[3 * panelStride])
            c30 = c30.addingProduct(broadcast, b0)
            c31 = c31.addingProduct(broadcast, b1)
            broadcast = SIMD4<Double>(repeating: aPanel[4 * panelStride])
            c40 = c40.addingProduct(broadcast, b0)
            c41 = c41.addingProduct(broadcast, b1)
            broadcast = SIMD4<Double>(repeating: aPanel[5 * panelStride])
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
        _ row: UnsafeMutablePointer<Double>, _ left: SIMD4<Double>, _ right: SIMD4<Double>, _ accumulate: Bool
    ) {
        let raw = UnsafeMutableRawPointer(row)
        if accumulate {
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD4<Double>.self) + left, as: SIMD4<Double>.self)
            raw.storeBytes(
                of: raw.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self) + right,
                toByteOffset: 32, as: SIMD4<Double>.self)
        } else {
            raw.storeBytes(of: left, as: SIMD4<Double>.self)
            raw.storeBytes(of: right, toByteOffset: 32, as: SIMD4<Double>.self)
        }
    }

    static func copyPanelRow(from source: UnsafePointer<Double>, to target: UnsafeMutablePointer<Double>) {
        let source = UnsafeRawPointer(source)
        let target = UnsafeMutableRawPointer(target)
        target.storeBytes(of: source.loadUnaligned(as: SIMD4<Double>.self), as: SIMD4<Double>.self)
        target.storeBytes(
            of: source.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self), toByteOffset: 32, as: SIMD4<Double>.self)
    }

    static func blendPanelRow(
        first: UnsafePointer<Double>, second: UnsafePointer<Double>, split: Int, to target: UnsafeMutablePointer<Double>
    ) {
        let lanes = SIMD4<Int64>(0, 1, 2, 3)
        let first = UnsafeRawPointer(first)
        let second = UnsafeRawPointer(second)
        let target = UnsafeMutableRawPointer(target)
        for half in 0..<2 {
            let offset = 32 * half
            let fromFirst = lanes .< SIMD4<Int64>(repeating: Int64(split - 4 * half))
            let blended = second.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                .replacing(with: first.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self), where: fromFirst)
            target.storeBytes(of: blended, toByteOffset: offset, as: SIMD4<Double>.self)
        }
    }
}

/// 6 x 8 double-precision tile in 12 `SIMD4<Double>` accumulators: the register plan of the 6 x 16
/// Float kernel (a ymm register holds four doubles), so half the flops per instruction. Double is
/// Orbit's checking precision, so one kernel shape is enough.
enum Double6x8Kernel: GEMMKernel {
    typealias Scalar = Double
    typealias Vector = SIMD4<Double>
    static var microRows: Int { 6 }
    static var microColumns: Int { 8 }
    // 256 x 8 doubles = 16 KB B micro-panel in L1, as for Float.
    static var maximumDepthBlock: Int { 256 }
    // 72 x 256 doubles = 144 KB A block in L2, as for Float.
    static var maximumRowBlock: Int { 72 }
    // 256 x 512 doubles = 1 MB B block, as for Float.
    static var maximumColumnBlock: Int { 512 }
    static var panelStride: Int { 256 }

    @inline(never)  // inlined into the block loop it spills accumulators (measured: conv 67 -> 40 GFLOP/s)
    static func microkernel(
        depth: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
        c: UnsafeMutablePointer<Double>, cRowStride: Int, accumulate: Bool
    ) {
        var c00 = Vector(), c01 = Vector()
        var c10 = Vector(), c11 = Vector()
        var c20 = Vector(), c21 = Vector()
        var c30 = Vector(), c31 = Vector()
        var c40 = Vector(), c41 = Vector()
        var c50 = Vector(), c51 = Vector()
        var aPanel = a
        var bPanel = UnsafeRawPointer(b)
        for _ in 0..<depth {
            let b0 = bPanel.loadUnaligned(as: Vector.self)
            let b1 = bPanel.loadUnaligned(fromByteOffset: 32, as: Vector.self)
            var broadcast = Vector(repeating: aPanel[0])
            c00 = multiplyAdd(c00, broadcast, b0)
            c01 = multiplyAdd(c01, broadcast, b1)
            broadcast = Vector(repeating: aPanel[panelStride])
            c10 = multiplyAdd(c10, broadcast, b0)
            c11 = multiplyAdd(c11, broadcast, b1)
            broadcast = Vector(repeating: aPanel[2 * panelStride])
            c20 = multiplyAdd(c20, broadcast, b0)
            c21 = multiplyAdd(c21, broadcast, b1)
            broadcast = Vector(repeating: aPanel[3 * panelStride])
            c30 = multiplyAdd(c30, broadcast, b0)
            c31 = multiplyAdd(c31, broadcast, b1)
            broadcast = Vector(repeating: aPanel[4 * panelStride])
            c40 = multiplyAdd(c40, broadcast, b0)
            c41 = multiplyAdd(c41, broadcast, b1)
            broadcast = Vector(repeating: aPanel[5 * panelStride])
            c50 = multiplyAdd(c50, broadcast, b0)
            c51 = multiplyAdd(c51, broadcast, b1)
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
    private static func storeRow(_ row: UnsafeMutablePointer<Double>, _ v0: Vector, _ v1: Vector, _ accumulate: Bool) {
        storeVector(row, v0, accumulate)
        storeVector(row + 4, v1, accumulate)
    }
}

/// 6 x 16 single-precision tile in 12 `SIMD8<Float>` accumulators (12 of the 16 AVX2 ymm registers;
/// the other four hold two B vectors and one broadcast A value). Per depth step: 2 vector loads,
/// 6 broadcasts and 12 fused multiply-adds, enough independent FMAs to cover their latency on two
/// FMA pipes. The default Float kernel.
enum Float6x16Kernel: GEMMKernel {
    typealias Scalar = Float
    typealias Vector = SIMD8<Float>
    static var microRows: Int { 6 }
    static var microColumns: Int { 16 }
    // 256 x 16 floats = 16 KB: the B micro-panel fills half of the 32 KB L1; the A micro-panel
    // streams beside it.
    static var maximumDepthBlock: Int { 256 }
    // 144 x 256 floats = 144 KB: the A block sits in the 512 KB L2 with room for B and C traffic.
    static var maximumRowBlock: Int { 144 }
    // 256 x 1024 floats = 1 MB: a B block is reused by every row block of a tile, from L2/L3.
    static var maximumColumnBlock: Int { 1024 }
    static var panelStride: Int { 256 }

    @inline(never)  // inlined into the block loop it spills accumulators (measured: conv 67 -> 40 GFLOP/s)
    static func microkernel(
        depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool
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
    private static func storeRow(_ row: UnsafeMutablePointer<Float>, _ v0: Vector, _ v1: Vector, _ accumulate: Bool) {
        storeVector(row, v0, accumulate)
        storeVector(row + 8, v1, accumulate)
    }
}

/// 4 x 24 single-precision tile in 12 `SIMD8<Float>` accumulators: the same register plan as 6 x 16
/// (three B vectors, four broadcasts, 12 FMAs per depth step), for problems whose rows are a multiple
/// of 4 but not of 6, such as 32 or 128 output channels.
enum Float4x24Kernel: GEMMKernel {
    typealias Scalar = Float
    typealias Vector = SIMD8<Float>
    static var microRows: Int { 4 }
    static var microColumns: Int { 24 }
    // 256 x 24 floats = 24 KB B micro-panel plus a 4 KB A micro-panel in the 32 KB L1.
    static var maximumDepthBlock: Int { 256 }
    static var maximumRowBlock: Int { 144 }
    static var maximumColumnBlock: Int { 1008 }
    static var panelStride: Int { 256 }

    @inline(never)  // inlined into the block loop it spills accumulators (measured: conv 67 -> 40 GFLOP/s)
    static func microkernel(
        depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool
    ) {
        var c00 = Vector(), c01 = Vector(), c02 = Vector()
        var c10 = Vector(), c11 = Vector(), c12 = Vector()
        var c20 = Vector(), c21 = Vector(), c22 = Vector()
        var c30 = Vector(), c31 = Vector(), c32 = Vector()
        var aPanel = a
        var bPanel = UnsafeRawPointer(b)
        for _ in 0..<depth {
            let b0 = bPanel.loadUnaligned(as: Vector.self)
            let b1 = bPanel.loadUnaligned(fromByteOffset: 32, as: Vector.self)
            let b2 = bPanel.loadUnaligned(fromByteOffset: 64, as: Vector.self)
            var broadcast = Vector(repeating: aPanel[0])
            c00 = multiplyAdd(c00, broadcast, b0)
            c01 = multiplyAdd(c01, broadcast, b1)
            c02 = multiplyAdd(c02, broadcast, b2)
            broadcast = Vector(repeating: aPanel[panelStride])
            c10 = multiplyAdd(c10, broadcast, b0)
            c11 = multiplyAdd(c11, broadcast, b1)
            c12 = multiplyAdd(c12, broadcast, b2)
            broadcast = Vector(repeating: aPanel[2 * panelStride])
            c20 = multiplyAdd(c20, broadcast, b0)
            c21 = multiplyAdd(c21, broadcast, b1)
            c22 = multiplyAdd(c22, broadcast, b2)
            broadcast = Vector(repeating: aPanel[3 * panelStride])
            c30 = multiplyAdd(c30, broadcast, b0)
            c31 = multiplyAdd(c31, broadcast, b1)
            c32 = multiplyAdd(c32, broadcast, b2)
            aPanel += 1
            bPanel += 96
        }
        storeRow(c, c00, c01, c02, accumulate)
        storeRow(c + cRowStride, c10, c11, c12, accumulate)
        storeRow(c + 2 * cRowStride, c20, c21, c22, accumulate)
        storeRow(c + 3 * cRowStride, c30, c31, c32, accumulate)
    }

    @inline(__always)
    private static func storeRow(
        _ row: UnsafeMutablePointer<Float>, _ v0: Vector, _ v1: Vector, _ v2: Vector, _ accumulate: Bool
    ) {
        storeVector(row, v0, accumulate)
        storeVector(row + 8, v1, accumulate)
        storeVector(row + 16, v2, accumulate)
    }
}

/// `*target = value`, or `*target += value` when accumulating; no alignment required.
@inline(__always)
func storeVector<Vector: SIMD>(_ target: UnsafeMutablePointer<Vector.Scalar>, _ value: Vector, _ accumulate: Bool)
where Vector.Scalar: FloatingPoint {
    let raw = UnsafeMutableRawPointer(target)
    raw.storeBytes(of: accumulate ? raw.loadUnaligned(as: Vector.self) + value : value, as: Vector.self)
}

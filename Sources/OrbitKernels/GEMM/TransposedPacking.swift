// Packing a B micro-panel from a transposed view (unit row stride: each column of B contiguous), as
// the weight gradient does with dYᵀ. Element by element that is one load and one store per element;
// with 8 x 8 register transposes it is one vector load and one vector store per eight.

extension GEMMKernel {
    /// Packs nr full columns of B: `panel[p * nr + j] = source[p + j * columnStride]` for p < depth.
    static func packTransposedPanel(
        source: UnsafePointer<Scalar>, columnStride: Int, depth: Int, into panel: UnsafeMutablePointer<Scalar>
    ) {
        packTransposedColumns(source: source, columnStride: columnStride, depth: 0..<depth, into: panel)
    }

    @inline(__always)
    static func packTransposedColumns(
        source: UnsafePointer<Scalar>, columnStride: Int, depth: Range<Int>, into panel: UnsafeMutablePointer<Scalar>
    ) {
        for j in 0..<microColumns {
            let column = source + j * columnStride
            for p in depth { panel[p * microColumns + j] = column[p] }
        }
    }
}

extension GEMMKernel where Vector == SIMD8<Float> {
    static func packTransposedPanel(
        source: UnsafePointer<Float>, columnStride: Int, depth: Int, into panel: UnsafeMutablePointer<Float>
    ) {
        let blocks = depth / 8
        for block in 0..<blocks {
            for group in 0..<(microColumns / 8) {
                let columns = source + 8 * block + 8 * group * columnStride
                func column(_ j: Int) -> SIMD8<Float> {
                    UnsafeRawPointer(columns + j * columnStride).loadUnaligned(as: SIMD8<Float>.self)
                }
                let rows = transposed(column(0), column(1), column(2), column(3),
                                      column(4), column(5), column(6), column(7))
                let target = UnsafeMutableRawPointer(panel + 8 * block * microColumns + 8 * group)
                let rowBytes = 4 * microColumns
                target.storeBytes(of: rows.0, as: SIMD8<Float>.self)
                target.storeBytes(of: rows.1, toByteOffset: rowBytes, as: SIMD8<Float>.self)
                target.storeBytes(of: rows.2, toByteOffset: 2 * rowBytes, as: SIMD8<Float>.self)
                target.storeBytes(of: rows.3, toByteOffset: 3 * rowBytes, as: SIMD8<Float>.self)
                target.storeBytes(of: rows.4, toByteOffset: 4 * rowBytes, as: SIMD8<Float>.self)
                target.storeBytes(of: rows.5, toByteOffset: 5 * rowBytes, as: SIMD8<Float>.self)
                target.storeBytes(of: rows.6, toByteOffset: 6 * rowBytes, as: SIMD8<Float>.self)
                target.storeBytes(of: rows.7, toByteOffset: 7 * rowBytes, as: SIMD8<Float>.self)
            }
        }
        packTransposedColumns(source: source, columnStride: columnStride, depth: (8 * blocks)..<depth, into: panel)
    }
}

/// The transpose of the 8 x 8 matrix whose rows are `r0 ... r7`, in the three shuffle stages of the
/// AVX idiom (interleave pairs, combine 64-bit pairs, swap 128-bit halves); each initialiser below
/// takes lanes from two vectors only, which the compiler turns into a single shuffle instruction.
@inline(__always)
private func transposed(
    _ r0: SIMD8<Float>, _ r1: SIMD8<Float>, _ r2: SIMD8<Float>, _ r3: SIMD8<Float>,
    _ r4: SIMD8<Float>, _ r5: SIMD8<Float>, _ r6: SIMD8<Float>, _ r7: SIMD8<Float>
) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    func low(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5]) }
    func high(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7]) }
    func even(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5]) }
    func odd(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7]) }
    func first(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]) }
    func second(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[4], a[5], a[6], a[7], b[4], b[5], b[6], b[7]) }
    let t0 = low(r0, r1), t1 = high(r0, r1), t2 = low(r2, r3), t3 = high(r2, r3)
    let t4 = low(r4, r5), t5 = high(r4, r5), t6 = low(r6, r7), t7 = high(r6, r7)
    let u0 = even(t0, t2), u1 = odd(t0, t2), u2 = even(t1, t3), u3 = odd(t1, t3)
    let u4 = even(t4, t6), u5 = odd(t4, t6), u6 = even(t5, t7), u7 = odd(t5, t7)
    return (first(u0, u4), first(u1, u5), first(u2, u6), first(u3, u7),
            second(u0, u4), second(u1, u5), second(u2, u6), second(u3, u7))
}

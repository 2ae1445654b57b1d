/// The one-dimensional transforms of Winograd's F(4, 3) (Lavin and Gray 2016; interpolation points
/// 0, ±1, ±2 and ∞), which `WinogradConvolution` applies along rows and then along columns:
///
///     Bᵀ = [4  0 -5  0  1  0]     G = [ 1/4     0     0 ]     Aᵀ = [1  1  1  1  1  0]
///          [0 -4 -4  1  1  0]         [-1/6  -1/6  -1/6 ]          [0  1 -1  2 -2  0]
///          [0  4 -4 -1  1  0]         [-1/6   1/6  -1/6 ]          [0  1  1  4  4  0]
///          [0 -2 -1  2  1  0]         [1/24  1/12   1/6 ]          [0  1 -1  8 -8  1]
///          [0  2 -1 -2  1  0]         [1/24 -1/12   1/6 ]
///          [0  4  0 -5  0  1]         [ 0      0     1  ]
///
/// so that the correlation of six inputs d with three taps g is y = Aᵀ [(G g) ⊙ (Bᵀ d)] (four outputs).
/// The vector forms work on eight tiles at once, one per lane, and are arranged so every output of Bᵀ
/// and of A rounds at most twice, every output of Aᵀ at most three times (the scalings by 2, 4 and 8
/// are exact). The filter transforms G and Gᵀ run in Double.

/// A row or column of a transformed 6 x 6 tile (six vectors), eight tiles per vector.
struct SixVectors {
    var v0, v1, v2, v3, v4, v5: SIMD8<Float>
    @inline(__always) subscript(index: Int) -> SIMD8<Float> {
        switch index {
        case 0: v0
        case 1: v1
        case 2: v2
        case 3: v3
        case 4: v4
        default: v5
        }
    }
}

/// A row or column of a 4 x 4 output tile (four vectors), eight tiles per vector.
struct FourVectors {
    var v0, v1, v2, v3: SIMD8<Float>
    @inline(__always) subscript(index: Int) -> SIMD8<Float> {
        switch index {
        case 0: v0
        case 1: v1
        case 2: v2
        default: v3
        }
    }
}

/// Bᵀ (d0, ..., d5).
@inline(__always)
func winogradInputTransform(
    _ d0: SIMD8<Float>, _ d1: SIMD8<Float>, _ d2: SIMD8<Float>, _ d3: SIMD8<Float>, _ d4: SIMD8<Float>, _ d5: SIMD8<Float>
) -> SixVectors {
    let (a, b) = (d4 - 4 * d2, d3 - 4 * d1)
    let (c, e) = (d4 - d2, 2 * (d3 - d1))
    return SixVectors(v0: (d4 - d2) + 4 * (d0 - d2), v1: a + b, v2: a - b, v3: c + e, v4: c - e, v5: (d5 - d3) + 4 * (d1 - d3))
}

/// Aᵀ (m0, ..., m5).
@inline(__always)
func winogradOutputTransform(
    _ m0: SIMD8<Float>, _ m1: SIMD8<Float>, _ m2: SIMD8<Float>, _ m3: SIMD8<Float>, _ m4: SIMD8<Float>, _ m5: SIMD8<Float>
) -> FourVectors {
    let (sum, difference) = (m1 + m2, m1 - m2)
    let (outerSum, outerDifference) = (m3 + m4, m3 - m4)
    return FourVectors(v0: (m0 + sum) + outerSum, v1: difference + 2 * outerDifference, v2: sum + 4 * outerSum,
                       v3: (difference + 8 * outerDifference) + m5)
}

/// A (y0, ..., y3): the adjoint of `winogradOutputTransform`.
@inline(__always)
func winogradOutputGradientTransform(_ y0: SIMD8<Float>, _ y1: SIMD8<Float>, _ y2: SIMD8<Float>, _ y3: SIMD8<Float>) -> SixVectors {
    let (even, odd) = (y0 + y2, y1 + y3)
    let (evenScaled, oddScaled) = (y0 + 4 * y2, 2 * (y1 + 4 * y3))
    return SixVectors(v0: y0, v1: even + odd, v2: even - odd, v3: evenScaled + oddScaled, v4: evenScaled - oddScaled, v5: y3)
}

/// G (g0, g1, g2), in Double.
@inline(__always)
func winogradFilterTransform(_ g0: Double, _ g1: Double, _ g2: Double) -> (Double, Double, Double, Double, Double, Double) {
    let (outer, middle, scaled) = (g0 + g2, g1, (g0 / 4 + g2) / 6)
    return (g0 / 4, -(outer + middle) / 6, -(outer - middle) / 6, scaled + middle / 12, scaled - middle / 12, g2)
}

/// Gᵀ (w0, ..., w5): the adjoint of `winogradFilterTransform`, in Double.
@inline(__always)
func winogradFilterGradientTransform(_ w: (Double, Double, Double, Double, Double, Double)) -> SIMD3<Double> {
    let (sum, difference) = (w.1 + w.2, w.1 - w.2)
    let (outerSum, outerDifference) = (w.3 + w.4, w.3 - w.4)
    return SIMD3(w.0 / 4 - sum / 6 + outerSum / 24, -difference / 6 + outerDifference / 12, -sum / 6 + outerSum / 6 + w.5)
}

/// Lanes 4j, 4j + 1, 4j + 2 and 4j + 3 of 32 values: the four columns of eight 4-wide tiles.
@inline(__always)
func strideFourLanes(_ values: SIMD32<Float>) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    let (even, odd) = (values.evenHalf, values.oddHalf)
    return (even.evenHalf, odd.evenHalf, even.oddHalf, odd.oddHalf)
}

/// The inverse of `strideFourLanes`: lane 4j + b holds p_b[j].
@inline(__always)
func interleavedFourLanes(_ p0: SIMD8<Float>, _ p1: SIMD8<Float>, _ p2: SIMD8<Float>, _ p3: SIMD8<Float>) -> SIMD32<Float> {
    var (even, odd) = (SIMD16<Float>(), SIMD16<Float>())
    even.evenHalf = p0
    even.oddHalf = p2
    odd.evenHalf = p1
    odd.oddHalf = p3
    var values = SIMD32<Float>()
    values.evenHalf = even
    values.oddHalf = odd
    return values
}

/// The first `count` of 32 consecutive values (zeros after), reading no further.
@inline(__always)
func loadPixels(_ source: UnsafePointer<Float>, count: Int) -> SIMD32<Float> {
    if count >= 32 { return load32(source) }
    let low = SIMD16(lowHalf: load8(source, valid: count), highHalf: load8(source + 8, valid: count - 8))
    let high = SIMD16(lowHalf: load8(source + 16, valid: count - 16), highHalf: load8(source + 24, valid: count - 24))
    return SIMD32(lowHalf: low, highHalf: high)
}

/// Stores the first `count` of 32 values, writing no further.
@inline(__always)
func storePixels(_ values: SIMD32<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    if count >= 32 {
        UnsafeMutableRawPointer(target).storeBytes(of: values, as: SIMD32<Float>.self)
        return
    }
    for piece in 0..<4 {
        let remaining = count - 8 * piece
        let lanes = piece < 2 ? (piece == 0 ? values.lowHalf.lowHalf : values.lowHalf.highHalf)
            : (piece == 2 ? values.highHalf.lowHalf : values.highHalf.highHalf)
        if remaining >= 8 {
            store8(lanes, target + 8 * piece)
        } else if remaining == 4 {
            UnsafeMutableRawPointer(target + 8 * piece).storeBytes(of: lanes.lowHalf, as: SIMD4<Float>.self)
        } else {
            for lane in 0..<max(remaining, 0) { target[8 * piece + lane] = lanes[lane] }
        }
    }
}

/// The first `valid` of eight consecutive values (zeros after), reading no further.
@inline(__always)
func load8(_ source: UnsafePointer<Float>, valid: Int) -> SIMD8<Float> {
    if valid >= 8 { return load8(source) }
    if valid == 4 { return SIMD8(lowHalf: UnsafeRawPointer(source).loadUnaligned(as: SIMD4<Float>.self), highHalf: .zero) }
    var lanes = SIMD8<Float>()
    for lane in 0..<max(valid, 0) { lanes[lane] = source[lane] }
    return lanes
}

@inline(__always)
func load8(_ source: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(source).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func load32(_ source: UnsafePointer<Float>) -> SIMD32<Float> {
    UnsafeRawPointer(source).loadUnaligned(as: SIMD32<Float>.self)
}

@inline(__always)
func store8(_ value: SIMD8<Float>, _ target: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(target).storeBytes(of: value, as: SIMD8<Float>.self)
}

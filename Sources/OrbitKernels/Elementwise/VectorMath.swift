/// Transcendental functions on `SIMD8<Float>`, which the standard library does not provide (STYLE K4).
///
/// Each function is branch-free: both sides of every case are computed and lanes are selected with
/// masks, so a vector costs the same whatever its values. Polynomial coefficients are the single-precision
/// minimax fits published with Stephen Moshier's Cephes library (cephes/single: expf.c, logf.c, tanhf.c);
/// the code around them is Orbit's. Errors were measured against `Double` results of the C library on
/// every float in the stated ranges (`ORBIT_EXHAUSTIVE=1` with Tests/OrbitKernelsTests/VectorMathTests.swift,
/// which by default re-measures every 61st float and fails if an error grows past its bound):
///
/// | function | inputs tested                          | max error measured | test bound |
/// |----------|----------------------------------------|--------------------|------------|
/// | exp      | every float in [-87.3, 88.7]           | 0.990 ulp (x = 70.40)  | 1 ulp   |
/// | log      | every positive finite float            | 0.829 ulp (x = 0.700)  | 1 ulp   |
/// | tanh     | every float in [-10, 10]               | 1.330 ulp (x = 0.628)  | 1.5 ulp |
///
/// Special values: exp(+inf) = +inf, exp(-inf) = 0, exp(x) overflows to +inf above ~88.72 and
/// underflows gradually to 0 below ~-87.3; log(0) = -inf, log(x < 0) = NaN, log(+inf) = +inf;
/// tanh(±inf) = ±1. NaN in, NaN out, for all three.
enum VectorMath {
    /// e^x. Range reduction x = n·ln2 + r with |r| <= ln2/2 (Cody-Waite: ln2 split into an 9-bit head,
    /// so n·head is exact, and a tail), a degree-7 polynomial for e^r, then scaling by 2^n in two steps
    /// so that n = 128 (x close to the overflow threshold) and subnormal results stay correct.
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let clamped = x.clamped(lowerBound: SIMD8(repeating: -104), upperBound: SIMD8(repeating: 89))
        let n = (clamped * 1.44269504088896341).rounded(.toNearestOrEven)
        var r = clamped - n * 0.693359375
        r = r - n * -2.12194440e-4
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * (r * r) + r + 1
        // n as an integer: adding 1.5·2^23 puts it in the low mantissa bits (exact for |n| < 2^22).
        let integer = bits(n + 12582912) &- 0x4B40_0000
        let half = integer &>> 1
        let rest = integer &- half
        let scale1 = float(bits: (half &+ 127) &<< 23)
        let scale2 = float(bits: (rest &+ 127) &<< 23)
        return (y * scale1 * scale2).replacing(with: x, where: x .!= x)
    }

    /// ln(x). Splits x = m·2^e with m in [√½, √2), so log x = e·ln2 + log(1 + f), f = m - 1, and
    /// evaluates log(1 + f) = f - f²/2 + f³·P(f) with a degree-8 polynomial P; ln2 is again split in two.
    /// Subnormal inputs are scaled by 2^23 first.
    @inline(__always)
    static func log(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let subnormal = x .< Float.leastNormalMagnitude
        let scaled = x.replacing(with: x * 8388608, where: subnormal)
        let pattern = bits(scaled)
        // The biased exponent as a float, by the same 1.5·2^23 trick in reverse.
        var exponent = float(bits: ((pattern &>> 23) & 0xFF) &+ 0x4B40_0000) - 12582912 - 126
        exponent = exponent.replacing(with: exponent - 23, where: subnormal)
        var m = float(bits: (pattern & 0x007F_FFFF) | 0x3F00_0000)
        let belowRootHalf = m .< 0.707106781186547524
        exponent = exponent.replacing(with: exponent - 1, where: belowRootHalf)
        m = m.replacing(with: m + m, where: belowRootHalf)
        let f = m - 1
        let z = f * f
        var p = SIMD8<Float>(repeating: 7.0376836292e-2)
        p = p * f - 1.1514610310e-1
        p = p * f + 1.1676998740e-1
        p = p * f - 1.2420140846e-1
        p = p * f + 1.4249322787e-1
        p = p * f - 1.6668057665e-1
        p = p * f + 2.0000714765e-1
        p = p * f - 2.4999993993e-1
        p = p * f + 3.3333331174e-1
        var y = p * f * z
        y = y + exponent * -2.12194440e-4
        y = y - 0.5 * z
        var result = f + y + exponent * 0.693359375
        result = result.replacing(with: -.infinity, where: x .== 0)
        result = result.replacing(with: .infinity, where: x .== .infinity)
        result = result.replacing(with: .nan, where: x .< 0)
        return result.replacing(with: x, where: x .!= x)
    }

    /// tanh(x). For |x| < 0.625 an odd polynomial x + x³·P(x²) (degree 4 in x²); above, through exp:
    /// tanh|x| = 1 - 2 / (e^{2|x|} + 1), which saturates to 1 without a special case.
    @inline(__always)
    static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let magnitude = abs(x)
        let z = x * x
        var p = SIMD8<Float>(repeating: -5.70498872745e-3)
        p = p * z + 2.06390887954e-2
        p = p * z - 5.37397155531e-2
        p = p * z + 1.33314422036e-1
        p = p * z - 3.33332819422e-1
        let small = p * z * x + x
        let large = 1 - 2 / (exp(magnitude + magnitude) + 1)
        let signedLarge = large.replacing(with: -large, where: x .< 0)
        return signedLarge.replacing(with: small, where: magnitude .< 0.625)
    }

    @inline(__always)
    private static func abs(_ x: SIMD8<Float>) -> SIMD8<Float> { float(bits: bits(x) & 0x7FFF_FFFF) }

    @inline(__always)
    private static func bits(_ x: SIMD8<Float>) -> SIMD8<Int32> { unsafeBitCast(x, to: SIMD8<Int32>.self) }

    @inline(__always)
    private static func float(bits: SIMD8<Int32>) -> SIMD8<Float> { unsafeBitCast(bits, to: SIMD8<Float>.self) }
}

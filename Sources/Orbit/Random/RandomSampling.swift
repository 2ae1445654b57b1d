extension RandomGenerator {
    /// A standard normal sample by Marsaglia's polar method, which needs only a logarithm and a square
    /// root; both are computed here with IEEE arithmetic alone (`portableLog`), so samples are
    /// bit-identical on every platform. (The method yields pairs; the second is dropped to keep the
    /// generator a plain value with no cached state.)
    public mutating func nextStandardNormal() -> Double {
        while true {
            let u = 2 * nextUnitDouble() - 1
            let v = 2 * nextUnitDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * portableLog(s) / s).squareRoot()
            }
        }
    }
}

/// Natural logarithm from IEEE operations only (no C library), accurate to about 1 ulp: x = m·2^e with
/// m in [√½, √2), then log m = 2·atanh(s), s = (m - 1)/(m + 1), |s| < 0.172, by its odd series to s²³
/// (truncation below 1e-19); ln 2 is split in a head with a short mantissa and a tail.
func portableLog(_ x: Double) -> Double {
    precondition(x > 0 && x.isFinite)
    var exponent = Double(x.exponent)
    var m = x.significand
    if m > 1.4142135623730951 {
        m /= 2
        exponent += 1
    }
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    var series = 1.0 / 23
    for k in stride(from: 21, through: 3, by: -2) { series = series * s2 + 1 / Double(k) }
    let logM = 2 * s * (series * s2 + 1)
    return exponent * 6.93147180369123816490e-01 + (logM + exponent * 1.90821492927058770002e-10)
}

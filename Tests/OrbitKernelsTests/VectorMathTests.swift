import Foundation
import Testing
@testable import OrbitKernels

// Measures the error of Orbit's SIMD exp/log/tanh in ulps against the C library in Double (STYLE K4),
// over float bit patterns in each function's documented range. By default every 61st float is tested
// (tens of millions of inputs); ORBIT_EXHAUSTIVE=1 tests every float (the figures in VectorMath.swift).

private let patternStride: UInt32 = ProcessInfo.processInfo.environment["ORBIT_EXHAUSTIVE"] == "1" ? 1 : 61

/// Largest error in ulps of `approximation` against `reference` over floats in [lower, upper].
private func maximumUlpError(_ lower: Float, _ upper: Float, _ approximation: (SIMD8<Float>) -> SIMD8<Float>,
                             _ reference: (Double) -> Double) -> (ulps: Double, at: Float) {
    var inputs: [Float] = []
    // Walk the bit patterns of the negative part (descending magnitudes) and of the positive part.
    func append(from start: Float, to end: Float) {
        var pattern = start.bitPattern
        let last = end.bitPattern
        while pattern <= last {
            inputs.append(Float(bitPattern: pattern))
            let (next, overflow) = pattern.addingReportingOverflow(patternStride)
            if overflow { break }
            pattern = next
        }
    }
    if lower < 0 { append(from: -Float.zero, to: -lower) }
    if upper > 0 { append(from: max(0, lower), to: upper) }
    var worst = (ulps: 0.0, at: Float.zero)
    var index = 0
    while index < inputs.count {
        var vector = SIMD8<Float>(repeating: inputs[index])
        let lanes = min(8, inputs.count - index)
        for lane in 0..<lanes { vector[lane] = inputs[index + lane] }
        let result = approximation(vector)
        for lane in 0..<lanes {
            let x = vector[lane]
            let exact = reference(Double(x))
            let rounded = Float(exact)
            guard rounded.isFinite, rounded != 0 else { continue }
            let error = abs(Double(result[lane]) - exact) / Double(rounded.ulp)
            if error > worst.ulps { worst = (error, x) }
        }
        index += 8
    }
    return worst
}

@Test func expIsWithinOneUlp() {
    let worst = maximumUlpError(-87.3, 88.7, VectorMath.exp, Foundation.exp)
    #expect(worst.ulps <= 1.0, "exp: \(worst.ulps) ulp at \(worst.at)")
}

@Test func logIsWithinOneUlp() {
    let worst = maximumUlpError(.leastNonzeroMagnitude, .greatestFiniteMagnitude, VectorMath.log, Foundation.log)
    #expect(worst.ulps <= 1.0, "log: \(worst.ulps) ulp at \(worst.at)")
}

@Test func tanhIsWithinOneAndAHalfUlps() {
    let worst = maximumUlpError(-10, 10, VectorMath.tanh, Foundation.tanh)
    #expect(worst.ulps <= 1.5, "tanh: \(worst.ulps) ulp at \(worst.at)")
}

@Test func specialValues() {
    let inputs = SIMD8<Float>(.infinity, -.infinity, .nan, 0, -0.0, 100, -200, 1)
    let e = VectorMath.exp(inputs)
    #expect(e[0] == .infinity && e[1] == 0 && e[2].isNaN && e[3] == 1 && e[4] == 1 && e[5] == .infinity && e[6] == 0)
    let l = VectorMath.log(SIMD8<Float>(.infinity, 0, .nan, -1, 1, .leastNonzeroMagnitude, -0.0, .greatestFiniteMagnitude))
    #expect(l[0] == .infinity && l[1] == -.infinity && l[2].isNaN && l[3].isNaN && l[4] == 0)
    #expect(abs(Double(l[5]) - Foundation.log(Double(Float.leastNonzeroMagnitude))) < 1e-4)
    #expect(l[6] == -.infinity)
    let t = VectorMath.tanh(SIMD8<Float>(.infinity, -.infinity, .nan, 0, 50, -50, 1e-30, -0.0))
    #expect(t[0] == 1 && t[1] == -1 && t[2].isNaN && t[3] == 0 && t[4] == 1 && t[5] == -1 && t[6] == 1e-30)
}

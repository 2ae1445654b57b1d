import Foundation
import Testing
@testable import OrbitKernels

// The FFT against a direct DFT summed in float64 (STYLE T10), over powers of two (radix-2) and other
// lengths (Bluestein), including 1, primes and the 28 of MNIST; then the Fourier shift kernel against
// its definition, a direct DFT of each row and column multiplied by the phases.

private func randomSignal(_ count: Int, seed: UInt64) -> [Double] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
}

/// X[k] = Σ_j x[j] e^{∓2πi jk/n}, with jk reduced modulo n so every angle is accurate.
private func directDFT(_ real: [Double], _ imaginary: [Double], inverse: Bool = false) -> (real: [Double], imaginary: [Double]) {
    let n = real.count, sign = inverse ? 1.0 : -1.0
    var outputReal = [Double](repeating: 0, count: n), outputImaginary = [Double](repeating: 0, count: n)
    for k in 0..<n {
        for j in 0..<n {
            let angle = sign * 2 * Double.pi * Double((j * k) % n) / Double(n)
            outputReal[k] += real[j] * cos(angle) - imaginary[j] * sin(angle)
            outputImaginary[k] += real[j] * sin(angle) + imaginary[j] * cos(angle)
        }
        if inverse { (outputReal[k], outputImaginary[k]) = (outputReal[k] / Double(n), outputImaginary[k] / Double(n)) }
    }
    return (outputReal, outputImaginary)
}

/// max |a - b| / max |b| over both parts.
private func relativeError(_ a: (real: [Double], imaginary: [Double]), _ b: (real: [Double], imaginary: [Double])) -> Double {
    let scale = max(zip(b.real, b.imaginary).map { max(abs($0), abs($1)) }.max() ?? 0, 1e-300)
    let error = zip(a.real + a.imaginary, b.real + b.imaginary).map { abs($0 - $1) }.max() ?? 0
    return error / scale
}

@Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 28, 31, 32, 64, 100, 128])
func theFFTMatchesTheDirectDFTToRounding(count: Int) {
    let transform = FourierTransform(count: count)
    let (real, imaginary) = (randomSignal(count, seed: UInt64(count)), randomSignal(count, seed: UInt64(count) + 100))
    let forward = transform.transformed(real: real, imaginary: imaginary)
    let forwardError = relativeError(forward, directDFT(real, imaginary))
    #expect(forwardError < 1e-15 * Double(max(count, 4)).squareRoot(), "n = \(count): forward error \(forwardError)")
    let inverseError = relativeError(transform.transformed(real: real, imaginary: imaginary, inverse: true),
                                     directDFT(real, imaginary, inverse: true))
    #expect(inverseError < 1e-15 * Double(max(count, 4)).squareRoot(), "n = \(count): inverse error \(inverseError)")
    let back = transform.transformed(real: forward.real, imaginary: forward.imaginary, inverse: true)
    #expect(relativeError(back, (real, imaginary)) < 1e-15 * Double(max(count, 4)).squareRoot(), "n = \(count): round trip")
}

@Test func theFFTOfAnImpulseIsFlatAndOfAConstantIsAnImpulse() {
    for count in [5, 8, 28] {
        let transform = FourierTransform(count: count)
        var impulse = [Double](repeating: 0, count: count)
        impulse[0] = 1
        let flat = transform.transformed(real: impulse, imaginary: [Double](repeating: 0, count: count))
        #expect(flat.real.allSatisfy { abs($0 - 1) < 1e-15 } && flat.imaginary.allSatisfy { abs($0) < 1e-15 }, "n = \(count)")
        let constant = transform.transformed(real: [Double](repeating: 1, count: count), imaginary: [Double](repeating: 0, count: count))
        #expect(abs(constant.real[0] - Double(count)) < 1e-13 && constant.real.dropFirst().allSatisfy { abs($0) < 1e-13 })
    }
}

/// The Fourier shift by its definition, one line at a time: a direct DFT, the phases of FourierShift.swift
/// (cos(π d) at an even size's Nyquist bin), the inverse DFT, the real part.
private func referenceShift(_ line: [Double], by shift: Double) -> [Double] {
    let n = line.count
    let spectrum = directDFT(line, [Double](repeating: 0, count: n))
    var (real, imaginary) = spectrum
    for k in 0..<n {
        let (c, s): (Double, Double)
        if 2 * k == n {
            (c, s) = (cos(Double.pi * shift), 0)
        } else {
            let angle = -2 * Double.pi * Double(2 * k < n ? k : k - n) * shift / Double(n)
            (c, s) = (cos(angle), sin(angle))
        }
        (real[k], imaginary[k]) = (spectrum.real[k] * c - spectrum.imaginary[k] * s, spectrum.real[k] * s + spectrum.imaginary[k] * c)
    }
    return directDFT(real, imaginary, inverse: true).real
}

@Test(arguments: [(5, 7), (6, 4), (28, 28), (3, 16)])
func theFourierShiftKernelIsTheShiftOfEveryRowThenEveryColumn(height: Int, width: Int) {
    let (images, channels) = (2, 3)
    let shifts: [[Double]] = [[0.37, -1.6], [-2.25, 0]]
    let input = randomSignal(images * channels * height * width, seed: 7)
    var output = [Double](repeating: .nan, count: input.count)
    input.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { destination in
            fourierShift(source.baseAddress!, destination.baseAddress!, images: images, channels: channels, height: height,
                         width: width, shifts: shifts)
        }
    }
    var worst = 0.0
    for plane in 0..<(images * channels) {
        let shift = shifts[plane / channels]
        let rows = (0..<height).map { row in
            referenceShift(Array(input[(plane * height + row) * width..<(plane * height + row + 1) * width]), by: shift[1])
        }
        for column in 0..<width {
            let expected = referenceShift(rows.map { $0[column] }, by: shift[0])
            for row in 0..<height {
                worst = max(worst, abs(output[(plane * height + row) * width + column] - expected[row]))
            }
        }
    }
    #expect(worst < 1e-14, "\(height)x\(width): max error \(worst)")
}

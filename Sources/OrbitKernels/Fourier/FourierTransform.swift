import Foundation

/// The complex discrete Fourier transform of one length n ≥ 1, planned once and applied to any number
/// of signals, in float64:
///
///     forward  X[k] = Σ_j x[j] e^{-2πi jk/n}          inverse  x[j] = (1/n) Σ_k X[k] e^{+2πi jk/n}
///
/// Signals are split into real and imaginary arrays of n values each. Algorithms:
/// - n a power of two: iterative radix-2 Cooley-Tukey (bit-reversed order in, decimation in time),
///   O(n log n), twiddles e^{-2πi k/n} each from one `cos`/`sin` call (no recurrence, so no drift);
/// - any other n: Bluestein's chirp-z identity jk = (j² + k² - (k - j)²)/2, which turns the DFT into a
///   circular convolution of length m = the power of two ≥ 2n - 1, done with three radix-2 transforms of
///   length m (one of them precomputed here). The chirp e^{-πi j²/n} uses j² mod 2n, so its angle stays
///   below 2π and is as accurate as a twiddle.
/// The inverse is the forward transform of the conjugate, conjugated and scaled by 1/n. Measured against
/// a direct DFT summed in float64 (Tests/OrbitKernelsTests/FourierTransformTests.swift, random signals):
/// max |error| / max |X| from 1e-16 to 1.1e-15 over the 16 tested lengths 1...128 of both kinds (the
/// largest at n = 100 and n = 7, both Bluestein).
public struct FourierTransform: Sendable {
    /// n, the signal length.
    public let count: Int
    /// m: n itself for a power of two, else Bluestein's convolution length.
    private let paddedCount: Int
    /// e^{-2πi k/m}, k < m/2: the radix-2 twiddles of length m.
    private let twiddleReal: [Double], twiddleImaginary: [Double]
    /// Bluestein only: the chirp c[j] = e^{-πi j²/n}, j < n, and the forward transform (length m) of
    /// b[j] = conj c[|j|] wrapped around (b[m - j] = b[j]).
    private let chirpReal: [Double], chirpImaginary: [Double]
    private let kernelReal: [Double], kernelImaginary: [Double]

    public init(count: Int) {
        precondition(count >= 1, "FourierTransform: length \(count) must be at least 1")
        self.count = count
        let isPowerOfTwo = count & (count - 1) == 0
        var padded = 1
        while padded < (isPowerOfTwo ? count : 2 * count - 1) { padded <<= 1 }
        paddedCount = padded
        let half = max(1, padded / 2)
        twiddleReal = (0..<half).map { cos(-2 * Double.pi * Double($0) / Double(padded)) }
        twiddleImaginary = (0..<half).map { sin(-2 * Double.pi * Double($0) / Double(padded)) }
        guard !isPowerOfTwo else {
            (chirpReal, chirpImaginary, kernelReal, kernelImaginary) = ([], [], [], [])
            return
        }
        let angles = (0..<count).map { j in -Double.pi * Double((j * j) % (2 * count)) / Double(count) }
        chirpReal = angles.map(cos)
        chirpImaginary = angles.map(sin)
        var real = [Double](repeating: 0, count: padded), imaginary = [Double](repeating: 0, count: padded)
        for j in 0..<count {
            (real[j], imaginary[j]) = (chirpReal[j], -chirpImaginary[j])
            if j > 0 { (real[padded - j], imaginary[padded - j]) = (chirpReal[j], -chirpImaginary[j]) }
        }
        FourierTransform.radix2(&real, &imaginary, count: padded, twiddleReal, twiddleImaginary)
        kernelReal = real
        kernelImaginary = imaginary
    }

    /// Scratch a transform of this length needs: 2m values for Bluestein, none for a power of two.
    public var scratchCount: Int { chirpReal.isEmpty ? 0 : 2 * paddedCount }

    /// Transforms the n values at `real`, `imaginary` in place. `scratch` holds `scratchCount` values
    /// (contents ignored and overwritten), so a caller looping over many signals allocates it once.
    public func transform(real: UnsafeMutablePointer<Double>, imaginary: UnsafeMutablePointer<Double>,
                          inverse: Bool = false, scratch: UnsafeMutablePointer<Double>? = nil) {
        if inverse { for j in 0..<count { imaginary[j] = -imaginary[j] } }
        if chirpReal.isEmpty {
            FourierTransform.radix2(real, imaginary, count: count, twiddleReal, twiddleImaginary)
        } else {
            bluestein(real, imaginary, scratch!)
        }
        if inverse {
            let scale = 1 / Double(count)
            for j in 0..<count {
                real[j] *= scale
                imaginary[j] = -imaginary[j] * scale
            }
        }
    }

    /// Arrays in, arrays out: the transform of (`real`, `imaginary`), each of n values.
    public func transformed(real: [Double], imaginary: [Double], inverse: Bool = false) -> (real: [Double], imaginary: [Double]) {
        precondition(real.count == count && imaginary.count == count, "FourierTransform: expected \(count) values")
        var (outputReal, outputImaginary) = (real, imaginary)
        var scratch = [Double](repeating: 0, count: scratchCount)
        outputReal.withUnsafeMutableBufferPointer { re in
            outputImaginary.withUnsafeMutableBufferPointer { im in
                scratch.withUnsafeMutableBufferPointer { work in
                    transform(real: re.baseAddress!, imaginary: im.baseAddress!, inverse: inverse, scratch: work.baseAddress)
                }
            }
        }
        return (outputReal, outputImaginary)
    }

    /// X[k] = c[k] · Σ_j (x[j] c[j]) · conj c[k - j]: chirp, convolve by the precomputed kernel through
    /// length-m transforms, chirp again.
    private func bluestein(_ real: UnsafeMutablePointer<Double>, _ imaginary: UnsafeMutablePointer<Double>,
                           _ scratch: UnsafeMutablePointer<Double>) {
        let m = paddedCount
        let (workReal, workImaginary) = (scratch, scratch + m)
        for j in 0..<count {
            workReal[j] = real[j] * chirpReal[j] - imaginary[j] * chirpImaginary[j]
            workImaginary[j] = real[j] * chirpImaginary[j] + imaginary[j] * chirpReal[j]
        }
        for j in count..<m { (workReal[j], workImaginary[j]) = (0, 0) }
        FourierTransform.radix2(workReal, workImaginary, count: m, twiddleReal, twiddleImaginary)
        // Product with the kernel's transform, conjugated, so one more forward transform inverts it.
        for k in 0..<m {
            let (a, b) = (workReal[k], workImaginary[k]), (c, d) = (kernelReal[k], kernelImaginary[k])
            (workReal[k], workImaginary[k]) = (a * c - b * d, -(a * d + b * c))
        }
        FourierTransform.radix2(workReal, workImaginary, count: m, twiddleReal, twiddleImaginary)
        let scale = 1 / Double(m)
        for k in 0..<count {
            // The convolution is conj(result) / m; then multiply by the chirp.
            let (a, b) = (workReal[k] * scale, -workImaginary[k] * scale)
            real[k] = a * chirpReal[k] - b * chirpImaginary[k]
            imaginary[k] = a * chirpImaginary[k] + b * chirpReal[k]
        }
    }

    /// In-place radix-2 forward transform of length `count` (a power of two) with the twiddles of `count`.
    private static func radix2(_ real: UnsafeMutablePointer<Double>, _ imaginary: UnsafeMutablePointer<Double>, count: Int,
                               _ twiddleReal: [Double], _ twiddleImaginary: [Double]) {
        guard count > 1 else { return }
        var reversed = 0
        for index in 1..<count {
            var bit = count >> 1
            while reversed & bit != 0 {
                reversed ^= bit
                bit >>= 1
            }
            reversed |= bit
            if index < reversed {
                swap(&real[index], &real[reversed])
                swap(&imaginary[index], &imaginary[reversed])
            }
        }
        var length = 2
        while length <= count {
            let half = length / 2, stride = count / length
            var start = 0
            while start < count {
                for offset in 0..<half {
                    let (wr, wi) = (twiddleReal[offset * stride], twiddleImaginary[offset * stride])
                    let (top, bottom) = (start + offset, start + offset + half)
                    let productReal = real[bottom] * wr - imaginary[bottom] * wi
                    let productImaginary = real[bottom] * wi + imaginary[bottom] * wr
                    (real[bottom], imaginary[bottom]) = (real[top] - productReal, imaginary[top] - productImaginary)
                    (real[top], imaginary[top]) = (real[top] + productReal, imaginary[top] + productImaginary)
                }
                start += length
            }
            length <<= 1
        }
    }

    private static func radix2(_ real: inout [Double], _ imaginary: inout [Double], count: Int,
                               _ twiddleReal: [Double], _ twiddleImaginary: [Double]) {
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                radix2(re.baseAddress!, im.baseAddress!, count: count, twiddleReal, twiddleImaginary)
            }
        }
    }
}

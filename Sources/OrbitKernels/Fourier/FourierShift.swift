import Foundation

/// Moves [images, channels, H, W] planes by real shifts on the torus with the band-limited (Fourier)
/// interpolant: image i by `shifts[i % shifts.count]` = (dy, dx), content moving down by dy rows and
/// right by dx columns (as `Tensor.rolled`). Along an axis of length n, with signed frequencies
/// q = k for k < n/2 and q = k - n for k > n/2,
///
///     y = F⁻¹( F(x) · φ ),   φ[k] = e^{-2πi q d/n},   and for even n the Nyquist bin k = n/2: φ = cos(π d).
///
/// The Nyquist convention keeps real inputs real: that bin holds one real number, and cos(π d) is the
/// value of the band-limited trigonometric interpolant with the Nyquist term split evenly between ±n/2
/// (the real part of either phase). It makes an integer d an exact roll ((-1)^d) and d = d₀ + r exactly
/// roll(d₀) after the shift by r, but shifts by s then t give cos(πs)cos(πt) there instead of
/// cos(π(s+t)): on even sizes the shifts form a group only on signals without a Nyquist component. (No
/// real convention can do better: the Nyquist line is one real dimension that a roll by 1 negates.)
///
/// The two axes are done one after the other (φ is a product, so the order does not matter). Two real
/// rows (or columns) go through one complex transform as real + i·imaginary parts, which is exact because
/// φ is Hermitian (φ[-q] = conj φ[q]) and so maps real signals to real ones. An axis whose shift is 0 is
/// skipped (an exact identity). Arithmetic is float64 for both element types; float32 results are the
/// float64 ones rounded once. The pullback of a shift by d is the shift by -d (φ(-d) = conj φ(d): the
/// transpose of a real circulant).
public func fourierShift(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, images: Int, channels: Int,
                         height: Int, width: Int, shifts: [[Double]]) {
    FourierShiftPlan(height: height, width: width, shifts: shifts).apply(input, output, images: images, channels: channels)
}

public func fourierShift(_ input: UnsafePointer<Double>, _ output: UnsafeMutablePointer<Double>, images: Int, channels: Int,
                         height: Int, width: Int, shifts: [[Double]]) {
    FourierShiftPlan(height: height, width: width, shifts: shifts).apply(input, output, images: images, channels: channels)
}

/// The transforms and phase vectors of one call: built once, shared by every plane.
struct FourierShiftPlan {
    let height: Int, width: Int
    let rows: FourierTransform, columns: FourierTransform
    /// Per shift: φ along W (nil when dx = 0) and along H (nil when dy = 0), as (real, imaginary).
    let phasesAlongWidth: [(real: [Double], imaginary: [Double])?]
    let phasesAlongHeight: [(real: [Double], imaginary: [Double])?]

    init(height: Int, width: Int, shifts: [[Double]]) {
        precondition(!shifts.isEmpty && shifts.allSatisfy { $0.count == 2 }, "fourierShift: one (dy, dx) per image")
        (self.height, self.width) = (height, width)
        rows = FourierTransform(count: max(width, 1))
        columns = FourierTransform(count: max(height, 1))
        phasesAlongWidth = shifts.map { $0[1] == 0 ? nil : FourierShiftPlan.phases(count: width, shift: $0[1]) }
        phasesAlongHeight = shifts.map { $0[0] == 0 ? nil : FourierShiftPlan.phases(count: height, shift: $0[0]) }
    }

    /// φ[k] for a shift by `shift` along an axis of `count` samples.
    static func phases(count: Int, shift: Double) -> (real: [Double], imaginary: [Double]) {
        var real = [Double](repeating: 0, count: count), imaginary = [Double](repeating: 0, count: count)
        for k in 0..<count {
            if 2 * k == count {
                real[k] = cos(Double.pi * shift)
                continue
            }
            let frequency = 2 * k < count ? k : k - count
            let angle = -2 * Double.pi * Double(frequency) * shift / Double(count)
            (real[k], imaginary[k]) = (cos(angle), sin(angle))
        }
        return (real, imaginary)
    }

    func apply<T: KernelFloat>(_ input: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>, images: Int, channels: Int) {
        let area = height * width
        guard area > 0 else { return }
        let planes = images * channels
        Parallel.forEachRange(planes, grain: Parallel.grain(costPerElement: 20 * area)) { range in
            var plane = [Double](repeating: 0, count: area)
            let longest = max(height, width)
            var real = [Double](repeating: 0, count: longest), imaginary = [Double](repeating: 0, count: longest)
            var scratch = [Double](repeating: 0, count: max(1, rows.scratchCount, columns.scratchCount))
            plane.withUnsafeMutableBufferPointer { plane in
                real.withUnsafeMutableBufferPointer { real in
                    imaginary.withUnsafeMutableBufferPointer { imaginary in
                        scratch.withUnsafeMutableBufferPointer { scratch in
                            let work = Work(real: real.baseAddress!, imaginary: imaginary.baseAddress!, scratch: scratch.baseAddress!)
                            for index in range {
                                let shift = (index / channels) % phasesAlongWidth.count
                                let source = input + index * area, destination = output + index * area
                                for position in 0..<area { plane[position] = Double(source[position]) }
                                if let phases = phasesAlongWidth[shift] {
                                    shiftLines(plane.baseAddress!, count: width, lines: height, stride: 1, lineStride: width,
                                               rows, phases, work)
                                }
                                if let phases = phasesAlongHeight[shift] {
                                    shiftLines(plane.baseAddress!, count: height, lines: width, stride: width, lineStride: 1,
                                               columns, phases, work)
                                }
                                for position in 0..<area { destination[position] = T(plane[position]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Buffers of one chunk: a line's real and imaginary parts and the transform's scratch.
    struct Work {
        let real: UnsafeMutablePointer<Double>, imaginary: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
    }

    /// Shifts `lines` lines of `count` samples (sample j of line l at `l * lineStride + j * stride`) in
    /// place, two lines per complex transform.
    private func shiftLines(_ plane: UnsafeMutablePointer<Double>, count: Int, lines: Int, stride: Int, lineStride: Int,
                            _ transform: FourierTransform, _ phases: (real: [Double], imaginary: [Double]), _ work: Work) {
        var line = 0
        while line < lines {
            let first = plane + line * lineStride, second = plane + (line + 1) * lineStride
            let paired = line + 1 < lines
            for j in 0..<count {
                work.real[j] = first[j * stride]
                work.imaginary[j] = paired ? second[j * stride] : 0
            }
            transform.transform(real: work.real, imaginary: work.imaginary, scratch: work.scratch)
            for k in 0..<count {
                let (a, b) = (work.real[k], work.imaginary[k]), (c, d) = (phases.real[k], phases.imaginary[k])
                (work.real[k], work.imaginary[k]) = (a * c - b * d, a * d + b * c)
            }
            transform.transform(real: work.real, imaginary: work.imaginary, inverse: true, scratch: work.scratch)
            for j in 0..<count {
                first[j * stride] = work.real[j]
                if paired { second[j * stride] = work.imaginary[j] }
            }
            line += 2
        }
    }
}

internal import OrbitKernels

/// How `translate` moves content by a fraction of a pixel on the torus.
public enum TranslationInterpolation: String, Sendable, CaseIterable {
    /// The band-limited (Fourier) shift: each frequency's phase advanced by the shift. Exact for
    /// band-limited content, commutes with every circular convolution, and the shifts by s then t make
    /// the shift by s + t (on even sizes only without a Nyquist component, see `translate`).
    case fourier
    /// Bilinear interpolation between the two nearest pixels of each axis, wrapping around. Local and
    /// cheap, but it blurs (a half-pixel shift averages neighbours), so it commutes with convolutions
    /// only approximately and two shifts do not compose to their sum.
    case bilinear
}

/// Moves the content of [N, C, H, W] maps on the torus by real shifts: image n by
/// `shifts[n % shifts.count]` = [dy, dx] pixels, down by dy and right by dx (`rolled`'s direction, so a
/// whole-pixel shift is `x.rolled(shifts: [dy, dx], axes: [2, 3])`: exactly for `.bilinear`, to rounding
/// for `.fourier`).
///
///     fourier   y = F⁻¹( F(x) · e^{-2πi (q_y dy/H + q_x dx/W)} ),  q the signed frequencies;
///               for even H (W) the Nyquist row (column) is multiplied by cos(π dy) (cos(π dx)) instead,
///               which keeps y real; then s then t is s + t only without Nyquist content
///     bilinear  y[i, j] = Σ over the four nearest pixels of (i - dy, j - dx), weights (1 - |Δi|)(1 - |Δj|)
///
/// Both are linear in x with transpose the shift by -shifts. Pullback: `translate(ḡ, by: -shifts)` with
/// the same interpolation. The shifts are constants (not differentiated). The Fourier shift runs in
/// float64 for both dtypes (one complex FFT per pair of rows and of columns; Bluestein's algorithm for
/// sizes that are not powers of two).
public func translate(_ x: Tensor, by shifts: [[Double]], interpolation: TranslationInterpolation) -> Tensor {
    checkFloatingPoint(x, "translate")
    check(x.rank == 4, "translate", "input must be [N, C, H, W], got shape \(x.shape)")
    check(!shifts.isEmpty && shifts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isFinite) }, "translate",
          "shifts must be one or more finite [dy, dx] pairs (image n uses shifts[n % count]), got \(shifts) for input \(x.shape)")
    let output = translationKernel(x, shifts, interpolation)
    return record("translate", inputs: [x], output: output) { g, _ in
        [translate(g, by: shifts.map { $0.map { -$0 } }, interpolation: interpolation)]
    }
}

private func translationKernel(_ x: Tensor, _ shifts: [[Double]], _ interpolation: TranslationInterpolation) -> Tensor {
    let output = Tensor(uninitializedShape: x.shape, dtype: x.dtype)
    let (images, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    switch (x.dtype, interpolation) {
    case (.float32, .fourier):
        fourierShift(x.pointer(Float.self), output.pointer(Float.self), images: images, channels: channels, height: height,
                     width: width, shifts: shifts)
    case (.float64, .fourier):
        fourierShift(x.pointer(Double.self), output.pointer(Double.self), images: images, channels: channels, height: height,
                     width: width, shifts: shifts)
    case (.float32, .bilinear):
        bilinearShift(x.pointer(Float.self), output.pointer(Float.self), images: images, channels: channels, height: height,
                      width: width, shifts: shifts)
    case (.float64, .bilinear):
        bilinearShift(x.pointer(Double.self), output.pointer(Double.self), images: images, channels: channels, height: height,
                      width: width, shifts: shifts)
    case (.int64, _), (.bool, _):
        fail("translate", "unreachable")
    }
    return output
}

import Foundation
internal import OrbitKernels

/// Resamples [N, C, H, W] feature maps bilinearly through the affine map `theta` of the normalized
/// plane, with zeros outside: PyTorch `grid_sample(x, affine_grid(θ, [N, C, H', W'],
/// align_corners=False), mode="bilinear", padding_mode="zeros", align_corners=False)`.
///
/// `theta` is a [2, 3] matrix shared by the batch, or [N, 2, 3]; it is a constant (not differentiated).
/// For a rotation of the content by angle α counter-clockwise as displayed (row 0 at the top), use
/// `rotationTheta(angle:)`. Pullback: ḡ scattered back through the same four taps.
public func affineResample(_ x: Tensor, theta: Tensor, outputSize: (height: Int, width: Int)? = nil) -> Tensor {
    checkFloatingPoint(x, "affineResample")
    check(x.rank == 4, "affineResample", "input must be [N, C, H, W], got shape \(x.shape)")
    let batch = x.shape[0], channels = x.shape[1]
    check(theta.shape == [2, 3] || theta.shape == [batch, 2, 3], "affineResample",
          "theta must be [2, 3] or [\(batch), 2, 3] for input \(x.shape), got \(theta.shape)")
    let size = outputSize ?? (x.shape[2], x.shape[3])
    check(size.height >= 1 && size.width >= 1, "affineResample", "output size \(size) must be positive")
    let matrices = theta.doubles
    let shared = theta.rank == 2
    let taps = (0..<(shared ? 1 : batch)).map { index in
        ResamplingTaps(theta: Array(matrices[(6 * index)..<(6 * index + 6)]), inputSize: (x.shape[2], x.shape[3]), outputSize: size)
    }
    let output = Tensor(uninitializedShape: [batch, channels, size.height, size.width], dtype: x.dtype)
    // Planes that share a θ are resampled in one call: all N·C planes, or C planes per image.
    let planesPerCall = shared ? batch * channels : channels
    for (index, tap) in taps.enumerated() {
        let inputOffset = index * channels * tap.inputArea, outputOffset = index * channels * tap.outputArea
        switch x.dtype {
        case .float32: resampleForward(tap, planes: planesPerCall, x.pointer(Float.self) + inputOffset, output.pointer(Float.self) + outputOffset)
        case .float64: resampleForward(tap, planes: planesPerCall, x.pointer(Double.self) + inputOffset, output.pointer(Double.self) + outputOffset)
        case .int64, .bool: fail("affineResample", "unreachable")
        }
    }
    let inputShape = x.shape
    return record("affineResample", inputs: [x], output: output) { g, _ in
        let result = Tensor(uninitializedShape: inputShape, dtype: g.dtype)
        for (index, tap) in taps.enumerated() {
            let inputOffset = index * channels * tap.inputArea, outputOffset = index * channels * tap.outputArea
            switch g.dtype {
            case .float32: resampleBackward(tap, planes: planesPerCall, g.pointer(Float.self) + outputOffset, result.pointer(Float.self) + inputOffset)
            case .float64: resampleBackward(tap, planes: planesPerCall, g.pointer(Double.self) + outputOffset, result.pointer(Double.self) + inputOffset)
            case .int64, .bool: fail("affineResample", "unreachable")
            }
        }
        return [result]
    }
}

/// The [2, 3] θ that rotates image content by `angle` radians counter-clockwise as displayed (row 0 at
/// the top), about the image centre. The grid maps output to input, so it holds the inverse rotation in
/// (x right, y down) coordinates: [[cos α, -sin α, 0], [sin α, cos α, 0]]. (On non-square images the
/// normalized plane is anisotropic, as in PyTorch.)
public func rotationTheta(angle: Double, dtype: DType = .float64) -> Tensor {
    let (c, s) = (Foundation.cos(angle), Foundation.sin(angle))
    return Tensor([c, -s, 0, s, c, 0], shape: [2, 3], dtype: dtype)
}

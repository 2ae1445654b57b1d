/// Bilinear resampling of [planes, H, W] feature maps through an affine map of the normalized plane,
/// with zeros outside: PyTorch `grid_sample(x, affine_grid(θ, size, align_corners=False),
/// mode="bilinear", padding_mode="zeros", align_corners=False)`.
///
/// Output pixel (i, j) of an H'×W' grid has normalized centre (x, y) = ((2j+1)/W' - 1, (2i+1)/H' - 1);
/// it samples the input at (xₛ, yₛ) = θ·(x, y, 1), i.e. at pixel coordinates
/// ((xₛ + 1)·W - 1)/2, ((yₛ + 1)·H - 1)/2, interpolating the four neighbours; neighbours outside the
/// input contribute zero. The taps depend only on θ and the sizes, so they are computed once per θ and
/// applied to every plane that shares it.
public struct ResamplingTaps: Sendable {
    /// For each output pixel: four flat input indices (-1 outside) and their weights.
    let indices: [Int32]
    let weights: [Double]
    public let outputArea: Int
    public let inputArea: Int

    /// `theta` is the 2×3 matrix row-major: [θ₀₀, θ₀₁, θ₀₂, θ₁₀, θ₁₁, θ₁₂].
    public init(theta: [Double], inputSize: (height: Int, width: Int), outputSize: (height: Int, width: Int)) {
        precondition(theta.count == 6)
        var indices = [Int32](), weights = [Double]()
        indices.reserveCapacity(4 * outputSize.height * outputSize.width)
        weights.reserveCapacity(4 * outputSize.height * outputSize.width)
        let (height, width) = (inputSize.height, inputSize.width)
        for row in 0..<outputSize.height {
            let y = (2 * Double(row) + 1) / Double(outputSize.height) - 1
            for column in 0..<outputSize.width {
                let x = (2 * Double(column) + 1) / Double(outputSize.width) - 1
                let sourceX = ((theta[0] * x + theta[1] * y + theta[2] + 1) * Double(width) - 1) / 2
                let sourceY = ((theta[3] * x + theta[4] * y + theta[5] + 1) * Double(height) - 1) / 2
                let left = sourceX.rounded(.down), top = sourceY.rounded(.down)
                let (fx, fy) = (sourceX - left, sourceY - top)
                for (dy, wy) in [(0, 1 - fy), (1, fy)] {
                    for (dx, wx) in [(0, 1 - fx), (1, fx)] {
                        let (r, c) = (top + Double(dy), left + Double(dx))
                        let inside = r >= 0 && r < Double(height) && c >= 0 && c < Double(width)
                        indices.append(inside ? Int32(Int(r) * width + Int(c)) : -1)
                        weights.append(inside ? wy * wx : 0)
                    }
                }
            }
        }
        self.indices = indices
        self.weights = weights
        outputArea = outputSize.height * outputSize.width
        inputArea = height * width
    }
}

/// Resamples `planes` planes: output plane p reads input plane p, both contiguous.
public func resampleForward(_ taps: ResamplingTaps, planes: Int, _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
    resample(taps, planes, input, output)
}

public func resampleForward(_ taps: ResamplingTaps, planes: Int, _ input: UnsafePointer<Double>, _ output: UnsafeMutablePointer<Double>) {
    resample(taps, planes, input, output)
}

/// The adjoint: scatters output cotangents back to the four taps (inputGradient is overwritten).
public func resampleBackward(_ taps: ResamplingTaps, planes: Int, _ outputGradient: UnsafePointer<Float>, _ inputGradient: UnsafeMutablePointer<Float>) {
    resampleAdjoint(taps, planes, outputGradient, inputGradient)
}

public func resampleBackward(_ taps: ResamplingTaps, planes: Int, _ outputGradient: UnsafePointer<Double>, _ inputGradient: UnsafeMutablePointer<Double>) {
    resampleAdjoint(taps, planes, outputGradient, inputGradient)
}

private func resample<T: KernelFloat>(_ taps: ResamplingTaps, _ planes: Int, _ input: UnsafePointer<T>, _ output: UnsafeMutablePointer<T>) {
    let weights = taps.weights.map { T($0) }
    Parallel.forEachRange(planes, grain: max(1, (1 << 14) / max(1, taps.outputArea))) { range in
        for plane in range {
            let source = input + plane * taps.inputArea, destination = output + plane * taps.outputArea
            for pixel in 0..<taps.outputArea {
                var sum: T = 0
                for tap in (4 * pixel)..<(4 * pixel + 4) where taps.indices[tap] >= 0 {
                    sum += weights[tap] * source[Int(taps.indices[tap])]
                }
                destination[pixel] = sum
            }
        }
    }
}

private func resampleAdjoint<T: KernelFloat>(_ taps: ResamplingTaps, _ planes: Int, _ outputGradient: UnsafePointer<T>,
                                             _ inputGradient: UnsafeMutablePointer<T>) {
    let weights = taps.weights.map { T($0) }
    Parallel.forEachRange(planes, grain: max(1, (1 << 14) / max(1, taps.outputArea))) { range in
        for plane in range {
            let source = outputGradient + plane * taps.outputArea, destination = inputGradient + plane * taps.inputArea
            destination.update(repeating: 0, count: taps.inputArea)
            for pixel in 0..<taps.outputArea {
                for tap in (4 * pixel)..<(4 * pixel + 4) where taps.indices[tap] >= 0 {
                    destination[Int(taps.indices[tap])] += weights[tap] * source[pixel]
                }
            }
        }
    }
}

import Foundation
import Orbit
import Testing
import _OrbitTestSupport

// affineResample against a naive bilinear sampler written from PyTorch's definitions (STYLE T10):
// affine_grid(θ, align_corners=False) gives output pixel (i, j) of an H'×W' grid the normalized centre
// (x, y) = ((2j + 1)/W' - 1, (2i + 1)/H' - 1) and the source point θ·(x, y, 1); grid_sample with
// align_corners=False reads it at pixel coordinates u = ((xₛ + 1)·W - 1)/2, v = ((yₛ + 1)·H - 1)/2,
// blending the four pixels around (u, v) bilinearly, with zeros outside the input.

private func naiveResample(_ x: [Double], shape: [Int], theta: [Double], outputHeight: Int, outputWidth: Int) -> [Double] {
    let (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
    func pixel(_ plane: Int, _ row: Int, _ column: Int) -> Double {
        guard row >= 0, row < height, column >= 0, column < width else { return 0 }
        return x[(plane * height + row) * width + column]
    }
    var output: [Double] = []
    for n in 0..<batch {
        let matrix = theta.count == 6 ? theta : Array(theta[(6 * n)..<(6 * n + 6)])
        for c in 0..<channels {
            let plane = n * channels + c
            for i in 0..<outputHeight {
                for j in 0..<outputWidth {
                    let gridX = (2 * Double(j) + 1) / Double(outputWidth) - 1
                    let gridY = (2 * Double(i) + 1) / Double(outputHeight) - 1
                    let sourceX = matrix[0] * gridX + matrix[1] * gridY + matrix[2]
                    let sourceY = matrix[3] * gridX + matrix[4] * gridY + matrix[5]
                    let u = ((sourceX + 1) * Double(width) - 1) / 2, v = ((sourceY + 1) * Double(height) - 1) / 2
                    let (left, top) = (Int(floor(u)), Int(floor(v)))
                    let (a, b) = (u - floor(u), v - floor(v))
                    output.append((1 - a) * (1 - b) * pixel(plane, top, left) + a * (1 - b) * pixel(plane, top, left + 1)
                                  + (1 - a) * b * pixel(plane, top + 1, left) + a * b * pixel(plane, top + 1, left + 1))
                }
            }
        }
    }
    return output
}

struct ResampleReferenceCase: Sendable, CustomTestStringConvertible {
    let name: String
    let shape: [Int]
    let theta: [Double]
    let thetaShape: [Int]
    let outputSize: (height: Int, width: Int)
    var testDescription: String { name }
}

private func rotation(_ angle: Double) -> [Double] { [cos(angle), -sin(angle), 0, sin(angle), cos(angle), 0] }

private let resampleCases: [ResampleReferenceCase] = [
    ResampleReferenceCase(name: "rotation 0.3", shape: [2, 3, 5, 6], theta: rotation(0.3), thetaShape: [2, 3], outputSize: (5, 6)),
    ResampleReferenceCase(name: "rotation -1.1 to 7x4", shape: [1, 2, 5, 6], theta: rotation(-1.1), thetaShape: [2, 3], outputSize: (7, 4)),
    ResampleReferenceCase(name: "scale and shift", shape: [1, 1, 6, 6], theta: [0.6, 0.1, 0.35, -0.2, 1.4, -0.25], thetaShape: [2, 3],
                 outputSize: (9, 8)),
    ResampleReferenceCase(name: "per-image theta", shape: [2, 2, 4, 5],
                 theta: [0.9, -0.3, 0.1, 0.25, 1.1, -0.2, 0.5, 0.5, 0, -0.5, 0.5, 0.3], thetaShape: [2, 2, 3], outputSize: (6, 3)),
    ResampleReferenceCase(name: "shift half outside", shape: [1, 1, 4, 4], theta: [1, 0, 0.9, 0, 1, -0.6], thetaShape: [2, 3], outputSize: (4, 4)),
    ResampleReferenceCase(name: "one output pixel", shape: [2, 1, 3, 3], theta: rotation(0.7), thetaShape: [2, 3], outputSize: (1, 1)),
    ResampleReferenceCase(name: "downsample by 2", shape: [1, 2, 8, 8], theta: [1, 0, 0, 0, 1, 0], thetaShape: [2, 3], outputSize: (4, 4)),
]

@Test(arguments: resampleCases, [DType.float32, .float64])
func affineResampleMatchesNaiveBilinear(_ resample: ResampleReferenceCase, _ dtype: DType) {
    let x = referenceInput(resample.shape, seed: 9, dtype: dtype)
    let theta = Tensor(resample.theta, shape: resample.thetaShape)
    let y = affineResample(x, theta: theta, outputSize: resample.outputSize)
    let expected = naiveResample(x.doubles, shape: resample.shape, theta: resample.theta,
                                 outputHeight: resample.outputSize.height, outputWidth: resample.outputSize.width)
    // Four weighted terms per output; float32 adds the rounding of the weights themselves (~4 more).
    let tolerance = dtype == .float64 ? float64Tolerance : float32SumTolerance(terms: 8)
    expectReference(y, expected, shape: [resample.shape[0], resample.shape[1], resample.outputSize.height, resample.outputSize.width],
                    dtype: dtype, relativeTolerance: tolerance)
}

@Test func identityThetaReproducesTheInput() {
    let x = randomTensor([2, 3, 5, 7], seed: 10)
    // Pixel centres map to themselves up to one rounding of (2j + 1)/W·W: weights within ~1e-16 of 0 and 1.
    expectClose(affineResample(x, theta: Tensor([1, 0, 0, 0, 1, 0] as [Double], shape: [2, 3])), x, relativeTolerance: 1e-14)
}

@Test(arguments: [1, 2, 3, -1])
func quarterTurnRotationMatchesRotated90(_ quarterTurns: Int) {
    // On a square image a rotation by a multiple of 90° maps pixel centres onto pixel centres, so the
    // interpolated rotation must agree with the exact index rotation (cos(π/2) ≈ 6e-17 is the only error).
    for size in [4, 5] {
        let x = randomTensor([2, 2, size, size], seed: 11)
        let rotated = affineResample(x, theta: rotationTheta(angle: Double(quarterTurns) * .pi / 2))
        expectClose(rotated, x.rotated90(quarterTurns), relativeTolerance: 1e-13, "size \(size)")
    }
}

@Test func contentMovesCounterClockwise() {
    // A single bright pixel at the top-right corner moves to the top-left under a +90° rotation.
    var values = [Double](repeating: 0, count: 16)
    values[3] = 1
    let rotated = affineResample(Tensor(values, shape: [1, 1, 4, 4]), theta: rotationTheta(angle: .pi / 2)).doubles
    let brightest = rotated.indices.max { rotated[$0] < rotated[$1] }!
    #expect(brightest == 0)
    #expect(Swift.abs(rotated[0] - 1) < 1e-12)
}

import Orbit

/// A time series of fields on a grid, `[T, C, H, W]` Floats, row-major, row 0 at the bottom (y up).
///
/// `C = 2` for velocities (x- then y-component, PhiFlow's order), `C = 1` for scalars (temperature).
/// This is what simulators return, what the cache stores and what `FluidWindows` cuts into examples.
public struct FieldSequence: Sendable, Equatable {
    /// `count * channels * height * width` values.
    public let frames: [Float]
    /// T, the number of frames.
    public let count: Int
    public let channels: Int
    public let height: Int
    public let width: Int

    /// A sequence from values already in `[T, C, H, W]` order; stops the program (naming
    /// `FieldSequence`) when the count does not match the shape.
    public init(frames: [Float], count: Int, channels: Int, height: Int, width: Int) {
        requireArgument(count >= 0 && channels >= 1 && height >= 1 && width >= 1, "FieldSequence",
                        "bad shape [\(count), \(channels), \(height), \(width)]")
        requireArgument(frames.count == count * channels * height * width, "FieldSequence",
                        "\(frames.count) values do not fill [\(count), \(channels), \(height), \(width)]")
        (self.frames, self.count, self.channels, self.height, self.width) = (frames, count, channels, height, width)
    }

    /// The sequence from a float32 tensor of shape `[T, C, H, W]`.
    public init(_ tensor: Tensor) {
        requireArgument(tensor.rank == 4 && tensor.dtype == .float32, "FieldSequence(_:)",
                        "needs a float32 [T, C, H, W] tensor, got \(tensor.dtype) \(tensor.shape)")
        self.init(frames: tensor.scalars(as: Float.self), count: tensor.shape[0], channels: tensor.shape[1],
                  height: tensor.shape[2], width: tensor.shape[3])
    }

    /// Shape `[T, C, H, W]`.
    public var shape: [Int] { [count, channels, height, width] }
    /// Values in one frame, `C * H * W`.
    public var frameSize: Int { channels * height * width }
    /// The sequence as a float32 tensor `[T, C, H, W]`.
    public var tensor: Tensor { Tensor(frames, shape: shape) }

    /// Frames `range` (a sub-sequence, copied).
    public func frames(_ range: Range<Int>) -> FieldSequence {
        requireArgument(range.lowerBound >= 0 && range.upperBound <= count, "FieldSequence.frames(_:)",
                        "range \(range) is outside 0..<\(count)")
        return FieldSequence(frames: Array(frames[(range.lowerBound * frameSize)..<(range.upperBound * frameSize)]),
                             count: range.count, channels: channels, height: height, width: width)
    }

    /// The C4 action on the sequence: every frame turned counter-clockwise by `quarterTurns` x 90 degrees
    /// about the grid centre, `f'(p) = R f(R^-1 p)`. The grid is rotated, and for 2-channel (vector)
    /// sequences each vector too, `(x, y) -> (-y, x)` per turn. With row 0 at the bottom, one turn maps the
    /// value at `[y][x]` to `[x][n - 1 - y]`. Exact (a permutation and sign changes). Needs H = W.
    public func rotated(quarterTurns: Int) -> FieldSequence {
        requireArgument(height == width, "FieldSequence.rotated", "needs a square grid, got \(height) x \(width)")
        requireArgument(channels == 1 || channels == 2, "FieldSequence.rotated",
                        "rotates scalar (C = 1) or vector (C = 2) fields, got C = \(channels)")
        let rotated = FieldSequence.quarterTurned(frames, count: count, channels: channels, size: width, turns: quarterTurns)
        return FieldSequence(frames: rotated, count: count, channels: channels, height: height, width: width)
    }

    /// `rotated(quarterTurns:)` on raw `[T, C, n, n]` values of any signed type (tests use Double).
    static func quarterTurned<Scalar: SignedNumeric>(_ values: [Scalar], count: Int, channels: Int, size n: Int,
                                                     turns quarterTurns: Int) -> [Scalar] {
        let turns = ((quarterTurns % 4) + 4) % 4
        if turns == 0 { return values }
        let plane = n * n, frameSize = channels * plane
        var result = values
        for t in 0..<count {
            let base = t * frameSize
            for y in 0..<n {
                for x in 0..<n {
                    // Destination of source cell (y, x) after `turns` counter-clockwise turns.
                    let (ty, tx) = switch turns {
                    case 1: (x, n - 1 - y)
                    case 2: (n - 1 - y, n - 1 - x)
                    default: (n - 1 - x, y)
                    }
                    let source = base + y * n + x, destination = base + ty * n + tx
                    if channels == 1 {
                        result[destination] = values[source]
                        continue
                    }
                    // Vector (a, b) at the source; R^turns (a, b) at the destination.
                    let (a, b) = (values[source], values[source + plane])
                    let (ra, rb): (Scalar, Scalar) = switch turns {
                    case 1: (-b, a)
                    case 2: (-a, -b)
                    default: (b, -a)
                    }
                    (result[destination], result[destination + plane]) = (ra, rb)
                }
            }
        }
        return result
    }

    /// Mean absolute difference to `other` (same shape), over all values.
    public func meanAbsoluteDifference(to other: FieldSequence) -> Double {
        requireArgument(shape == other.shape, "FieldSequence.meanAbsoluteDifference",
                        "shapes differ: \(shape) and \(other.shape)")
        var sum = 0.0
        for index in frames.indices { sum += Double(abs(frames[index] - other.frames[index])) }
        return frames.isEmpty ? 0 : sum / Double(frames.count)
    }

    /// Largest absolute value, over all values.
    public var maximumMagnitude: Float { frames.reduce(0) { max($0, abs($1)) } }
}

import Foundation
import Orbit

/// Rotating MNIST: digits turning about the image centre at constant angular velocities (Keller 2025,
/// FERNN; Docs/References.md §F6). Each example is a `FrameSequence` `[T, 1, S, S]`.
///
/// Every digit is centred on the canvas (with two digits they overlap), draws an angular velocity ω
/// uniformly from `angularVelocities` (degrees per frame) and a start angle θ0 uniform in [0°, 360°), and
/// frame t is `clamp(sum over digits of rotate(digit, θ0 + ω t), 0, 1)`. Positive angles turn content
/// counter-clockwise as displayed (row 0 at the top), as `rotationTheta(angle:)` defines; the reference's
/// matrix [[cos, -sin], [sin, cos]] turns the same way.
///
/// Rotation is bilinear with zeros outside, by `affineResample` (align_corners=False). Two differences
/// from the reference that change nothing, to float rounding:
/// - The reference pads the 28x28 digit to 40x40, rotates, and crops back to 28x28. Cropping clips the
///   corners anyway, and a rotation about the centre samples each kept pixel from the same source point
///   in both grids (the padding is zeros either way), so this rotates on the S x S canvas directly, at
///   half the cost. A test checks the two routes agree.
/// - The reference samples with align_corners=True, Orbit with align_corners=False. Both put the centre
///   of rotation at pixel ((S-1)/2, (S-1)/2) and scale x and y alike on a square grid, so they map every
///   output pixel to the same source point; they differ only for non-square images or scaling.
public struct RotatingMNIST: RandomAccessCollection, EpochSampledDataset, Sendable {
    /// How the sequences are made.
    public struct Configuration: Sendable, Equatable {
        /// T, frames per sequence.
        public var frameCount: Int
        /// S, the side of the square canvas; the digit is centred on it (cropped if S is smaller).
        public var imageSize: Int
        /// Digits per sequence.
        public var digitCount: Int
        /// Degrees per frame, each digit drawing one uniformly (V_4^R = -40...40 in steps of 10 by default).
        public var angularVelocities: [Double]

        public init(frameCount: Int = 20, imageSize: Int = 28, digitCount: Int = 2,
                    angularVelocities: [Double] = stride(from: -40.0, through: 40, by: 10).map { $0 }) {
            self.frameCount = frameCount
            self.imageSize = imageSize
            self.digitCount = digitCount
            self.angularVelocities = angularVelocities
        }
    }

    /// How one digit of a sequence turns.
    public struct Digit: Sendable, Equatable {
        /// Its class, 0...9.
        public var label: Int
        /// Its index in the pool's source images (the MNIST index).
        public var sourceIndex: Int
        /// θ0, degrees in [0, 360).
        public var initialAngle: Double
        /// ω, degrees per frame (counter-clockwise as displayed when positive).
        public var angularVelocity: Double

        /// θ0 + ω t, in degrees (not reduced modulo 360).
        public func angle(atFrame time: Int) -> Double { initialAngle + angularVelocity * Double(time) }
    }

    public typealias Element = FrameSequence<[Digit]>

    /// Where the digits come from.
    public let digits: DigitPool
    /// The generation settings.
    public let configuration: Configuration
    /// How many sequences, their seed, whether they are redrawn each epoch and the epoch they are drawn for.
    public private(set) var examples: SeededExamples
    public var startIndex: Int { 0 }
    public var endIndex: Int { examples.count }

    /// `count` sequences of digits from `digits`, fixed by `seed` (and the epoch, see `resamplesEachEpoch`).
    public init(digits: DigitPool, count: Int, seed: UInt64, configuration: Configuration = Configuration(),
                resamplesEachEpoch: Bool = false) {
        let examples = SeededExamples(count: count, seed: seed, resamplesEachEpoch: resamplesEachEpoch, operation: "RotatingMNIST")
        requireArgument(configuration.frameCount >= 1 && configuration.digitCount >= 1 && configuration.imageSize >= 1,
                        "RotatingMNIST", "need at least one frame, one digit and a positive size, got \(configuration)")
        requireArgument(!configuration.angularVelocities.isEmpty && configuration.angularVelocities.allSatisfy(\.isFinite),
                        "RotatingMNIST", "angular velocities must be finite and not empty, got \(configuration.angularVelocities)")
        self.digits = digits
        self.configuration = configuration
        self.examples = examples
    }

    /// One fixed angular velocity for every digit: a cell of the velocity-generalisation test.
    public static func fixedAngularVelocity(_ angularVelocity: Double, digits: DigitPool, count: Int, seed: UInt64,
                                            frameCount: Int = 20, imageSize: Int = 28, digitCount: Int = 2) -> RotatingMNIST {
        RotatingMNIST(digits: digits, count: count, seed: seed,
                      configuration: Configuration(frameCount: frameCount, imageSize: imageSize, digitCount: digitCount,
                                                   angularVelocities: [angularVelocity]))
    }

    public func resampled(epoch: Int) -> RotatingMNIST {
        var copy = self
        copy.examples = examples.resampled(epoch: epoch)
        return copy
    }

    /// Sequence `index`: its frames `[T, 1, S, S]` and each digit's label, start angle and angular velocity.
    public subscript(index: Int) -> Element {
        let (frameCount, size, digitCount) = (configuration.frameCount, configuration.imageSize, configuration.digitCount)
        var generator = examples.generator(forExample: index, of: "RotatingMNIST")
        var turningDigits: [Digit] = []
        var canvases: [[Float]] = []
        for _ in 0..<digitCount {
            let digit = digits.randomDigit(using: &generator)
            let angularVelocity = ExampleSeeding.choose(configuration.angularVelocities, using: &generator)
            let initialAngle = 360 * generator.nextUnitDouble()
            turningDigits.append(Digit(label: digits.label(digit), sourceIndex: digits.sourceIndex(digit),
                                       initialAngle: initialAngle, angularVelocity: angularVelocity))
            canvases.append(RotatingMNIST.centred(digits.image(digit), height: digits.height, width: digits.width, size: size))
        }
        // One resampling call for the whole sequence: image t * D + d is digit d at frame t.
        var inputs: [Float] = []
        var thetas: [Double] = []
        inputs.reserveCapacity(frameCount * digitCount * size * size)
        thetas.reserveCapacity(frameCount * digitCount * 6)
        for time in 0..<frameCount {
            for (digit, canvas) in zip(turningDigits, canvases) {
                inputs += canvas
                let radians = digit.angle(atFrame: time) * Double.pi / 180
                thetas += [cos(radians), -sin(radians), 0, sin(radians), cos(radians), 0]
            }
        }
        let rotated = affineResample(Tensor(inputs, shape: [frameCount * digitCount, 1, size, size]),
                                     theta: Tensor(thetas, shape: [frameCount * digitCount, 2, 3], dtype: .float64))
            .scalars(as: Float.self)
        let area = size * size
        var frames = [Float](repeating: 0, count: frameCount * area)
        for time in 0..<frameCount {
            for digit in 0..<digitCount {
                let source = (time * digitCount + digit) * area
                for pixel in 0..<area { frames[time * area + pixel] += rotated[source + pixel] }
            }
        }
        for position in frames.indices { frames[position] = Swift.min(Swift.max(frames[position], 0), 1) }
        return FrameSequence(frames: frames, frameCount: frameCount, height: size, width: size, metadata: turningDigits)
    }

    /// `image` (`height x width`) on a `size x size` canvas of zeros, centred with the odd remainder at
    /// the bottom and right (cropped the same way when the canvas is smaller).
    static func centred(_ image: [Float], height: Int, width: Int, size: Int) -> [Float] {
        var canvas = [Float](repeating: 0, count: size * size)
        let (top, left) = ((size - height) / 2, (size - width) / 2)
        for row in 0..<height where top + row >= 0 && top + row < size {
            for column in 0..<width where left + column >= 0 && left + column < size {
                canvas[(top + row) * size + left + column] = image[row * width + column]
            }
        }
        return canvas
    }
}

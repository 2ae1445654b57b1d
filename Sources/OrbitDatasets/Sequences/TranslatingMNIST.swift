import Orbit

/// Translating ("Flowing") MNIST on a torus: digits moving at integer velocities, wrapping around the
/// edges (Keller 2025, FERNN; Docs/References.md §F5). Each example is a `FrameSequence` `[T, 1, S, S]`.
///
/// Each digit is zero-padded to the S x S canvas (centred; an odd remainder goes to the bottom and right)
/// and frame t is `clamp(sum over digits of roll(digit, offset_t), 0, 1)`, where `roll` is
/// `Tensor.rolled(shifts: [offset.y, offset.x], axes: [-2, -1])`: content moves by +v per frame, down
/// for +v.y and right for +v.x. Offsets start uniform in [0, S)^2 and velocities are uniform over
/// `velocities` (the set {-R...R}^2 by default), independently per digit.
///
/// ```swift
/// let training = TranslatingMNIST(digits: DigitPool(mnist, indices: 0..<54_000), count: 54_000, seed: 1,
///                                 resamplesEachEpoch: true)
/// let grid = PixelVector.grid(range: 2).map {       // the velocity-generalisation test sets
///     TranslatingMNIST.fixedVelocity($0, digits: testDigits, count: 10_000, seed: 3)
/// }
/// ```
/// Example i is a pure function of (seed, i) and, when `resamplesEachEpoch`, of the epoch: validation and
/// test sets are fixed by their seed, unlike the reference code, which redraws every access.
public struct TranslatingMNIST: RandomAccessCollection, EpochSampledDataset, Sendable {
    /// How the sequences are made.
    public struct Configuration: Sendable, Equatable {
        /// T, frames per sequence (20: 10 observed, 10 predicted).
        public var frameCount: Int
        /// S, the side of the square canvas (at least the digit size).
        public var imageSize: Int
        /// Digits per sequence.
        public var digitCount: Int
        /// The velocities each digit draws from, uniformly.
        public var velocities: [PixelVector]
        /// A mid-sequence velocity change (the variable-velocity data), or nil for constant velocities.
        public var velocitySwitch: VelocitySwitch?

        public init(frameCount: Int = 20, imageSize: Int = 28, digitCount: Int = 2,
                    velocities: [PixelVector] = PixelVector.grid(range: 2), velocitySwitch: VelocitySwitch? = nil) {
            self.frameCount = frameCount
            self.imageSize = imageSize
            self.digitCount = digitCount
            self.velocities = velocities
            self.velocitySwitch = velocitySwitch
        }

        /// The set {-R...R}^2 of `PixelVector.grid(range:)`, R = `velocityRange`.
        public init(frameCount: Int = 20, imageSize: Int = 28, digitCount: Int = 2, velocityRange: Int,
                    velocitySwitch: VelocitySwitch? = nil) {
            self.init(frameCount: frameCount, imageSize: imageSize, digitCount: digitCount,
                      velocities: PixelVector.grid(range: velocityRange), velocitySwitch: velocitySwitch)
        }
    }

    /// How one digit of a sequence moves.
    public struct Digit: Sendable, Equatable {
        /// Its class, 0...9.
        public var label: Int
        /// Its index in the pool's source images (the MNIST index).
        public var sourceIndex: Int
        /// Its roll offset per frame, `trajectory.offset(atFrame: t)` modulo S.
        public var trajectory: Trajectory
    }

    public typealias Element = FrameSequence<[Digit]>

    /// Where the digits come from (MNIST training digits for training and validation, test digits for test).
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
        let operation = "TranslatingMNIST"
        let examples = SeededExamples(count: count, seed: seed, resamplesEachEpoch: resamplesEachEpoch, operation: operation)
        requireArgument(configuration.frameCount >= 1 && configuration.digitCount >= 1, operation,
                        "need at least one frame and one digit, got \(configuration.frameCount) and \(configuration.digitCount)")
        requireArgument(configuration.imageSize >= Swift.max(digits.height, digits.width), operation,
                        "image size \(configuration.imageSize) is smaller than the \(digits.height)x\(digits.width) digits")
        requireArgument(!configuration.velocities.isEmpty, operation, "the velocity set is empty")
        configuration.velocitySwitch?.validate(frameCount: configuration.frameCount, velocities: configuration.velocities,
                                               operation: operation)
        self.digits = digits
        self.configuration = configuration
        self.examples = examples
    }

    /// The fixed-velocity sets of the velocity-generalisation grid: every digit of every sequence moves
    /// at `velocity` (Docs/References.md §F5, `FixedVelocityMovingMNIST`).
    public static func fixedVelocity(_ velocity: PixelVector, digits: DigitPool, count: Int, seed: UInt64,
                                     frameCount: Int = 20, imageSize: Int = 28, digitCount: Int = 2) -> TranslatingMNIST {
        TranslatingMNIST(digits: digits, count: count, seed: seed,
                         configuration: Configuration(frameCount: frameCount, imageSize: imageSize, digitCount: digitCount,
                                                      velocities: [velocity]))
    }

    public func resampled(epoch: Int) -> TranslatingMNIST {
        var copy = self
        copy.examples = examples.resampled(epoch: epoch)
        return copy
    }

    /// Sequence `index`: its frames `[T, 1, S, S]` and each digit's label and trajectory.
    public subscript(index: Int) -> Element {
        let (frameCount, size) = (configuration.frameCount, configuration.imageSize)
        let (movingDigits, images) = drawDigits(index)
        var frames = [Float](repeating: 0, count: frameCount * size * size)
        for (moving, image) in zip(movingDigits, images) {
            let padding = PixelVector(y: (size - digits.height) / 2, x: (size - digits.width) / 2)
            for time in 0..<frameCount {
                addRolled(image, height: digits.height, width: digits.width, at: padding + moving.trajectory.offset(atFrame: time),
                          into: &frames, frame: time, size: size)
            }
        }
        for position in frames.indices where frames[position] > 1 { frames[position] = 1 }
        return FrameSequence(frames: frames, frameCount: frameCount, height: size, width: size, metadata: movingDigits)
    }

    /// The random draws of sequence `index`, in order: each digit, its start offset and its trajectory;
    /// with the digits' images. `ImperfectTranslatingMNIST` starts from the same draws.
    func drawDigits(_ index: Int) -> (digits: [Digit], images: [[Float]]) {
        let size = configuration.imageSize
        var generator = examples.generator(forExample: index, of: "TranslatingMNIST")
        let switchFrame = configuration.velocitySwitch?.drawFrame(using: &generator)
        var movingDigits: [Digit] = []
        var images: [[Float]] = []
        for _ in 0..<configuration.digitCount {
            let digit = digits.randomDigit(using: &generator)
            images.append(digits.image(digit))
            let start = PixelVector(y: ExampleSeeding.uniform(in: 0..<size, using: &generator),
                                    x: ExampleSeeding.uniform(in: 0..<size, using: &generator))
            let trajectory = Trajectory.draw(start: start, velocities: configuration.velocities,
                                             velocitySwitch: configuration.velocitySwitch, switchFrame: switchFrame,
                                             using: &generator)
            movingDigits.append(Digit(label: digits.label(digit), sourceIndex: digits.sourceIndex(digit), trajectory: trajectory))
        }
        return (movingDigits, images)
    }
}

/// Adds `image` (`height x width`, row-major) to frame `frame` of `frames` (`[T, size, size]`) with its
/// top-left pixel at `offset`, wrapping around the torus: pixel (r, c) lands on ((offset.y + r) mod size,
/// (offset.x + c) mod size), which is `Tensor.rolled` of the zero-padded image, times `weight`.
func addRolled(_ image: [Float], height: Int, width: Int, at offset: PixelVector, into frames: inout [Float],
               frame: Int, size: Int, weight: Float = 1) {
    let base = frame * size * size
    let (rowStart, columnStart) = (((offset.y % size) + size) % size, ((offset.x % size) + size) % size)
    frames.withUnsafeMutableBufferPointer { output in
        image.withUnsafeBufferPointer { input in
            for row in 0..<height {
                var targetRow = rowStart + row
                if targetRow >= size { targetRow -= size }
                let targetBase = base + targetRow * size
                var column = columnStart
                for sourceColumn in 0..<width {
                    let value = input[row * width + sourceColumn]
                    if value != 0 { output[targetBase + column] += weight * value }
                    column += 1
                    if column == size { column = 0 }
                }
            }
        }
    }
}

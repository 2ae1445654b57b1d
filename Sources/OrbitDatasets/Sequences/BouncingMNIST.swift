import Orbit

/// Bouncing MNIST: digits in white boxes moving on a bordered canvas without wrap-around, colliding
/// elastically with each other and with the border (Keller 2025, FERNN, the V-mixing experiment;
/// Docs/References.md §F9). Each example is a `FrameSequence` `[T, 1, H, W]`, 28 x 48 by default.
///
/// Drawing: a 1-pixel grey (0.5) border around the canvas; each digit cropped to its ink (the bounding
/// box of its non-zero pixels) and framed by a 1-pixel white (1.0) outline just outside the ink. The
/// outlined box is the digit's body: it moves inside the border, at an integer position, with an integer
/// velocity drawn uniformly from `velocities`; collisions follow `BouncingBoxes` (exchange of the
/// velocity components along the contact normal, reflection at the border, energy conserved). Start
/// positions are uniform among the places where the boxes fit without overlapping.
public struct BouncingMNIST: RandomAccessCollection, EpochSampledDataset, Sendable {
    /// How the sequences are made.
    public struct Configuration: Sendable, Equatable {
        /// T, frames per sequence.
        public var frameCount: Int
        /// H, canvas rows (28).
        public var height: Int
        /// W, canvas columns (48).
        public var width: Int
        /// Digits per sequence (2).
        public var digitCount: Int
        /// The velocities each digit starts with, uniformly.
        public var velocities: [PixelVector]
        /// Whether the 1-pixel grey border is drawn (it is always there for the physics).
        public var drawsBorder: Bool
        /// Whether the white outlines around the digits are drawn (they always count for the physics).
        public var drawsBoxes: Bool

        public init(frameCount: Int = 20, height: Int = 28, width: Int = 48, digitCount: Int = 2,
                    velocities: [PixelVector] = PixelVector.grid(range: 2), drawsBorder: Bool = true, drawsBoxes: Bool = true) {
            self.frameCount = frameCount
            self.height = height
            self.width = width
            self.digitCount = digitCount
            self.velocities = velocities
            self.drawsBorder = drawsBorder
            self.drawsBoxes = drawsBoxes
        }
    }

    /// How one digit of a sequence moved.
    public struct Digit: Sendable, Equatable {
        /// Its class, 0...9.
        public var label: Int
        /// Its index in the pool's source images (the MNIST index).
        public var sourceIndex: Int
        /// Rows and columns of its outlined box (ink plus 2).
        public var boxSize: PixelVector
        /// The box's top-left pixel on the canvas at each frame.
        public var positions: [PixelVector]
        /// Its velocity at each frame: `velocities[0]` is the one drawn, `velocities[t + 1]` the one after
        /// the step from frame t (changed only by collisions).
        public var velocities: [PixelVector]
    }

    public typealias Element = FrameSequence<[Digit]>

    /// Grey level of the canvas border.
    public static let borderValue: Float = 0.5
    /// Grey level of the digit outlines.
    public static let boxValue: Float = 1

    /// Where the digits come from.
    public let digits: DigitPool
    /// The generation settings.
    public let configuration: Configuration
    /// How many sequences, their seed, whether they are redrawn each epoch and the epoch they are drawn for.
    public private(set) var examples: SeededExamples
    public var startIndex: Int { 0 }
    public var endIndex: Int { examples.count }

    /// `count` sequences of digits from `digits`, fixed by `seed` (and the epoch, see `resamplesEachEpoch`).
    /// Stops the program when the canvas cannot hold `digitCount` of the smallest boxes (3x3) side by side
    /// inside its border, and, when a sequence is drawn, when the pool's digits keep failing to fit.
    public init(digits: DigitPool, count: Int, seed: UInt64, configuration: Configuration = Configuration(),
                resamplesEachEpoch: Bool = false) {
        let examples = SeededExamples(count: count, seed: seed, resamplesEachEpoch: resamplesEachEpoch, operation: "BouncingMNIST")
        requireArgument(configuration.frameCount >= 1 && configuration.digitCount >= 1 && !configuration.velocities.isEmpty,
                        "BouncingMNIST", "need at least one frame, one digit and one velocity, got \(configuration)")
        // The smallest body is a 1-pixel ink in its outline, 3x3; whether the pool's digits fit is known
        // only when they are drawn (MNIST ink is at most 20x20 in a 28x28 image), see `startingState`.
        requireArgument(configuration.height - 2 >= 3 && configuration.width - 2 >= 3 * configuration.digitCount, "BouncingMNIST",
                        "a \(configuration.height)x\(configuration.width) canvas cannot hold \(configuration.digitCount) boxes "
                            + "side by side inside its border")
        self.digits = digits
        self.configuration = configuration
        self.examples = examples
    }

    public func resampled(epoch: Int) -> BouncingMNIST {
        var copy = self
        copy.examples = examples.resampled(epoch: epoch)
        return copy
    }

    /// Sequence `index`: its frames `[T, 1, H, W]` and each digit's box, positions and velocities.
    public subscript(index: Int) -> Element {
        var generator = examples.generator(forExample: index, of: "BouncingMNIST")
        let (chosen, inks, physics) = startingState(using: &generator)
        var boxes = physics
        var history: [(positions: [PixelVector], velocities: [PixelVector])] = []
        for _ in 0..<configuration.frameCount {
            history.append((boxes.positions, boxes.velocities))
            boxes.step()
        }
        let (height, width) = (configuration.height, configuration.width)
        var frames = [Float](repeating: 0, count: configuration.frameCount * height * width)
        let images = chosen.map { digits.image($0) }
        for (time, state) in history.enumerated() {
            let base = time * height * width
            if configuration.drawsBorder {
                for column in 0..<width {
                    frames[base + column] = BouncingMNIST.borderValue
                    frames[base + (height - 1) * width + column] = BouncingMNIST.borderValue
                }
                for row in 0..<height {
                    frames[base + row * width] = BouncingMNIST.borderValue
                    frames[base + row * width + width - 1] = BouncingMNIST.borderValue
                }
            }
            for box in chosen.indices {
                draw(images[box], ink: inks[box], at: state.positions[box], into: &frames, base: base)
            }
        }
        let metadata = chosen.indices.map { box in
            Digit(label: digits.label(chosen[box]), sourceIndex: digits.sourceIndex(chosen[box]), boxSize: physics.sizes[box],
                  positions: history.map { $0.positions[box] }, velocities: history.map { $0.velocities[box] })
        }
        return FrameSequence(frames: frames, frameCount: configuration.frameCount, height: height, width: width, metadata: metadata)
    }

    /// Draws digits, their ink boxes and non-overlapping start positions inside the border.
    ///
    /// Positions are uniform over the non-overlapping placements of the drawn boxes (rejection sampling);
    /// digits that are blank, too large for the arena, or not placed after 100 tries are redrawn. Stops the
    /// program after 1,000 redraws: the pool's digits do not fit this canvas.
    private func startingState(using generator: inout RandomGenerator) -> (digits: [Int], inks: [Ink], physics: BouncingBoxes) {
        let arenaSize = PixelVector(y: configuration.height - 2, x: configuration.width - 2)
        for _ in 0..<1000 {
            let chosen = (0..<configuration.digitCount).map { _ in digits.randomDigit(using: &generator) }
            let inks = chosen.compactMap { digits.inkBounds($0).map { Ink(corner: $0.corner, size: $0.size) } }
            guard inks.count == chosen.count else { continue }   // a blank image has no body
            let sizes = inks.map { $0.size + PixelVector(y: 2, x: 2) }
            guard sizes.allSatisfy({ $0.y <= arenaSize.y && $0.x <= arenaSize.x }) else { continue }
            let velocities = chosen.map { _ in ExampleSeeding.choose(configuration.velocities, using: &generator) }
            for _ in 0..<100 {
                let positions = sizes.map { size in
                    PixelVector(y: 1 + ExampleSeeding.uniform(in: 0..<(arenaSize.y - size.y + 1), using: &generator),
                                x: 1 + ExampleSeeding.uniform(in: 0..<(arenaSize.x - size.x + 1), using: &generator))
                }
                let overlapping = sizes.indices.contains { box in
                    (0..<box).contains { BouncingBoxes.overlap(positions[box], sizes[box], positions[$0], sizes[$0]) }
                }
                if !overlapping {
                    let physics = BouncingBoxes(arenaCorner: PixelVector(y: 1, x: 1), arenaSize: arenaSize, sizes: sizes,
                                                positions: positions, velocities: velocities)
                    return (chosen, inks, physics)
                }
            }
        }
        requireArgument(false, "BouncingMNIST", "found no \(configuration.digitCount) digits of the pool whose boxes fit "
                            + "side by side on a \(configuration.height)x\(configuration.width) canvas in 1000 draws")
        fatalError("unreachable")
    }

    /// A digit's ink rectangle inside its image.
    private struct Ink: Equatable {
        var corner: PixelVector
        var size: PixelVector
    }

    /// Draws a digit's outline (if wanted) and ink with the outline's top-left pixel at `position`.
    private func draw(_ image: [Float], ink: Ink, at position: PixelVector, into frames: inout [Float], base: Int) {
        let width = configuration.width
        let box = ink.size + PixelVector(y: 2, x: 2)
        if configuration.drawsBoxes {
            for column in 0..<box.x {
                frames[base + position.y * width + position.x + column] = BouncingMNIST.boxValue
                frames[base + (position.y + box.y - 1) * width + position.x + column] = BouncingMNIST.boxValue
            }
            for row in 0..<box.y {
                frames[base + (position.y + row) * width + position.x] = BouncingMNIST.boxValue
                frames[base + (position.y + row) * width + position.x + box.x - 1] = BouncingMNIST.boxValue
            }
        }
        for row in 0..<ink.size.y {
            for column in 0..<ink.size.x {
                let value = image[(ink.corner.y + row) * digits.width + ink.corner.x + column]
                let target = base + (position.y + 1 + row) * width + position.x + 1 + column
                frames[target] = Swift.min(frames[target] + value, 1)
            }
        }
    }
}

import Orbit

/// Translating MNIST whose motion departs from exact integer flows in controlled levels (issue 17): a
/// drift field over the torus, acceleration, or velocity noise (`FlowBreaking`). Level 0 is exactly
/// `TranslatingMNIST` with the same digits, seed and velocity set, frame for frame.
///
/// Sequence i first makes `TranslatingMNIST`'s draws for (seed, epoch, i): the digits, their integer
/// start offsets p₀ and velocities v. The departure from the flow (acceleration constants, jitter) comes
/// from a second stream of the same (seed, epoch, i), so every level moves the same digits from the same
/// starts. Positions p_t are real (`FlowBreaking` gives the motion); a digit at p = n + f (n = ⌊p⌋) is
/// drawn by bilinear sampling of its zero-padded canvas, which is the sum of its rolls by n, n + (0, 1),
/// n + (1, 0) and n + (1, 1) weighted (1-f_y)(1-f_x), (1-f_y)f_x, f_y(1-f_x), f_y f_x (the
/// `translate(_:by:interpolation: .bilinear)` of frame 0); digits add and the sum is clamped to [0, 1].
///
/// ```swift
/// let data = ImperfectTranslatingMNIST(digits: pool, count: 10_000, seed: 3,
///                                      configuration: .init(digitCount: 1, velocities: PixelVector.horizontal(-2...2),
///                                                           breaking: FlowBreaking(.noise, level: 2)))
/// ```
public struct ImperfectTranslatingMNIST: RandomAccessCollection, EpochSampledDataset, Sendable {
    /// How the sequences are made.
    public struct Configuration: Sendable, Equatable {
        /// T, frames per sequence.
        public var frameCount: Int
        /// S, the side of the square canvas (at least the digit size).
        public var imageSize: Int
        /// Digits per sequence.
        public var digitCount: Int
        /// The integer velocities each digit draws from, uniformly: the exact flows of level 0.
        public var velocities: [PixelVector]
        /// How the motion departs from those flows.
        public var breaking: FlowBreaking

        public init(frameCount: Int = 20, imageSize: Int = 28, digitCount: Int = 2,
                    velocities: [PixelVector] = PixelVector.grid(range: 2), breaking: FlowBreaking = .none) {
            (self.frameCount, self.imageSize, self.digitCount) = (frameCount, imageSize, digitCount)
            (self.velocities, self.breaking) = (velocities, breaking)
        }

        /// The same sequences with exact integer flows.
        public var exact: TranslatingMNIST.Configuration {
            TranslatingMNIST.Configuration(frameCount: frameCount, imageSize: imageSize, digitCount: digitCount, velocities: velocities)
        }
    }

    /// How one digit of a sequence moves.
    public struct Digit: Sendable, Equatable {
        /// Its class, 0...9.
        public var label: Int
        /// Its index in the pool's source images (the MNIST index).
        public var sourceIndex: Int
        /// The velocity drawn from the set: its exact flow at level 0.
        public var velocity: PixelVector
        /// Its offset (y, x) at each frame, real and not reduced modulo S; `positions[0]` is the integer start.
        public var positions: [SIMD2<Double>]

        /// The RMS distance in pixels from the nearest flow of any real velocity (`FlowBreaking.flowDeparture`).
        public var flowDeparture: Double { FlowBreaking.flowDeparture(positions) }
        /// The RMS distance in pixels from the nearest integer flow (`FlowBreaking.integerFlowDeparture`).
        public var integerFlowDeparture: Double { FlowBreaking.integerFlowDeparture(positions) }
    }

    public typealias Element = FrameSequence<[Digit]>

    /// The exact-flow dataset whose draws every level starts from.
    public private(set) var exact: TranslatingMNIST
    /// The generation settings.
    public let configuration: Configuration
    public var digits: DigitPool { exact.digits }
    public var examples: SeededExamples { exact.examples }
    public var startIndex: Int { 0 }
    public var endIndex: Int { exact.endIndex }

    /// `count` sequences of digits from `digits`, fixed by `seed` (and the epoch, see `resamplesEachEpoch`).
    public init(digits: DigitPool, count: Int, seed: UInt64, configuration: Configuration = Configuration(),
                resamplesEachEpoch: Bool = false) {
        exact = TranslatingMNIST(digits: digits, count: count, seed: seed, configuration: configuration.exact,
                                 resamplesEachEpoch: resamplesEachEpoch)
        self.configuration = configuration
    }

    public func resampled(epoch: Int) -> ImperfectTranslatingMNIST {
        var copy = self
        copy.exact = exact.resampled(epoch: epoch)
        return copy
    }

    /// Sequence `index`: its frames `[T, 1, S, S]` and each digit's label, velocity and positions.
    public subscript(index: Int) -> Element {
        let (frameCount, size) = (configuration.frameCount, configuration.imageSize)
        let (drawn, images) = exact.drawDigits(index)
        var generator = exact.examples.generator(forExample: index, of: "ImperfectTranslatingMNIST", stream: 1)
        let moving = drawn.map { digit in
            Digit(label: digit.label, sourceIndex: digit.sourceIndex, velocity: digit.trajectory.velocity,
                  positions: configuration.breaking.positions(start: digit.trajectory.start, velocity: digit.trajectory.velocity,
                                                              frameCount: frameCount, imageSize: size, using: &generator))
        }
        let padding = SIMD2(Double((size - digits.height) / 2), Double((size - digits.width) / 2))
        var frames = [Float](repeating: 0, count: frameCount * size * size)
        for (digit, image) in zip(moving, images) {
            for (time, position) in digit.positions.enumerated() {
                addBilinear(image, at: padding + position, into: &frames, frame: time, size: size)
            }
        }
        for position in frames.indices where frames[position] > 1 { frames[position] = 1 }
        return FrameSequence(frames: frames, frameCount: frameCount, height: size, width: size, metadata: moving)
    }

    /// Adds the digit with its top-left pixel at the real offset `offset`: four weighted rolls, taps of
    /// weight 0 skipped, so a whole-pixel offset is exactly `addRolled`.
    private func addBilinear(_ image: [Float], at offset: SIMD2<Double>, into frames: inout [Float], frame: Int, size: Int) {
        let whole = offset.rounded(.down), fraction = offset - whole
        let corner = PixelVector(y: Int(whole[0]), x: Int(whole[1]))   // (y, x) order, not SIMD2's .x/.y
        for (dy, weightY) in [(0, 1 - fraction[0]), (1, fraction[0])] where weightY != 0 {
            for (dx, weightX) in [(0, 1 - fraction[1]), (1, fraction[1])] where weightX != 0 {
                addRolled(image, height: digits.height, width: digits.width, at: corner + PixelVector(y: dy, x: dx),
                          into: &frames, frame: frame, size: size, weight: Float(weightY * weightX))
            }
        }
    }
}

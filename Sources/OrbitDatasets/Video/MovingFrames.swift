import Orbit

/// Sequence classification on moving frames (Keller 2025, FERNN, "Moving KTH"; Docs/References.md §F7): clips
/// of a `ClipArchive` cut into windows of `sequenceLength` frames, moved by a simulated camera, split
/// by subject. Each example is a `FrameSequence` `[T, 1, H, W]` whose metadata holds the label.
///
/// - Windows: frames `start, start + step, ...` of one clip (T = `sequenceLength`); clips shorter than
///   the span `(T - 1) * step + 1` are left out (`skippedClipCount`). `start` is uniform over the clip.
/// - Camera motion: one integer velocity v per clip, uniform over `velocities` ({-R...R}^2 for
///   `init(velocityRange: R)`, or any list such as `PixelVector.horizontal(-5...5)`), drawn from the
///   seed and the clip's archive index, so it stays the same across epochs unless
///   `cameraResampledEachEpoch`. Frame t is rolled on the torus by `v * t` with `Tensor.rolled`'s
///   convention, as in `TranslatingMNIST`: content moves by +v per frame (down and right for positive
///   components). The reference shifts by -v; over a symmetric set that draws the same distribution.
///   With `velocitySwitch`, v switches once to another velocity of the set (the paper's
///   "velocity switch half way" variant uses `.atFrame(T / 2)`).
/// - Augmentation (training by default): a horizontal flip with probability 1/2, after the shift, which
///   makes the apparent horizontal velocity -v.x (`ClipSample.isFlipped`).
/// - Resampling: with `resamplesEachEpoch` (training by default), windows and flips are redrawn every
///   epoch; otherwise they are fixed by the seed, so validation and test accuracy are deterministic.
public struct MovingFrames: RandomAccessCollection, EpochSampledDataset, Sendable {
    /// Which subjects a dataset holds.
    public enum Split: Sendable, Hashable { case training, validation, test }

    /// Which subjects belong to which split.
    public struct SubjectSplit: Sendable, Equatable {
        public var training: Set<Int>
        public var validation: Set<Int>
        public var test: Set<Int>

        public init(training: Set<Int>, validation: Set<Int>, test: Set<Int>) {
            self.training = training
            self.validation = validation
            self.test = test
        }

        /// KTH by person, as the reference: 1-16 training, 17-20 validation, 21-25 test.
        public static let kth = SubjectSplit(training: Set(1...16), validation: Set(17...20), test: Set(21...25))

        /// The subjects of `split`.
        public func subjects(_ split: Split) -> Set<Int> {
            switch split {
            case .training: training
            case .validation: validation
            case .test: test
            }
        }
    }

    /// How windows are cut and moved.
    public struct Configuration: Sendable, Equatable {
        /// T, frames per example (16).
        public var sequenceLength: Int
        /// Clip frames between consecutive example frames (2: a 16-frame example spans 31 clip frames).
        public var step: Int
        /// The camera velocities, drawn uniformly ({-R...R}^2 for `init(velocityRange: R)`; [.zero] leaves
        /// the frames still).
        public var velocities: [PixelVector]
        /// Whether each epoch draws new camera velocities (the paper's augmentation variant).
        public var cameraResampledEachEpoch: Bool
        /// A mid-clip change of camera velocity, or nil.
        public var velocitySwitch: VelocitySwitch?

        public init(sequenceLength: Int = 16, step: Int = 2, velocities: [PixelVector], cameraResampledEachEpoch: Bool = false,
                    velocitySwitch: VelocitySwitch? = nil) {
            self.sequenceLength = sequenceLength
            self.step = step
            self.velocities = velocities
            self.cameraResampledEachEpoch = cameraResampledEachEpoch
            self.velocitySwitch = velocitySwitch
        }

        /// Camera velocities uniform over {-R...R}^2, R = `velocityRange` (0 leaves the frames still).
        public init(sequenceLength: Int = 16, step: Int = 2, velocityRange: Int = 2, cameraResampledEachEpoch: Bool = false,
                    velocitySwitch: VelocitySwitch? = nil) {
            requireArgument(velocityRange >= 0, "MovingFrames", "velocity range must be >= 0, got \(velocityRange)")
            self.init(sequenceLength: sequenceLength, step: step, velocities: PixelVector.grid(range: velocityRange),
                      cameraResampledEachEpoch: cameraResampledEachEpoch, velocitySwitch: velocitySwitch)
        }
    }

    /// How one example was made from its clip.
    public struct ClipSample: Sendable, Equatable {
        /// The class index.
        public var label: Int
        /// The clip's subject.
        public var subject: Int
        /// The clip's index in the archive.
        public var clipIndex: Int
        /// The clip frame of the example's first frame.
        public var startFrame: Int
        /// The camera shift of each frame (`camera.offset(atFrame: t)`, before any flip).
        public var camera: Trajectory
        /// Whether the frames were flipped left-right after the shift.
        public var isFlipped: Bool

        /// The displacement of the content from frame t to t + 1 as seen in the output (x negated by a flip).
        public func apparentVelocity(atFrame time: Int) -> PixelVector {
            let velocity = camera.velocity(atFrame: time)
            return isFlipped ? PixelVector(y: velocity.y, x: -velocity.x) : velocity
        }
    }

    public typealias Element = FrameSequence<ClipSample>

    /// The clips (shared, not copied, between splits).
    public let archive: ClipArchive
    /// The window and camera settings.
    public let configuration: Configuration
    /// Seeds every example.
    public let seed: UInt64
    /// Whether examples are flipped left-right at random.
    public let flipsHorizontally: Bool
    /// Whether `resampled(epoch:)` redraws windows, flips (and camera velocities if so configured).
    public let resamplesEachEpoch: Bool
    /// The epoch this set was drawn for (0 unless resampled).
    public private(set) var epoch: Int
    /// The archive indices of this split's clips long enough for one window, in archive order.
    public let clipIndices: [Int]
    /// Clips of this split's subjects left out because they are shorter than one window.
    public let skippedClipCount: Int

    /// The clips of `split`'s subjects, fixed by `seed`.
    ///
    /// - Parameters:
    ///   - flipsHorizontally: random left-right flips; nil means only for the training split.
    ///   - resamplesEachEpoch: new windows and flips every epoch; nil means only for the training split.
    public init(archive: ClipArchive, split: Split, subjects: SubjectSplit = .kth, seed: UInt64,
                configuration: Configuration = Configuration(), flipsHorizontally: Bool? = nil, resamplesEachEpoch: Bool? = nil) {
        requireArgument(configuration.sequenceLength >= 1 && configuration.step >= 1 && !configuration.velocities.isEmpty,
                        "MovingFrames", "need sequenceLength >= 1, step >= 1 and at least one velocity, got \(configuration)")
        requireArgument(subjects.training.isDisjoint(with: subjects.validation) && subjects.training.isDisjoint(with: subjects.test)
                            && subjects.validation.isDisjoint(with: subjects.test), "MovingFrames",
                        "a subject may belong to one split only, got \(subjects)")
        configuration.velocitySwitch?.validate(frameCount: configuration.sequenceLength,
                                               velocities: configuration.velocities, operation: "MovingFrames")
        let span = (configuration.sequenceLength - 1) * configuration.step + 1
        let wanted = subjects.subjects(split)
        let inSplit = archive.clips.indices.filter { wanted.contains(archive.clips[$0].subject) }
        self.archive = archive
        self.configuration = configuration
        self.seed = seed
        self.flipsHorizontally = flipsHorizontally ?? (split == .training)
        self.resamplesEachEpoch = resamplesEachEpoch ?? (split == .training)
        epoch = 0
        clipIndices = inSplit.filter { archive.clips[$0].frameCount >= span }
        skippedClipCount = inSplit.count - clipIndices.count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { clipIndices.count }

    public func resampled(epoch: Int) -> MovingFrames {
        guard resamplesEachEpoch || configuration.cameraResampledEachEpoch else { return self }
        var copy = self
        copy.epoch = epoch
        return copy
    }

    /// Example `index`: a window of clip `clipIndices[index]`, moved and maybe flipped, `[T, 1, H, W]`.
    public subscript(index: Int) -> Element {
        requireArgument(index >= 0 && index < endIndex, "MovingFrames", "index \(index) is outside 0..<\(endIndex)")
        let clipIndex = clipIndices[index]
        let clip = archive.clips[clipIndex]
        let (length, step) = (configuration.sequenceLength, configuration.step)
        var sampling = ExampleSeeding.generator(seed: seed, epoch: resamplesEachEpoch ? epoch : 0, index: clipIndex, stream: 1)
        let startFrame = ExampleSeeding.uniform(in: 0..<(clip.frameCount - (length - 1) * step), using: &sampling)
        let isFlipped = flipsHorizontally && sampling.nextUnitDouble() < 0.5
        var cameraGenerator = ExampleSeeding.generator(seed: seed, epoch: configuration.cameraResampledEachEpoch ? epoch : 0,
                                                       index: clipIndex, stream: 2)
        let switchFrame = configuration.velocitySwitch?.drawFrame(using: &cameraGenerator)
        let camera = Trajectory.draw(start: .zero, velocities: configuration.velocities,
                                     velocitySwitch: configuration.velocitySwitch, switchFrame: switchFrame, using: &cameraGenerator)
        let (height, width) = (archive.height, archive.width)
        let area = height * width
        var frames = [Float](repeating: 0, count: length * area)
        for time in 0..<length {
            let source = (startFrame + time * step) * area
            let offset = camera.offset(atFrame: time)
            let (shiftY, shiftX) = (((offset.y % height) + height) % height, ((offset.x % width) + width) % width)
            for row in 0..<height {
                let sourceRow = source + ((row - shiftY + height) % height) * width
                let target = time * area + row * width
                for column in 0..<width {
                    let shifted = clip.pixels[sourceRow + (column - shiftX + width) % width]
                    frames[target + (isFlipped ? width - 1 - column : column)] = Float(shifted) / 255
                }
            }
        }
        let sample = ClipSample(label: clip.label, subject: clip.subject, clipIndex: clipIndex, startFrame: startFrame,
                                camera: camera, isFlipped: isFlipped)
        return FrameSequence(frames: frames, frameCount: length, height: height, width: width, metadata: sample)
    }
}

/// One example of a sequence dataset: T grayscale frames `[T, 1, H, W]` and what generated them.
///
/// `metadata` is the dataset's own record of how the frames were made (per-digit velocities, angles,
/// positions, a clip's label and camera motion, ...), so a test or an analysis can compare a model's
/// behaviour with the true motion. Collate examples into a `[B, T, 1, H, W]` tensor with `SequenceBatch`.
public struct FrameSequence<Metadata: Sendable & Equatable>: Sendable, Equatable {
    /// `frameCount * height * width` values in [0, 1], frame-major then row-major (TCHW with C = 1).
    public var frames: [Float]
    /// T, the number of frames.
    public var frameCount: Int
    /// H, rows per frame.
    public var height: Int
    /// W, columns per frame.
    public var width: Int
    /// How the frames were generated.
    public var metadata: Metadata

    /// A sequence; stops the program if `frames` does not hold `frameCount * height * width` values.
    public init(frames: [Float], frameCount: Int, height: Int, width: Int, metadata: Metadata) {
        if frames.count != frameCount * height * width {
            fatalError("OrbitDatasets.FrameSequence: \(frames.count) values do not fill [\(frameCount), 1, \(height), \(width)]")
        }
        self.frames = frames
        self.frameCount = frameCount
        self.height = height
        self.width = width
        self.metadata = metadata
    }

    /// The shape of one example, `[T, 1, H, W]`.
    public var shape: [Int] { [frameCount, 1, height, width] }

    /// Frame `time` as `height * width` row-major values.
    public func frame(_ time: Int) -> ArraySlice<Float> {
        let area = height * width
        return frames[(time * area)..<((time + 1) * area)]
    }

    /// The value at row `row`, column `column` of frame `time`.
    public subscript(time: Int, row: Int, column: Int) -> Float {
        frames[(time * height + row) * width + column]
    }
}

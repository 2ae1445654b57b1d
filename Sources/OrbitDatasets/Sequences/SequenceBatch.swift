import Orbit

/// A minibatch of frame sequences: the frames stacked as `[B, T, 1, H, W]` float32 and each example's
/// metadata, in batch order.
///
/// ```swift
/// for batch in DataLoader(training, batchSize: 32, shuffling: RandomGenerator(seed: 1)).batches(epoch: epoch) {
///     let inputs = batch.frames(in: 0..<10)      // [32, 10, 1, 28, 28]
///     let targets = batch.frames(in: 10..<20)    // [32, 10, 1, 28, 28]
/// }
/// ```
public struct SequenceBatch<Metadata: Sendable & Equatable>: Sendable {
    /// float32 `[B, T, 1, H, W]`.
    public let frames: Tensor
    /// How each example was generated, `metadata[b]` for row `b` of `frames`.
    public let metadata: [Metadata]

    /// A batch from a frames tensor `[B, T, 1, H, W]` and one metadata value per row.
    public init(frames: Tensor, metadata: [Metadata]) {
        requireArgument(frames.rank == 5 && frames.shape[2] == 1, "SequenceBatch",
                        "frames must be [B, T, 1, H, W], got \(frames.shape)")
        requireArgument(frames.shape[0] == metadata.count, "SequenceBatch",
                        "\(metadata.count) metadata values for \(frames.shape[0]) sequences")
        self.frames = frames
        self.metadata = metadata
    }

    /// Stacks `examples` (at least one, all of the same T, H and W) in order.
    public init<Examples: Collection>(collating examples: Examples) where Examples.Element == FrameSequence<Metadata> {
        guard let first = examples.first else { fatalError("OrbitDatasets.SequenceBatch(collating:): no examples to collate") }
        let shape = first.shape
        var values: [Float] = []
        values.reserveCapacity(examples.count * first.frames.count)
        var metadata: [Metadata] = []
        metadata.reserveCapacity(examples.count)
        for example in examples {
            if example.shape != shape {
                fatalError("OrbitDatasets.SequenceBatch(collating:): example \(metadata.count) is \(example.shape), the first is \(shape)")
            }
            values += example.frames
            metadata.append(example.metadata)
        }
        self.init(frames: Tensor(values, shape: [metadata.count] + shape), metadata: metadata)
    }

    /// B, the number of sequences.
    public var count: Int { frames.shape[0] }
    /// T, frames per sequence.
    public var frameCount: Int { frames.shape[1] }

    /// Frames `times` of every sequence, float32 `[B, times.count, 1, H, W]`: the input and target
    /// windows of next-step prediction (`0..<10` and `10..<20` in the FERNN MNIST experiments).
    /// A new constant tensor (no gradient flows back into the batch).
    public func frames(in times: Range<Int>) -> Tensor {
        requireArgument(times.lowerBound >= 0 && times.upperBound <= frameCount, "SequenceBatch.frames(in:)",
                        "time range \(times) is outside 0..<\(frameCount) of frames \(frames.shape)")
        let (batch, frameSize) = (count, frames.shape[2] * frames.shape[3] * frames.shape[4])
        let all = frames.scalars(as: Float.self)
        var values: [Float] = []
        values.reserveCapacity(batch * times.count * frameSize)
        for row in 0..<batch {
            let start = (row * frameCount + times.lowerBound) * frameSize
            values += all[start..<(start + times.count * frameSize)]
        }
        return Tensor(values, shape: [batch, times.count] + Array(frames.shape[2...]))
    }

    /// One int64 label per sequence, `[B]`, read from the metadata (`batch.labels(\.label)` for clips).
    public func labels(_ label: (Metadata) -> Int) -> Tensor {
        Tensor(metadata.map { Int64(label($0)) }, shape: [count])
    }
}

import Orbit

/// Frame sequences from any of the moving-digit datasets (Translating, Bouncing, Rotating MNIST), seen
/// only as frames: each batch is a float32 tensor [B, T, 1, H, W]. Training and evaluation code works on
/// this instead of on one dataset type, so one trainer serves every experiment.
///
/// A training set made with `resamplesEachEpoch` is redrawn for every epoch (`DataLoader` calls
/// `resampled(epoch:)`); test sets are fixed by their seed.
public struct SequenceSource: Sendable {
    /// Sequences per epoch.
    public let count: Int
    /// T, frames per sequence.
    public let frameCount: Int
    private let makeBatches: @Sendable (_ batchSize: Int, _ shuffling: RandomGenerator?, _ epoch: Int, _ first: Int) -> EpochBatches<Tensor>

    public init<Dataset: EpochSampledDataset & Sendable, Metadata>(_ dataset: Dataset) where Dataset.Element == FrameSequence<Metadata> {
        count = dataset.count
        frameCount = dataset.first?.frameCount ?? 0
        makeBatches = { batchSize, shuffling, epoch, first in
            DataLoader(dataset, batchSize: batchSize, shuffling: shuffling, prefetchCount: 2,
                       collate: { SequenceBatch(collating: $0).frames })
                .batches(epoch: epoch, startingAt: first)
        }
    }

    /// The batches of `epoch` from batch `first` on, in the order `shuffling` gives (dataset order without it).
    public func batches(size: Int, shuffling: RandomGenerator? = nil, epoch: Int = 0, startingAt first: Int = 0) -> EpochBatches<Tensor> {
        makeBatches(size, shuffling, epoch, first)
    }

    /// Batches per epoch at `size` (the last one may be partial).
    public func batchCount(size: Int) -> Int { (count + size - 1) / size }

    /// The first `count` sequences as one batch [count, T, 1, H, W] (for pictures).
    public func prefix(_ count: Int) -> Tensor {
        Array(batches(size: min(count, self.count)).prefix(1))[0]
    }
}

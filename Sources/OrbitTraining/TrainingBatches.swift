import Orbit
import OrbitDatasets

/// The training set as `Trainer` sees it: `batchCount` batches per epoch, produced for any (epoch, first
/// batch) as a pure function of them, so that a resumed run sees exactly the batches it would have seen.
///
/// ```swift
/// let loader = DataLoader(training[...], batchSize: 64, shuffling: RandomGenerator(seed: 0))
/// let batches = TrainingBatches(loader)            // Batch(inputs, labels); or any [B, ...] Tensor loader
/// ```
public struct TrainingBatches<Batch> {
    /// Batches per epoch (the last may be partial).
    public let batchCount: Int
    private let make: (_ epoch: Int, _ first: Int) -> AnySequence<Batch>
    private let count: (Batch) -> Int

    /// Batches from `batches(epoch, first)`; `examples` counts the examples of one batch (for the mean
    /// loss and the throughput).
    public init<Batches: Sequence>(batchCount: Int, examples: @escaping (Batch) -> Int,
                                   batches: @escaping (_ epoch: Int, _ first: Int) -> Batches) where Batches.Element == Batch {
        requireArgument(batchCount >= 1, "TrainingBatches", "needs at least one batch per epoch, got \(batchCount)")
        (self.batchCount, count) = (batchCount, examples)
        make = { AnySequence(batches($0, $1)) }
    }

    /// The batches of `epoch` from batch `first` on.
    public func batches(epoch: Int, startingAt first: Int = 0) -> AnySequence<Batch> { make(epoch, first) }

    /// The number of examples in `batch`.
    public func exampleCount(_ batch: Batch) -> Int { count(batch) }
}

extension TrainingBatches where Batch == OrbitDatasets.Batch {
    /// The batches of a labelled-image loader.
    public init<Dataset>(_ loader: DataLoader<Dataset, Batch>) {
        self.init(batchCount: loader.batchCount, examples: \.count) { loader.batches(epoch: $0, startingAt: $1) }
    }
}

extension TrainingBatches where Batch == Tensor {
    /// The batches of a loader that collates to one tensor [B, ...].
    public init<Dataset>(_ loader: DataLoader<Dataset, Tensor>) {
        self.init(batchCount: loader.batchCount, examples: { $0.shape[0] }) { loader.batches(epoch: $0, startingAt: $1) }
    }
}

import Orbit
import OrbitDatasets

/// The training set as `Trainer` sees it: `batchCount` batches per epoch, produced for any (epoch, first
/// batch) as a pure function of them, so that a resumed run sees exactly the batches it would have seen.
///
/// ```swift
/// let loader = DataLoader(training[...], batchSize: 64, shuffling: RandomGenerator(seed: 0))
/// let batches = TrainingBatches(loader)            // Batch(inputs, labels); or any [B, ...] Tensor loader
/// ```
///
/// Data-parallel training (a `Trainer` with a communicator of more than one rank) makes every rank produce
/// the same global batch and keep its block of examples (`DataParallel.shard`), cut by `slice`.
public struct TrainingBatches<Batch> {
    /// Batches per epoch (the last may be partial).
    public let batchCount: Int
    private let make: (_ epoch: Int, _ first: Int) -> AnySequence<Batch>
    private let count: (Batch) -> Int
    private let cut: ((Batch, Range<Int>) -> Batch)?

    /// Batches from `batches(epoch, first)`; `examples` counts the examples of one batch (for the mean
    /// loss and the throughput); `slice(batch, range)` keeps the examples `range` of a batch, in order
    /// (needed only for data-parallel training).
    public init<Batches: Sequence>(batchCount: Int, examples: @escaping (Batch) -> Int,
                                   slice: ((Batch, Range<Int>) -> Batch)? = nil,
                                   batches: @escaping (_ epoch: Int, _ first: Int) -> Batches) where Batches.Element == Batch {
        requireArgument(batchCount >= 1, "TrainingBatches", "needs at least one batch per epoch, got \(batchCount)")
        (self.batchCount, count, cut) = (batchCount, examples, slice)
        make = { AnySequence(batches($0, $1)) }
    }

    /// The batches of `epoch` from batch `first` on.
    public func batches(epoch: Int, startingAt first: Int = 0) -> AnySequence<Batch> { make(epoch, first) }

    /// The number of examples in `batch`.
    public func exampleCount(_ batch: Batch) -> Int { count(batch) }

    /// Whether `slice(_:_:)` can cut a batch (the batches were made with `slice:` or from a `DataLoader`).
    public var canSlice: Bool { cut != nil }

    /// The examples `range` of `batch`, in order.
    public func slice(_ batch: Batch, _ range: Range<Int>) -> Batch {
        guard let cut else {
            requireArgument(false, "TrainingBatches.slice", "these batches were made without slice:; pass one to TrainingBatches.init")
            return batch
        }
        return cut(batch, range)
    }
}

extension TrainingBatches where Batch == OrbitDatasets.Batch {
    /// The batches of a labelled-image loader.
    public init<Dataset>(_ loader: DataLoader<Dataset, Batch>) {
        self.init(batchCount: loader.batchCount, examples: \.count,
                  slice: { Batch(inputs: $0.inputs.slice(axis: 0, $1), labels: $0.labels.slice(axis: 0, $1)) }) {
            loader.batches(epoch: $0, startingAt: $1)
        }
    }
}

extension TrainingBatches where Batch == Tensor {
    /// The batches of a loader that collates to one tensor [B, ...].
    public init<Dataset>(_ loader: DataLoader<Dataset, Tensor>) {
        self.init(batchCount: loader.batchCount) { loader.batches(epoch: $0, startingAt: $1) }
    }

    /// Batches [B, ...] from `batches(epoch, first)`: B examples each, cut along axis 0.
    public init<Batches: Sequence>(batchCount: Int, batches: @escaping (_ epoch: Int, _ first: Int) -> Batches)
    where Batches.Element == Tensor {
        self.init(batchCount: batchCount, examples: { $0.shape[0] }, slice: { $0.slice(axis: 0, $1) }, batches: batches)
    }
}

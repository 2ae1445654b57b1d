import Orbit

/// Shuffles, batches and collates a dataset of `LabeledImage`s, one epoch at a time, optionally
/// preparing the next batches on a background queue while the current one is used.
///
/// ```swift
/// let loader = DataLoader(try MNIST(split: .training, directory: MNIST.defaultDirectory), batchSize: 64,
///                         shuffling: RandomGenerator(seed: 42), prefetchCount: 2)
/// for epoch in 0..<10 {
///     for batch in loader.batches(epoch: epoch) {      // inputs [64, 1, 28, 28] float32, labels [64] int64
///         ...
///     }
/// }
/// ```
/// Batch `i` of epoch `e` is a pure function of (dataset, batch size, generator, e, i): prefetching
/// changes when batches are computed, never what they contain, and a resumed run sees the same batches.
public struct DataLoader<Dataset: RandomAccessCollection & Sendable>: Sendable where Dataset.Element == LabeledImage {
    /// The examples.
    public let dataset: Dataset
    /// Examples per batch.
    public let batchSize: Int
    /// The generator whose state, with the epoch number, fixes each epoch's order; nil keeps the
    /// dataset's order.
    public let shuffling: RandomGenerator?
    /// Whether a last batch shorter than `batchSize` is left out of each epoch.
    public let dropsLastPartialBatch: Bool
    /// How many batches beyond the current one are prepared in the background (0: none, all work
    /// happens in the iterating thread).
    public let prefetchCount: Int

    /// A loader of `batchSize`-example batches; stops the program if `batchSize < 1` or
    /// `prefetchCount < 0`.
    ///
    /// - Parameters:
    ///   - shuffling: with a generator, epoch `e` visits the dataset in the order of
    ///     `Shuffled(dataset, generator: shuffling, epoch: e)`; without one, in dataset order.
    ///   - prefetchCount: batches prepared ahead on a background queue; 1 or 2 hides collation behind a
    ///     training step.
    public init(_ dataset: Dataset, batchSize: Int, shuffling: RandomGenerator? = nil,
                dropsLastPartialBatch: Bool = false, prefetchCount: Int = 0) {
        if batchSize < 1 { fatalError("OrbitDatasets.DataLoader: batch size must be at least 1, got \(batchSize)") }
        if prefetchCount < 0 { fatalError("OrbitDatasets.DataLoader: prefetch count must be >= 0, got \(prefetchCount)") }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffling = shuffling
        self.dropsLastPartialBatch = dropsLastPartialBatch
        self.prefetchCount = prefetchCount
    }

    /// Batches per epoch.
    public var batchCount: Int {
        Batches(dataset, batchSize: batchSize, dropsLastPartialBatch: dropsLastPartialBatch).count
    }

    /// The batches of `epoch`, in order, starting at batch `firstBatch` (to resume inside an epoch).
    public func batches(epoch: Int, startingAt firstBatch: Int = 0) -> EpochBatches {
        let produce: @Sendable (Int) -> Batch
        if let shuffling {
            let batches = Shuffled(dataset, generator: shuffling, epoch: epoch)
                .inBatches(of: batchSize, dropsLastPartialBatch: dropsLastPartialBatch)
            produce = { Batch(collating: batches[$0]) }
        } else {
            let batches = dataset.inBatches(of: batchSize, dropsLastPartialBatch: dropsLastPartialBatch)
            produce = { Batch(collating: batches[$0]) }
        }
        return EpochBatches(indices: min(max(firstBatch, 0), batchCount)..<batchCount,
                            prefetchCount: prefetchCount, produce: produce)
    }
}

/// The batches of one epoch of a `DataLoader`, as a sequence (iterate it once per epoch).
public struct EpochBatches: Sequence, Sendable {
    /// The batch numbers this sequence yields.
    public let indices: Range<Int>
    let prefetchCount: Int
    let produce: @Sendable (Int) -> Batch

    public var underestimatedCount: Int { indices.count }

    public func makeIterator() -> PrefetchingIterator<Batch> {
        PrefetchingIterator(indices: indices, prefetchCount: prefetchCount, produce: produce)
    }
}

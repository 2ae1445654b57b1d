import Orbit

/// Shuffles, batches and collates a dataset, one epoch at a time, optionally preparing the next batches
/// on a background queue while the current one is used.
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
/// `LabeledImage` datasets collate into a `Batch`, `FrameSequence` datasets (moving digits, clips) into a
/// `SequenceBatch` (`[B, T, 1, H, W]`); any other element type takes a `collate` function.
///
/// Batch `i` of epoch `e` is a pure function of (dataset, batch size, generator, e, i): prefetching
/// changes when batches are computed, never what they contain, and a resumed run sees the same batches.
/// A dataset that is an `EpochSampledDataset` is drawn as `dataset.resampled(epoch: e)` for epoch `e`
/// (checked at run time, so it also holds in generic code), which keeps its count.
public struct DataLoader<Dataset: RandomAccessCollection & Sendable, Output: Sendable>: Sendable {
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
    /// Turns the examples of one batch, in order, into the batch.
    public let collate: @Sendable ([Dataset.Element]) -> Output

    /// A loader of `batchSize`-example batches made by `collate`; stops the program if `batchSize < 1` or
    /// `prefetchCount < 0`.
    ///
    /// - Parameters:
    ///   - shuffling: with a generator, epoch `e` visits the dataset in the order of
    ///     `Shuffled(dataset, generator: shuffling, epoch: e)`; without one, in dataset order.
    ///   - prefetchCount: batches prepared ahead on a background queue; 1 or 2 hides collation (and the
    ///     generation of synthetic sequences) behind a training step.
    public init(_ dataset: Dataset, batchSize: Int, shuffling: RandomGenerator? = nil, dropsLastPartialBatch: Bool = false,
                prefetchCount: Int = 0, collate: @escaping @Sendable ([Dataset.Element]) -> Output) {
        if batchSize < 1 { fatalError("OrbitDatasets.DataLoader: batch size must be at least 1, got \(batchSize)") }
        if prefetchCount < 0 { fatalError("OrbitDatasets.DataLoader: prefetch count must be >= 0, got \(prefetchCount)") }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffling = shuffling
        self.dropsLastPartialBatch = dropsLastPartialBatch
        self.prefetchCount = prefetchCount
        self.collate = collate
    }

    /// Batches per epoch.
    public var batchCount: Int {
        Batches(dataset, batchSize: batchSize, dropsLastPartialBatch: dropsLastPartialBatch).count
    }

    /// The batches of `epoch`, in order, starting at batch `firstBatch` (to resume inside an epoch).
    public func batches(epoch: Int, startingAt firstBatch: Int = 0) -> EpochBatches<Output> {
        let examples = DataLoader.examples(of: dataset, epoch: epoch)
        let produce: @Sendable (Int) -> Output
        if let shuffling {
            let batches = Shuffled(examples, generator: shuffling, epoch: epoch)
                .inBatches(of: batchSize, dropsLastPartialBatch: dropsLastPartialBatch)
            produce = { [collate] in collate(Array(batches[$0])) }
        } else {
            let batches = examples.inBatches(of: batchSize, dropsLastPartialBatch: dropsLastPartialBatch)
            produce = { [collate] in collate(Array(batches[$0])) }
        }
        return EpochBatches(indices: min(max(firstBatch, 0), batchCount)..<batchCount,
                            prefetchCount: prefetchCount, produce: produce)
    }

    /// `dataset.resampled(epoch:)` when the dataset is an `EpochSampledDataset`, else the dataset.
    static func examples(of dataset: Dataset, epoch: Int) -> Dataset {
        guard let sampled = dataset as? any EpochSampledDataset else { return dataset }
        return resample(sampled, epoch: epoch)
    }

    private static func resample<Sampled: EpochSampledDataset>(_ dataset: Sampled, epoch: Int) -> Dataset {
        // The cast cannot fail: `dataset` is the loader's `Dataset` value, opened as the protocol.
        guard let resampled = dataset.resampled(epoch: epoch) as? Dataset else { fatalError("OrbitDatasets.DataLoader: unreachable") }
        return resampled
    }
}

extension DataLoader where Dataset.Element == LabeledImage, Output == Batch {
    /// A loader of image batches (NCHW inputs and int64 labels, see `Batch`); arguments as in the
    /// general initializer.
    public init(_ dataset: Dataset, batchSize: Int, shuffling: RandomGenerator? = nil,
                dropsLastPartialBatch: Bool = false, prefetchCount: Int = 0) {
        self.init(dataset, batchSize: batchSize, shuffling: shuffling, dropsLastPartialBatch: dropsLastPartialBatch,
                  prefetchCount: prefetchCount, collate: { Batch(collating: $0) })
    }
}

extension DataLoader {
    /// A loader of sequence batches (`[B, T, 1, H, W]` frames and metadata, see `SequenceBatch`);
    /// arguments as in the general initializer.
    public init<Metadata>(_ dataset: Dataset, batchSize: Int, shuffling: RandomGenerator? = nil,
                          dropsLastPartialBatch: Bool = false, prefetchCount: Int = 0)
    where Dataset.Element == FrameSequence<Metadata>, Output == SequenceBatch<Metadata> {
        self.init(dataset, batchSize: batchSize, shuffling: shuffling, dropsLastPartialBatch: dropsLastPartialBatch,
                  prefetchCount: prefetchCount, collate: { SequenceBatch(collating: $0) })
    }
}

/// The batches of one epoch of a `DataLoader`, as a random-access collection indexed by batch number:
/// element `i` is batch `i` of the epoch, for `i` in `indices`.
///
/// `for batch in batches` runs the prefetching iterator (each batch made once, `prefetchCount` ahead
/// on a background queue); `batches.first`, `batches[i]` and other index access make the batch they
/// return on the calling thread, each time they are called, with the same content.
///
/// ```swift
/// let batches = loader.batches(epoch: 0)
/// let sample = batches.first!          // one batch, e.g. to check shapes
/// for batch in batches { ... }         // the whole epoch, prefetched
/// ```
public struct EpochBatches<Output: Sendable>: RandomAccessCollection, Sendable {
    /// The batch numbers this collection yields.
    public let indices: Range<Int>
    let prefetchCount: Int
    let produce: @Sendable (Int) -> Output

    public var startIndex: Int { indices.lowerBound }
    public var endIndex: Int { indices.upperBound }

    /// Batch `index` of the epoch, made on the calling thread.
    public subscript(index: Int) -> Output {
        precondition(indices.contains(index), "EpochBatches: batch \(index) is outside \(indices)")
        return produce(index)
    }

    public func makeIterator() -> PrefetchingIterator<Output> {
        PrefetchingIterator(indices: indices, prefetchCount: prefetchCount, produce: produce)
    }
}

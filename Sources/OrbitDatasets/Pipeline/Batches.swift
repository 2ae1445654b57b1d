/// A collection cut into consecutive batches of `batchSize` elements: each element is a slice of the
/// base collection, and the last one may be shorter unless `dropsLastPartialBatch` is set.
///
/// ```swift
/// for batch in Shuffled(training, generator: generator, epoch: epoch).inBatches(of: 64) { ... }
/// ```
public struct Batches<Base: RandomAccessCollection>: RandomAccessCollection {
    /// The collection being cut.
    public let base: Base
    /// Elements per batch (the last batch may have fewer, see `dropsLastPartialBatch`).
    public let batchSize: Int
    /// Whether a last batch shorter than `batchSize` is left out.
    public let dropsLastPartialBatch: Bool

    /// Batches of `batchSize` (at least 1) consecutive elements of `base`.
    public init(_ base: Base, batchSize: Int, dropsLastPartialBatch: Bool = false) {
        if batchSize < 1 { fatalError("OrbitDatasets.Batches: batch size must be at least 1, got \(batchSize)") }
        self.base = base
        self.batchSize = batchSize
        self.dropsLastPartialBatch = dropsLastPartialBatch
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        dropsLastPartialBatch ? base.count / batchSize : (base.count + batchSize - 1) / batchSize
    }

    /// Elements `position * batchSize ..< min((position + 1) * batchSize, base.count)` of `base`.
    public subscript(position: Int) -> Base.SubSequence {
        let start = base.index(base.startIndex, offsetBy: position * batchSize)
        let end = base.index(start, offsetBy: Swift.min(batchSize, base.count - position * batchSize))
        return base[start..<end]
    }
}

extension Batches: Sendable where Base: Sendable {}

extension RandomAccessCollection {
    /// This collection in consecutive batches of `batchSize` elements (see `Batches`).
    public func inBatches(of batchSize: Int, dropsLastPartialBatch: Bool = false) -> Batches<Self> {
        Batches(self, batchSize: batchSize, dropsLastPartialBatch: dropsLastPartialBatch)
    }
}

import Orbit
import Testing
@testable import OrbitDatasets

private let examples = (0..<103).map { syntheticImage($0) }

/// Each batch's labels and pixels, for comparing whole epochs.
private func contents(_ batches: some Sequence<Batch>) -> [([Int64], [Float])] {
    batches.map { ($0.labels.scalars(as: Int64.self), $0.inputs.scalars(as: Float.self)) }
}

@Test func loaderYieldsEveryExampleOncePerEpochInFixedSizeBatches() {
    let loader = DataLoader(examples, batchSize: 10, shuffling: RandomGenerator(seed: 5))
    #expect(loader.batchCount == 11)
    let batches = Array(loader.batches(epoch: 0))
    #expect(batches.count == 11)
    #expect(batches.dropLast().allSatisfy { $0.inputs.shape == [10, 1, 2, 3] && $0.labels.shape == [10] })
    #expect(batches.last?.inputs.shape == [3, 1, 2, 3])
    let labels = batches.flatMap { $0.labels.scalars(as: Int64.self) }
    #expect(labels.sorted() == (0..<103).map(Int64.init))
    #expect(labels != (0..<103).map(Int64.init))
    // Pixels travel with their labels.
    for batch in batches {
        let pixels = batch.inputs.scalars(as: Float.self)
        for (row, label) in batch.labels.scalars(as: Int64.self).enumerated() {
            #expect(pixels[row * 6] == Float(label * 100))
        }
    }

    let dropping = DataLoader(examples, batchSize: 10, shuffling: RandomGenerator(seed: 5), dropsLastPartialBatch: true)
    #expect(dropping.batchCount == 10)
    #expect(Array(dropping.batches(epoch: 0)).allSatisfy { $0.count == 10 })
}

@Test func loaderWithoutShufflingKeepsTheDatasetOrder() {
    let loader = DataLoader(examples, batchSize: 50)
    let labels = loader.batches(epoch: 4).flatMap { $0.labels.scalars(as: Int64.self) }
    #expect(labels == (0..<103).map(Int64.init))
}

@Test func epochsDifferAndResumeReproducesThem() {
    let loader = DataLoader(examples, batchSize: 10, shuffling: RandomGenerator(seed: 5))
    let epoch2 = contents(loader.batches(epoch: 2))
    let epoch3 = contents(loader.batches(epoch: 3))
    #expect(epoch2.map(\.0) != epoch3.map(\.0))
    // A new loader (a resumed run) sees the same epoch, also when it starts in the middle.
    let resumed = DataLoader(examples, batchSize: 10, shuffling: RandomGenerator(seed: 5))
    #expect(contents(resumed.batches(epoch: 2)).map(\.0) == epoch2.map(\.0))
    let tail = contents(resumed.batches(epoch: 2, startingAt: 7))
    #expect(tail.map(\.0) == epoch2.dropFirst(7).map(\.0))
    #expect(tail.map(\.1) == epoch2.dropFirst(7).map(\.1))
    #expect(Array(resumed.batches(epoch: 2, startingAt: 11)).isEmpty)
}

@Test(arguments: [1, 2, 5, 20])
func prefetchingGivesTheSameBatches(prefetchCount: Int) {
    let plain = DataLoader(examples, batchSize: 8, shuffling: RandomGenerator(seed: 11))
    let prefetching = DataLoader(examples, batchSize: 8, shuffling: RandomGenerator(seed: 11), prefetchCount: prefetchCount)
    for epoch in 0..<3 {
        let expected = contents(plain.batches(epoch: epoch))
        let actual = contents(prefetching.batches(epoch: epoch))
        #expect(actual.map(\.0) == expected.map(\.0))
        #expect(actual.map(\.1) == expected.map(\.1))
    }
    // Stopping early leaves the queued work to finish on its own.
    var iterator = prefetching.batches(epoch: 0).makeIterator()
    #expect(iterator.next()?.count == 8)
}

@Test func prefetchingMNISTMatchesThePlainLoader() throws {
    let test = try sharedTestSplit.get()
    let plain = DataLoader(test, batchSize: 500, shuffling: RandomGenerator(seed: 1))
    let prefetching = DataLoader(test, batchSize: 500, shuffling: RandomGenerator(seed: 1), prefetchCount: 2)
    for (expected, actual) in zip(plain.batches(epoch: 1), prefetching.batches(epoch: 1)) {
        #expect(actual.inputs.shape == [500, 1, 28, 28])
        #expect(actual.labels.scalars(as: Int64.self) == expected.labels.scalars(as: Int64.self))
        #expect(actual.inputs.scalars(as: Float.self) == expected.inputs.scalars(as: Float.self))
    }
}

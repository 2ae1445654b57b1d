import Orbit
import Testing
@testable import OrbitDatasets

@Test func batchesCoverTheCollectionWithAPartialLastBatch() {
    let batches = Array(0..<23).inBatches(of: 5)
    #expect(batches.count == 5)
    #expect(batches.map(\.count) == [5, 5, 5, 5, 3])
    #expect(batches.flatMap { $0 } == Array(0..<23))
    #expect(Array(batches[4]) == [20, 21, 22])

    let dropped = Array(0..<23).inBatches(of: 5, dropsLastPartialBatch: true)
    #expect(dropped.map(\.count) == [5, 5, 5, 5])
    #expect(Array(0..<20).inBatches(of: 5, dropsLastPartialBatch: true).count == 4)
    #expect(Array(0..<3).inBatches(of: 5).map(Array.init) == [[0, 1, 2]])
    #expect(Array(0..<3).inBatches(of: 5, dropsLastPartialBatch: true).isEmpty)
    #expect([Int]().inBatches(of: 5).isEmpty)
}

/// An image whose pixels encode `index`, with label `index`.
func syntheticImage(_ index: Int, channels: Int = 1, height: Int = 2, width: Int = 3) -> LabeledImage {
    let size = channels * height * width
    return LabeledImage(pixels: (0..<size).map { Float(index * 100 + $0) }, channels: channels, height: height,
                        width: width, label: index)
}

@Test func collationStacksImagesInNCHWOrder() {
    let examples = (0..<4).map { syntheticImage($0, channels: 2) }
    let batch = Batch(collating: examples)
    #expect(batch.inputs.shape == [4, 2, 2, 3])
    #expect(batch.inputs.dtype == .float32)
    #expect(batch.labels.shape == [4])
    #expect(batch.labels.dtype == .int64)
    #expect(batch.count == 4)
    #expect(batch.labels.scalars(as: Int64.self) == [0, 1, 2, 3])
    // Element [n, c, h, w] sits at n*12 + c*6 + h*3 + w and holds n*100 + c*6 + h*3 + w.
    let values = batch.inputs.scalars(as: Float.self)
    for n in 0..<4 {
        for offset in 0..<12 { #expect(values[n * 12 + offset] == Float(n * 100 + offset)) }
    }
}

@Test func collatedMNISTBatchesAreNCHWFloatAndInt64() throws {
    let test = try sharedTestSplit.get()
    let batch = Batch(collating: test.inBatches(of: 64)[0])
    #expect(batch.inputs.shape == [64, 1, 28, 28])
    #expect(batch.labels.shape == [64])
    #expect(Array(batch.labels.scalars(as: Int64.self).prefix(4)) == [7, 2, 1, 0])
    #expect(Array(batch.inputs.scalars(as: Float.self).prefix(784)) == test[0].pixels)
}

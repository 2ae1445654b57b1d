import Orbit
import Testing
@testable import OrbitDatasets

@Test func fixedExamplesIgnoreTheEpochAndResampledOnesFollowIt() {
    let fixed = SeededExamples(count: 5, seed: 9, resamplesEachEpoch: false, operation: "test")
    #expect(fixed.resampled(epoch: 3) == fixed && fixed.epoch == 0)
    let training = SeededExamples(count: 5, seed: 9, resamplesEachEpoch: true, operation: "test")
    #expect(training.resampled(epoch: 3).epoch == 3 && training.resampled(epoch: 3).resampled(epoch: 0) == training)
    // Example i of epoch e is ExampleSeeding's stream (seed, e, i); a fixed set always draws epoch 0's.
    var expected = ExampleSeeding.generator(seed: 9, epoch: 3, index: 4)
    var drawn = training.resampled(epoch: 3).generator(forExample: 4, of: "test")
    #expect(drawn.next() == expected.next())
    expected = ExampleSeeding.generator(seed: 9, epoch: 0, index: 4)
    drawn = fixed.resampled(epoch: 3).generator(forExample: 4, of: "test")
    #expect(drawn.next() == expected.next())
}

import Orbit
import OrbitNN
import Testing
@testable import OrbitTraining

// Model selection and the reference's early-stopping rule (Wang, Walters and Yu's `run_model.py`).

@Test func bestEpochSelectionRestoresACopyOfTheBestParameters() {
    var g = RandomGenerator(seed: 0)
    let layer = Linear(inputFeatures: 2, outputFeatures: 1, dtype: .float64, using: &g)
    var selection = BestEpochSelection()
    for (epoch, validation) in [3.0, 1.0, 2.0, .nan].enumerated() {
        layer.weight.value = Tensor.full([1, 2], value: Double(epoch), dtype: .float64)
        selection.record(epoch: epoch, validation: validation, module: layer)
    }
    #expect(selection.bestEpoch == 1 && selection.bestValidation == 1)
    #expect(layer.weight.value.doubles == [3, 3])
    selection.restoreBest(into: layer)
    #expect(layer.weight.value.doubles == [1, 1])
}

@Test func earlyStoppingFollowsTheReferenceRule() {
    let improving = (0..<12).map { 10 - Double($0) }
    #expect(!shouldStopEarly(validationHistory: improving, minimumEpochs: 10, window: 5))
    // Last five (mean 3) not below the five before (mean 1.8): stop, but only past the minimum epochs.
    let stalled = [9, 8, 1, 2, 3, 2, 1, 3, 3, 3, 3, 3] as [Double]
    #expect(shouldStopEarly(validationHistory: stalled, minimumEpochs: 10, window: 5))
    #expect(!shouldStopEarly(validationHistory: stalled, minimumEpochs: 12, window: 5))
}

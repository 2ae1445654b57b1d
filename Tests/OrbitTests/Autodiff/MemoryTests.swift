import Testing
import _OrbitTestSupport
import Orbit

// A training step must not grow memory: everything the tape saved is released once the gradients are
// returned. MemoryTracker counts only this test's buffers, so tests running alongside cannot disturb it.

@Test func aRepeatedTrainingStepDoesNotGrowMemory() {
    var generator = RandomGenerator(seed: 1)
    let weight = Parameter(Tensor.randomNormal([8, 3, 3, 3], standardDeviation: 0.2, using: &generator))
    let readout = Parameter(Tensor.randomNormal([8, 4], standardDeviation: 0.2, using: &generator))
    let images = Tensor.randomNormal([4, 3, 8, 8], using: &generator)
    let labels = Tensor([0, 1, 2, 3] as [Int64], shape: [4])
    let tracker = MemoryTracker()
    var liveAfterStep: [Int] = []
    for _ in 0..<100 {
        tracker.track {
            let (_, gradients) = valueAndGradient(of: [weight, readout]) {
                let features = relu(conv2d(images, weight.value, padding: 1, paddingMode: .circular))
                let pooled = maxPool2d(features, kernelSize: 2).mean(axes: [2, 3])
                return crossEntropy(matmul(pooled, readout.value), labels: labels)
            }
            weight.value = weight.value - gradients[weight] * 0.1
            readout.value = readout.value - gradients[readout] * 0.1
        }
        liveAfterStep.append(tracker.liveBuffers)
    }
    // Only the two updated parameters remain alive from each step.
    #expect(liveAfterStep.allSatisfy { $0 == 2 }, "live buffers after each step: \(Set(liveAfterStep))")
}

@Test func theBackwardPassReleasesSavedTensorsAsItGoes() {
    // 50 steps of a recurrence, each saving a [64, 64] activation: peak memory with gradients must stay
    // well below keeping every cotangent of every step alive at once.
    let tracker = MemoryTracker()
    let x = randomTensor([64, 64], seed: 2, dtype: .float32)
    let w = randomTensor([64, 64], seed: 3, lowerBound: -0.1, upperBound: 0.1, dtype: .float32)
    tracker.track {
        _ = gradient(at: [w]) { inputs in
            var h = x
            for _ in 0..<50 { h = tanh(matmul(h, inputs[0]) + x) }
            return h.sum()
        }
    }
    #expect(tracker.liveBuffers == 0)
    let bytesPerActivation = 64 * 64 * 4
    #expect(tracker.peakBytes < 200 * bytesPerActivation, "peak \(tracker.peakBytes) bytes")
}

import Orbit
import Testing

// README.md's "A gradient in ten lines", run as written.
@Test func theReadmeExampleRuns() {
    var generator = RandomGenerator(seed: 0)
    let weight = Parameter(Tensor.randomNormal([16, 1, 3, 3], standardDeviation: 0.3, using: &generator))
    let images = Tensor.randomNormal([8, 1, 28, 28], using: &generator)       // NCHW
    let labels = Tensor((0..<8).map { Int64($0 % 10) }, shape: [8])

    let (loss, gradients) = valueAndGradient(of: [weight]) {
        let features = relu(conv2d(images, weight.value, padding: 1, paddingMode: .circular))
        return crossEntropy(features.mean(axes: [2, 3]).slice(axis: 1, 0..<10), labels: labels)
    }
    #expect(gradients[weight].shape == [16, 1, 3, 3])
    #expect(abs(loss.item - 2.30) < 0.1, "loss \(loss.item)")
}

import Orbit
import OrbitNN

/// The classic two-convolution MNIST network (the PyTorch examples' `Net`), 1,199,882 parameters:
///
///     [N, 1, 28, 28] -conv1 3x3 (1->32)-> relu -conv2 3x3 (32->64)-> relu -max pool 2-> dropout 0.25
///     -> flatten [N, 9216] -fc1-> relu -> dropout 0.5 -fc2-> [N, 10] logits
///
/// Names match PyTorch's `state_dict` (`conv1.weight`, …, `fc2.bias`).
public final class MNISTClassifier: Layer {
    public let conv1: Convolution2D
    public let conv2: Convolution2D
    public let dropout1: Dropout
    public let dropout2: Dropout
    public let fc1: Linear
    public let fc2: Linear

    public init(seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        conv1 = Convolution2D(inputChannels: 1, outputChannels: 32, kernelSize: 3, using: &generator)
        conv2 = Convolution2D(inputChannels: 32, outputChannels: 64, kernelSize: 3, using: &generator)
        fc1 = Linear(inputFeatures: 9216, outputFeatures: 128, using: &generator)
        fc2 = Linear(inputFeatures: 128, outputFeatures: 10, using: &generator)
        dropout1 = Dropout(probability: 0.25, seed: generator.next())
        dropout2 = Dropout(probability: 0.5, seed: generator.next())
    }

    /// Restarts both dropout mask sequences from `seed` (the trainer derives it from epoch and step, so a
    /// resumed run draws the same masks).
    public func reseedDropout(_ seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        dropout1.reseed(generator.next())
        dropout2.reseed(generator.next())
    }

    public func callAsFunction(_ images: Tensor) -> Tensor {
        var x = relu(conv1(images))
        x = relu(conv2(x))
        x = dropout1(maxPool2d(x, kernelSize: 2)).flattened(from: 1)
        x = dropout2(relu(fc1(x)))
        return fc2(x)
    }
}

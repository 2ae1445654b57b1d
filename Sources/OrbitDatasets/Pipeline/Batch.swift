import Orbit

/// A minibatch ready for a training step: stacked images and their labels.
///
/// Shapes: `inputs` float32 `[N, C, H, W]` (NCHW, MNIST `[N, 1, 28, 28]`), `labels` int64 `[N]`, the
/// layout `conv2d` and `crossEntropy(_:labels:)` take.
public struct Batch: Sendable {
    /// float32 `[N, C, H, W]`.
    public let inputs: Tensor
    /// int64 `[N]`, class indices.
    public let labels: Tensor

    /// A batch from tensors already in the layout above.
    public init(inputs: Tensor, labels: Tensor) {
        self.inputs = inputs
        self.labels = labels
    }

    /// Stacks `examples` (at least one, all of the same channels, height and width) in order.
    public init<Examples: Collection>(collating examples: Examples) where Examples.Element == LabeledImage {
        guard let first = examples.first else { fatalError("OrbitDatasets.Batch(collating:): no examples to collate") }
        let (channels, height, width) = (first.channels, first.height, first.width)
        let count = examples.count
        var pixels: [Float] = []
        pixels.reserveCapacity(count * channels * height * width)
        var labels: [Int64] = []
        labels.reserveCapacity(count)
        for example in examples {
            if (example.channels, example.height, example.width) != (channels, height, width) {
                fatalError("""
                    OrbitDatasets.Batch(collating:): example \(labels.count) is [\(example.channels), \(example.height), \
                    \(example.width)], the first is [\(channels), \(height), \(width)]
                    """)
            }
            pixels += example.pixels
            labels.append(Int64(example.label))
        }
        self.init(inputs: Tensor(pixels, shape: [count, channels, height, width]), labels: Tensor(labels, shape: [count]))
    }

    /// Number of examples, N.
    public var count: Int { labels.shape[0] }
}

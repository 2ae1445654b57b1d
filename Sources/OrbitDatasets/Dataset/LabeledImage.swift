/// An image with a class label: one example of an image-classification dataset such as `MNIST`.
///
/// Pixels are stored channel-major, `[channels, height, width]` flattened row-major (CHW), so stacking
/// examples gives the NCHW layout Orbit's convolutions take (see `Batch`).
public struct LabeledImage: Equatable, Sendable {
    /// `channels * height * width` values, CHW order; for MNIST grey levels byte/255 in [0, 1].
    public var pixels: [Float]
    public var channels: Int
    public var height: Int
    public var width: Int
    /// The class index, 0 ..< number of classes.
    public var label: Int

    /// An example; stops the program if `pixels` does not hold `channels * height * width` values.
    public init(pixels: [Float], channels: Int, height: Int, width: Int, label: Int) {
        if pixels.count != channels * height * width {
            fatalError("OrbitDatasets.LabeledImage: \(pixels.count) pixels do not fill [\(channels), \(height), \(width)]")
        }
        self.pixels = pixels
        self.channels = channels
        self.height = height
        self.width = width
        self.label = label
    }
}

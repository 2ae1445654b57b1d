import Orbit
import OrbitNN

/// The MLP baseline of Table 1: the flattened input frames through fully connected layers with ReLU,
/// reshaped to the next frame. Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W]; layer widths
/// 2·inputFrames·H·W -> hidden -> … -> hidden -> 2·H·W (`layerCount` linear layers, PyTorch init).
public final class VelocityMLP: Layer {
    public let layers: [Linear]
    public let inputFrames: Int, height: Int, width: Int

    public init(inputFrames: Int = 10, height: Int, width: Int, hidden: Int, layerCount: Int = 5, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "VelocityMLP")
        (self.inputFrames, self.height, self.width) = (inputFrames, height, width)
        layers = stackWidths(input: 2 * inputFrames * height * width, hidden: hidden, output: 2 * height * width, layers: layerCount).map {
            Linear(inputFeatures: $0.input, outputFeatures: $0.output, dtype: dtype, using: &generator)
        }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkVelocityFrames(input, frames: inputFrames, "VelocityMLP")
        requireArgument(input.shape[2] == height && input.shape[3] == width, "VelocityMLP",
                        "built for \(height)×\(width) frames, got \(input.shape)")
        let batch = input.shape[0]
        return applyWithReLU(layers, input.reshaped([batch, -1])).reshaped([batch, 2, height, width])
    }
}

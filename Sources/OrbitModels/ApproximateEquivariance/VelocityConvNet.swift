import Orbit
import OrbitNN

/// The ConvNet baseline of Table 1 ("Conv"; the strictly equivariant model for translations): plain k×k
/// convolutions with ReLU, 'same' padding. Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W]; channels
/// 2·inputFrames -> hidden -> … -> hidden -> 2. With hidden 128 and five 3×3 layers it has
/// 23,168 + 3·147,584 + 2,306 = 468,226 parameters (one bank of RGroup's, Docs/References.md §A3).
public final class VelocityConvNet: Layer {
    public let layers: [Convolution2D]
    public let inputFrames: Int

    public init(inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, kernelSize: Int = 3, paddingMode: PaddingMode = .zeros,
                dtype: DType = .float32, using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "VelocityConvNet")
        self.inputFrames = inputFrames
        layers = stackWidths(input: 2 * inputFrames, hidden: hidden, output: 2, layers: layerCount).map {
            Convolution2D(inputChannels: $0.input, outputChannels: $0.output, kernelSize: kernelSize,
                          padding: kernelSize / 2, paddingMode: paddingMode, dtype: dtype, using: &generator)
        }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkVelocityFrames(input, frames: inputFrames, "VelocityConvNet")
        return applyWithReLU(layers, input)
    }
}

import Orbit
import OrbitNN

/// RGroup for translation (eq. 4 over the pixel shifts; reference `Relaxed_ConvNet`): `layerCount`
/// `RelaxedTranslationConvolution`s (L convolutions mixed per output position, weights [H, W, L]) with
/// ReLU between them. Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W], H×W fixed at construction.
/// With hidden 128, L = 2 and 64×64 frames it has 2·(23,168 + 3·147,584 + 2,306) + 5·8,192 = 977,412
/// parameters (Docs/References.md §A3). `relaxedTranslationRegularizer(model.layers, …)` applies.
public final class RelaxedTranslationVelocityNet: Layer {
    public let layers: [RelaxedTranslationConvolution]
    public let inputFrames: Int

    public init(inputFrames: Int = 10, height: Int, width: Int, hidden: Int, layerCount: Int = 5, kernelSize: Int = 3, bankCount: Int,
                indexing: RelaxedWeightIndexing = .outputElement, paddingMode: PaddingMode = .zeros, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "RelaxedTranslationVelocityNet")
        self.inputFrames = inputFrames
        layers = stackWidths(input: 2 * inputFrames, hidden: hidden, output: 2, layers: layerCount).map {
            RelaxedTranslationConvolution(inputChannels: $0.input, outputChannels: $0.output, kernelSize: kernelSize, bankCount: bankCount,
                                          height: height, width: width, indexing: indexing, padding: kernelSize / 2,
                                          paddingMode: paddingMode, dtype: dtype, using: &generator)
        }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkVelocityFrames(input, frames: inputFrames, "RelaxedTranslationVelocityNet")
        return applyWithReLU(layers, input)
    }
}

import Orbit
import OrbitNN

/// The "CLCNN" baseline of Table 1 (constrained locally connected network), as Orbit builds it: locally
/// connected layers, whose filter may differ at every output position, kept low-rank so that 64×64 frames
/// fit in memory (Elsayed et al. 2020's low-rank local connectivity): the filter at position x is
/// Σ_r a_r(x)·ψ_r, `rank` shared filters mixed by per-position weights [H, W, rank] (each layer is a
/// `RelaxedTranslationConvolution`). The constraint is soft: `hingeEquivariancePenalty` on the model,
/// added to the loss, penalises equivariance errors above a margin for the symmetry studied. ReLU between
/// layers. Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W], H×W fixed at construction.
public final class LocallyConnectedVelocityNet: Layer {
    public let layers: [RelaxedTranslationConvolution]
    public let inputFrames: Int

    public init(inputFrames: Int = 10, height: Int, width: Int, hidden: Int, layerCount: Int = 5, kernelSize: Int = 3, rank: Int,
                paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "LocallyConnectedVelocityNet")
        self.inputFrames = inputFrames
        layers = stackWidths(input: 2 * inputFrames, hidden: hidden, output: 2, layers: layerCount).map { pair in
            Self.locallyConnectedLayer(inputChannels: pair.input, outputChannels: pair.output, kernelSize: kernelSize, rank: rank,
                                       height: height, width: width, paddingMode: paddingMode, dtype: dtype, using: &generator)
        }
    }

    /// One low-rank locally connected layer, 'same' padding: a `RelaxedTranslationConvolution` with `rank`
    /// filters whose per-position weights start uniform in [0, 2/rank] (a relaxed layer's start at 1/rank
    /// everywhere, a convolution, is where a locally connected layer should not start).
    /// Shapes: [N, inputChannels, height, width] -> [N, outputChannels, height, width].
    public static func locallyConnectedLayer(inputChannels: Int, outputChannels: Int, kernelSize: Int, rank: Int, height: Int, width: Int,
                                             paddingMode: PaddingMode, dtype: DType,
                                             using generator: inout RandomGenerator) -> RelaxedTranslationConvolution {
        let layer = RelaxedTranslationConvolution(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                                                  bankCount: rank, height: height, width: width, padding: kernelSize / 2,
                                                  paddingMode: paddingMode, dtype: dtype, using: &generator)
        layer.combinationWeights.value = Tensor.randomUniform(layer.combinationWeights.shape, lowerBound: 0, upperBound: 2 / Double(rank),
                                                              dtype: dtype, using: &generator)
        return layer
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkVelocityFrames(input, frames: inputFrames, "LocallyConnectedVelocityNet")
        return applyWithReLU(layers, input)
    }
}

import Orbit
import OrbitNN

/// How a `ScaleVelocityNet` relaxes scale equivariance.
public enum ScaleRelaxation: Sendable {
    case none
    case group(bankCount: Int)
    case kernel(RelaxedSteerableInitialization)
}

/// The scale models of Table 1 over the Hermite-Gaussian basis (reference `Relaxed_Scale_SteerCNNs` /
/// SESN): a lifting scale convolution 2·inputFrames -> hidden, `layerCount - 2` scale-to-scale layers
/// (scaleSize 1, no mixing across scales, as the reference), a last scale-to-scale layer to 2 channels, and
/// the mean over the scale axis (an invariant pooling; the reference instead evaluates its last layer at
/// scale 1 only). ReLU between layers. Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W].
///
/// - `.none`: `ScaleConvolution` layers, the strictly (approximately, as pixels allow) scale-equivariant
///   model ("Equiv" for scaling, SESN).
/// - `.group(bankCount: L)`: `RelaxedScaleConvolution` layers, L coefficient sets mixed per scale (RGroup
///   for scale); fresh, it computes exactly the SESN model of the mean coefficients.
/// - `.kernel(initialization)`: `RelaxedScaleSteerableConvolution` layers, coefficients per kernel pixel
///   (RSteer for scale, what the reference's run.sh trains for scaling).
public final class ScaleVelocityNet: Layer {
    public let layers: [any Layer]
    public let inputFrames: Int

    /// The reference's basis: 5×5 kernels at scales 1, 1.5, 2, 2.5, effective size 7.
    public static let defaultBasis = HermiteGaussianBasis(kernelSize: 5, scales: [1, 1.5, 2, 2.5], effectiveSize: 7)

    public init(inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, relaxation: ScaleRelaxation = .none,
                basis: HermiteGaussianBasis = ScaleVelocityNet.defaultBasis,
                paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "ScaleVelocityNet")
        self.inputFrames = inputFrames
        layers = stackWidths(input: 2 * inputFrames, hidden: hidden, output: 2, layers: layerCount).enumerated().map { index, width -> any Layer in
            switch relaxation {
            case .none:
                ScaleConvolution(inputChannels: width.input, outputChannels: width.output, basis: basis, lifting: index == 0,
                                 paddingMode: paddingMode, dtype: dtype, using: &generator)
            case .group(let bankCount):
                RelaxedScaleConvolution(inputChannels: width.input, outputChannels: width.output, bankCount: bankCount, basis: basis,
                                        lifting: index == 0, paddingMode: paddingMode, dtype: dtype, using: &generator)
            case .kernel(let initialization):
                RelaxedScaleSteerableConvolution(inputChannels: width.input, outputChannels: width.output, basis: basis, lifting: index == 0,
                                                 initialization: initialization, paddingMode: paddingMode, dtype: dtype, using: &generator)
            }
        }
    }

    /// The `.group` layers, for `relaxedGroupRegularizer` (empty otherwise).
    public var relaxedGroupLayers: [any RelaxedCombinationLayer] { layers.compactMap { $0 as? any RelaxedCombinationLayer } }

    /// The `.kernel` layers, for `relaxedSteerableRegularizer` (empty otherwise).
    public var relaxedKernelLayers: [any RelaxedKernelLayer] { layers.compactMap { $0 as? any RelaxedKernelLayer } }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkVelocityFrames(input, frames: inputFrames, "ScaleVelocityNet")
        return applyWithReLU(layers, input).mean(axis: 2)
    }
}

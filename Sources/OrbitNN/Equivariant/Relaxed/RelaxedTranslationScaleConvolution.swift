import Orbit

/// Translation-relaxed scale convolution (Wang, Walters and Yu 2022, eq. 8 over the Hermite-Gaussian
/// basis of `ScaleConvolution`): L scale convolutions whose outputs are mixed per output position,
///
///     out[n, o, s, x] = Σ_l a_l(x) · (f ⋆ K_{l,s})[n, o, x] + b_o,   K_{l,s} = Σ_f c_l[:, :, :, f] · ψ_f(·/σ_s),
///
/// i.e. coefficients w(x) = Σ_l a_l(x) c_l of rank L in the position. a_l starts at 1/L, so a fresh
/// layer is exactly the `ScaleConvolution` with coefficients mean_l c_l (commuting with shifts under
/// `.circular` padding; approximately scale-equivariant, as that layer). One grouped `conv2d` for all
/// banks and scales. Shapes as `ScaleConvolution`: lifting [N, I, H, W] or [N, I, S, H, W] ->
/// [N, O, S, H, W], [H, W] fixed at construction. Parameters: weight [L, O, I, scaleSize, functions]
/// (PyTorch default, fan-in I·scaleSize·functions), combinationWeights [H, W, L] (1/L), bias [O].
public final class RelaxedTranslationScaleConvolution: Layer, RelaxedPositionLayer {
    public let weight: Parameter
    public let combinationWeights: Parameter
    public let bias: Parameter?
    public let basis: HermiteGaussianBasis
    public let scaleSize: Int
    public let isLifting: Bool
    public let paddingMode: PaddingMode

    public init(inputChannels: Int, outputChannels: Int, bankCount: Int, height: Int, width: Int,
                basis: HermiteGaussianBasis = HermiteGaussianBasis(kernelSize: 5, scales: [1, 1.5, 2, 2.5], effectiveSize: 7),
                lifting: Bool, scaleSize: Int = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        requireArgument(bankCount >= 1 && height >= 1 && width >= 1 && scaleSize >= 1 && (!lifting || scaleSize == 1),
                        "RelaxedTranslationScaleConvolution",
                        "needs bankCount (\(bankCount)) and size \(height)×\(width) >= 1, scaleSize >= 1 (1 when lifting), got \(scaleSize)")
        (self.basis, self.scaleSize, isLifting, self.paddingMode) = (basis, scaleSize, lifting, paddingMode)
        let fanIn = inputChannels * scaleSize * basis.functionCount
        weight = Parameter(Initializer.pytorchDefault.makeTensor([bankCount, outputChannels, inputChannels, scaleSize, basis.functionCount],
                                                                 fanIn: fanIn, dtype: dtype, using: &generator))
        combinationWeights = Parameter(Tensor.full([height, width, bankCount], value: 1 / Double(bankCount), dtype: dtype))
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor([outputChannels], fanIn: fanIn, dtype: dtype, using: &generator)) : nil
    }

    /// L, the rank of the position dependence.
    public var bankCount: Int { weight.shape[0] }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let (banks, output, channels) = (weight.shape[0], weight.shape[1], weight.shape[2])
        let filter = expandScaleFilter(weight.value.reshaped([banks * output] + Array(weight.shape.suffix(3))), basis: basis)
        let stacked = scaleConvolve(input, filter: filter, bias: nil, outputChannels: banks * output, inputChannels: channels,
                                    scaleSize: scaleSize, basis: basis, isLifting: isLifting, paddingMode: paddingMode,
                                    "RelaxedTranslationScaleConvolution")
        let mixed = mixPerPosition(stacked, banks: banks, weights: combinationWeights.value, "RelaxedTranslationScaleConvolution")
        guard let bias else { return mixed }
        return mixed + bias.value.reshaped([-1, 1, 1, 1])
    }
}

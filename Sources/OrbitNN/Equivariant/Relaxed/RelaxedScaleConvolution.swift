import Orbit

/// Relaxed scale convolution (Wang, Walters and Yu 2022, eq. 4-5 with G the discrete scales; reference
/// code `Relaxed_Scale_GroupConvNet`'s idea on `ScaleConvolution`'s structure): L sets of Hermite-Gaussian
/// coefficients, each expanded at every scale as `ScaleConvolution` does, mixed by weights of the output
/// scale s,
///
///     K_s = Σ_l w_l(s) · Σ_f c_l[:, :, :, f] · ψ_f(·/σ_s).
///
/// With w_l(s) independent of s this is exactly the `ScaleConvolution` with coefficients Σ_l w_l c_l
/// (weights start at 1/L), so it inherits that layer's (approximate: scaling is not a symmetry of the
/// pixel grid) equivariance. Shapes as `ScaleConvolution`: lifting [N, I, H, W] or scale to scale
/// [N, I, S, H, W] -> [N, O, S, H, W]. Parameters: weight [L, O, I, scaleSize, functions] (PyTorch
/// default, fan-in I·scaleSize·functions), combinationWeights [L, S] (1/L), bias [O].
public final class RelaxedScaleConvolution: Layer, RelaxedCombinationLayer {
    public let weight: Parameter
    public let combinationWeights: Parameter
    public let bias: Parameter?
    public let basis: HermiteGaussianBasis
    public let scaleSize: Int
    public let isLifting: Bool
    public let paddingMode: PaddingMode

    public init(inputChannels: Int, outputChannels: Int, bankCount: Int,
                basis: HermiteGaussianBasis = HermiteGaussianBasis(kernelSize: 5, scales: [1, 1.5, 2, 2.5], effectiveSize: 7),
                lifting: Bool, scaleSize: Int = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        requireArgument(bankCount >= 1 && scaleSize >= 1 && (!lifting || scaleSize == 1), "RelaxedScaleConvolution",
                        "needs bankCount >= 1 (got \(bankCount)) and scaleSize >= 1, 1 for a lifting layer (got \(scaleSize))")
        (self.basis, self.scaleSize, isLifting, self.paddingMode) = (basis, scaleSize, lifting, paddingMode)
        let fanIn = inputChannels * scaleSize * basis.functionCount
        weight = Parameter(Initializer.pytorchDefault.makeTensor([bankCount, outputChannels, inputChannels, scaleSize, basis.functionCount],
                                                                 fanIn: fanIn, dtype: dtype, using: &generator))
        combinationWeights = Parameter(Tensor.full([bankCount, basis.scales.count], value: 1 / Double(bankCount), dtype: dtype))
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor([outputChannels], fanIn: fanIn, dtype: dtype, using: &generator)) : nil
    }

    /// Scales form a line, not a cycle: the largest does not neighbour the smallest.
    public var combinationAxisIsCyclic: Bool { false }

    /// The filters of every output scale: [S·O, scaleSize·I, k, k], scale-major (as `ScaleConvolution`).
    public var filter: Tensor {
        let (banks, output, scales) = (weight.shape[0], weight.shape[1], basis.scales.count)
        // [S·L·O, J·I, k, k] -> [S, L, O·J·I·k·k], weighted by w[l, s] and summed over l.
        let stacked = expandScaleFilter(weight.value.reshaped([banks * output] + Array(weight.shape.suffix(3))), basis: basis)
        let combined = (stacked.reshaped([scales, banks, -1]) * combinationWeights.value.permuted([1, 0]).reshaped([scales, banks, 1])).sum(axis: 1)
        return combined.reshaped([scales * output] + Array(stacked.shape.suffix(3)))
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        scaleConvolve(input, filter: filter, bias: bias?.value, outputChannels: weight.shape[1], inputChannels: weight.shape[2],
                      scaleSize: scaleSize, basis: basis, isLifting: isLifting, paddingMode: paddingMode, "RelaxedScaleConvolution")
    }
}

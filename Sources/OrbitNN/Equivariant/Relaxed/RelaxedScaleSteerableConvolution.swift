import Orbit

/// Relaxed steerable convolution over the scale basis (Wang, Walters and Yu 2022, eq. 7 with the
/// Hermite-Gaussian basis; reference `Relaxed_Scale_SteerCNNs`, "RSteer" for scaling): every basis
/// coefficient has its own value at each kernel pixel p,
///
///     K_s(p) = Σ_f w_f(p) · ψ_f(p / σ_s),
///
/// so coefficients constant over p give exactly the `ScaleConvolution` kernel Σ_f w_f ψ_f(·/σ_s) (which
/// is as scale-equivariant as the pixel grid allows) and any variation over p is the relaxation,
/// penalised by `relaxedSteerableRegularizer` (the weight is laid out as its coefficient maps). The
/// filter is one batched matmul over the k² pixels, [k², O·I·J, F]·[k², F, S], then `scaleConvolve`.
/// Shapes as `ScaleConvolution`: lifting [N, I, H, W] or [N, I, S, H, W] -> [N, O, S, H, W].
/// Parameters: weight [O·I·scaleSize·F, k, k] (coefficient (o, i, j, f) at row ((o·I + i)·J + j)·F + f),
/// starting as a `ScaleConvolution`'s coefficients repeated over the pixels (`.equivariant`, the default)
/// or independent at every pixel with the same distribution (`.referenceRandom`); bias [O].
public final class RelaxedScaleSteerableConvolution: Layer, RelaxedKernelLayer {
    public let weight: Parameter
    public let bias: Parameter?
    public let basis: HermiteGaussianBasis
    public let inputChannels: Int, outputChannels: Int, scaleSize: Int
    public let isLifting: Bool
    public let paddingMode: PaddingMode

    public init(inputChannels: Int, outputChannels: Int,
                basis: HermiteGaussianBasis = HermiteGaussianBasis(kernelSize: 5, scales: [1, 1.5, 2, 2.5], effectiveSize: 7),
                lifting: Bool, scaleSize: Int = 1, initialization: RelaxedSteerableInitialization = .equivariant, bias: Bool = true,
                paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        requireArgument(inputChannels >= 1 && outputChannels >= 1 && scaleSize >= 1 && (!lifting || scaleSize == 1),
                        "RelaxedScaleSteerableConvolution",
                        "needs channels >= 1 (got \(inputChannels) -> \(outputChannels)) and scaleSize >= 1, 1 when lifting (got \(scaleSize))")
        (self.inputChannels, self.outputChannels, self.scaleSize) = (inputChannels, outputChannels, scaleSize)
        (self.basis, isLifting, self.paddingMode) = (basis, lifting, paddingMode)
        let (rows, k) = (outputChannels * inputChannels * scaleSize * basis.functionCount, basis.kernelSize)
        let fanIn = inputChannels * scaleSize * basis.functionCount
        switch initialization {
        case .equivariant:
            let coefficients = Initializer.pytorchDefault.makeTensor([rows, 1, 1], fanIn: fanIn, dtype: dtype, using: &generator)
            weight = Parameter(coefficients.expanded(to: [rows, k, k]))
        case .referenceRandom:
            weight = Parameter(Initializer.pytorchDefault.makeTensor([rows, k, k], fanIn: fanIn, dtype: dtype, using: &generator))
        }
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor([outputChannels], fanIn: fanIn, dtype: dtype, using: &generator)) : nil
    }

    /// The filters of every output scale: [S·O, scaleSize·I, k, k], scale-major (as `ScaleConvolution`).
    public var filter: Tensor {
        let (functions, scales, k) = (basis.functionCount, basis.scales.count, basis.kernelSize)
        let pairs = outputChannels * inputChannels * scaleSize
        let coefficients = weight.value.reshaped([pairs, functions, k * k]).permuted([2, 0, 1])            // [k², O·I·J, F]
        let functionsAtPixels = basis.tensor.converted(to: weight.dtype).reshaped([functions, scales, k * k]).permuted([2, 0, 1])  // [k², F, S]
        let expanded = matmul(coefficients, functionsAtPixels)                                            // [k², O·I·J, S]
        // [k, k, O, I, J, S] -> [S, O, J, I, k, k]
        return expanded.reshaped([k, k, outputChannels, inputChannels, scaleSize, scales]).permuted([5, 2, 4, 3, 0, 1])
            .reshaped([scales * outputChannels, scaleSize * inputChannels, k, k])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        scaleConvolve(input, filter: filter, bias: bias?.value, outputChannels: outputChannels, inputChannels: inputChannels,
                      scaleSize: scaleSize, basis: basis, isLifting: isLifting, paddingMode: paddingMode, "RelaxedScaleSteerableConvolution")
    }
}

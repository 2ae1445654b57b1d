import Orbit

/// Scale-equivariant convolution (SESN, Sosnovik et al. 2020) over the Hermite-Gaussian basis: the
/// filter of output scale s is Σ_f w_f · ψ_f(·/σ_s), one set of coefficients seen at every scale, so a
/// rescaled input moves along the scale axis (approximately: scaling is not a symmetry of the pixel grid).
///
/// - Lifting (`inputScales == nil`): [N, inputChannels, H, W] -> [N, outputChannels, S, H, W],
///   out[:, :, s] = conv(x, K_s), K_s = Σ_f w[:, :, 0, f]·basis[f, s].
/// - Scale to scale: [N, inputChannels, S, H, W] -> [N, outputChannels, S, H, W],
///   out[:, :, s] = Σ_{j < scaleSize} conv(x[:, :, s + j], K_{s,j}) with x beyond the last scale zero;
///   scaleSize 1 (the default, as in Wang et al.'s model) does not mix scales.
///
/// Everything is one grouped `conv2d` (groups = S) on a filter expanded from the coefficients by one
/// matmul against the basis. Weight [outputChannels, inputChannels, scaleSize, basis functions]; bias
/// [outputChannels], shared by all scales. 'Same' padding (kernelSize/2). Initialization: PyTorch's
/// default with fan-in inputChannels·scaleSize·functions.
public final class ScaleConvolution: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let basis: HermiteGaussianBasis
    public let scaleSize: Int
    /// True for the lifting layer (input without a scale axis).
    public let isLifting: Bool
    public let paddingMode: PaddingMode

    public init(inputChannels: Int, outputChannels: Int, basis: HermiteGaussianBasis = HermiteGaussianBasis(kernelSize: 5, scales: [1, 1.5, 2, 2.5], effectiveSize: 7),
                lifting: Bool, scaleSize: Int = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        requireArgument(scaleSize >= 1 && (!lifting || scaleSize == 1), "ScaleConvolution",
                        "scaleSize must be >= 1 (and 1 for a lifting layer), got \(scaleSize)")
        (self.basis, self.scaleSize, isLifting, self.paddingMode) = (basis, scaleSize, lifting, paddingMode)
        let fanIn = inputChannels * scaleSize * basis.functionCount
        weight = Parameter(Initializer.pytorchDefault.makeTensor([outputChannels, inputChannels, scaleSize, basis.functionCount],
                                                                 fanIn: fanIn, dtype: dtype, using: &generator))
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor([outputChannels], fanIn: fanIn, dtype: dtype, using: &generator)) : nil
    }

    /// The filters of every output scale: [S·outputChannels, scaleSize·inputChannels, k, k], scale-major,
    /// input channels ordered (j, i) within a scale.
    public var filter: Tensor { expandScaleFilter(weight.value, basis: basis) }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        scaleConvolve(input, filter: filter, bias: bias?.value, outputChannels: weight.shape[0], inputChannels: weight.shape[1],
                      scaleSize: scaleSize, basis: basis, isLifting: isLifting, paddingMode: paddingMode, "ScaleConvolution")
    }
}

/// The filters of every output scale from coefficients [O, I, J, F]: [S·O, J·I, k, k], scale-major, input
/// channels ordered (j, i) within a scale. One matmul against the basis, then a permute.
func expandScaleFilter(_ weight: Tensor, basis: HermiteGaussianBasis) -> Tensor {
    let (output, input, scaleSize, k, scaleCount) = (weight.shape[0], weight.shape[1], weight.shape[2], basis.kernelSize, basis.scales.count)
    let functions = basis.tensor.converted(to: weight.dtype).reshaped([basis.functionCount, scaleCount * k * k])
    let expanded = matmul(weight.reshaped([output * input * scaleSize, basis.functionCount]), functions)
    // [O, I, J, S, k, k] -> [S, O, J, I, k, k]
    return expanded.reshaped([output, input, scaleSize, scaleCount, k, k]).permuted([3, 0, 2, 1, 4, 5])
        .reshaped([scaleCount * output, scaleSize * input, k, k])
}

/// The scale convolution's forward with a given filter [S·O, J·I, k, k] and bias [O]: lifting
/// [N, I, H, W] or scale-to-scale [N, I, S, H, W] -> [N, O, S, H, W] (see `ScaleConvolution`).
func scaleConvolve(_ input: Tensor, filter: Tensor, bias: Tensor?, outputChannels: Int, inputChannels: Int, scaleSize: Int,
                   basis: HermiteGaussianBasis, isLifting: Bool, paddingMode: PaddingMode, _ operation: String) -> Tensor {
    let scaleCount = basis.scales.count
    let padding = basis.kernelSize / 2
    let output: Tensor
    if isLifting {
        requireArgument(input.rank == 4 && input.shape[1] == inputChannels, operation,
                        "a lifting layer expects [N, \(inputChannels), H, W], got \(input.shape)")
        output = conv2d(input, filter, padding: padding, paddingMode: paddingMode)
    } else {
        requireArgument(input.rank == 5 && input.shape[1] == inputChannels && input.shape[2] == scaleCount, operation,
                        "expects [N, \(inputChannels), \(scaleCount) scales, H, W], got \(input.shape)")
        let (batch, height, width) = (input.shape[0], input.shape[3], input.shape[4])
        // [N, S, I, H, W], then the window of scaleSize neighbouring scales for each output scale.
        var byScale = input.permuted([0, 2, 1, 3, 4])
        if scaleSize > 1 {
            byScale = byScale.padded([(0, scaleSize - 1), (0, 0), (0, 0), (0, 0)])
            let windows = (0..<scaleSize).map { byScale.slice(axis: 1, $0..<($0 + scaleCount)) }
            byScale = stack(windows, axis: 2)                                     // [N, S, J, I, H, W]
        }
        output = conv2d(byScale.reshaped([batch, scaleCount * scaleSize * inputChannels, height, width]), filter,
                        padding: padding, groups: scaleCount, paddingMode: paddingMode)
    }
    // [N, S·O, H, W] -> [N, O, S, H, W]
    let (batch, height, width) = (output.shape[0], output.shape[2], output.shape[3])
    let scaled = output.reshaped([batch, scaleCount, outputChannels, height, width]).permuted([0, 2, 1, 3, 4])
    guard let bias else { return scaled }
    return scaled + bias.reshaped([-1, 1, 1, 1])
}

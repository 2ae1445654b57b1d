import Orbit

/// Relaxed convolution for translations (Wang, Walters and Yu 2022, eq. 4 with G the translations of
/// the grid; reference code `Relaxed_ConvBlock`): L ordinary convolutions ψ_l mixed by combination
/// weights that depend on the position, of shape [H, W, L].
///
/// - `.outputElement` (the reference code, the default):
///   out[n, o, i, j] = Σ_l w[i, j, l] · (conv(x, ψ_l) + b_l)[n, o, i, j], weights at the output position.
///   One `conv2d` with the L filters stacked as [L·O, I, k, k], then the weighted sum over l.
/// - `.inputElement` (eq. 4 as written, Ψ(x, y) = Σ_l w_l(y) ψ_l(y - x)):
///   out = Σ_l conv(w_l ⊙ x, ψ_l) + b, weights at the input position. One `conv2d` of the L weighted
///   copies of x, [N, L·I, H, W], with the filters side by side as [O, L·I, k, k].
///
/// With weights constant over positions (they start at 1/L) the layer is the convolution with
/// ψ = Σ_l w_l ψ_l, so it commutes with shifts (exactly with `.circular` padding). The size
/// [H, W] is fixed at construction: the output size for `.outputElement`, the input size for
/// `.inputElement` (equal with 'same' padding). Parameters: weight [L, O, I, k, k] (PyTorch default,
/// fan-in I·k²), bias [L, O] (`.outputElement`, one per convolution as in the reference) or [O]
/// (`.inputElement`), combinationWeights [H, W, L] (1/L).
public final class RelaxedTranslationConvolution: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let combinationWeights: Parameter
    public let indexing: RelaxedWeightIndexing
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let paddingMode: PaddingMode

    public init(inputChannels: Int, outputChannels: Int, kernelSize: some PerAxisConvertible, bankCount: Int, height: Int,
                width: Int, indexing: RelaxedWeightIndexing = .outputElement, stride: some PerAxisConvertible = 1,
                padding: some PerAxisConvertible = 0, dilation: some PerAxisConvertible = 1, bias: Bool = true,
                paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        let kernelSize = kernelSize.squareKernelSide("RelaxedTranslationConvolution")
        requireArgument(bankCount >= 1 && inputChannels >= 1 && outputChannels >= 1 && kernelSize >= 1 && height >= 1 && width >= 1,
                        "RelaxedTranslationConvolution",
                        "needs bankCount (\(bankCount)), channels (\(inputChannels) -> \(outputChannels)), kernelSize (\(kernelSize)) and size \(height)×\(width) >= 1")
        let fanIn = inputChannels * kernelSize * kernelSize
        weight = Parameter(Initializer.pytorchDefault.makeTensor([bankCount, outputChannels, inputChannels, kernelSize, kernelSize],
                                                                 fanIn: fanIn, dtype: dtype, using: &generator))
        let biasShape = indexing == .outputElement ? [bankCount, outputChannels] : [outputChannels]
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor(biasShape, fanIn: fanIn, dtype: dtype, using: &generator)) : nil
        combinationWeights = Parameter(Tensor.full([height, width, bankCount], value: 1 / Double(bankCount), dtype: dtype))
        self.indexing = indexing
        (self.stride, self.padding, self.dilation, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, paddingMode)
    }

    /// L, the number of convolutions mixed.
    public var bankCount: Int { weight.shape[0] }

    /// [1, L, 1, H, W]: the combination weights laid out to broadcast against [N, L, C, H, W].
    private var positionWeights: Tensor {
        let (height, width) = (combinationWeights.shape[0], combinationWeights.shape[1])
        return combinationWeights.value.permuted([2, 0, 1]).reshaped([1, bankCount, 1, height, width])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let (banks, output, channels) = (weight.shape[0], weight.shape[1], weight.shape[2])
        let kernel = Array(weight.shape.suffix(2))
        let (height, width) = (combinationWeights.shape[0], combinationWeights.shape[1])
        requireArgument(input.rank == 4 && input.shape[1] == channels, "RelaxedTranslationConvolution",
                        "expected [N, \(channels), H, W], got \(input.shape)")
        let batch = input.shape[0]
        switch indexing {
        case .outputElement:
            var stacked = conv2d(input, weight.value.reshaped([banks * output, channels] + kernel), stride: stride, padding: padding,
                                 dilation: dilation, paddingMode: paddingMode)
            requireArgument(stacked.shape[2] == height && stacked.shape[3] == width, "RelaxedTranslationConvolution",
                            "combination weights are \(combinationWeights.shape) but the output of input \(input.shape) is \(stacked.shape[2])×\(stacked.shape[3])")
            if let bias { stacked = stacked + bias.value.reshaped([-1, 1, 1]) }
            // [N, L·O, H, W] -> [N, L, O, H, W], weighted per position and summed over l.
            return (stacked.reshaped([batch, banks, output, height, width]) * positionWeights).sum(axis: 1)
        case .inputElement:
            requireArgument(input.shape[2] == height && input.shape[3] == width, "RelaxedTranslationConvolution",
                            "combination weights are \(combinationWeights.shape) but the input is \(input.shape)")
            // L copies of x, each weighted per input position: [N, L·I, H, W].
            let weighted = (input.reshaped([batch, 1, channels, height, width]) * positionWeights).reshaped([batch, banks * channels, height, width])
            // [L, O, I, k, k] -> [O, L·I, k, k]: the L filters side by side along the input channels.
            let filter = weight.value.permuted([1, 0, 2, 3, 4]).reshaped([output, banks * channels] + kernel)
            return convolveWithBias(weighted, filter, bias?.value, stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode)
        }
    }
}

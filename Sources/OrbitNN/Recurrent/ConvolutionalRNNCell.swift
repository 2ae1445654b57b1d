import Orbit

/// A convolutional RNN cell: hₜ = σ(U ⋆ xₜ + W ⋆ hₜ₋₁ + b), output yₜ = hₜ.
///
/// Shapes: input [N, inputChannels, H, W], state and output [N, hiddenChannels, H, W]. Both
/// convolutions use 'same' padding (kernelSize/2; odd kernels) in `paddingMode`, so the state keeps the
/// input's spatial size. With circular padding and no bias this is the G-RNN for translations that the
/// FERNN paper starts from (Keller 2025, eq. 3). Initialization: PyTorch's default.
public final class ConvolutionalRNNCell: RecurrentCell {
    public let inputConvolution: Convolution2D
    public let hiddenConvolution: Convolution2D
    public let activation: Activation

    public enum Activation: Sendable { case tanh, relu }

    public init(inputChannels: Int, hiddenChannels: Int, kernelSize: Int = 3, paddingMode: PaddingMode = .circular,
                bias: Bool = false, activation: Activation = .tanh, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        requireArgument(kernelSize % 2 == 1, "ConvolutionalRNNCell", "kernel size must be odd for 'same' padding, got \(kernelSize)")
        let padding = kernelSize / 2
        inputConvolution = Convolution2D(inputChannels: inputChannels, outputChannels: hiddenChannels, kernelSize: kernelSize,
                                         padding: padding, bias: bias, paddingMode: paddingMode, dtype: dtype, using: &generator)
        hiddenConvolution = Convolution2D(inputChannels: hiddenChannels, outputChannels: hiddenChannels, kernelSize: kernelSize,
                                          padding: padding, bias: false, paddingMode: paddingMode, dtype: dtype, using: &generator)
        self.activation = activation
    }

    public func zeroState(for input: Tensor) -> Tensor {
        Tensor.zeros([input.shape[0], hiddenConvolution.weight.shape[0]] + Array(input.shape[2...]), dtype: input.dtype)
    }

    public func callAsFunction(_ input: Tensor, state: Tensor) -> (output: Tensor, state: Tensor) {
        let preactivation = inputConvolution(input) + hiddenConvolution(state)
        let next = activation == .tanh ? tanh(preactivation) : relu(preactivation)
        return (next, next)
    }
}

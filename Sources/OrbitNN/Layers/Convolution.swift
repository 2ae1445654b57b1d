import Orbit

/// 2-D convolution layer (PyTorch `nn.Conv2d`): y = conv2d(x, W) + b.
///
/// Shapes: input [N, inputChannels, H, W] -> [N, outputChannels, H', W']; weight [outputChannels,
/// inputChannels/groups, kH, kW]; bias [outputChannels]. Padding mode `.zeros` or `.circular` (the
/// torus, as in the flow-equivariant models). Initialization: PyTorch's default, U(±1/√fanIn).
public final class Convolution2D: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let groups: Int
    public let paddingMode: PaddingMode

    public init(inputChannels: Int, outputChannels: Int, kernelSize: some PerAxisConvertible,
                stride: some PerAxisConvertible = 1, padding: some PerAxisConvertible = 0,
                dilation: some PerAxisConvertible = 1, groups: Int = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros,
                weightInitializer: Initializer = .pytorchDefault, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        let sizes = kernelSize.perAxis.values
        let kernel = sizes.count == 1 ? [sizes[0], sizes[0]] : sizes
        (weight, self.bias) = makeConvolutionParameters(inputChannels: inputChannels, outputChannels: outputChannels,
                                                         kernel: kernel, groups: groups, bias: bias,
                                                         initializer: weightInitializer, dtype: dtype, using: &generator)
        (self.stride, self.padding, self.dilation, self.groups, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, groups, paddingMode)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let output = conv2d(input, weight.value, stride: stride, padding: padding, dilation: dilation,
                            groups: groups, paddingMode: paddingMode)
        guard let bias else { return output }
        return output + bias.value.reshaped([-1, 1, 1])
    }
}

/// 3-D convolution layer (PyTorch `nn.Conv3d`): input [N, C, D, H, W], weight [O, C/groups, kD, kH, kW].
/// Used by the 3D-CNN baseline and by flow convolutions that mix neighbouring velocities.
public final class Convolution3D: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let groups: Int
    public let paddingMode: PaddingMode

    public init(inputChannels: Int, outputChannels: Int, kernelSize: some PerAxisConvertible,
                stride: some PerAxisConvertible = 1, padding: some PerAxisConvertible = 0,
                dilation: some PerAxisConvertible = 1, groups: Int = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros,
                weightInitializer: Initializer = .pytorchDefault, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        let sizes = kernelSize.perAxis.values
        let kernel = sizes.count == 1 ? Array(repeating: sizes[0], count: 3) : sizes
        (weight, self.bias) = makeConvolutionParameters(inputChannels: inputChannels, outputChannels: outputChannels,
                                                         kernel: kernel, groups: groups, bias: bias,
                                                         initializer: weightInitializer, dtype: dtype, using: &generator)
        (self.stride, self.padding, self.dilation, self.groups, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, groups, paddingMode)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let output = conv3d(input, weight.value, stride: stride, padding: padding, dilation: dilation,
                            groups: groups, paddingMode: paddingMode)
        guard let bias else { return output }
        return output + bias.value.reshaped([-1, 1, 1, 1])
    }
}

/// Weight [O, I/groups, k…] and bias [O], both initialized with the weight's fan-in.
private func makeConvolutionParameters(inputChannels: Int, outputChannels: Int, kernel: [Int], groups: Int, bias: Bool,
                                       initializer: Initializer, dtype: DType,
                                       using generator: inout RandomGenerator) -> (Parameter, Parameter?) {
    requireArgument(groups >= 1 && inputChannels % groups == 0 && outputChannels % groups == 0, "Convolution",
                    "groups \(groups) must divide \(inputChannels) input and \(outputChannels) output channels")
    let shape = [outputChannels, inputChannels / groups] + kernel
    let weight = Parameter(initializer.makeTensor(shape, dtype: dtype, using: &generator))
    let fanIn = shape[1...].reduce(1, *)
    let biasParameter = bias
        ? Parameter(Initializer.pytorchDefault.makeTensor([outputChannels], fanIn: fanIn, dtype: dtype, using: &generator))
        : nil
    return (weight, biasParameter)
}

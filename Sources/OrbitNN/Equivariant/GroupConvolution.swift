import Orbit

/// Lifting convolution Z² → G (Cohen and Welling 2016): a plain convolution with |G| transformed copies
/// of each filter, producing regular feature fields.
///
///     [f ⋆ ψ](g, x) = Σ_y f(y) · ψ(g⁻¹(y - x))
///
/// Shapes: input [N, inputChannels, H, W] (trivial fields) -> [N, outputFields·|G|, H', W'] (regular
/// fields; field o, element g at channel o·|G| + g). Weight [outputFields, inputChannels, k, k]; bias
/// [outputFields], shared by the |G| channels of a field (which keeps it equivariant). Exact for
/// quarter turns and flips with an odd kernel and symmetric padding; for other angles the filter is
/// rotated bilinearly and equivariance is approximate. Initialization: PyTorch's default for the weight
/// (fan-in inputChannels·k²).
public final class LiftingConvolution<G: FiniteGroup & PlanarGroup>: EquivariantLayer {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let paddingMode: PaddingMode
    let filterBank: GroupFilterBank<G>

    public init(group: G, inputChannels: Int, outputFields: Int, kernelSize: some PerAxisConvertible,
                stride: some PerAxisConvertible = 1, padding: some PerAxisConvertible = 0,
                dilation: some PerAxisConvertible = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros,
                dtype: DType = .float32, using generator: inout RandomGenerator) {
        let kernelSize = kernelSize.squareKernelSide("LiftingConvolution")
        inputType = FieldType(group: group, group.trivialRepresentation, count: inputChannels)
        outputType = FieldType(group: group, group.regularRepresentation, count: outputFields)
        let shape = [outputFields, inputChannels, kernelSize, kernelSize]
        weight = Parameter(Initializer.pytorchDefault.makeTensor(shape, dtype: dtype, using: &generator))
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor([outputFields], fanIn: inputChannels * kernelSize * kernelSize,
                                                                           dtype: dtype, using: &generator)) : nil
        (self.stride, self.padding, self.dilation, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, paddingMode)
        filterBank = GroupFilterBank(group: group, weightShape: shape, permutesInputGroupAxis: false)
    }

    /// The expanded OIHW filter [outputFields·|G|, inputChannels, k, k].
    public var filter: Tensor { filterBank(weight.value) }

    /// The bias per output channel [outputFields·|G|], or nil.
    public var expandedBias: Tensor? { bias.map { expandRegularBias($0.value, groupOrder: inputType.group.order) } }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "LiftingConvolution")
        return convolveWithBias(input, filter, expandedBias, stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode)
    }
}

/// Group convolution G → G (Cohen and Welling 2016, eq. 10) on regular feature fields:
///
///     [f ⋆ ψ](g, x) = Σ_{h, y} f(h, y) · ψ(g⁻¹h, g⁻¹(y - x))
///
/// Shapes: input [N, inputFields·|G|, H, W] -> [N, outputFields·|G|, H', W']. Weight
/// [outputFields, inputFields, |G|, k, k]: for each output element g the filter is moved spatially by g
/// and along its input group axis by h ↦ g⁻¹h, then everything is one `conv2d`. Bias [outputFields]
/// shared over the group axis. Initialization: PyTorch's default with fan-in inputFields·|G|·k².
public final class GroupConvolution<G: FiniteGroup & PlanarGroup>: EquivariantLayer {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let paddingMode: PaddingMode
    let filterBank: GroupFilterBank<G>

    public init(group: G, inputFields: Int, outputFields: Int, kernelSize: some PerAxisConvertible,
                stride: some PerAxisConvertible = 1, padding: some PerAxisConvertible = 0,
                dilation: some PerAxisConvertible = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros,
                dtype: DType = .float32, using generator: inout RandomGenerator) {
        let kernelSize = kernelSize.squareKernelSide("GroupConvolution")
        inputType = FieldType(group: group, group.regularRepresentation, count: inputFields)
        outputType = FieldType(group: group, group.regularRepresentation, count: outputFields)
        let shape = [outputFields, inputFields, group.order, kernelSize, kernelSize]
        let fanIn = inputFields * group.order * kernelSize * kernelSize
        weight = Parameter(Initializer.pytorchDefault.makeTensor(shape, fanIn: fanIn, dtype: dtype, using: &generator))
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor([outputFields], fanIn: fanIn, dtype: dtype, using: &generator)) : nil
        (self.stride, self.padding, self.dilation, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, paddingMode)
        filterBank = GroupFilterBank(group: group, weightShape: shape, permutesInputGroupAxis: true)
    }

    /// The expanded OIHW filter [outputFields·|G|, inputFields·|G|, k, k].
    public var filter: Tensor { filterBank(weight.value) }

    /// The bias per output channel [outputFields·|G|], or nil.
    public var expandedBias: Tensor? { bias.map { expandRegularBias($0.value, groupOrder: inputType.group.order) } }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "GroupConvolution")
        return convolveWithBias(input, filter, expandedBias, stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode)
    }
}

/// A per-field bias [F] repeated over the |G| channels of each regular field: [F·|G|].
func expandRegularBias(_ bias: Tensor, groupOrder: Int) -> Tensor {
    bias.reshaped([-1, 1]).expanded(to: [bias.shape[0], groupOrder]).reshaped([-1])
}

/// conv2d plus a per-channel bias: what every equivariant convolution ends in (STYLE N4).
func convolveWithBias(_ input: Tensor, _ filter: Tensor, _ bias: Tensor?, stride: PerAxis, padding: PerAxis,
                      dilation: PerAxis, paddingMode: PaddingMode) -> Tensor {
    let output = conv2d(input, filter, stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode)
    guard let bias else { return output }
    return output + bias.reshaped([-1, 1, 1])
}

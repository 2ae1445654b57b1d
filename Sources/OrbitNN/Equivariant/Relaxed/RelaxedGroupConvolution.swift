import Orbit

/// Which group element the combination weights of a relaxed group convolution depend on.
public enum RelaxedWeightIndexing: Sendable {
    /// w_l(h), h the input element: the paper's eq. 5, Ψ(g, h) = Σ_l w_l(h) ψ_l(g⁻¹h).
    case inputElement
    /// w_l(g), g the output element: what the reference code's `Relaxed_GroupConv`,
    /// `Relaxed_LiftingConvolution` and `Relaxed_ConvBlock` compute.
    case outputElement
}

/// A relaxed layer whose L filter banks are mixed by combination weights that depend on a group
/// element: what `relaxedGroupRegularizer` penalises.
public protocol RelaxedCombinationLayer: AnyObject {
    /// [L, elements]: w_l(g) for each bank l and element g (in the group's element order).
    var combinationWeights: Parameter { get }
    /// Whether the elements are cyclically adjacent (C_N: the last element neighbours the first).
    var combinationAxisIsCyclic: Bool { get }
}

/// Relaxed lifting convolution Z² → C_N (Wang, Walters and Yu 2022, eq. 4-5; reference code
/// `Relaxed_LiftingConvolution`): L lifting filter banks mixed by weights of the output rotation,
///
///     [f ⋆̃ Ψ](g, x) = Σ_y f(y) · Σ_l w_l(g) · ψ_l(g⁻¹(y - x)).
///
/// The input carries no rotation, so the weights are indexed by the output element g. With w_l(g)
/// independent of g the filter is the lifting filter of ψ = Σ_l w_l ψ_l, so the layer is exactly
/// equivariant; the weights start at 1/L, so a fresh layer is. Shapes: input [N, inputChannels, H, W]
/// -> [N, outputFields·|G|, H', W']. Parameters: weight [L, O, I, k, k] (PyTorch default, fan-in I·k²),
/// combinationWeights [L, |G|] (1/L), bias [O] shared over the group axis.
public final class RelaxedLiftingConvolution<G: FiniteGroup & PlanarGroup>: EquivariantLayer, ExportableConvolution,
                                                                             RelaxedCombinationLayer {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    public let weight: Parameter
    public let combinationWeights: Parameter
    public let bias: Parameter?
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let paddingMode: PaddingMode
    let filterBank: GroupFilterBank<G>

    public init(group: G, inputChannels: Int, outputFields: Int, kernelSize: some PerAxisConvertible, bankCount: Int,
                stride: some PerAxisConvertible = 1, padding: some PerAxisConvertible = 0,
                dilation: some PerAxisConvertible = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros,
                dtype: DType = .float32, using generator: inout RandomGenerator) {
        let kernelSize = kernelSize.squareKernelSide("RelaxedLiftingConvolution")
        requireArgument(bankCount >= 1 && inputChannels >= 1 && outputFields >= 1 && kernelSize >= 1, "RelaxedLiftingConvolution",
                        "needs bankCount (\(bankCount)), inputChannels (\(inputChannels)), outputFields (\(outputFields)) and kernelSize (\(kernelSize)) >= 1")
        inputType = FieldType(group: group, group.trivialRepresentation, count: inputChannels)
        outputType = FieldType(group: group, group.regularRepresentation, count: outputFields)
        let fanIn = inputChannels * kernelSize * kernelSize
        weight = Parameter(Initializer.pytorchDefault.makeTensor([bankCount, outputFields, inputChannels, kernelSize, kernelSize],
                                                                 fanIn: fanIn, dtype: dtype, using: &generator))
        combinationWeights = Parameter(Tensor.full([bankCount, group.order], value: 1 / Double(bankCount), dtype: dtype))
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor([outputFields], fanIn: fanIn, dtype: dtype, using: &generator)) : nil
        (self.stride, self.padding, self.dilation, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, paddingMode)
        filterBank = GroupFilterBank(group: group, weightShape: [bankCount * outputFields, inputChannels, kernelSize, kernelSize],
                                     permutesInputGroupAxis: false)
    }

    public var combinationAxisIsCyclic: Bool { inputType.group.rotationOrder == inputType.group.order }

    /// The expanded OIHW filter [O·|G|, I, k, k]: Σ_l w_l(g)·(bank l at g).
    public var filter: Tensor {
        let (banks, output, order) = (weight.shape[0], weight.shape[1], inputType.group.order)
        let kernel = Array(weight.shape.suffix(3))
        // [L·O·|G|, I, k, k] -> [L, O, |G|, I·k·k], weighted by w[l, g] and summed over l.
        let stacked = filterBank(weight.value.reshaped([banks * output] + kernel)).reshaped([banks, output, order, -1])
        let combined = (stacked * combinationWeights.value.reshaped([banks, 1, order, 1])).sum(axis: 0)
        return combined.reshaped([output * order] + kernel)
    }

    /// The bias per output channel [O·|G|], or nil.
    public var expandedBias: Tensor? { bias.map { expandRegularBias($0.value, groupOrder: inputType.group.order) } }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "RelaxedLiftingConvolution")
        return convolveWithBias(input, filter, expandedBias, stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode)
    }
}

/// Relaxed group convolution C_N → C_N (Wang, Walters and Yu 2022, eq. 4-5): L group filter banks
/// mixed by weights that depend on a group element,
///
///     [f ⋆̃ Ψ](g, x) = Σ_{h, y} f(h, y) · Ψ(g, h, y - x),   Ψ(g, h) = Σ_l w_l(h) · ψ_l(g⁻¹h)   (eq. 5)
///
/// (`.inputElement`, the default), or w_l(g) (`.outputElement`, the reference code). Each bank is
/// `GroupConvolution`'s bank (the filter rotated by g, its input group axis shifted by h ↦ g⁻¹h); the
/// weighted sum is an ordinary OIHW filter for the one `conv2d`. Constant weights give the group
/// convolution of ψ = Σ_l w_l ψ_l, exactly equivariant; weights start at 1/L. Shapes: input
/// [N, inputFields·|G|, H, W] -> [N, outputFields·|G|, H', W']. Parameters: weight [L, O, I, |G|, k, k]
/// (PyTorch default, fan-in I·|G|·k²), combinationWeights [L, |G|] (1/L), bias [O] shared over g.
public final class RelaxedGroupConvolution<G: FiniteGroup & PlanarGroup>: EquivariantLayer, ExportableConvolution,
                                                                           RelaxedCombinationLayer {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    public let weight: Parameter
    public let combinationWeights: Parameter
    public let bias: Parameter?
    public let indexing: RelaxedWeightIndexing
    public let stride: PerAxis, padding: PerAxis, dilation: PerAxis
    public let paddingMode: PaddingMode
    let filterBank: GroupFilterBank<G>

    public init(group: G, inputFields: Int, outputFields: Int, kernelSize: some PerAxisConvertible, bankCount: Int,
                indexing: RelaxedWeightIndexing = .inputElement, stride: some PerAxisConvertible = 1,
                padding: some PerAxisConvertible = 0, dilation: some PerAxisConvertible = 1, bias: Bool = true,
                paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        let kernelSize = kernelSize.squareKernelSide("RelaxedGroupConvolution")
        requireArgument(bankCount >= 1 && inputFields >= 1 && outputFields >= 1 && kernelSize >= 1, "RelaxedGroupConvolution",
                        "needs bankCount (\(bankCount)), inputFields (\(inputFields)), outputFields (\(outputFields)) and kernelSize (\(kernelSize)) >= 1")
        inputType = FieldType(group: group, group.regularRepresentation, count: inputFields)
        outputType = FieldType(group: group, group.regularRepresentation, count: outputFields)
        let fanIn = inputFields * group.order * kernelSize * kernelSize
        weight = Parameter(Initializer.pytorchDefault.makeTensor([bankCount, outputFields, inputFields, group.order, kernelSize, kernelSize],
                                                                 fanIn: fanIn, dtype: dtype, using: &generator))
        combinationWeights = Parameter(Tensor.full([bankCount, group.order], value: 1 / Double(bankCount), dtype: dtype))
        self.bias = bias ? Parameter(Initializer.pytorchDefault.makeTensor([outputFields], fanIn: fanIn, dtype: dtype, using: &generator)) : nil
        self.indexing = indexing
        (self.stride, self.padding, self.dilation, self.paddingMode) = (stride.perAxis, padding.perAxis, dilation.perAxis, paddingMode)
        filterBank = GroupFilterBank(group: group, weightShape: [bankCount * outputFields, inputFields, group.order, kernelSize, kernelSize],
                                     permutesInputGroupAxis: true)
    }

    public var combinationAxisIsCyclic: Bool { inputType.group.rotationOrder == inputType.group.order }

    /// The expanded OIHW filter [O·|G|, I·|G|, k, k]: Σ_l w_l(h or g)·(bank l)[g, h].
    public var filter: Tensor {
        let (banks, output, input, order) = (weight.shape[0], weight.shape[1], weight.shape[2], inputType.group.order)
        let kernel = Array(weight.shape.suffix(2))
        // [L·O·|G|, I·|G|, k, k] -> [L, O, g, I, h, k·k]
        let stacked = filterBank(weight.value.reshaped([banks * output] + Array(weight.shape.suffix(4))))
            .reshaped([banks, output, order, input, order, -1])
        let weights = combinationWeights.value.reshaped(indexing == .inputElement ? [banks, 1, 1, 1, order, 1] : [banks, 1, order, 1, 1, 1])
        return (stacked * weights).sum(axis: 0).reshaped([output * order, input * order] + kernel)
    }

    /// The bias per output channel [O·|G|], or nil.
    public var expandedBias: Tensor? { bias.map { expandRegularBias($0.value, groupOrder: inputType.group.order) } }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "RelaxedGroupConvolution")
        return convolveWithBias(input, filter, expandedBias, stride: stride, padding: padding, dilation: dilation, paddingMode: paddingMode)
    }
}

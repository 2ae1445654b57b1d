import Orbit

/// The group-equivariant RNN cell (G-RNN, Keller 2025, eq. 3) on regular feature fields of a planar
/// group G (C_N, D_N):
///
///     h_{t+1} = σ( W ⋆ h_t + U ⋆ f_t )
///
/// with U a lifting convolution Z² → G (trivial input fields to regular fields) and W a group
/// convolution G → G, both 'same' (kernelSize/2) padded in `paddingMode` (circular by default: the
/// torus), without bias. Shapes: input f_t [N, inputChannels, H, W]; state and output
/// [N, hiddenFields·|G|, H, W] (field o, element g at channel o·|G| + g).
///
/// Equivariant to static transformations: rotating every frame by g ∈ G transforms every state by g
/// (`FieldType.transform`), exactly for quarter turns and flips. It is not flow equivariant (Theorem
/// 3.1): a rotating input does not give a rotating state; `RotationFlowEquivariantRNNCell` is. The
/// lifted form of this cell, usable by `FlowPredictor`, is that cell with `RotationFlows.stationary`.
/// Initialization: PyTorch's default (fan-in inputChannels·k² for U, hiddenFields·|G|·k² for W).
public final class GroupRNNCell<G: FiniteGroup & PlanarGroup>: RecurrentCell {
    public typealias Activation = FlowEquivariantRNNCell.Activation

    /// U: trivial fields -> regular fields.
    public let inputConvolution: LiftingConvolution<G>
    /// W: regular fields -> regular fields.
    public let hiddenConvolution: GroupConvolution<G>
    public let activation: Activation

    public init(group: G, inputChannels: Int, hiddenFields: Int, kernelSize: Int = 3, paddingMode: PaddingMode = .circular,
                activation: Activation = .relu, dtype: DType = .float32, using generator: inout RandomGenerator) {
        requireArgument(kernelSize % 2 == 1 && inputChannels >= 1 && hiddenFields >= 1, "GroupRNNCell",
                        "needs an odd kernel size and at least one input channel and hidden field, got kernel size \(kernelSize), "
                            + "\(inputChannels) input channels, \(hiddenFields) hidden fields")
        let padding = kernelSize / 2
        inputConvolution = LiftingConvolution(group: group, inputChannels: inputChannels, outputFields: hiddenFields,
                                              kernelSize: kernelSize, padding: padding, bias: false, paddingMode: paddingMode,
                                              dtype: dtype, using: &generator)
        hiddenConvolution = GroupConvolution(group: group, inputFields: hiddenFields, outputFields: hiddenFields,
                                             kernelSize: kernelSize, padding: padding, bias: false, paddingMode: paddingMode,
                                             dtype: dtype, using: &generator)
        self.activation = activation
    }

    /// The field type of the state: hiddenFields regular fields of G.
    public var stateType: FieldType<G> { hiddenConvolution.outputType }

    /// hiddenFields·|G|.
    public var hiddenChannels: Int { stateType.channels }

    /// Zeros [N, hiddenFields·|G|, H, W] for an input [N, C, H, W].
    public func zeroState(for input: Tensor) -> Tensor {
        requireArgument(input.rank == 4, "GroupRNNCell.zeroState", "expected an input frame [N, C, H, W], got \(input.shape)")
        return Tensor.zeros([input.shape[0], hiddenChannels] + Array(input.shape[2...]), dtype: input.dtype)
    }

    /// One step; the output is the new state.
    public func callAsFunction(_ input: Tensor, state: Tensor) -> (output: Tensor, state: Tensor) {
        requireArgument(input.rank == 4 && state.shape == [input.shape[0], hiddenChannels] + Array(input.shape[2...]), "GroupRNNCell",
                        "state must be [\(input.shape.first ?? 0), \(hiddenChannels), H, W] for input \(input.shape), got \(state.shape)")
        let next = activation(hiddenConvolution(state) + inputConvolution(input))
        return (next, next)
    }
}

extension FlowEquivariantRNNCell.Activation {
    /// σ applied pointwise (equivariant on regular fields, whose group acts by permuting channels).
    func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .relu: Orbit.relu(x)
        case .tanh: Orbit.tanh(x)
        }
    }
}

import Orbit

/// The flow-equivariant RNN cell for rotation flows (FERNN, Keller 2025, eq. 9 with the trivial lift;
/// Docs/References.md §F3): one C_N-equivariant hidden state per angular velocity ν ∈ V, each moved by
/// its own flow every step,
///
///     h_{t+1}[ν] = σ( U ⋆ f_t + W ⋆ Flow_ν(h_t[ν]) ),   Flow_ν = ρ_reg(ν) ∘ (rotation by ν·360/N)
///
/// with U a lifting convolution (trivial input fields -> hiddenFields regular fields of C_N) and W a
/// group convolution (regular -> regular), shared by all ν, no biases, 'same' padding in `paddingMode`
/// (zeros by default, as the reference's escnn convolutions; the flows' resampling pads with zeros too).
/// U ⋆ f_t is computed once and broadcast over ν (the trivial lift); σ is pointwise (equivariant on
/// regular fields).
///
/// Shapes: input f_t [N, inputChannels, H, W] (H = W when any flow rotates); state and output
/// [N, |V|, hiddenFields·N, H, W]. All velocities go through one pass: the flows act by a handful of
/// gathers and rotations over the whole state (`RotationFlows.flowed`), and W runs once on the N·|V|
/// images. With V = {0} this is the G-RNN (`GroupRNNCell` in lifted form, as the reference's rotating
/// G-RNN). Exactly flow equivariant (to rounding) when every ν·360/N is a multiple of 90 degrees, and on
/// square images; otherwise the flows and W's filter bank resample bilinearly and equivariance is
/// approximate (Docs/FlowEquivariance.md gives measured errors). Initialization: PyTorch's default.
public final class RotationFlowEquivariantRNNCell: LiftedRecurrentCell {
    public typealias Activation = FlowEquivariantRNNCell.Activation

    public let flows: RotationFlows
    /// U: [N, inputChannels, H, W] -> [N, hiddenFields·N, H, W].
    public let inputConvolution: LiftingConvolution<CyclicGroup>
    /// W: [N·|V|, hiddenFields·N, H, W] -> same.
    public let hiddenConvolution: GroupConvolution<CyclicGroup>
    public let activation: Activation

    public init(inputChannels: Int, hiddenFields: Int, flows: RotationFlows, kernelSize: Int = 3,
                paddingMode: PaddingMode = .zeros, activation: Activation = .relu, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        requireArgument(kernelSize % 2 == 1 && inputChannels >= 1 && hiddenFields >= 1, "RotationFlowEquivariantRNNCell",
                        "needs an odd kernel size and at least one input channel and hidden field, got kernel size \(kernelSize), "
                            + "\(inputChannels) input channels, \(hiddenFields) hidden fields")
        let group = CyclicGroup(order: flows.groupOrder)
        let padding = kernelSize / 2
        inputConvolution = LiftingConvolution(group: group, inputChannels: inputChannels, outputFields: hiddenFields,
                                              kernelSize: kernelSize, padding: padding, bias: false, paddingMode: paddingMode,
                                              dtype: dtype, using: &generator)
        hiddenConvolution = GroupConvolution(group: group, inputFields: hiddenFields, outputFields: hiddenFields,
                                             kernelSize: kernelSize, padding: padding, bias: false, paddingMode: paddingMode,
                                             dtype: dtype, using: &generator)
        (self.flows, self.activation) = (flows, activation)
    }

    /// The field type of each velocity's slice of the state: hiddenFields regular fields of C_N.
    public var stateType: FieldType<CyclicGroup> { hiddenConvolution.outputType }

    /// Channels of one velocity's slice: hiddenFields·N.
    public var hiddenChannels: Int { stateType.channels }

    /// Zeros [N, |V|, hiddenFields·N, H, W] for an input [N, C, H, W].
    public func zeroState(for input: Tensor) -> Tensor {
        requireArgument(input.rank == 4, "RotationFlowEquivariantRNNCell.zeroState", "expected an input frame [N, C, H, W], got \(input.shape)")
        return Tensor.zeros([input.shape[0], flows.count, hiddenChannels] + Array(input.shape[2...]), dtype: input.dtype)
    }

    /// One step; the output is the new state.
    public func callAsFunction(_ input: Tensor, state: Tensor) -> (output: Tensor, state: Tensor) {
        let (batch, velocities, channels) = (input.shape.first ?? 0, flows.count, hiddenChannels)
        requireArgument(input.rank == 4 && state.shape == [batch, velocities, channels] + Array(input.shape[2...]),
                        "RotationFlowEquivariantRNNCell",
                        "state must be [\(batch), \(velocities), \(channels), H, W] for input \(input.shape), got \(state.shape)")
        let drive = inputConvolution(input)                                                  // [N, F·N, H, W]
        let moved = flows.flowed(state)                                                      // [N, |V|, F·N, H, W]
        let images = moved.reshaped([batch * velocities, channels] + Array(state.shape[3...])) // N·|V| images
        // [N·|V|, F·N, H, W] -> [N, |V|, F·N, H, W], plus the input drive broadcast over V (the trivial lift).
        let next = activation(hiddenConvolution(images).reshaped(state.shape) + drive.unsqueezed(axis: 1))
        return (next, next)
    }
}

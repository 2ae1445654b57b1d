import Orbit

/// The G-RNN+ baseline of the FERNN paper (Keller 2025, section 6.3; Docs/References.md §F4 `GRNN_Plus`): the
/// translation FERNN's lifted state, with each velocity's fixed flow replaced by a learned k×k spatial
/// filter K_ν (shared by the hidden channels):
///
///     h_{t+1}[ν] = σ( U ⋆ f_t + W ⋆ (K_ν ⋆ h_t[ν]) )
///
/// K_ν ⋆ is a circular depthwise cross-correlation; a K_ν equal to the one-hot kernel at offset -ν would
/// make it the flow Flow_ν, but nothing ties it to that, so the cell is not flow equivariant: it tests
/// whether the FERNN's gain comes from its fixed flows or from the |V|-fold state. U and W are circular
/// k×k convolutions shared by all ν (or the drive comes from `inputEncoder`), no biases; U ⋆ f_t is
/// computed once and broadcast over ν.
///
/// Shapes: input [N, inputChannels, H, W]; state and output [N, |V|, hiddenChannels, H, W]; K
/// [|V|, 1, s, s] with s = 2·max|ν| + 1 by default (5 for V_2^T: 625 parameters). All velocities run in
/// one pass: K is expanded over the channels ([|V|·C, 1, s, s]) for one depthwise `conv2d` (groups
/// |V|·C) on the state viewed as [N, |V|·C, H, W], then W runs once on the N·|V| images.
/// Initialization: U and W PyTorch's default; K as the reference, `kaiming_normal_(mode='fan_out',
/// nonlinearity='linear')` per kernel [1, 1, s, s]: N(0, 1/s²), i.e. standard deviation 1/s (1/5 for s = 5).
public final class LearnedShiftRNNCell: LiftedRecurrentCell {
    public typealias Activation = FlowEquivariantRNNCell.Activation

    /// The velocity set whose size (and largest speed, for s) the learned kernels replace.
    public let flows: TranslationFlows
    /// U: [hiddenChannels, inputChannels, k, k]; nil when `inputEncoder` computes the drive.
    public let inputWeight: Parameter?
    /// The per-frame encoder [N, C, H, W] -> [N, hiddenChannels, H, W] that replaces U ⋆ f_t, or nil.
    public let inputEncoder: (any Layer)?
    /// W: [hiddenChannels, hiddenChannels, k, k].
    public let hiddenWeight: Parameter
    /// K: [|V|, 1, s, s], one learned spatial filter per velocity.
    public let shiftKernels: Parameter
    public let activation: Activation
    let kernelSize: Int

    /// - Parameters:
    ///   - shiftKernelSize: s, odd; nil gives 2·max|ν| + 1 as the reference.
    public convenience init(inputChannels: Int, hiddenChannels: Int, flows: TranslationFlows, kernelSize: Int = 3,
                            shiftKernelSize: Int? = nil, activation: Activation = .tanh, dtype: DType = .float32,
                            using generator: inout RandomGenerator) {
        requireArgument(kernelSize % 2 == 1, "LearnedShiftRNNCell", "kernel size \(kernelSize) must be odd")
        let inputWeight = Parameter(Initializer.pytorchDefault.makeTensor([hiddenChannels, inputChannels, kernelSize, kernelSize],
                                                                          dtype: dtype, using: &generator))
        self.init(inputWeight: inputWeight, inputEncoder: nil, hiddenChannels: hiddenChannels, flows: flows, kernelSize: kernelSize,
                  shiftKernelSize: shiftKernelSize, activation: activation, dtype: dtype, using: &generator)
    }

    /// A cell driven by `inputEncoder` (any layer [N, C, H, W] -> [N, hiddenChannels, H, W], same H and W)
    /// instead of U ⋆ f_t, as the KTH classifier.
    public convenience init(inputEncoder: any Layer, hiddenChannels: Int, flows: TranslationFlows, kernelSize: Int = 3,
                            shiftKernelSize: Int? = nil, activation: Activation = .tanh, dtype: DType = .float32,
                            using generator: inout RandomGenerator) {
        self.init(inputWeight: nil, inputEncoder: inputEncoder, hiddenChannels: hiddenChannels, flows: flows, kernelSize: kernelSize,
                  shiftKernelSize: shiftKernelSize, activation: activation, dtype: dtype, using: &generator)
    }

    private init(inputWeight: Parameter?, inputEncoder: (any Layer)?, hiddenChannels: Int, flows: TranslationFlows, kernelSize: Int,
                 shiftKernelSize: Int?, activation: Activation, dtype: DType, using generator: inout RandomGenerator) {
        let size = shiftKernelSize ?? 2 * flows.velocities.flatMap { $0.map(abs) }.max()! + 1
        requireArgument(kernelSize % 2 == 1 && size % 2 == 1 && hiddenChannels >= 1, "LearnedShiftRNNCell",
                        "kernel size \(kernelSize) and shift kernel size \(size) must be odd, hidden channels \(hiddenChannels) positive")
        (self.flows, self.kernelSize, self.activation) = (flows, kernelSize, activation)
        (self.inputWeight, self.inputEncoder) = (inputWeight, inputEncoder)
        hiddenWeight = Parameter(Initializer.pytorchDefault.makeTensor([hiddenChannels, hiddenChannels, kernelSize, kernelSize],
                                                                       dtype: dtype, using: &generator))
        // kaiming_normal_(fan_out, linear) on a [1, 1, s, s] slice: gain 1, fan s², standard deviation 1/s.
        shiftKernels = Parameter(Initializer.kaimingNormal(gain: 1).makeTensor([flows.count, 1, size, size], fanIn: size * size,
                                                                               dtype: dtype, using: &generator))
    }

    public var hiddenChannels: Int { hiddenWeight.shape[0] }

    /// s, the side of each learned kernel.
    public var shiftKernelSize: Int { shiftKernels.shape[3] }

    /// Zeros [N, |V|, hiddenChannels, H, W] for an input [N, C, H, W].
    public func zeroState(for input: Tensor) -> Tensor {
        requireArgument(input.rank == 4, "LearnedShiftRNNCell.zeroState", "expected an input frame [N, C, H, W], got \(input.shape)")
        return Tensor.zeros([input.shape[0], flows.count, hiddenChannels] + Array(input.shape[2...]), dtype: input.dtype)
    }

    /// One step; the output is the new state.
    public func callAsFunction(_ input: Tensor, state: Tensor) -> (output: Tensor, state: Tensor) {
        let (batch, velocities, channels, size) = (input.shape.first ?? 0, flows.count, hiddenChannels, shiftKernelSize)
        let padding = kernelSize / 2
        let drive = inputEncoder.map { $0(input) }                                                  // [N, C, H, W]
            ?? conv2d(input, inputWeight!.value, padding: padding, paddingMode: .circular)
        requireArgument(state.rank == 5 && state.shape == [batch, velocities, channels] + Array(drive.shape[2...])
                        && drive.shape[1] == channels, "LearnedShiftRNNCell",
                        "state must be [\(batch), \(velocities), \(channels), H, W] for input \(input.shape) (drive \(drive.shape)), got \(state.shape)")
        let spatial = Array(state.shape[3...])
        // K [|V|, 1, s, s] -> [|V|·C, 1, s, s]: velocity ν's kernel for each of its C channels.
        let kernels = shiftKernels.value.expanded(to: [velocities, channels, size, size]).reshaped([velocities * channels, 1, size, size])
        let moved = conv2d(state.reshaped([batch, velocities * channels] + spatial), kernels, padding: size / 2,
                           groups: velocities * channels, paddingMode: .circular)                  // [N, |V|·C, H, W]
        let recurrent = conv2d(moved.reshaped([batch * velocities, channels] + spatial), hiddenWeight.value,
                               padding: padding, paddingMode: .circular)                           // [N·|V|, C, H, W]
        // [N·|V|, C, H, W] -> [N, |V|, C, H, W], plus the input drive broadcast over V (the trivial lift).
        let next = activation(recurrent.reshaped(state.shape) + drive.unsqueezed(axis: 1))
        return (next, next)
    }
}

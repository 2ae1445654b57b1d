import Orbit

/// The relaxed (approximately) flow-equivariant RNN cell: the translation FERNN (Keller 2025, eq. 9 with
/// the trivial lift; Docs/References.md §F1) whose hidden convolution depends on the velocity through L
/// shared filter banks, as the relaxed group convolution (Wang, Walters and Yu 2022, eq. 4-5; §A5) with
/// the velocity set V in place of the group G:
///
///     h_{t+1}[ν] = σ( U ⋆ f_t + W_ν ⋆ F̃_ν(h_t[ν]) ),   W_ν = Σ_l a_l(ν) W_l,
///     F̃_ν(h) = roll_ν(h) + K_ν ⋆ roll_ν(h)   (K_ν = 0 without `flowCorrection`)
///
/// U and the banks W_l are circular k×k convolutions without bias; U ⋆ f_t runs once per frame and is
/// broadcast over ν. When a_l(ν) and K_ν do not depend on ν the cell is the FERNN with
/// W = Σ_l a_l W_l and the flow (δ + K) ⋆ roll_ν, so it is exactly flow equivariant; a fresh cell is
/// (a = 1/L, K = 0). The optional correction K_ν is a learned 3×3 depthwise filter per velocity (shared
/// by the channels), a residual on the integer shift that lets a velocity's flow move content by less or
/// more than ν (sub-pixel speeds, blur); it starts at zero.
///
/// Shapes: input f_t [N, inputChannels, H, W]; state and output [N, |V|, hiddenChannels, H, W].
/// Parameters: U [C_h, C_in, k, k]; W [L, C_h, C_h, k, k]; a [L, |V|] (the house's `combinationWeights`
/// layout, so `relaxedGroupRegularizer` applies too); K [|V|, 1, 3, 3] or none. Count:
/// L·C_h²·k² + L·|V| + C_h·C_in·k² (+ 9·|V| with the correction). Initialization: U and each W_l
/// PyTorch's default (fan-in C·k², as `RelaxedGroupConvolution`, so W = mean_l W_l starts 1/√L narrower
/// than a FERNN's W), a = 1/L, K = 0; or from a FERNN (`init(from:bankCount:…)`).
///
/// Cost: the L banks run as one `conv2d` with L·C_h output channels over the N·|V| state images, each
/// image's roll folded into the circular padding (`inputShifts`) as in the FERNN, then the outputs are
/// weighted by a_l(ν) and summed over l: L× the FERNN's convolution arithmetic, on its kernel route, and
/// L× the state kept for backward. Combining the kernels per velocity (W_ν, then one convolution per
/// velocity group) has 1× the multiply-adds, but Orbit can run it only as one grouped convolution
/// (groups |V|: off the single-group Winograd route, which does 3×3 kernels with 4× fewer multiply-adds
/// at C_h ≥ 16, and the state rolled into a copy, since shifts are per image and not per group) or as
/// |V| convolutions on slices (each slice's pullback writes a state-sized gradient: |V| state-sized
/// passes per step, and |V| small GEMMs). At the small L this cell is for (2-4) the one call is the
/// cheaper by these counts; not timed.
public final class RelaxedFlowEquivariantRNNCell: LiftedRecurrentCell, RelaxedCombinationLayer {
    public typealias Activation = FlowEquivariantRNNCell.Activation

    public let flows: TranslationFlows
    /// U: [hiddenChannels, inputChannels, k, k].
    public let inputWeight: Parameter
    /// W_l: [L, hiddenChannels, hiddenChannels, k, k].
    public let hiddenWeight: Parameter
    /// a_l(ν): [L, |V|], velocities in `flows` order.
    public let combinationWeights: Parameter
    /// K_ν: [|V|, 1, 3, 3], or nil without the flow correction.
    public let flowCorrections: Parameter?
    public let activation: Activation
    let kernelSize: Int

    /// A fresh cell: U and the L banks PyTorch's default, a = 1/L, K = 0 (exactly flow equivariant).
    /// - Parameters:
    ///   - bankCount: L, the number of shared filter banks (≥ 1).
    ///   - flowCorrection: adds the learned per-velocity 3×3 residual K_ν to the flow.
    public init(inputChannels: Int, hiddenChannels: Int, flows: TranslationFlows, bankCount: Int = 2, kernelSize: Int = 3,
                activation: Activation = .relu, flowCorrection: Bool = false, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        requireArgument(kernelSize % 2 == 1 && bankCount >= 1 && inputChannels >= 1 && hiddenChannels >= 1,
                        "RelaxedFlowEquivariantRNNCell", "needs an odd kernel size (got \(kernelSize)) and bankCount (\(bankCount)), "
                            + "inputChannels (\(inputChannels)) and hiddenChannels (\(hiddenChannels)) >= 1")
        inputWeight = Parameter(Initializer.pytorchDefault.makeTensor([hiddenChannels, inputChannels, kernelSize, kernelSize],
                                                                      dtype: dtype, using: &generator))
        hiddenWeight = Parameter(Initializer.pytorchDefault.makeTensor([bankCount, hiddenChannels, hiddenChannels, kernelSize, kernelSize],
                                                                       fanIn: hiddenChannels * kernelSize * kernelSize, dtype: dtype,
                                                                       using: &generator))
        combinationWeights = Parameter(Tensor.full([bankCount, flows.count], value: 1 / Double(bankCount), dtype: dtype))
        flowCorrections = flowCorrection ? Parameter(Tensor.zeros([flows.count, 1, 3, 3], dtype: dtype)) : nil
        (self.flows, self.kernelSize, self.activation) = (flows, kernelSize, activation)
    }

    /// The relaxed cell that computes `fernn` exactly: U copied, W_l = W + ε_l - mean_l ε (so
    /// Σ_l a_l W_l = W), a = 1/L, K = 0; same flows, kernel size, activation and dtype. ε_l is drawn
    /// from U(±perturbation/√(C_h·k²)); with perturbation 0 the banks are equal, and then they stay
    /// equal under gradient descent (every bank gets the same gradient while a is equal over l), so
    /// only a per-velocity gain of W can be learned: perturb to let the banks diverge.
    /// `fernn` must have an input convolution (no `inputEncoder`) and no V-mixing.
    public convenience init(from fernn: FlowEquivariantRNNCell, bankCount: Int = 2, perturbation: Double = 0,
                            flowCorrection: Bool = false, using generator: inout RandomGenerator) {
        requireArgument(fernn.inputWeight != nil && fernn.mixingOffsets == nil, "RelaxedFlowEquivariantRNNCell(from:)",
                        "the FERNN must have an input convolution and no V-mixing, got inputEncoder "
                            + "\(fernn.inputEncoder == nil ? "nil" : "set") and \(fernn.mixingOffsets?.count ?? 0) mixing offsets")
        let inputWeight = fernn.inputWeight!.value
        let (hidden, input, k) = (fernn.hiddenChannels, inputWeight.shape[1], fernn.kernelSize)
        self.init(inputChannels: input, hiddenChannels: hidden, flows: fernn.flows, bankCount: bankCount, kernelSize: k,
                  activation: fernn.activation, flowCorrection: flowCorrection, dtype: inputWeight.dtype, using: &generator)
        let shape = [bankCount, hidden, hidden, k, k]
        let bound = perturbation / Double(hidden * k * k).squareRoot()
        let noise = Tensor.randomUniform(shape, lowerBound: -bound, upperBound: bound, dtype: inputWeight.dtype, using: &generator)
        self.inputWeight.value = inputWeight
        hiddenWeight.value = fernn.hiddenWeight.value.unsqueezed(axis: 0).expanded(to: shape) + (noise - noise.mean(axis: 0, keepDimensions: true))
    }

    /// L, the number of filter banks.
    public var bankCount: Int { hiddenWeight.shape[0] }

    public var hiddenChannels: Int { hiddenWeight.shape[1] }

    /// The velocities are listed, not arranged on a cycle.
    public var combinationAxisIsCyclic: Bool { false }

    /// W_ν = Σ_l a_l(ν) W_l for every velocity: [|V|, hiddenChannels, hiddenChannels, k, k].
    public var velocityKernels: Tensor {
        let (banks, velocities) = (bankCount, flows.count)
        let kernel = Array(hiddenWeight.shape.dropFirst())
        // [L, |V|, 1] · [L, 1, C·C·k·k] summed over l -> [|V|, C·C·k·k]
        let combined = (combinationWeights.value.reshaped([banks, velocities, 1]) * hiddenWeight.value.reshaped([banks, 1, -1])).sum(axis: 0)
        return combined.reshaped([velocities] + kernel)
    }

    /// Zeros [N, |V|, hiddenChannels, H, W] for an input [N, C, H, W].
    public func zeroState(for input: Tensor) -> Tensor {
        requireArgument(input.rank == 4, "RelaxedFlowEquivariantRNNCell.zeroState", "expected an input frame [N, C, H, W], got \(input.shape)")
        return Tensor.zeros([input.shape[0], flows.count, hiddenChannels] + Array(input.shape[2...]), dtype: input.dtype)
    }

    /// One step; the output is the new state.
    public func callAsFunction(_ input: Tensor, state: Tensor) -> (output: Tensor, state: Tensor) {
        let (batch, velocities, channels, banks) = (input.shape.first ?? 0, flows.count, hiddenChannels, bankCount)
        let padding = kernelSize / 2
        requireArgument(input.rank == 4 && input.shape[1] == inputWeight.shape[1]
                        && state.shape == [batch, velocities, channels] + Array(input.shape[2...]), "RelaxedFlowEquivariantRNNCell",
                        "input must be [N, \(inputWeight.shape[1]), H, W] and state [N, \(velocities), \(channels), H, W] with the "
                            + "same N, H, W; got input \(input.shape), state \(state.shape)")
        let spatial = Array(state.shape[3...])
        let drive = conv2d(input, inputWeight.value, padding: padding, paddingMode: .circular)             // [N, C, H, W]
        var images = state.reshaped([batch * velocities, channels] + spatial)                               // N·|V| images
        if let flowCorrections {
            // K_ν ⋆ roll_ν(h) = roll_ν(K_ν ⋆ h) on the torus, so the residual is added before the roll, which
            // then stays folded into the banks' padding. K [|V|, 1, 3, 3] -> [|V|·C, 1, 3, 3], groups |V|·C.
            let kernels = flowCorrections.value.expanded(to: [velocities, channels, 3, 3]).reshaped([velocities * channels, 1, 3, 3])
            let residual = conv2d(state.reshaped([batch, velocities * channels] + spatial), kernels, padding: 1,
                                  groups: velocities * channels, paddingMode: .circular)
            images = images + residual.reshaped(images.shape)
        }
        // All L banks at once: [N·|V|, C, H, W] -> [N·|V|, L·C, H, W], image n rolled by velocity n mod |V|
        // (sub-pixel flows: the whole-pixel part in the padding, the remainder by `residualMoved`, as the FERNN).
        let banked = conv2d(flows.residualMoved(images), hiddenWeight.value.reshaped([banks * channels, channels, kernelSize, kernelSize]),
                            padding: padding, paddingMode: .circular, inputShifts: flows.velocities)
        // [N, |V|, L, C·H·W] weighted by a_l(ν) ([L, |V|] -> [1, |V|, L, 1]) and summed over l.
        let coefficients = combinationWeights.value.transposed(0, 1).reshaped([1, velocities, banks, 1])
        let recurrent = (banked.reshaped([batch, velocities, banks, -1]) * coefficients).sum(axis: 2)
        let next = activation(recurrent.reshaped(state.shape) + drive.unsqueezed(axis: 1))
        return (next, next)
    }
}

import Orbit

/// The flow-equivariant RNN cell for translation flows (FERNN, Keller 2025, eq. 9 with the trivial lift):
/// one hidden state per velocity ν ∈ V, each moved by its own flow every step,
///
///     h_{t+1}[ν] = σ( U ⋆ f_t + W ⋆ Flow_ν(h_t[ν]) ),   Flow_ν = roll by ν on the torus
///
/// with U and W circular convolutions shared by all ν (so the parameter count does not depend on |V|)
/// and U ⋆ f_t computed once and broadcast over ν (the trivial lift). With V-mixing, W has extent along
/// V as well: W ⋆_{V×Z²} sums W_δ ⋆ Flow_{ν+δ}(h[ν+δ]) over velocity offsets δ (the paper's ⋆_{V×G},
/// which its reference code lacks).
///
/// Shapes: input f_t [N, inputChannels, H, W]; state and output [N, |V|, hiddenChannels, H, W].
/// Every velocity is computed in one pass: the state is N·|V| images for one `conv2d`, and each image's
/// flow shift is folded into the convolution's circular padding (`inputShifts`), so the flow costs
/// nothing and saves no extra tensor. Sub-pixel flows (`TranslationFlows(velocities:interpolation:)`, no
/// V-mixing) fold their whole-pixel part the same way and shift the state by the remainder first. With
/// V = {(0, 0)} this is the G-RNN. No biases (as the paper's models); PyTorch-default initialization.
///
/// With `init(inputEncoder:…)` the drive is a per-frame encoder's output instead of U ⋆ f_t (the KTH
/// classifiers' CNN, Docs/References.md §F4, still computed once per frame and broadcast over V).
public final class FlowEquivariantRNNCell: RecurrentCell {
    public enum Activation: Sendable { case relu, tanh }

    public let flows: TranslationFlows
    /// U: [hiddenChannels, inputChannels, k, k]; nil when `inputEncoder` computes the drive.
    public let inputWeight: Parameter?
    /// The per-frame encoder [N, C, H, W] -> [N, hiddenChannels, H, W] that replaces U ⋆ f_t, or nil.
    public let inputEncoder: (any Layer)?
    /// W: [hiddenChannels, hiddenChannels, k, k], or with V-mixing one per offset: [offsets, hidden, hidden, k, k].
    public let hiddenWeight: Parameter
    public let activation: Activation
    /// Velocity offsets δ mixed by W (nil: no V-mixing).
    public let mixingOffsets: [[Int]]?
    /// How V-mixing treats a neighbour ν + δ outside V: zeros, or wrapping the velocity grid (exactly
    /// equivariant when V is the whole torus group, as in the tests).
    public let velocityPadding: PaddingMode
    let kernelSize: Int

    /// - Parameters:
    ///   - velocityMixing: the extent of W along each velocity axis (1: none, 3: the paper's V-mixing).
    public convenience init(inputChannels: Int, hiddenChannels: Int, flows: TranslationFlows, kernelSize: Int = 3,
                            activation: Activation = .relu, velocityMixing: Int = 1, velocityPadding: PaddingMode = .zeros,
                            dtype: DType = .float32, using generator: inout RandomGenerator) {
        requireArgument(kernelSize % 2 == 1, "FlowEquivariantRNNCell", "kernel size \(kernelSize) must be odd")
        let inputWeight = Parameter(Initializer.pytorchDefault.makeTensor([hiddenChannels, inputChannels, kernelSize, kernelSize],
                                                                          dtype: dtype, using: &generator))
        self.init(inputWeight: inputWeight, inputEncoder: nil, hiddenChannels: hiddenChannels, flows: flows, kernelSize: kernelSize,
                  activation: activation, velocityMixing: velocityMixing, velocityPadding: velocityPadding, dtype: dtype, using: &generator)
    }

    /// A cell driven by `inputEncoder` (any layer [N, C, H, W] -> [N, hiddenChannels, H, W], same H and W)
    /// instead of U ⋆ f_t; the encoder's parameters are the cell's (`inputEncoder.0.weight`, …).
    public convenience init(inputEncoder: any Layer, hiddenChannels: Int, flows: TranslationFlows, kernelSize: Int = 3,
                            activation: Activation = .relu, velocityMixing: Int = 1, velocityPadding: PaddingMode = .zeros,
                            dtype: DType = .float32, using generator: inout RandomGenerator) {
        self.init(inputWeight: nil, inputEncoder: inputEncoder, hiddenChannels: hiddenChannels, flows: flows, kernelSize: kernelSize,
                  activation: activation, velocityMixing: velocityMixing, velocityPadding: velocityPadding, dtype: dtype, using: &generator)
    }

    private init(inputWeight: Parameter?, inputEncoder: (any Layer)?, hiddenChannels: Int, flows: TranslationFlows, kernelSize: Int,
                 activation: Activation, velocityMixing: Int, velocityPadding: PaddingMode, dtype: DType,
                 using generator: inout RandomGenerator) {
        requireArgument(kernelSize % 2 == 1 && velocityMixing % 2 == 1, "FlowEquivariantRNNCell",
                        "kernel size \(kernelSize) and velocity mixing extent \(velocityMixing) must be odd")
        requireArgument(velocityMixing == 1 || flows.subpixel == nil, "FlowEquivariantRNNCell",
                        "velocity mixing needs whole-pixel flows, got velocity mixing \(velocityMixing) with \(flows)")
        (self.flows, self.kernelSize, self.activation, self.velocityPadding) = (flows, kernelSize, activation, velocityPadding)
        (self.inputWeight, self.inputEncoder) = (inputWeight, inputEncoder)
        let reach = velocityMixing / 2
        mixingOffsets = velocityMixing > 1 ? (-reach...reach).flatMap { dx in (-reach...reach).map { dy in [dy, dx] } } : nil
        let shape = [hiddenChannels, hiddenChannels, kernelSize, kernelSize]
        let fanIn = hiddenChannels * kernelSize * kernelSize * (mixingOffsets?.count ?? 1)
        hiddenWeight = Parameter(Initializer.pytorchDefault.makeTensor(mixingOffsets.map { [$0.count] + shape } ?? shape,
                                                                       fanIn: fanIn, dtype: dtype, using: &generator))
    }

    public var hiddenChannels: Int { hiddenWeight.shape[hiddenWeight.shape.count - 4] }

    /// Sets W to the identity kernel: 1 at the centre tap from each channel to itself, 0 elsewhere (with
    /// V-mixing, only for ν' = ν). This is the IRNN initialisation of Le, Jaitly and Hinton (2015) applied to the
    /// lifted state. Each slice is then carried unchanged along its flow, h_{t+1}[ν] = σ(Flow_ν(h_t[ν]) + U ⋆ f_t),
    /// so at the start of training a stored pattern has a closed-loop gain of exactly 1 (Docs/FlowEquivariance.md §4).
    public func setIdentityRecurrence() {
        let (channels, centre) = (hiddenChannels, kernelSize / 2)
        var values = [Double](repeating: 0, count: hiddenWeight.shape.reduce(1, *))
        let perKernel = channels * channels * kernelSize * kernelSize
        let block = (mixingOffsets?.count ?? 1) / 2          // the offset (0, 0) of the mixing kernels, or the only one
        for channel in 0..<channels {
            values[block * perKernel + ((channel * channels + channel) * kernelSize + centre) * kernelSize + centre] = 1
        }
        hiddenWeight.value = Tensor(values, shape: hiddenWeight.shape, dtype: hiddenWeight.value.dtype)
    }

    /// Zeros [N, |V|, hiddenChannels, H, W] for an input [N, C, H, W].
    public func zeroState(for input: Tensor) -> Tensor {
        Tensor.zeros([input.shape[0], flows.count, hiddenChannels] + Array(input.shape[2...]), dtype: input.dtype)
    }

    /// One step; the output is the new state.
    public func callAsFunction(_ input: Tensor, state: Tensor) -> (output: Tensor, state: Tensor) {
        let (batch, velocities, channels) = (input.shape[0], flows.count, hiddenChannels)
        let padding = kernelSize / 2
        let drive = inputEncoder.map { $0(input) }                                                  // [N, C, H, W]
            ?? conv2d(input, inputWeight!.value, padding: padding, paddingMode: .circular)
        requireArgument(state.rank == 5 && state.shape[0] == batch && state.shape[1] == velocities && state.shape[2] == channels
                        && Array(state.shape[3...]) == Array(drive.shape[2...]) && drive.shape[1] == channels, "FlowEquivariantRNNCell",
                        "state must be [\(batch), \(velocities), \(channels), H, W] for input \(input.shape) (drive \(drive.shape)), got \(state.shape)")
        let images = state.reshaped([batch * velocities, channels] + Array(state.shape[3...]))      // N·|V| images
        var recurrent: Tensor
        if let mixingOffsets {
            let terms = mixingOffsets.enumerated().map { index, offset in
                let (neighbours, shifts) = velocityNeighbours(offset)
                let moved = state.indexSelect(axis: 1, neighbours).reshaped(images.shape)
                return conv2d(moved, hiddenWeight.value.slice(axis: 0, index: index), padding: padding,
                              paddingMode: .circular, inputShifts: shifts)
            }
            recurrent = terms.dropFirst().reduce(terms[0], +)
        } else {
            // Sub-pixel flows: the remainder of each velocity moves the images first (the identity otherwise).
            recurrent = conv2d(flows.residualMoved(images), hiddenWeight.value, padding: padding, paddingMode: .circular,
                               inputShifts: flows.velocities)
        }
        // [N·|V|, C, H, W] -> [N, |V|, C, H, W], plus the input drive broadcast over V (the trivial lift).
        let preactivation = recurrent.reshaped(state.shape) + drive.unsqueezed(axis: 1)
        let next = activation == .relu ? relu(preactivation) : tanh(preactivation)
        return (next, next)
    }

    /// For offset δ: the index of ν + δ for every ν (-1 when outside V and not wrapping), and the flow
    /// shift each moved slice gets (its own velocity ν + δ).
    private func velocityNeighbours(_ offset: [Int]) -> (indices: [Int], shifts: [[Int]]) {
        let indices = flows.velocities.map { velocity -> Int in
            var neighbour = [velocity[0] + offset[0], velocity[1] + offset[1]]
            if velocityPadding == .circular, let size = velocityGridSize {
                neighbour = neighbour.map { (($0 + size / 2) % size + size) % size - size / 2 }
            }
            return flows.index(of: neighbour) ?? -1
        }
        let shifts = indices.map { $0 >= 0 ? flows.velocities[$0] : [0, 0] }
        return (indices, shifts)
    }

    /// 2r + 1 when V is the full grid {-r..r}², the only case where wrapping velocities is meaningful.
    private var velocityGridSize: Int? {
        let size = Int(Double(flows.count).squareRoot().rounded())
        return size * size == flows.count && flows == TranslationFlows.grid(range: size / 2) ? size : nil
    }
}

import Orbit

/// One step of a recurrent network (STYLE N6): input and state in, output and state out.
///
/// A cell knows its zero state; `unroll` drives any cell over time. The G-RNN and flow-equivariant
/// cells plug into the same protocol.
public protocol RecurrentCell: Module {
    associatedtype State

    /// The initial state for a batch shaped like `input` (one time step), all zeros.
    func zeroState(for input: Tensor) -> State

    /// One step: (input xₜ, state hₜ₋₁) -> (output yₜ, state hₜ).
    func callAsFunction(_ input: Tensor, state: State) -> (output: Tensor, state: State)
}

/// Runs `cell` over `sequence` [N, T, ...] along its time axis (axis 1), starting from `initialState`
/// (the cell's zero state by default). Returns the outputs stacked as [N, T, ...] and the last state.
public func unroll<Cell: RecurrentCell>(_ cell: Cell, over sequence: Tensor, from initialState: Cell.State? = nil)
    -> (outputs: Tensor, state: Cell.State) {
    requireArgument(sequence.rank >= 2 && sequence.shape[1] > 0, "unroll",
                    "sequence must be [N, T, ...] with T >= 1, got \(sequence.shape)")
    let steps = (0..<sequence.shape[1]).map { sequence.slice(axis: 1, index: $0) }
    let (outputs, state) = unroll(cell, over: steps, from: initialState)
    return (stack(outputs, axis: 1), state)
}

/// Runs `cell` over the time steps `inputs` in order. Returns each step's output and the last state.
public func unroll<Cell: RecurrentCell>(_ cell: Cell, over inputs: [Tensor], from initialState: Cell.State? = nil)
    -> (outputs: [Tensor], state: Cell.State) {
    requireArgument(!inputs.isEmpty, "unroll", "needs at least one time step")
    var state = initialState ?? cell.zeroState(for: inputs[0])
    var outputs: [Tensor] = []
    outputs.reserveCapacity(inputs.count)
    for input in inputs {
        let step = cell(input, state: state)
        outputs.append(step.output)
        state = step.state
    }
    return (outputs, state)
}

/// A recurrent cell whose state is lifted over flow generators: [N, |V|, channels, H, W], read out by
/// pooling over V. The FERNN cells and the G-RNN+ cell conform.
public protocol LiftedRecurrentCell: RecurrentCell where State == Tensor {
    /// Channels of each velocity's slice of the state.
    var hiddenChannels: Int { get }
}

extension FlowEquivariantRNNCell: LiftedRecurrentCell {}

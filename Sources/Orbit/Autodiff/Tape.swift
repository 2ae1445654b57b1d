import Synchronization

/// The record of one gradient scope: every primitive evaluated inside the scope whose inputs depend on
/// the scope's leaves, appended in execution order (STYLE C2).
///
/// Execution order is a topological order, so the backward pass is a single loop from the last node to
/// the first: no graph search, no recursion, no stack growth on a 100-step recurrence. The active tape
/// is a task-local value, so code outside `valueAndGradient` records nothing and there is no global
/// "no-grad" switch to forget.
final class Tape: Sendable {
    /// The tape recording in the current task, if any.
    @TaskLocal static var current: Tape?

    private static let nextID = Atomic<UInt64>(1)

    let id: UInt64 = Tape.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    private let state = Mutex(State())

    struct State: ~Copyable {
        var nodes: [Node] = []
        var parameterLeaves: [ObjectIdentifier: Tensor] = [:]
    }

    /// One recorded primitive. Leaves (the scope's inputs and parameters) have no pullback.
    struct Node: Sendable {
        let operation: String
        /// For each input, its node on this tape, or nil when the input is a constant here.
        let inputs: [Int?]
        let inputShapes: [[Int]]
        let outputShape: [Int]
        var pullback: Pullback?
    }

    /// Number of nodes recorded so far.
    var nodeCount: Int { state.withLock { $0.nodes.count } }

    /// The node of `tensor` on this tape, or nil when the tensor is a constant for this tape.
    func node(of tensor: Tensor) -> Int? {
        guard let trace = tensor.trace, trace.tapeID == id else { return nil }
        return trace.node
    }

    /// Records `tensor` as a leaf: a value gradients are taken with respect to.
    func leaf(_ tensor: Tensor) -> Tensor {
        let index = append(Node(operation: "leaf", inputs: [], inputShapes: [], outputShape: tensor.shape))
        return tensor.traced(Trace(tapeID: id, node: index))
    }

    /// Records `parameter`'s current value as a leaf; inside this tape's scope `parameter.value` returns it.
    func register(_ parameter: Parameter) {
        let tracked = leaf(parameter.storedValue)
        state.withLock { $0.parameterLeaves[ObjectIdentifier(parameter)] = tracked }
    }

    /// The recorded value of `parameter` on this tape, if it was registered.
    func trackedValue(of parameter: Parameter) -> Tensor? {
        state.withLock { $0.parameterLeaves[ObjectIdentifier(parameter)] }
    }

    /// Appends a node for a primitive whose output is `output`, when any input is recorded on this tape.
    func record(_ operation: String, inputs: [Tensor], output: Tensor, pullback: @escaping Pullback) -> Tensor {
        let inputNodes = inputs.map(node(of:))
        guard inputNodes.contains(where: { $0 != nil }) else { return output }
        let index = append(Node(operation: operation, inputs: inputNodes, inputShapes: inputs.map(\.shape),
                                outputShape: output.shape, pullback: pullback))
        return output.traced(Trace(tapeID: id, node: index))
    }

    private func append(_ node: Node) -> Int {
        state.withLock { state in
            state.nodes.append(node)
            return state.nodes.count - 1
        }
    }

    /// Takes the recorded nodes out of the tape (a tape is differentiated once).
    func takeNodes() -> [Node] {
        state.withLock { state in
            let nodes = state.nodes
            state.nodes = []
            state.parameterLeaves = [:]
            return nodes
        }
    }
}

/// A primitive's vector-Jacobian product: from the cotangent of its output and a mask of the inputs
/// that need a gradient, the cotangent of each input (nil where not needed). Cotangents of broadcasting
/// ops may come at the broadcast output shape; the backward pass sums them to each input's shape.
typealias Pullback = @Sendable (_ cotangent: Tensor, _ needsGradient: [Bool]) -> [Tensor?]

/// Ends every primitive (STYLE C4): in anomaly-detection mode checks the output for NaN and infinity;
/// inside a gradient scope, records the primitive with its pullback when any input is on the tape.
func record(_ operation: String, inputs: [Tensor], output: Tensor, pullback: @escaping Pullback) -> Tensor {
    if let detector = AnomalyDetector.current {
        detector.inspect(output, operation: operation, pass: .forward, inputShapes: inputs.map(\.shape))
    }
    guard let tape = Tape.current else { return output }
    return tape.record(operation, inputs: inputs, output: output, pullback: pullback)
}

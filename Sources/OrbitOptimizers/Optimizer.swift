import Orbit

/// A per-parameter update rule (STYLE O1): (value, gradient, state) -> (value, state), plus fresh
/// state for a parameter seen for the first time. State is kept by parameter identity.
///
/// ```swift
/// let optimizer = Adam(learningRate: 1e-3)
/// let (loss, gradients) = valueAndGradient(of: model.parameters) { … }
/// optimizer.update(model.parameters, with: gradients)
/// ```
public protocol Optimizer: AnyObject {
    associatedtype State

    /// Step size; schedules set it before each step.
    var learningRate: Double { get set }
    /// Per-parameter state, by parameter identity (kept by the optimizer, read by checkpoints).
    var states: [ObjectIdentifier: State] { get set }

    /// State for a parameter's first update.
    func makeState(for value: Tensor) -> State
    /// The rule: the new value from the current value, its gradient and the state (updated in place).
    func updatedValue(_ value: Tensor, gradient: Tensor, state: inout State) -> Tensor

    /// The state as named tensors, for checkpoints (names are suffixes such as `firstMoment`).
    func tensors(of state: State) -> [(name: String, tensor: Tensor)]
    /// Rebuilds state from the tensors `tensors(of:)` produced (nil when they are missing or malformed).
    func state(from tensors: [String: Tensor], for value: Tensor) -> State?
}

extension Optimizer {
    /// Applies one step to every parameter that has a gradient (parameters the loss did not depend on
    /// are left alone, state included, as PyTorch does).
    public func update(_ parameters: [Parameter], with gradients: Gradients) {
        for parameter in parameters where gradients.contains(parameter) {
            let key = ObjectIdentifier(parameter)
            var state = states[key] ?? makeState(for: parameter.value)
            parameter.value = updatedValue(parameter.value, gradient: gradients[parameter], state: &state)
            states[key] = state
        }
    }

    /// The state of every named parameter as `<parameter name>.<state name>` tensors.
    public func stateTensors(for namedParameters: [(name: String, parameter: Parameter)]) -> [(name: String, tensor: Tensor)] {
        namedParameters.flatMap { name, parameter -> [(name: String, tensor: Tensor)] in
            guard let state = states[ObjectIdentifier(parameter)] else { return [] }
            return tensors(of: state).map { ("\(name).\($0.name)", $0.tensor) }
        }
    }

    /// Restores state written by `stateTensors(for:)`. Parameters without saved state start fresh; a
    /// malformed entry stops with a message naming the parameter.
    public func loadStateTensors(_ saved: [String: Tensor], for namedParameters: [(name: String, parameter: Parameter)]) {
        states = [:]
        for (name, parameter) in namedParameters {
            let prefix = name + "."
            let own = saved.filter { $0.key.hasPrefix(prefix) && !$0.key.dropFirst(prefix.count).contains(".") }
            guard !own.isEmpty else { continue }
            let stripped = Dictionary(uniqueKeysWithValues: own.map { (String($0.key.dropFirst(prefix.count)), $0.value) })
            guard let state = state(from: stripped, for: parameter.value) else {
                requireArgument(false, "Optimizer.loadStateTensors",
                                "saved state for \(name) (\(stripped.keys.sorted())) does not fit a \(parameter.dtype) \(parameter.shape) parameter")
                continue
            }
            states[ObjectIdentifier(parameter)] = state
        }
    }
}

/// Checks that a saved state tensor matches the parameter it belongs to.
func matches(_ tensor: Tensor?, _ value: Tensor) -> Bool {
    tensor?.shape == value.shape && tensor?.dtype == value.dtype
}

import Orbit
import OrbitNN

/// A copy of a module's parameter values (Tensors are values over immutable storage, so keeping them
/// is a real copy: later updates assign new tensors and leave these alone).
public struct ParameterSnapshot {
    public let values: [(name: String, value: Tensor)]

    public init(of module: any Module) { values = module.namedParameters.map { ($0.name, $0.parameter.value) } }

    init(values: [(name: String, value: Tensor)]) { self.values = values }

    /// Writes the saved values back into `module`'s parameters (matched by name; stops naming the
    /// parameter when one is missing or its shape changed).
    public func restore(into module: any Module) {
        let parameters = Dictionary(module.namedParameters.map { ($0.name, $0.parameter) }, uniquingKeysWith: { first, _ in first })
        for (name, value) in values {
            guard let parameter = parameters[name], parameter.shape == value.shape else {
                requireArgument(false, "ParameterSnapshot.restore", "parameter \(name) \(value.shape) is missing or changed shape in the module")
                continue
            }
            parameter.value = value
        }
    }
}

/// Model selection on the best validation epoch, with a real copy of that epoch's parameters (the
/// reference's `best_model = model` keeps a reference, so it tests the last model; Docs/References.md §A7).
public struct BestEpochSelection {
    public private(set) var bestEpoch: Int?
    public private(set) var bestValidation = Double.infinity
    public internal(set) var snapshot: ParameterSnapshot?

    public init() {}

    /// Records an epoch's validation score (lower is better); copies the parameters when it is the best
    /// so far. Returns whether it was. NaN scores never win.
    @discardableResult
    public mutating func record(epoch: Int, validation: Double, module: any Module) -> Bool {
        guard record(epoch: epoch, validation: validation) else { return false }
        snapshot = ParameterSnapshot(of: module)
        return true
    }

    /// Records a score without copying parameters (used when replaying a checkpoint's history: the
    /// snapshot is read from the best-weights file instead). Returns whether it was the best so far.
    @discardableResult
    mutating func record(epoch: Int, validation: Double) -> Bool {
        guard validation < bestValidation else { return false }
        (bestEpoch, bestValidation, snapshot) = (epoch, validation, nil)
        return true
    }

    /// Puts the best epoch's parameters back into `module` (no-op before any epoch was recorded).
    public func restoreBest(into module: any Module) { snapshot?.restore(into: module) }
}

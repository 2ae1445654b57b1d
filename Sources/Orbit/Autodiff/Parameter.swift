/// A trainable tensor, identified by object identity.
///
/// Layers hold their weights as `Parameter`s; optimizers key their state by them; `valueAndGradient(of:)`
/// returns gradients keyed by them. Inside a gradient scope that registered this parameter, `value`
/// returns the recorded leaf, so ops on it are differentiated; everywhere else it is a plain tensor.
public final class Parameter {
    /// The value outside any gradient scope (what optimizers update and checkpoints save).
    var storedValue: Tensor

    /// Creates a parameter holding `value` (float32 or float64).
    public init(_ value: Tensor) {
        checkFloatingPoint(value, "Parameter")
        storedValue = value.detached()
    }

    /// The current value; recorded on the tape inside a scope that differentiates this parameter.
    public var value: Tensor {
        get { Tape.current?.trackedValue(of: self) ?? storedValue }
        set {
            check(newValue.shape == storedValue.shape && newValue.dtype == storedValue.dtype, "Parameter.value",
                  "cannot replace a \(storedValue.dtype) \(storedValue.shape) parameter with a \(newValue.dtype) \(newValue.shape) tensor; assign a new Parameter to change its shape")
            storedValue = newValue.detached()
        }
    }

    public var shape: [Int] { storedValue.shape }
    public var dtype: DType { storedValue.dtype }
}

/// Gradients of a scalar with respect to parameters, as returned by `valueAndGradient(of:)`.
public struct Gradients: Sendable {
    private var byParameter: [ObjectIdentifier: Tensor]

    init(_ byParameter: [ObjectIdentifier: Tensor]) { self.byParameter = byParameter }

    /// No gradients (fill them with the subscript, e.g. after summing them over processes).
    public init() { byParameter = [:] }

    /// The gradient for `parameter`: zeros when the value did not depend on it.
    public subscript(parameter: Parameter) -> Tensor {
        get {
            byParameter[ObjectIdentifier(parameter)]
                ?? Tensor.zeros(parameter.shape, dtype: parameter.dtype)
        }
        set { byParameter[ObjectIdentifier(parameter)] = newValue.detached() }
    }

    /// Whether a gradient was computed for `parameter` (false when it did not influence the value).
    public func contains(_ parameter: Parameter) -> Bool { byParameter[ObjectIdentifier(parameter)] != nil }

    /// Every computed gradient transformed by `transform` (e.g. scaled for clipping).
    public func mapValues(_ transform: (Tensor) -> Tensor) -> Gradients {
        Gradients(byParameter.mapValues { transform($0).detached() })
    }

    /// √(Σ ‖g‖²) over every computed gradient, accumulated in Double.
    public var globalNorm: Double {
        byParameter.values.map { gradient in
            let norm = (gradient * gradient).sum().item
            return norm
        }.sorted().reduce(0, +).squareRoot()
    }
}

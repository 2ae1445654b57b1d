/// Applies `forward` to `inputs` as one differentiable unit whose VJP is `pullback` (as JAX's
/// `custom_vjp`): gradients do not flow through `forward`'s own ops, only through `pullback`.
///
/// `pullback(cotangent, inputs, output)` returns one cotangent per input, each of its input's shape
/// (or broadcastable back to it). Useful for a fused or numerically special op, and for testing the
/// gradient checker itself.
///
/// ```swift
/// let clipped = customGradient("straightThrough", [x], forward: { relu($0[0]) }) { g, _, _ in [g] }
/// ```
public func customGradient(
    _ name: String, _ inputs: [Tensor], forward: ([Tensor]) -> Tensor,
    pullback: @escaping @Sendable (_ cotangent: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor]
) -> Tensor {
    let plainInputs = inputs.map { $0.detached() }
    let output = Tape.$current.withValue(nil) { forward(plainInputs) }.detached()
    return record(name, inputs: inputs, output: output) { g, _ in
        let cotangents = pullback(g, plainInputs, output)
        check(cotangents.count == plainInputs.count, name,
              "custom pullback returned \(cotangents.count) cotangents for \(plainInputs.count) inputs")
        return cotangents.map { Optional($0) }
    }
}

/// Evaluates `body` and its gradient with respect to `parameters` (reverse mode).
///
/// Every op inside `body` that depends on a parameter is recorded on a fresh tape, then the tape is run
/// backwards once. The value must be a single-element tensor unless a `seed` (the cotangent, same shape
/// as the value) is given. Gradients are returned, never stored on parameters.
///
/// ```swift
/// let (loss, gradients) = valueAndGradient(of: model.parameters) {
///     crossEntropy(model(images), labels: labels)
/// }
/// let step = gradients[model.weight]
/// ```
public func valueAndGradient(
    of parameters: [Parameter], seed: Tensor? = nil, _ body: () throws -> Tensor
) rethrows -> (value: Tensor, gradients: Gradients) {
    let tape = Tape()
    let leaves = parameters.map { parameter in
        tape.register(parameter)
        return tape.trackedValue(of: parameter)!
    }
    let value = try Tape.$current.withValue(tape) { try body() }
    let leafCotangents = differentiate(tape: tape, value: value, seed: seed)
    var byParameter: [ObjectIdentifier: Tensor] = [:]
    for (parameter, leaf) in zip(parameters, leaves) {
        if let cotangent = leafCotangents[leaf.trace!.node] {
            byParameter[ObjectIdentifier(parameter)] = cotangent
        }
    }
    return (value.detached(), Gradients(byParameter))
}

/// Evaluates `body` at `inputs` and the gradient of its value with respect to each input.
///
/// The functional form, used by the gradient checker: `body` receives recorded copies of the inputs.
/// Inputs the value does not depend on get a zero gradient.
public func valueAndGradient(
    at inputs: [Tensor], seed: Tensor? = nil, _ body: ([Tensor]) throws -> Tensor
) rethrows -> (value: Tensor, gradients: [Tensor]) {
    for input in inputs { checkFloatingPoint(input, "valueAndGradient(at:)") }
    let tape = Tape()
    let leaves = inputs.map { tape.leaf($0.detached()) }
    let value = try Tape.$current.withValue(tape) { try body(leaves) }
    let leafCotangents = differentiate(tape: tape, value: value, seed: seed)
    let gradients = zip(inputs, leaves).map { input, leaf in
        leafCotangents[leaf.trace!.node] ?? Tensor.zeros(input.shape, dtype: input.dtype)
    }
    return (value.detached(), gradients)
}

/// The gradient of `body` at `inputs` (see `valueAndGradient(at:seed:_:)`).
public func gradient(at inputs: [Tensor], seed: Tensor? = nil, _ body: ([Tensor]) throws -> Tensor) rethrows -> [Tensor] {
    try valueAndGradient(at: inputs, seed: seed, body).gradients
}

/// Runs the backward pass of `tape` from `value`, checking the seed.
private func differentiate(tape: Tape, value: Tensor, seed: Tensor?) -> [Int: Tensor] {
    checkFloatingPoint(value, "valueAndGradient")
    let seed = seed ?? {
        check(value.scalarCount == 1, "valueAndGradient",
              "the function returned shape \(value.shape); gradients need a single-element value, or pass seed: (a cotangent of shape \(value.shape))")
        return Tensor.ones(value.shape, dtype: value.dtype)
    }()
    check(seed.shape == value.shape && seed.dtype == value.dtype, "valueAndGradient",
          "seed is \(seed.dtype) \(seed.shape) but the value is \(value.dtype) \(value.shape)")
    guard let root = tape.node(of: value) else {
        _ = tape.takeNodes()
        return [:]
    }
    return tape.backward(from: root, seed: seed)
}

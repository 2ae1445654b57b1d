import Orbit
import OrbitNN

/// The hinge equivariance penalty of the CLCNN baseline: for each pair (ρ_in(g), ρ_out(g)) of `actions`,
///
///     α Σ_g max(0, mean((f(ρ_in(g) x) - ρ_out(g) f(x))²) - margin),
///
/// zero while the model's mean squared equivariance error stays under `margin`. Differentiable in the
/// model's parameters (and x). Returns a scalar (rank 0).
public func hingeEquivariancePenalty(_ model: (Tensor) -> Tensor, input: Tensor,
                                     actions: [(input: (Tensor) -> Tensor, output: (Tensor) -> Tensor)],
                                     margin: Double, alpha: Double) -> Tensor {
    requireArgument(!actions.isEmpty && margin >= 0, "hingeEquivariancePenalty",
                    "needs at least one action and margin >= 0 (got \(actions.count) actions, margin \(margin))")
    let output = model(input)
    let terms = actions.map { action -> Tensor in
        let difference = model(action.input(input)) - action.output(output)
        return relu((difference * difference).mean() - margin)
    }
    return terms.dropFirst().reduce(terms[0], +) * alpha
}

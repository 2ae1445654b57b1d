import Foundation
import Orbit

/// The moments Adam and AdamW keep per parameter.
public struct AdamState {
    /// Number of updates applied so far (t).
    public var step: Int
    /// m, the running mean of gradients.
    public var firstMoment: Tensor
    /// v, the running mean of squared gradients.
    public var secondMoment: Tensor
}

/// Adam (Kingma and Ba 2015) as PyTorch's `torch.optim.Adam`, with L2 weight decay added to the
/// gradient:
///
///     g ← g + λ·p;  m ← β₁m + (1 - β₁)g;  v ← β₂v + (1 - β₂)g²
///     p ← p - η · (m / (1 - β₁ᵗ)) / (√(v / (1 - β₂ᵗ)) + ε)
public final class Adam: Optimizer {
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double
    public var states: [ObjectIdentifier: AdamState] = [:]

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0) {
        (self.learningRate, self.beta1, self.beta2, self.epsilon, self.weightDecay) =
            (learningRate, beta1, beta2, epsilon, weightDecay)
    }

    public func makeState(for value: Tensor) -> AdamState { AdamState.zeros(like: value) }

    public func updatedValue(_ value: Tensor, gradient: Tensor, state: inout AdamState) -> Tensor {
        let gradient = weightDecay == 0 ? gradient : gradient + value * weightDecay
        return value - state.advance(gradient, beta1: beta1, beta2: beta2, epsilon: epsilon) * learningRate
    }

    public func tensors(of state: AdamState) -> [(name: String, tensor: Tensor)] { state.tensors }
    public func state(from tensors: [String: Tensor], for value: Tensor) -> AdamState? { AdamState(tensors, for: value) }
}

/// AdamW (Loshchilov and Hutter 2019) as PyTorch's `torch.optim.AdamW`: weight decay applied to the
/// parameter directly, p ← p - η·λ·p, then the Adam step without decay in the gradient.
public final class AdamW: Optimizer {
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double
    public var states: [ObjectIdentifier: AdamState] = [:]

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 1e-2) {
        (self.learningRate, self.beta1, self.beta2, self.epsilon, self.weightDecay) =
            (learningRate, beta1, beta2, epsilon, weightDecay)
    }

    public func makeState(for value: Tensor) -> AdamState { AdamState.zeros(like: value) }

    public func updatedValue(_ value: Tensor, gradient: Tensor, state: inout AdamState) -> Tensor {
        let decayed = value * (1 - learningRate * weightDecay)
        return decayed - state.advance(gradient, beta1: beta1, beta2: beta2, epsilon: epsilon) * learningRate
    }

    public func tensors(of state: AdamState) -> [(name: String, tensor: Tensor)] { state.tensors }
    public func state(from tensors: [String: Tensor], for value: Tensor) -> AdamState? { AdamState(tensors, for: value) }
}

extension AdamState {
    static func zeros(like value: Tensor) -> AdamState {
        AdamState(step: 0, firstMoment: Tensor.zeros(like: value), secondMoment: Tensor.zeros(like: value))
    }

    /// Updates the moments with `gradient` and returns the bias-corrected direction m̂ / (√v̂ + ε).
    mutating func advance(_ gradient: Tensor, beta1: Double, beta2: Double, epsilon: Double) -> Tensor {
        step += 1
        firstMoment = firstMoment * beta1 + gradient * (1 - beta1)
        secondMoment = secondMoment * beta2 + gradient * gradient * (1 - beta2)
        let correction1 = 1 - Foundation.pow(beta1, Double(step)), correction2 = 1 - Foundation.pow(beta2, Double(step))
        return (firstMoment / correction1) / (sqrt(secondMoment / correction2) + epsilon)
    }

    var tensors: [(name: String, tensor: Tensor)] {
        [("step", Tensor([Int64(step)], shape: [])), ("firstMoment", firstMoment), ("secondMoment", secondMoment)]
    }

    init?(_ tensors: [String: Tensor], for value: Tensor) {
        guard let step = tensors["step"], step.dtype == .int64, step.scalarCount == 1,
              let first = tensors["firstMoment"], matches(first, value),
              let second = tensors["secondMoment"], matches(second, value), tensors.count == 3 else { return nil }
        self.init(step: Int(step.item), firstMoment: first, secondMoment: second)
    }
}

import Orbit

/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, as PyTorch's
/// `torch.optim.SGD`:
///
///     g ← g + λ·p
///     b ← μ·b + (1 - τ)·g          (b = g on the first step)
///     g ← g + μ·b  (Nesterov)  or  g ← b
///     p ← p - η·g
public final class SGD: Optimizer {
    public var learningRate: Double
    public let momentum: Double
    public let dampening: Double
    public let weightDecay: Double
    public let nesterov: Bool
    public var states: [ObjectIdentifier: SGDState] = [:]

    public init(learningRate: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false) {
        requireArgument(!nesterov || (momentum > 0 && dampening == 0), "SGD", "Nesterov momentum needs momentum > 0 and no dampening")
        (self.learningRate, self.momentum, self.dampening, self.weightDecay, self.nesterov) =
            (learningRate, momentum, dampening, weightDecay, nesterov)
    }

    public func makeState(for value: Tensor) -> SGDState { SGDState(momentumBuffer: nil) }

    public func updatedValue(_ value: Tensor, gradient: Tensor, state: inout SGDState) -> Tensor {
        var step = weightDecay == 0 ? gradient : gradient + value * weightDecay
        if momentum != 0 {
            let buffer = state.momentumBuffer.map { $0 * momentum + step * (1 - dampening) } ?? step
            state.momentumBuffer = buffer
            step = nesterov ? step + buffer * momentum : buffer
        }
        return value - step * learningRate
    }

    public func tensors(of state: SGDState) -> [(name: String, tensor: Tensor)] {
        state.momentumBuffer.map { [("momentumBuffer", $0)] } ?? []
    }

    public func state(from tensors: [String: Tensor], for value: Tensor) -> SGDState? {
        guard let buffer = tensors["momentumBuffer"], matches(buffer, value), tensors.count == 1 else { return nil }
        return SGDState(momentumBuffer: buffer)
    }
}

/// SGD's per-parameter state: the momentum buffer, created on the first step (none without momentum).
public struct SGDState {
    public var momentumBuffer: Tensor?
}

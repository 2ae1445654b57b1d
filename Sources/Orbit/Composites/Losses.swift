// Loss functions, composed from primitives.

/// How a per-element loss is reduced.
public enum LossReduction: Sendable {
    case mean, sum, none
}

/// Mean squared error: mean((prediction - target)²) (PyTorch `mse_loss`). Shapes must match.
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor, reduction: LossReduction = .mean) -> Tensor {
    check(prediction.shape == target.shape, "meanSquaredError",
          "prediction \(prediction.shape) and target \(target.shape) must have the same shape")
    let difference = prediction - target
    return reduce(difference * difference, reduction)
}

/// Cross-entropy of logits [N, C] (or [N, C, d₁, …]) against int64 class labels [N] (or [N, d₁, …]):
/// -log softmax(logits)[label], averaged over the labels by default (PyTorch `cross_entropy`).
public func crossEntropy(_ logits: Tensor, labels: Tensor, reduction: LossReduction = .mean) -> Tensor {
    check(labels.dtype == .int64, "crossEntropy", "labels must be int64 class indices, got \(labels.dtype) \(labels.shape)")
    check(logits.rank >= 2 && labels.rank == logits.rank - 1
          && labels.shape == [logits.shape[0]] + Array(logits.shape[2...]), "crossEntropy",
          "logits \(logits.shape) need labels of shape \([logits.shape.first ?? 0] + Array(logits.shape.dropFirst(2))), got \(labels.shape)")
    let picked = logSoftmax(logits, axis: 1).gathered(along: 1, indices: labels.unsqueezed(axis: 1))
    return reduce(-picked.squeezed(axis: 1), reduction)
}

private func reduce(_ losses: Tensor, _ reduction: LossReduction) -> Tensor {
    switch reduction {
    case .mean: losses.mean()
    case .sum: losses.sum()
    case .none: losses
    }
}

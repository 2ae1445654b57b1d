import Orbit
import OrbitNN

// The multi-step protocol of Wang, Walters and Yu (ICML 2022; Docs/References.md §A7): a model maps the last
// T frames, stacked along channels, to the next frame; predictions are fed back by sliding the window,
// x ← cat(x[:, C:], prediction), and training backpropagates through every step (no detach).

/// Predicts `steps` frames autoregressively: [N, T·C, H, W] -> [N, steps, C, H, W], where `model` maps
/// [N, T·C, H, W] -> [N, C, H, W] and C = `channels`. Differentiable through every step.
public func autoregressiveRollout(_ model: (Tensor) -> Tensor, input: Tensor, steps: Int, channels: Int = 2) -> Tensor {
    requireArgument(steps >= 1 && channels >= 1 && input.rank == 4 && input.shape[1] % channels == 0 && input.shape[1] >= channels,
                    "autoregressiveRollout",
                    "needs steps >= 1 (got \(steps)) and an input [N, T·\(channels), H, W] (got \(input.shape))")
    let frameChannels = input.shape[1]
    var window = input
    var predictions: [Tensor] = []
    for step in 0..<steps {
        let prediction = model(window)
        requireArgument(prediction.shape == [input.shape[0], channels, input.shape[2], input.shape[3]], "autoregressiveRollout",
                        "the model must map \(window.shape) to [N, \(channels), H, W], got \(prediction.shape)")
        predictions.append(prediction)
        if step < steps - 1 {
            window = frameChannels == channels ? prediction
                : concatenate([window.slice(axis: 1, channels..<frameChannels), prediction], axis: 1)
        }
    }
    return stack(predictions, axis: 1)
}

/// The reference training loss: the rollout over targets [N, k, C, H, W] and Σ_{t<k} MSE(pred_t, y_t),
/// each MSE a mean over N, C, H, W (a sum over steps, as `train_epoch` computes). A scalar.
public func autoregressiveLoss(_ model: (Tensor) -> Tensor, input: Tensor, targets: Tensor) -> Tensor {
    requireArgument(targets.rank == 5 && targets.shape[0] == input.shape[0], "autoregressiveLoss",
                    "targets must be [N, k, C, H, W] with N = \(input.shape[0]), got \(targets.shape)")
    let (steps, channels) = (targets.shape[1], targets.shape[2])
    let predictions = autoregressiveRollout(model, input: input, steps: steps, channels: channels)
    let squared = (predictions - targets) * (predictions - targets)
    // Σ_t mean over (N, C, H, W) = k · mean over everything.
    return squared.mean() * Double(steps)
}

/// The reference's autoregressive RMSE: per batch, the mean over steps of the per-step MSE (each a mean
/// over N, C, H, W), and RMSE = √(mean over batches), an unweighted mean over batches.
public struct RolloutRMSE: Sendable {
    public private(set) var batchCount = 0
    private var sum = 0.0

    public init() {}

    /// Adds one batch: predictions and targets [N, k, C, H, W] of equal shape.
    public mutating func add(predictions: Tensor, targets: Tensor) {
        requireArgument(predictions.shape == targets.shape && predictions.rank == 5, "RolloutRMSE.add",
                        "predictions \(predictions.shape) and targets \(targets.shape) must both be [N, k, C, H, W]")
        let difference = (predictions - targets).detached()
        sum += (difference * difference).mean().item
        batchCount += 1
    }

    /// √(mean over batches of the batch MSE); NaN before any batch.
    public var value: Double { batchCount == 0 ? .nan : (sum / Double(batchCount)).squareRoot() }
}

import Orbit

/// Scales all gradients together so that their global norm √(Σ‖g‖²) is at most `maximumNorm`, as
/// PyTorch's `clip_grad_norm_` (factor maximumNorm / (norm + 1e-6), applied only when below 1).
/// Returns the clipped gradients and the norm before clipping.
public func clipByGlobalNorm(_ gradients: Gradients, maximumNorm: Double) -> (gradients: Gradients, norm: Double) {
    requireArgument(maximumNorm > 0, "clipByGlobalNorm", "maximumNorm must be positive, got \(maximumNorm)")
    let norm = gradients.globalNorm
    let factor = maximumNorm / (norm + 1e-6)
    guard factor < 1 else { return (gradients, norm) }
    return (gradients.mapValues { $0 * factor }, norm)
}

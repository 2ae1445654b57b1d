// Softmax and log-softmax, composed from exp, log, sum and max. Both subtract the (detached) maximum
// first, which leaves the value unchanged and keeps exp from overflowing; its gradient contribution
// would cancel exactly, so detaching it changes no gradient.

/// softmax(x)ᵢ = e^{xᵢ} / Σⱼ e^{xⱼ} along `axis`.
public func softmax(_ x: Tensor, axis: Int = -1) -> Tensor {
    let shifted = x - x.detached().max(axis: axis, keepDimensions: true)
    let exponentials = exp(shifted)
    return exponentials / exponentials.sum(axis: axis, keepDimensions: true)
}

/// log softmax(x)ᵢ = xᵢ - log Σⱼ e^{xⱼ} along `axis`, computed without forming the softmax.
public func logSoftmax(_ x: Tensor, axis: Int = -1) -> Tensor {
    let shifted = x - x.detached().max(axis: axis, keepDimensions: true)
    return shifted - log(exp(shifted).sum(axis: axis, keepDimensions: true))
}

/// log Σ e^{xᵢ} along `axis`, stable for large inputs.
public func logSumExp(_ x: Tensor, axis: Int = -1, keepDimensions: Bool = false) -> Tensor {
    let maximum = x.detached().max(axis: axis, keepDimensions: true)
    let total = exp(x - maximum).sum(axis: axis, keepDimensions: keepDimensions)
    return log(total) + maximum.reshaped(total.shape)
}

import Orbit

/// Batch normalization over the channel axis of [N, C, ...] (PyTorch `nn.BatchNorm2d` / `nn.BatchNorm3d`):
///
///     y = (x - μ) / √(σ² + ε) · γ + β
///
/// In training, μ and σ² are the batch statistics over every axis but C (σ² biased), and the running
/// statistics move toward them: r ← (1 - momentum)·r + momentum·batch, with the unbiased variance, as
/// PyTorch. In evaluation the running statistics are used. Parameters: weight γ [C] (ones), bias β [C]
/// (zeros). Buffers: runningMean [C] (zeros), runningVariance [C] (ones), batchesTracked (int64).
public final class BatchNormalization: Layer, ModeDependent {
    public let weight: Parameter?
    public let bias: Parameter?
    public let runningMean: Buffer
    public let runningVariance: Buffer
    public let batchesTracked: Buffer
    public let channels: Int
    /// Spatial axes expected after [N, C]: 2 for images, 3 for volumes or videos.
    public let spatialRank: Int
    public let epsilon: Double
    public let momentum: Double
    public var isTraining = true

    public init(channels: Int, spatialRank: Int = 2, epsilon: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true,
                dtype: DType = .float32) {
        (self.channels, self.spatialRank, self.epsilon, self.momentum) = (channels, spatialRank, epsilon, momentum)
        weight = affine ? Parameter(Tensor.ones([channels], dtype: dtype)) : nil
        bias = affine ? Parameter(Tensor.zeros([channels], dtype: dtype)) : nil
        runningMean = Buffer(Tensor.zeros([channels], dtype: dtype))
        runningVariance = Buffer(Tensor.ones([channels], dtype: dtype))
        batchesTracked = Buffer(Tensor.zeros([], dtype: .int64))
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        requireArgument(input.rank == spatialRank + 2 && input.shape[1] == channels, "BatchNormalization",
                        "expected [N, \(channels)] followed by \(spatialRank) spatial axes, got \(input.shape)")
        let axes = [0] + Array(2..<input.rank)
        let broadcastShape = [1, channels] + Array(repeating: 1, count: spatialRank)
        let mean: Tensor, variance: Tensor
        if isTraining {
            mean = input.mean(axes: axes, keepDimensions: true)
            variance = input.variance(axes: axes, keepDimensions: true)
            let count = Double(input.scalarCount / channels)
            requireArgument(count > 1, "BatchNormalization", "needs more than one value per channel in training, got \(input.shape)")
            let unbiased = variance.detached().reshaped([channels]) * (count / (count - 1))
            runningMean.value = runningMean.value * (1 - momentum) + mean.detached().reshaped([channels]) * momentum
            runningVariance.value = runningVariance.value * (1 - momentum) + unbiased * momentum
            batchesTracked.value = Tensor([Int64(batchesTracked.value.item) + 1], shape: [])
        } else {
            mean = runningMean.value.reshaped(broadcastShape)
            variance = runningVariance.value.reshaped(broadcastShape)
        }
        var output = (input - mean) / sqrt(variance + epsilon)
        if let weight, let bias {
            output = output * weight.value.reshaped(broadcastShape) + bias.value.reshaped(broadcastShape)
        }
        return output
    }
}

/// Layer normalization over the trailing axes `normalizedShape` (PyTorch `nn.LayerNorm`):
/// y = (x - μ)/√(σ² + ε)·γ + β with μ, σ² over those axes; γ (ones) and β (zeros) of shape normalizedShape.
public final class LayerNormalization: Layer {
    public let weight: Parameter?
    public let bias: Parameter?
    public let normalizedShape: [Int]
    public let epsilon: Double

    public init(normalizedShape: [Int], epsilon: Double = 1e-5, affine: Bool = true, dtype: DType = .float32) {
        (self.normalizedShape, self.epsilon) = (normalizedShape, epsilon)
        weight = affine ? Parameter(Tensor.ones(normalizedShape, dtype: dtype)) : nil
        bias = affine ? Parameter(Tensor.zeros(normalizedShape, dtype: dtype)) : nil
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        requireArgument(Array(input.shape.suffix(normalizedShape.count)) == normalizedShape, "LayerNormalization",
                        "input \(input.shape) must end with \(normalizedShape)")
        let axes = Array((input.rank - normalizedShape.count)..<input.rank)
        var output = (input - input.mean(axes: axes, keepDimensions: true))
            / sqrt(input.variance(axes: axes, keepDimensions: true) + epsilon)
        if let weight, let bias { output = output * weight.value + bias.value }
        return output
    }
}

/// Group normalization (Wu and He 2018; PyTorch `nn.GroupNorm`): channels of [N, C, ...] split into
/// `groups` groups, each normalized over its channels and all spatial positions; per-channel γ and β.
public final class GroupNormalization: Layer {
    public let weight: Parameter?
    public let bias: Parameter?
    public let groups: Int
    public let channels: Int
    public let epsilon: Double

    public init(groups: Int, channels: Int, epsilon: Double = 1e-5, affine: Bool = true, dtype: DType = .float32) {
        requireArgument(groups >= 1 && channels % groups == 0, "GroupNormalization",
                        "groups \(groups) must divide channels \(channels)")
        (self.groups, self.channels, self.epsilon) = (groups, channels, epsilon)
        weight = affine ? Parameter(Tensor.ones([channels], dtype: dtype)) : nil
        bias = affine ? Parameter(Tensor.zeros([channels], dtype: dtype)) : nil
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        requireArgument(input.rank >= 2 && input.shape[1] == channels, "GroupNormalization",
                        "expected [N, \(channels), ...], got \(input.shape)")
        let grouped = input.reshaped([input.shape[0], groups, -1])
        let normalized = ((grouped - grouped.mean(axis: 2, keepDimensions: true))
            / sqrt(grouped.variance(axes: [2], keepDimensions: true) + epsilon)).reshaped(input.shape)
        guard let weight, let bias else { return normalized }
        let broadcastShape = [1, channels] + Array(repeating: 1, count: input.rank - 2)
        return normalized * weight.value.reshaped(broadcastShape) + bias.value.reshaped(broadcastShape)
    }
}

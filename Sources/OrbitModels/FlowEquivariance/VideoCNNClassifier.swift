import Orbit
import OrbitNN

/// The 3D-CNN classification baseline of the FERNN paper's KTH experiment (Keller 2025, section 6.3;
/// Docs/References.md §F4 `Video3DCNNClassifier`): blocks of a 3×3×3 convolution (zero padding 1, no bias),
/// 3-D batch normalization and ReLU, then global average pooling over (T, H, W) and a linear layer.
///
///     stage1: b → c,          stride (temporalStride, 1, 1)      c = baseChannels (16 for KTH)
///     stage2: c → 2c, stride (1, 2, 2); 2c → 2c
///     stage3: 2c → 4c, stride (1, 2, 2); 4c → 4c
///     head:   Linear(4c → classes)
///
/// Shapes: clips [N, T, C, H, W] (as the recurrent classifiers take them) are read as [N, C, T, H, W];
/// KTH: [N, 1, 16, 32, 32] → [N, 16, 8, 32, 32] → [N, 32, 8, 16, 16] → [N, 64, 8, 8, 8] → [N, 64] → [N, 6].
/// 208,598 parameters with the defaults. Parameter names follow the reference's state dict
/// (`stage2.1.0.weight` is `st2.1.0.weight`). Initialization: PyTorch's default.
public final class VideoCNNClassifier: Layer {
    public let stage1: Sequential
    public let stage2: Sequential
    public let stage3: Sequential
    public let head: Linear

    public init(inputChannels: Int = 1, baseChannels: Int = 16, classes: Int = 6, temporalStride: Int = 2,
                dtype: DType = .float32, using generator: inout RandomGenerator) {
        requireArgument(inputChannels >= 1 && baseChannels >= 1 && classes >= 1 && temporalStride >= 1, "VideoCNNClassifier",
                        "needs positive sizes, got \(inputChannels) input channels, base \(baseChannels), \(classes) classes, "
                            + "temporal stride \(temporalStride)")
        func block(_ input: Int, _ output: Int, stride: PerAxis = 1) -> Sequential {
            Sequential(Convolution3D(inputChannels: input, outputChannels: output, kernelSize: 3, stride: stride, padding: 1,
                                     bias: false, dtype: dtype, using: &generator),
                       BatchNormalization(channels: output, spatialRank: 3, dtype: dtype), ReLU())
        }
        let c = baseChannels
        stage1 = block(inputChannels, c, stride: [temporalStride, 1, 1])
        stage2 = Sequential(block(c, 2 * c, stride: [1, 2, 2]), block(2 * c, 2 * c))
        stage3 = Sequential(block(2 * c, 4 * c, stride: [1, 2, 2]), block(4 * c, 4 * c))
        head = Linear(inputFeatures: 4 * c, outputFeatures: classes, dtype: dtype, using: &generator)
    }

    /// Logits [N, classes] for clips [N, T, C, H, W].
    public func callAsFunction(_ clips: Tensor) -> Tensor {
        let channels = stage1.layers.first.flatMap { ($0 as? Convolution3D)?.weight.shape[1] } ?? 0
        requireArgument(clips.rank == 5 && clips.shape[2] == channels, "VideoCNNClassifier",
                        "expected clips [N, T, \(channels), H, W], got \(clips.shape)")
        let volumes = clips.permuted([0, 2, 1, 3, 4])                                       // [N, C, T, H, W]
        let features = stage3(stage2(stage1(volumes)))                                      // [N, 4c, T', H', W']
        return head(features.mean(axes: [2, 3, 4]))                                         // [N, classes]
    }
}

import Orbit
import OrbitNN

/// A sequence classifier over a lifted recurrent cell (Keller 2025, section 6.3; Docs/References.md §F4
/// `FERNN_Classifier`): run the cell over the clip, pool the last state over velocities, average over
/// space, and map to class logits,
///
///     logits = A · mean_{x} ( pool_ν h_T[ν](x) ) + b
///
/// Shapes: clips [N, T, C, H, W] -> logits [N, classes]; the last state h_T is [N, |V|, hidden, H, W];
/// A [classes, hidden], b [classes] (PyTorch-default `Linear`). With `FlowEquivariantRNNCell` and
/// translation flows this is the FERNN classifier, with `.stationary` flows the G-RNN, with
/// `LearnedShiftRNNCell` the G-RNN+; the KTH configurations are built by `init(flows:configuration:…)`.
/// Max pooling over V makes the logits invariant to which velocity's slice carries the response.
public final class FlowSequenceClassifier<Cell: LiftedRecurrentCell>: Module {
    public let cell: Cell
    /// A [classes, hidden].
    public let head: Linear
    public let pooling: VelocityPooling

    public init(cell: Cell, classes: Int, pooling: VelocityPooling = .max, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        requireArgument(classes >= 1, "FlowSequenceClassifier", "needs at least one class, got \(classes)")
        self.cell = cell
        self.pooling = pooling
        head = Linear(inputFeatures: cell.hiddenChannels, outputFeatures: classes, dtype: dtype, using: &generator)
    }

    /// The pooled feature of a state [N, |V|, hidden, H, W]: [N, hidden].
    public func features(_ state: Tensor) -> Tensor {
        let pooled = pooling == .max ? state.max(axis: 1) : state.mean(axis: 1)          // [N, hidden, H, W]
        return pooled.mean(axes: [2, 3])                                                  // [N, hidden]
    }

    /// Logits [N, classes] for clips [N, T, C, H, W] (the state after the last frame).
    public func callAsFunction(_ clips: Tensor) -> Tensor {
        requireArgument(clips.rank == 5 && clips.shape[1] >= 1, "FlowSequenceClassifier",
                        "expected clips [N, T, C, H, W] with T >= 1, got \(clips.shape)")
        let frames = (0..<clips.shape[1]).map { clips.slice(axis: 1, index: $0) }
        var state = cell.zeroState(for: frames[0])
        for frame in frames { state = cell(frame, state: state).state }
        return head(features(state))
    }
}

/// How a lifted state [N, |V|, C, H, W] is pooled over its velocity axis (the reference uses max).
public enum VelocityPooling: Sendable { case max, mean }

/// The architecture numbers of the KTH classifiers (Docs/References.md §F4), as defaults; every one can
/// be changed.
public struct SequenceClassifierConfiguration: Sendable {
    /// Channels of each frame (1: grayscale).
    public var inputChannels = 1
    /// Output channels of the frame encoder's layers; the last is the hidden size (128).
    public var encoderChannels = [32, 64, 128]
    /// Kernel sizes of the frame encoder's layers (odd, 'same' zero padding).
    public var encoderKernelSizes = [5, 3, 3]
    /// k of the recurrent convolution W (circular).
    public var kernelSize = 3
    /// σ of the recurrence (tanh for KTH; the MNIST models use ReLU).
    public var activation: FlowEquivariantRNNCell.Activation = .tanh
    public var classes = 6
    public var pooling: VelocityPooling = .max

    public init() {}

    /// The reference configuration: encoder 1 → 32 (5×5) → 64 → 128 (3×3), W 128 → 128 (3×3), tanh, 6 classes.
    public static let kth = SequenceClassifierConfiguration()

    /// Channels of the hidden state (the encoder's last layer).
    public var hiddenChannels: Int { encoderChannels.last ?? inputChannels }
}

/// The KTH frame encoder (Docs/References.md §F4 `conv_u_first`): per layer a k×k convolution with zero 'same'
/// padding and no bias, batch normalization and ReLU. Shapes: [N, inputChannels, H, W] ->
/// [N, channels.last, H, W]. Parameters per layer: out·in·k² + 2·out (conv weight, BN γ and β).
public func frameEncoder(inputChannels: Int, channels: [Int], kernelSizes: [Int], dtype: DType = .float32,
                         using generator: inout RandomGenerator) -> Sequential {
    requireArgument(!channels.isEmpty && channels.count == kernelSizes.count && kernelSizes.allSatisfy { $0 % 2 == 1 },
                    "frameEncoder", "needs one odd kernel size per layer, got channels \(channels) and kernel sizes \(kernelSizes)")
    var layers: [any Layer] = []
    for (index, (output, kernel)) in zip(channels, kernelSizes).enumerated() {
        layers.append(Convolution2D(inputChannels: index == 0 ? inputChannels : channels[index - 1], outputChannels: output,
                                    kernelSize: kernel, padding: kernel / 2,
                                    bias: false, dtype: dtype, using: &generator))
        layers.append(BatchNormalization(channels: output, dtype: dtype))
        layers.append(ReLU())
    }
    return Sequential(layers)
}

extension FlowSequenceClassifier where Cell == FlowEquivariantRNNCell {
    /// The KTH FERNN classifier with translation `flows` (V_2^T: FERNN-V2; `.stationary`: G-RNN):
    /// 241,638 parameters with the default configuration, whatever |V| is.
    public convenience init(flows: TranslationFlows, configuration: SequenceClassifierConfiguration = .kth, dtype: DType = .float32,
                            using generator: inout RandomGenerator) {
        let encoder = frameEncoder(inputChannels: configuration.inputChannels, channels: configuration.encoderChannels,
                                   kernelSizes: configuration.encoderKernelSizes, dtype: dtype, using: &generator)
        let cell = FlowEquivariantRNNCell(inputEncoder: encoder, hiddenChannels: configuration.hiddenChannels, flows: flows,
                                          kernelSize: configuration.kernelSize, activation: configuration.activation,
                                          dtype: dtype, using: &generator)
        self.init(cell: cell, classes: configuration.classes, pooling: configuration.pooling, dtype: dtype, using: &generator)
    }
}

extension FlowSequenceClassifier where Cell == LearnedShiftRNNCell {
    /// The KTH G-RNN+ classifier: the FERNN classifier's model with learned shift kernels for `flows`
    /// (V_2^T: 241,638 + 25·25 = 242,263 parameters with the default configuration).
    public convenience init(flows: TranslationFlows, configuration: SequenceClassifierConfiguration = .kth, dtype: DType = .float32,
                            using generator: inout RandomGenerator) {
        let encoder = frameEncoder(inputChannels: configuration.inputChannels, channels: configuration.encoderChannels,
                                   kernelSizes: configuration.encoderKernelSizes, dtype: dtype, using: &generator)
        let cell = LearnedShiftRNNCell(inputEncoder: encoder, hiddenChannels: configuration.hiddenChannels, flows: flows,
                                       kernelSize: configuration.kernelSize, activation: configuration.activation,
                                       dtype: dtype, using: &generator)
        self.init(cell: cell, classes: configuration.classes, pooling: configuration.pooling, dtype: dtype, using: &generator)
    }
}

import Foundation

/// The settings of the flow-equivariance experiments (`FlowExperiment`, `PaperExperiment`; the command
/// `orbit-flows` parses them from its options): the data, the models, and training. Defaults are the reduced
/// configuration that `make run` trains in about ten minutes on 2 cores; `paper` is the paper's
/// Translating MNIST setting (Docs/References.md §F2, §F8: 2 digits, data velocities {-2..2}², hidden 128, 4 decoder
/// layers, 10 + 10 frames, batch 128, Adam 1e-3, clipping 1.0, 50 epochs, the best validation epoch kept).
/// The reduced defaults keep the paper's protocol (10 + 10 frames, validation on sequences of held-out
/// training digits, the best epoch kept) at a small size: 1 digit, velocities {-1..1}², FERNN-V1, hidden 16,
/// 1 decoder layer, batch 8, 2 × 2,000 sequences.
public struct FlowSettings: Codable, Equatable, Sendable {
    /// Digits per sequence (the paper: 2).
    public var digits = 1
    /// Digits move with velocities drawn from {-R..R}², R = dataVelocityRange.
    public var dataVelocityRange = 1
    /// The FERNN's velocity set V = {-k..k}², k = modelVelocityRange (1: FERNN-V1, 2: FERNN-V2).
    public var modelVelocityRange = 1
    /// Hidden channels of every model (for rotation FERNNs: regular fields, hidden·N channels).
    public var hiddenChannels = 16
    /// Hidden 3×3 layers of the decoder.
    public var decoderLayers = 1
    /// Frames the models read, and frames they learn to predict.
    public var inputFrames = 10
    public var predictedFrames = 10
    /// Length generalisation: the models predict this many times the training length (7: to step 70, as the paper).
    public var lengthFactor = 7
    /// Training sequences per epoch (redrawn every epoch) and test sequences (fixed, MNIST test digits).
    public var trainingSequences = 2_000
    public var testSequences = 200
    /// Validation sequences (fixed), from the last tenth of the MNIST training digits, which training never
    /// sees (a 54,000 / 6,000 split, about the reference's 422 steps of 128 per epoch); they select the best epoch.
    public var validationSequences = 200
    /// Training epochs per model, sequences per step, Adam's learning rate.
    public var epochs = 2
    public var batchSize = 8
    public var learningRate = 1e-3
    /// The learning rate of epoch e is learningRate · decay^e (1: constant, as the paper).
    public var learningRateDecay = 1.0
    /// Stop when the validation MSE has not improved for this many epochs (0: never).
    public var patience = 0
    /// Gradients are clipped to this global norm.
    public var clipNorm = 1.0
    /// Backpropagate through the fed-back predictions too (`FlowPredictor.detachesFeedback` false); the
    /// reference detaches them (false).
    public var feedbackGradient = false
    /// Start the translation cells' W at the identity (`FlowEquivariantRNNCell.setIdentityRecurrence`, the IRNN
    /// initialisation) instead of PyTorch's default.
    public var identityRecurrence = false
    /// Seeds data, initialization and batch order.
    public var seed: UInt64 = 1
    /// The MNIST directory (empty: the copy inside the repository).
    public var dataDirectory = ""
    /// Checkpoints, metrics, results and pictures go here.
    public var outputDirectory = "runs/flows"

    /// The reduced defaults (above).
    public init() {}

    /// The paper's Translating MNIST configuration (`--paper`): 2 digits, data velocities {-2..2}², FERNN-V2,
    /// hidden 128, 4 decoder layers, 10 + 10 frames, 54,000 training, 6,000 validation and 10,000 test
    /// sequences, batch 128, 50 epochs; the other settings are the defaults.
    public static var paper: FlowSettings {
        var settings = FlowSettings()
        (settings.digits, settings.dataVelocityRange, settings.modelVelocityRange, settings.hiddenChannels, settings.decoderLayers) = (2, 2, 2, 128, 4)
        (settings.inputFrames, settings.predictedFrames) = (10, 10)
        (settings.trainingSequences, settings.testSequences, settings.validationSequences, settings.epochs, settings.batchSize) = (54_000, 10_000, 6_000, 50, 128)
        return settings
    }

    /// `outputDirectory` as a file URL.
    public var outputURL: URL { URL(fileURLWithPath: outputDirectory) }

    /// The checkpoints the main job (`FlowExperiment`) resumes from: `<output>/<model>/checkpoint.safetensors`
    /// for the two models it trains, "grnn" and "fernn-v<k>".
    public var checkpoints: [URL] {
        ["grnn", "fernn-v\(modelVelocityRange)"].map { outputURL.appendingPathComponent("\($0)/checkpoint.safetensors") }
    }

    /// The settings as JSON (results.json's "options").
    public func encoded() -> String { String(decoding: try! JSONEncoder().encode(self), as: UTF8.self) }
}

import Foundation

/// Everything that defines a run of `MNISTRun` (the command `orbit-train` parses it from its options).
/// The defaults are `make mnist`'s: 2 epochs, batch 64, Adam 1e-3 decaying by 0.7 per epoch.
public struct MNISTSettings: Equatable, Sendable {
    public var epochs = 2
    public var batchSize = 64
    public var learningRate = 1e-3
    /// Learning rate multiplier per epoch (exponential decay).
    public var learningRateDecay = 0.7
    public var seed: UInt64 = 1
    /// Use only the first N training images (0: all 60,000), for quick experiments.
    public var trainingExamples = 0
    /// Evaluate on only the first N test images (0: all 10,000).
    public var testExamples = 0
    /// Augmentation: shift each training image by up to this many pixels in each direction (0: none).
    public var augmentShift = 0
    public var dataDirectory = ""
    public var outputDirectory = "runs/mnist"

    public init() {}

    /// `outputDirectory`'s checkpoint and metrics files (the names `Trainer` writes).
    public var checkpointURL: URL { URL(fileURLWithPath: outputDirectory).appendingPathComponent("checkpoint.safetensors") }
    public var metricsURL: URL { URL(fileURLWithPath: outputDirectory).appendingPathComponent("metrics.jsonl") }
}

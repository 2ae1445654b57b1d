import Foundation
import Orbit
import OrbitOptimizers

/// How `Trainer` trains: epochs, learning-rate schedule, clipping, stopping, model selection, and where
/// its files go. Only `epochs` is required.
///
/// `settings` are the options that change the result (width, data, learning rate, ...): a checkpoint
/// remembers them, and resuming with any of them changed is refused with each difference named. Leave
/// out what does not change the result (output folder, thread count) and `epochs` (a run may be extended).
public struct TrainingConfiguration {
    /// Names the run in progress lines and errors.
    public var name = "model"
    public var epochs: Int
    /// The learning rate of each epoch (a pure function of the epoch, so resuming gets the same rates).
    public var learningRate: any LearningRateSchedule = ConstantLearningRate(1e-3)
    /// Gradients are clipped to this global norm before each update (PyTorch's `clip_grad_norm_`).
    public var clipNorm: Double?
    /// Stops before `epochs` when the validation scores stop improving (needs a validation function).
    public var earlyStopping: EarlyStopping?
    /// At the end, put the best validation epoch's parameters back into the model (the last epoch's
    /// are in the checkpoint; the best epoch's also in `best.safetensors`).
    public var restoresBestEpoch = false
    /// Seeds `TrainingStep.seed` (dropout masks, augmentation): a function of (seed, epoch, step).
    public var seed: UInt64 = 0
    /// Folder for `checkpoint.safetensors`, `best.safetensors`, `metrics.jsonl` and
    /// `training-curve.png`; nil trains in memory only (no checkpoints, no resume).
    public var directory: URL?
    /// The options that change the result, compared on resume (see above).
    public var settings: [String: String] = [:]
    /// Metric names of the per-epoch training loss and validation score in `metrics.jsonl`.
    public var lossName = "training_loss", scoreName = "validation_loss"
    /// A progress bar per epoch and a line per finished epoch, on standard error and output.
    public var showsProgress = true

    public init(epochs: Int) {
        requireArgument(epochs >= 0, "TrainingConfiguration", "epochs must be >= 0, got \(epochs)")
        self.epochs = epochs
    }

    /// `directory`'s checkpoint.safetensors.
    public var checkpointURL: URL? { directory?.appendingPathComponent("checkpoint.safetensors") }
    var bestURL: URL? { directory?.appendingPathComponent("best.safetensors") }
    var metricsURL: URL? { directory?.appendingPathComponent("metrics.jsonl") }
    var curveURL: URL? { directory?.appendingPathComponent("training-curve.png") }
}

/// The options of `value` (a struct of settings) as `TrainingConfiguration.settings`: each stored
/// property by its name and `String(describing:)` value, except the names in `excluding`.
public func trainingSettings(of value: Any, excluding: Set<String> = []) -> [String: String] {
    var settings: [String: String] = [:]
    for child in Mirror(reflecting: value).children {
        guard let label = child.label, !excluding.contains(label) else { continue }
        settings[label] = String(describing: child.value)
    }
    return settings
}

/// When to stop before the last epoch, from the validation scores so far (lower is better).
public enum EarlyStopping: Sendable, Equatable {
    /// The approximate-equivariance reference's rule (`shouldStopEarly`): after `minimumEpochs`, stop when
    /// the mean of the last `window` scores is not below the mean of the `window` before them.
    case windowedMean(minimumEpochs: Int, window: Int)
    /// Stop when the best score is `epochs` or more epochs old.
    case patience(epochs: Int)

    /// Whether to stop after the epochs scored `scores`.
    public func shouldStop(after scores: [Double]) -> Bool {
        switch self {
        case .windowedMean(let minimumEpochs, let window):
            return shouldStopEarly(validationHistory: scores, minimumEpochs: minimumEpochs, window: window)
        case .patience(let epochs):
            guard let best = scores.indices.min(by: { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }) else { return false }
            return scores.count - 1 - best >= epochs
        }
    }
}

/// One step's identity, for losses that draw random numbers (dropout, augmentation).
public struct TrainingStep: Sendable {
    public let epoch: Int
    /// The batch's index within its epoch.
    public let batch: Int
    /// A seed that is a function of (configuration seed, epoch, batch) only, and in data-parallel training
    /// of the first example of this rank's shard (0 for rank 0, so that one rank gets the one-process seed).
    public let seed: UInt64
    /// The examples of the global batch that the loss sees: all of them (0..<B) in one process, this rank's
    /// shard in data-parallel training (`DataParallel.shard`).
    public let examples: Range<Int>
}

/// A validation result: the score that selects the best epoch (lower is better) and any other figures
/// to record with it (`metrics.jsonl` names them as given).
public struct Evaluation: Codable, Sendable {
    public var score: Double
    public var metrics: [String: Double]
    public init(score: Double, metrics: [String: Double] = [:]) { (self.score, self.metrics) = (score, metrics) }
}

/// What happened in one finished epoch.
public struct EpochRecord: Codable, Equatable, Sendable {
    /// 1-based.
    public var epoch: Int
    /// Mean loss over the epoch's examples.
    public var trainingLoss: Double
    /// The validation score (nil without a validation function).
    public var validation: Double?
    public var metrics: [String: Double]
    public var learningRate: Double
    public var seconds: Double
}

/// Where training continues: the next batch of an epoch and the loss summed over that epoch so far.
public struct TrainingPosition: Codable, Equatable, Sendable {
    public var epoch = 0
    public var batch = 0
    public var lossSum = 0.0
    public var exampleCount = 0
    /// Training seconds spent on this epoch before the checkpoint was written, so that an epoch stopped and
    /// resumed records the time of all its parts (`EpochRecord.seconds`).
    public var seconds = 0.0
    /// Early stopping ended the run before `epochs`.
    public var stoppedEarly = false

    public init(epoch: Int = 0, batch: Int = 0, lossSum: Double = 0, exampleCount: Int = 0, seconds: Double = 0) {
        (self.epoch, self.batch, self.lossSum, self.exampleCount, self.seconds) = (epoch, batch, lossSum, exampleCount, seconds)
    }

    /// Checkpoints written before `seconds` existed read it as 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(epoch: try container.decode(Int.self, forKey: .epoch), batch: try container.decode(Int.self, forKey: .batch),
                  lossSum: try container.decode(Double.self, forKey: .lossSum),
                  exampleCount: try container.decode(Int.self, forKey: .exampleCount),
                  seconds: try container.decodeIfPresent(Double.self, forKey: .seconds) ?? 0)
        stoppedEarly = try container.decode(Bool.self, forKey: .stoppedEarly)
    }
}

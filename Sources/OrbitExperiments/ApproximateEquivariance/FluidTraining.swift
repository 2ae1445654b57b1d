import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitModels
import OrbitNN
import OrbitOptimizers
import OrbitTraining

/// The settings of the approximate-equivariance training protocol (`FluidTraining`).
public struct FluidTrainingSettings: Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    /// StepLR's factor per epoch.
    public var decay: Double
    /// Adam's weight decay (the reference's 4e-4).
    public var weightDecay = 4e-4
    /// The reference's early stopping applies after this many epochs (it uses 100).
    public var earlyStopAfter: Int

    public init(epochs: Int, batchSize: Int, learningRate: Double, decay: Double, earlyStopAfter: Int) {
        (self.epochs, self.batchSize, self.learningRate, self.decay, self.earlyStopAfter) = (epochs, batchSize, learningRate, decay, earlyStopAfter)
    }
}

/// What `FluidTraining.train` measured for one model and seed (Table 1).
public struct TableOutcome: Sendable {
    /// 20-step rollout RMSE on the test-future and test-domain windows.
    public let future: Double
    public let domain: Double
    /// The best validation epoch (1-based), whose parameters were tested.
    public let bestEpoch: Int
    /// Wall-clock seconds of training (every epoch's, also those of an earlier, interrupted run) and testing.
    public let seconds: Double
}

/// Where `FluidTraining.fit` keeps one model's files and whether it continues them: the library `Trainer`'s
/// checkpoint.safetensors (every epoch, and when stopped), best.safetensors, metrics.jsonl and training-curve.png
/// in `folder`.
public struct FluidCheckpointing {
    public var folder: URL
    /// The options that change what the model learns (`TrainingConfiguration.settings`): a checkpoint made with
    /// others is not resumed, the `TrainingError` naming each difference.
    public var settings: [String: String]
    /// true: continue from the folder's checkpoint when it holds one (a model that had finished is not trained
    /// again, its best epoch's parameters are restored); false: refuse a folder that holds one
    /// (`ExistingCheckpointError`) rather than overwrite it.
    public var resume: Bool
    /// Asked before every training step; true saves a checkpoint and stops (`fit` returns nil).
    public var shouldStop: () -> Bool

    public init(folder: URL, settings: [String: String], resume: Bool = false, shouldStop: @escaping () -> Bool = { false }) {
        (self.folder, self.settings, self.resume, self.shouldStop) = (folder, settings, resume, shouldStop)
    }
}

/// The protocol of Docs/References.md §A2, §A7: Adam (weight decay 4e-4), StepLR per epoch, the multi-step
/// autoregressive loss over the training targets plus the model's penalty, validation RMSE each epoch,
/// the best validation epoch's parameters (a real copy) restored for the 20-step tests.
public enum FluidTraining {
    /// Frames arrive with row 0 at the bottom (Docs/Fluids.md); the models' C_N action takes rows downwards
    /// (y = -row, `PlanarAction`), so batches are flipped along H, which makes (u, v) the model's (x, y).
    public static func batch(_ windows: some Collection<FluidWindow>, from collection: FluidWindows) -> (inputs: Tensor, targets: Tensor) {
        let collated = FluidBatch(collating: windows, from: collection)
        return (collated.inputs.flipped(axes: [2]), collated.targets.flipped(axes: [3]))
    }

    /// √(mean over batches of the k-step rollout MSE) on `windows`.
    public static func rolloutRMSE(_ model: any Layer, _ windows: FluidWindows, indices: [Int], batchSize: Int) -> Double {
        var rmse = RolloutRMSE()
        for start in stride(from: 0, to: indices.count, by: batchSize) {
            let chosen = indices[start..<min(start + batchSize, indices.count)].map { windows[$0] }
            let (inputs, targets) = batch(chosen, from: windows)
            rmse.add(predictions: autoregressiveRollout({ model($0) }, input: inputs, steps: windows.targetLength), targets: targets)
        }
        return rmse.value
    }

    /// `count` indices spread evenly over 0..<total (all of them when count >= total).
    public static func spread(_ count: Int, over total: Int) -> [Int] {
        guard count < total else { return Array(0..<total) }
        return (0..<count).map { $0 * total / count }
    }

    /// Trains `contender` on the windows `trainIndices` of `train` (reshuffled every epoch) with the library's
    /// `Trainer`, scores the validation windows `validationIndices` by their rollout RMSE after each epoch,
    /// stops early by the reference's rule, and restores the best epoch's parameters. Returns the best epoch
    /// (1-based) and the seconds of all its epochs. Without `checkpointing` it trains in memory; with it, the
    /// files go to its folder and training can be stopped (then nil) and continued (`FluidCheckpointing`); a
    /// checkpoint with more finished epochs than `settings.epochs` is refused.
    public static func fit(_ contender: Contender, train: FluidWindows, trainIndices: [Int], validation: FluidWindows, validationIndices: [Int],
                           settings: FluidTrainingSettings, seed: UInt64,
                           checkpointing: FluidCheckpointing? = nil) throws -> (bestEpoch: Int, seconds: Double)? {
        try fit(contender.model, name: contender.name, penalty: contender.penalty, train: train, trainIndices: trainIndices,
                validation: validation, validationIndices: validationIndices, settings: settings, seed: seed, checkpointing: checkpointing)
    }

    private static func fit<Model: Layer>(_ model: Model, name: String, penalty: @escaping (Tensor) -> Tensor, train: FluidWindows,
                                          trainIndices: [Int], validation: FluidWindows, validationIndices: [Int],
                                          settings: FluidTrainingSettings, seed: UInt64,
                                          checkpointing: FluidCheckpointing?) throws -> (bestEpoch: Int, seconds: Double)? {
        var configuration = TrainingConfiguration(epochs: settings.epochs)
        configuration.name = name
        configuration.learningRate = StepDecay(initial: settings.learningRate, stepSize: 1, factor: settings.decay)
        configuration.earlyStopping = .windowedMean(minimumEpochs: settings.earlyStopAfter, window: 5)
        configuration.restoresBestEpoch = true
        (configuration.lossName, configuration.scoreName) = ("training_loss", "validation_rmse")
        (configuration.directory, configuration.settings) = (checkpointing?.folder, checkpointing?.settings ?? [:])
        if let checkpointing, !checkpointing.resume { try ExistingCheckpointError.refuse([configuration.checkpointURL!]) }
        let batchSize = settings.batchSize
        let data = TrainingBatches(batchCount: (trainIndices.count + batchSize - 1) / batchSize, examples: { $0.inputs.shape[0] }) {
            epoch, first in
            let order = Shuffled(trainIndices, generator: RandomGenerator(seed: seed), epoch: epoch)
            return stride(from: first * batchSize, to: order.count, by: batchSize).lazy.map { start in
                batch(order[start..<min(start + batchSize, order.count)].map { train[$0] }, from: train)
            }
        }
        let trainer = try Trainer(model: model, optimizer: Adam(learningRate: settings.learningRate, weightDecay: settings.weightDecay),
                                  data: data, configuration: configuration,
                                  validation: { Evaluation(score: rolloutRMSE($0, validation, indices: validationIndices, batchSize: batchSize)) }) {
            batch, _ in
            autoregressiveLoss({ model($0) }, input: batch.inputs, targets: batch.targets) + penalty(batch.inputs)
        }
        if let checkpointing {
            if checkpointing.resume, try trainer.resumeIfCheckpointExists() {
                let (path, finished) = (checkpointing.folder.path, trainer.history.count)
                guard finished <= settings.epochs else {   // an uninterrupted run would have stopped sooner
                    throw TrainingError.incompatibleCheckpoint(path: configuration.checkpointURL!.path,
                                                               differences: ["epochs was at least \(finished), now \(settings.epochs)"])
                }
                Console.line(trainer.isFinished ? "\(name): finished in \(path); its best epoch is evaluated again"
                                                : "\(name): resuming \(path) at epoch \(trainer.position.epoch + 1), step \(trainer.position.batch + 1)")
            }
            trainer.shouldStop = checkpointing.shouldStop
        }
        guard try trainer.run() else { return nil }
        if let best = trainer.selection.bestEpoch, trainer.selection.snapshot == nil, let folder = configuration.directory {
            // Only after a resume: best.safetensors is missing or holds another epoch, so the model would keep the last epoch's parameters.
            throw TrainingError.unreadableCheckpoint(path: folder.appendingPathComponent("best.safetensors").path,
                                                     reason: "it does not hold the parameters of the best epoch, \(best + 1)")
        }
        return ((trainer.selection.bestEpoch ?? 0) + 1, trainer.history.map(\.seconds).reduce(0, +))
    }

    /// Table 1: `fit` on `trainWindows` of the train split, then the 20-step Future and Domain RMSE; nil when
    /// `checkpointing` stopped the training.
    public static func train(_ contender: Contender, data: SmokePlumeData, plan: FluidSplitPlan, trainWindows: Int, evaluationWindows: Int,
                             settings: FluidTrainingSettings, seed: UInt64, checkpointing: FluidCheckpointing? = nil) throws -> TableOutcome? {
        let train = data.windows(.train, plan: plan), validation = data.windows(.validation, plan: plan)
        guard let fitted = try fit(contender, train: train, trainIndices: spread(trainWindows, over: train.count), validation: validation,
                                   validationIndices: spread(evaluationWindows, over: validation.count), settings: settings, seed: seed,
                                   checkpointing: checkpointing) else { return nil }
        let start = Date()
        let model = contender.model
        let future = data.windows(.testFuture, plan: plan), domain = data.windows(.testDomain, plan: plan)
        return TableOutcome(future: rolloutRMSE(model, future, indices: spread(evaluationWindows, over: future.count), batchSize: settings.batchSize),
                            domain: rolloutRMSE(model, domain, indices: spread(evaluationWindows, over: domain.count), batchSize: settings.batchSize),
                            bestEpoch: fitted.bestEpoch, seconds: fitted.seconds + Date().timeIntervalSince(start))
    }
}

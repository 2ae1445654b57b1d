import Foundation
import Orbit
import OrbitCommandLine
import OrbitNN
import OrbitOptimizers

/// The training loop every Orbit command uses, and the one to use in your own scripts: epochs of
/// `valueAndGradient` + optional clipping + an optimizer step, a validation after each epoch that selects
/// the best one, early stopping, a learning-rate schedule, checkpoints, metrics and progress.
///
/// ```swift
/// var configuration = TrainingConfiguration(epochs: 10)
/// configuration.learningRate = ExponentialDecay(initial: 1e-3, factor: 0.9)
/// configuration.directory = URL(fileURLWithPath: "runs/mine")
/// let trainer = try Trainer(model: model, optimizer: Adam(), data: TrainingBatches(loader),
///                           configuration: configuration, validation: { Evaluation(score: validationLoss($0)) }) { batch, _ in
///     crossEntropy(model(batch.inputs), labels: batch.labels)
/// }
/// try trainer.resume()                  // only when continuing a stopped run
/// trainer.shouldStop = { interruption.isRequested }
/// let finished = try trainer.run()      // false: stopped at a step boundary, checkpoint saved
/// ```
///
/// Exact resume: batches are a function of (epoch, batch), `TrainingStep.seed` of (seed, epoch, batch),
/// the learning rate of the epoch; the checkpoint holds the rest (weights, optimizer state, position,
/// history), so a run stopped at any step and resumed computes the same steps as one that never stopped.
///
/// Failure: a non-finite loss or gradient norm stops training at that step with `TrainingError.nonFinite`,
/// before the update, leaving the last checkpoint as it was. Files are written atomically, in the order
/// best weights, checkpoint, metrics line; on resume `metrics.jsonl` is rewritten from the checkpoint's
/// history, so after a kill at any point the two agree.
///
/// Data-parallel: given a `GradientCommunicator` (e.g. OrbitDistributed's `MPICommunicator` under
/// `mpirun`), every rank runs this same loop on its shard of each batch and the gradients are summed, so
/// N ranks compute the steps of one process (Trainer+DataParallel.swift, Docs/Distributed.md). Rank 0
/// alone validates, writes the files and prints; `resume()` reads rank 0's files, whatever the rank count.
public final class Trainer<Model: Module, Batch> {
    public let model: Model
    public let optimizer: any Optimizer
    public let data: TrainingBatches<Batch>
    public let configuration: TrainingConfiguration
    public internal(set) var position = TrainingPosition()
    /// The finished epochs, in order.
    public internal(set) var history: [EpochRecord] = []
    /// The best validation epoch so far and a copy of its parameters.
    public internal(set) var selection = BestEpochSelection()
    /// Asked before every step; true saves a checkpoint and makes `run()` return false (data-parallel: on
    /// every rank when any rank's returns true).
    public var shouldStop: () -> Bool = { false }
    /// The ranks this trainer trains with (nil: this process alone).
    public let communicator: (any GradientCommunicator)?
    /// Elements per gradient allreduce (`DataParallel.sumGradients`).
    public var bucketElements = DataParallel.defaultBucketElements

    let loss: (Batch, TrainingStep) -> Tensor
    let validation: ((Model) -> Evaluation)?
    var metrics: MetricsLog?

    /// A trainer at epoch 0. With a `configuration.directory`, the folder is created, temporary files left by
    /// killed writes are removed and `metrics.jsonl` starts empty (call `resume()` to continue a run instead).
    /// With a `communicator`, every rank must construct its trainer (collective; rank 0 alone touches files),
    /// and `data` must be able to slice batches when there is more than one rank.
    public init(model: Model, optimizer: any Optimizer, data: TrainingBatches<Batch>, configuration: TrainingConfiguration,
                communicator: (any GradientCommunicator)? = nil,
                validation: ((Model) -> Evaluation)? = nil, loss: @escaping (Batch, TrainingStep) -> Tensor) throws {
        (self.model, self.optimizer, self.data, self.configuration) = (model, optimizer, data, configuration)
        (self.loss, self.validation, self.communicator) = (loss, validation, communicator)
        requireArgument(configuration.earlyStopping == nil || validation != nil, "Trainer",
                        "\(configuration.name): early stopping needs a validation function")
        requireArgument((communicator?.size ?? 1) == 1 || data.canSlice, "Trainer",
                        "\(configuration.name): data-parallel training over \(communicator?.size ?? 1) ranks needs batches it can cut "
                        + "(TrainingBatches(..., slice:) or a DataLoader's)")
        try onRankZero {   // collective whatever the other ranks' directories: only rank 0's counts
            guard let directory = configuration.directory else { return }
            try TrainingFiles.createDirectory(directory)
            for url in [configuration.checkpointURL, configuration.bestURL].compactMap({ $0 }) {
                SafeTensors.removeStaleTemporaryFiles(of: url)
            }
            metrics = try TrainingFiles.startMetrics(at: configuration.metricsURL!, records: [])
        }
    }

    public var isFinished: Bool { position.epoch >= configuration.epochs || position.stoppedEarly }

    /// Continues from `configuration.directory`'s checkpoint. Throws `TrainingError` when there is none,
    /// when it cannot be read, or when it was made with other `settings` (each difference named).
    /// Data-parallel: collective; rank 0 reads its files and sends the state to the others.
    public func resume() throws {
        try onRankZero { try resumeFromFiles() }
        try broadcastState()
    }

    /// `resume()` when `configuration.directory` holds a checkpoint (data-parallel: when rank 0's does);
    /// returns whether it resumed.
    @discardableResult
    public func resumeIfCheckpointExists() throws -> Bool {
        let found = isRankZero && configuration.checkpointURL.map { FileManager.default.fileExists(atPath: $0.path) } == true
        var exists = [UInt64(found ? 1 : 0)]
        try communicator.map { communicator in try exists.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .maximum) } }
        guard exists[0] == 1 else { return false }
        try resume()
        return true
    }

    private func resumeFromFiles() throws {
        guard let url = configuration.checkpointURL else {
            throw TrainingError.noCheckpoint(name: configuration.name, path: "(training in memory: no directory)")
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TrainingError.noCheckpoint(name: configuration.name, path: url.path)
        }
        let state = try TrainingFiles.readCheckpoint(url, into: model, optimizer: optimizer, settings: configuration.settings)
        (position, history) = (state.position, state.history)
        selection = BestEpochSelection()
        for record in history { if let score = record.validation { selection.record(epoch: record.epoch - 1, validation: score) } }
        if let best = selection.bestEpoch, let bestURL = configuration.bestURL {
            selection.snapshot = try TrainingFiles.readBest(bestURL, epoch: best + 1, like: model)
        }
        metrics = try TrainingFiles.startMetrics(at: configuration.metricsURL!, records: history.map(metricsRecord))
    }

    /// Trains the remaining epochs. Returns false when `shouldStop` stopped it (after saving a checkpoint).
    @discardableResult
    public func run() throws -> Bool {
        try synchronize()
        while !isFinished {
            let started = Date()
            let learningRate = configuration.learningRate.learningRate(at: position.epoch)
            guard learningRate.isFinite && learningRate > 0 else {
                throw TrainingError.invalidLearningRate(name: configuration.name, epoch: position.epoch + 1, value: learningRate)
            }
            optimizer.learningRate = learningRate
            guard try trainEpoch(started: started) else { return false }
            try finishEpoch(learningRate: learningRate, seconds: position.seconds + Date().timeIntervalSince(started))
        }
        if configuration.restoresBestEpoch {
            selection.restoreBest(into: model)
            try broadcastState()   // rank 0 holds the best epoch's weights even when resumed
        }
        return true
    }

    /// The remaining steps of the current epoch, begun (or resumed) at `started`; false when stopped (after
    /// saving a checkpoint that adds the seconds since `started` to the epoch's).
    private func trainEpoch(started: Date) throws -> Bool {
        let name = configuration.name
        let progress = configuration.showsProgress && isRankZero
            ? ProgressBar(label: "\(name) epoch \(position.epoch + 1)/\(configuration.epochs)", total: data.batchCount,
                          startingAt: position.batch) : nil
        var examples = 0
        let parameters = model.parameters
        for batch in data.batches(epoch: position.epoch, startingAt: position.batch) {
            let computed = if let communicator {
                try dataParallelStep(batch, parameters: parameters, communicator: communicator)
            } else {
                localStep(batch, parameters: parameters)
            }
            guard let (value, gradients, count) = computed else {
                position.seconds += Date().timeIntervalSince(started)
                try saveCheckpoint()
                return false
            }
            let step = (epoch: position.epoch, batch: position.batch)
            let norm = gradients.globalNorm
            guard value.isFinite && norm.isFinite else {
                try metrics?.write(["event": "non-finite", "epoch": .integer(step.epoch + 1), "step": .integer(step.batch + 1),
                                    "loss": .number(value), "gradient_norm": .number(norm)])
                let saved = configuration.checkpointURL.flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0.path : nil }
                throw TrainingError.nonFinite(name: name, epoch: step.epoch + 1, step: step.batch + 1, loss: value, gradientNorm: norm,
                                              checkpoint: saved)
            }
            let clipped = configuration.clipNorm.map { clipByGlobalNorm(gradients, maximumNorm: $0).gradients } ?? gradients
            optimizer.update(parameters, with: clipped)
            position.batch += 1
            position.lossSum += value * Double(count)
            position.exampleCount += count
            examples += count
            progress?.update(completed: position.batch, examples: examples,
                             fields: [("loss", String(format: "%.5g", position.lossSum / Double(position.exampleCount)))])
        }
        return true
    }

    /// One step of this process alone: the loss of the whole batch and its gradients, with the number of
    /// examples; nil when `shouldStop` asks to stop (before computing anything).
    private func localStep(_ batch: Batch, parameters: [Parameter]) -> (loss: Double, gradients: Gradients, count: Int)? {
        if shouldStop() { return nil }
        let count = data.exampleCount(batch)
        let step = TrainingStep(epoch: position.epoch, batch: position.batch,
                                seed: Trainer.stepSeed(configuration.seed, epoch: position.epoch, batch: position.batch), examples: 0..<count)
        let (value, gradients) = valueAndGradient(of: parameters) { loss(batch, step) }
        return (value.item, gradients, count)
    }

    /// Validates, records and saves a finished epoch (data-parallel: rank 0 validates and saves, and sends
    /// its evaluation to the others so that all select and stop alike).
    private func finishEpoch(learningRate: Double, seconds trainingSeconds: Double) throws {
        let started = Date()
        var evaluation: Evaluation?
        if let validation, isRankZero {
            model.eval()
            evaluation = validation(model)
            model.train()
        }
        if validation != nil { evaluation = try shareEvaluation(evaluation) }
        let epoch = position.epoch
        let record = EpochRecord(epoch: epoch + 1, trainingLoss: position.lossSum / Double(max(1, position.exampleCount)),
                                 validation: evaluation?.score, metrics: evaluation?.metrics ?? [:], learningRate: learningRate,
                                 seconds: trainingSeconds + Date().timeIntervalSince(started))
        let improved = evaluation.map { selection.record(epoch: epoch, validation: $0.score, module: model) } ?? false
        history.append(record)
        position = TrainingPosition(epoch: epoch + 1)
        if let rule = configuration.earlyStopping, rule.shouldStop(after: history.compactMap(\.validation)) {
            position.stoppedEarly = true
        }
        try onRankZero {
            if improved, let url = configuration.bestURL {
                try TrainingFiles.writeBest(model, epoch: epoch + 1, score: record.validation!, to: url)
            }
            try writeCheckpoint()
            try metrics?.write(metricsRecord(record))
            if let url = configuration.curveURL { try TrainingFiles.writeCurve(history, to: url) }
            if configuration.showsProgress { Console.line(summary(record, improved: improved)) }
        }
        try requireSameWeights()
    }

    /// Writes the checkpoint (weights, optimizer state, position, history, settings) atomically; a no-op
    /// when training in memory. Data-parallel: collective, rank 0 writes.
    public func saveCheckpoint() throws {
        try onRankZero { try writeCheckpoint() }
    }

    private func writeCheckpoint() throws {
        guard let url = configuration.checkpointURL else { return }
        try TrainingFiles.writeCheckpoint(model: model, optimizer: optimizer, position: position, history: history,
                                          settings: configuration.settings, to: url)
    }

    private func metricsRecord(_ record: EpochRecord) -> [String: MetricValue] {
        var fields: [String: MetricValue] = ["epoch": .integer(record.epoch), configuration.lossName: .number(record.trainingLoss),
                                             "learning_rate": .number(record.learningRate), "seconds": .number(record.seconds)]
        if let score = record.validation { fields[configuration.scoreName] = .number(score) }
        for (name, value) in record.metrics { fields[name] = .number(value) }
        return fields
    }

    private func summary(_ record: EpochRecord, improved: Bool) -> String {
        var parts = [String(format: "%@ epoch %d: %@ %.5g", configuration.name, record.epoch, configuration.lossName, record.trainingLoss)]
        if let score = record.validation { parts.append(String(format: "%@ %.5g%@", configuration.scoreName, score, improved ? " (best)" : "")) }
        parts += record.metrics.sorted { $0.key < $1.key }.map { String(format: "%@ %.5g", $0.key, $0.value) }
        return parts.joined(separator: ", ") + String(format: " (%.1f s)", record.seconds)
    }

    /// A seed that depends only on (seed, epoch, batch), and on the first example of a rank's shard when
    /// that is not 0 (so ranks draw different dropout masks).
    static func stepSeed(_ seed: UInt64, epoch: Int, batch: Int, firstExample: Int = 0) -> UInt64 {
        var generator = RandomGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1) &+ UInt64(batch))
        let stepSeed = generator.next()
        guard firstExample > 0 else { return stepSeed }
        var shardGenerator = RandomGenerator(seed: stepSeed ^ (0xD1B5_4A32_D192_ED03 &* UInt64(firstExample)))
        return shardGenerator.next()
    }
}

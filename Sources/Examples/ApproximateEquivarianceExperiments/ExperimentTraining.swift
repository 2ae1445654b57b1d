import Foundation
import Orbit
import OrbitDatasets
import OrbitModels
import OrbitNN
import OrbitOptimizers
import OrbitTraining

/// The protocol of Docs/References.md §A2, §A7: Adam (weight decay 4e-4), StepLR per epoch, the multi-step
/// autoregressive loss over the training targets plus the model's penalty, validation RMSE each epoch,
/// the best validation epoch's parameters (a real copy) restored for the 20-step tests.
struct TrainingSettings {
    var epochs: Int
    var batchSize: Int
    var learningRate: Double
    var decay: Double
    var weightDecay = 4e-4
    /// The reference's early stopping applies after this many epochs (it uses 100).
    var earlyStopAfter: Int
}

struct Outcome {
    let future: Double
    let domain: Double
    let bestEpoch: Int
    let seconds: Double
}

/// Frames arrive with row 0 at the bottom (Docs/Fluids.md); the models' C_N action takes rows downwards
/// (y = -row, `PlanarAction`), so batches are flipped along H, which makes (u, v) the model's (x, y).
func batch(_ windows: some Collection<FluidWindow>, from collection: FluidWindows) -> (inputs: Tensor, targets: Tensor) {
    let collated = FluidBatch(collating: windows, from: collection)
    return (collated.inputs.flipped(axes: [2]), collated.targets.flipped(axes: [3]))
}

/// √(mean over batches of the k-step rollout MSE) on `windows`.
func rolloutRMSE(_ model: any Layer, _ windows: FluidWindows, indices: [Int], batchSize: Int) -> Double {
    var rmse = RolloutRMSE()
    for start in stride(from: 0, to: indices.count, by: batchSize) {
        let chosen = indices[start..<min(start + batchSize, indices.count)].map { windows[$0] }
        let (inputs, targets) = batch(chosen, from: windows)
        rmse.add(predictions: autoregressiveRollout({ model($0) }, input: inputs, steps: windows.targetLength), targets: targets)
    }
    return rmse.value
}

/// `count` indices spread evenly over 0..<total (all of them when count >= total).
func spread(_ count: Int, over total: Int) -> [Int] {
    guard count < total else { return Array(0..<total) }
    return (0..<count).map { $0 * total / count }
}

/// Trains `contender` on the windows `trainIndices` of `train` (reshuffled every epoch) with the library's
/// `Trainer`, scores the validation windows `validationIndices` by their rollout RMSE after each epoch,
/// stops early by the reference's rule, and restores the best epoch's parameters. Returns the best epoch
/// (1-based).
func fit(_ contender: Contender, train: FluidWindows, trainIndices: [Int], validation: FluidWindows, validationIndices: [Int],
         settings: TrainingSettings, seed: UInt64) throws -> Int {
    try fit(contender.model, name: contender.name, penalty: contender.penalty, train: train, trainIndices: trainIndices,
            validation: validation, validationIndices: validationIndices, settings: settings, seed: seed)
}

private func fit<Model: Layer>(_ model: Model, name: String, penalty: @escaping (Tensor) -> Tensor, train: FluidWindows, trainIndices: [Int],
                               validation: FluidWindows, validationIndices: [Int], settings: TrainingSettings, seed: UInt64) throws -> Int {
    var configuration = TrainingConfiguration(epochs: settings.epochs)
    configuration.name = name
    configuration.learningRate = StepDecay(initial: settings.learningRate, stepSize: 1, factor: settings.decay)
    configuration.earlyStopping = .windowedMean(minimumEpochs: settings.earlyStopAfter, window: 5)
    configuration.restoresBestEpoch = true
    (configuration.lossName, configuration.scoreName) = ("training_loss", "validation_rmse")
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
    try trainer.run()
    return (trainer.selection.bestEpoch ?? 0) + 1
}

/// Table 1: `fit` on `trainWindows` of the train split, then the 20-step Future and Domain RMSE.
func train(_ contender: Contender, data: SmokePlumeData, plan: FluidSplitPlan, trainWindows: Int, evaluationWindows: Int,
           settings: TrainingSettings, seed: UInt64) throws -> Outcome {
    let start = Date()
    let train = data.windows(.train, plan: plan), validation = data.windows(.validation, plan: plan)
    let bestEpoch = try fit(contender, train: train, trainIndices: spread(trainWindows, over: train.count), validation: validation,
                        validationIndices: spread(evaluationWindows, over: validation.count), settings: settings, seed: seed)
    let model = contender.model
    let future = data.windows(.testFuture, plan: plan), domain = data.windows(.testDomain, plan: plan)
    return Outcome(future: rolloutRMSE(model, future, indices: spread(evaluationWindows, over: future.count), batchSize: settings.batchSize),
                   domain: rolloutRMSE(model, domain, indices: spread(evaluationWindows, over: domain.count), batchSize: settings.batchSize),
                   bestEpoch: bestEpoch, seconds: Date().timeIntervalSince(start))
}

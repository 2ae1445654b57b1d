import Foundation
import Orbit
import OrbitDatasets
import OrbitModels
import OrbitNN
import OrbitOptimizers
import OrbitTraining

/// The library's `Trainer` set up for one next-step predictor (a G-RNN or a FERNN, any lifted cell) on
/// moving-digit sequences: MSE over the predicted frames, Adam, gradient clipping by global norm, the
/// validation MSE after every epoch, the best epoch's weights kept (the paper's model selection) and put
/// back at the end. Files go to `settings.outputURL/name/` (checkpoint, best weights, metrics, curve).
/// `makeCell` builds the cell from the generator seeded with `settings.seed`; the decoder is drawn after it.
/// The loss of a batch is
///
///     L = MSE(predicted frames, target frames) + penalty(cell)
///
/// (no penalty by default; e.g. `relaxedFlowRegularizer([cell], alpha:)` for a relaxed FERNN, as the
/// approximate-equivariance models add theirs), and the recorded training loss is L. A checkpoint
/// remembers `settings` (without epochs and directories) and `recordedSettings`; resuming with others fails.
/// With a `communicator`, the ranks share each batch (data-parallel, Docs/Distributed.md).
public func makeSequenceTrainer<Cell: LiftedRecurrentCell>(
    name: String, settings: FlowSettings, training: SequenceSource, validation: SequenceSource,
    recordedSettings: [String: String] = [:], penalty: ((Cell) -> Tensor)? = nil, communicator: (any GradientCommunicator)? = nil,
    makeCell: (inout RandomGenerator) -> Cell) throws -> Trainer<FlowPredictor<Cell>, Tensor> {
    var generator = RandomGenerator(seed: settings.seed)
    let cell = makeCell(&generator)
    let model = FlowPredictor(cell: cell, decoderLayers: settings.decoderLayers, detachesFeedback: !settings.feedbackGradient, using: &generator)
    var configuration = TrainingConfiguration(epochs: settings.epochs)
    (configuration.name, configuration.seed, configuration.clipNorm) = (name, settings.seed, settings.clipNorm)
    configuration.learningRate = ExponentialDecay(initial: settings.learningRate, factor: settings.learningRateDecay)
    configuration.earlyStopping = settings.patience > 0 ? .patience(epochs: settings.patience) : nil
    configuration.restoresBestEpoch = true
    configuration.directory = settings.outputURL.appendingPathComponent(name)
    // feedbackGradient and identityRecurrence are recorded only when set, so checkpoints made before they existed still resume.
    let unrecorded = Set(["epochs", "dataDirectory", "outputDirectory"] + (settings.feedbackGradient ? [] : ["feedbackGradient"])
                         + (settings.identityRecurrence ? [] : ["identityRecurrence"]))
    configuration.settings = trainingSettings(of: settings, excluding: unrecorded)
        .merging(recordedSettings) { $1 }
    (configuration.lossName, configuration.scoreName) = ("training_mse", "validation_mse")
    let (inputFrames, predictedFrames) = (settings.inputFrames, settings.predictedFrames)
    let data = TrainingBatches(batchCount: training.batchCount(size: settings.batchSize)) { epoch, first in
        training.batches(size: settings.batchSize, shuffling: RandomGenerator(seed: settings.seed), epoch: epoch, startingAt: first)
    }
    return try Trainer(model: model, optimizer: Adam(learningRate: settings.learningRate), data: data, configuration: configuration,
                       communicator: communicator, validation: { Evaluation(score: meanPredictionError($0, on: validation, settings: settings)) }) { batch, _ in
        let inputs = batch.slice(axis: 1, 0..<inputFrames)
        let targets = batch.slice(axis: 1, inputFrames..<(inputFrames + predictedFrames))
        let error = meanSquaredError(model(inputs, predicting: predictedFrames), targets)
        return penalty.map { error + $0(model.cell) } ?? error
    }
}

/// The mean over the `settings.predictedFrames` predicted steps of the per-step MSE on `source`.
public func meanPredictionError<Cell>(_ model: FlowPredictor<Cell>, on source: SequenceSource, settings: FlowSettings) -> Double {
    let perStep = FlowEvaluation.meanSquaredErrorPerStep(model, on: source, inputFrames: settings.inputFrames, steps: settings.predictedFrames)
    return perStep.reduce(0, +) / Double(perStep.count)
}

/// The training and validation digits of MNIST's training split: the first nine tenths and the last tenth
/// (54,000 and 6,000 of 60,000; the reference trains on about 54,000 sequences per epoch).
public func trainingAndValidationDigits(_ mnist: MNIST) -> (training: DigitPool, validation: DigitPool) {
    let split = mnist.count - mnist.count / 10
    return (DigitPool(mnist, indices: 0..<split), DigitPool(mnist, indices: split..<mnist.count))
}

/// Continues `trainer` from its checkpoint when `resume` is set and one exists (a model that had not
/// started when the run stopped starts fresh).
public func resumeIfPossible<Model, Batch>(_ trainer: Trainer<Model, Batch>, resume: Bool) throws {
    guard resume else { return }
    try trainer.resumeIfCheckpointExists()
}

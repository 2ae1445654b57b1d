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
/// back at the end. Files go to `options.outputURL/name/` (checkpoint, best weights, metrics, curve).
/// `makeCell` builds the cell from the generator seeded with `options.seed`; the decoder is drawn after it.
func makeSequenceTrainer<Cell: LiftedRecurrentCell>(
    name: String, options: FlowOptions, training: SequenceSource, validation: SequenceSource,
    makeCell: (inout RandomGenerator) -> Cell) throws -> Trainer<FlowPredictor<Cell>, Tensor> {
    var generator = RandomGenerator(seed: options.seed)
    let cell = makeCell(&generator)
    let model = FlowPredictor(cell: cell, decoderLayers: options.decoderLayers, using: &generator)
    var configuration = TrainingConfiguration(epochs: options.epochs)
    (configuration.name, configuration.seed, configuration.clipNorm) = (name, options.seed, options.clipNorm)
    configuration.learningRate = ExponentialDecay(initial: options.learningRate, factor: options.learningRateDecay)
    configuration.earlyStopping = options.patience > 0 ? .patience(epochs: options.patience) : nil
    configuration.restoresBestEpoch = true
    configuration.directory = options.outputURL.appendingPathComponent(name)
    configuration.settings = trainingSettings(of: options, excluding: ["epochs", "dataDirectory", "outputDirectory"])
    (configuration.lossName, configuration.scoreName) = ("training_mse", "validation_mse")
    let (inputFrames, predictedFrames) = (options.inputFrames, options.predictedFrames)
    let data = TrainingBatches(batchCount: training.batchCount(size: options.batchSize), examples: { $0.shape[0] }) { epoch, first in
        training.batches(size: options.batchSize, shuffling: RandomGenerator(seed: options.seed), epoch: epoch, startingAt: first)
    }
    return try Trainer(model: model, optimizer: Adam(learningRate: options.learningRate), data: data, configuration: configuration,
                       validation: { Evaluation(score: meanPredictionError($0, on: validation, options: options)) }) { batch, _ in
        let inputs = batch.slice(axis: 1, 0..<inputFrames)
        let targets = batch.slice(axis: 1, inputFrames..<(inputFrames + predictedFrames))
        return meanSquaredError(model(inputs, predicting: predictedFrames), targets)
    }
}

/// The mean over the `options.predictedFrames` predicted steps of the per-step MSE on `source`.
func meanPredictionError<Cell>(_ model: FlowPredictor<Cell>, on source: SequenceSource, options: FlowOptions) -> Double {
    let perStep = FlowEvaluation.meanSquaredErrorPerStep(model, on: source, inputFrames: options.inputFrames, steps: options.predictedFrames)
    return perStep.reduce(0, +) / Double(perStep.count)
}

/// The training and validation digits of MNIST's training split: the first nine tenths and the last tenth
/// (54,000 and 6,000 of 60,000; the reference trains on about 54,000 sequences per epoch).
func trainingAndValidationDigits(_ mnist: MNIST) -> (training: DigitPool, validation: DigitPool) {
    let split = mnist.count - mnist.count / 10
    return (DigitPool(mnist, indices: 0..<split), DigitPool(mnist, indices: split..<mnist.count))
}

/// Continues `trainer` from its checkpoint when `resume` is set and one exists (a model that had not
/// started when the run stopped starts fresh).
func resumeIfPossible<Model, Batch>(_ trainer: Trainer<Model, Batch>, resume: Bool) throws {
    guard resume, let directory = trainer.configuration.directory,
          FileManager.default.fileExists(atPath: directory.appendingPathComponent("checkpoint.safetensors").path) else { return }
    try trainer.resume()
}

import Foundation
import Orbit
import OrbitDatasets
import OrbitModels
import OrbitNN
import OrbitOptimizers
import OrbitTraining

/// The library's `Trainer` set up for one next-step predictor (a G-RNN or a FERNN, any lifted cell) on
/// moving-digit sequences: MSE over the predicted frames, Adam, gradient clipping by global norm, `score`
/// after every epoch. Files go to `options.outputURL/name/` (checkpoint, best weights, metrics, curve).
/// `makeCell` builds the cell from the generator seeded with `options.seed`; the decoder is drawn after it.
func makeSequenceTrainer<Cell: LiftedRecurrentCell>(
    name: String, options: FlowOptions, training: SequenceSource, score: @escaping (FlowPredictor<Cell>) -> Double,
    makeCell: (inout RandomGenerator) -> Cell) throws -> Trainer<FlowPredictor<Cell>, Tensor> {
    var generator = RandomGenerator(seed: options.seed)
    let cell = makeCell(&generator)
    let model = FlowPredictor(cell: cell, decoderLayers: options.decoderLayers, using: &generator)
    var configuration = TrainingConfiguration(epochs: options.epochs)
    (configuration.name, configuration.seed, configuration.clipNorm) = (name, options.seed, options.clipNorm)
    configuration.learningRate = ConstantLearningRate(options.learningRate)
    configuration.directory = options.outputURL.appendingPathComponent(name)
    configuration.settings = trainingSettings(of: options, excluding: ["epochs", "dataDirectory", "outputDirectory"])
    (configuration.lossName, configuration.scoreName) = ("training_mse", "test_mse")
    let (inputFrames, predictedFrames) = (options.inputFrames, options.predictedFrames)
    let data = TrainingBatches(batchCount: training.batchCount(size: options.batchSize), examples: { $0.shape[0] }) { epoch, first in
        training.batches(size: options.batchSize, shuffling: RandomGenerator(seed: options.seed), epoch: epoch, startingAt: first)
    }
    return try Trainer(model: model, optimizer: Adam(learningRate: options.learningRate), data: data, configuration: configuration,
                       validation: { Evaluation(score: score($0)) }) { batch, _ in
        let inputs = batch.slice(axis: 1, 0..<inputFrames)
        let targets = batch.slice(axis: 1, inputFrames..<(inputFrames + predictedFrames))
        return meanSquaredError(model(inputs, predicting: predictedFrames), targets)
    }
}

/// Continues `trainer` from its checkpoint when `resume` is set and one exists (a model that had not
/// started when the run stopped starts fresh).
func resumeIfPossible<Model, Batch>(_ trainer: Trainer<Model, Batch>, resume: Bool) throws {
    guard resume, let directory = trainer.configuration.directory,
          FileManager.default.fileExists(atPath: directory.appendingPathComponent("checkpoint.safetensors").path) else { return }
    try trainer.resume()
}

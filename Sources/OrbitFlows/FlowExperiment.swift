import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitModels
import OrbitNN
import OrbitTraining

/// The comparison `orbit-flows` runs: the same next-step predictor with a G-RNN cell (V = {0}) and with
/// a FERNN cell (V = {-k..k}²), trained on the same Translating MNIST sequences, then tested on held-out
/// sequences of MNIST test digits at the training length and at `lengthFactor` times it.
final class FlowExperiment {
    let options: FlowOptions
    let trainers: [Trainer<FlowPredictor<FlowEquivariantRNNCell>, Tensor>]
    let test: SequenceSource
    let longTest: SequenceSource

    init(options: FlowOptions, resume: Bool) throws {
        self.options = options
        let directory = options.dataDirectory.isEmpty ? try MNIST.defaultDirectory : URL(fileURLWithPath: options.dataDirectory)
        let mnistTraining = try MNIST(split: .training, directory: directory)
        let mnistTest = try MNIST(split: .test, directory: directory)
        let frames = options.inputFrames + options.predictedFrames
        let configuration = { (frameCount: Int) in
            TranslatingMNIST.Configuration(frameCount: frameCount, digitCount: options.digits, velocityRange: options.dataVelocityRange)
        }
        let digits = trainingAndValidationDigits(mnistTraining)
        let training = SequenceSource(TranslatingMNIST(digits: digits.training, count: options.trainingSequences, seed: options.seed,
                                                       configuration: configuration(frames), resamplesEachEpoch: true))
        let validation = SequenceSource(TranslatingMNIST(digits: digits.validation, count: options.validationSequences,
                                                         seed: options.seed &+ 4_000, configuration: configuration(frames)))
        test = SequenceSource(TranslatingMNIST(digits: DigitPool(mnistTest), count: options.testSequences, seed: options.seed &+ 1_000,
                                               configuration: configuration(frames)))
        longTest = SequenceSource(TranslatingMNIST(digits: DigitPool(mnistTest), count: min(options.testSequences, 100),
                                                   seed: options.seed &+ 2_000,
                                                   configuration: configuration(options.inputFrames + options.lengthFactor * options.predictedFrames)))
        trainers = try [("grnn", TranslationFlows.stationary), ("fernn-v\(options.modelVelocityRange)", .grid(range: options.modelVelocityRange))]
            .map { name, flows in
                let trainer = try makeSequenceTrainer(name: name, options: options, training: training, validation: validation) { generator in
                    FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: options.hiddenChannels, flows: flows, using: &generator)
                }
                try resumeIfPossible(trainer, resume: resume)
                return trainer
            }
        try FileManager.default.createDirectory(at: options.outputURL, withIntermediateDirectories: true)
    }

    /// Trains both models in turn; false when stopped (each trainer saves its checkpoint).
    func train(stop: @escaping () -> Bool) throws -> Bool {
        for trainer in trainers {
            trainer.shouldStop = stop
            Console.line("\(trainer.configuration.name): \(trainer.model.parameterCount) parameters, |V| = \(trainer.model.cell.flows.count)")
            guard try trainer.run() else { return false }
        }
        return true
    }


    /// Prints and writes the test table and the length-generalisation curve, and the pictures.
    func report() throws {
        let (predicted, longSteps) = (options.predictedFrames, options.lengthFactor * options.predictedFrames)
        var lines = ["| model | \\|V\\| | parameters | test MSE (\(predicted) steps) | "
                     + (1...options.lengthFactor).map { "MSE at step \($0 * predicted)" }.joined(separator: " | ") + " |",
                     "|---|---|---|---|" + String(repeating: "---|", count: options.lengthFactor)]
        var results: [String: Any] = ["options": options.encoded()]
        for trainer in trainers {
            let testMSE = meanPredictionError(trainer.model, on: test, options: options)
            let curve = FlowEvaluation.meanSquaredErrorPerStep(trainer.model, on: longTest, inputFrames: options.inputFrames, steps: longSteps)
            let name = trainer.configuration.name
            lines.append("| \(name) | \(trainer.model.cell.flows.count) | \(trainer.model.parameterCount) | "
                         + String(format: "%.3e", testMSE) + " | "
                         + (1...options.lengthFactor).map { String(format: "%.3e", curve[$0 * predicted - 1]) }.joined(separator: " | ") + " |")
            results[name] = ["test_mse": testMSE, "length_generalisation_mse": curve,
                             "training_mse": trainer.history.map(\.trainingLoss)] as [String: Any]
        }
        let table = lines.joined(separator: "\n")
        Console.line("\n" + table)
        try Data((table + "\n").utf8).write(to: options.outputURL.appendingPathComponent("results.md"), options: .atomic)
        try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys])
            .write(to: options.outputURL.appendingPathComponent("results.json"), options: .atomic)
        try writePictures(steps: longSteps)
    }

    /// predictions-<i>.png: truth in the first row, then G-RNN and FERNN predicting `steps` frames.
    private func writePictures(steps: Int, examples: Int = 3) throws {
        let frames = longTest.prefix(examples)
        let inputs = frames.slice(axis: 1, 0..<options.inputFrames)
        let predictions = trainers.map { $0.model(inputs, predicting: steps) }
        for example in 0..<frames.shape[0] {
            let truth = frames.slice(axis: 0, index: example)
            let picture = FlowEvaluation.picture(truth: truth, predictions: predictions.map { $0.slice(axis: 0, index: example) },
                                                 inputFrames: options.inputFrames)
            let url = options.outputURL.appendingPathComponent("predictions-\(example).png")
            try picture.writePNG(to: url)
            Console.line("wrote \(url.path) (rows: truth, \(trainers.map(\.configuration.name).joined(separator: ", ")))")
        }
    }
}

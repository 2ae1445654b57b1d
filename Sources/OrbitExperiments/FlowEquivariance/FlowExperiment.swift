import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitModels
import OrbitNN
import OrbitTraining

/// The comparison `orbit-flows` runs (its main job): the same next-step predictor with a G-RNN cell (V = {0}) and with
/// a FERNN cell (V = {-k..k}²), trained on the same Translating MNIST sequences, then tested on held-out
/// sequences of MNIST test digits at the training length and at `lengthFactor` times it.
public final class FlowExperiment {
    public let settings: FlowSettings
    /// The G-RNN's trainer ("grnn") and the FERNN's ("fernn-v<k>"), in that order.
    public let trainers: [Trainer<FlowPredictor<FlowEquivariantRNNCell>, Tensor>]
    /// The test sequences at the training length, and the long ones (`lengthFactor` times the predicted frames).
    public let test: SequenceSource
    public let longTest: SequenceSource
    /// MNIST's test digits (the test sequences above and the shipped models' test set are drawn from them).
    public let testDigits: DigitPool

    /// Reads MNIST, draws the sequences, builds both trainers (continuing from their checkpoints when
    /// `resume` is set and they exist) and creates the output directory. With a `communicator`, the ranks
    /// train each model together (Docs/Distributed.md; call `report` on rank 0 only).
    public init(settings: FlowSettings, resume: Bool, communicator: (any GradientCommunicator)? = nil) throws {
        self.settings = settings
        let directory = settings.dataDirectory.isEmpty ? try MNIST.defaultDirectory : URL(fileURLWithPath: settings.dataDirectory)
        let mnistTraining = try MNIST(split: .training, directory: directory)
        testDigits = DigitPool(try MNIST(split: .test, directory: directory))
        let frames = settings.inputFrames + settings.predictedFrames
        let configuration = { (frameCount: Int) in
            TranslatingMNIST.Configuration(frameCount: frameCount, digitCount: settings.digits, velocityRange: settings.dataVelocityRange)
        }
        let digits = trainingAndValidationDigits(mnistTraining)
        let training = SequenceSource(TranslatingMNIST(digits: digits.training, count: settings.trainingSequences, seed: settings.seed,
                                                       configuration: configuration(frames), resamplesEachEpoch: true))
        let validation = SequenceSource(TranslatingMNIST(digits: digits.validation, count: settings.validationSequences,
                                                         seed: settings.seed &+ 4_000, configuration: configuration(frames)))
        test = SequenceSource(TranslatingMNIST(digits: testDigits, count: settings.testSequences, seed: settings.seed &+ 1_000,
                                               configuration: configuration(frames)))
        longTest = SequenceSource(TranslatingMNIST(digits: testDigits, count: min(settings.testSequences, 100),
                                                   seed: settings.seed &+ 2_000,
                                                   configuration: configuration(settings.inputFrames + settings.lengthFactor * settings.predictedFrames)))
        trainers = try [("grnn", TranslationFlows.stationary), ("fernn-v\(settings.modelVelocityRange)", .grid(range: settings.modelVelocityRange))]
            .map { name, flows in
                let trainer = try makeSequenceTrainer(name: name, settings: settings, training: training, validation: validation,
                                                      communicator: communicator) { generator in
                    FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: settings.hiddenChannels, flows: flows, using: &generator)
                }
                try resumeIfPossible(trainer, resume: resume)
                return trainer
            }
        try FileManager.default.createDirectory(at: settings.outputURL, withIntermediateDirectories: true)
    }

    /// Trains both models in turn; false when `stop` (asked at every step boundary) ended it early (each
    /// trainer saves its checkpoint).
    public func train(stop: @escaping () -> Bool) throws -> Bool {
        for trainer in trainers {
            trainer.shouldStop = stop
            Console.line("\(trainer.configuration.name): \(trainer.model.parameterCount) parameters, |V| = \(trainer.model.cell.flows.count)")
            guard try trainer.run() else { return false }
        }
        return true
    }


    /// Prints the test table and the length-generalisation curve and writes them (results.md, results.json)
    /// and the pictures (predictions-<i>.png) to `settings.outputURL`.
    public func report() throws {
        let (predicted, longSteps) = (settings.predictedFrames, settings.lengthFactor * settings.predictedFrames)
        var lines = ["| model | \\|V\\| | parameters | test MSE (\(predicted) steps) | "
                     + (1...settings.lengthFactor).map { "MSE at step \($0 * predicted)" }.joined(separator: " | ") + " |",
                     "|---|---|---|---|" + String(repeating: "---|", count: settings.lengthFactor)]
        var results: [String: Any] = ["options": settings.encoded()]
        for trainer in trainers {
            let testMSE = meanPredictionError(trainer.model, on: test, settings: settings)
            let curve = FlowEvaluation.meanSquaredErrorPerStep(trainer.model, on: longTest, inputFrames: settings.inputFrames, steps: longSteps)
            let name = trainer.configuration.name
            lines.append("| \(name) | \(trainer.model.cell.flows.count) | \(trainer.model.parameterCount) | "
                         + String(format: "%.3e", testMSE) + " | "
                         + (1...settings.lengthFactor).map { String(format: "%.3e", curve[$0 * predicted - 1]) }.joined(separator: " | ") + " |")
            results[name] = ["test_mse": testMSE, "length_generalisation_mse": curve,
                             "training_mse": trainer.history.map(\.trainingLoss)] as [String: Any]
        }
        let table = lines.joined(separator: "\n")
        Console.line("\n" + table)
        try Data((table + "\n").utf8).write(to: settings.outputURL.appendingPathComponent("results.md"), options: .atomic)
        try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys])
            .write(to: settings.outputURL.appendingPathComponent("results.json"), options: .atomic)
        try writePictures(steps: longSteps)
    }

    /// predictions-<i>.png: the truth, then the G-RNN's and the FERNN's predictions, every 5th step to `steps`
    /// (`FlowEvaluation.strip`).
    private func writePictures(steps: Int, examples: Int = 3) throws {
        let frames = longTest.prefix(examples)
        let inputs = frames.slice(axis: 1, 0..<settings.inputFrames)
        let predictions = trainers.map { $0.model(inputs, predicting: steps) }
        for example in 0..<frames.shape[0] {
            let truth = frames.slice(axis: 0, index: example)
            let picture = FlowEvaluation.strip(truth: truth, predictions: predictions.map { $0.slice(axis: 0, index: example) },
                                               inputFrames: settings.inputFrames, every: 5)
            let url = settings.outputURL.appendingPathComponent("predictions-\(example).png")
            try picture.writePNG(to: url)
            Console.line("wrote \(url.path) (rows: truth, \(trainers.map(\.configuration.name).joined(separator: ", ")); every 5th step)")
        }
    }

    /// The shipped models (`TrainedModels.directory`) rolled out to 70 steps on fixed test sequences
    /// (`TrainedModelComparison`), their tables and pictures written to `settings.outputURL/trained`; a note
    /// and no rows when none ship.
    @discardableResult
    public func compareTrainedModels() throws -> [[TrainedModelComparison.Row]] {
        let directory = try TrainedModels.directory
        guard !(try TrainedModels.manifests(in: directory)).isEmpty else {
            Console.line("no trained models in \(directory.path); skipping the comparison with them")
            return []
        }
        Console.line("\nThe shipped trained models (\(directory.path)), rolled out to 70 steps:")
        return try TrainedModelComparison().run(directory: directory, testDigits: testDigits,
                                                output: settings.outputURL.appendingPathComponent("trained"))
    }
}

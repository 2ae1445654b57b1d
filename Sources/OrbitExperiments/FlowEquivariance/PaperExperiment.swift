import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitModels
import OrbitNN
import OrbitTraining

/// The sequences of one seed of an experiment: training (redrawn every epoch, MNIST training digits),
/// test and long test (fixed, MNIST test digits), and for Translating MNIST one fixed-velocity test set
/// per velocity of the grid {-G..G}², row-major (v.y outer, v.x inner, as `PixelVector.grid`).
public struct PaperExperimentData {
    public let training: SequenceSource
    public let validation: SequenceSource
    public let test: SequenceSource
    public let longTest: SequenceSource
    public let velocityGrid: [SequenceSource]
}

/// One of the FERNN paper's experiments (`orbit-flows --experiment NAME`): for every seed, trains each model
/// of the experiment with the main job's trainer (same predictor, loss, optimizer, checkpoints; resuming
/// works the same) on the same sequences, evaluates it, and finally writes `PaperExperimentReport`
/// (results.md, results.json, PNGs) to `settings.outputURL`. Seed s trains in `<output>/seed-s/<model>/`;
/// its data and initialization come from s. Progress goes to standard output.
public final class PaperExperiment {
    public let experiment: PaperExperimentSettings
    public let settings: FlowSettings
    /// The measurements so far; `run` writes it at the end.
    public let report: PaperExperimentReport
    /// Data-parallel: the ranks train each model together (Docs/Distributed.md); rank 0 writes the report and pictures.
    public var communicator: (any GradientCommunicator)?
    private let trainingDigits: DigitPool
    private let validationDigits: DigitPool
    private let testDigits: DigitPool

    /// Reads MNIST (`settings.dataDirectory`, or the copy inside the repository) and creates the output directory.
    public init(experiment: PaperExperimentSettings, settings: FlowSettings) throws {
        (self.experiment, self.settings) = (experiment, settings)
        let directory = settings.dataDirectory.isEmpty ? try MNIST.defaultDirectory : URL(fileURLWithPath: settings.dataDirectory)
        (trainingDigits, validationDigits) = trainingAndValidationDigits(try MNIST(split: .training, directory: directory))
        testDigits = DigitPool(try MNIST(split: .test, directory: directory))
        report = PaperExperimentReport(experiment: experiment, settings: settings)
        try FileManager.default.createDirectory(at: settings.outputURL, withIntermediateDirectories: true)
    }

    /// The velocities of the fixed-velocity test sets, row-major over {-G..G}² (empty unless translating).
    public var gridVelocities: [PixelVector] {
        experiment.kind == .translating && experiment.gridRange > 0 ? PixelVector.grid(range: experiment.gridRange) : []
    }

    /// The sequences of seed `seed`: training from `seed`, test from `seed + 1000`, long test (input +
    /// lengthFactor × predicted frames) from `seed + 2000`, grid cell i from `seed + 3000 + i`, validation
    /// (held-out training digits) from `seed + 4000`.
    public func data(seed: UInt64) -> PaperExperimentData {
        let (frames, longFrames) = (settings.inputFrames + settings.predictedFrames,
                                    settings.inputFrames + settings.lengthFactor * settings.predictedFrames)
        let (range, digits) = (settings.dataVelocityRange, settings.digits)
        let longCount = min(settings.testSequences, 100)
        func sources<Dataset: EpochSampledDataset & Sendable, Metadata>(
            _ make: (DigitPool, Int, UInt64, Int, Bool) -> Dataset) -> (SequenceSource, SequenceSource, SequenceSource, SequenceSource)
        where Dataset.Element == FrameSequence<Metadata> {
            (SequenceSource(make(trainingDigits, settings.trainingSequences, seed, frames, true)),
             SequenceSource(make(validationDigits, settings.validationSequences, seed &+ 4_000, frames, false)),
             SequenceSource(make(testDigits, settings.testSequences, seed &+ 1_000, frames, false)),
             SequenceSource(make(testDigits, longCount, seed &+ 2_000, longFrames, false)))
        }
        let (training, validation, test, longTest): (SequenceSource, SequenceSource, SequenceSource, SequenceSource)
        switch experiment.kind {
        case .translating:
            (training, validation, test, longTest) = sources { pool, count, seed, frameCount, resamples in
                TranslatingMNIST(digits: pool, count: count, seed: seed,
                                 configuration: .init(frameCount: frameCount, digitCount: digits, velocityRange: range),
                                 resamplesEachEpoch: resamples)
            }
        case .bouncing:
            (training, validation, test, longTest) = sources { pool, count, seed, frameCount, resamples in
                BouncingMNIST(digits: pool, count: count, seed: seed,
                              configuration: .init(frameCount: frameCount, digitCount: digits, velocities: PixelVector.grid(range: range)),
                              resamplesEachEpoch: resamples)
            }
        case .rotating:
            let degrees = (-range...range).map { Double($0) * 360 / Double(experiment.groupOrder) }
            (training, validation, test, longTest) = sources { pool, count, seed, frameCount, resamples in
                RotatingMNIST(digits: pool, count: count, seed: seed,
                              configuration: .init(frameCount: frameCount, digitCount: digits, angularVelocities: degrees),
                              resamplesEachEpoch: resamples)
            }
        }
        let grid = gridVelocities.enumerated().map { index, velocity in
            SequenceSource(TranslatingMNIST.fixedVelocity(velocity, digits: testDigits, count: experiment.gridSequences,
                                                          seed: seed &+ 3_000 &+ UInt64(index), frameCount: frames, digitCount: digits))
        }
        return PaperExperimentData(training: training, validation: validation, test: test, longTest: longTest, velocityGrid: grid)
    }

    /// Trains and evaluates every model for every seed, then writes the report; false when stopped
    /// (checkpoints are saved; `resume: true` continues, finished models are only re-evaluated). `stop` is asked at
    /// every step boundary (e.g. Ctrl-C).
    public func run(resume: Bool, stop: @escaping () -> Bool) throws -> Bool {
        for seed in experiment.seeds {
            var seedSettings = settings
            seedSettings.seed = seed
            seedSettings.outputDirectory = settings.outputURL.appendingPathComponent("seed-\(seed)").path
            let data = data(seed: seed)
            let hidden = settings.hiddenChannels
            let finished: Bool
            switch experiment.kind {
            case .translating, .bouncing:
                finished = try run(seedSettings, data, resume: resume, stop: stop, velocityCount: { (2 * $0 + 1) * (2 * $0 + 1) }) {
                    model, generator in
                    FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: hidden, flows: .grid(range: model.velocityRange),
                                           velocityMixing: model.mixesVelocities ? 3 : 1, using: &generator)
                }
            case .rotating:
                let order = experiment.groupOrder
                finished = try run(seedSettings, data, resume: resume, stop: stop, velocityCount: { 2 * $0 + 1 }) { model, generator in
                    RotationFlowEquivariantRNNCell(inputChannels: 1, hiddenFields: hidden,
                                                   flows: .range(model.velocityRange, groupOrder: order), using: &generator)
                }
            }
            guard finished else { return false }
        }
        if (communicator?.rank ?? 0) == 0 { try report.write() }
        return true
    }

    private func run<Cell: LiftedRecurrentCell>(_ settings: FlowSettings, _ data: PaperExperimentData, resume: Bool, stop: @escaping () -> Bool,
                                                velocityCount: (Int) -> Int,
                                                makeCell: @escaping (PaperExperimentSettings.Model, inout RandomGenerator) -> Cell) throws -> Bool {
        var trained: [(name: String, model: FlowPredictor<Cell>)] = []
        for model in experiment.models {
            let trainer = try makeSequenceTrainer(name: model.description, settings: settings, training: data.training,
                                                  validation: data.validation, communicator: communicator) { makeCell(model, &$0) }
            try resumeIfPossible(trainer, resume: resume)
            trainer.shouldStop = stop
            let name = model.description
            Console.line("seed \(settings.seed), \(name): \(trainer.model.parameterCount) parameters, "
                         + "|V| = \(velocityCount(model.velocityRange))")
            guard try trainer.run() else { return false }
            let evaluationStarted = Date()
            var result = PaperExperimentResult(parameters: trainer.model.parameterCount, velocityCount: velocityCount(model.velocityRange))
            result.testMSE = meanPredictionError(trainer.model, on: data.test, settings: settings)
            result.lengthCurve = FlowEvaluation.meanSquaredErrorPerStep(trainer.model, on: data.longTest, inputFrames: settings.inputFrames,
                                                                        steps: settings.lengthFactor * settings.predictedFrames)
            result.velocityGrid = data.velocityGrid.map { meanPredictionError(trainer.model, on: $0, settings: settings) }
            (result.trainingSeconds, result.evaluationSeconds) = (trainer.history.map(\.seconds).reduce(0, +),
                                                                  Date().timeIntervalSince(evaluationStarted))
            result.trainingLosses = trainer.history.map(\.trainingLoss)
            result.bestValidation = trainer.history.compactMap(\.validation).min() ?? .nan
            Console.line(String(format: "seed %llu, %@: test MSE %.4e (trained %.0f s in all, evaluated %.0f s)", settings.seed, name,
                                result.testMSE, result.trainingSeconds, result.evaluationSeconds))
            report.add(result, model: name, seed: settings.seed)
            trained.append((name, trainer.model))
        }
        if settings.seed == experiment.seeds[0], (communicator?.rank ?? 0) == 0 { try writePictures(trained, data.longTest) }
        return true
    }

    /// predictions-<i>.png (first seed): truth in the first row, then each model predicting the long test, every 5th step.
    private func writePictures<Cell>(_ models: [(name: String, model: FlowPredictor<Cell>)], _ longTest: SequenceSource,
                                     examples: Int = 3) throws {
        let frames = longTest.prefix(examples)
        let inputs = frames.slice(axis: 1, 0..<settings.inputFrames)
        let predictions = models.map { $0.model(inputs, predicting: settings.lengthFactor * settings.predictedFrames) }
        for example in 0..<frames.shape[0] {
            let picture = FlowEvaluation.strip(truth: frames.slice(axis: 0, index: example),
                                               predictions: predictions.map { $0.slice(axis: 0, index: example) },
                                               inputFrames: settings.inputFrames, every: 5)
            try picture.writePNG(to: settings.outputURL.appendingPathComponent("predictions-\(example).png"))
        }
        Console.line("wrote predictions-0..\(frames.shape[0] - 1).png (rows: truth, \(models.map(\.name).joined(separator: ", ")))")
    }
}

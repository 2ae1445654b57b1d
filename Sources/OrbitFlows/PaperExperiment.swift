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
struct ExperimentData {
    let training: SequenceSource
    let validation: SequenceSource
    let test: SequenceSource
    let longTest: SequenceSource
    let velocityGrid: [SequenceSource]
}

/// `orbit-flows --experiment NAME`: for every seed, trains each model of the experiment with the main
/// job's trainer (same predictor, loss, optimizer, checkpoints; `--resume` works the same) on the same
/// sequences, evaluates it, and finally writes `ExperimentReport` (results.md, results.json, PNGs) to
/// `--output`. Seed s trains in `--output/seed-s/<model>/`; its data and initialization come from s.
final class PaperExperiment {
    let experiment: ExperimentOptions
    let options: FlowOptions
    let report: ExperimentReport
    private let trainingDigits: DigitPool
    private let validationDigits: DigitPool
    private let testDigits: DigitPool

    init(experiment: ExperimentOptions, options: FlowOptions) throws {
        (self.experiment, self.options) = (experiment, options)
        let directory = options.dataDirectory.isEmpty ? try MNIST.defaultDirectory : URL(fileURLWithPath: options.dataDirectory)
        (trainingDigits, validationDigits) = trainingAndValidationDigits(try MNIST(split: .training, directory: directory))
        testDigits = DigitPool(try MNIST(split: .test, directory: directory))
        report = ExperimentReport(experiment: experiment, options: options)
        try FileManager.default.createDirectory(at: options.outputURL, withIntermediateDirectories: true)
    }

    /// The velocities of the fixed-velocity test sets, row-major over {-G..G}² (empty unless translating).
    var gridVelocities: [PixelVector] {
        experiment.kind == .translating && experiment.gridRange > 0 ? PixelVector.grid(range: experiment.gridRange) : []
    }

    /// The sequences of seed `seed`: training from `seed`, test from `seed + 1000`, long test (input +
    /// lengthFactor × predicted frames) from `seed + 2000`, grid cell i from `seed + 3000 + i`, validation
    /// (held-out training digits) from `seed + 4000`.
    func data(seed: UInt64) -> ExperimentData {
        let (frames, longFrames) = (options.inputFrames + options.predictedFrames,
                                    options.inputFrames + options.lengthFactor * options.predictedFrames)
        let (range, digits) = (options.dataVelocityRange, options.digits)
        let longCount = min(options.testSequences, 100)
        func sources<Dataset: EpochSampledDataset & Sendable, Metadata>(
            _ make: (DigitPool, Int, UInt64, Int, Bool) -> Dataset) -> (SequenceSource, SequenceSource, SequenceSource, SequenceSource)
        where Dataset.Element == FrameSequence<Metadata> {
            (SequenceSource(make(trainingDigits, options.trainingSequences, seed, frames, true)),
             SequenceSource(make(validationDigits, options.validationSequences, seed &+ 4_000, frames, false)),
             SequenceSource(make(testDigits, options.testSequences, seed &+ 1_000, frames, false)),
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
        return ExperimentData(training: training, validation: validation, test: test, longTest: longTest, velocityGrid: grid)
    }

    /// Trains and evaluates every model for every seed, then writes the report; false when stopped
    /// (checkpoints are saved; `--resume` continues, finished models are only re-evaluated).
    func run(resume: Bool, stop: @escaping () -> Bool) throws -> Bool {
        for seed in experiment.seeds {
            var seedOptions = options
            seedOptions.seed = seed
            seedOptions.outputDirectory = options.outputURL.appendingPathComponent("seed-\(seed)").path
            let data = data(seed: seed)
            let hidden = options.hiddenChannels
            let finished: Bool
            switch experiment.kind {
            case .translating, .bouncing:
                finished = try run(seedOptions, data, resume: resume, stop: stop, velocityCount: { (2 * $0 + 1) * (2 * $0 + 1) }) {
                    model, generator in
                    FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: hidden, flows: .grid(range: model.velocityRange),
                                           velocityMixing: model.mixesVelocities ? 3 : 1, using: &generator)
                }
            case .rotating:
                let order = experiment.groupOrder
                finished = try run(seedOptions, data, resume: resume, stop: stop, velocityCount: { 2 * $0 + 1 }) { model, generator in
                    RotationFlowEquivariantRNNCell(inputChannels: 1, hiddenFields: hidden,
                                                   flows: .range(model.velocityRange, groupOrder: order), using: &generator)
                }
            }
            guard finished else { return false }
        }
        try report.write()
        return true
    }

    private func run<Cell: LiftedRecurrentCell>(_ options: FlowOptions, _ data: ExperimentData, resume: Bool, stop: @escaping () -> Bool,
                                                velocityCount: (Int) -> Int,
                                                makeCell: @escaping (ExperimentOptions.Model, inout RandomGenerator) -> Cell) throws -> Bool {
        var trained: [(name: String, model: FlowPredictor<Cell>)] = []
        for model in experiment.models {
            let trainer = try makeSequenceTrainer(name: model.description, options: options, training: data.training,
                                                  validation: data.validation) { makeCell(model, &$0) }
            try resumeIfPossible(trainer, resume: resume)
            trainer.shouldStop = stop
            let name = model.description
            Console.line("seed \(options.seed), \(name): \(trainer.model.parameterCount) parameters, "
                         + "|V| = \(velocityCount(model.velocityRange))")
            let started = Date()
            guard try trainer.run() else { return false }
            let trainingSeconds = Date().timeIntervalSince(started)
            let evaluationStarted = Date()
            var result = ModelResult(parameters: trainer.model.parameterCount, velocityCount: velocityCount(model.velocityRange))
            result.testMSE = meanPredictionError(trainer.model, on: data.test, options: options)
            result.lengthCurve = FlowEvaluation.meanSquaredErrorPerStep(trainer.model, on: data.longTest, inputFrames: options.inputFrames,
                                                                        steps: options.lengthFactor * options.predictedFrames)
            result.velocityGrid = data.velocityGrid.map { meanPredictionError(trainer.model, on: $0, options: options) }
            (result.trainingSeconds, result.evaluationSeconds) = (trainingSeconds, Date().timeIntervalSince(evaluationStarted))
            result.trainingLosses = trainer.history.map(\.trainingLoss)
            Console.line(String(format: "seed %llu, %@: test MSE %.4e (trained %.0f s, evaluated %.0f s)", options.seed, name,
                                result.testMSE, trainingSeconds, result.evaluationSeconds))
            report.add(result, model: name, seed: options.seed)
            trained.append((name, trainer.model))
        }
        if options.seed == experiment.seeds[0] { try writePictures(trained, data.longTest) }
        return true
    }

    /// predictions-<i>.png (first seed): truth in the first row, then each model predicting the long test.
    private func writePictures<Cell>(_ models: [(name: String, model: FlowPredictor<Cell>)], _ longTest: SequenceSource,
                                     examples: Int = 3) throws {
        let frames = longTest.prefix(examples)
        let inputs = frames.slice(axis: 1, 0..<options.inputFrames)
        let predictions = models.map { $0.model(inputs, predicting: options.lengthFactor * options.predictedFrames) }
        for example in 0..<frames.shape[0] {
            let picture = FlowEvaluation.picture(truth: frames.slice(axis: 0, index: example),
                                                 predictions: predictions.map { $0.slice(axis: 0, index: example) },
                                                 inputFrames: options.inputFrames)
            try picture.writePNG(to: options.outputURL.appendingPathComponent("predictions-\(example).png"))
        }
        Console.line("wrote predictions-0..\(frames.shape[0] - 1).png (rows: truth, \(models.map(\.name).joined(separator: ", ")))")
    }
}

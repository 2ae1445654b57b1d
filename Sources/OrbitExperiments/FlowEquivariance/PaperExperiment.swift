import Foundation
import Orbit
import OrbitCommandLine
import OrbitDatasets
import OrbitImages
import OrbitModels
import OrbitNN
import OrbitTraining

/// The sequences of one seed of an experiment: training (redrawn every epoch, MNIST training digits),
/// test and long test (fixed, MNIST test digits), and one fixed-velocity test set per velocity of
/// `PaperExperiment.gridVelocities` (translating: the grid {-G..G}², row-major, v.y outer and v.x inner as
/// `PixelVector.grid`; between-generators: the data's x-velocities).
public struct PaperExperimentData {
    public let training: SequenceSource
    public let validation: SequenceSource
    public let test: SequenceSource
    public let longTest: SequenceSource
    public let velocityGrid: [SequenceSource]
}

/// MNIST split three ways: training digits (the first nine tenths of the training split), validation
/// digits (its last tenth) and test digits (the test split).
struct ExperimentDigits {
    let training: DigitPool
    let validation: DigitPool
    let test: DigitPool

    /// Reads MNIST from `settings.dataDirectory`, or the copy inside the repository.
    init(settings: FlowSettings) throws {
        let directory = settings.dataDirectory.isEmpty ? try MNIST.defaultDirectory : URL(fileURLWithPath: settings.dataDirectory)
        (training, validation) = trainingAndValidationDigits(try MNIST(split: .training, directory: directory))
        test = DigitPool(try MNIST(split: .test, directory: directory))
    }
}

/// One of the FERNN paper's experiments (`orbit-flows --experiment NAME`): for every seed, trains each model
/// of the experiment with the main job's trainer (same predictor, loss, optimizer, checkpoints; resuming
/// works the same) on the same sequences, evaluates it, and finally writes `PaperExperimentReport`
/// (results.md, results.json, PNGs) to `settings.outputURL`. Seed s trains in `<output>/seed-s/<model>/`;
/// its data and initialization come from s. Progress goes to standard output. (`imperfect` at several
/// levels is `ImperfectFlowExperiment`, one of these per level.)
public final class PaperExperiment {
    public let experiment: PaperExperimentSettings
    public let settings: FlowSettings
    /// The measurements so far; `run` writes it at the end.
    public let report: PaperExperimentReport
    let digits: ExperimentDigits
    /// Data-parallel: the ranks train each model together (Docs/Distributed.md); rank 0 writes the report and pictures.
    public var communicator: (any GradientCommunicator)?

    /// Reads MNIST (`settings.dataDirectory`, or the copy inside the repository) and creates the output directory.
    public convenience init(experiment: PaperExperimentSettings, settings: FlowSettings) throws {
        try self.init(experiment: experiment, settings: settings, digits: try ExperimentDigits(settings: settings))
    }

    init(experiment: PaperExperimentSettings, settings: FlowSettings, digits: ExperimentDigits) throws {
        for model in experiment.models {
            if let reason = experiment.unsupported(model) { throw PaperExperimentError.unsupportedModel(model.description, reason: reason) }
        }
        (self.experiment, self.settings, self.digits) = (experiment, settings, digits)
        report = PaperExperimentReport(experiment: experiment, settings: settings)
        try FileManager.default.createDirectory(at: settings.outputURL, withIntermediateDirectories: true)
    }

    /// The velocities of the fixed-velocity test sets: row-major over {-G..G}² (translating), the data's
    /// x-velocities (between-generators), none otherwise.
    public var gridVelocities: [PixelVector] {
        switch experiment.kind {
        case .translating: experiment.gridRange > 0 ? PixelVector.grid(range: experiment.gridRange) : []
        case .betweenGenerators: PixelVector.horizontal(experiment.xVelocities)
        case .bouncing, .rotating, .imperfect: []
        }
    }

    /// The sequences of seed `seed`: training from `seed`, test from `seed + 1000`, long test (input +
    /// lengthFactor × predicted frames) from `seed + 2000`, fixed-velocity set i from `seed + 3000 + i`,
    /// validation (held-out training digits) from `seed + 4000`.
    public func data(seed: UInt64) -> PaperExperimentData {
        let (frames, longFrames) = (settings.inputFrames + settings.predictedFrames,
                                    settings.inputFrames + settings.lengthFactor * settings.predictedFrames)
        let (range, digitCount) = (settings.dataVelocityRange, settings.digits)
        let longCount = min(settings.testSequences, 100)
        func sources<Dataset: EpochSampledDataset & Sendable, Metadata>(
            _ make: (DigitPool, Int, UInt64, Int, Bool) -> Dataset) -> (SequenceSource, SequenceSource, SequenceSource, SequenceSource)
        where Dataset.Element == FrameSequence<Metadata> {
            (SequenceSource(make(digits.training, settings.trainingSequences, seed, frames, true)),
             SequenceSource(make(digits.validation, settings.validationSequences, seed &+ 4_000, frames, false)),
             SequenceSource(make(digits.test, settings.testSequences, seed &+ 1_000, frames, false)),
             SequenceSource(make(digits.test, longCount, seed &+ 2_000, longFrames, false)))
        }
        func translating(_ velocities: [PixelVector]) -> (SequenceSource, SequenceSource, SequenceSource, SequenceSource) {
            sources { pool, count, seed, frameCount, resamples in
                TranslatingMNIST(digits: pool, count: count, seed: seed,
                                 configuration: .init(frameCount: frameCount, digitCount: digitCount, velocities: velocities),
                                 resamplesEachEpoch: resamples)
            }
        }
        let (training, validation, test, longTest): (SequenceSource, SequenceSource, SequenceSource, SequenceSource)
        switch experiment.kind {
        case .translating: (training, validation, test, longTest) = translating(PixelVector.grid(range: range))
        case .betweenGenerators: (training, validation, test, longTest) = translating(PixelVector.horizontal(experiment.xVelocities))
        case .imperfect:
            let breaking = experiment.breaking
            (training, validation, test, longTest) = sources { pool, count, seed, frameCount, resamples in
                ImperfectTranslatingMNIST(digits: pool, count: count, seed: seed,
                                          configuration: .init(frameCount: frameCount, digitCount: digitCount,
                                                               velocities: PixelVector.grid(range: range), breaking: breaking),
                                          resamplesEachEpoch: resamples)
            }
        case .bouncing:
            (training, validation, test, longTest) = sources { pool, count, seed, frameCount, resamples in
                BouncingMNIST(digits: pool, count: count, seed: seed,
                              configuration: .init(frameCount: frameCount, digitCount: digitCount, velocities: PixelVector.grid(range: range)),
                              resamplesEachEpoch: resamples)
            }
        case .rotating:
            let degrees = (-range...range).map { Double($0) * 360 / Double(experiment.groupOrder) }
            (training, validation, test, longTest) = sources { pool, count, seed, frameCount, resamples in
                RotatingMNIST(digits: pool, count: count, seed: seed,
                              configuration: .init(frameCount: frameCount, digitCount: digitCount, angularVelocities: degrees),
                              resamplesEachEpoch: resamples)
            }
        }
        let grid = gridVelocities.enumerated().map { index, velocity in
            SequenceSource(TranslatingMNIST.fixedVelocity(velocity, digits: digits.test, count: experiment.gridSequences,
                                                          seed: seed &+ 3_000 &+ UInt64(index), frameCount: frames, digitCount: digitCount))
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
            var trained: [(name: String, predict: (Tensor, Int) -> Tensor)] = []
            for model in experiment.models {
                guard let predict = try train(model, seedSettings, data, resume: resume, stop: stop) else { return false }
                trained.append((model.description, predict))
            }
            if seed == experiment.seeds[0], (communicator?.rank ?? 0) == 0 { try writePictures(trained, data.longTest) }
        }
        if (communicator?.rank ?? 0) == 0 { try report.write() }
        return true
    }

    /// predictions-<i>.png (first seed): truth in the first row, then each model predicting the long test, every 5th step.
    private func writePictures(_ models: [(name: String, predict: (Tensor, Int) -> Tensor)], _ longTest: SequenceSource,
                               examples: Int = 3) throws {
        let frames = longTest.prefix(examples)
        let inputs = frames.slice(axis: 1, 0..<settings.inputFrames)
        let predictions = models.map { $0.predict(inputs, settings.lengthFactor * settings.predictedFrames) }
        for example in 0..<frames.shape[0] {
            let picture = FlowEvaluation.strip(truth: frames.slice(axis: 0, index: example),
                                               predictions: predictions.map { $0.slice(axis: 0, index: example) },
                                               inputFrames: settings.inputFrames, every: 5)
            try picture.writePNG(to: settings.outputURL.appendingPathComponent("predictions-\(example).png"))
        }
        Console.line("wrote predictions-0..\(frames.shape[0] - 1).png (rows: truth, \(models.map(\.name).joined(separator: ", ")))")
    }
}

/// Why a `PaperExperiment` refused its settings.
public enum PaperExperimentError: Error, CustomStringConvertible {
    case unsupportedModel(String, reason: String)

    public var description: String {
        switch self {
        case let .unsupportedModel(model, reason): "--models: \(model) cannot run here (\(reason))"
        }
    }
}

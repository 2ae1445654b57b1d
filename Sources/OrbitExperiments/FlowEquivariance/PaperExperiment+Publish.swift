import Foundation
import OrbitModels

extension PaperExperimentSettings.Model {
    /// Whether the model can ship (`PaperExperiment.publish`): a G-RNN or a FERNN over {-K..K}² without V-mixing,
    /// with ReLU or tanh: the predictors `TrainedModels.load` rebuilds.
    public var isPublishable: Bool { cell == .fernn && isGrid && !mixesVelocities }
}

extension PaperExperimentSettings {
    /// The model `name` denotes if this experiment trains it and it can ship (Translating MNIST, `isPublishable`).
    public func publishableModel(_ name: String) -> Model? {
        guard kind == .translating, let model = Model(name), models.contains(model), model.isPublishable else { return nil }
        return model
    }
}

extension PaperExperiment {
    /// Ships trained models: for each of `models` (names as in `--models`), the seed with the lowest best
    /// validation MSE, its best-epoch weights (`seed-<s>/<model>/best.safetensors`) copied into `directory`
    /// as `<d>digit-<model>` with a manifest (`TrainedModels.publish`: configuration, `commit`, the command
    /// that reproduces that seed, training hours, test metrics, SHA-256). Call after `run` finished.
    ///
    /// - Parameter command: the reproducing command for one seed.
    @discardableResult
    public func publish(_ models: [String], to directory: URL, commit: String,
                        command: (UInt64) -> String) throws -> [TrainedModelManifest] {
        try models.map { name in
            guard let model = experiment.publishableModel(name) else {
                throw PublishError.notPublishable(model: name, models: experiment.models.map(\.description), kind: experiment.kind.rawValue)
            }
            let seeds = experiment.seeds.compactMap { seed in report.results[name]?[seed].map { (seed, $0) } }
            guard let (seed, result) = seeds.min(by: { $0.1.bestValidation < $1.1.bestValidation }) else {
                throw PublishError.notTrained(model: name)
            }
            let steps = settings.lengthFactor * settings.predictedFrames
            var metrics = ["test_mse": result.testMSE, "best_validation_mse": result.bestValidation]
            for step in stride(from: settings.predictedFrames, through: steps, by: settings.predictedFrames) {
                metrics["mse_step_\(step)"] = result.lengthCurve[step - 1]
            }
            let manifest = TrainedModelManifest(
                name: "\(settings.digits)digit-\(name)", architecture: name, hiddenChannels: settings.hiddenChannels,
                modelVelocityRange: model.velocityRange, decoderLayers: settings.decoderLayers, inputFrames: settings.inputFrames,
                predictedFrames: settings.predictedFrames, digits: settings.digits, dataVelocityRange: settings.dataVelocityRange,
                seed: seed, commit: commit, command: command(seed), trainingHours: result.trainingSeconds / 3600, metrics: metrics,
                weightsFile: "", sha256: "")
            let weights = settings.outputURL.appendingPathComponent("seed-\(seed)/\(name)/best.safetensors")
            return try TrainedModels.publish(weights: weights, manifest: manifest, to: directory)
        }
    }

    /// Why `publish` refused.
    public enum PublishError: Error, CustomStringConvertible {
        case notPublishable(model: String, models: [String], kind: String)
        case notTrained(model: String)

        public var description: String {
            switch self {
            case let .notPublishable(model, models, kind):
                "--publish: \(model) cannot ship from this run (trained: \(models.joined(separator: ", ")); experiment \(kind); "
                    + "only Translating MNIST G-RNNs and FERNN-vK without V-mixing ship)"
            case let .notTrained(model): "--publish: \(model) has no finished seed in this run"
            }
        }
    }
}

extension PaperExperiment {
    /// The command that reproduces one seed of an `orbit-flows` invocation with `arguments` (without the
    /// program name): its options without --resume, --publish and --trained-commit, with `--seeds <seed>`, as a
    /// `make run` line (each seed is a function of its options alone).
    public static func reproducingCommand(_ arguments: [String], seed: UInt64) -> String {
        var kept: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            let step = argument.contains("=") ? 1 : 2   // an option's value is the next word unless written --name=value
            switch name {
            case "--resume": index += 1
            case "--publish", "--trained-commit": index += step
            case "--seeds":
                kept.append("--seeds \(seed)")
                index += step
            default:
                kept.append(argument)
                index += 1
            }
        }
        if !kept.contains(where: { $0.hasPrefix("--seeds") }) { kept.append("--seeds \(seed)") }
        return "make run ARGS=\"" + kept.joined(separator: " ") + "\""
    }

    /// The current directory's git HEAD commit (`git rev-parse HEAD`), or "unknown".
    public static func currentCommit() -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "HEAD"]
        let pipe = Pipe()
        (process.standardOutput, process.standardError) = (pipe, FileHandle.nullDevice)
        guard (try? process.run()) != nil else { return "unknown" }
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !output.isEmpty ? output : "unknown"
    }
}

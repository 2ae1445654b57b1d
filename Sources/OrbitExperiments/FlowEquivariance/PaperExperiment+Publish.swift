import Foundation
import OrbitModels

extension PaperExperimentSettings.Model {
    /// Whether the model can ship (`PaperExperiment.publish`): a G-RNN or a FERNN over {-K..K}² without V-mixing,
    /// the predictors `TrainedModels.load` rebuilds.
    public var isPublishable: Bool { cell == .fernn && isGrid && !mixesVelocities }
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
            guard let model = PaperExperimentSettings.Model(name), experiment.models.contains(model), model.isPublishable,
                  experiment.kind == .translating else {
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

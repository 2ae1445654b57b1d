import Foundation
import OrbitDatasets
import OrbitModels
import OrbitTraining

/// The settings of the approximate-equivariance experiments (Wang, Walters and Yu, ICML 2022): Table 1 on
/// one smoke-plume design (`SmokePlumeExperiment`) and section 5.2's equivariance levels
/// (`EquivarianceLevelExperiment`). The command `ApproximateEquivarianceExperiments` parses them from its
/// options; the defaults here are its defaults.
public struct ApproximateEquivarianceSettings: Sendable {
    /// The windows of each sequence: the paper's split, or a small one for smoke tests.
    public enum Plan: String, CaseIterable, Sendable { case paper, small }

    /// The symmetry of the smoke-plume design (Table 1).
    public var symmetry: SmokePlumeDesign.Symmetry
    /// The Table 1 columns trained (Table 1; the levels experiment always trains Conv, the steerable model and RSteer).
    public var models: [TableModel]
    /// Sizes of the models; `inputFrames` and `size` are set by each experiment.
    public var modelSettings: ModelSettings
    public var training: FluidTrainingSettings
    public var plan = Plan.paper
    /// Use only the first n training and n test-domain tasks (0: all).
    public var taskLimit = 0
    public var seeds: [UInt64] = [0, 1, 2]
    /// Training windows used per epoch (spread over all tasks and starts), and windows per validation and test split.
    public var trainWindows = 1_000
    public var evaluationWindows = 200
    /// The directory of cached simulations.
    public var cache = ".build/fluids-cache"
    /// Table 1: the markdown file to write; levels: the path without extension. Empty: the experiment's
    /// default under Docs/results/.
    public var output = ""
    /// Levels: the data sets of growing equivariance error to train on, each in 0...16, in this order.
    public var levels = Array(0..<10)
    /// Levels: the 64 x 64 fields averaged over pool x pool blocks (a divisor of 64).
    public var pool = 1
    /// Every trained model gets a folder under this one for the `Trainer`'s files (checkpoint.safetensors each
    /// epoch, best.safetensors, metrics.jsonl, training-curve.png): `<checkpoints>/table-<symmetry>/seed-<s>/<model>/`
    /// for Table 1, `<checkpoints>/levels/level-<l>/seed-<s>/<model>/` for the levels, `<model>` the Table 1
    /// name in lower case (conv, equiv, rsteer, ...; `modelFolder`).
    public var checkpoints = "runs/approximate-equivariance"

    /// The command's defaults for `symmetry`: its default models, hidden 32, 5 layers, 2 filter banks,
    /// alpha 1e-5; 30 epochs, batch 8, learning rate 1e-3, decay 0.95, early stopping after 100 epochs.
    public init(symmetry: SmokePlumeDesign.Symmetry = .rotation) {
        self.symmetry = symmetry
        models = TableModel.defaults(for: symmetry)
        modelSettings = ModelSettings(hidden: 32, layers: 5, bankCount: 2, alpha: 1e-5, size: 64)
        training = FluidTrainingSettings(epochs: 30, batchSize: 8, learningRate: 1e-3, decay: 0.95, earlyStopAfter: 100)
    }

    /// The small plan: train starts 0..<20, validation 20..<25, test-future 25..<30, test-domain 0..<5.
    public static let smallPlan = FluidSplitPlan(trainStarts: 0..<20, validationStarts: 20..<25, testFutureStarts: 25..<30,
                                                 testDomainStarts: 0..<5)

    /// The split of `plan`.
    public var splitPlan: FluidSplitPlan { plan == .small ? Self.smallPlan : .paper }

    /// The folder of `model` trained with `seed` under `checkpoints/<experiment>/` (e.g. "table-rotation",
    /// "levels/level-3"): `.../seed-<seed>/<model's Table 1 name in lower case>`.
    public func modelFolder(_ model: TableModel, experiment: String, seed: UInt64) -> URL {
        URL(fileURLWithPath: checkpoints).appendingPathComponent("\(experiment)/seed-\(seed)/\(model.rawValue.lowercased())")
    }

    /// The options that change what one model learns, as its checkpoint records them (`TrainingConfiguration.settings`;
    /// resuming with any of them changed is refused, each difference named): `sizes` (the model settings as the
    /// experiment sets them: widths, alpha, the penalties' weights, RSteer's initialization), `training` without
    /// `epochs` (a finished run may be extended; `FluidTraining.fit` refuses fewer epochs than were trained), the
    /// experiment, the model's name and the seed. Each experiment adds the options of its data.
    func recordedSettings(experiment: String, model: String, _ sizes: ModelSettings, seed: UInt64) -> [String: String] {
        trainingSettings(of: sizes).merging(trainingSettings(of: training, excluding: ["epochs"])) { $1 }
            .merging(["experiment": experiment, "model": model, "seed": "\(seed)"]) { $1 }
    }
}

/// A run without resuming found checkpoints an earlier run left: it refuses rather than overwrite them.
public struct ExistingCheckpointError: Error, CustomStringConvertible, Equatable {
    /// The model folders that hold a checkpoint.
    public let folders: [String]

    public var description: String {
        let more = folders.count > 1 ? " (and \(folders.count - 1) more model folder\(folders.count > 2 ? "s" : ""))" : ""
        return "\(folders[0]) already holds a checkpoint\(more); pass --resume to continue from it, "
            + "or choose another --checkpoints folder to start afresh"
    }

    /// Throws when any of `checkpoints` (checkpoint.safetensors files) exists, naming their folders.
    public static func refuse(_ checkpoints: [URL]) throws(ExistingCheckpointError) {
        let found = checkpoints.filter { FileManager.default.fileExists(atPath: $0.path) }
        guard found.isEmpty else { throw ExistingCheckpointError(folders: found.map { $0.deletingLastPathComponent().path }) }
    }
}

/// "mean ± std" over seeds with four decimals (`Evaluate.meanAndDeviation`).
func meanAndDeviation(_ values: [Double]) -> String {
    let (mean, deviation) = Evaluate.meanAndDeviation(values)
    return String(format: "%.4f ± %.4f", mean, deviation)
}

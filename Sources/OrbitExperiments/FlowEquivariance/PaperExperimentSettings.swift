import Foundation
import OrbitDatasets

/// The settings of one of the FERNN paper's experiments at a reduced scale (`PaperExperiment`; the command
/// `orbit-flows --experiment NAME` parses them). Data and training settings (frames, hidden size,
/// sequences, epochs, ...) are the `FlowSettings`; these choose the experiment, the seeds and the models
/// compared (`Model`: names such as `grnn`, `fernn-v2`, `fernn-x4-step2`, `relaxed-fernn-v1`).
///
/// - `translating`: Translating MNIST. Every model on the same data (velocities {-R..R}², R =
///   `--data-velocities`), for every seed: test MSE (mean ± std over seeds), MSE per future step up to
///   `--length-factor` × the trained length, and velocity generalisation: the MSE on fixed-velocity test
///   sets for each velocity of {-G..G}², G = `--grid-range` (a heat-map PNG per model).
/// - `bouncing`: Bouncing MNIST (28×48, elastic collisions; no torus), e.g. FERNN with and without V-mixing.
/// - `rotating`: Rotating MNIST with C_N rotation FERNNs (`--group-order`); data angular velocities are
///   {-R..R} × 360/N degrees per frame, and `--hidden` counts regular fields (hidden·N channels).
/// - `betweenGenerators` (`between-generators`, the FERNN rebuttal's test): Translating MNIST whose digits
///   move along x at `xVelocities` (-5..5, y = 0); besides the test table, the MSE on one fixed-velocity
///   test set per data velocity, its average over them, and a line plot against the velocity.
/// - `imperfect` (issue 17): `ImperfectTranslatingMNIST` (velocities {-R..R}²) whose motion departs from
///   the flows by `breaking` (`FlowBreaking`: kind and level). One `PaperExperiment` is one level; the
///   command runs `ImperfectFlowExperiment`, one per level of `levels`, which adds the learned
///   flow-equivariance error to the test MSE and plots both against the level.
public struct PaperExperimentSettings: Equatable, Sendable {
    /// The data set of the experiment (above).
    public enum Kind: String, CaseIterable, Sendable {
        case translating, bouncing, rotating
        case betweenGenerators = "between-generators"
        case imperfect
    }

    public var kind: Kind
    /// Every model is trained once per seed; the tables report mean ± std over them.
    public var seeds: [UInt64] = [1, 2, 3]
    public var models: [Model]
    /// G: the velocity-generalisation grid is {-G..G}² (translating only; 0 skips it).
    public var gridRange = 2
    /// Sequences of each fixed-velocity test set (translating's grid, between-generators' velocities).
    public var gridSequences = 100
    /// N of the rotation group C_N (rotating only).
    public var groupOrder = 8
    /// between-generators: the data's x-velocities in pixels per frame (y = 0), each also a fixed-velocity test set.
    public var xVelocities = Array(-5...5)
    /// imperfect: how far the data's motion departs from exact flows (this run's kind and level).
    public var breaking = FlowBreaking(.drift, level: 0)
    /// imperfect: the levels `ImperfectFlowExperiment` runs, one `PaperExperiment` each (`breaking.level` set to it).
    public var levels = [0, 1, 2, 3]
    /// imperfect: sequences of the test set on which the learned flow-equivariance error is measured.
    public var equivarianceSequences = 20
    /// Relaxed FERNNs: L, the shared filter banks, and α of `relaxedFlowRegularizer`, added to the training loss.
    public var bankCount = 2
    public var relaxedAlpha = 0.01

    /// The models each experiment compares unless told otherwise: for between-generators the G-RNN and
    /// FERNNs over x-velocity sets of growing size, the last covering every data velocity (the shape of the
    /// rebuttal's comparison, whose sets it does not state); for imperfect the G-RNN, G-RNN+, FERNN and relaxed FERNN over V = {-1..1}².
    public static let defaultModels: [Kind: [Model]] = [
        .translating: [Model(velocityRange: 0), Model(velocityRange: 1), Model(velocityRange: 2)],
        .bouncing: [Model(velocityRange: 0), Model(velocityRange: 1), Model(velocityRange: 1, mixesVelocities: true)],
        .rotating: [Model(velocityRange: 0), Model(velocityRange: 1)],
        .betweenGenerators: [Model(velocityRange: 0)] + (1...5).map { Model(horizontalRange: $0) },
        .imperfect: [Model(velocityRange: 0), Model(.learnedShift, velocityRange: 1), Model(velocityRange: 1), Model(.relaxed, velocityRange: 1)],
    ]

    /// An experiment of `kind` comparing `models` (default: `defaultModels[kind]`), with the default seeds and grid.
    public init(kind: Kind, models: [Model]? = nil) {
        (self.kind, self.models) = (kind, models ?? Self.defaultModels[kind]!)
    }

    /// Why `model` cannot run in this experiment, or nil when it can: rotation flows take only the
    /// FERNN over {-K..K} steps; V-mixing only grid sets of the FERNN.
    public func unsupported(_ model: Model) -> String? {
        if kind == .rotating, model.cell != .fernn || !model.isGrid || model.mixesVelocities {
            return "grnn or fernn-vK for rotation flows"
        }
        return nil
    }

    /// The checkpoints a resumed run continues from: `<output>/seed-<s>/<model>/checkpoint.safetensors`
    /// (for `imperfect`, the levels' folders `<output>/level-<l>/` hold these).
    public func checkpoints(in output: URL) -> [URL] {
        let folders = kind == .imperfect ? levels.map { output.appendingPathComponent("level-\($0)") } : [output]
        return folders.flatMap { folder in
            seeds.flatMap { seed in models.map { folder.appendingPathComponent("seed-\(seed)/\($0)/checkpoint.safetensors") } }
        }
    }
}

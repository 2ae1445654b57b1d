import Foundation
import OrbitCommandLine

/// The settings of `orbit-flows --experiment NAME`, the FERNN paper's experiments at a reduced scale.
/// Data and training settings (frames, hidden size, sequences, epochs, ...) are the `FlowOptions`;
/// these choose the experiment, the seeds and the models compared.
///
/// - `translating`: Translating MNIST. Every model on the same data (velocities {-R..R}², R =
///   `--data-velocities`), for every seed: test MSE (mean ± std over seeds), MSE per future step up to
///   `--length-factor` × the trained length, and velocity generalisation: the MSE on fixed-velocity test
///   sets for each velocity of {-G..G}², G = `--grid-range` (a heat-map PNG per model).
/// - `bouncing`: Bouncing MNIST (28×48, elastic collisions; no torus), e.g. FERNN with and without V-mixing.
/// - `rotating`: Rotating MNIST with C_N rotation FERNNs (`--group-order`); data angular velocities are
///   {-R..R} × 360/N degrees per frame, and `--hidden` counts regular fields (hidden·N channels).
struct ExperimentOptions: Equatable {
    enum Kind: String, CaseIterable {
        case translating, bouncing, rotating
    }

    /// One compared model: "grnn" (V = {0}), "fernn-vK" (V = {-K..K}² for translation, {-K..K} group
    /// steps for rotation), and for translation flows "fernn-vK-mix" (with V-mixing, W of extent 3×3 over V).
    struct Model: Equatable, CustomStringConvertible {
        var velocityRange: Int
        var mixesVelocities: Bool

        init(_ name: String) throws {
            let parts = name.lowercased().split(separator: "-").map(String.init)
            if parts == ["grnn"] {
                (velocityRange, mixesVelocities) = (0, false)
            } else if (2...3).contains(parts.count), parts[0] == "fernn", parts[1].hasPrefix("v"), let range = Int(parts[1].dropFirst()),
                      range >= 0, parts.count == 2 || parts[2] == "mix" {
                (velocityRange, mixesVelocities) = (range, parts.count == 3)
            } else {
                throw ArgumentError.invalidValue(option: "models", value: name, expected: "grnn, fernn-vK or fernn-vK-mix")
            }
        }

        var description: String {
            velocityRange == 0 && !mixesVelocities ? "grnn" : "fernn-v\(velocityRange)" + (mixesVelocities ? "-mix" : "")
        }
    }

    var kind: Kind
    var seeds: [UInt64] = [1, 2, 3]
    var models: [Model]
    /// G: the velocity-generalisation grid is {-G..G}² (translating only; 0 skips it).
    var gridRange = 2
    /// Sequences of each fixed-velocity test set.
    var gridSequences = 100
    /// N of the rotation group C_N (rotating only).
    var groupOrder = 8

    static let defaultModels: [Kind: String] = [
        .translating: "grnn,fernn-v1,fernn-v2", .bouncing: "grnn,fernn-v1,fernn-v1-mix", .rotating: "grnn,fernn-v1",
    ]

    static let options: [Option] = [
        Option("experiment", default: "", help: "run a paper experiment instead of the main job: translating, bouncing or rotating"),
        Option("seeds", default: "1,2,3", help: "experiments: comma-separated seeds (the table reports mean ± std over them)"),
        Option("models", default: "", help: "experiments: comma-separated models, grnn, fernn-vK, fernn-vK-mix (default per experiment)"),
        Option("grid-range", default: "2", help: "translating: G, test each velocity of {-G..G}^2 separately (0: skip)"),
        Option("grid-sequences", default: "100", help: "translating: sequences per fixed-velocity test set"),
        Option("group-order", default: "8", help: "rotating: N of C_N; flows and data velocities are multiples of 360/N degrees"),
    ]

    /// The experiment chosen by `--experiment`, or nil for the main job. Each option is checked on its
    /// own; a bad value throws an `ArgumentError` naming it and the accepted values.
    static func parse(_ arguments: Arguments) throws -> ExperimentOptions? {
        guard try !arguments.value("experiment", as: String.self).isEmpty else { return nil }
        let kind = try arguments.choice("experiment", as: Kind.self)
        let modelList: String = try arguments.value("models")
        let models = modelList.isEmpty ? defaultModels[kind]! : modelList
        var experiment = ExperimentOptions(kind: kind, models: try models.split(separator: ",").map { try Model(String($0)) })
        guard !experiment.models.isEmpty else {
            throw ArgumentError.invalidValue(option: "models", value: modelList, expected: "grnn, fernn-vK or fernn-vK-mix, comma-separated")
        }
        experiment.seeds = try arguments.list("seeds", of: UInt64.self)
        experiment.gridRange = try arguments.value("grid-range", in: 0...)
        experiment.gridSequences = try arguments.value("grid-sequences", in: 1...)
        experiment.groupOrder = try arguments.value("group-order", in: 1...)
        if kind == .rotating, experiment.models.contains(where: \.mixesVelocities) {
            throw ArgumentError.invalidValue(option: "models", value: modelList, expected: "no V-mixing for rotation flows")
        }
        return experiment
    }

    /// Where `--resume` looks for checkpoints: `<output>/seed-<s>/<model>/checkpoint.safetensors`.
    func checkpoints(in output: URL) -> [URL] {
        seeds.flatMap { seed in
            models.map { output.appendingPathComponent("seed-\(seed)/\($0)/checkpoint.safetensors") }
        }
    }
}

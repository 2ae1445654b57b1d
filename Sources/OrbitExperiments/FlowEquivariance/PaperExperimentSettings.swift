import Foundation

/// The settings of one of the FERNN paper's experiments at a reduced scale (`PaperExperiment`; the command
/// `orbit-flows --experiment NAME` parses them). Data and training settings (frames, hidden size,
/// sequences, epochs, ...) are the `FlowSettings`; these choose the experiment, the seeds and the models compared.
///
/// - `translating`: Translating MNIST. Every model on the same data (velocities {-R..R}², R =
///   `--data-velocities`), for every seed: test MSE (mean ± std over seeds), MSE per future step up to
///   `--length-factor` × the trained length, and velocity generalisation: the MSE on fixed-velocity test
///   sets for each velocity of {-G..G}², G = `--grid-range` (a heat-map PNG per model).
/// - `bouncing`: Bouncing MNIST (28×48, elastic collisions; no torus), e.g. FERNN with and without V-mixing.
/// - `rotating`: Rotating MNIST with C_N rotation FERNNs (`--group-order`); data angular velocities are
///   {-R..R} × 360/N degrees per frame, and `--hidden` counts regular fields (hidden·N channels).
public struct PaperExperimentSettings: Equatable, Sendable {
    /// The data set of the experiment (above).
    public enum Kind: String, CaseIterable, Sendable {
        case translating, bouncing, rotating
    }

    /// One compared model: "grnn" (V = {0}), "fernn-vK" (V = {-K..K}² for translation, {-K..K} group
    /// steps for rotation), and for translation flows "fernn-vK-mix" (with V-mixing, W of extent 3×3 over V).
    public struct Model: Equatable, Sendable, CustomStringConvertible {
        /// K: V = {-K..K}² (translation) or {-K..K} group steps (rotation); 0 for the G-RNN.
        public var velocityRange: Int
        /// Whether the FERNN mixes velocities (W of extent 3×3 over V).
        public var mixesVelocities: Bool

        /// A model with V = {-velocityRange..velocityRange}² (0 and no mixing: the G-RNN).
        public init(velocityRange: Int, mixesVelocities: Bool = false) {
            (self.velocityRange, self.mixesVelocities) = (velocityRange, mixesVelocities)
        }

        /// The model a name denotes ("grnn", "fernn-vK", "fernn-vK-mix"; any case); nil for any other name.
        public init?(_ name: String) {
            let parts = name.lowercased().split(separator: "-").map(String.init)
            if parts == ["grnn"] {
                (velocityRange, mixesVelocities) = (0, false)
            } else if (2...3).contains(parts.count), parts[0] == "fernn", parts[1].hasPrefix("v"), let range = Int(parts[1].dropFirst()),
                      range >= 0, parts.count == 2 || parts[2] == "mix" {
                (velocityRange, mixesVelocities) = (range, parts.count == 3)
            } else {
                return nil
            }
        }

        /// The model's name, as accepted by `init(_:)`: "grnn", "fernn-vK" or "fernn-vK-mix".
        public var description: String {
            velocityRange == 0 && !mixesVelocities ? "grnn" : "fernn-v\(velocityRange)" + (mixesVelocities ? "-mix" : "")
        }
    }

    public var kind: Kind
    /// Every model is trained once per seed; the tables report mean ± std over them.
    public var seeds: [UInt64] = [1, 2, 3]
    public var models: [Model]
    /// G: the velocity-generalisation grid is {-G..G}² (translating only; 0 skips it).
    public var gridRange = 2
    /// Sequences of each fixed-velocity test set.
    public var gridSequences = 100
    /// N of the rotation group C_N (rotating only).
    public var groupOrder = 8

    /// The models each experiment compares unless told otherwise.
    public static let defaultModels: [Kind: [Model]] = [
        .translating: [Model(velocityRange: 0), Model(velocityRange: 1), Model(velocityRange: 2)],
        .bouncing: [Model(velocityRange: 0), Model(velocityRange: 1), Model(velocityRange: 1, mixesVelocities: true)],
        .rotating: [Model(velocityRange: 0), Model(velocityRange: 1)],
    ]

    /// An experiment of `kind` comparing `models` (default: `defaultModels[kind]`), with the default seeds and grid.
    public init(kind: Kind, models: [Model]? = nil) {
        (self.kind, self.models) = (kind, models ?? Self.defaultModels[kind]!)
    }

    /// The checkpoints a resumed run continues from: `<output>/seed-<s>/<model>/checkpoint.safetensors`.
    public func checkpoints(in output: URL) -> [URL] {
        seeds.flatMap { seed in
            models.map { output.appendingPathComponent("seed-\(seed)/\($0)/checkpoint.safetensors") }
        }
    }
}

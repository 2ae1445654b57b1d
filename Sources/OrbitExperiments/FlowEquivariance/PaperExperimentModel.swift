import Foundation
import OrbitNN

extension PaperExperimentSettings {
    /// One compared model, named by its cell and its velocity set V:
    ///
    /// | name | cell | V |
    /// |---|---|---|
    /// | `grnn` | `FlowEquivariantRNNCell` (the G-RNN) | {(0, 0)} |
    /// | `fernn-vK` | `FlowEquivariantRNNCell` | {-K..K}² ((2K+1)² velocities; rotation: {-K..K} group steps) |
    /// | `fernn-vK-mix` | same, with V-mixing (W of extent 3×3 over V) | {-K..K}² |
    /// | `fernn-xK` | `FlowEquivariantRNNCell` | x-velocities {-K..K}, y = 0 (2K+1 velocities) |
    /// | `fernn-xK-stepS` | `FlowEquivariantRNNCell` | x-velocities {-K, -K+S, .., K}, S ≥ 2 dividing K (2K/S+1) |
    /// | `grnn-plus-…` | `LearnedShiftRNNCell` (G-RNN+) | learned kernels for V (`-vK` or `-xK[-stepS]`) |
    /// | `relaxed-fernn-…` | `RelaxedFlowEquivariantRNNCell` | V as above, L = `bankCount` banks |
    ///
    /// e.g. `fernn-x4-step2` is V = {-4, -2, 0, 2, 4} along x (the rebuttal's velocities between
    /// generators: data moving at ±1, ±3 lies between its flows), `fernn-x5` is {-5..5}, `grnn-plus-v1`
    /// and `relaxed-fernn-v1` have V = {-1..1}². Names are case-insensitive and name the run's folders.
    ///
    /// A `-tanh` suffix on `grnn` or a `fernn-…` name (`fernn-v2-tanh`) makes the cell's σ tanh instead of
    /// ReLU (the paper's KTH models use tanh): a bounded state, so the closed loop is no longer positively
    /// homogeneous (Docs/FlowEquivariance.md §4).
    public struct Model: Hashable, Sendable, CustomStringConvertible {
        /// The recurrent cell of the predictor.
        public enum Cell: String, Sendable, CaseIterable {
            /// `FlowEquivariantRNNCell` (the G-RNN when V = {0}; the rotation FERNN in the rotating experiment).
            case fernn
            /// `LearnedShiftRNNCell`: the G-RNN+ baseline, a learned s×s filter per velocity instead of its flow.
            case learnedShift = "grnn-plus"
            /// `RelaxedFlowEquivariantRNNCell`: L shared banks mixed per velocity, trained with `relaxedFlowRegularizer`.
            case relaxed = "relaxed-fernn"
        }

        public var cell: Cell
        /// K: V = {-K..K}² (translation) or {-K..K} group steps (rotation), or x-velocities up to ±K; 0 for the G-RNN.
        public var velocityRange: Int
        /// nil: the grid {-K..K}²; S: the x-velocities {-K, -K+S, .., K} (y = 0), S dividing K.
        public var horizontalStep: Int?
        /// Whether the FERNN mixes velocities (W of extent 3×3 over V).
        public var mixesVelocities: Bool
        /// The cell's σ (`fernn` cells only; the others use ReLU).
        public var activation: FlowEquivariantRNNCell.Activation = .relu

        /// A model over V = {-velocityRange..velocityRange}² (the FERNN with range 0 and no mixing: the G-RNN).
        public init(_ cell: Cell = .fernn, velocityRange: Int, mixesVelocities: Bool = false) {
            (self.cell, self.velocityRange, self.horizontalStep, self.mixesVelocities) = (cell, velocityRange, nil, mixesVelocities)
        }

        /// A model over the x-velocities {-range, -range+step, .., range} (y = 0).
        public init(_ cell: Cell = .fernn, horizontalRange range: Int, step: Int = 1) {
            (self.cell, velocityRange, horizontalStep, mixesVelocities) = (cell, range, step, false)
        }

        /// The model a name denotes (table above; any case); nil for any other name.
        public init?(_ name: String) {
            var lowered = name.lowercased()
            let tanh = lowered.hasSuffix("-tanh")
            if tanh { lowered.removeLast("-tanh".count) }
            guard let model = Model(parsingReLU: lowered), !tanh || model.cell == .fernn else { return nil }
            self = model
            if tanh { activation = .tanh }
        }

        private init?(parsingReLU lowered: String) {
            guard lowered != "grnn" else { self.init(velocityRange: 0); return }
            guard let cell = Cell.allCases.first(where: { lowered.hasPrefix($0.rawValue + "-") }) else { return nil }
            let parts = lowered.dropFirst(cell.rawValue.count + 1).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard let kind = parts.first?.first, let range = Int(parts[0].dropFirst()), range >= 0 else { return nil }
            switch (kind, parts.count) {
            case ("v", 1): self.init(cell, velocityRange: range)
            case ("v", 2) where parts[1] == "mix" && cell == .fernn: self.init(cell, velocityRange: range, mixesVelocities: true)
            case ("x", 1) where range >= 1: self.init(cell, horizontalRange: range)
            case ("x", 2) where range >= 1 && parts[1].hasPrefix("step"):
                guard let step = Int(parts[1].dropFirst(4)), step >= 2, range % step == 0 else { return nil }
                self.init(cell, horizontalRange: range, step: step)
            default: return nil
            }
        }

        /// The names `init(_:)` accepts, for messages.
        public static let grammar = "grnn, fernn-vK, fernn-vK-mix, fernn-xK, fernn-xK-stepS (S >= 2 dividing K), "
            + "grnn-plus- or relaxed-fernn- followed by vK, xK or xK-stepS; -tanh after grnn or a fernn name"

        /// The model's name, as accepted by `init(_:)` (the G-RNN is "grnn").
        public var description: String {
            let suffix = activation == .tanh ? "-tanh" : ""
            if cell == .fernn && velocityRange == 0 && horizontalStep == nil && !mixesVelocities { return "grnn" + suffix }
            let set = horizontalStep.map { "x\(velocityRange)" + ($0 > 1 ? "-step\($0)" : "") } ?? "v\(velocityRange)"
            return "\(cell.rawValue)-\(set)" + (mixesVelocities ? "-mix" : "") + suffix
        }

        /// Whether V is the grid {-K..K}² (a set a rotation FERNN can also use, as K group steps).
        public var isGrid: Bool { horizontalStep == nil }

        /// V as translation flows: `.grid(range: K)` or `.horizontal` of the x-velocities.
        public var translationFlows: TranslationFlows {
            horizontalStep.map { .horizontal(Array(stride(from: -velocityRange, through: velocityRange, by: $0))) }
                ?? .grid(range: velocityRange)
        }
    }
}

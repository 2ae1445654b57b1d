import Orbit
import OrbitDatasets
import OrbitNN

/// One model of the comparison: the network and the soft-equivariance penalty its training adds.
public struct Contender {
    public let name: String
    public let model: any Layer
    /// The regularizer to add to the loss, given the batch's input frames (CLCNN's hinge penalty evaluates
    /// the model on them; the others ignore them). A rank-0 zero for models without one.
    public let penalty: (Tensor) -> Tensor

    public init(name: String, model: any Layer, penalty: @escaping (Tensor) -> Tensor) {
        (self.name, self.model, self.penalty) = (name, model, penalty)
    }
}

/// Sizes shared by the models of a run.
public struct ModelSettings: Sendable {
    public var hidden: Int
    public var layers: Int
    public var bankCount: Int
    public var alpha: Double
    public var size: Int
    /// RPP's prior weight on its plain pathway, α Σ ‖W‖² (`ResidualPathwayVelocityNet.residualPrior`; Finzi, Benton and
    /// Wilson 2021). 1e-2 is the RPP code's default weight decay on its non-equivariant pathway (CIFAR trainer).
    public var priorAlpha = 1e-2
    /// CLCNN's hinge penalty: weight and margin on the mean squared equivariance error (`hingeEquivariancePenalty`).
    public var hingeAlpha = 1.0
    public var hingeMargin = 1e-2
    /// Frames per input window (10 for Table 1, 1 for the equivariance-level experiment).
    public var inputFrames = 10
    /// How RSteer starts: exactly equivariant (Orbit's default) or the reference's random coefficients.
    public var relaxedInitialization = RelaxedSteerableInitialization.equivariant
    /// How wide the C4-steerable Equiv and RSteer are for a given `hidden` (rotation only).
    public var steerableWidth = SteerableWidth.channels

    /// The widths of the rotation models' C4-steerable layers, in regular fields of 4 channels each.
    public enum SteerableWidth: String, CaseIterable, Sendable {
        /// Equiv and RSteer both hidden/4 regular fields: as many channels as Conv's `hidden` (Orbit's default).
        case channels
        /// As the reference's run_equiv_test.py builds them: Equiv `hidden` regular fields (4 hidden channels),
        /// RSteer hidden/2 fields (2 hidden channels), Conv `hidden` channels.
        case reference
    }

    /// The regular C4 fields of Equiv and of RSteer (`steerableWidth`).
    public var steerableFields: (strict: Int, relaxed: Int) {
        switch steerableWidth {
        case .channels: (max(1, hidden / 4), max(1, hidden / 4))
        case .reference: (hidden, max(1, hidden / 2))
        }
    }

    public init(hidden: Int, layers: Int, bankCount: Int, alpha: Double, size: Int) {
        (self.hidden, self.layers, self.bankCount, self.alpha, self.size) = (hidden, layers, bankCount, alpha, size)
    }
}

/// Conv, the strictly equivariant model and the relaxed model for `symmetry` (Docs/References.md §A1, §A2):
/// translation: Conv (which is the strictly equivariant model) and RGroup (`RelaxedTranslationVelocityNet`);
/// rotation: Conv, E2CNN-style `SteerableVelocityNet` and RSteer (C4; by default hidden/4 regular fields, so
/// the channel width matches Conv's, or the reference's widths: `ModelSettings.steerableWidth`); scaling: Conv, SESN (`ScaleVelocityNet`) and RSteer for scale
/// (per-pixel Hermite-Gaussian coefficients), the models run.sh trains. `--models` picks from these and
/// the other Table 1 rows (ExperimentContenders.swift); this function always builds all of its models, in
/// this order, from one generator, so their weights (and Docs/results) do not depend on the selection.
public func contenders(for symmetry: SmokePlumeDesign.Symmetry, _ settings: ModelSettings, seed: UInt64) -> [Contender] {
    var generator = RandomGenerator(seed: seed)
    let zero = { (_: Tensor) in Tensor.zeros([]) }
    let (hidden, layers, banks, alpha, frames) = (settings.hidden, settings.layers, settings.bankCount, settings.alpha, settings.inputFrames)
    let conv = Contender(name: "Conv", model: VelocityConvNet(inputFrames: frames, hidden: hidden, layerCount: layers, using: &generator),
                         penalty: zero)
    switch symmetry {
    case .translation:
        let relaxed = RelaxedTranslationVelocityNet(height: settings.size, width: settings.size, hidden: hidden, layerCount: layers,
                                                    bankCount: banks, using: &generator)
        return [conv, Contender(name: "RGroup", model: relaxed, penalty: { _ in relaxedTranslationRegularizer(relaxed.layers, alpha: alpha) })]
    case .rotation:
        let fields = settings.steerableFields
        let strict = SteerableVelocityNet(inputFrames: frames, hidden: fields.strict, layerCount: layers, using: &generator)
        let relaxed = SteerableVelocityNet(inputFrames: frames, hidden: fields.relaxed, layerCount: layers,
                                           relaxation: .kernel(settings.relaxedInitialization), using: &generator)
        return [conv, Contender(name: "Equiv (steerable)", model: strict, penalty: zero),
                Contender(name: "RSteer", model: relaxed, penalty: { _ in relaxedSteerableRegularizer(relaxed.relaxedLayers, alpha: alpha) })]
    case .scaling:
        let strict = ScaleVelocityNet(hidden: hidden, layerCount: layers, using: &generator)
        let relaxed = ScaleVelocityNet(hidden: hidden, layerCount: layers, relaxation: .kernel(.equivariant), using: &generator)
        return [conv, Contender(name: "Equiv (SESN)", model: strict, penalty: zero),
                Contender(name: "RSteer (scale)", model: relaxed, penalty: { _ in relaxedSteerableRegularizer(relaxed.relaxedKernelLayers, alpha: alpha) })]
    }
}

import Foundation
import Orbit
import OrbitDatasets
import OrbitNN

/// A column of Table 1 of Wang, Walters and Yu (ICML 2022; Docs/References.md §A8), named as the paper names it,
/// in the paper's order. `--models` takes these names, case-insensitively (Rpp = RPP).
public enum TableModel: String, CaseIterable, Sendable {
    case mlp = "MLP", conv = "Conv", equivariant = "Equiv", residualPathway = "RPP", combo = "Combo", locallyConnected = "CLCNN",
         lift = "Lift", relaxedGroup = "RGroup", relaxedSteerable = "RSteer"

    /// The columns Orbit has a model for under `symmetry`: all of them, except that translation has no
    /// RSteer (the paper has none either) and its strictly equivariant model is Conv itself ("Equiv" is
    /// accepted as its other name).
    public static func available(for symmetry: SmokePlumeDesign.Symmetry) -> [TableModel] {
        symmetry == .translation ? allCases.filter { $0 != .equivariant && $0 != .relaxedSteerable } : allCases
    }

    /// The models trained without `--models` (`contenders(for:_:seed:)`), in its order.
    public static func defaults(for symmetry: SmokePlumeDesign.Symmetry) -> [TableModel] {
        symmetry == .translation ? [.conv, .relaxedGroup] : [.conv, .equivariant, .relaxedSteerable]
    }

    /// Parses `--models`: comma-separated names, `all` (every available column, in Table 1's order) or
    /// `default`. Repeats are dropped; the order given is the order trained and tabled.
    public static func parse(_ list: String, for symmetry: SmokePlumeDesign.Symmetry) throws(ModelSelectionError) -> [TableModel] {
        let available = available(for: symmetry)
        var chosen: [TableModel] = []
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw ModelSelectionError(name: list, symmetry: symmetry) }
        for name in names {
            let models: [TableModel]
            switch name.lowercased() {
            case "all": models = available
            case "default": models = defaults(for: symmetry)
            case "equiv" where symmetry == .translation: models = [.conv]
            default:
                guard let model = allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }), available.contains(model) else {
                    throw ModelSelectionError(name: name, symmetry: symmetry)
                }
                models = [model]
            }
            chosen += models.filter { !chosen.contains($0) }
        }
        return chosen
    }
}

/// A `--models` name that is not a Table 1 column Orbit has for the symmetry.
public struct ModelSelectionError: Error, CustomStringConvertible {
    public let name: String
    public let symmetry: SmokePlumeDesign.Symmetry

    public var description: String {
        let names = TableModel.available(for: symmetry).map { $0 == .conv && symmetry == .translation ? "Conv (= Equiv)" : $0.rawValue }
        return "--models: unknown or unavailable model \"\(name)\" for \(symmetry.rawValue); available: \(names.joined(separator: ", ")), "
            + "or all, or default"
    }
}

/// The contenders `models` name, in that order, for `symmetry`.
///
/// Seeds: the default models (`TableModel.defaults`) come from `contenders(for:_:seed:)`, which builds all
/// of them from one generator seeded with `seed`, as before `--models` existed; so their weights, and the
/// results in Docs/results, stay the same whichever models are selected. Every other model draws from its
/// own generator, seeded with `seed` mixed with a hash of its Table 1 name (`modelGenerator`), so it too is
/// the same whatever else is selected. (Giving the default models their own generators as well would
/// have changed their weights and so the published numbers.)
public func contenders(_ models: [TableModel], for symmetry: SmokePlumeDesign.Symmetry, _ settings: ModelSettings, seed: UInt64) -> [Contender] {
    let defaults = TableModel.defaults(for: symmetry)
    let built = models.contains(where: defaults.contains) ? contenders(for: symmetry, settings, seed: seed) : []
    return models.map { model in
        if let index = defaults.firstIndex(of: model) { return built[index] }
        var generator = modelGenerator(seed: seed, model: model)
        return baseline(model, for: symmetry, settings, using: &generator)
    }
}

/// A generator for `model` alone: `seed` XOR the 64-bit FNV-1a hash of its Table 1 name (SplitMix64 inside
/// `RandomGenerator` spreads the bits), so models and seeds get unrelated streams.
func modelGenerator(seed: UInt64, model: TableModel) -> RandomGenerator {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in model.rawValue.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return RandomGenerator(seed: seed ^ hash)
}

/// The Table 1 models outside the defaults (Docs/ApproximateEquivariance.md, "Models of Table 1"), at the
/// sizes of `settings`: plain and scale models use `hidden` channels, C4-steerable ones `hidden/4` regular
/// fields (the same channel width), CLCNN rank L = `bankCount`, Combo its first `layers/2` layers plain;
/// RPP, Combo and Lift take the symmetry's equivariant layers (`hybridFamily`). Each
/// carries its penalty: RPP the prior α‖W_plain‖² (`priorAlpha`), CLCNN the hinge equivariance penalty on
/// the batch (`hingeAlpha`, `hingeMargin`, `hingeActions`), RGroup the paper-form group regularizer (`alpha`).
func baseline(_ model: TableModel, for symmetry: SmokePlumeDesign.Symmetry, _ settings: ModelSettings,
              using generator: inout RandomGenerator) -> Contender {
    let zero = { (_: Tensor) in Tensor.zeros([]) }
    let (hidden, layers, banks, frames, size) = (settings.hidden, settings.layers, settings.bankCount, settings.inputFrames, settings.size)
    let fields = max(1, hidden / 4)
    switch (model, symmetry) {
    case (.mlp, _):
        return Contender(name: "MLP", model: VelocityMLP(inputFrames: frames, height: size, width: size, hidden: hidden, layerCount: layers,
                                                         using: &generator), penalty: zero)
    case (.residualPathway, _):
        let (family, width) = hybridFamily(for: symmetry, settings)
        let network = ResidualPathwayVelocityNet(family: family, inputFrames: frames, hidden: width, layerCount: layers, using: &generator)
        return Contender(name: "RPP", model: network, penalty: { _ in network.residualPrior(alpha: settings.priorAlpha) })
    case (.combo, _):
        let (family, width) = hybridFamily(for: symmetry, settings)
        let network = ComboVelocityNet(family: family, inputFrames: frames, hidden: width, layerCount: layers, plainLayers: max(1, layers / 2),
                                       using: &generator)
        return Contender(name: "Combo", model: network, penalty: zero)
    case (.lift, _):
        let (family, width) = hybridFamily(for: symmetry, settings)
        let network = LiftExpansionVelocityNet(family: family, inputFrames: frames, hidden: width, layerCount: layers, using: &generator)
        return Contender(name: "Lift", model: network, penalty: zero)
    case (.locallyConnected, _):
        let network = LocallyConnectedVelocityNet(inputFrames: frames, height: size, width: size, hidden: hidden, layerCount: layers, rank: banks,
                                                  using: &generator)
        let actions = hingeActions(for: symmetry, frames: frames, size: size)
        return Contender(name: "CLCNN", model: network, penalty: { input in
            hingeEquivariancePenalty(network.callAsFunction, input: input, actions: actions, margin: settings.hingeMargin, alpha: settings.hingeAlpha)
        })
    case (.relaxedGroup, .rotation):
        let network = RelaxedGroupVelocityNet(inputFrames: frames, hidden: fields, layerCount: layers, bankCount: banks, using: &generator)
        return Contender(name: "RGroup", model: network, penalty: { _ in relaxedGroupRegularizer(network.layers, alpha: settings.alpha) })
    case (.relaxedGroup, .scaling):
        let network = ScaleVelocityNet(inputFrames: frames, hidden: hidden, layerCount: layers, relaxation: .group(bankCount: banks), using: &generator)
        return Contender(name: "RGroup (scale)", model: network, penalty: { _ in relaxedGroupRegularizer(network.relaxedGroupLayers, alpha: settings.alpha) })
    default:
        fatalError("\(model.rawValue) is a default model or unavailable for \(symmetry.rawValue); see TableModel.available(for:)")
    }
}

/// The layer family RPP, Combo and Lift are built from under `symmetry`, and the `hidden` it takes:
/// C4-steerable with `hidden/4` regular fields (rotation), plain convolutions and CLCNN's locally connected
/// layers of rank `bankCount` on `size`² frames (translation), SESN scale convolutions on
/// `ScaleVelocityNet`'s basis (scaling), `hidden` channels for the last two.
func hybridFamily(for symmetry: SmokePlumeDesign.Symmetry, _ settings: ModelSettings) -> (family: HybridLayerFamily, hidden: Int) {
    switch symmetry {
    case .rotation: (.c4, max(1, settings.hidden / 4))
    case .translation: (.translation(height: settings.size, width: settings.size, rank: settings.bankCount), settings.hidden)
    case .scaling: (.scaling(ScaleVelocityNet.defaultBasis), settings.hidden)
    }
}

/// The symmetry's actions on the input frames and on the predicted frame, for CLCNN's hinge penalty:
/// rotation, the three quarter turns of C4 (grid and vectors, `FieldType.transform`; batches reach the
/// models flipped so that this is the simulator's rotation, ExperimentTraining.swift); translation, cyclic
/// shifts by a quarter of the frame down, right and both (vectors unchanged; the wrap-around seam and the
/// zero padding make even Conv slightly non-equivariant under them, which the margin absorbs); scaling,
/// magnification about the centre by 0.8 and 1.25 with the velocities scaled alike (`scaleVelocityFrames`;
/// approximate: interpolation, and content lost or zero-filled at the boundary, which the margin absorbs too).
func hingeActions(for symmetry: SmokePlumeDesign.Symmetry, frames: Int, size: Int)
    -> [(input: (Tensor) -> Tensor, output: (Tensor) -> Tensor)] {
    switch symmetry {
    case .rotation:
        let group = CyclicGroup(order: 4)
        let inputType = FieldType(group: group, group.irreducibleRepresentation(frequency: 1), count: frames)
        let outputType = FieldType(group: group, group.irreducibleRepresentation(frequency: 1), count: 1)
        return group.elements.dropFirst().map { element in
            (input: { inputType.transform($0, by: element) }, output: { outputType.transform($0, by: element) })
        }
    case .translation:
        let step = max(1, size / 4)
        return [(step, 0), (0, step), (step, step)].map { rows, columns in
            let shift = { (x: Tensor) in x.rolled(shifts: [rows, columns], axes: [2, 3]) }
            return (input: shift, output: shift)
        }
    case .scaling:
        return [0.8, 1.25].map { factor in
            let scale = { (x: Tensor) in scaleVelocityFrames(x, by: factor) }
            return (input: scale, output: scale)
        }
    }
}

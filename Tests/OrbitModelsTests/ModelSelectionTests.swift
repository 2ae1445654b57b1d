import Orbit
import OrbitDatasets
import OrbitNN
import Testing
@testable import OrbitModels

// `--models` of the Table 1 runner (Wang, Walters and Yu, ICML 2022, Table 1; OrbitModels/ApproximateEquivariance/TableModels.swift):
// the names it accepts per symmetry, the error for the others, every available model built at a tiny size
// with its penalty, and weights that do not depend on which other models are selected.

@Test func allExpandsToTheColumnsEachSymmetryHasInTableOrder() throws {
    #expect(try TableModel.parse("all", for: .rotation) == TableModel.allCases)
    #expect(try TableModel.parse("ALL", for: .translation) == [.mlp, .conv, .residualPathway, .combo, .locallyConnected, .lift, .relaxedGroup])
    #expect(try TableModel.parse("all", for: .scaling) == TableModel.allCases)
    #expect(try TableModel.parse("default", for: .rotation) == [.conv, .equivariant, .relaxedSteerable])
    #expect(try TableModel.parse("default", for: .translation) == [.conv, .relaxedGroup])
}

@Test func namesAreCaseInsensitiveKeepTheirOrderAndDropRepeats() throws {
    #expect(try TableModel.parse("rsteer, Rpp,MLP", for: .rotation) == [.relaxedSteerable, .residualPathway, .mlp])
    #expect(try TableModel.parse("lift,LIFT,all", for: .rotation).count == TableModel.allCases.count)
    #expect(try TableModel.parse("lift,all", for: .rotation).first == .lift)
    // Translation: the strictly equivariant model is Conv itself.
    #expect(try TableModel.parse("Equiv,conv,clcnn", for: .translation) == [.conv, .locallyConnected])
    #expect(try TableModel.parse("rpp,combo,lift", for: .translation) == [.residualPathway, .combo, .lift])
    #expect(try TableModel.parse("rpp,combo,clcnn,lift", for: .scaling) == [.residualPathway, .combo, .locallyConnected, .lift])
}

@Test func unknownOrUnavailableNamesAreRejectedWithTheAvailableOnes() {
    for (list, symmetry, available) in [("foo", SmokePlumeDesign.Symmetry.rotation, "MLP, Conv, Equiv, RPP, Combo, CLCNN, Lift, RGroup, RSteer"),
                                        ("conv,rsteer", .translation, "MLP, Conv (= Equiv), RPP, Combo, CLCNN, Lift, RGroup"),
                                        ("lift,sesn", .scaling, "MLP, Conv, Equiv, RPP, Combo, CLCNN, Lift, RGroup, RSteer"),
                                        (" , ", .rotation, "MLP, Conv, Equiv, RPP, Combo, CLCNN, Lift, RGroup, RSteer")] {
        do {
            _ = try TableModel.parse(list, for: symmetry)
            Issue.record("\(list) accepted for \(symmetry)")
        } catch {
            #expect("\(error)".contains("available: \(available)"), "\(error)")
            #expect(list.contains(" ") || "\(error)".contains("\"\(list.split(separator: ",").last!)\""), "\(error)")
        }
    }
}

private let tiny = ModelSettings(hidden: 4, layers: 2, bankCount: 2, alpha: 1e-5, size: 8)

/// Two batches of ten 8 × 8 velocity frames.
private func frames() -> Tensor {
    var generator = RandomGenerator(seed: 1)
    return Tensor.randomNormal([2, 20, 8, 8], using: &generator)
}

@Test func everyAvailableModelPredictsTheNextFrameAndHasAScalarPenalty() {
    let input = frames()
    for symmetry in SmokePlumeDesign.Symmetry.allCases {
        let models = TableModel.available(for: symmetry)
        let built = contenders(models, for: symmetry, tiny, seed: 0)
        #expect(built.count == models.count)
        for contender in built {
            #expect(contender.model(input).shape == [2, 2, 8, 8], "\(symmetry) \(contender.name)")
            let penalty = contender.penalty(input)
            #expect(penalty.rank == 0 && penalty.item.isFinite && penalty.item >= 0, "\(symmetry) \(contender.name): \(penalty)")
        }
    }
}

@Test func scalingHingeActionsMagnifyAboutTheCentreAndScaleTheVectors() {
    let actions = hingeActions(for: .scaling, frames: 10, size: 8)
    #expect(actions.count == 2)
    let constant = Tensor.full([1, 20, 8, 8], value: 1)
    for (action, factor) in zip(actions, [0.8, 1.25]) {
        let values = action.input(constant).doubles
        // The frame's middle keeps the constant, multiplied by the factor (the vectors scale with it).
        #expect(abs(values[3 * 8 + 4] - factor) < 1e-6 && abs(action.output(constant.slice(axis: 1, 0..<2)).doubles[4 * 8 + 3] - factor) < 1e-6)
    }
}

@Test func weightsDoNotDependOnTheSelection() {
    func weights(_ contender: Contender) -> [Double] { contender.model.parameters.flatMap { $0.value.doubles } }
    for symmetry in SmokePlumeDesign.Symmetry.allCases {
        let all = contenders(TableModel.available(for: symmetry), for: symmetry, tiny, seed: 3)
        for (model, together) in zip(TableModel.available(for: symmetry), all) {
            let alone = contenders([model], for: symmetry, tiny, seed: 3)[0]
            #expect(alone.name == together.name && weights(alone) == weights(together), "\(symmetry) \(model)")
            #expect(weights(contenders([model], for: symmetry, tiny, seed: 4)[0]) != weights(alone), "\(symmetry) \(model)")
        }
    }
    // The default models are still the ones `contenders(for:_:seed:)` builds (and Docs/results were made with).
    let defaults = contenders(for: .rotation, tiny, seed: 5)
    let selected = contenders([.relaxedSteerable, .conv], for: .rotation, tiny, seed: 5)
    #expect(weights(selected[0]) == weights(defaults[2]) && weights(selected[1]) == weights(defaults[0]))
}

/// `steerableWidth = .reference` builds Equiv with `hidden` regular fields and RSteer with hidden/2, as the reference's
/// run_equiv_test.py; `.channels` (the default) both with hidden/4. Conv keeps `hidden` channels either way.
@Test func theReferenceWidthsWidenTheSteerableModels() {
    var settings = ModelSettings(hidden: 8, layers: 3, bankCount: 2, alpha: 0, size: 8)
    settings.inputFrames = 1
    func counts(_ settings: ModelSettings) -> [Int] { contenders(for: .rotation, settings, seed: 1).map(\.model.parameterCount) }
    func steerable(_ fields: Int, relaxed: Bool) -> Int {
        var generator = RandomGenerator(seed: 0)
        return SteerableVelocityNet(inputFrames: 1, hidden: fields, layerCount: 3, relaxation: relaxed ? .kernel(.equivariant) : .none,
                                    using: &generator).parameterCount
    }
    let channels = counts(settings)
    settings.steerableWidth = .reference
    let reference = counts(settings)
    #expect(settings.steerableFields.strict == 8 && settings.steerableFields.relaxed == 4)
    #expect(channels[1] == steerable(2, relaxed: false) && channels[2] == steerable(2, relaxed: true), "\(channels)")
    #expect(reference[1] == steerable(8, relaxed: false) && reference[2] == steerable(4, relaxed: true), "\(reference)")
    #expect(reference[0] == channels[0])
}

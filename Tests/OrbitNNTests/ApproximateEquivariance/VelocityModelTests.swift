import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The Table 1 models on a tiny configuration (2 input frames, hidden 2, 3 layers, 7×7): shapes, parameter
// counts where Docs/References.md §A3-§A4 gives them, gradients, and exact C4 equivariance of the whole
// model in float64 (the input's grid and vectors rotated) for the equivariant ones, with negative controls.

private let c4 = CyclicGroup(order: 4)
private let frames = 2
private let velocities = FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: frames)
private let velocity = FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: 1)
private let input = randomTensor([2, 2 * frames, 7, 7], seed: 11)

private func models(seed: UInt64 = 1) -> [(name: String, model: any Layer)] {
    var g = RandomGenerator(seed: seed)
    let d = DType.float64
    return [
        ("MLP", VelocityMLP(inputFrames: frames, height: 7, width: 7, hidden: 3, layerCount: 3, dtype: d, using: &g)),
        ("Conv", VelocityConvNet(inputFrames: frames, hidden: 2, layerCount: 3, dtype: d, using: &g)),
        ("Equiv", SteerableVelocityNet(group: c4, inputFrames: frames, hidden: 2, layerCount: 3, dtype: d, using: &g)),
        ("RSteer", SteerableVelocityNet(group: c4, inputFrames: frames, hidden: 2, layerCount: 3, relaxation: .kernel(.equivariant), dtype: d, using: &g)),
        ("RGroup", RelaxedGroupVelocityNet(group: c4, inputFrames: frames, hidden: 2, layerCount: 3, bankCount: 2, dtype: d, using: &g)),
        ("RGroup-translation", RelaxedTranslationVelocityNet(inputFrames: frames, height: 7, width: 7, hidden: 2, layerCount: 3, bankCount: 2, dtype: d, using: &g)),
        ("Rpp", ResidualPathwayVelocityNet(family: .rotation(c4), inputFrames: frames, hidden: 2, layerCount: 3, dtype: d, using: &g)),
        ("Lift", LiftExpansionVelocityNet(family: .rotation(c4), inputFrames: frames, hidden: 2, layerCount: 3, dtype: d, using: &g)),
        ("Combo", ComboVelocityNet(family: .rotation(c4), inputFrames: frames, hidden: 2, layerCount: 3, plainLayers: 1, dtype: d, using: &g)),
        ("CLCNN", LocallyConnectedVelocityNet(inputFrames: frames, height: 7, width: 7, hidden: 2, layerCount: 3, rank: 2, dtype: d, using: &g)),
        ("SESN", ScaleVelocityNet(inputFrames: frames, hidden: 2, layerCount: 3, basis: scaleBasis, dtype: d, using: &g)),
        ("RGroup-scale", ScaleVelocityNet(inputFrames: frames, hidden: 2, layerCount: 3, relaxation: .group(bankCount: 2), basis: scaleBasis,
                                          dtype: d, using: &g)),
        ("RSteer-scale", ScaleVelocityNet(inputFrames: frames, hidden: 2, layerCount: 3, relaxation: .kernel(.referenceRandom), basis: scaleBasis,
                                          dtype: d, using: &g)),
    ]
}

private func rotationErrors(_ model: (Tensor) -> Tensor) -> [Double] {
    layerEquivarianceErrors(model, input: input, inputType: velocities, outputType: velocity, elements: c4.elements)
}

@Test func everyModelMapsStackedFramesToTheNextFrameWithCorrectGradients() {
    for (name, model) in models() {
        #expect(model(input).shape == [2, 2, 7, 7], "\(name)")
        let x = input.slice(axis: 0, 0..<1)
        // A step of 1e-7 (not 1e-5): with ReLU between layers a larger step can cross a kink (Combo did).
        let check = GradientCheck(parameters: model.parameters, step: 1e-7) { model(x) }
        #expect(check.passed, "\(name): \(check)")
    }
}

@Test func equivariantModelsAreExactlyC4EquivariantAndTheOthersAreNot() {
    let all = Dictionary(uniqueKeysWithValues: models().map { ($0.name, $0.model) })
    for name in ["Equiv", "RSteer", "RGroup"] {
        let errors = rotationErrors { all[name]!($0) }
        #expect(errors.allSatisfy { $0 < 1e-13 }, "\(name): \(errors)")
    }
    // Rpp and Lift: equivariant exactly when their non-equivariant pathway is zero.
    let rpp = all["Rpp"] as! ResidualPathwayVelocityNet, lift = all["Lift"] as! LiftExpansionVelocityNet
    #expect(rotationErrors(rpp.callAsFunction).dropFirst().allSatisfy { $0 > 1e-2 })
    #expect(rotationErrors(lift.callAsFunction).dropFirst().allSatisfy { $0 > 1e-2 })
    for parameter in rpp.residualLayers.flatMap(\.parameters) + lift.coordinateConvolution.parameters {
        parameter.value = Tensor.zeros(parameter.shape, dtype: .float64)
    }
    for (name, model) in [("Rpp", rpp as any Layer), ("Lift", lift)] {
        #expect(rotationErrors { model($0) }.allSatisfy { $0 < 1e-13 }, "\(name)")
    }
    #expect(rpp.residualPrior(alpha: 1).item == 0)
    // Negative controls: unconstrained models, the reference's random RSteer init, relaxed weights moved.
    for name in ["Conv", "Combo", "CLCNN"] {
        #expect(rotationErrors { all[name]!($0) }.dropFirst().allSatisfy { $0 > 1e-2 }, "\(name)")
    }
    var g = RandomGenerator(seed: 3)
    let random = SteerableVelocityNet(group: c4, inputFrames: frames, hidden: 2, layerCount: 3, relaxation: .kernel(.referenceRandom),
                                      dtype: .float64, using: &g)
    #expect(rotationErrors(random.callAsFunction).dropFirst().allSatisfy { $0 > 1e-2 })
    let rgroup = all["RGroup"] as! RelaxedGroupVelocityNet
    perturb(rgroup.layers[1].combinationWeights, size: 0.2, seed: 4)
    #expect(rotationErrors(rgroup.callAsFunction).dropFirst().allSatisfy { $0 > 1e-3 })
}

@Test func parameterCountsMatchTheReference() {
    var g = RandomGenerator(seed: 0)
    #expect(VelocityConvNet(hidden: 128, using: &g).parameterCount == 468_226)
    #expect(RelaxedTranslationVelocityNet(height: 64, width: 64, hidden: 128, bankCount: 2, using: &g).parameterCount == 977_412)
    // RSteer, hidden 92: the reference's 5,593,968 basis coefficients; biases on the 92 trivial components
    // of each hidden layer (the reference: 368 free biases per hidden layer, 2 on the output, 736 unused BN).
    let rsteer = SteerableVelocityNet(hidden: 92, relaxation: .kernel(.equivariant), using: &g)
    #expect(rsteer.parameterCount == 5_593_968 + 4 * 92)
    #expect(SteerableVelocityNet(hidden: 92, using: &g).parameterCount == 5_593_968 / 9 + 4 * 92)
}

@Test func priorsAndPenalties() {
    var g = RandomGenerator(seed: 5)
    let rpp = ResidualPathwayVelocityNet(family: .rotation(c4), inputFrames: frames, hidden: 2, layerCount: 3, dtype: .float64, using: &g)
    let squares = rpp.residualLayers.flatMap(\.parameters).map { $0.value.doubles.reduce(0) { $0 + $1 * $1 } }.reduce(0, +)
    #expect(abs(rpp.residualPrior(alpha: 0.5).item - 0.5 * squares) < 1e-12 * squares)
    // Hinge penalty: zero for an equivariant model under the margin, positive for the CLCNN, with gradients.
    let actions = c4.elements.dropFirst().map { element in
        (input: { (x: Tensor) in velocities.transform(x, by: element) }, output: { (y: Tensor) in velocity.transform(y, by: element) })
    }
    let strict = SteerableVelocityNet(group: c4, inputFrames: frames, hidden: 2, layerCount: 3, dtype: .float64, using: &g)
    #expect(hingeEquivariancePenalty(strict.callAsFunction, input: input, actions: actions, margin: 1e-20, alpha: 1).item == 0)
    let clcnn = LocallyConnectedVelocityNet(inputFrames: frames, height: 7, width: 7, hidden: 2, layerCount: 3, rank: 2, dtype: .float64, using: &g)
    #expect(hingeEquivariancePenalty(clcnn.callAsFunction, input: input, actions: actions, margin: 0, alpha: 1).item > 0)
    let check = GradientCheck(parameters: clcnn.parameters) {
        hingeEquivariancePenalty(clcnn.callAsFunction, input: input, actions: actions, margin: 1e-6, alpha: 2)
    }
    #expect(check.passed, "\(check)")
}

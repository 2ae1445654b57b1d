import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// RPP, Combo and Lift for translation and scaling (`HybridLayerFamily`), on a tiny configuration
// (2 input frames, hidden 2, 3 layers, 7×7, float64): shapes and gradients; translation RPP and Lift
// exactly shift-equivariant (circular padding) once their non-equivariant pathway is zero and not
// before, Combo not; scaling RPP and Lift exactly SESN once that pathway is zero (scale equivariance
// itself is only approximate on pixels, so SESN is the reference, not a symmetry test).

private let frames = 2
private let input = randomTensor([2, 2 * frames, 7, 7], seed: 21)
private let shifts = [[1, 0], [0, 2], [3, -1]]
private let translation = HybridLayerFamily.translation(height: 7, width: 7, rank: 2)
private let scaling = HybridLayerFamily.scaling(scaleBasis)

private func hybrids(_ family: HybridLayerFamily, paddingMode: PaddingMode = .zeros, seed: UInt64 = 1)
    -> (rpp: ResidualPathwayVelocityNet, combo: ComboVelocityNet, lift: LiftExpansionVelocityNet) {
    var g = RandomGenerator(seed: seed)
    let d = DType.float64
    return (ResidualPathwayVelocityNet(family: family, inputFrames: frames, hidden: 2, layerCount: 3, paddingMode: paddingMode, dtype: d, using: &g),
            ComboVelocityNet(family: family, inputFrames: frames, hidden: 2, layerCount: 3, plainLayers: 1, paddingMode: paddingMode, dtype: d,
                             using: &g),
            LiftExpansionVelocityNet(family: family, inputFrames: frames, hidden: 2, layerCount: 3, paddingMode: paddingMode, dtype: d, using: &g))
}

private func zero(_ parameters: [Parameter]) {
    for parameter in parameters { parameter.value = Tensor.zeros(parameter.shape, dtype: .float64) }
}

@Test(arguments: ["translation", "scaling"])
func hybridModelsMapStackedFramesToTheNextFrameWithCorrectGradients(_ symmetry: String) {
    let models = hybrids(symmetry == "translation" ? translation : scaling)
    for (name, model) in [("RPP", models.rpp as any Layer), ("Combo", models.combo), ("Lift", models.lift)] {
        #expect(model(input).shape == [2, 2, 7, 7], "\(symmetry) \(name)")
        let x = input.slice(axis: 0, 0..<1)
        let check = GradientCheck(parameters: model.parameters, step: 1e-7) { model(x) }
        #expect(check.passed, "\(symmetry) \(name): \(check)")
    }
}

@Test func translationHybridsAreShiftEquivariantExactlyWhenTheirNonEquivariantPathwayIsZero() {
    let models = hybrids(translation, paddingMode: .circular)
    // As initialised, the locally connected pathway (RPP), the coordinates (Lift) and the locally
    // connected first layer (Combo) each break shift equivariance.
    for (name, model) in [("RPP", models.rpp as any Layer), ("Lift", models.lift), ("Combo", models.combo)] {
        let errors = translationErrors({ model($0) }, input: input, shifts: shifts)
        #expect(errors.allSatisfy { $0 > 1e-2 }, "\(name): \(errors)")
    }
    #expect(models.rpp.residualPrior(alpha: 1).item > 0)
    zero(models.rpp.residualLayers.flatMap(\.parameters) + models.lift.coordinateConvolution.parameters)
    for (name, model) in [("RPP", models.rpp as any Layer), ("Lift", models.lift)] {
        let errors = translationErrors({ model($0) }, input: input, shifts: shifts)
        #expect(errors.allSatisfy { $0 < 1e-13 }, "\(name): \(errors)")
    }
    #expect(models.rpp.residualPrior(alpha: 1).item == 0)
}

@Test func translationResidualPriorCoversEveryLocallyConnectedParameter() {
    let rpp = hybrids(translation).rpp
    let parameters = rpp.residualLayers.flatMap(\.parameters)
    // Weight, bias and per-position combination weights of each of the 3 locally connected layers.
    #expect(parameters.count == 9 && rpp.residualLayers.allSatisfy { $0 is RelaxedTranslationConvolution })
    let squares = parameters.map { $0.value.doubles.reduce(0) { $0 + $1 * $1 } }.reduce(0, +)
    #expect(abs(rpp.residualPrior(alpha: 0.5).item - 0.5 * squares) < 1e-12 * squares)
}

@Test func scalingHybridsAreSESNWhenTheirNonEquivariantPathwayIsZero() {
    let models = hybrids(scaling)
    var g = RandomGenerator(seed: 9)
    let sesn = ScaleVelocityNet(inputFrames: frames, hidden: 2, layerCount: 3, basis: scaleBasis, dtype: .float64, using: &g)
    for (name, model, equivariant, plain) in [("RPP", models.rpp as any Layer, models.rpp.equivariantLayers, models.rpp.residualLayers),
                                              ("Lift", models.lift, models.lift.layers, [models.lift.coordinateConvolution])] {
        let parameters = equivariant.flatMap(\.parameters)
        #expect(parameters.map(\.shape) == sesn.parameters.map(\.shape), "\(name)")
        for (target, source) in zip(sesn.parameters, parameters) { target.value = source.value }
        let reference = sesn(input)
        #expect(relativeError(model(input).doubles, reference.doubles) > 1e-2, "\(name) as initialised")
        zero(plain.flatMap(\.parameters))
        expectClose(model(input), reference, relativeTolerance: 1e-14, "\(name)")
    }
    // Combo: plain convolutions (no scale axis), then a lifting scale layer.
    #expect(models.combo.plainLayers.allSatisfy { $0 is Convolution2D })
    #expect((models.combo.equivariantLayers.first as? ScaleConvolution)?.isLifting == true)
}

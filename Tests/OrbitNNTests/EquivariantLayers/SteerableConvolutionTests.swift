import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// Steerable convolutions between trivial, irreducible and regular fields are exactly equivariant under
// the grid-exact elements of C4, C8 (its C4 subgroup), D4, SO(2) and O(2) (quarter turns and flips).

private func steerable<G: PlanarGroup>(_ input: FieldType<G>, _ output: FieldType<G>, seed: UInt64 = 1,
                                       dtype: DType = .float64) -> SteerableConvolution<G> {
    var generator = RandomGenerator(seed: seed)
    let layer = SteerableConvolution(inputType: input, outputType: output, kernelSize: 3, padding: 1, dtype: dtype, using: &generator)
    // Random (not zero) bias, so that its placement is tested too.
    if let bias = layer.bias { bias.value = Tensor.randomNormal(bias.shape, dtype: dtype, using: &generator) }
    return layer
}

private func expectEquivariant<G: PlanarGroup>(_ layer: SteerableConvolution<G>, _ elements: [G.Element], size: Int = 9,
                                               tolerance: Double = 1e-13, sourceLocation: SourceLocation = #_sourceLocation) {
    let x = randomTensor([2, layer.inputType.channels, size, size], seed: 9, dtype: layer.weight.dtype)
    let errors = layerEquivarianceErrors(layer.callAsFunction, input: x, inputType: layer.inputType,
                                         outputType: layer.outputType, elements: elements)
    #expect(errors.allSatisfy { $0 < tolerance }, "\(layer.inputType) -> \(layer.outputType): \(errors)", sourceLocation: sourceLocation)
}

@Test func cyclicSteerableConvolutionsAreExactlyEquivariant() {
    let c4 = CyclicGroup(order: 4)
    let vector = c4.irreducibleRepresentation(frequency: 1), regular = c4.regularRepresentation
    expectEquivariant(steerable(FieldType(group: c4, vector, count: 3), FieldType(group: c4, regular, count: 2)), c4.elements)
    expectEquivariant(steerable(FieldType(group: c4, regular, count: 2), FieldType(group: c4, regular, count: 2)), c4.elements)
    expectEquivariant(steerable(FieldType(group: c4, regular, count: 2), FieldType(group: c4, vector, count: 1)), c4.elements)
    // Mixed field types, with the trivial bias.
    let mixed = FieldType(group: c4, representations: [regular, c4.trivialRepresentation, vector, regular])
    expectEquivariant(steerable(mixed, mixed), c4.elements)
    let c8 = CyclicGroup(order: 8)
    let c8Layer = steerable(FieldType(group: c8, c8.regularRepresentation, count: 1), FieldType(group: c8, c8.regularRepresentation, count: 2))
    expectEquivariant(c8Layer, c8.elementsExactOnGrid)
}

@Test func dihedralAndContinuousSteerableConvolutionsAreExactlyEquivariant() {
    let d4 = DihedralGroup(order: 4)
    let d4Type = FieldType(group: d4, representations: [d4.regularRepresentation, d4.irreducibleRepresentation(reflectionFrequency: 1, frequency: 1)])
    expectEquivariant(steerable(d4Type, d4Type), d4.elements)
    let so2 = SpecialOrthogonalGroup()
    let so2Type = FieldType(group: so2, representations: [so2.trivialRepresentation, so2.irreducibleRepresentation(frequency: 1),
                                                          so2.irreducibleRepresentation(frequency: 2)])
    expectEquivariant(steerable(so2Type, so2Type), quarterTurns(so2))
    let o2 = OrthogonalGroup()
    let o2Type = FieldType(group: o2, representations: [o2.trivialRepresentation, o2.irreducibleRepresentation(reflectionFrequency: 1, frequency: 0),
                                                        o2.irreducibleRepresentation(reflectionFrequency: 1, frequency: 1)])
    expectEquivariant(steerable(o2Type, o2Type), quarterTurns(o2))
}

@Test func float32SteerableEquivarianceIsAtFloatRounding() {
    let c4 = CyclicGroup(order: 4)
    let layer = steerable(FieldType(group: c4, c4.regularRepresentation, count: 3), FieldType(group: c4, c4.regularRepresentation, count: 3),
                          dtype: .float32)
    expectEquivariant(layer, c4.elements, tolerance: 1e-5)
}

@Test func biasSitsOnTrivialComponentsOnly() {
    let c4 = CyclicGroup(order: 4)
    let vector = c4.irreducibleRepresentation(frequency: 1)
    let layer = steerable(FieldType(group: c4, vector, count: 1), FieldType(group: c4, representations: [vector, c4.regularRepresentation]))
    // One trivial component (inside the regular field): one bias value, spread as 1/2 over 4 channels.
    #expect(layer.bias?.shape == [1])
    let expanded = layer.expandedBias!.doubles, value = layer.bias!.value.item
    #expect(expanded[0] == 0 && expanded[1] == 0)
    #expect(expanded[2...].allSatisfy { abs($0 - value / 2) < 1e-15 })
}

@Test func steerableParametersAreCoefficientsOnly() {
    let c4 = CyclicGroup(order: 4)
    let layer = steerable(FieldType(group: c4, c4.regularRepresentation, count: 5), FieldType(group: c4, c4.regularRepresentation, count: 7))
    // 24 basis elements per pair of regular fields on a 3x3 kernel (as escnn), plus one bias per field.
    #expect(layer.namedParameters.map { "\($0.name) \($0.parameter.shape)" } == ["weight [\(7 * 5 * 24)]", "bias [7]"])
    #expect(layer.filter.shape == [28, 20, 3, 3])
    let check = GradientCheck(parameters: layer.parameters) { layer(randomTensor([1, 20, 5, 5], seed: 3)) }
    #expect(check.passed, "\(check)")
}

@Test func theFieldTypeIsCheckedAtTheDoor() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let c4 = CyclicGroup(order: 4)
        var generator = RandomGenerator(seed: 0)
        let layer = SteerableConvolution(inputType: FieldType(group: c4, c4.regularRepresentation, count: 2),
                                         outputType: FieldType(group: c4, c4.regularRepresentation, count: 1),
                                         kernelSize: 3, using: &generator)
        _ = layer(Tensor.zeros([1, 6, 5, 5]))
    }.map { result in
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains("SteerableConvolution") && message.contains("C4[2×regular]") && message.contains("[1, 6, 5, 5]"), "\(message)")
    }
}

import Foundation
import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// Measuring equivariance: a filter expanded from the steerable basis is equivariant to rounding under
// the grid's symmetries; a plain convolution with random weights is clearly not (the negative control).

/// The smallest steerable convolution: learn coefficients, expand against the constant basis, conv2d.
final class ExpandedConvolution<G: PlanarGroup>: EquivariantLayer {
    let inputType: FieldType<G>
    let outputType: FieldType<G>
    let basis: SteerableKernelBasis<G>
    let coefficients: Parameter

    init(_ inputType: FieldType<G>, _ outputType: FieldType<G>, kernelSize: Int, seed: UInt64) {
        (self.inputType, self.outputType) = (inputType, outputType)
        basis = SteerableKernelBasis(group: inputType.group, input: inputType.representations[0],
                                     output: outputType.representations[0], kernelSize: kernelSize)
        coefficients = Parameter(randomTensor([outputType.representations.count, inputType.representations.count, basis.count],
                                              seed: seed))
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "ExpandedConvolution")
        return conv2d(input, basis.expand(coefficients.value), padding: PerAxis([basis.kernelSize / 2]))
    }
}

@Test func expandedSteerableFiltersAreEquivariantToRounding() {
    let c4 = CyclicGroup(order: 4)
    let layer = ExpandedConvolution(FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: 2),
                                    FieldType(group: c4, c4.regularRepresentation, count: 3), kernelSize: 3, seed: 41)
    let errors = layer.equivarianceErrors(input: randomTensor([2, 4, 9, 9], seed: 42))
    #expect(errors.count == 4 && errors.allSatisfy { $0.error < 1e-12 }, "\(errors)")

    let d4 = DihedralGroup(order: 4)
    let flips = ExpandedConvolution(FieldType(group: d4, d4.regularRepresentation, count: 1),
                                    FieldType(group: d4, d4.regularRepresentation, count: 2), kernelSize: 5, seed: 43)
    let flipErrors = flips.equivarianceErrors(input: randomTensor([1, 8, 8, 8], seed: 44))
    #expect(flipErrors.count == 8 && flipErrors.allSatisfy { $0.error < 1e-12 }, "\(flipErrors)")
}

@Test func rotationsOffTheGridAreOnlyApproximatelyEquivariant() {
    // C8's 45° rotations need interpolation: small but far above rounding on a smooth input.
    let c8 = CyclicGroup(order: 8)
    let layer = ExpandedConvolution(FieldType(group: c8, c8.trivialRepresentation, count: 1),
                                    FieldType(group: c8, c8.regularRepresentation, count: 1), kernelSize: 3, seed: 45)
    let size = 21
    let bump = (0..<(size * size)).map { index -> Double in
        let (row, column) = (Double(index / size) - 10, Double(index % size) - 9)
        return (-(row * row + column * column) / 12).exponential
    }
    let errors = layer.equivarianceErrors(input: Tensor(bump, shape: [1, 1, size, size]), elements: [1, 2])
    #expect(errors[0].error > 1e-6 && errors[0].error < 0.2, "45°: \(errors[0].error)")
    #expect(errors[1].error < 1e-12, "90°: \(errors[1].error)")
}

@Test func aPlainConvolutionWithRandomWeightsIsNotEquivariant() {
    var generator = RandomGenerator(seed: 46)
    let c4 = CyclicGroup(order: 4)
    let type = FieldType(group: c4, c4.regularRepresentation, count: 1)
    let convolution = Convolution2D(inputChannels: 4, outputChannels: 4, kernelSize: 3, padding: 1, bias: false,
                                    dtype: .float64, using: &generator)
    let errors = equivarianceErrors(of: { convolution($0) }, input: randomTensor([1, 4, 9, 9], seed: 47),
                                    inputType: type, outputType: type, elements: c4.elements)
    #expect(errors[0].error == 0, "the identity is always exact")
    #expect(errors.dropFirst().allSatisfy { $0.error > 0.1 }, "\(errors)")
}

extension Double {
    var exponential: Double { Foundation.exp(self) }
}

@Test func mixedFieldTypesExpandToEquivariantFilters() {
    let d4 = DihedralGroup(order: 4)
    let (regular, trivial) = (d4.regularRepresentation, d4.trivialRepresentation)
    let vector = d4.irreducibleRepresentation(reflectionFrequency: 1, frequency: 1)
    let sign = d4.irreducibleRepresentation(reflectionFrequency: 1, frequency: 0)
    let inputType = FieldType(group: d4, representations: [regular, vector, trivial, vector])
    let outputType = FieldType(group: d4, representations: [trivial, regular, sign, trivial])
    let expansion = SteerableFilterExpansion(inputType: inputType, outputType: outputType, kernelSize: 3)
    let perPair = inputType.representations.flatMap { input in outputType.representations.map { output in
        SteerableKernelBasis(group: d4, input: input, output: output, kernelSize: 3).count } }
    #expect(expansion.coefficientCount == perPair.reduce(0, +) && expansion.blocks.count == 9)
    let coefficients = randomTensor([expansion.coefficientCount], seed: 48)
    let filter = expansion.filter(coefficients)
    #expect(filter.shape == [outputType.channels, inputType.channels, 3, 3])
    let errors = equivarianceErrors(of: { conv2d($0, filter, padding: 1) }, input: randomTensor([1, inputType.channels, 7, 7], seed: 49),
                                    inputType: inputType, outputType: outputType, elements: d4.elements)
    #expect(errors.allSatisfy { $0.error < 1e-12 }, "\(errors)")
}

import Orbit
import OrbitModels
import OrbitNN
import Testing

// The worked example of Docs/Equivariance.md section 9, run as written.
@Test func theDocumentedRotationEquivariantNetworkIsEquivariant() {
    let c4 = CyclicGroup(order: 4)
    var generator = RandomGenerator(seed: 0)
    let lifting = LiftingConvolution(group: c4, inputChannels: 1, outputFields: 8, kernelSize: 3, padding: 1, using: &generator)
    let convolution = GroupConvolution(group: c4, inputFields: 8, outputFields: 8, kernelSize: 3, padding: 1, using: &generator)
    let pooling = GroupPooling(group: c4, fields: 8)
    let model = { (images: Tensor) in pooling(convolution(relu(lifting(images)))) }

    let images = Tensor.randomNormal([4, 1, 29, 29], using: &generator)
    let errors = equivarianceErrors(of: model, input: images, inputType: lifting.inputType,
                                    outputType: pooling.outputType, elements: c4.elements)
    #expect(errors.map(\.element) == [0, 1, 2, 3])
    // Float32 rounding: the 32 -> 32 channel convolution runs Winograd F(4x4, 3x3), whose rounding
    // (up to 3e-5 of a typical entry element-wise, WinogradTests) puts these errors near 1.05e-6 (the
    // direct sum gives 1.5e-7).
    #expect(errors.allSatisfy { $0.error < 1e-5 }, "\(errors)")
}

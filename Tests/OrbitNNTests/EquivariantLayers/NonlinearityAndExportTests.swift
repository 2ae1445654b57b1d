import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

@Test func normAndGatedNonlinearitiesAndNormPoolingAreEquivariant() {
    let c4 = CyclicGroup(order: 4)
    let vector = c4.irreducibleRepresentation(frequency: 1)
    let fields = FieldType(group: c4, representations: [vector, vector, c4.regularRepresentation])
    let norm = NormNonlinearity(inputType: fields, dtype: .float64)
    norm.bias.value = Tensor([-0.3, 0.2, 0.1] as [Double], shape: [3])
    let gated = GatedNonlinearity(gatedType: fields, dtype: .float64)
    let pooling = NormPooling(inputType: fields, dtype: .float64)
    let x = randomTensor([2, fields.channels, 7, 7], seed: 4)
    let gateInput = randomTensor([2, gated.inputType.channels, 7, 7], seed: 5)
    for (name, errors) in [
        ("norm", layerEquivarianceErrors(norm.callAsFunction, input: x, inputType: fields, outputType: fields, elements: c4.elements)),
        ("gated", layerEquivarianceErrors(gated.callAsFunction, input: gateInput, inputType: gated.inputType,
                                          outputType: gated.outputType, elements: c4.elements)),
        ("pooling", layerEquivarianceErrors(pooling.callAsFunction, input: x, inputType: fields, outputType: pooling.outputType,
                                            elements: c4.elements)),
    ] {
        #expect(errors.allSatisfy { $0 < 1e-13 }, "\(name): \(errors)")
    }
    // A pointwise ReLU on vector fields is not equivariant (the reason these layers exist).
    let reluErrors = layerEquivarianceErrors(relu, input: x, inputType: fields, outputType: fields, elements: c4.elements)
    #expect(reluErrors[1] > 0.1)
    let check = GradientCheck({ inputs in norm(gated(inputs[0])) }, at: [gateInput])
    #expect(check.passed, "\(check)")
}

/// Kernel size, padding, stride, dilation.
private let exportGeometries: [(Int, Int, Int, Int)] = [(3, 1, 1, 1), (3, 0, 2, 1), (5, 2, 1, 1), (5, 4, 1, 2), (3, 2, 2, 2), (1, 0, 1, 1)]

@Test(arguments: exportGeometries.indices)
func exportedConvolutionsMatchTheirLayersAfterTraining(_ index: Int) {
    let (kernel, padding, stride, dilation) = exportGeometries[index]
    let d4 = DihedralGroup(order: 4)
    var generator = RandomGenerator(seed: UInt64(index))
    let lifting = LiftingConvolution(group: d4, inputChannels: 2, outputFields: 2, kernelSize: kernel, stride: PerAxis(integerLiteral: stride),
                                     padding: PerAxis(integerLiteral: padding), dilation: PerAxis(integerLiteral: dilation), dtype: .float64, using: &generator)
    let group = GroupConvolution(group: d4, inputFields: 2, outputFields: 1, kernelSize: kernel, padding: PerAxis(integerLiteral: padding),
                                 paddingMode: .circular, dtype: .float64, using: &generator)
    let c4 = CyclicGroup(order: 4)
    let steer = SteerableConvolution(inputType: FieldType(group: c4, c4.irreducibleRepresentation(frequency: 1), count: 2),
                                     outputType: FieldType(group: c4, c4.regularRepresentation, count: 2), kernelSize: kernel,
                                     stride: PerAxis(integerLiteral: stride), padding: PerAxis(integerLiteral: padding),
                                     dilation: PerAxis(integerLiteral: dilation), dtype: .float64, using: &generator)
    let x = randomTensor([2, 2, 13, 13], seed: 7)
    let y = randomTensor([2, 4, 13, 13], seed: 8)
    let layers: [(any ExportableConvolution, Tensor)] = [(lifting, x), (group, lifting(x).slice(axis: 2, 0..<6).slice(axis: 3, 0..<6)), (steer, y)]
    for (layer, input) in layers {
        // A few SGD steps first, so the export is of trained coefficients, not the initialization.
        for _ in 0..<3 {
            let gradients = valueAndGradient(of: layer.parameters) { square(layer(input)).mean() }.gradients
            for parameter in layer.parameters { parameter.value = parameter.value - gradients[parameter] * 0.1 }
        }
        let exported = layer.exported()
        expectClose(exported(input), layer(input), relativeTolerance: 1e-8, "\(type(of: layer)) k\(kernel) p\(padding) s\(stride) d\(dilation)")
    }
}

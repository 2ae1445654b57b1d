import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The scale convolution against its definition, computed independently with one conv2d per scale.

private let basis = HermiteGaussianBasis(kernelSize: 5, scales: [1, 1.5, 2], effectiveSize: 3)

/// K_s[o, i] = Σ_f w[o, i, j, f]·basis[f, s]: the filter of output scale s for input-scale offset j.
private func filter(_ layer: ScaleConvolution, scale: Int, offset: Int) -> Tensor {
    let w = layer.weight.value.slice(axis: 2, index: offset)                        // [O, I, F]
    let functions = basis.tensor.slice(axis: 1, index: scale).reshaped([basis.functionCount, 25])
    return matmul(w.reshaped([-1, basis.functionCount]), functions).reshaped([w.shape[0], w.shape[1], 5, 5])
}

@Test func liftingScaleConvolutionConvolvesWithEachScalesFilter() {
    var generator = RandomGenerator(seed: 1)
    let layer = ScaleConvolution(inputChannels: 2, outputChannels: 3, basis: basis, lifting: true, dtype: .float64, using: &generator)
    let x = randomTensor([2, 2, 9, 9], seed: 2)
    let output = layer(x)
    #expect(output.shape == [2, 3, 3, 9, 9])
    for scale in 0..<3 {
        let reference = conv2d(x, filter(layer, scale: scale, offset: 0), padding: 2) + layer.bias!.value.reshaped([-1, 1, 1])
        expectClose(output.slice(axis: 2, index: scale), reference, relativeTolerance: 1e-13)
    }
}

@Test func scaleToScaleConvolutionMixesNeighbouringScales() {
    var generator = RandomGenerator(seed: 3)
    let layer = ScaleConvolution(inputChannels: 2, outputChannels: 2, basis: basis, lifting: false, scaleSize: 2, bias: false,
                                 dtype: .float64, using: &generator)
    let x = randomTensor([1, 2, 3, 7, 7], seed: 4)
    let output = layer(x)
    for scale in 0..<3 {
        var reference = conv2d(x.slice(axis: 2, index: scale), filter(layer, scale: scale, offset: 0), padding: 2)
        if scale + 1 < 3 { reference = reference + conv2d(x.slice(axis: 2, index: scale + 1), filter(layer, scale: scale, offset: 1), padding: 2) }
        expectClose(output.slice(axis: 2, index: scale), reference, relativeTolerance: 1e-13)
    }
    let check = GradientCheck(parameters: layer.parameters) { layer(x) }
    #expect(check.passed, "\(check)")
    let inputCheck = GradientCheck({ layer($0[0]) }, at: [x])
    #expect(inputCheck.passed, "\(inputCheck)")
}

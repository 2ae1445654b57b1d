import Orbit
import Testing
import _OrbitTestSupport

// A whole small model through the directional check: gradients of a loss with respect to the data and
// every weight at once, through conv, broadcast bias, relu, pooling, reshape, matmul and cross-entropy.

/// conv 3x3 (circular) + bias -> relu -> average pool 2 -> conv 3x3 stride 2 (zeros) -> leakyRelu ->
/// max pool 2 -> flatten -> linear -> cross-entropy. Inputs: images [2, 2, 8, 8], first weight [3, 2, 3, 3],
/// bias [1, 3, 1, 1], second weight [4, 3, 3, 3], classifier [4, 3].
private func smallNetworkLoss(_ inputs: [Tensor]) -> Tensor {
    let (images, firstWeight, bias, secondWeight, classifier) = (inputs[0], inputs[1], inputs[2], inputs[3], inputs[4])
    var features = relu(conv2d(images, firstWeight, padding: 1, paddingMode: .circular) + bias)
    features = averagePool2d(features, kernelSize: 2)
    features = leakyRelu(conv2d(features, secondWeight, stride: 2, padding: 1), slope: 0.1)
    features = maxPool2d(features, kernelSize: 2).flattened(from: 1)
    return crossEntropy(matmul(features, classifier), labels: Tensor([2, 0] as [Int64], shape: [2]))
}

@Test func smallConvolutionalNetworkGradient() {
    // Seeded inputs; a relu or max-pool switch within the 1e-5 step would show as a failure with a
    // worst entry, which these seeds do not hit.
    let inputs = [
        randomTensor([2, 2, 8, 8], seed: 21), randomTensor([3, 2, 3, 3], seed: 22, lowerBound: -0.5, upperBound: 0.5),
        randomTensor([1, 3, 1, 1], seed: 23, lowerBound: -0.1, upperBound: 0.1),
        randomTensor([4, 3, 3, 3], seed: 24, lowerBound: -0.5, upperBound: 0.5), randomTensor([4, 3], seed: 25),
    ]
    let check = GradientCheck(smallNetworkLoss, at: inputs)
    #expect(check.passed, "\(check)")
}

/// The same network as a training step sees it: `valueAndGradient(of: parameters)` must give the
/// gradients of the functional form, parameter by parameter.
@Test func parameterGradientsMatchTheFunctionalForm() {
    let images = randomTensor([2, 2, 8, 8], seed: 21)
    let weights = [
        randomTensor([3, 2, 3, 3], seed: 22, lowerBound: -0.5, upperBound: 0.5),
        randomTensor([1, 3, 1, 1], seed: 23, lowerBound: -0.1, upperBound: 0.1),
        randomTensor([4, 3, 3, 3], seed: 24, lowerBound: -0.5, upperBound: 0.5), randomTensor([4, 3], seed: 25),
    ]
    let parameters = weights.map { Parameter($0) }
    let (value, gradients) = valueAndGradient(of: parameters) { smallNetworkLoss([images] + parameters.map(\.value)) }
    let (functionalValue, functionalGradients) = valueAndGradient(at: [images] + weights, smallNetworkLoss)
    #expect(value.item == functionalValue.item)
    // Both forms run the same ops in the same order on the same values, so they must agree bit for bit.
    for (parameter, expected) in zip(parameters, functionalGradients.dropFirst()) {
        expectClose(gradients[parameter], expected, relativeTolerance: 0, absoluteFloor: 1e-300)
    }
}

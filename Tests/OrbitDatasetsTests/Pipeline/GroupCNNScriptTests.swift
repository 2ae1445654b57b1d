import Orbit
import OrbitDatasets
import OrbitNN
import Testing

// The calls a user writes for a C4 group CNN, taken from the docs (Docs/Equivariance.md section 8,
// Docs/Autodiff.md, Docs/PyTorchMapping.md) with public imports only: that this file compiles is most
// of the test. Sizes as literals, Int variables, arrays and PerAxis values are accepted alike by every
// layer; the first batch of an epoch is `.first`; `withAnomalyDetection` returns (result, anomaly);
// `loss.item` is a Double.

private let images = (0..<12).map { index in
    LabeledImage(pixels: (0..<64).map { Float(($0 * 7 + index * 3) % 11) / 10 }, channels: 1, height: 8, width: 8, label: index % 10)
}

@Test func aC4GroupCNNScriptCompilesAndTrainsOneStep() {
    var generator = RandomGenerator(seed: 1)
    let c4 = CyclicGroup(order: 4)
    let k = 3
    let model = Sequential(
        LiftingConvolution(group: c4, inputChannels: 1, outputFields: 4, kernelSize: k, padding: k / 2, using: &generator),
        ReLU(),
        GroupConvolution(group: c4, inputFields: 4, outputFields: 4, kernelSize: 3, padding: 1, using: &generator),
        ReLU(),
        GroupPooling(group: c4, fields: 4),
        GlobalAveragePool(),
        Linear(inputFeatures: 4, outputFeatures: 10, using: &generator))
    let loader = DataLoader(images, batchSize: 4, shuffling: RandomGenerator(seed: 2))
    let batch = loader.batches(epoch: 0).first!
    #expect(batch.inputs.shape == [4, 1, 8, 8] && loader.batches(epoch: 0).count == 3)

    let (step, anomaly) = withAnomalyDetection {
        valueAndGradient(of: model.parameters) { crossEntropy(model(batch.inputs), labels: batch.labels) }
    }
    let loss: Double = step.value.item
    #expect(anomaly == nil && loss.isFinite && loss > 0)
    #expect(step.gradients[model.parameters[0]].shape == [4, 1, 3, 3])
}

@Test func everyConvolutionTakesSizesAsIntArrayOrPerAxis() {
    // The same layer spelled four ways, from the same seed: identical weights and outputs.
    let c8 = CyclicGroup(order: 8)
    let (side, padding): (Int, PerAxis) = (3, 1)
    func groupLayer(_ build: (inout RandomGenerator) -> GroupConvolution<CyclicGroup>) -> Tensor {
        var generator = RandomGenerator(seed: 3)
        let layer = build(&generator)
        return layer(Tensor.ones([1, 8, 5, 5]))
    }
    let literal = groupLayer { GroupConvolution(group: c8, inputFields: 1, outputFields: 1, kernelSize: 3, padding: 1, using: &$0) }
    let variables = groupLayer { GroupConvolution(group: c8, inputFields: 1, outputFields: 1, kernelSize: side, padding: padding, using: &$0) }
    let arrays = groupLayer { GroupConvolution(group: c8, inputFields: 1, outputFields: 1, kernelSize: [3, 3], padding: [1, 1], using: &$0) }
    #expect(literal.doubles == variables.doubles && literal.doubles == arrays.doubles)

    var generator = RandomGenerator(seed: 4)
    let plain = Convolution2D(inputChannels: 1, outputChannels: 2, kernelSize: side, stride: side - 2, padding: padding, using: &generator)
    let pooled = MaxPool2D(kernelSize: 2, stride: side - 1)(plain(Tensor.ones([1, 1, 6, 6])))
    #expect(plain.padding == [1] && plain.weight.shape == [2, 1, 3, 3] && pooled.shape == [1, 2, 3, 3])
    #expect(conv2d(Tensor.ones([1, 1, 4, 4]), Tensor.ones([1, 1, 3, 3]), padding: side / 2).shape == [1, 1, 4, 4])
}

import Orbit
import OrbitModels
import OrbitNN
import Testing

// Every layer's parameters are found by reflection and named by path (STYLE N2, MLX ModuleTests).

private final class TwoConvolutionNetwork: Layer {
    let conv1: Convolution2D
    let conv2: Convolution2D
    let dropout: Dropout
    let fc1: Linear
    let fc2: Linear
    let scale = Tensor.ones([1])   // a plain tensor: neither a parameter nor a buffer

    init(using generator: inout RandomGenerator) {
        conv1 = Convolution2D(inputChannels: 1, outputChannels: 4, kernelSize: 3, using: &generator)
        conv2 = Convolution2D(inputChannels: 4, outputChannels: 8, kernelSize: 3, bias: false, using: &generator)
        dropout = Dropout(probability: 0.5, seed: 1)
        fc1 = Linear(inputFeatures: 8, outputFeatures: 16, using: &generator)
        fc2 = Linear(inputFeatures: 16, outputFeatures: 10, using: &generator)
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        let features = relu(conv2(relu(conv1(input)))).mean(axes: [2, 3])
        return fc2(relu(fc1(dropout(features))))
    }
}

@Test func namesFollowDeclarationOrderAndPaths() {
    var generator = RandomGenerator(seed: 0)
    let model = TwoConvolutionNetwork(using: &generator)
    let named = model.namedParameters.map { "\($0.name) \($0.parameter.shape)" }
    #expect(named == [
        "conv1.weight [4, 1, 3, 3]", "conv1.bias [4]", "conv2.weight [8, 4, 3, 3]",
        "fc1.weight [16, 8]", "fc1.bias [16]", "fc2.weight [10, 16]", "fc2.bias [10]",
    ])
    #expect(model.parameterCount == 36 + 4 + 288 + 128 + 16 + 160 + 10)
    #expect(model.namedBuffers.isEmpty)
}

@Test func sequentialNamesByPositionLikePyTorch() {
    var generator = RandomGenerator(seed: 0)
    let model = Sequential(
        Convolution2D(inputChannels: 1, outputChannels: 2, kernelSize: 3, using: &generator),
        ReLU(),
        BatchNormalization(channels: 2),
        Sequential(Flatten(), Linear(inputFeatures: 2, outputFeatures: 3, using: &generator)))
    #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "3.1.weight", "3.1.bias"])
    #expect(model.namedBuffers.map(\.name) == ["2.runningMean", "2.runningVariance", "2.batchesTracked"])
}

@Test func tiedParametersAreListedOnce() {
    var generator = RandomGenerator(seed: 0)
    let shared = Linear(inputFeatures: 3, outputFeatures: 3, using: &generator)
    let model = Sequential(shared, ReLU(), shared)
    #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias"])
}

@Test func optionalAndArrayChildrenAreDiscovered() {
    final class Holder: Module {
        let blocks: [Linear]
        let head: Linear?
        let absent: Linear? = nil
        init(using generator: inout RandomGenerator) {
            blocks = [Linear(inputFeatures: 2, outputFeatures: 2, bias: false, using: &generator),
                      Linear(inputFeatures: 2, outputFeatures: 2, bias: false, using: &generator)]
            head = Linear(inputFeatures: 2, outputFeatures: 1, using: &generator)
        }
    }
    var generator = RandomGenerator(seed: 0)
    #expect(Holder(using: &generator).namedParameters.map(\.name) == ["blocks.0.weight", "blocks.1.weight", "head.weight", "head.bias"])
}

@Test func trainAndEvalReachNestedLayers() {
    let dropout = Dropout(probability: 0.5, seed: 3)
    let normalization = BatchNormalization(channels: 2)
    let model = Sequential(Sequential(dropout), normalization)
    model.eval()
    #expect(!dropout.isTraining && !normalization.isTraining)
    model.train()
    #expect(dropout.isTraining && normalization.isTraining)
}

@Test func summaryListsEveryParameterAndTheTotal() {
    var generator = RandomGenerator(seed: 0)
    let model = Sequential(Linear(inputFeatures: 1000, outputFeatures: 1200, using: &generator), BatchNormalization(channels: 3))
    let summary = model.summary
    #expect(summary.contains("0.weight") && summary.contains("[1200, 1000]") && summary.contains("1,200,000"))
    #expect(summary.contains("1.runningMean") && summary.contains("(buffer)"))
    #expect(summary.hasSuffix("total trainable parameters: 1,201,206"))
}

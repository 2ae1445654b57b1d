import Foundation
import Orbit
import OrbitModels
import OrbitNN
import Testing

// Weights written by PyTorch's safetensors package (Fixtures/make_pytorch_fixture.py, PyTorch 2.15) load
// into the same architecture built from Orbit layers, and give PyTorch's outputs.

private final class FixtureNetwork: Layer {
    let conv1: Convolution2D
    let bn: BatchNormalization
    let conv2: Convolution2D
    let fc: Linear

    init() {
        var generator = RandomGenerator(seed: 0)
        conv1 = Convolution2D(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, using: &generator)
        bn = BatchNormalization(channels: 4)
        conv2 = Convolution2D(inputChannels: 4, outputChannels: 6, kernelSize: 3, stride: 2, padding: 1, bias: false,
                              paddingMode: .circular, using: &generator)
        fc = Linear(inputFeatures: 24, outputFeatures: 5, using: &generator)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let features = relu(bn(conv1(x)))
        return fc(maxPool2d(relu(conv2(features)), kernelSize: 2).flattened(from: 1))
    }
}

private let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/pytorch_model.safetensors")

@Test func pyTorchWeightsGivePyTorchOutputs() throws {
    let file = try SafeTensors.read(from: fixtureURL)
    let weights = file.tensors.filter { !$0.name.hasPrefix("test.") }
    let model = FixtureNetwork()
    try model.loadStateDictionary(Dictionary(uniqueKeysWithValues: weights.map { (PyTorchNames.orbitName($0.name), $0.tensor) }))
    model.eval()
    let output = model(file["test.input"]!).doubles
    let expected = file["test.output"]!.doubles
    // Float32 throughout: a few ulps of the largest output after ~50 accumulations per value.
    let scale = expected.map(abs).max()!
    for (actual, reference) in zip(output, expected) {
        #expect(abs(actual - reference) <= 1e-5 * scale, "\(actual) vs PyTorch \(reference)")
    }
    // Our names map back to PyTorch's exactly.
    #expect(model.stateDictionary.map { PyTorchNames.pyTorchName($0.name) }.sorted() == weights.map(\.name).sorted())
}

@Test func strictLoadingNamesTheProblem() throws {
    let model = FixtureNetwork()
    var state = Dictionary(uniqueKeysWithValues: model.stateDictionary.map { ($0.name, $0.tensor) })
    state["fc.bias"] = nil
    #expect(throws: StateDictionaryError.missing(keys: ["fc.bias"])) { try model.loadStateDictionary(state) }
    state["fc.bias"] = Tensor.zeros([5])
    state["fc.extra"] = Tensor.zeros([1])
    #expect(throws: StateDictionaryError.unexpected(keys: ["fc.extra"])) { try model.loadStateDictionary(state) }
    try model.loadStateDictionary(state, strict: false)
    state["fc.extra"] = nil
    state["fc.weight"] = Tensor.zeros([5, 25])
    #expect(throws: StateDictionaryError.shapeMismatch(key: "fc.weight", expected: [5, 24], found: [5, 25])) {
        try model.loadStateDictionary(state, strict: false)
    }
    let error = StateDictionaryError.shapeMismatch(key: "fc.weight", expected: [5, 24], found: [5, 25])
    #expect("\(error)" == "fc.weight: the model has shape [5, 24], the file has [5, 25]")
}

@Test func checkpointsSavedInEitherModeRestoreTheSameModel() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-checkpoint-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let original = FixtureNetwork()
    var generator = RandomGenerator(seed: 1)
    _ = original(Tensor.randomNormal([4, 1, 8, 8], using: &generator))   // training mode: moves BN statistics
    let input = Tensor.randomNormal([2, 1, 8, 8], using: &generator)
    for saveInTraining in [true, false] {
        saveInTraining ? original.train() : original.eval()
        let url = directory.appendingPathComponent("model.safetensors")
        try Checkpoint(model: original, metadata: ["epoch": "3"]).write(to: url)
        let restored = FixtureNetwork()
        saveInTraining ? restored.eval() : restored.train()
        let checkpoint = try Checkpoint(contentsOf: url)
        try checkpoint.restore(restored)
        #expect(checkpoint.metadata == ["epoch": "3"])
        original.eval()
        restored.eval()
        #expect(restored(input).doubles == original(input).doubles)
    }
}

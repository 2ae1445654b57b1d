import Foundation
import Orbit
import OrbitNN
import Testing
@testable import OrbitModels
@testable import OrbitTraining

// Shipped trained models (OrbitModels/FlowEquivariance/TrainedModels.swift): weights written exactly as the
// trainer writes best.safetensors (its own `TrainingFiles.writeBest`), published, then loaded back; and the
// guards: the SHA-256, the strict tensor check, the manifest's consistency, the folder lookup.

private func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orbit-trained-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

private func manifest(_ architecture: String = "fernn-v1", range: Int = 1, hidden: Int = 4) -> TrainedModelManifest {
    TrainedModelManifest(name: "tiny-\(architecture)", architecture: architecture, hiddenChannels: hidden, modelVelocityRange: range,
                         decoderLayers: 1, inputFrames: 3, predictedFrames: 2, digits: 1, dataVelocityRange: 1, seed: 1,
                         commit: "1882b27", command: "make run ARGS=\"--hidden \(hidden) --epochs 1\"", trainingHours: 0.01,
                         metrics: ["test_mse": 0.02, "mse_step_2": 0.03])
}

/// A "trained" predictor: the manifest's architecture with random weights drawn from seed 11 (not the
/// manifest's seed, so a load that kept its initial weights would give other outputs), saved as a run's
/// best.safetensors.
private func bestOfRun(_ manifest: TrainedModelManifest, in directory: URL) throws -> (model: FlowPredictor<FlowEquivariantRNNCell>, url: URL) {
    var generator = RandomGenerator(seed: 11)
    let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: manifest.hiddenChannels, flows: try manifest.flows(),
                                      activation: manifest.activation, using: &generator)
    let model = FlowPredictor(cell: cell, decoderLayers: manifest.decoderLayers, using: &generator)
    let url = directory.appendingPathComponent("run/best.safetensors")
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try TrainingFiles.writeBest(model, epoch: 3, score: 0.02, to: url)
    return (model, url)
}

/// Frames [2, 3, 1, 8, 8] -> predictions [2, 2, 1, 8, 8].
private func predictions(_ model: FlowPredictor<FlowEquivariantRNNCell>) -> [Double] {
    var generator = RandomGenerator(seed: 99)
    let frames = Tensor.randomUniform([2, 3, 1, 8, 8], using: &generator)
    return model(frames, predicting: 2).doubles
}

private func expectError(_ expected: TrainedModelError, sourceLocation: SourceLocation = #_sourceLocation,
                         _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected \(expected), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as TrainedModelError {
        #expect(error == expected, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
    }
}

@Test(arguments: [("grnn", 0), ("fernn-v1", 1), ("fernn-v1-tanh", 1)])
func publishedModelLoadsWithTheOriginalsOutputs(architecture: String, range: Int) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try bestOfRun(manifest(architecture, range: range), in: directory)
    let shipped = directory.appendingPathComponent("Trained")
    let published = try TrainedModels.publish(weights: run.url, manifest: manifest(architecture, range: range), to: shipped)

    var expected = manifest(architecture, range: range)
    (expected.weightsFile, expected.sha256) = ("tiny-\(architecture).safetensors", try SHA256.hexDigest(ofFileAt: run.url))
    #expect(published == expected)
    #expect(try Data(contentsOf: shipped.appendingPathComponent(published.weightsFile)) == Data(contentsOf: run.url))
    #expect(try TrainedModelManifest(contentsOf: shipped.appendingPathComponent("tiny-\(architecture).json")) == published)
    #expect(try TrainedModels.manifests(in: shipped) == [published])

    let loaded = try TrainedModels.load(published, from: shipped)
    #expect(loaded.cell.flows.count == (2 * range + 1) * (2 * range + 1))
    #expect(loaded.cell.activation == (architecture.hasSuffix("-tanh") ? .tanh : .relu))
    #expect(predictions(loaded) == predictions(run.model))
    #expect(predictions(try TrainedModels.makePredictor(published)) != predictions(run.model))  // the test can fail
}

@Test func aChangedByteIsRefusedNamingBothDigests() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let published = try TrainedModels.publish(weights: try bestOfRun(manifest(), in: directory).url, manifest: manifest(), to: directory)
    let url = directory.appendingPathComponent(published.weightsFile)
    let original = try Data(contentsOf: url)
    // A weight's last byte (the checkpoint's own checksum would also object), then a digit of the
    // metadata's epoch (which only the SHA-256 covers).
    let epochDigit = try #require(original.range(of: Data("\"training.epoch\":\"3".utf8))).upperBound - 1
    for index in [original.count - 1, epochDigit] {
        var changed = original
        changed[index] ^= 0x01
        try changed.write(to: url)
        let actual = SHA256.hexDigest(of: changed)
        expectError(.checksumMismatch(file: url.path, expected: published.sha256, actual: actual)) {
            _ = try TrainedModels.load(published, from: directory)
        }
        let message = TrainedModelError.checksumMismatch(file: url.path, expected: published.sha256, actual: actual).description
        #expect(message.contains(published.sha256) && message.contains(actual) && message.contains(url.path))
    }
    try original.write(to: url)
    _ = try TrainedModels.load(published, from: directory)
}

@Test func weightsThatDoNotFitTheManifestAreRefusedNamingTheTensor() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try bestOfRun(manifest(hidden: 4), in: directory)
    let published = try TrainedModels.publish(weights: run.url, manifest: manifest(hidden: 4), to: directory)

    // Loading: a manifest claiming 6 hidden channels for weights with 4.
    var wrong = published
    wrong.hiddenChannels = 6
    do {
        _ = try TrainedModels.load(wrong, from: directory)
        Issue.record("a manifest with the wrong hidden channels loaded")
    } catch let TrainedModelError.weightsDoNotMatchManifest(file, name, .shapeMismatch(key, expected, found)) {
        #expect(file == directory.appendingPathComponent(published.weightsFile).path && name == published.name)
        #expect(key.hasPrefix("cell.") && expected.contains(6) && found.contains(4) && !found.contains(6))
        let message = TrainedModelError.weightsDoNotMatchManifest(file: file, manifest: name,
                                                                  problem: .shapeMismatch(key: key, expected: expected, found: found))
        #expect(message.description.contains(key))
    }

    // Publishing refuses the same mismatch, and a missing or an extra tensor, before writing anything.
    let empty = directory.appendingPathComponent("empty")
    expectError(.weightsDoNotMatchManifest(file: run.url.path, manifest: published.name,
                                           problem: .shapeMismatch(key: "cell.inputWeight", expected: [6, 1, 3, 3], found: [4, 1, 3, 3]))) {
        try TrainedModels.publish(weights: run.url, manifest: manifest(hidden: 6), to: empty)
    }
    var checkpoint = Checkpoint(model: run.model)
    checkpoint.modelState["decoder.0.weight"] = nil
    try checkpoint.write(to: run.url)
    expectError(.weightsDoNotMatchManifest(file: run.url.path, manifest: published.name, problem: .missing(keys: ["decoder.0.weight"]))) {
        try TrainedModels.publish(weights: run.url, manifest: manifest(), to: empty)
    }
    checkpoint = Checkpoint(model: run.model)
    checkpoint.modelState["cell.extra"] = Tensor.zeros([2])
    try checkpoint.write(to: run.url)
    expectError(.weightsDoNotMatchManifest(file: run.url.path, manifest: published.name, problem: .unexpected(keys: ["cell.extra"]))) {
        try TrainedModels.publish(weights: run.url, manifest: manifest(), to: empty)
    }
    // A training checkpoint (with optimizer state) is not a run's best weights.
    try Checkpoint(model: run.model, optimizerState: [(name: "step", tensor: Tensor.zeros([1]))]).write(to: run.url)
    expectError(.weightsDoNotMatchManifest(file: run.url.path, manifest: published.name, problem: .unexpected(keys: ["optimizer.step"]))) {
        try TrainedModels.publish(weights: run.url, manifest: manifest(), to: empty)
    }
    #expect(!FileManager.default.fileExists(atPath: empty.path))
}

@Test func theFolderIsFoundFromANestedWorkingDirectory() throws {
    let root = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let trained = root.appendingPathComponent("Sources/OrbitModels/Trained", isDirectory: true)
    let nested = root.appendingPathComponent("Docs/results/deeper", isDirectory: true)
    for folder in [trained, nested] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    // From a temporary tree: its own folder, not the package's (found beside the source file).
    #expect(try TrainedModels.locateDirectory(from: nested).path == trained.standardizedFileURL.path)

    // From inside this package, as `make run` would start.
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let found = try TrainedModels.locateDirectory(from: package.appendingPathComponent("Sources/OrbitModels/FlowEquivariance"))
    #expect(found.path == package.appendingPathComponent("Sources/OrbitModels/Trained").standardizedFileURL.path)
    #expect(FileManager.default.fileExists(atPath: found.appendingPathComponent("README.md").path))
    #expect(try TrainedModels.directory.path == found.path)

    let nowhere = [root.appendingPathComponent("a"), root.appendingPathComponent("b")]
    expectError(.directoryNotFound(searched: nowhere.map(\.path))) { _ = try TrainedModels.firstDirectory(among: nowhere) }
    #expect(TrainedModelError.directoryNotFound(searched: nowhere.map(\.path)).description.contains(nowhere[1].path))
}

/// Every model shipped in Sources/OrbitModels/Trained loads: its manifest is named after it, its weights
/// match the recorded SHA-256 and fit the architecture. (Vacuous until the first model is published.)
@Test func everyShippedModelLoads() throws {
    let directory = try TrainedModels.directory
    for manifest in try TrainedModels.manifests(in: directory) {
        let model = try TrainedModels.load(manifest, from: directory)
        #expect(model.cell.hiddenChannels == manifest.hiddenChannels, "\(manifest.name)")
    }
}

@Test func manifestKeysAreSnakeCaseSortedAndStable() throws {
    var published = manifest()
    (published.weightsFile, published.sha256) = ("tiny-fernn-v1.safetensors", String(repeating: "ab", count: 32))
    let data = try published.encoded()
    let text = String(decoding: data, as: UTF8.self)
    let keys = ["architecture", "command", "commit", "data_velocity_range", "decoder_layers", "digits", "hidden_channels",
                "input_frames", "metrics", "model_velocity_range", "name", "predicted_frames", "seed", "sha256", "training_hours",
                "weights_file"]
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object.keys.sorted() == keys)
    let positions = keys.map { text.range(of: "\n  \"\($0)\" : ")?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted())
    #expect(text.contains("\"command\" : \"make run ARGS=\\\"--hidden 4 --epochs 1\\\"\"") && text.hasSuffix("}\n"))
    #expect(try JSONDecoder().decode(TrainedModelManifest.self, from: data) == published)
}

@Test func inconsistentManifestsAreRefused() throws {
    let cases: [(TrainedModelManifest, String)] = [
        (manifest("fernn-v2", range: 1), "model_velocity_range 2, not 1"),
        (manifest("grnn", range: 1), "grnn has model_velocity_range 0, not 1"),
        (manifest("fernn-v1-mix", range: 1), "neither grnn nor fernn-v<k>"),
        (manifest("fernn-v0", range: 0), "neither grnn nor fernn-v<k>"),
        (manifest("fernn-v1-tanh-tanh", range: 1), "neither grnn nor fernn-v<k>"),
        (manifest("grnn-tanh", range: 1), "grnn has model_velocity_range 0, not 1"),
        (manifest(hidden: 0), "hidden_channels 0 must be >= 1"),
    ]
    for (wrong, reason) in cases {
        #expect { try wrong.flows() } throws: { "\($0)".contains(reason) }
    }
    var badName = manifest()
    badName.name = "../elsewhere"
    #expect { try TrainedModels.makePredictor(badName) } throws: { "\($0)".contains("must be letters, digits") }
    #expect { try TrainedModels.load(manifest(), from: FileManager.default.temporaryDirectory) } throws: {
        "\($0)".contains("weights_file \"\" is not a file name")
    }
}

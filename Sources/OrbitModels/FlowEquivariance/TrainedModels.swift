import Foundation
import Orbit
import OrbitNN

/// The trained next-step predictors that ship with Orbit (`Sources/OrbitModels/Trained/`): per model,
/// the weights `<name>.safetensors` (a copy of its training run's `best.safetensors`) and the manifest
/// `<name>.json` (`TrainedModelManifest`), which records the weights' SHA-256.
///
/// ```swift
/// let directory = try TrainedModels.directory
/// for manifest in try TrainedModels.manifests(in: directory) {
///     let model = try TrainedModels.load(manifest, from: directory)  // checksum verified, strict
///     let predictions = model(frames, predicting: 10)  // [N, T, 1, H, W] -> [N, 10, 1, H, W]
/// }
/// ```
public enum TrainedModels {
    /// Where the trained models ship, relative to the package root.
    public static let repositoryPath = "Sources/OrbitModels/Trained"

    /// The folder of the trained models that ship with Orbit.
    ///
    /// Looks for `Sources/OrbitModels/Trained` under the current directory and each of its parents (so a
    /// command run anywhere inside the package finds it), then beside this source file as it was
    /// compiled. Throws `TrainedModelError.directoryNotFound` listing every place it looked.
    public static var directory: URL {
        get throws(TrainedModelError) {
            try locateDirectory(from: RepositoryFolder.workingDirectory)
        }
    }

    /// The first `<ancestor>/Sources/OrbitModels/Trained` that is a folder, searching `start` and its
    /// parents, then the folder beside this source file.
    public static func locateDirectory(from start: URL) throws(TrainedModelError) -> URL {
        // This file is Sources/OrbitModels/FlowEquivariance/TrainedModels.swift; the models are in ../Trained.
        let besideSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Trained", isDirectory: true)
        return try firstDirectory(among: RepositoryFolder.candidates(repositoryPath, from: start, besideSource: besideSource))
    }

    static func firstDirectory(among candidates: [URL]) throws(TrainedModelError) -> URL {
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue { return candidate }
        }
        throw .directoryNotFound(searched: candidates.map(\.path))
    }

    /// The manifests (`*.json`) in `directory`, sorted by name. Each must be readable and be named after
    /// its model (`<name>.json`).
    public static func manifests(in directory: URL) throws -> [TrainedModelManifest] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        return try files.map { file throws(TrainedModelError) in
            let url = directory.appendingPathComponent(file)
            let manifest = try TrainedModelManifest(contentsOf: url)
            guard file == manifest.name + ".json" else {
                throw .invalidManifest(name: manifest.name, reason: "its file is \(url.path), not \(manifest.name).json")
            }
            return manifest
        }.sorted { $0.name < $1.name }
    }

    /// The untrained predictor `manifest` describes, with one input channel: a `FlowEquivariantRNNCell`
    /// with V = {0} (grnn) or {-k…k}² (fernn-v<k>), 3×3 kernels, ReLU (tanh for a "-tanh" architecture), no velocity mixing, and
    /// `decoderLayers` hidden decoder convolutions; frames [N, T, 1, H, W] -> predictions [N, steps, 1, H, W].
    /// The same model the trainer (`makeSequenceTrainer`, `FlowExperiment`) builds, drawn from `manifest.seed`.
    public static func makePredictor(_ manifest: TrainedModelManifest) throws(TrainedModelError) -> FlowPredictor<FlowEquivariantRNNCell> {
        let flows = try manifest.flows()
        var generator = RandomGenerator(seed: manifest.seed)
        let cell = FlowEquivariantRNNCell(inputChannels: 1, hiddenChannels: manifest.hiddenChannels, flows: flows,
                                          activation: manifest.activation, using: &generator)
        return FlowPredictor(cell: cell, decoderLayers: manifest.decoderLayers, using: &generator)
    }

    /// The trained predictor of `manifest`, in evaluation mode, from its weights file in `directory`.
    ///
    /// Never a silent load: the weights file's SHA-256 must equal `manifest.sha256`
    /// (`TrainedModelError.checksumMismatch` naming the file and both digests), it must be an Orbit
    /// checkpoint with model tensors only (as the trainer's `best.safetensors`; its own checksum and
    /// finiteness are verified too, `CheckpointError`), and its tensors must be exactly the predictor's, with
    /// the same shapes (`TrainedModelError.weightsDoNotMatchManifest` naming the tensor).
    public static func load(_ manifest: TrainedModelManifest, from directory: URL) throws -> FlowPredictor<FlowEquivariantRNNCell> {
        let model = try makePredictor(manifest)
        guard !manifest.weightsFile.isEmpty, !manifest.weightsFile.contains("/"), !manifest.weightsFile.hasPrefix(".") else {
            throw TrainedModelError.invalidManifest(name: manifest.name, reason: "weights_file \"\(manifest.weightsFile)\" is not a "
                                                    + "file name in the manifest's folder (was it published?)")
        }
        let url = directory.appendingPathComponent(manifest.weightsFile)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TrainedModelError.missingWeights(file: url.path, manifest: manifest.name)
        }
        let actual = try SHA256.hexDigest(ofFileAt: url)
        guard actual == manifest.sha256.lowercased() else {
            throw TrainedModelError.checksumMismatch(file: url.path, expected: manifest.sha256, actual: actual)
        }
        try restore(model, from: url, manifest: manifest)
        model.eval()
        return model
    }

    /// Publishes the trained weights at `weights` (a run's `best.safetensors`) as the model `manifest`
    /// describes, in `directory` (created if needed).
    ///
    /// First checks that the weights load strictly into that model (so a published model always loads),
    /// then copies them to `<name>.safetensors` (atomically), computes the copy's SHA-256, fills
    /// `weightsFile` and `sha256`, writes `<name>.json` atomically and returns the filled manifest.
    /// Existing files of the same name are replaced.
    @discardableResult
    public static func publish(weights: URL, manifest: TrainedModelManifest, to directory: URL) throws -> TrainedModelManifest {
        try restore(try makePredictor(manifest), from: weights, manifest: manifest)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var published = manifest
        published.weightsFile = manifest.name + ".safetensors"
        let destination = directory.appendingPathComponent(published.weightsFile)
        if destination.standardizedFileURL.path != weights.standardizedFileURL.path {
            try Data(contentsOf: weights).write(to: destination, options: .atomic)
        }
        published.sha256 = try SHA256.hexDigest(ofFileAt: destination)
        try published.encoded().write(to: directory.appendingPathComponent(manifest.name + ".json"), options: .atomic)
        return published
    }

    /// Loads the checkpoint at `url` into `model`, strictly; a mismatch names the file, the manifest and the tensor.
    private static func restore(_ model: FlowPredictor<FlowEquivariantRNNCell>, from url: URL, manifest: TrainedModelManifest) throws {
        let checkpoint = try Checkpoint(contentsOf: url)
        do {
            guard checkpoint.optimizerState.isEmpty else {
                throw StateDictionaryError.unexpected(keys: checkpoint.optimizerState.keys.sorted().map { Checkpoint.optimizerPrefix + $0 })
            }
            try checkpoint.restore(model)
        } catch let problem as StateDictionaryError {
            throw TrainedModelError.weightsDoNotMatchManifest(file: url.path, manifest: manifest.name, problem: problem)
        }
    }
}

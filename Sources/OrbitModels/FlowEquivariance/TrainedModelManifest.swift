import Foundation
import OrbitNN

/// What a shipped trained model is (`Sources/OrbitModels/Trained/<name>.json`): the architecture and
/// sizes that rebuild its `FlowPredictor`, the data and run that produced it, its test metrics, and the
/// name and SHA-256 of its weights file (filled by `TrainedModels.publish`).
///
/// The JSON keys are snake_case and stable (`CodingKeys`); `encoded()` sorts them and pretty-prints,
/// so a re-published manifest differs from the old one only in the values that changed:
///
/// ```json
/// { "architecture" : "fernn-v2", "command" : "make run ARGS=\"…\"", "commit" : "1882b27", …,
///   "metrics" : { "mse_step_10" : 0.011, "test_mse" : 0.008 }, "name" : "fernn-v2-h32",
///   "sha256" : "3c0b…", "weights_file" : "fernn-v2-h32.safetensors" }
/// ```
public struct TrainedModelManifest: Codable, Sendable, Equatable {
    /// The model's name, also its files' base name: letters, digits, `.`, `_` and `-`, not starting with `.`.
    public var name: String
    /// "grnn" (V = {0}) or "fernn-v<k>" (V = {-k…k}², k = `modelVelocityRange` ≥ 1), with σ = ReLU; either
    /// followed by "-tanh" for σ = tanh.
    public var architecture: String
    /// Hidden channels of the cell (and of the decoder's convolutions).
    public var hiddenChannels: Int
    /// k of the velocity grid {-k…k}²; 0 for the G-RNN.
    public var modelVelocityRange: Int
    /// Hidden 3×3 convolutions of the decoder before its output convolution.
    public var decoderLayers: Int
    /// Frames read before predicting, and frames predicted, in training.
    public var inputFrames: Int
    public var predictedFrames: Int
    /// Digits per Translating MNIST sequence, and the velocity range of the data.
    public var digits: Int
    public var dataVelocityRange: Int
    public var seed: UInt64
    /// The commit the model was trained at, and the exact command that reproduced it.
    public var commit: String
    public var command: String
    public var trainingHours: Double
    /// Test metrics by name, e.g. "test_mse", "mse_step_10", "mse_step_70".
    public var metrics: [String: Double]
    /// The weights' file name in the manifest's directory, and its SHA-256 as 64 lowercase hex digits
    /// (both empty until `TrainedModels.publish` fills them).
    public var weightsFile: String
    public var sha256: String

    public init(name: String, architecture: String, hiddenChannels: Int, modelVelocityRange: Int, decoderLayers: Int,
                inputFrames: Int, predictedFrames: Int, digits: Int, dataVelocityRange: Int, seed: UInt64, commit: String,
                command: String, trainingHours: Double, metrics: [String: Double], weightsFile: String = "", sha256: String = "") {
        (self.name, self.architecture, self.hiddenChannels, self.modelVelocityRange) = (name, architecture, hiddenChannels, modelVelocityRange)
        (self.decoderLayers, self.inputFrames, self.predictedFrames) = (decoderLayers, inputFrames, predictedFrames)
        (self.digits, self.dataVelocityRange, self.seed, self.commit) = (digits, dataVelocityRange, seed, commit)
        (self.command, self.trainingHours, self.metrics) = (command, trainingHours, metrics)
        (self.weightsFile, self.sha256) = (weightsFile, sha256)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, architecture, hiddenChannels = "hidden_channels", modelVelocityRange = "model_velocity_range"
        case decoderLayers = "decoder_layers", inputFrames = "input_frames", predictedFrames = "predicted_frames", digits
        case dataVelocityRange = "data_velocity_range", seed, commit, command, trainingHours = "training_hours", metrics
        case weightsFile = "weights_file", sha256
    }

    /// The manifest as its file stores it: pretty-printed JSON with sorted keys, unescaped slashes, and
    /// a final newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Reads a manifest file; `TrainedModelError.unreadableManifest` naming the file and the reason.
    public init(contentsOf url: URL) throws(TrainedModelError) {
        do {
            self = try JSONDecoder().decode(TrainedModelManifest.self, from: Data(contentsOf: url))
        } catch {
            throw .unreadableManifest(file: url.path, reason: "\(error)")
        }
    }

    /// The velocities of the cell `architecture` names, after checking the name, the architecture and
    /// the sizes (`TrainedModelError.invalidManifest` saying which field is wrong and why).
    public func flows() throws(TrainedModelError) -> TranslationFlows {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, !name.hasPrefix("."), name.allSatisfy(allowed.contains) else {
            throw .invalidManifest(name: name, reason: "name \"\(name)\" must be letters, digits, '.', '_' or '-', not starting with '.'")
        }
        guard hiddenChannels >= 1, decoderLayers >= 0 else {
            throw .invalidManifest(name: name, reason: "hidden_channels \(hiddenChannels) must be >= 1 and decoder_layers \(decoderLayers) >= 0")
        }
        let architecture = activation == .tanh ? String(architecture.dropLast("-tanh".count)) : architecture
        if architecture == "grnn" {
            guard modelVelocityRange == 0 else {
                throw .invalidManifest(name: name, reason: "architecture grnn has model_velocity_range 0, not \(modelVelocityRange)")
            }
            return .stationary
        }
        guard architecture.hasPrefix("fernn-v"), let range = Int(architecture.dropFirst("fernn-v".count)), range >= 1,
              String(range) == architecture.dropFirst("fernn-v".count) else {
            throw .invalidManifest(name: name, reason: "architecture \"\(self.architecture)\" is neither grnn nor fernn-v<k> with k >= 1, "
                                   + "optionally followed by -tanh")
        }
        guard range == modelVelocityRange else {
            throw .invalidManifest(name: name, reason: "architecture \(architecture) has model_velocity_range \(range), "
                                   + "not \(modelVelocityRange)")
        }
        return .grid(range: range)
    }

    /// The cell's σ: tanh when `architecture` ends in "-tanh", ReLU otherwise.
    public var activation: FlowEquivariantRNNCell.Activation { architecture.hasSuffix("-tanh") ? .tanh : .relu }
}

/// Why a trained model could not be found, published or loaded.
public enum TrainedModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `Sources/OrbitModels/Trained` folder; `searched` lists every place tried.
    case directoryNotFound(searched: [String])
    /// A manifest file is missing or is not a manifest's JSON.
    case unreadableManifest(file: String, reason: String)
    /// A manifest's fields contradict each other or name no known architecture.
    case invalidManifest(name: String, reason: String)
    /// The weights file a manifest names does not exist.
    case missingWeights(file: String, manifest: String)
    /// The weights file's SHA-256 is not the one its manifest records.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The weights do not fit the predictor the manifest describes (a missing, extra or misshaped tensor).
    case weightsDoNotMatchManifest(file: String, manifest: String, problem: StateDictionaryError)

    public var description: String {
        switch self {
        case .directoryNotFound(let searched):
            "the trained models' folder (Sources/OrbitModels/Trained) was not found; looked in:\n"
                + searched.map { "  \($0)" }.joined(separator: "\n") + "\nRun from inside the Orbit package."
        case .unreadableManifest(let file, let reason): "cannot read the trained-model manifest \(file): \(reason)"
        case .invalidManifest(let name, let reason): "trained-model manifest \(name): \(reason)"
        case .missingWeights(let file, let manifest): "the weights file \(file) of trained model \(manifest) does not exist"
        case .checksumMismatch(let file, let expected, let actual):
            "refusing to load \(file): its SHA-256 is \(actual), but its manifest records \(expected) "
                + "(the file was changed or damaged since it was published; restore it or publish it again)"
        case .weightsDoNotMatchManifest(let file, let manifest, let problem):
            "the weights in \(file) do not fit the model manifest \(manifest) describes: \(problem)"
        }
    }
}

import Foundation
import Orbit

/// A training checkpoint in one safetensors file: the model's parameters and buffers (`model.<name>`),
/// optimizer state (`optimizer.<name>`), and string metadata (epoch, step, seed, configuration, …).
///
/// Writes are atomic (temporary file, flush, rename): a save killed at any point leaves the previous
/// checkpoint loadable. Each file carries a checksum of its tensors (`SafeTensors.checksum`), verified
/// on load together with the finiteness of every model tensor, so a corrupted byte or a NaN weight
/// stops the load with the tensor's name instead of training on. Loading into a model is strict by default (see `loadStateDictionary`). The mode
/// (training or evaluation) is not part of the state, so a checkpoint saved in one mode loads into the
/// other and gives the same model.
///
/// ```swift
/// try Checkpoint(model: model, optimizerState: optimizer.stateTensors(for: model.namedParameters),
///                metadata: ["epoch": "3"]).write(to: url)
/// let checkpoint = try Checkpoint(contentsOf: url)
/// try checkpoint.restore(model)
/// optimizer.loadStateTensors(checkpoint.optimizerState, for: model.namedParameters)
/// ```
public struct Checkpoint {
    public static let modelPrefix = "model.", optimizerPrefix = "optimizer."
    static let formatKey = "orbit.format", formatVersion = "orbit-checkpoint-2", checksumKey = "orbit.checksum"
    /// Version 1 files (before checksums) still load, unverified.
    static let readableVersions: Set<String> = ["orbit-checkpoint-1", formatVersion]

    /// Parameters and buffers by name (without the `model.` prefix).
    public var modelState: [String: Tensor]
    /// Optimizer state by name (without the `optimizer.` prefix).
    public var optimizerState: [String: Tensor]
    public var metadata: [String: String]

    /// A checkpoint of `model`'s current state.
    public init(model: Module, optimizerState: [(name: String, tensor: Tensor)] = [], metadata: [String: String] = [:]) {
        modelState = Dictionary(uniqueKeysWithValues: model.stateDictionary.map { ($0.name, $0.tensor) })
        self.optimizerState = Dictionary(uniqueKeysWithValues: optimizerState.map { ($0.name, $0.tensor) })
        self.metadata = metadata
    }

    /// Reads a checkpoint written by `write(to:)`.
    public init(contentsOf url: URL) throws {
        try self.init(file: try SafeTensors.read(from: url), path: url.path)
    }

    /// Reads a checkpoint from the bytes of `encoded()` (checked as a file is; errors name `path`).
    public init(bytes: [UInt8], path: String = "(checkpoint in memory)") throws {
        try self.init(file: try SafeTensors.decode(bytes), path: path)
    }

    private init(file: SafeTensorsFile, path: String) throws {
        guard let format = file.metadata[Checkpoint.formatKey], Checkpoint.readableVersions.contains(format) else {
            throw CheckpointError.notACheckpoint(path: path, format: file.metadata[Checkpoint.formatKey])
        }
        if format == Checkpoint.formatVersion {
            let computed = try SafeTensors.checksum(file.tensors)
            guard let stored = file.metadata[Checkpoint.checksumKey], stored == computed else {
                throw CheckpointError.checksumMismatch(path: path, stored: file.metadata[Checkpoint.checksumKey], computed: computed)
            }
        }
        modelState = [:]
        optimizerState = [:]
        for (name, tensor) in file.tensors {
            if name.hasPrefix(Checkpoint.modelPrefix) {
                modelState[String(name.dropFirst(Checkpoint.modelPrefix.count))] = tensor
            } else if name.hasPrefix(Checkpoint.optimizerPrefix) {
                optimizerState[String(name.dropFirst(Checkpoint.optimizerPrefix.count))] = tensor
            } else {
                throw CheckpointError.unexpectedEntry(name: name, path: path)
            }
        }
        metadata = file.metadata.filter { $0.key != Checkpoint.formatKey && $0.key != Checkpoint.checksumKey }
        for (name, tensor) in modelState.sorted(by: { $0.key < $1.key }) where tensor.dtype.isFloatingPoint {
            if let index = tensor.doubles.firstIndex(where: { !$0.isFinite }) {
                throw CheckpointError.nonFiniteValue(name: name, index: index, path: path)
            }
        }
    }

    /// Writes the checkpoint atomically.
    public func write(to url: URL) throws {
        let (named, metadata) = try contents()
        try SafeTensors.write(named, metadata: metadata, to: url)
    }

    /// The bytes `write(to:)` would write (data-parallel training sends them from rank 0 to the others).
    public func encoded() throws -> [UInt8] {
        let (named, metadata) = try contents()
        return try SafeTensors.encode(named, metadata: metadata)
    }

    /// The named tensors in file order and the metadata with format and checksum.
    private func contents() throws -> (tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) {
        let tensors = modelState.sorted { $0.key < $1.key }.map { (Checkpoint.modelPrefix + $0.key, $0.value) }
            + optimizerState.sorted { $0.key < $1.key }.map { (Checkpoint.optimizerPrefix + $0.key, $0.value) }
        let named = tensors.map { (name: $0.0, tensor: $0.1) }
        var metadata = self.metadata
        metadata[Checkpoint.formatKey] = Checkpoint.formatVersion
        metadata[Checkpoint.checksumKey] = try SafeTensors.checksum(named)
        return (named, metadata)
    }

    /// Loads the saved parameters and buffers into `model` (strict: see `Module.loadStateDictionary`).
    public func restore(_ model: Module, strict: Bool = true) throws {
        try model.loadStateDictionary(modelState, strict: strict)
    }
}

public enum CheckpointError: Error, CustomStringConvertible {
    case notACheckpoint(path: String, format: String?)
    case unexpectedEntry(name: String, path: String)
    case checksumMismatch(path: String, stored: String?, computed: String)
    case nonFiniteValue(name: String, index: Int, path: String)

    public var description: String {
        switch self {
        case .notACheckpoint(let path, let format):
            "\(path) is a safetensors file but not an Orbit checkpoint (format \(format ?? "missing")); "
                + "use Module.loadStateDictionary for plain weights"
        case .unexpectedEntry(let name, let path): "\(path): entry \(name) is neither model. nor optimizer. state"
        case .checksumMismatch(let path, let stored, let computed):
            "\(path) is corrupted: its tensors hash to \(computed), the checksum stored with them is \(stored ?? "missing")"
        case .nonFiniteValue(let name, let index, let path):
            "\(path): model tensor \(name) holds a NaN or infinite value (element \(index)); refusing to load it"
        }
    }
}

import Orbit

/// What went wrong when loading named tensors into a module.
public enum StateDictionaryError: Error, Equatable, CustomStringConvertible {
    case missing(keys: [String])
    case unexpected(keys: [String])
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    case dtypeMismatch(key: String, expected: DType, found: DType)

    public var description: String {
        switch self {
        case .missing(let keys): "missing from the file: \(keys.joined(separator: ", ")) (the model would keep random values)"
        case .unexpected(let keys): "in the file but not in the model: \(keys.joined(separator: ", "))"
        case .shapeMismatch(let key, let expected, let found): "\(key): the model has shape \(expected), the file has \(found)"
        case .dtypeMismatch(let key, let expected, let found): "\(key): the model has dtype \(expected), the file has \(found)"
        }
    }
}

extension Module {
    /// Parameters then buffers, named by path: what a checkpoint saves (PyTorch `state_dict`).
    public var stateDictionary: [(name: String, tensor: Tensor)] {
        namedParameters.map { ($0.name, $0.parameter.value) } + namedBuffers.map { ($0.name, $0.buffer.value) }
    }

    /// Loads `tensors` into the parameters and buffers of the same names.
    ///
    /// Strict by default: every parameter and buffer must be present with the same shape and dtype, and
    /// no other key may appear; otherwise nothing is changed and the error names the keys (and both
    /// shapes). With `strict: false` missing and unexpected keys are skipped, but a shape or dtype
    /// mismatch is still an error: a layer is never silently left with the wrong weights.
    public func loadStateDictionary(_ tensors: [String: Tensor], strict: Bool = true) throws {
        let targets = namedParameters.map { ($0.name, $0.parameter.shape, $0.parameter.dtype) }
            + namedBuffers.map { ($0.name, $0.buffer.shape, $0.buffer.value.dtype) }
        let names = Set(targets.map(\.0))
        if strict {
            let missing = targets.map(\.0).filter { tensors[$0] == nil }
            if !missing.isEmpty { throw StateDictionaryError.missing(keys: missing) }
            let unexpected = tensors.keys.filter { !names.contains($0) }.sorted()
            if !unexpected.isEmpty { throw StateDictionaryError.unexpected(keys: unexpected) }
        }
        for (name, shape, dtype) in targets {
            guard let tensor = tensors[name] else { continue }
            if tensor.shape != shape { throw StateDictionaryError.shapeMismatch(key: name, expected: shape, found: tensor.shape) }
            if tensor.dtype != dtype { throw StateDictionaryError.dtypeMismatch(key: name, expected: dtype, found: tensor.dtype) }
        }
        for (name, parameter) in namedParameters { if let tensor = tensors[name] { parameter.value = tensor } }
        for (name, buffer) in namedBuffers { if let tensor = tensors[name] { buffer.value = tensor } }
    }
}

/// Orbit names that differ from PyTorch's `state_dict` keys (buffers of batch normalization).
public enum PyTorchNames {
    static let orbitToPyTorch = ["runningMean": "running_mean", "runningVariance": "running_var", "batchesTracked": "num_batches_tracked"]

    /// The PyTorch key for an Orbit name: the last path component translated where it differs.
    public static func pyTorchName(_ orbitName: String) -> String {
        var components = orbitName.split(separator: ".").map(String.init)
        if let last = components.last, let translated = orbitToPyTorch[last] { components[components.count - 1] = translated }
        return components.joined(separator: ".")
    }

    /// The Orbit name for a PyTorch key (inverse of `pyTorchName`).
    public static func orbitName(_ pyTorchName: String) -> String {
        var components = pyTorchName.split(separator: ".").map(String.init)
        if let last = components.last, let translated = orbitToPyTorch.first(where: { $0.value == last })?.key {
            components[components.count - 1] = translated
        }
        return components.joined(separator: ".")
    }
}

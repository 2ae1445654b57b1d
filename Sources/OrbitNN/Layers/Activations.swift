import Orbit

// Activations and shape adapters as layers, for `Sequential`. Each is the function of the same name.

/// max(x, 0).
public final class ReLU: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { relu(input) }
}

/// x for x > 0, slope·x otherwise.
public final class LeakyReLU: Layer {
    public let slope: Double
    public init(slope: Double = 0.01) { self.slope = slope }
    public func callAsFunction(_ input: Tensor) -> Tensor { leakyRelu(input, slope: slope) }
}

/// tanh x.
public final class Tanh: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { tanh(input) }
}

/// 1 / (1 + e⁻ˣ).
public final class Sigmoid: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { sigmoid(input) }
}

/// Merges every axis from `startAxis` (default 1: keep the batch) into one (PyTorch `nn.Flatten`).
public final class Flatten: Layer {
    public let startAxis: Int
    public init(startAxis: Int = 1) { self.startAxis = startAxis }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.flattened(from: startAxis) }
}

/// Any tensor function as a parameter-free layer.
public final class Function: Layer {
    private let body: (Tensor) -> Tensor
    public init(_ body: @escaping (Tensor) -> Tensor) { self.body = body }
    public var namedChildren: [(name: String, value: Any)] { [] }
    public func callAsFunction(_ input: Tensor) -> Tensor { body(input) }
}

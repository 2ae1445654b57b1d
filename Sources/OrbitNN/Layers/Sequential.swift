import Orbit

/// Layers applied one after another (PyTorch `nn.Sequential`). Parameters are named by position,
/// `0.weight`, `2.bias`, … as in PyTorch, so state dictionaries line up.
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    public var namedChildren: [(name: String, value: Any)] {
        layers.enumerated().map { (String($0.offset), $0.element as Any) }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1($0) }
    }
}

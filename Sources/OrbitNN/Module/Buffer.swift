import Orbit

/// A tensor a module keeps and saves but does not train, such as batch normalization's running
/// statistics (PyTorch's registered buffers). Found by discovery like parameters, under `namedBuffers`.
public final class Buffer {
    public var value: Tensor

    public init(_ value: Tensor) { self.value = value.detached() }

    public var shape: [Int] { value.shape }
}

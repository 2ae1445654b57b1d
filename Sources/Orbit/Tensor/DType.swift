/// The element type of a tensor, chosen at run time (as in PyTorch and safetensors).
///
/// `float32` is for training, `float64` for gradient checks and reference math. `int64` holds indices
/// and labels, `bool` holds masks; neither is differentiable.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float32, float64, int64, bool

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float32: 4
        case .float64, .int64: 8
        case .bool: 1
        }
    }

    /// Whether values of this type can carry gradients.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    public var description: String { rawValue }
}

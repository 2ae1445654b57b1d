import Orbit
import OrbitNN

/// The "Lift" baseline of Table 1, as Orbit reads it (no reference code for it, Docs/References.md §A1):
/// an equivariant network that is also shown the factor that breaks the symmetry, here the absolute
/// position. The first layer adds to the family's equivariant layer (`HybridLayerFamily`: steerable,
/// plain or scale convolution) a plain convolution of two fixed coordinate channels (x and y scaled to
/// [-1, 1] over the frame; scaling: broadcast over the scale axis), so position enters as an expansion
/// of the input; every later layer is equivariant, ReLU between layers:
///
///     h₁ = equivariant₁(f) + conv(coords),   hₖ = equivariantₖ(relu(hₖ₋₁)).
///
/// With the coordinate convolution zero the model is the family's equivariant network (see
/// `ResidualPathwayVelocityNet` for what that guarantees). Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W].
public final class LiftExpansionVelocityNet: Layer {
    public let layers: [any Layer]
    /// 2 coordinate channels -> the first hidden layer's channels.
    public let coordinateConvolution: any Layer
    public let inputFrames: Int
    let stack: HybridStack

    public init(family: HybridLayerFamily = .c4, inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, kernelSize: Int = 3,
                paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "LiftExpansionVelocityNet")
        let stack = HybridStack(family: family, frames: inputFrames, hidden: hidden, layers: layerCount, kernelSize: kernelSize,
                                paddingMode: paddingMode, dtype: dtype)
        (self.stack, self.inputFrames) = (stack, inputFrames)
        layers = (0..<layerCount).map { stack.equivariantLayer($0, lifting: $0 == 0, using: &generator) }
        coordinateConvolution = stack.coordinateLayer(using: &generator)
    }

    /// [1, 2, H, W]: x (columns) and y (rows, upwards) scaled to [-1, 1].
    static func coordinates(height: Int, width: Int, dtype: DType) -> Tensor {
        let scale = { (index: Int, count: Int) in count > 1 ? 2 * Double(index) / Double(count - 1) - 1 : 0 }
        let x = (0..<height).flatMap { _ in (0..<width).map { scale($0, width) } }
        let y = (0..<height).flatMap { row in (0..<width).map { _ in -scale(row, height) } }
        return Tensor(x + y, shape: [1, 2, height, width], dtype: dtype)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkVelocityFrames(input, frames: inputFrames, "LiftExpansionVelocityNet")
        let coordinates = Self.coordinates(height: input.shape[2], width: input.shape[3], dtype: input.dtype)
        var x = layers[0](input) + coordinateConvolution(coordinates)
        for layer in layers.dropFirst() { x = layer(relu(x)) }
        return stack.readout(x)
    }
}

import Orbit

/// The "Lift" baseline of Table 1, as Orbit reads it (REFERENCE.md gives no code for it): an equivariant
/// network that is also shown the factor that breaks the symmetry, here the absolute position. The first
/// layer adds to its steerable convolution a plain convolution of two fixed coordinate channels
/// (x and y scaled to [-1, 1] over the frame), so position enters as an expansion of the input; every
/// later layer is steerable, ReLU between layers:
///
///     h₁ = steer₁(f) + conv(coords),   hₖ = steerₖ(relu(hₖ₋₁)).
///
/// With the coordinate convolution zero the model is exactly equivariant (field types as
/// `SteerableVelocityNet`). Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W].
public final class LiftExpansionVelocityNet: EquivariantLayer {
    public let inputType: FieldType<CyclicGroup>
    public let outputType: FieldType<CyclicGroup>
    public let layers: [SteerableConvolution<CyclicGroup>]
    /// 2 coordinate channels -> the first hidden layer's channels.
    public let coordinateConvolution: Convolution2D

    public init(group: CyclicGroup = CyclicGroup(order: 4), inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, kernelSize: Int = 3,
                paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "LiftExpansionVelocityNet")
        let types = VelocityFieldTypes(group: group, frames: inputFrames, hidden: hidden)
        (inputType, outputType) = (types.velocities, types.velocity)
        let padding = PerAxis(integerLiteral: kernelSize / 2)
        let stack = types.stack(layers: layerCount)
        layers = stack.map {
            SteerableConvolution(inputType: $0.input, outputType: $0.output, kernelSize: kernelSize, padding: padding, paddingMode: paddingMode,
                                 dtype: dtype, using: &generator)
        }
        coordinateConvolution = Convolution2D(inputChannels: 2, outputChannels: stack[0].output.channels, kernelSize: PerAxis(integerLiteral: kernelSize),
                                              padding: padding, paddingMode: paddingMode, dtype: dtype, using: &generator)
    }

    /// [1, 2, H, W]: x (columns) and y (rows, upwards) scaled to [-1, 1].
    static func coordinates(height: Int, width: Int, dtype: DType) -> Tensor {
        let scale = { (index: Int, count: Int) in count > 1 ? 2 * Double(index) / Double(count - 1) - 1 : 0 }
        let x = (0..<height).flatMap { _ in (0..<width).map { scale($0, width) } }
        let y = (0..<height).flatMap { row in (0..<width).map { _ in -scale(row, height) } }
        return Tensor(x + y, shape: [1, 2, height, width], dtype: dtype)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "LiftExpansionVelocityNet")
        let coordinates = Self.coordinates(height: input.shape[2], width: input.shape[3], dtype: input.dtype)
        var x = layers[0](input) + coordinateConvolution(coordinates)
        for layer in layers.dropFirst() { x = layer(relu(x)) }
        return x
    }
}

import Orbit

/// Residual Pathway Priors (Finzi, Benton and Wilson 2021), the "Rpp" baseline of Table 1 for rotation:
/// every layer is the sum of a C_N-steerable convolution and a plain convolution between the same
/// channels, ReLU between layers,
///
///     layer(x) = steer(x) + conv(x),       prior = α Σ_layers ‖W_conv‖² + ‖b_conv‖²,
///
/// and the prior (`residualPrior(alpha:)`, added to the loss) pulls the non-equivariant pathway to zero,
/// so the model departs from equivariance only as far as the data pays for. With every plain weight zero
/// the model is exactly equivariant. Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W]; field types as
/// `SteerableVelocityNet`.
public final class ResidualPathwayVelocityNet: EquivariantLayer {
    public let inputType: FieldType<CyclicGroup>
    public let outputType: FieldType<CyclicGroup>
    public let equivariantLayers: [SteerableConvolution<CyclicGroup>]
    public let residualLayers: [Convolution2D]

    public init(group: CyclicGroup = CyclicGroup(order: 4), inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, kernelSize: Int = 3,
                paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "ResidualPathwayVelocityNet")
        let types = VelocityFieldTypes(group: group, frames: inputFrames, hidden: hidden)
        (inputType, outputType) = (types.velocities, types.velocity)
        let padding = PerAxis(integerLiteral: kernelSize / 2)
        let stack = types.stack(layers: layerCount)
        equivariantLayers = stack.map {
            SteerableConvolution(inputType: $0.input, outputType: $0.output, kernelSize: kernelSize, padding: padding, paddingMode: paddingMode,
                                 dtype: dtype, using: &generator)
        }
        residualLayers = stack.map {
            Convolution2D(inputChannels: $0.input.channels, outputChannels: $0.output.channels, kernelSize: PerAxis(integerLiteral: kernelSize),
                          padding: padding, paddingMode: paddingMode, dtype: dtype, using: &generator)
        }
    }

    /// α Σ ‖W‖² + ‖b‖² over the plain (non-equivariant) pathway: a scalar to add to the loss.
    public func residualPrior(alpha: Double) -> Tensor {
        let squares = residualLayers.flatMap(\.parameters).map { ($0.value * $0.value).sum() }
        return squares.dropFirst().reduce(squares[0], +) * alpha
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "ResidualPathwayVelocityNet")
        var x = input
        for (index, (equivariant, residual)) in zip(equivariantLayers, residualLayers).enumerated() {
            x = equivariant(x) + residual(x)
            if index < equivariantLayers.count - 1 { x = relu(x) }
        }
        return x
    }
}

import Orbit
import OrbitNN

/// Residual Pathway Priors (Finzi, Benton and Wilson 2021), the "RPP" baseline of Table 1: every layer is
/// the sum of the symmetry's equivariant layer and a non-equivariant one between the same shapes
/// (`HybridLayerFamily`: steerable + plain convolution for rotation, convolution + locally connected
/// layer for translation, scale + per-scale plain convolution for scaling), ReLU between layers,
///
///     layer(x) = equivariant(x) + plain(x),       prior = α Σ_layers Σ_parameters of plain ‖θ‖²,
///
/// and the prior (`residualPrior(alpha:)`, added to the loss) pulls the non-equivariant pathway to zero,
/// so the model departs from equivariance only as far as the data pays for. With every plain parameter
/// zero the model is the family's equivariant network: exactly C_N-equivariant at the quarter turns
/// (rotation; field types as `SteerableVelocityNet`), exactly shift-equivariant with circular padding
/// (translation), SESN (scaling). Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W].
public final class ResidualPathwayVelocityNet: Layer {
    public let equivariantLayers: [any Layer]
    public let residualLayers: [any Layer]
    public let inputFrames: Int
    let stack: HybridStack

    public init(family: HybridLayerFamily = .c4, inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, kernelSize: Int = 3,
                paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "ResidualPathwayVelocityNet")
        let stack = HybridStack(family: family, frames: inputFrames, hidden: hidden, layers: layerCount, kernelSize: kernelSize,
                                paddingMode: paddingMode, dtype: dtype)
        (self.stack, self.inputFrames) = (stack, inputFrames)
        equivariantLayers = (0..<layerCount).map { stack.equivariantLayer($0, lifting: $0 == 0, using: &generator) }
        residualLayers = (0..<layerCount).map { stack.plainLayer($0, besideScales: true, using: &generator) }
    }

    /// α Σ ‖θ‖² over the parameters of the non-equivariant pathway: a scalar to add to the loss.
    public func residualPrior(alpha: Double) -> Tensor {
        let squares = residualLayers.flatMap(\.parameters).map { ($0.value * $0.value).sum() }
        return squares.dropFirst().reduce(squares[0], +) * alpha
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkVelocityFrames(input, frames: inputFrames, "ResidualPathwayVelocityNet")
        var x = input
        for (index, (equivariant, residual)) in zip(equivariantLayers, residualLayers).enumerated() {
            x = equivariant(x) + residual(x)
            if index < equivariantLayers.count - 1 { x = relu(x) }
        }
        return stack.readout(x)
    }
}

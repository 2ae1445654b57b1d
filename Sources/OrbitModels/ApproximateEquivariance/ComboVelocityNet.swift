import Orbit
import OrbitNN

/// The "Combo" baseline of Table 1: non-equivariant layers first, equivariant layers after, from the
/// symmetry's `HybridLayerFamily`. The first `plainLayers` are the family's non-equivariant layers
/// (2·inputFrames -> hidden channels; rotation: plain convolutions whose output the steerable layers read
/// as `hidden` regular C_N fields; translation: locally connected layers; scaling: plain convolutions,
/// then a lifting scale layer), the rest its equivariant layers (… -> 2 channels). ReLU between layers.
/// Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W]. Not equivariant (the plain layers see the raw
/// frames); the equivariant part is.
public final class ComboVelocityNet: Layer {
    public let plainLayers: [any Layer]
    public let equivariantLayers: [any Layer]
    public let inputFrames: Int
    let stack: HybridStack

    public init(family: HybridLayerFamily = .c4, inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, plainLayers: Int = 2,
                kernelSize: Int = 3, paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "ComboVelocityNet")
        requireArgument(plainLayers >= 1 && plainLayers < layerCount, "ComboVelocityNet",
                        "plainLayers must be in 1..<layerCount (\(layerCount)), got \(plainLayers)")
        let stack = HybridStack(family: family, frames: inputFrames, hidden: hidden, layers: layerCount, kernelSize: kernelSize,
                                paddingMode: paddingMode, dtype: dtype)
        (self.stack, self.inputFrames) = (stack, inputFrames)
        self.plainLayers = (0..<plainLayers).map { stack.plainLayer($0, besideScales: false, using: &generator) }
        equivariantLayers = (plainLayers..<layerCount).map { stack.equivariantLayer($0, lifting: $0 == plainLayers, using: &generator) }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkVelocityFrames(input, frames: inputFrames, "ComboVelocityNet")
        return stack.readout(applyWithReLU(plainLayers + equivariantLayers, input))
    }
}

import Orbit

/// The "Combo" baseline of Table 1: non-equivariant layers first, equivariant layers after. The first
/// `plainLayers` are plain convolutions (2·inputFrames -> hidden·|G| channels), whose output is read as
/// `hidden` regular C_N fields by the remaining steerable layers (regular -> … -> one irrep(1) field).
/// ReLU between layers. Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W]. Not equivariant (the plain
/// layers see the raw frames); the steerable part is.
public final class ComboVelocityNet: Layer {
    public let plainLayers: [Convolution2D]
    public let equivariantLayers: [SteerableConvolution<CyclicGroup>]
    public let inputFrames: Int

    public init(group: CyclicGroup = CyclicGroup(order: 4), inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, plainLayers: Int = 2,
                kernelSize: Int = 3, paddingMode: PaddingMode = .zeros, dtype: DType = .float32, using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "ComboVelocityNet")
        requireArgument(plainLayers >= 1 && plainLayers < layerCount, "ComboVelocityNet",
                        "plainLayers must be in 1..<layerCount (\(layerCount)), got \(plainLayers)")
        self.inputFrames = inputFrames
        let types = VelocityFieldTypes(group: group, frames: inputFrames, hidden: hidden)
        let padding = PerAxis(integerLiteral: kernelSize / 2)
        self.plainLayers = (0..<plainLayers).map { index in
            Convolution2D(inputChannels: index == 0 ? 2 * inputFrames : types.hidden.channels, outputChannels: types.hidden.channels,
                          kernelSize: PerAxis(integerLiteral: kernelSize), padding: padding, paddingMode: paddingMode, dtype: dtype, using: &generator)
        }
        equivariantLayers = (plainLayers..<layerCount).map { index in
            SteerableConvolution(inputType: types.hidden, outputType: index == layerCount - 1 ? types.velocity : types.hidden,
                                 kernelSize: kernelSize, padding: padding, paddingMode: paddingMode, dtype: dtype, using: &generator)
        }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        checkVelocityFrames(input, frames: inputFrames, "ComboVelocityNet")
        return applyWithReLU(plainLayers + equivariantLayers as [any Layer], input)
    }
}

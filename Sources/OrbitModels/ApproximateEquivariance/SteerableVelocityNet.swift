import Orbit
import OrbitNN

/// Whether a `SteerableVelocityNet` is strictly equivariant or relaxed.
public enum SteerableRelaxation: Sendable {
    /// `SteerableConvolution` layers: the strictly equivariant model of Table 1 for rotation (E2CNN).
    case none
    /// `RelaxedSteerableConvolution` layers (eq. 7), coefficients per kernel position: RSteer.
    case kernel(RelaxedSteerableInitialization)
}

/// The C_N-steerable model for velocity fields (reference `E2CNN` / `Relaxed_Rot_SteerConvNet`): the input
/// frames are `inputFrames` irrep(1) fields (u, v), hidden layers `hidden` regular fields with pointwise
/// ReLU (equivariant on regular fields), the output one irrep(1) field. Shapes: [N, 2·inputFrames, H, W]
/// -> [N, 2, H, W]. Bias on trivial components only (the reference's free bias would break equivariance),
/// so with hidden 92, five 3×3 layers and C4 the RSteer model has 92·12·10·9 + 3·92·24·92·9 + 12·92·9
/// coefficients = 5,593,968 (Docs/References.md §A4) plus 4·92 biases. Strict, or relaxed with `.equivariant`
/// init, it is exactly equivariant at the quarter turns (zero padding, odd sizes).
public final class SteerableVelocityNet: EquivariantLayer {
    public let inputType: FieldType<CyclicGroup>
    public let outputType: FieldType<CyclicGroup>
    public let layers: [any Layer]

    public init(group: CyclicGroup = CyclicGroup(order: 4), inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, kernelSize: Int = 3,
                relaxation: SteerableRelaxation = .none, paddingMode: PaddingMode = .zeros, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "SteerableVelocityNet")
        let types = VelocityFieldTypes(group: group, frames: inputFrames, hidden: hidden)
        (inputType, outputType) = (types.velocities, types.velocity)
        let padding = kernelSize / 2
        layers = types.stack(layers: layerCount).map { pair -> any Layer in
            switch relaxation {
            case .none:
                SteerableConvolution(inputType: pair.input, outputType: pair.output, kernelSize: kernelSize, padding: padding,
                                     paddingMode: paddingMode, dtype: dtype, using: &generator)
            case .kernel(let initialization):
                RelaxedSteerableConvolution(inputType: pair.input, outputType: pair.output, kernelSize: kernelSize,
                                            initialization: initialization, padding: padding, paddingMode: paddingMode,
                                            dtype: dtype, using: &generator)
            }
        }
    }

    /// The relaxed layers, for `relaxedSteerableRegularizer` (empty for the strict model).
    public var relaxedLayers: [any RelaxedKernelLayer] { layers.compactMap { $0 as? any RelaxedKernelLayer } }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "SteerableVelocityNet")
        return applyWithReLU(layers, input)
    }
}

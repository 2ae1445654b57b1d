import Orbit
import OrbitNN

/// RGroup for rotation (eq. 4-5; reference `RelaxedGroupEquivariantCNN` with `vel_inp=True`): the
/// velocity frames lifted to regular C_N fields (`VectorFieldLift`), `layerCount` relaxed group
/// convolutions with ReLU between them (the reference's forward forgets the activation, which makes its
/// network linear; this follows the paper), projected back to a vector (`VectorFieldProjection`, with the
/// 2/N factor). Shapes: [N, 2·inputFrames, H, W] -> [N, 2, H, W]. Fresh (combination weights 1/L) it is
/// exactly equivariant at the quarter turns; `relaxedGroupRegularizer(model.layers, …)` applies.
public final class RelaxedGroupVelocityNet: EquivariantLayer {
    public let inputType: FieldType<CyclicGroup>
    public let outputType: FieldType<CyclicGroup>
    public let lift: VectorFieldLift
    public let layers: [RelaxedGroupConvolution<CyclicGroup>]
    public let projection: VectorFieldProjection

    public init(group: CyclicGroup = CyclicGroup(order: 4), inputFrames: Int = 10, hidden: Int, layerCount: Int = 5, kernelSize: Int = 3,
                bankCount: Int, indexing: RelaxedWeightIndexing = .inputElement, paddingMode: PaddingMode = .zeros, dtype: DType = .float32,
                using generator: inout RandomGenerator) {
        checkDepth(layers: layerCount, hidden: hidden, frames: inputFrames, "RelaxedGroupVelocityNet")
        lift = VectorFieldLift(group: group, fields: inputFrames, dtype: dtype)
        projection = VectorFieldProjection(group: group, fields: 1, dtype: dtype)
        (inputType, outputType) = (lift.inputType, projection.outputType)
        layers = stackWidths(input: inputFrames, hidden: hidden, output: 1, layers: layerCount).map {
            RelaxedGroupConvolution(group: group, inputFields: $0.input, outputFields: $0.output, kernelSize: kernelSize, bankCount: bankCount,
                                    indexing: indexing, padding: kernelSize / 2, paddingMode: paddingMode,
                                    dtype: dtype, using: &generator)
        }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "RelaxedGroupVelocityNet")
        return projection(applyWithReLU(layers, lift(input)))
    }
}

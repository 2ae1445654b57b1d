import Orbit

/// Norm nonlinearity (Worrall et al. 2017; escnn `NormNonLinearity`): each field is scaled by a function
/// of its norm, which commutes with any orthogonal representation:
///
///     v ↦ v · relu(‖v‖ + b) / ‖v‖,   one learned bias b per field (initialized to 0)
///
/// Shapes: [N, channels, H, W] -> same. Use it on non-regular fields (irreps), where a pointwise ReLU
/// would break equivariance.
public final class NormNonlinearity<G: PlanarGroup>: EquivariantLayer {
    public let inputType: FieldType<G>
    public var outputType: FieldType<G> { inputType }
    public let bias: Parameter
    let membership: Tensor

    public init(inputType: FieldType<G>, dtype: DType = .float32) {
        self.inputType = inputType
        bias = Parameter(Tensor.zeros([inputType.representations.count], dtype: dtype))
        membership = fieldMembership(inputType, dtype: dtype)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "NormNonlinearity")
        let norms = sqrt(fieldSum(input * input, membership) + 1e-12)                 // [N, F, H, W]
        let scale = relu(norms + bias.value.reshaped([-1, 1, 1])) / norms
        return input * spreadToChannels(scale, membership)
    }
}

/// Gated nonlinearity (Weiler et al. 2018; escnn `GatedNonLinearity1`): the input holds n trivial gate
/// channels followed by n fields; each field is multiplied by the sigmoid of its gate, an invariant, so
/// any field type stays equivariant.
///
/// Shapes: [N, n + Σ dims, H, W] -> [N, Σ dims, H, W]; input type = n trivial fields then `gatedType`.
public final class GatedNonlinearity<G: PlanarGroup>: EquivariantLayer {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    let membership: Tensor

    public init(gatedType: FieldType<G>, dtype: DType = .float32) {
        let gates = Array(repeating: gatedType.group.trivialRepresentation, count: gatedType.representations.count)
        inputType = FieldType(group: gatedType.group, representations: gates + gatedType.representations)
        outputType = gatedType
        membership = fieldMembership(gatedType, dtype: dtype)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "GatedNonlinearity")
        let gateCount = outputType.representations.count
        let gates = sigmoid(input.slice(axis: 1, 0..<gateCount))
        let fields = input.slice(axis: 1, gateCount..<inputType.channels)
        return fields * spreadToChannels(gates, membership)
    }
}

/// Repeats a per-field value over the field's channels: [N, F, H, W] -> [N, channels, H, W].
func spreadToChannels(_ perField: Tensor, _ membership: Tensor) -> Tensor {
    let (batch, height, width) = (perField.shape[0], perField.shape[2], perField.shape[3])
    let spread = matmul(membership.transposed(), perField.reshaped([batch, membership.shape[0], height * width]))
    return spread.reshaped([batch, membership.shape[1], height, width])
}

import Orbit

/// Pools each regular field over its group axis, giving one invariant (trivial) channel per field:
/// [N, F·|G|, H, W] -> [N, F, H, W], by maximum or mean (Cohen and Welling 2016, section 6.3).
/// Rotating the input rotates the output plane and leaves the channel unchanged.
public final class GroupPooling<G: FiniteGroup & PlanarGroup>: EquivariantLayer {
    public enum Reduction: Sendable { case maximum, mean }

    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    public let reduction: Reduction

    public init(group: G, fields: Int, reduction: Reduction = .maximum) {
        inputType = FieldType(group: group, group.regularRepresentation, count: fields)
        outputType = FieldType(group: group, group.trivialRepresentation, count: fields)
        self.reduction = reduction
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "GroupPooling")
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let grouped = input.reshaped([batch, outputType.channels, inputType.group.order, height, width])
        return reduction == .maximum ? grouped.max(axis: 2) : grouped.mean(axis: 2)
    }
}

/// The norm of every field, an invariant: [N, channels, H, W] -> [N, fields, H, W], ‖v‖ = √(Σ v² + ε)
/// over each field's channels (ε = 1e-12 keeps the gradient finite at zero). Works for any orthogonal
/// representation, since ‖ρ(g)v‖ = ‖v‖.
public final class NormPooling<G: PlanarGroup>: EquivariantLayer {
    public let inputType: FieldType<G>
    public let outputType: FieldType<G>
    let fieldSums: Tensor

    public init(inputType: FieldType<G>, dtype: DType = .float32) {
        self.inputType = inputType
        outputType = FieldType(group: inputType.group, inputType.group.trivialRepresentation, count: inputType.representations.count)
        fieldSums = fieldMembership(inputType, dtype: dtype)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "NormPooling")
        return sqrt(fieldSum(input * input, fieldSums) + 1e-12)
    }
}

/// [fields, channels] with 1 where a channel belongs to a field: sums channels into fields by matmul.
func fieldMembership<G: PlanarGroup>(_ type: FieldType<G>, dtype: DType) -> Tensor {
    var values = [Double](repeating: 0, count: type.representations.count * type.channels)
    var channel = 0
    for (field, representation) in type.representations.enumerated() {
        for _ in 0..<representation.dimension {
            values[field * type.channels + channel] = 1
            channel += 1
        }
    }
    return Tensor(values, shape: [type.representations.count, type.channels], dtype: dtype)
}

/// Σ over each field's channels: [N, channels, H, W] -> [N, fields, H, W].
func fieldSum(_ x: Tensor, _ membership: Tensor) -> Tensor {
    let (batch, height, width) = (x.shape[0], x.shape[2], x.shape[3])
    return matmul(membership, x.reshaped([batch, x.shape[1], height * width])).reshaped([batch, membership.shape[0], height, width])
}

import Foundation
import Orbit

/// The velocity lift of Wang, Walters and Yu 2022, section 3.1: 2-D vector fields to regular fields of
/// C_N, one channel per rotation θ_g = 2πg/N,
///
///     x_g(p) = s · (u(p) cos θ_g + v(p) sin θ_g),
///
/// the component of the vector along the direction θ_g. Rotating the field by θ_k (the grid and the
/// vectors) shifts g by k, so the lift is exactly equivariant from irrep(1) fields to regular fields
/// (exact on the grid for quarter turns). (u, v) are the components along x (columns, rightwards) and y
/// (rows, upwards), the coordinates of `PlanarAction`. Shapes: [N, 2F, H, W] (channels u₀, v₀, u₁, v₁, …)
/// -> [N, F·|G|, H, W] (field f, rotation g at f·|G| + g). One matmul against the constant [|G|, 2]
/// matrix of (cos θ_g, sin θ_g). With `learnableScale` a parameter s [F] (one per field, initialised to
/// the given value; the pre-2023 reference code learns it from 0.5), else s = 1.
public final class VectorFieldLift: EquivariantLayer {
    public let inputType: FieldType<CyclicGroup>
    public let outputType: FieldType<CyclicGroup>
    public let scale: Parameter?
    /// [|G|, 2]: row g is (cos θ_g, sin θ_g).
    let directions: Tensor

    public init(group: CyclicGroup, fields: Int, learnableScale: Double? = nil, dtype: DType = .float32) {
        requireArgument(fields >= 1 && group.order >= 3, "VectorFieldLift",
                        "needs at least one field (got \(fields)) and C_N with N >= 3 (got \(group.name)), whose irrep(1) is 2-dimensional")
        inputType = FieldType(group: group, group.irreducibleRepresentation(frequency: 1), count: fields)
        outputType = FieldType(group: group, group.regularRepresentation, count: fields)
        scale = learnableScale.map { Parameter(Tensor.full([fields], value: $0, dtype: dtype)) }
        directions = rotationDirections(group.order, dtype: dtype)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "VectorFieldLift")
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let fields = outputType.representations.count, order = outputType.group.order
        // [N, F, 2, H·W] -> [N, F, |G|, H·W]
        var lifted = matmul(directions.converted(to: input.dtype), input.reshaped([batch, fields, 2, height * width]))
        if let scale { lifted = lifted * scale.value.reshaped([fields, 1, 1]) }
        return lifted.reshaped([batch, fields * order, height, width])
    }
}

/// The projection of regular fields of C_N back to 2-D vectors (section 3.1, the output of the rotation
/// models):
///
///     (u, v) = s · c · Σ_g x_g (cos θ_g, sin θ_g),   c = 2/|G| (`normalized`, the default) or 1,
///
/// an equivariant map from regular fields to irrep(1) fields. With c = 2/|G| it inverts the lift
/// (Σ_g (cos θ_g, sin θ_g)ᵀ(cos θ_g, sin θ_g) = |G|/2 · I for |G| ≥ 3; both layers need |G| ≥ 3). The reference
/// code omits the factor (c = 1, `normalized: false`). Shapes: [N, F·|G|, H, W] -> [N, 2F, H, W].
/// With `learnableScale` a parameter s [F] (the reference's `final_w`), else s = 1.
public final class VectorFieldProjection: EquivariantLayer {
    public let inputType: FieldType<CyclicGroup>
    public let outputType: FieldType<CyclicGroup>
    public let scale: Parameter?
    /// [2, |G|]: c times column g = (cos θ_g, sin θ_g).
    let directions: Tensor

    public init(group: CyclicGroup, fields: Int, normalized: Bool = true, learnableScale: Double? = nil, dtype: DType = .float32) {
        requireArgument(fields >= 1 && group.order >= 3, "VectorFieldProjection",
                        "needs at least one field (got \(fields)) and C_N with N >= 3 (got \(group.name)), whose irrep(1) is 2-dimensional")
        inputType = FieldType(group: group, group.regularRepresentation, count: fields)
        outputType = FieldType(group: group, group.irreducibleRepresentation(frequency: 1), count: fields)
        scale = learnableScale.map { Parameter(Tensor.full([fields], value: $0, dtype: dtype)) }
        let factor = normalized ? 2 / Double(group.order) : 1
        directions = rotationDirections(group.order, dtype: dtype).permuted([1, 0]) * factor
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        inputType.check(input, "VectorFieldProjection")
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let fields = inputType.representations.count, order = inputType.group.order
        // [N, F, |G|, H·W] -> [N, F, 2, H·W]
        var projected = matmul(directions.converted(to: input.dtype), input.reshaped([batch, fields, order, height * width]))
        if let scale { projected = projected * scale.value.reshaped([fields, 1, 1]) }
        return projected.reshaped([batch, 2 * fields, height, width])
    }
}

/// [N, 2]: row g is (cos 2πg/N, sin 2πg/N), exact (0, ±1) at quarter turns.
private func rotationDirections(_ order: Int, dtype: DType) -> Tensor {
    let values = (0..<order).flatMap { g -> [Double] in
        let action = exactPlanarAction(rotation: g, of: order, reflected: false)
        if let turns = action.quarterTurns { return [[1, 0], [0, 1], [-1, 0], [0, -1]][turns] }
        return [cos(action.angle), sin(action.angle)]
    }
    return Tensor(values, shape: [order, 2], dtype: dtype)
}

import Orbit
import OrbitNN

// Shared by the smoke-plume models of Wang, Walters and Yu (ICML 2022), Table 1: every model maps the
// last `inputFrames` velocity frames, stacked frame-major along channels ([u₀, v₀, u₁, v₁, …]), to the next
// frame: [N, 2·inputFrames, H, W] -> [N, 2, H, W]. Five layers, no skip connections, ReLU between layers
// and none after the last, 'same' padding (Docs/References.md §A2).

/// Stops naming `operation` unless `input` is [N, 2·frames, H, W].
func checkVelocityFrames(_ input: Tensor, frames: Int, _ operation: String) {
    requireArgument(input.rank == 4 && input.shape[1] == 2 * frames, operation,
                    "expects \(frames) stacked velocity frames [N, \(2 * frames), H, W], got \(input.shape)")
}

/// Stops naming `operation` unless the depth is at least 2 and the widths positive.
func checkDepth(layers: Int, hidden: Int, frames: Int, _ operation: String) {
    requireArgument(layers >= 2 && hidden >= 1 && frames >= 1, operation,
                    "needs layerCount >= 2 (got \(layers)), hidden >= 1 (got \(hidden)) and inputFrames >= 1 (got \(frames))")
}

/// The widths of a `layers`-deep stack: input -> hidden -> … -> hidden -> output.
func stackWidths(input: Int, hidden: Int, output: Int, layers: Int) -> [(input: Int, output: Int)] {
    (0..<layers).map { index in (index == 0 ? input : hidden, index == layers - 1 ? output : hidden) }
}

/// Applies `layers` in order with ReLU between them (none after the last).
func applyWithReLU(_ layers: [any Layer], _ input: Tensor) -> Tensor {
    var x = input
    for (index, layer) in layers.enumerated() {
        x = layer(x)
        if index < layers.count - 1 { x = relu(x) }
    }
    return x
}

/// The C_N field types of the rotation models: `frames` velocity vectors (irrep(1), channels u, v) in,
/// `hidden` regular fields inside, one velocity vector out.
struct VelocityFieldTypes {
    let velocities: FieldType<CyclicGroup>
    let hidden: FieldType<CyclicGroup>
    let velocity: FieldType<CyclicGroup>

    init(group: CyclicGroup, frames: Int, hidden: Int) {
        velocities = FieldType(group: group, group.irreducibleRepresentation(frequency: 1), count: frames)
        self.hidden = FieldType(group: group, group.regularRepresentation, count: hidden)
        velocity = FieldType(group: group, group.irreducibleRepresentation(frequency: 1), count: 1)
    }

    /// The field types of each layer of a `layers`-deep stack.
    func stack(layers: Int) -> [(input: FieldType<CyclicGroup>, output: FieldType<CyclicGroup>)] {
        (0..<layers).map { index in (index == 0 ? velocities : hidden, index == layers - 1 ? velocity : hidden) }
    }
}

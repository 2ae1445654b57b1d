import Orbit

/// A set V of rotation flow generators for C_N regular fields: angular velocities ν in whole group steps
/// per time step, ν · 360/N degrees (Keller 2025, section 4; Docs/References.md §F3: V_2^R =
/// {-20, …, 20} in steps of 10 for N = 36). The flow of ν acts on a hidden state of regular fields as
/// the group element ν:
///
///     Flow_ν(h) = ρ_reg(ν) h(R_ν⁻¹ ·)    orientation axis rolled by +ν (channel n ← n - ν mod N),
///                                          content rotated by ν·360/N counter-clockwise as displayed
///
/// which is `FieldType.transform(h, by: ν mod N)`, done for all velocities of a lifted state at once by
/// `flowed(_:)`. The spatial rotation is exact (`rotated90`) when ν·360/N is a multiple of 90 degrees;
/// otherwise it is bilinear resampling about the image centre with zeros outside (`affineResample`,
/// align_corners = false, as the reference's `grid_sample`), which interpolates and loses the corners
/// every step: flow equivariance is then only approximate.
public struct RotationFlows: Sendable, Equatable, CustomStringConvertible {
    /// N, the order of the rotation group C_N whose regular fields the flows act on.
    public let groupOrder: Int
    /// The velocities in group steps per time step (ν · 360/N degrees), in hidden-state order (axis 1 of
    /// a lifted state [B, |V|, fields·N, H, W]).
    public let steps: [Int]

    public init(groupOrder: Int, steps: [Int]) {
        requireArgument(groupOrder >= 1, "RotationFlows", "group order must be at least 1, got \(groupOrder)")
        requireArgument(!steps.isEmpty, "RotationFlows", "needs at least one velocity")
        let residues = steps.map { (($0 % groupOrder) + groupOrder) % groupOrder }
        requireArgument(Set(residues).count == steps.count, "RotationFlows",
                        "velocities \(steps) repeat a rotation modulo N = \(groupOrder) (two velocities with the same flow)")
        (self.groupOrder, self.steps) = (groupOrder, steps)
    }

    /// Velocities in degrees per step; each must be a multiple of 360/N (Docs/References.md §F3 lists them so).
    public init(groupOrder: Int, degrees: [Double]) {
        requireArgument(groupOrder >= 1, "RotationFlows", "group order must be at least 1, got \(groupOrder)")
        let unit = 360 / Double(groupOrder)
        let steps = degrees.map { ($0 / unit).rounded() }
        requireArgument(zip(degrees, steps).allSatisfy { abs($0 - $1 * unit) <= 1e-9 * max(1, abs($0)) }, "RotationFlows",
                        "velocities \(degrees) degrees must be multiples of 360/\(groupOrder) = \(unit) degrees")
        self.init(groupOrder: groupOrder, steps: steps.map { Int($0) })
    }

    /// V_r^R = {-r, …, r} group steps: 2r + 1 velocities (N = 36, r = 2: {-20, …, 20} degrees per step).
    public static func range(_ r: Int, groupOrder: Int) -> RotationFlows {
        requireArgument(r >= 0 && 2 * r < groupOrder, "RotationFlows.range", "range \(r) needs 0 <= 2r < N = \(groupOrder)")
        return RotationFlows(groupOrder: groupOrder, steps: Array(-r...r))
    }

    /// V = {0}: the lifted model with this set is a G-RNN.
    public static func stationary(groupOrder: Int) -> RotationFlows { RotationFlows(groupOrder: groupOrder, steps: [0]) }

    public var count: Int { steps.count }

    /// ν · 360/N for each velocity.
    public var degrees: [Double] { steps.map { Double($0) * 360 / Double(groupOrder) } }

    /// The group element of velocity `index`: its steps modulo N.
    public func element(_ index: Int) -> Int { ((steps[index] % groupOrder) + groupOrder) % groupOrder }

    /// Index of the velocity of `steps` group steps (compared modulo N), or nil.
    public func index(of steps: Int) -> Int? {
        let residue = ((steps % groupOrder) + groupOrder) % groupOrder
        return self.steps.indices.first { element($0) == residue }
    }

    /// Whether every flow rotates by a multiple of 90 degrees, so `flowed` is exact.
    public var isExactOnGrid: Bool { steps.indices.allSatisfy { action(of: $0).isExactOnGrid } }

    public var description: String {
        "V = {\(degrees.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }.joined(separator: ", "))} degrees per step on C\(groupOrder)"
    }

    func action(of index: Int) -> PlanarAction { CyclicGroup(order: groupOrder).planarAction(of: element(index)) }

    /// Moves every velocity's slice of a lifted state one step along its own flow:
    /// [B, |V|, fields·N, H, W] -> same, slice ν ↦ Flow_ν(slice ν).
    ///
    /// Velocities are grouped by how their rotation is done (0, 1, 2 or 3 quarter turns, or resampled),
    /// at most five groups whatever |V| is. Each group is one gather over the flattened (V, channel) axis,
    /// which selects its slices and rolls their orientation axes at once, then one rotation of the whole
    /// group (`rotated90`, or one `affineResample` with a θ per image). Differentiable in `state`.
    public func flowed(_ state: Tensor) -> Tensor {
        requireArgument(state.rank == 5 && state.shape[1] == count && state.shape[2] % groupOrder == 0, "RotationFlows.flowed",
                        "state must be [B, \(count), fields·\(groupOrder), H, W] for \(self), got \(state.shape)")
        let (batch, channels, height, width) = (state.shape[0], state.shape[2], state.shape[3], state.shape[4])
        let rotating = steps.indices.filter { action(of: $0).quarterTurns != 0 }
        requireArgument(rotating.isEmpty || height == width, "RotationFlows.flowed",
                        "rotation flows need square images, got state \(state.shape)")
        let planes = state.reshaped([batch, count * channels, height, width])
        var pieces: [Tensor] = [], order: [Int] = []
        for (velocities, turns) in rotationClasses {
            let source = velocities.flatMap { v in (0..<channels).map { c in v * channels + c - c % groupOrder
                + ((c % groupOrder - steps[v]) % groupOrder + groupOrder) % groupOrder } }
            let selected = source == Array(0..<(count * channels)) ? state
                : planes.indexSelect(axis: 1, source).reshaped([batch, velocities.count, channels, height, width])
            if let turns {
                pieces.append(turns == 0 ? selected : selected.rotated90(turns))
            } else {
                // One θ per image of the [B·|class|, channels, H, W] view, image b·|class| + j rotated by velocity j.
                let thetas = velocities.flatMap { resamplingTheta(for: action(of: $0), dtype: .float64).doubles }
                let theta = Tensor(Array((0..<batch).map { _ in thetas }.joined()), shape: [batch * velocities.count, 2, 3], dtype: state.dtype)
                let images = selected.reshaped([batch * velocities.count, channels, height, width])
                pieces.append(affineResample(images, theta: theta).reshaped(selected.shape))
            }
            order += velocities
        }
        let joined = pieces.count == 1 ? pieces[0] : concatenate(pieces, axis: 1)
        guard order != Array(0..<count) else { return joined }
        var inverse = [Int](repeating: 0, count: count)
        for (position, velocity) in order.enumerated() { inverse[velocity] = position }
        return joined.indexSelect(axis: 1, inverse)
    }

    /// The velocities grouped by quarter turns (0...3), then those that need resampling (nil).
    private var rotationClasses: [(velocities: [Int], quarterTurns: Int?)] {
        var classes: [(velocities: [Int], quarterTurns: Int?)] = (0..<4).map { turns in
            (steps.indices.filter { action(of: $0).quarterTurns == turns }, turns)
        }
        classes.append((steps.indices.filter { action(of: $0).quarterTurns == nil }, nil))
        return classes.filter { !$0.velocities.isEmpty }
    }
}

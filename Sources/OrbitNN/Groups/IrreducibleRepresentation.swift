import Foundation
import Orbit

/// A real irreducible representation of a planar group (a closed subgroup of O(2)), labelled as in
/// escnn by a reflection frequency j ∈ {0, 1} and a rotation frequency k ≥ 0.
///
/// Matrices, for the element acting on the plane as R(θ)·F^s (F the reflection x ↦ -x):
/// - dimension 2 (0 < k, k ≠ N/2): ψ(R(θ)F^s) = R(kθ)·diag(1, -1)^s, R the 2×2 rotation matrix;
/// - dimension 1: ψ = cos(kθ)·(-1)^(j·s), that is 1 for (0, 0), the reflection's sign det for (1, 0),
///   and (-1)^m on the rotation r^m for k = N/2 (C_N, D_N with N even).
/// Every irrep of C_N, D_N, SO(2) and O(2) is a restriction of an O(2) irrep written this way.
public struct IrreducibleRepresentation: Hashable, Sendable, CustomStringConvertible {
    /// j: whether reflections act with a sign (1-dimensional irreps) or are present at all (j = 1 for
    /// the 2-dimensional irreps of D_N and O(2)); always 0 in groups without reflections.
    public let reflectionFrequency: Int
    /// k: the rotation frequency.
    public let frequency: Int
    /// 1 or 2.
    public let dimension: Int
    /// 2 for the 2-dimensional irreps of rotation-only groups (C_N, SO(2)): their commutant is ℂ, so
    /// they appear once, not twice, in a regular representation; 1 otherwise.
    public let endomorphismDimension: Int
    /// "irrep(k)" in groups without reflections, "irrep(j,k)" in groups with them (escnn's names).
    public let name: String

    /// The irrep (j, k) of `group`; stops with a message when the group has no such irrep.
    public init<G: PlanarGroup>(reflectionFrequency j: Int = 0, frequency k: Int, of group: G) {
        let order = group.rotationOrder
        let half = order.map { 2 * k == $0 } ?? false
        requireArgument(k >= 0 && (order.map { 2 * k <= $0 } ?? true), "IrreducibleRepresentation",
                        "\(group.name) has no irrep of rotation frequency \(k)\(order.map { " (at most \($0 / 2))" } ?? "")")
        let oneDimensional = k == 0 || half
        if group.containsReflection {
            requireArgument(j == 0 || j == 1, "IrreducibleRepresentation", "reflection frequency must be 0 or 1, got \(j)")
            requireArgument(oneDimensional || j == 1, "IrreducibleRepresentation",
                            "\(group.name): the 2-dimensional irreps are labelled (1, k), got (\(j), \(k))")
        } else {
            requireArgument(j == 0, "IrreducibleRepresentation", "\(group.name) has no reflections, so j must be 0, got \(j)")
        }
        reflectionFrequency = j
        frequency = k
        dimension = oneDimensional ? 1 : 2
        endomorphismDimension = !oneDimensional && !group.containsReflection ? 2 : 1
        name = group.containsReflection ? "irrep(\(j),\(k))" : "irrep(\(k))"
    }

    public var description: String { name }

    /// ψ(g) for the element acting on the plane as `action`: dimension × dimension, row-major.
    public func matrix(_ action: PlanarAction) -> [Double] {
        if dimension == 1 {
            // cos(kθ) is ±1 on the elements of the groups where such an irrep exists; rounding makes it exact.
            let rotationSign = frequency == 0 ? 1.0 : cos(Double(frequency) * action.angle).rounded()
            return [reflectionFrequency == 1 && action.reflected ? -rotationSign : rotationSign]
        }
        let angle = Double(frequency) * action.angle
        let (c, s) = (cos(angle), sin(angle))
        return action.reflected ? [c, s, s, -c] : [c, -s, s, c]
    }

    /// The derivative of θ ↦ ψ(R(θ)) at θ = 0 (the Lie-algebra generator): k·[[0, -1], [1, 0]], or 0.
    var rotationGenerator: [Double] {
        dimension == 1 ? [0] : [0, -Double(frequency), Double(frequency), 0]
    }
}

extension PlanarGroup {
    /// The real irreducible representations in escnn's order: for C_N (and SO(2)) k = 0, 1, …; for D_N
    /// (and O(2)) (0,0), (1,0), (1,1), …, then (0, N/2) when N is even. Finite groups give all of them;
    /// SO(2) and O(2) those up to `maximumFrequency` (required for them).
    public func irreducibleRepresentations(maximumFrequency: Int? = nil) -> [IrreducibleRepresentation] {
        requireArgument(rotationOrder != nil || maximumFrequency != nil, "irreducibleRepresentations",
                        "\(name) has infinitely many irreps: pass maximumFrequency")
        let top = min(rotationOrder.map { $0 / 2 } ?? Int.max, maximumFrequency ?? Int.max)
        guard containsReflection else { return (0...top).map { IrreducibleRepresentation(frequency: $0, of: self) } }
        var irreps = [IrreducibleRepresentation(reflectionFrequency: 0, frequency: 0, of: self)]
        irreps += (0...top).map { IrreducibleRepresentation(reflectionFrequency: 1, frequency: $0, of: self) }
        if let order = rotationOrder, order % 2 == 0, top == order / 2 {
            irreps.append(IrreducibleRepresentation(reflectionFrequency: 0, frequency: order / 2, of: self))
        }
        return irreps
    }
}

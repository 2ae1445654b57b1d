import Orbit

/// A set V of translation flow generators: integer velocities ν = (dy, dx) in pixels per step
/// (Keller 2025, section 4). The flow of ν moves content by ν each step on the torus, as
/// `Tensor.rolled(shifts: [dy, dx], axes: [H, W])`: down by dy rows, right by dx columns.
public struct TranslationFlows: Sendable, Equatable, CustomStringConvertible {
    /// The velocities, in hidden-state order (axis 1 of a lifted state [B, |V|, C, H, W]).
    public let velocities: [[Int]]

    public init(velocities: [[Int]]) {
        requireArgument(!velocities.isEmpty && velocities.allSatisfy { $0.count == 2 }, "TranslationFlows",
                        "needs at least one velocity of two components (dy, dx), got \(velocities)")
        requireArgument(Set(velocities).count == velocities.count, "TranslationFlows", "repeated velocity in \(velocities)")
        self.velocities = velocities
    }

    /// V_r^T = {-r, …, r}²: (2r + 1)² velocities (the paper's V₁ has 9, V₂ has 25), dx outer and dy inner
    /// as the reference code lists them.
    public static func grid(range r: Int) -> TranslationFlows {
        requireArgument(r >= 0, "TranslationFlows.grid", "range must be >= 0, got \(r)")
        return TranslationFlows(velocities: (-r...r).flatMap { dx in (-r...r).map { dy in [dy, dx] } })
    }

    /// V = {(0, 0)}: the lifted model with this set is a G-RNN (the paper's baseline).
    public static let stationary = TranslationFlows(velocities: [[0, 0]])

    public var count: Int { velocities.count }

    /// Index of velocity (dy, dx), or nil.
    public func index(of velocity: [Int]) -> Int? { velocities.firstIndex(of: velocity) }

    public var description: String { "V = \(velocities.map { "(\($0[0]), \($0[1]))" }.joined(separator: " "))" }
}

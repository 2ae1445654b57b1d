import Orbit

/// A set V of translation flow generators: velocities ν = (dy, dx) in pixels per step (Keller 2025,
/// section 4). The flow of ν moves content by ν each step on the torus, as
/// `Tensor.rolled(shifts: [dy, dx], axes: [H, W])`: down by dy rows, right by dx columns.
///
/// Any list of distinct integer velocities makes a set: the paper's grids (`grid(range:)`), V = {0}
/// (`stationary`), or velocities between generators such as `horizontal([-4, -2, 0, 2, 4])`. Real
/// (sub-pixel) velocities such as 0.5 px per step come from `init(velocities:interpolation:)`
/// (TranslationFlows+Subpixel.swift), which moves by the whole-pixel part exactly and by the rest with a
/// Fourier or bilinear shift.
public struct TranslationFlows: Sendable, Equatable, CustomStringConvertible {
    /// The velocities in whole pixels per step, in hidden-state order (axis 1 of a lifted state
    /// [B, |V|, C, H, W]): the flows themselves for an integer set; for a sub-pixel set, each velocity
    /// rounded to the nearest whole pixel (the part a cell folds into its convolution's padding).
    public let velocities: [[Int]]
    /// For a sub-pixel set, the real velocities and how their remainders are applied; nil for an integer set.
    public let subpixel: Subpixel?

    public init(velocities: [[Int]]) {
        requireArgument(!velocities.isEmpty && velocities.allSatisfy { $0.count == 2 }, "TranslationFlows",
                        "needs at least one velocity of two components (dy, dx), got \(velocities)")
        requireArgument(Set(velocities).count == velocities.count, "TranslationFlows", "repeated velocity in \(velocities)")
        self.velocities = velocities
        subpixel = nil
    }

    init(wholePixelParts: [[Int]], subpixel: Subpixel) {
        (velocities, self.subpixel) = (wholePixelParts, subpixel)
    }

    /// V_r^T = {-r, …, r}²: (2r + 1)² velocities (the paper's V₁ has 9, V₂ has 25), dx outer and dy inner
    /// as the reference code lists them.
    public static func grid(range r: Int) -> TranslationFlows {
        requireArgument(r >= 0, "TranslationFlows.grid", "range must be >= 0, got \(r)")
        return TranslationFlows(velocities: (-r...r).flatMap { dx in (-r...r).map { dy in [dy, dx] } })
    }

    /// Velocities along x only, (0, dx) for each dx in order: `horizontal([-4, -2, 0, 2, 4])`,
    /// `horizontal(Array(-5...5))` (the FERNN rebuttal's velocities-between-generators sets).
    public static func horizontal(_ speeds: [Int]) -> TranslationFlows {
        TranslationFlows(velocities: speeds.map { [0, $0] })
    }

    /// V = {(0, 0)}: the lifted model with this set is a G-RNN (the paper's baseline).
    public static let stationary = TranslationFlows(velocities: [[0, 0]])

    public var count: Int { velocities.count }

    /// Index of velocity (dy, dx), or nil. In a sub-pixel set it matches the real velocities.
    public func index(of velocity: [Int]) -> Int? {
        guard let subpixel else { return velocities.firstIndex(of: velocity) }
        return subpixel.velocities.firstIndex(of: velocity.map(Double.init))
    }

    public var description: String {
        guard let subpixel else { return "V = \(velocities.map { "(\($0[0]), \($0[1]))" }.joined(separator: " "))" }
        let number = { (value: Double) in value == value.rounded() ? String(Int(value)) : String(value) }
        return "V = \(subpixel.velocities.map { "(\(number($0[0])), \(number($0[1])))" }.joined(separator: " ")) (\(subpixel.interpolation))"
    }
}

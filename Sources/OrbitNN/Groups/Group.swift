import Foundation

/// A group: a set with an associative composition, an identity and inverses (escnn `Group`).
///
/// `compose(a, b)` is the product a·b, which acts by applying b first, then a. Elements are plain
/// values (`Hashable`), so they can index dictionaries and be compared in tests.
public protocol Group: Sendable {
    associatedtype Element: Hashable & Sendable
    /// Short name: "C4", "D4", "SO(2)", "O(2)".
    var name: String { get }
    var identity: Element { get }
    /// The product a·b: apply b first, then a.
    func compose(_ a: Element, _ b: Element) -> Element
    func inverse(_ a: Element) -> Element
}

/// A group with finitely many elements, listed in a fixed order with the identity first. The order is
/// the channel order of the regular representation (and so of regular feature fields).
public protocol FiniteGroup: Group {
    var elements: [Element] { get }
}

extension FiniteGroup {
    /// |G|, the number of elements.
    public var order: Int { elements.count }
}

/// A closed subgroup of O(2) that acts on the plane by rotations about the origin and by the
/// reflection x ↦ -x (a horizontal flip, the last axis W of a feature map).
///
/// Such a group is determined by its rotations (C_N, or all of SO(2)) and whether it contains the
/// reflection, so its real irreducible representations, its action on feature maps and its steerable
/// kernels all follow from `planarAction(of:)`, `rotationOrder` and `containsReflection`. A new planar
/// group conforms by providing these; every generic test then covers it.
public protocol PlanarGroup: Group {
    /// How `element` moves points of the plane: the reflection (if any) first, then the rotation.
    func planarAction(of element: Element) -> PlanarAction
    /// N for rotations by multiples of 2π/N (C_N, D_N); nil when every angle is a rotation (SO(2), O(2)).
    var rotationOrder: Int? { get }
    /// Whether the group contains the reflection x ↦ -x (D_N, O(2)).
    var containsReflection: Bool { get }
}

/// An element of O(2) as it acts on the plane: p ↦ R(angle) · F^reflected · p, with F the reflection
/// x ↦ -x (flipping the last axis W of a feature map) and R(α) the rotation by α counter-clockwise as
/// displayed (math coordinates x = column - c, y = c - row: row 0 at the top, y pointing up).
public struct PlanarAction: Sendable, Hashable {
    /// Rotation in radians, counter-clockwise as displayed, applied after the reflection.
    public let angle: Double
    /// Whether the reflection x ↦ -x (a horizontal flip) is applied first.
    public let reflected: Bool
    /// angle / (π/2) mod 4 when the angle is a multiple of a quarter turn, else nil.
    public let quarterTurns: Int?
    /// Whether the action maps the pixel grid onto itself (so it can be applied exactly).
    public var isExactOnGrid: Bool { quarterTurns != nil }

    /// An action from an angle; quarter turns are recognised up to a relative 1e-9 of a turn.
    public init(angle: Double, reflected: Bool = false) {
        self.angle = angle
        self.reflected = reflected
        let turns = angle / (Double.pi / 2)
        let nearest = turns.rounded()
        quarterTurns = abs(turns - nearest) <= 1e-9 * max(1, abs(turns)) ? ((Int(nearest) % 4) + 4) % 4 : nil
    }

    /// An exact multiple of a quarter turn.
    public init(quarterTurns: Int, reflected: Bool = false) {
        let turns = ((quarterTurns % 4) + 4) % 4
        self.angle = Double(turns) * Double.pi / 2
        self.reflected = reflected
        self.quarterTurns = turns
    }

    /// The 2×2 matrix R(angle)·F^reflected in math coordinates (x right, y up), row-major.
    public var matrix: [Double] {
        let (c, s) = (cos(angle), sin(angle))
        let sign = reflected ? -1.0 : 1.0
        return [sign * c, -s, sign * s, c]
    }

    /// Where the point (x, y) (math coordinates) goes.
    public func apply(to point: (x: Double, y: Double)) -> (x: Double, y: Double) {
        let m = matrix
        return (m[0] * point.x + m[1] * point.y, m[2] * point.x + m[3] * point.y)
    }
}

extension PlanarGroup {
    /// The group's action as a 2×2 matrix on the plane: the standard representation of O(2) restricted.
    public func planarMatrix(of element: Element) -> [Double] { planarAction(of: element).matrix }
}

/// The angle normalised to [0, 2π).
@inlinable
func normalizedAngle(_ angle: Double) -> Double {
    let twoPi = 2 * Double.pi
    let reduced = angle.truncatingRemainder(dividingBy: twoPi)
    let result = reduced < 0 ? reduced + twoPi : reduced
    return result >= twoPi ? 0 : result
}

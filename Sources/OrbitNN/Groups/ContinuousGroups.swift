import Foundation

/// SO(2), all rotations of the plane. An element is its angle in radians, counter-clockwise as
/// displayed, normalised to [0, 2π) by `compose` and `inverse` (so equal rotations hash equally when
/// they come out of the group law; angles built by hand should go through `element(angle:)`).
public struct SpecialOrthogonalGroup: PlanarGroup {
    public typealias Element = Double

    public init() {}

    public var name: String { "SO(2)" }
    public var identity: Double { 0 }
    public var rotationOrder: Int? { nil }
    public var containsReflection: Bool { false }

    /// The rotation by `angle` radians, normalised to [0, 2π).
    public func element(angle: Double) -> Double { normalizedAngle(angle) }
    public func compose(_ a: Double, _ b: Double) -> Double { normalizedAngle(a + b) }
    public func inverse(_ a: Double) -> Double { normalizedAngle(-a) }
    public func planarAction(of element: Double) -> PlanarAction { PlanarAction(angle: element) }
}

/// An element R(angle) · F^reflected of O(2): the reflection F (x ↦ -x) first, if any, then the
/// rotation by `angle` radians counter-clockwise as displayed, normalised to [0, 2π).
public struct OrthogonalElement: Hashable, Sendable, CustomStringConvertible {
    public let reflected: Bool
    public let angle: Double

    public init(reflected: Bool, angle: Double) {
        self.reflected = reflected
        self.angle = normalizedAngle(angle)
    }

    public var description: String { reflected ? "R(\(angle))F" : "R(\(angle))" }
}

/// O(2), all rotations and reflections of the plane. The reflection F is x ↦ -x (a horizontal flip of
/// the last axis W), and F R(θ) F = R(-θ).
public struct OrthogonalGroup: PlanarGroup {
    public typealias Element = OrthogonalElement

    public init() {}

    public var name: String { "O(2)" }
    public var identity: OrthogonalElement { OrthogonalElement(reflected: false, angle: 0) }
    public var rotationOrder: Int? { nil }
    public var containsReflection: Bool { true }

    /// (R(a) F^s)(R(b) F^t) = R(a + (-1)^s b) F^(s+t).
    public func compose(_ a: OrthogonalElement, _ b: OrthogonalElement) -> OrthogonalElement {
        OrthogonalElement(reflected: a.reflected != b.reflected, angle: a.angle + (a.reflected ? -b.angle : b.angle))
    }

    /// R(a)⁻¹ = R(-a); a reflection R(a) F is its own inverse.
    public func inverse(_ a: OrthogonalElement) -> OrthogonalElement {
        a.reflected ? a : OrthogonalElement(reflected: false, angle: -a.angle)
    }

    public func planarAction(of element: OrthogonalElement) -> PlanarAction {
        PlanarAction(angle: element.angle, reflected: element.reflected)
    }
}

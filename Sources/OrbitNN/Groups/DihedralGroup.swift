import Foundation
import Orbit

/// An element r^rotation · f^reflected of D_N: the reflection f (x ↦ -x) first, if any, then the
/// rotation by 2π·rotation/N counter-clockwise as displayed.
public struct DihedralElement: Hashable, Sendable, CustomStringConvertible {
    public let reflected: Bool
    /// k ∈ 0..<N.
    public let rotation: Int

    public init(reflected: Bool, rotation: Int) {
        self.reflected = reflected
        self.rotation = rotation
    }

    public var description: String { reflected ? "r^\(rotation)f" : "r^\(rotation)" }
}

/// D_N, the symmetries of the regular N-gon: N rotations and N reflections, 2N elements (escnn
/// `dihedral_group(N)`). Elements are listed as in escnn: r^0, …, r^(N-1), then r^0 f, …, r^(N-1) f.
/// The reflection f is x ↦ -x (a horizontal flip: the last axis W), and f r f = r⁻¹.
public struct DihedralGroup: FiniteGroup, PlanarGroup {
    public typealias Element = DihedralElement
    /// N, the number of rotations (the group has 2N elements).
    public let rotationCount: Int

    /// D_N with `order` = N rotations; it has 2N elements.
    public init(order: Int) {
        requireArgument(order >= 1, "DihedralGroup", "order (number of rotations) must be at least 1, got \(order)")
        rotationCount = order
    }

    public var name: String { "D\(rotationCount)" }
    public var identity: DihedralElement { DihedralElement(reflected: false, rotation: 0) }
    public var elements: [DihedralElement] {
        [false, true].flatMap { f in (0..<rotationCount).map { DihedralElement(reflected: f, rotation: $0) } }
    }
    /// |D_N| = 2N.
    public var order: Int { 2 * rotationCount }
    public var rotationOrder: Int? { rotationCount }
    public var containsReflection: Bool { true }

    /// (r^a f^s)(r^b f^t) = r^(a + (-1)^s b) f^(s+t), using f r^b = r^(-b) f.
    public func compose(_ a: DihedralElement, _ b: DihedralElement) -> DihedralElement {
        let turned = a.reflected ? rotationCount - b.rotation : b.rotation
        return DihedralElement(reflected: a.reflected != b.reflected, rotation: (a.rotation + turned) % rotationCount)
    }

    /// (r^a)⁻¹ = r^(-a); a reflection r^a f is its own inverse.
    public func inverse(_ a: DihedralElement) -> DihedralElement {
        a.reflected ? a : DihedralElement(reflected: false, rotation: (rotationCount - a.rotation) % rotationCount)
    }

    public func planarAction(of element: DihedralElement) -> PlanarAction {
        exactPlanarAction(rotation: element.rotation, of: rotationCount, reflected: element.reflected)
    }
}

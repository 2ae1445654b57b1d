import Foundation
import Orbit

/// C_N, the rotations of the plane by multiples of 2π/N. Element k ∈ 0..<N is the rotation by 2πk/N
/// counter-clockwise as displayed; elements are listed 0, 1, …, N-1 (escnn `cyclic_group(N)`).
public struct CyclicGroup: FiniteGroup, PlanarGroup {
    public typealias Element = Int
    /// N, the number of rotations.
    public let order: Int

    public init(order: Int) {
        requireArgument(order >= 1, "CyclicGroup", "order must be at least 1, got \(order)")
        self.order = order
    }

    public var name: String { "C\(order)" }
    public var identity: Int { 0 }
    public var elements: [Int] { Array(0..<order) }
    public var rotationOrder: Int? { order }
    public var containsReflection: Bool { false }

    public func compose(_ a: Int, _ b: Int) -> Int { (a + b) % order }
    public func inverse(_ a: Int) -> Int { (order - a) % order }

    public func planarAction(of element: Int) -> PlanarAction {
        exactPlanarAction(rotation: element, of: order, reflected: false)
    }
}

/// The action r^k F^reflected of the rotation by 2πk/N; quarter turns are recognised exactly in
/// integers (4k divisible by N), not from the floating-point angle.
func exactPlanarAction(rotation k: Int, of n: Int, reflected: Bool) -> PlanarAction {
    if (4 * k) % n == 0 { return PlanarAction(quarterTurns: 4 * k / n, reflected: reflected) }
    return PlanarAction(angle: 2 * Double.pi * Double(k) / Double(n), reflected: reflected)
}

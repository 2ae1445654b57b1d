import Orbit
import OrbitNN
import _OrbitTestSupport

/// ‖f(g·x) - g·f(x)‖ / ‖f(x)‖ for each element, computed with the field types' actions.
func layerEquivarianceErrors<G: PlanarGroup>(_ function: (Tensor) -> Tensor, input x: Tensor,
                                             inputType: FieldType<G>, outputType: FieldType<G>,
                                             elements: [G.Element]) -> [Double] {
    let output = function(x)
    return elements.map { g in
        relativeError(function(inputType.transform(x, by: g)).doubles, outputType.transform(output, by: g).doubles)
    }
}

/// The elements of a finite planar group that act exactly on the pixel grid (quarter turns, flips).
func gridExactElements<G: FiniteGroup & PlanarGroup>(_ group: G) -> [G.Element] {
    group.elements.filter { group.planarAction(of: $0).isExactOnGrid }
}

/// Quarter turns (and, with reflections, flipped quarter turns) of SO(2) or O(2).
func quarterTurns(_ group: SpecialOrthogonalGroup) -> [Double] { (0..<4).map { Double($0) * .pi / 2 } }
func quarterTurns(_ group: OrthogonalGroup) -> [OrthogonalElement] {
    [false, true].flatMap { reflected in (0..<4).map { OrthogonalElement(reflected: reflected, angle: Double($0) * .pi / 2) } }
}

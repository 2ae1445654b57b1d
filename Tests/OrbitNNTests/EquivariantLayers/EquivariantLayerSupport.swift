import Orbit
import OrbitModels
import OrbitNN
import _OrbitTestSupport

/// ‖f(g·x) - g·f(x)‖ / ‖f(x)‖ for each element, computed with the field types' actions.
func layerEquivarianceErrors<G: PlanarGroup>(_ function: (Tensor) -> Tensor, input x: Tensor,
                                             inputType: FieldType<G>, outputType: FieldType<G>,
                                             elements: [G.Element]) -> [Double] {
    equivarianceErrors(of: function, input: x, inputType: inputType, outputType: outputType, elements: elements).map(\.error)
}

/// Quarter turns (and, with reflections, flipped quarter turns) of SO(2) or O(2).
func quarterTurns(_ group: SpecialOrthogonalGroup) -> [Double] { (0..<4).map { Double($0) * .pi / 2 } }
func quarterTurns(_ group: OrthogonalGroup) -> [OrthogonalElement] {
    [false, true].flatMap { reflected in (0..<4).map { OrthogonalElement(reflected: reflected, angle: Double($0) * .pi / 2) } }
}

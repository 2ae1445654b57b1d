import Orbit

/// A layer that maps feature fields of one type to fields of another, and claims to commute with the
/// group: layer(g·x) = g·layer(x) (escnn `EquivariantModule`). It checks the incoming channel count
/// at the door with `inputType.check`.
public protocol EquivariantLayer: Layer {
    associatedtype G: PlanarGroup
    var inputType: FieldType<G> { get }
    var outputType: FieldType<G> { get }
}

extension EquivariantLayer {
    /// ‖layer(g·x) - g·layer(x)‖ / ‖layer(x)‖ for each element g (see `equivarianceErrors(of:...)`).
    public func equivarianceErrors(input: Tensor, elements: [G.Element]) -> [(element: G.Element, error: Double)] {
        OrbitNN.equivarianceErrors(of: { self($0) }, input: input, inputType: inputType, outputType: outputType,
                                   elements: elements)
    }
}

extension EquivariantLayer where G: FiniteGroup {
    /// The errors at every element that acts exactly on the pixel grid (quarter turns and flips), where
    /// an equivariant layer's error is at rounding level (STYLE T5).
    public func equivarianceErrors(input: Tensor) -> [(element: G.Element, error: Double)] {
        equivarianceErrors(input: input, elements: inputType.group.elementsExactOnGrid)
    }
}

/// How far `function` is from equivariance at each element g: ‖f(g·x) - g·f(x)‖₂ / ‖f(x)‖₂, with g
/// acting by `inputType.transform` and `outputType.transform` (exact for quarter turns and flips,
/// bilinear otherwise, which adds interpolation error). When f(x) = 0 the absolute ‖f(g·x)‖ is returned.
/// Returns numbers, never prints or asserts (STYLE N7): tests and users decide what is small enough.
public func equivarianceErrors<G: PlanarGroup>(of function: (Tensor) -> Tensor, input: Tensor, inputType: FieldType<G>,
                                               outputType: FieldType<G>,
                                               elements: [G.Element]) -> [(element: G.Element, error: Double)] {
    inputType.check(input, "equivarianceErrors")
    let output = function(input)
    outputType.check(output, "equivarianceErrors")
    let reference = output.doubles
    let scale = reference.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return elements.map { element in
        let transformedFirst = function(inputType.transform(input, by: element)).doubles
        let transformedAfter = outputType.transform(output, by: element).doubles
        let difference = zip(transformedFirst, transformedAfter).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        return (element, scale > 0 ? difference / scale : difference)
    }
}

extension FiniteGroup where Self: PlanarGroup {
    /// The elements whose action maps the pixel grid onto itself: for C_N the rotations by quarter turns
    /// that C_N contains (its C4, C2 or C1 subgroup), for D_N those and their flips.
    public var elementsExactOnGrid: [Element] { elements.filter { planarAction(of: $0).isExactOnGrid } }
}

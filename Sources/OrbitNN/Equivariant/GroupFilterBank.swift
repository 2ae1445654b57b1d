import Orbit

/// The filter bank of a lifting or group convolution, as a function of its learned weight.
///
/// For each output group element g (in the group's element order) the weight is transformed by g:
/// spatially by g's planar action, and, for a group convolution, along the input group axis by
/// h ↦ g⁻¹h (Cohen and Welling 2016, eq. 10: [f ⋆ ψ](g) = Σ_h f(h) · (L_g ψ)(h)). The banks are
/// stacked as output channels (field-major: field o, element g at o·|G| + g), giving an ordinary OIHW
/// filter for the one `conv2d`.
///
/// When every element acts exactly on the grid (quarter turns and flips) the bank is a permutation
/// of the weight's entries: the map is computed once, by running the transforms on a tensor of entry
/// indices, and applied as a single differentiable gather. Otherwise (e.g. C₈'s 45° rotations) the
/// transforms run each call, with bilinear resampling of the filter (approximate).
struct GroupFilterBank<G: FiniteGroup & PlanarGroup>: Sendable {
    let group: G
    /// Lifting: [O, I, kH, kW]; group convolution: [O, I, |G|, kH, kW].
    let weightShape: [Int]
    let permutesInputGroupAxis: Bool
    private let gatherIndices: [Int]?

    init(group: G, weightShape: [Int], permutesInputGroupAxis: Bool) {
        (self.group, self.weightShape, self.permutesInputGroupAxis) = (group, weightShape, permutesInputGroupAxis)
        let exact = group.elements.allSatisfy { group.planarAction(of: $0).isExactOnGrid }
        let entries = Tensor.arange(weightShape.reduce(1, *), dtype: .float64).reshaped(weightShape)
        gatherIndices = exact ? Self.transform(entries, group: group, permutesInputGroupAxis: permutesInputGroupAxis)
            .doubles.map { Int($0) } : nil
    }

    /// The OIHW filter: [O·|G|, I(·|G|), kH, kW].
    var filterShape: [Int] {
        let order = group.order
        let kernel = Array(weightShape.suffix(2))
        return [weightShape[0] * order, weightShape[1] * (permutesInputGroupAxis ? order : 1)] + kernel
    }

    /// The filter bank for `weight` (differentiable in it).
    func callAsFunction(_ weight: Tensor) -> Tensor {
        guard let gatherIndices else {
            return Self.transform(weight, group: group, permutesInputGroupAxis: permutesInputGroupAxis).reshaped(filterShape)
        }
        return weight.reshaped([-1]).indexSelect(axis: 0, gatherIndices).reshaped(filterShape)
    }

    /// The bank by explicit transforms: for each g, permute the input group axis (h ↦ g⁻¹h), then move
    /// the kernel taps by g's planar action.
    private static func transform(_ weight: Tensor, group: G, permutesInputGroupAxis: Bool) -> Tensor {
        let elements = group.elements
        let position = Dictionary(uniqueKeysWithValues: elements.enumerated().map { ($0.element, $0.offset) })
        let banks = elements.map { g -> Tensor in
            var moved = weight
            if permutesInputGroupAxis {
                let inverse = group.inverse(g)
                moved = moved.indexSelect(axis: 2, elements.map { position[group.compose(inverse, $0)]! })
            }
            return transformSpatially(moved, by: group.planarAction(of: g))
        }
        return stack(banks, axis: 1)
    }
}

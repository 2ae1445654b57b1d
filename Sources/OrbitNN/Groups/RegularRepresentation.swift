import Foundation
import Orbit

extension FiniteGroup where Self: PlanarGroup {
    /// The regular representation: the left action on functions of the group, ρ(g)·e_h = e_(g·h), with
    /// the basis e_h in the order of `elements`. Its matrices are permutations (escnn `regular_representation`).
    ///
    /// Decomposition: every irrep ψ appears dim(ψ)/c(ψ) times, c(ψ) its endomorphism dimension (so the
    /// 2-dimensional irreps of C_N appear once, those of D_N twice). The change of basis is built from
    /// matrix coefficients: the column for copy b, row a of ψ is √(dim ψ/|G|)·(ψ_ab(h))_h, orthonormal
    /// by Schur's orthogonality relations, and ρ(g)·Q = Q·(⊕ψ)(g).
    public var regularRepresentation: Representation<Self> {
        let elements = self.elements
        let size = elements.count
        let index = Dictionary(uniqueKeysWithValues: elements.enumerated().map { ($1, $0) })
        let permutation: @Sendable (Element) -> [Int] = { g in elements.map { index[self.compose(g, $0)]! } }
        var components: [IrreducibleRepresentation] = []
        var columns: [[Double]] = []
        for irrep in irreducibleRepresentations() {
            let d = irrep.dimension
            let values = elements.map { irrep.matrix(planarAction(of: $0)) }
            let scale = (Double(d) / Double(size)).squareRoot()
            for copy in 0..<(d / irrep.endomorphismDimension) {
                components.append(irrep)
                for row in 0..<d { columns.append(values.map { scale * $0[row * d + copy] }) }
            }
        }
        precondition(columns.count == size, "regularRepresentation: \(columns.count) irrep columns for \(name) of order \(size)")
        let changeOfBasis = (0..<(size * size)).map { columns[$0 % size][$0 / size] }
        return Representation(group: self, name: "regular", components: components, changeOfBasis: changeOfBasis,
                              evaluate: { g in
                                  var matrix = [Double](repeating: 0, count: size * size)
                                  for (h, gh) in permutation(g).enumerated() { matrix[gh * size + h] = 1 }
                                  return matrix
                              },
                              permutation: permutation)
    }
}

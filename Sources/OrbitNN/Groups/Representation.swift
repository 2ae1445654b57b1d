import Foundation
import Orbit

/// A real orthogonal representation ρ of a group: a matrix ρ(g) for every element with
/// ρ(a·b) = ρ(a)·ρ(b), together with its decomposition into irreducible representations,
/// ρ(g) = Q · (ψ₁(g) ⊕ ψ₂(g) ⊕ …) · Qᵀ with Q orthogonal (escnn `Representation`).
///
/// Build one with `group.trivialRepresentation`, `group.irreducibleRepresentation(...)`,
/// `group.regularRepresentation` (finite groups), `Representation.directSum(_:)`, or from
/// irreducible components and a change of basis.
public struct Representation<G: Group>: Sendable {
    public let group: G
    /// "trivial", "regular", "irrep(1)", "irrep(1,1)", or a direct sum "regular+irrep(1)".
    public let name: String
    /// The size d of the matrices.
    public let dimension: Int
    /// The irreps ψᵢ of the decomposition, in the order of their blocks.
    public let irreducibleComponents: [IrreducibleRepresentation]
    /// Q, d×d orthogonal, row-major: ρ(g) = Q · (⊕ᵢ ψᵢ(g)) · Qᵀ.
    public let changeOfBasis: [Double]
    private let evaluate: @Sendable (G.Element) -> [Double]
    private let permute: (@Sendable (G.Element) -> [Int])?

    init(group: G, name: String, components: [IrreducibleRepresentation], changeOfBasis: [Double],
         evaluate: @escaping @Sendable (G.Element) -> [Double], permutation: (@Sendable (G.Element) -> [Int])?) {
        let dimension = components.reduce(0) { $0 + $1.dimension }
        precondition(changeOfBasis.count == dimension * dimension, "Representation: Q has the wrong size")
        (self.group, self.name, self.dimension) = (group, name, dimension)
        (irreducibleComponents, self.changeOfBasis, self.evaluate, self.permute) = (components, changeOfBasis, evaluate, permutation)
    }

    /// ρ(g): dimension × dimension, row-major, orthogonal.
    public func matrix(_ element: G.Element) -> [Double] { evaluate(element) }

    /// For a permutation representation (trivial, regular and direct sums of them), σ with
    /// ρ(g)·e_h = e_σ(h), i.e. ρ(g)[σ(h), h] = 1; nil for other representations.
    public func permutation(_ element: G.Element) -> [Int]? { permute?(element) }

    /// Whether every ρ(g) is a permutation matrix (then fields transform by a gather, not a matmul).
    public var isPermutation: Bool { permute != nil }

    /// The trace χ(g) = tr ρ(g).
    public func character(_ element: G.Element) -> Double {
        let m = matrix(element)
        return (0..<dimension).reduce(0) { $0 + m[$1 * dimension + $1] }
    }
}

extension Representation where G: PlanarGroup {
    /// The representation Q · (⊕ᵢ ψᵢ) · Qᵀ of the given irreps; Q (row-major, d×d) must be orthogonal.
    public init(group: G, name: String, irreducibleComponents: [IrreducibleRepresentation], changeOfBasis: [Double]) {
        let dimension = irreducibleComponents.reduce(0) { $0 + $1.dimension }
        requireArgument(changeOfBasis.count == dimension * dimension, "Representation",
                        "\(name): the change of basis needs \(dimension)×\(dimension) entries, got \(changeOfBasis.count)")
        let q = DenseMatrix(rows: dimension, columns: dimension, values: changeOfBasis)
        requireArgument((q.transposed * q).maximumDifference(to: .identity(dimension)) < 1e-9, "Representation",
                        "\(name): the change of basis is not orthogonal")
        let qTransposed = q.transposed
        self.init(group: group, name: name, components: irreducibleComponents, changeOfBasis: changeOfBasis,
                  evaluate: { element in
                      let blocks = blockDiagonalIrreps(irreducibleComponents, group.planarAction(of: element))
                      return (q * blocks * qTransposed).values
                  },
                  permutation: nil)
    }

    /// The direct sum ρ₁ ⊕ ρ₂ ⊕ …: block-diagonal matrices, components concatenated, Q = ⊕ Qᵢ.
    /// It is a permutation representation when every summand is.
    public static func directSum(_ summands: [Representation<G>], name: String? = nil) -> Representation<G> {
        requireArgument(!summands.isEmpty, "Representation.directSum", "needs at least one summand")
        let group = summands[0].group
        let blocks = summands.map { DenseMatrix(rows: $0.dimension, columns: $0.dimension, values: $0.changeOfBasis) }
        let permutations = summands.compactMap { $0.permute }
        let offsets = summands.reduce(into: [0]) { $0.append($0.last! + $1.dimension) }
        var permutation: (@Sendable (G.Element) -> [Int])? = nil
        if permutations.count == summands.count {
            permutation = { @Sendable element in
                zip(permutations, offsets).flatMap { permute, offset in permute(element).map { $0 + offset } }
            }
        }
        return Representation(
            group: group, name: name ?? summands.map(\.name).joined(separator: "+"),
            components: summands.flatMap(\.irreducibleComponents), changeOfBasis: DenseMatrix.blockDiagonal(blocks).values,
            evaluate: { element in
                DenseMatrix.blockDiagonal(summands.map { DenseMatrix(rows: $0.dimension, columns: $0.dimension, values: $0.matrix(element)) }).values
            },
            permutation: permutation)
    }
}

extension PlanarGroup {
    /// ρ(g) = 1 on a 1-dimensional space: scalar fields.
    public var trivialRepresentation: Representation<Self> {
        let irrep = IrreducibleRepresentation(frequency: 0, of: self)
        return Representation(group: self, name: "trivial", components: [irrep], changeOfBasis: [1],
                              evaluate: { _ in [1] }, permutation: { _ in [0] })
    }

    /// The irrep (j, k) as a representation (Q = identity); see `IrreducibleRepresentation`.
    public func irreducibleRepresentation(reflectionFrequency j: Int = 0, frequency k: Int) -> Representation<Self> {
        irreducibleRepresentation(IrreducibleRepresentation(reflectionFrequency: j, frequency: k, of: self))
    }

    /// ψ as a representation (Q = identity).
    public func irreducibleRepresentation(_ irrep: IrreducibleRepresentation) -> Representation<Self> {
        if irrep.frequency == 0 && irrep.reflectionFrequency == 0 { return trivialRepresentation }
        return Representation(group: self, name: irrep.name, components: [irrep],
                              changeOfBasis: DenseMatrix.identity(irrep.dimension).values,
                              evaluate: { irrep.matrix(self.planarAction(of: $0)) }, permutation: nil)
    }
}

/// ⊕ᵢ ψᵢ(action) as one block-diagonal matrix.
func blockDiagonalIrreps(_ irreps: [IrreducibleRepresentation], _ action: PlanarAction) -> DenseMatrix {
    DenseMatrix.blockDiagonal(irreps.map { DenseMatrix(rows: $0.dimension, columns: $0.dimension, values: $0.matrix(action)) })
}

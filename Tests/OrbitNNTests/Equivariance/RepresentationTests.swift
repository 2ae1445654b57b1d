import Orbit
import OrbitModels
import OrbitNN
import Testing

// Representations, generic over the group: homomorphism, orthogonality, the change of basis into
// irreps, permutation structure and characters. A new planar group gets all of it by joining the
// cases in GroupCases.swift.

@Test(arguments: planarGroupCases)
func representationsAreOrthogonalHomomorphismsWithTheirDecomposition(_ testCase: PlanarGroupCase) {
    checkRepresentations(testCase.group)
}

@Test(arguments: finiteGroupCases)
func regularRepresentationsArePermutationsWithTheRegularCharacter(_ testCase: FiniteGroupCase) {
    checkRegularRepresentation(testCase.group)
}

@Test(arguments: finiteGroupCases)
func irreducibleCharactersAreOrthonormal(_ testCase: FiniteGroupCase) {
    checkCharacterOrthogonality(testCase.group)
}

/// The representations every group is checked with: trivial, every irrep (up to frequency 3 for
/// SO(2)/O(2)), the regular one for finite groups, and a direct sum.
func testedRepresentations<G: PlanarGroup>(of group: G) -> [Representation<G>] {
    let irreps = group.irreducibleRepresentations(maximumFrequency: group.rotationOrder == nil ? 3 : nil)
    var representations = [group.trivialRepresentation] + irreps.map { group.irreducibleRepresentation($0) }
    if let finite = group as? any FiniteGroup & PlanarGroup {
        representations.append(finite.regularRepresentationErased as! Representation<G>)
    }
    representations.append(.directSum([representations.last!, representations[irreps.count > 1 ? 2 : 0], group.trivialRepresentation]))
    return representations
}

extension FiniteGroup where Self: PlanarGroup {
    var regularRepresentationErased: Any { regularRepresentation }
}

func checkRepresentations<G: PlanarGroup>(_ group: G) {
    let elements = testedElements(of: group)
    for representation in testedRepresentations(of: group) {
        let d = representation.dimension
        let label = "\(group.name) \(representation.name)"
        #expect(maximumDifference(representation.matrix(group.identity), identityMatrix(d)) < 1e-12, "\(label): ρ(e) ≠ I")
        let q = representation.changeOfBasis
        #expect(maximumDifference(multiply(transpose(q, d, d), q, d, d, d), identityMatrix(d)) < 1e-12, "\(label): Q not orthogonal")
        for a in elements {
            let ra = representation.matrix(a)
            #expect(maximumDifference(multiply(ra, transpose(ra, d, d), d, d, d), identityMatrix(d)) < 1e-12,
                    "\(label): ρ(\(a)) is not orthogonal")
            let blocks = blockDiagonal(representation.irreducibleComponents.map { $0.matrix(group.planarAction(of: a)) })
            let decomposed = multiply(multiply(q, blocks, d, d, d), transpose(q, d, d), d, d, d)
            #expect(maximumDifference(decomposed, ra) < 1e-12, "\(label): ρ(\(a)) ≠ Q (⊕ψ) Qᵀ")
            if let permutation = representation.permutation(a) {
                var matrix = [Double](repeating: 0, count: d * d)
                for (h, image) in permutation.enumerated() { matrix[image * d + h] = 1 }
                #expect(matrix == ra, "\(label): permutation(\(a)) disagrees with matrix(\(a))")
            }
            for b in elements.prefix(12) {
                let product = multiply(ra, representation.matrix(b), d, d, d)
                #expect(maximumDifference(representation.matrix(group.compose(a, b)), product) < 1e-12,
                        "\(label): ρ(\(a)·\(b)) ≠ ρ(\(a)) ρ(\(b))")
            }
        }
    }
}

func checkRegularRepresentation<G: FiniteGroup & PlanarGroup>(_ group: G) {
    let regular = group.regularRepresentation
    #expect(regular.dimension == group.order && regular.isPermutation)
    #expect(regular.irreducibleComponents.reduce(0) { $0 + $1.dimension } == group.order)
    for g in group.elements {
        let matrix = regular.matrix(g)
        #expect(matrix.allSatisfy { $0 == 0 || $0 == 1 } && matrix.reduce(0, +) == Double(group.order))
        #expect(regular.character(g) == (g == group.identity ? Double(group.order) : 0), "χ_reg(\(g))")
    }
    // Every irrep ψ appears dim(ψ)/c(ψ) times.
    for irrep in group.irreducibleRepresentations() {
        let copies = regular.irreducibleComponents.filter { $0 == irrep }.count
        #expect(copies == irrep.dimension / irrep.endomorphismDimension, "\(group.name): \(irrep) appears \(copies) times")
    }
}

/// (1/|G|) Σ_g χᵢ(g) χⱼ(g) = δᵢⱼ·c(ψᵢ), c the endomorphism dimension (2 for the complex-type
/// 2-dimensional irreps of C_N, whose real characters are not normalised to 1), and Σ dim²/c = |G|.
func checkCharacterOrthogonality<G: FiniteGroup & PlanarGroup>(_ group: G) {
    let irreps = group.irreducibleRepresentations()
    let characters = irreps.map { irrep in group.elements.map { g -> Double in
        let m = irrep.matrix(group.planarAction(of: g))
        return irrep.dimension == 1 ? m[0] : m[0] + m[3]
    } }
    for i in irreps.indices {
        for j in irreps.indices {
            let inner = zip(characters[i], characters[j]).reduce(0) { $0 + $1.0 * $1.1 } / Double(group.order)
            let expected = i == j ? Double(irreps[i].endomorphismDimension) : 0
            #expect(abs(inner - expected) < 1e-12, "\(group.name): <χ_\(irreps[i]), χ_\(irreps[j])> = \(inner)")
        }
    }
    let total = irreps.reduce(0) { $0 + $1.dimension * $1.dimension / $1.endomorphismDimension }
    #expect(total == group.order, "\(group.name): Σ dim²/c = \(total)")
}

@Test func irrepsFollowEscnnNamesAndOrder() {
    #expect(CyclicGroup(order: 4).irreducibleRepresentations().map(\.name) == ["irrep(0)", "irrep(1)", "irrep(2)"])
    #expect(DihedralGroup(order: 4).irreducibleRepresentations().map(\.name)
            == ["irrep(0,0)", "irrep(1,0)", "irrep(1,1)", "irrep(1,2)", "irrep(0,2)"])
    #expect(DihedralGroup(order: 4).irreducibleRepresentations().map(\.dimension) == [1, 1, 2, 1, 1])
    #expect(OrthogonalGroup().irreducibleRepresentations(maximumFrequency: 2).map(\.name)
            == ["irrep(0,0)", "irrep(1,0)", "irrep(1,1)", "irrep(1,2)"])
    // O(2)'s (1, 0) is the determinant; D_N's 2-dimensional irreps send f to diag(1, -1).
    let flip = PlanarAction(quarterTurns: 0, reflected: true)
    #expect(IrreducibleRepresentation(reflectionFrequency: 1, frequency: 0, of: OrthogonalGroup()).matrix(flip) == [-1])
    #expect(IrreducibleRepresentation(reflectionFrequency: 1, frequency: 1, of: DihedralGroup(order: 4)).matrix(flip) == [1, 0, 0, -1])
}

/// Row-major block-diagonal matrix of square blocks.
func blockDiagonal(_ blocks: [[Double]]) -> [Double] {
    let sizes = blocks.map { Int(Double($0.count).squareRoot()) }
    let total = sizes.reduce(0, +)
    var result = [Double](repeating: 0, count: total * total)
    var offset = 0
    for (block, size) in zip(blocks, sizes) {
        for i in 0..<size { for j in 0..<size { result[(offset + i) * total + offset + j] = block[i * size + j] } }
        offset += size
    }
    return result
}

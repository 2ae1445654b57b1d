import Orbit
import OrbitModels
import OrbitNN
import Testing
import _OrbitTestSupport

// The steerable kernel basis: its size against e2cnn's, exact equivariance of every sampled element
// under the grid's symmetries, linear independence, and the filter expansion's layout.

@Test func requiredThreeByThreeCountsMatchE2cnn() {
    let c4 = CyclicGroup(order: 4), c36 = CyclicGroup(order: 36)
    let (regular, vector) = (c4.regularRepresentation, c4.irreducibleRepresentation(frequency: 1))
    let count = { (input: Representation<CyclicGroup>, output: Representation<CyclicGroup>) in
        SteerableKernelBasis(group: input.group, input: input, output: output, kernelSize: 3).count
    }
    #expect(count(vector, regular) == 12)
    #expect(count(regular, regular) == 24)
    #expect(count(regular, vector) == 12)
    #expect(count(vector, vector) == 8)
    #expect(count(c36.trivialRepresentation, c36.regularRepresentation) == 6)
    #expect(count(c36.regularRepresentation, c36.regularRepresentation) == 216)
}

/// (group, kernel size, input, output, count) for the representations named in `namedRepresentations`.
/// Counts computed with e2cnn's own basis code (e2cnn.gspaces, numpy only) and its R2Conv defaults.
let e2cnnCounts: [(String, Int, String, String, Int)] = [
    ("C4", 5, "regular", "regular", 44), ("C4", 5, "irrep(1)", "irrep(1)", 14), ("C4", 7, "regular", "regular", 72),
    ("C4", 7, "trivial", "irrep(1)", 8), ("C4", 7, "irrep(1)", "irrep(1)", 20), ("C8", 3, "regular", "regular", 48),
    ("C8", 5, "regular", "irrep(1)", 22), ("C8", 7, "irrep(1)", "irrep(1)", 14), ("C36", 5, "trivial", "regular", 11),
    ("D4", 3, "regular", "regular", 48), ("D4", 3, "irrep(1,1)", "irrep(1,1)", 4), ("D4", 3, "irrep(1,0)", "trivial", 0),
    ("D4", 5, "irrep(1,1)", "irrep(1,1)", 7), ("D4", 5, "regular", "irrep(1,0)", 11), ("D4", 7, "irrep(1,1)", "irrep(1,1)", 10),
    ("D4", 7, "trivial", "irrep(1,1)", 4), ("SO(2)", 3, "irrep(1)", "irrep(1)", 6), ("SO(2)", 5, "trivial", "irrep(1)", 4),
    ("SO(2)", 7, "irrep(1)", "irrep(1)", 14), ("O(2)", 3, "irrep(1,1)", "irrep(1,1)", 3), ("O(2)", 5, "irrep(1,1)", "irrep(1,1)", 5),
    ("O(2)", 7, "trivial", "irrep(1,1)", 3), ("O(2)", 7, "irrep(1,0)", "irrep(1,0)", 4), ("O(2)", 3, "trivial", "irrep(1,0)", 0),
]

@Test func countsMatchE2cnnForLargerKernelsAndOtherGroups() {
    for (groupName, kernelSize, input, output, expected) in e2cnnCounts {
        let count: Int = switch groupName {
        case "C4": basisCount(CyclicGroup(order: 4), input, output, kernelSize)
        case "C8": basisCount(CyclicGroup(order: 8), input, output, kernelSize)
        case "C36": basisCount(CyclicGroup(order: 36), input, output, kernelSize)
        case "D4": basisCount(DihedralGroup(order: 4), input, output, kernelSize)
        case "SO(2)": basisCount(SpecialOrthogonalGroup(), input, output, kernelSize)
        default: basisCount(OrthogonalGroup(), input, output, kernelSize)
        }
        #expect(count == expected, "\(groupName) \(kernelSize)×\(kernelSize) \(input) → \(output)")
    }
}

private func basisCount<G: PlanarGroup>(_ group: G, _ input: String, _ output: String, _ kernelSize: Int) -> Int {
    SteerableKernelBasis(group: group, input: namedRepresentation(group, input), output: namedRepresentation(group, output),
                         kernelSize: kernelSize).count
}

/// "trivial", "regular", "irrep(k)" or "irrep(j,k)" of a group.
func namedRepresentation<G: PlanarGroup>(_ group: G, _ name: String) -> Representation<G> {
    if name == "trivial" { return group.trivialRepresentation }
    if name == "regular", let finite = group as? any FiniteGroup & PlanarGroup {
        return finite.regularRepresentationErased as! Representation<G>
    }
    let labels = name.dropFirst("irrep(".count).dropLast().split(separator: ",").map { Int($0)! }
    return labels.count == 1 ? group.irreducibleRepresentation(frequency: labels[0])
        : group.irreducibleRepresentation(reflectionFrequency: labels[0], frequency: labels[1])
}

/// Representations to check equivariance with: mixtures of irreps (and regular ones for finite groups).
func basisCheckRepresentations<G: PlanarGroup>(_ group: G) -> [(Representation<G>, Representation<G>)] {
    let irreps = group.irreducibleRepresentations(maximumFrequency: group.rotationOrder == nil ? 2 : nil)
        .map { group.irreducibleRepresentation($0) }
    let mixed = Representation.directSum(Array(irreps.prefix(4)))
    var pairs = [(group.trivialRepresentation, mixed), (mixed, mixed), (mixed, group.trivialRepresentation)]
    if group is any FiniteGroup {
        let regular = namedRepresentation(group, "regular")
        pairs += [(regular, regular), (mixed, regular)]
    }
    return pairs
}

@Test(arguments: [PlanarGroupCase(group: CyclicGroup(order: 4)), PlanarGroupCase(group: CyclicGroup(order: 8)),
                  PlanarGroupCase(group: DihedralGroup(order: 4)), PlanarGroupCase(group: SpecialOrthogonalGroup()),
                  PlanarGroupCase(group: OrthogonalGroup())])
func everyBasisElementIsEquivariantUnderTheGridSymmetries(_ testCase: PlanarGroupCase) {
    checkBasisEquivariance(testCase.group)
}

func checkBasisEquivariance<G: PlanarGroup>(_ group: G) {
    let onGrid = testedElements(of: group).filter { group.planarAction(of: $0).isExactOnGrid }
    #expect(onGrid.count >= 4)
    for (input, output) in basisCheckRepresentations(group) {
        for kernelSize in [3, 5] {
            let basis = SteerableKernelBasis(group: group, input: input, output: output, kernelSize: kernelSize)
            #expect(basis.count > 0)
            #expect(steerabilityError(basis.tensor, input, output, onGrid) < 1e-12,
                    "\(group.name) \(input.name) → \(output.name), \(kernelSize)×\(kernelSize)")
            #expect(smallestGramSchmidtResidual(basis.tensor) > 1e-6, "basis elements are linearly dependent")
        }
    }
}

@Test func aRandomKernelIsNotSteerable() {
    let group = CyclicGroup(order: 4)
    let regular = group.regularRepresentation
    let random = randomTensor([1, 4, 4, 3, 3], seed: 31)
    #expect(steerabilityError(random, regular, regular, group.elements) > 0.1)
}

/// max over elements g, basis elements b of ‖transform(b, g) - ρ_out(g)ᵀ b ρ_in(g)‖ / ‖b‖, where
/// transform(b, g)(y) = b(g⁻¹y): the constraint b(g·x) = ρ_out(g) b(x) ρ_in(g)ᵀ evaluated at x = g⁻¹y.
func steerabilityError<G: PlanarGroup>(_ basis: Tensor, _ input: Representation<G>, _ output: Representation<G>,
                                       _ elements: [G.Element]) -> Double {
    let (count, dOut, dIn, points) = (basis.shape[0], basis.shape[1], basis.shape[2], basis.shape[3] * basis.shape[4])
    var worst = 0.0
    for g in elements {
        let moved = transformSpatially(basis, by: input.group.planarAction(of: g)).doubles
        let (rOut, rIn) = (output.matrix(g), input.matrix(g))
        let values = basis.doubles
        for element in 0..<count {
            var difference = 0.0, norm = 0.0
            for point in 0..<points {
                let at = { (o: Int, i: Int) in values[((element * dOut + o) * dIn + i) * points + point] }
                let b = (0..<(dOut * dIn)).map { at($0 / dIn, $0 % dIn) }
                let expected = multiply(multiply(transpose(rOut, dOut, dOut), b, dOut, dOut, dIn), rIn, dOut, dIn, dIn)
                for index in 0..<(dOut * dIn) {
                    let actual = moved[(element * dOut * dIn + index) * points + point]
                    difference += (actual - expected[index]) * (actual - expected[index])
                    norm += b[index] * b[index]
                }
            }
            worst = max(worst, (difference / norm).squareRoot())
        }
    }
    return worst
}

/// The smallest residual norm in a Gram-Schmidt pass over the normalised, flattened basis elements:
/// 0 when one element is a combination of the earlier ones, near 1 for an orthogonal basis.
func smallestGramSchmidtResidual(_ basis: Tensor) -> Double {
    let count = basis.shape[0], size = basis.scalarCount / max(count, 1)
    let values = basis.doubles
    var orthonormal: [[Double]] = []
    var smallest = 1.0
    for element in 0..<count {
        var vector = Array(values[(element * size)..<((element + 1) * size)])
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        vector = vector.map { $0 / norm }
        for _ in 0..<2 {  // twice, for orthogonality to rounding
            for q in orthonormal {
                let dot = zip(vector, q).reduce(0) { $0 + $1.0 * $1.1 }
                for index in vector.indices { vector[index] -= dot * q[index] }
            }
        }
        let residual = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        smallest = min(smallest, residual)
        orthonormal.append(vector.map { $0 / residual })
    }
    return smallest
}

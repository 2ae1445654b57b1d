import Foundation
import Orbit
import OrbitNN
import Testing

// The steerable basis's normalisation, which equivariance and count checks cannot see (any element
// times a constant is still steerable and independent): e2cnn's `normalize_basis` divides each sampled
// element b by √(Σ b² / dim ψ_out), so Σ b² = dim ψ_out for every element that survives pruning. The
// changes of basis Q are orthogonal, so the lifted element Q_out b Q_inᵀ keeps that sum of squares.

@Test(arguments: [PlanarGroupCase(group: CyclicGroup(order: 4)), PlanarGroupCase(group: CyclicGroup(order: 8)),
                  PlanarGroupCase(group: DihedralGroup(order: 4)), PlanarGroupCase(group: SpecialOrthogonalGroup()),
                  PlanarGroupCase(group: OrthogonalGroup())])
func everyBasisElementHasTheSumOfSquaresOfItsOutputIrrep(_ testCase: PlanarGroupCase) {
    checkBasisNormalisation(testCase.group)
}

private func checkBasisNormalisation<G: PlanarGroup>(_ group: G) {
    for (input, output) in basisCheckRepresentations(group) {
        for kernelSize in [3, 5, 7] {
            let basis = SteerableKernelBasis(group: group, input: input, output: output, kernelSize: kernelSize)
            let size = basis.tensor.scalarCount / max(basis.count, 1)
            let values = basis.tensor.doubles
            for (index, element) in basis.elements.enumerated() {
                let sumOfSquares = values[(index * size)..<((index + 1) * size)].reduce(0) { $0 + $1 * $1 }
                let expected = Double(output.irreducibleComponents[element.outputComponent].dimension)
                #expect(abs(sumOfSquares - expected) < 1e-12 * expected,
                        "\(group.name) \(input.name) → \(output.name), \(kernelSize)×\(kernelSize), element \(index) \(element): Σ b² = \(sumOfSquares), expected \(expected)")
            }
        }
    }
}

@Test func theC4InvariantThreeByThreeBasisHasE2cnnsValues() {
    // C4, trivial → trivial, 3×3: e2cnn's rings r = 0 (σ = 0.005) and r = 1 (σ = 0.4), each with the
    // m = 0 harmonic only (a quarter turn maps cos 2φ to -cos 2φ). Ring 0 is the centre pixel (its
    // Gaussian is exp(-20000) one pixel away, 0 in float64). Ring 1 is exp(-½(r - 1)²/0.16) at r = 0,
    // 1, √2: centre e⁻³·¹²⁵, edges 1, corners exp(-½(√2 - 1)²/0.16), divided by the root of their
    // sum of squares. Each element is fixed up to sign by the null space it comes from.
    let c4 = CyclicGroup(order: 4)
    let basis = SteerableKernelBasis(group: c4, input: c4.trivialRepresentation, output: c4.trivialRepresentation, kernelSize: 3)
    #expect(basis.tensor.shape == [2, 1, 1, 3, 3])
    let diagonal: Double = 2.0.squareRoot() - 1
    let centre: Double = exp(-3.125), corner: Double = exp(-0.5 * diagonal * diagonal / 0.16)
    let ring: [Double] = [corner, 1, corner, 1, centre, 1, corner, 1, corner]
    let norm = ring.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let expected: [[Double]] = [[0, 0, 0, 0, 1, 0, 0, 0, 0], ring.map { $0 / norm }]
    let values = basis.tensor.doubles
    for element in 0..<2 {
        let actual = Array(values[(element * 9)..<((element + 1) * 9)])
        let sign: Double = actual[4] < 0 ? -1 : 1
        let difference = zip(actual, expected[element]).map { abs($0 - sign * $1) }.max()!
        #expect(difference < 1e-15, "element \(element): \(actual), expected ± \(expected[element])")
    }
}

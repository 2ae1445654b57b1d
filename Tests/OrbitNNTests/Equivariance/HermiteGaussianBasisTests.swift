import Orbit
import OrbitModels
import OrbitNN
import Testing

// The SESN Hermite-Gaussian basis against values computed with A's `steerable_A` and
// `normalize_basis_by_min_scale` (their NumPy/PyTorch code run in float64).

@Test func defaultsOfTheScaleModelGiveTheReferenceBasis() {
    let basis = HermiteGaussianBasis(kernelSize: 5, scales: [1.0, 1.5, 2.0, 2.5], effectiveSize: 7)
    #expect(basis.tensor.shape == [49, 4, 5, 5] && basis.functionCount == 49)
    let values = basis.tensor.doubles
    let at = { (f: Int, s: Int, row: Int, column: Int) in values[((f * 4 + s) * 5 + row) * 5 + column] }
    let reference: [((Int, Int, Int, Int), Double)] = [
        ((0, 0, 2, 2), 0.5761168847658291), ((1, 2, 1, 3), -0.08614378252751496), ((8, 3, 0, 4), -0.07338646602548941),
        ((13, 1, 2, 1), 0.20406974601191136), ((48, 3, 4, 4), 0.012796637662897823), ((30, 2, 3, 0), 0.05808177156325865),
        ((7, 0, 1, 2), 0),
    ]
    for ((f, s, row, column), expected) in reference {
        #expect(abs(at(f, s, row, column) - expected) < 1e-12, "basis[\(f), \(s), \(row), \(column)]")
    }
    #expect(abs(values.reduce(0) { $0 + $1 * $1 } - 79.23397313138615) < 1e-9)
    // The two smallest scales use a 3×3 support: the border of the 5×5 kernel stays zero.
    #expect((0..<49).allSatisfy { f in (0..<5).allSatisfy { at(f, 0, 0, $0) == 0 && at(f, 1, $0, 4) == 0 } })
    // Unit norm at the first scale.
    let norm = (0..<25).reduce(0) { sum, index in let v = at(10, 0, index / 5, index % 5); return sum + v * v }
    #expect(abs(norm - 1) < 1e-12)
}

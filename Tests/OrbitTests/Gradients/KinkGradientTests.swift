import Orbit
import Testing
import _OrbitTestSupport

// At kinks and ties the derivative does not exist and Orbit picks a subgradient; these tests state
// which one, with exact values (STYLE T4). Cotangents are explicit seeds with distinct entries, so a
// gradient routed to the wrong element cannot pass.

/// The gradient of `function` at `input` for the cotangent `seed`.
private func pullback(_ input: Tensor, seed: Tensor, _ function: @escaping (Tensor) -> Tensor) -> [Double] {
    gradient(at: [input], seed: seed) { function($0[0]) }[0].doubles
}

@Test func reluAtZeroHasGradientZero() {
    let x = float64Tensor([-1, 0, 2, -0.0], [4])
    #expect(pullback(x, seed: float64Tensor([3, 5, 7, 11], [4])) { relu($0) } == [0, 0, 7, 0])
}

@Test func leakyReluAtZeroHasTheSlope() {
    let x = float64Tensor([-2, 0, 3], [3])
    #expect(pullback(x, seed: float64Tensor([1, 2, 3], [3])) { leakyRelu($0, slope: 0.25) } == [0.25, 0.5, 3])
    #expect(pullback(x, seed: float64Tensor([1, 2, 3], [3])) { leakyRelu($0) } == [0.01, 0.02, 3])
}

@Test func absAtZeroHasGradientZero() {
    let x = float64Tensor([-2, 0, 3, -0.0], [4])
    #expect(pullback(x, seed: float64Tensor([1, 2, 3, 4], [4])) { abs($0) } == [-1, 0, 3, 0])
}

@Test func maximumAndMinimumSplitTiesInHalves() {
    let a = float64Tensor([1, 2, 3, -1], [4]), b = float64Tensor([1, 5, 0, -1], [4])
    let seed = float64Tensor([2, 4, 6, 8], [4])
    let maximumGradients = gradient(at: [a, b], seed: seed) { maximum($0[0], $0[1]) }
    #expect(maximumGradients[0].doubles == [1, 0, 6, 4])
    #expect(maximumGradients[1].doubles == [1, 4, 0, 4])
    let minimumGradients = gradient(at: [a, b], seed: seed) { minimum($0[0], $0[1]) }
    #expect(minimumGradients[0].doubles == [1, 4, 0, 4])
    #expect(minimumGradients[1].doubles == [1, 0, 6, 4])
}

@Test func maximumTiesWithABroadcastOperand() {
    // b is one number tied with two of a's three entries: it collects half of their cotangents.
    let a = float64Tensor([1, 0.5, 1], [3]), b = float64Tensor([1], [])
    let gradients = gradient(at: [a, b], seed: float64Tensor([2, 4, 6], [3])) { maximum($0[0], $0[1]) }
    #expect(gradients[0].doubles == [1, 0, 3])
    #expect(gradients[1].doubles == [1 + 4 + 3])
}

@Test func maxAndMinReductionsShareTheCotangentAmongTies() {
    let x = float64Tensor([1, 3, 3, 2, 2, 2, 0, -1, 0], [3, 3])
    #expect(pullback(x, seed: float64Tensor([6, 9, 4], [3])) { $0.max(axis: 1) } == [0, 3, 3, 3, 3, 3, 2, 0, 2])
    #expect(pullback(x, seed: float64Tensor([6, 9, 4], [3])) { $0.min(axis: 1) } == [6, 0, 0, 3, 3, 3, 0, 4, 0])
    // Over all axes: the two 3s share the seed.
    #expect(pullback(x, seed: float64Tensor([10], [])) { $0.max() } == [0, 5, 5, 0, 0, 0, 0, 0, 0])
    // Over axis 0, kept: a two-way tie in column 0, three-way ties in columns 1 and 2.
    let columns = float64Tensor([2, 1, 5, 2, 1, 5, 0, 1, 5], [3, 3])
    #expect(pullback(columns, seed: float64Tensor([6, 3, 9], [1, 3])) { $0.max(axes: [0], keepDimensions: true) }
            == [3, 1, 3, 3, 1, 3, 0, 1, 3])
}

@Test func maxPoolTiesGoToTheFirstMaximum() {
    // One 2x2 window of equal values: the first in row-major order takes the whole cotangent.
    let equal = float64Tensor([5, 5, 5, 5], [1, 1, 2, 2])
    #expect(pullback(equal, seed: float64Tensor([7], [1, 1, 1, 1])) { maxPool2d($0, kernelSize: 2) } == [7, 0, 0, 0])
    // Windows of a 3x3 map with stride 1: the first maximum of each window, in row-major order.
    let map = float64Tensor([1, 4, 4,
                      4, 2, 4,
                      4, 4, 3], [1, 1, 3, 3])
    let gradient = pullback(map, seed: float64Tensor([1, 10, 100, 1000], [1, 1, 2, 2])) { maxPool2d($0, kernelSize: 2, stride: 1) }
    #expect(gradient == [0, 1 + 10, 0,
                         100, 0, 1000,
                         0, 0, 0])
}

@Test func powerZeroHasZeroGradient() {
    let x = float64Tensor([-2, 0, 0.5, 3], [4])
    #expect(pullback(x, seed: float64Tensor([1, 2, 3, 4], [4])) { pow($0, 0) } == [0, 0, 0, 0])
    // x¹ at 0 has gradient 1 (0⁰ is taken as 1); x² at 0 has gradient 0.
    #expect(pullback(x, seed: float64Tensor([1, 2, 3, 4], [4])) { pow($0, 1) } == [1, 2, 3, 4])
    #expect(pullback(x, seed: float64Tensor([1, 2, 3, 4], [4])) { pow($0, 2) } == [-4, 0, 3, 24])
}

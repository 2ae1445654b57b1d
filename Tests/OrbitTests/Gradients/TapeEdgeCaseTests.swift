import Foundation
import Orbit
import Testing
import _OrbitTestSupport

// How the tape treats unused inputs, fan-out, constants and explicit seeds (STYLE T4).

@Test func unusedInputGetsZeroGradient() {
    let x = float64Tensor([1, 2, 3], [3]), unused = float64Tensor([4, 5, 6, 7], [2, 2])
    let gradients = gradient(at: [x, unused]) { ($0[0] * $0[0]).sum() }
    #expect(gradients[0].doubles == [2, 4, 6])
    #expect(gradients[1].shape == [2, 2])
    #expect(gradients[1].dtype == .float64)
    #expect(gradients[1].doubles == [0, 0, 0, 0])
}

@Test func valueIndependentOfEveryInputGivesZeroGradients() {
    let x = float64Tensor([1, 2], [2])
    let (value, gradients) = valueAndGradient(at: [x]) { _ in Tensor([3, 4] as [Double], shape: [2]).sum() }
    #expect(value.item == 7)
    #expect(gradients[0].doubles == [0, 0])
}

@Test func parameterNotUsedIsReportedAsAbsentWithZeros() {
    let used = Parameter(float64Tensor([1, 2], [2])), unused = Parameter(float64Tensor([3], [1]))
    let (_, gradients) = valueAndGradient(of: [used, unused]) { (used.value * 3.0).sum() }
    #expect(gradients[used].doubles == [3, 3])
    #expect(!gradients.contains(unused))
    #expect(gradients[unused].doubles == [0])
}

@Test func fanOutAccumulates() {
    let x = float64Tensor([1, -2, 3], [3])
    #expect(gradient(at: [x]) { ($0[0] * $0[0]).sum() }[0].doubles == [2, -4, 6])
    #expect(gradient(at: [x]) { ($0[0] + $0[0] + $0[0]).sum() }[0].doubles == [3, 3, 3])
    // x used by three different ops: d/dx (x·eˣ + x - x²) = eˣ(1 + x) + 1 - 2x.
    let expected = x.doubles.map { Foundation.exp($0) * (1 + $0) + 1 - 2 * $0 }
    let mixed = gradient(at: [x]) { inputs in
        let x = inputs[0]
        return (x * exp(x) + x - square(x)).sum()
    }[0]
    // Same libm exp on both sides plus three roundings: a few ulps (2.2e-16 each).
    expectClose(mixed, float64Tensor(expected, [3]), relativeTolerance: 1e-15)
    // A fan-out whose branches broadcast differently before they meet again.
    let row = float64Tensor([1, 2, 3], [3])
    let broadcastBranches = gradient(at: [row]) { ($0[0].unsqueezed(axis: 1) * $0[0]).sum() }[0]
    #expect(broadcastBranches.doubles == [12, 12, 12])
}

@Test func constantsDoNotReceiveGradients() {
    let x = float64Tensor([1, 2], [2]), constant = float64Tensor([5, 7], [2])
    let (value, gradients) = valueAndGradient(at: [x]) { ($0[0] * constant + constant.detached()).sum() }
    #expect(value.item == 1 * 5 + 2 * 7 + 12)
    #expect(gradients[0].doubles == [5, 7])
    // detached() cuts the tape: only the first factor is differentiated.
    #expect(gradient(at: [x]) { ($0[0] * $0[0].detached()).sum() }[0].doubles == [1, 2])
}

@Test func nonScalarOutputUsesTheExplicitSeed() {
    let x = float64Tensor([1, 2, 3, 4, 5, 6], [2, 3])
    let seed = float64Tensor([1, -1, 2, 0.5, 0, 3], [2, 3])
    let (value, gradients) = valueAndGradient(at: [x], seed: seed) { $0[0] * 3.0 }
    #expect(value.shape == [2, 3])
    #expect(gradients[0].doubles == [3, -3, 6, 1.5, 0, 9])
    // A seed flows through a reduction that keeps a non-scalar output.
    let rowSeed = float64Tensor([2, -1], [2])
    #expect(gradient(at: [x], seed: rowSeed) { $0[0].sum(axis: 1) }[0].doubles == [2, 2, 2, -1, -1, -1])
    // The identity function returns the seed itself.
    #expect(gradient(at: [x], seed: seed) { $0[0] }[0].doubles == seed.doubles)
}

@Test func scalarSeedScalesTheGradient() {
    let x = float64Tensor([1, 2], [2])
    #expect(gradient(at: [x], seed: float64Tensor([-2], [])) { ($0[0] * $0[0]).sum() }[0].doubles == [-4, -8])
}

@Test func nonScalarOutputWithoutSeedStops() async {
    await #expect(processExitsWith: .failure) {
        _ = gradient(at: [Tensor([1, 2] as [Double], shape: [2])]) { $0[0] * 2.0 }
    }
}

@Test func float32GradientsStayFloat32() {
    let x = Tensor([1, 2, 3] as [Float], shape: [3])
    let gradients = gradient(at: [x]) { (exp($0[0]) * $0[0]).sum() }
    #expect(gradients[0].dtype == .float32)
    let expected = x.doubles.map { Float(Foundation.exp($0) * (1 + $0)) }
    // Float32 exp is within 1 ulp and the product adds 2 roundings: a few ulps (~1.2e-7 each).
    for (value, reference) in zip(gradients[0].scalars(as: Float.self), expected) {
        #expect(Swift.abs(value - reference) <= 4 * reference.ulp)
    }
}

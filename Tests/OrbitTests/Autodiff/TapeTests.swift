import Testing
import _OrbitTestSupport
@testable import Orbit

// The tape's contract: records only inside a scope and only what depends on the scope's leaves,
// runs backwards without recursion, accumulates fan-out, returns gradients instead of storing them.

@Test func inferenceRecordsNothing() {
    let x = randomTensor([3, 4], seed: 1)
    let y = exp(x) * x + 1
    #expect(y.trace == nil)
    #expect(Tape.current == nil)
}

@Test func onlyOpsThatDependOnLeavesAreRecorded() {
    let constant = randomTensor([3], seed: 2)
    var recorded = 0
    _ = valueAndGradient(at: [randomTensor([3], seed: 3)]) { inputs in
        let unrelated = exp(constant) * constant    // depends on no leaf: not recorded
        #expect(unrelated.trace == nil)
        let result = (inputs[0] * unrelated).sum()   // multiply, sum, reshape to []: 3 nodes after the leaf
        recorded = Tape.current!.nodeCount
        return result
    }
    #expect(recorded == 4)
}

@Test func fanOutAccumulatesAndUnusedInputsGetZero() {
    let x = Tensor([1, -2, 3] as [Double], shape: [3])
    let unused = Tensor([5, 6] as [Double], shape: [2])
    let gradients = gradient(at: [x, unused]) { inputs in (inputs[0] * inputs[0] + inputs[0]).sum() }
    #expect(gradients[0].doubles == [3, -3, 7])
    #expect(gradients[1].doubles == [0, 0])
}

@Test func seedGivesTheVectorJacobianProduct() {
    let x = Tensor([1, 2, 3] as [Double], shape: [3])
    let seed = Tensor([1, 10, 100] as [Double], shape: [3])
    let gradients = gradient(at: [x], seed: seed) { inputs in inputs[0] * inputs[0] }
    #expect(gradients[0].doubles == [2, 40, 600])
}

@Test func gradientsWithRespectToParameters() {
    let weight = Parameter(Tensor([2, 3] as [Double], shape: [2]))
    let bias = Parameter(Tensor([1] as [Double], shape: [1]))
    let unused = Parameter(Tensor([7] as [Double], shape: [1]))
    let input = Tensor([4, 5] as [Double], shape: [2])
    let (value, gradients) = valueAndGradient(of: [weight, bias, unused]) {
        (weight.value * input).sum() + bias.value.sum() * 2
    }
    #expect(value.item == 2 * 4 + 3 * 5 + 2)
    #expect(gradients[weight].doubles == [4, 5])
    #expect(gradients[bias].doubles == [2])
    #expect(gradients[unused].doubles == [0])
    #expect(!gradients.contains(unused))
    // Gradients are returned, never stored: the parameter is untouched and untracked afterwards.
    #expect(weight.value.trace == nil && weight.value.doubles == [2, 3])
}

@Test func nestedScopesSeeOuterValuesAsConstants() {
    let x = Tensor([3] as [Double], shape: [1])
    let outer = gradient(at: [x]) { outerInputs in
        let inner = gradient(at: [outerInputs[0] * 2]) { innerInputs in (innerInputs[0] * innerInputs[0]).sum() }
        #expect(inner[0].doubles == [12])   // d(y²)/dy at y = 6
        return (outerInputs[0] * outerInputs[0]).sum()
    }
    #expect(outer[0].doubles == [6])
}

@Test func aLongRecurrenceDoesNotGrowTheStack() {
    // 20,000 steps of h ← tanh(w·h + x): a recursive backward walk would overflow the stack.
    let steps = 20_000
    let x = Tensor([0.1] as [Double], shape: [1])
    let w = Tensor([0.5] as [Double], shape: [1])
    let gradients = gradient(at: [w]) { inputs in
        var h = Tensor.zeros([1], dtype: .float64)
        for _ in 0..<steps { h = tanh(inputs[0] * h + x) }
        return h.sum()
    }
    // Reference by forward-mode recurrence in Double: dh/dw = (1 - h'²)(h + w·dh/dw).
    var h = 0.0, derivative = 0.0
    for _ in 0..<steps {
        let next = _OrbitTestSupport.tanhReference(0.5 * h + 0.1)
        derivative = (1 - next * next) * (h + 0.5 * derivative)
        h = next
    }
    #expect(abs(gradients[0].item - derivative) <= 1e-12 * abs(derivative))
}

@Test func recurrenceGradientMatchesFiniteDifferences() {
    let check = GradientCheck({ inputs in
        var h = Tensor.zeros([2, 3], dtype: .float64)
        for step in 0..<30 {
            h = tanh(matmul(h, inputs[0]) + inputs[1] * Double(step % 3))
        }
        return h
    }, at: [randomTensor([3, 3], seed: 11, lowerBound: -0.8, upperBound: 0.8), randomTensor([2, 3], seed: 12)])
    #expect(check.passed, "\(check)")
}

@Test func valueIsDetachedAndADifferentiatedTapeIsEmptied() {
    let x = randomTensor([2], seed: 4)
    let (value, _) = valueAndGradient(at: [x]) { ($0[0] * 3).sum() }
    #expect(value.trace == nil)
}

@Test func customGradientReplacesTheInnerOps() {
    let x = Tensor([1, 2] as [Double], shape: [2])
    let gradients = gradient(at: [x]) { inputs in
        customGradient("straightThrough", inputs, forward: { relu($0[0] - 1.5) }) { g, _, _ in [g] }.sum()
    }
    #expect(gradients[0].doubles == [1, 1])
}

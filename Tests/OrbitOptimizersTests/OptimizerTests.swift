import Foundation
import Orbit
import OrbitOptimizers
import Testing

// Optimizers against values derived from their update equations with a constant gradient (STYLE T9):
// the expected sequences are computed here in plain Double, not through Orbit.

private func run<O: Optimizer>(_ optimizer: O, steps: Int, start: Double = 1, gradient: Double = 0.5) -> [Double] {
    let parameter = Parameter(Tensor([start], shape: [1]))
    var values: [Double] = []
    for _ in 0..<steps {
        let gradients = valueAndGradient(of: [parameter]) { parameter.value * gradient }.gradients
        optimizer.update([parameter], with: gradients)
        values.append(parameter.value.item)
    }
    return values
}

@Test func sgdWithMomentumAndWeightDecay() {
    let (rate, momentum, decay) = (0.1, 0.9, 0.01)
    var p = 1.0, buffer: Double? = nil, expected: [Double] = []
    for _ in 0..<5 {
        let g = 0.5 + decay * p
        buffer = buffer.map { momentum * $0 + g } ?? g
        p -= rate * buffer!
        expected.append(p)
    }
    let actual = run(SGD(learningRate: rate, momentum: momentum, weightDecay: decay), steps: 5)
    #expect(zip(actual, expected).allSatisfy { abs($0 - $1) < 1e-15 }, "\(actual) vs \(expected)")
}

@Test func sgdWithNesterovMomentum() {
    var p = 1.0, buffer: Double? = nil, expected: [Double] = []
    for _ in 0..<5 {
        buffer = buffer.map { 0.9 * $0 + 0.5 } ?? 0.5
        p -= 0.1 * (0.5 + 0.9 * buffer!)
        expected.append(p)
    }
    let actual = run(SGD(learningRate: 0.1, momentum: 0.9, nesterov: true), steps: 5)
    #expect(zip(actual, expected).allSatisfy { abs($0 - $1) < 1e-15 }, "\(actual) vs \(expected)")
}

@Test func adamMatchesItsClosedForm() {
    // With a constant gradient g, m_t = g(1 - β₁ᵗ) and v_t = g²(1 - β₂ᵗ), so the bias-corrected step is
    // exactly g/(|g| + ε) every time: p_t = p₀ - t·η·g/(|g| + ε).
    let actual = run(Adam(learningRate: 0.01), steps: 10)
    for (step, value) in actual.enumerated() {
        let expected = 1 - Double(step + 1) * 0.01 * 0.5 / (0.5 + 1e-8)
        #expect(abs(value - expected) < 1e-14, "step \(step + 1): \(value) vs \(expected)")
    }
}

@Test(arguments: [4e-4, 0.1])
func adamAddsL2WeightDecayToTheGradient(_ decay: Double) {
    // torch.optim.Adam's weight_decay (the approximate-equivariance protocol trains with 4e-4): g ← g + λp,
    // then the usual moments and bias corrections. The loss gradient is [0.5, 0, -0.1]; the middle entry
    // moves by decay alone, so an Adam that ignored λ would leave it at -2.
    let (rate, beta1, beta2, epsilon) = (0.01, 0.9, 0.999, 1e-8)
    let lossGradient = [0.5, 0, -0.1]
    var p = [1.0, -2, 0.5], m = [0.0, 0, 0], v = [0.0, 0, 0], expected: [[Double]] = []
    for step in 1...5 {
        for i in p.indices {
            let g = lossGradient[i] + decay * p[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            let mHat = m[i] / (1 - Foundation.pow(beta1, Double(step))), vHat = v[i] / (1 - Foundation.pow(beta2, Double(step)))
            p[i] -= rate * mHat / (vHat.squareRoot() + epsilon)
        }
        expected.append(p)
    }
    let parameter = Parameter(Tensor([1.0, -2, 0.5], shape: [3]))
    let optimizer = Adam(learningRate: rate, weightDecay: decay)
    let direction = Tensor(lossGradient, shape: [3])
    for step in 0..<5 {
        optimizer.update([parameter], with: valueAndGradient(of: [parameter]) { (parameter.value * direction).sum() }.gradients)
        let actual = parameter.value.doubles
        #expect(zip(actual, expected[step]).allSatisfy { abs($0 - $1) < 1e-14 }, "step \(step + 1): \(actual) vs \(expected[step])")
    }
    // The decay-only entry moved by about η per step (Adam's step is scale-free), towards 0.
    #expect(parameter.value.doubles[1] > -2 + 4 * rate)
}

@Test func adamWDecaysTheParameterDirectly() {
    var p = 1.0, expected: [Double] = []
    for _ in 0..<6 {
        p *= 1 - 0.01 * 0.1
        p -= 0.01 * 0.5 / (0.5 + 1e-8)
        expected.append(p)
    }
    let actual = run(AdamW(learningRate: 0.01, weightDecay: 0.1), steps: 6)
    #expect(zip(actual, expected).allSatisfy { abs($0 - $1) < 1e-14 }, "\(actual) vs \(expected)")
}

@Test(arguments: ["sgd", "momentum", "adam", "adamw"])
func optimizersConvergeOnAQuadratic(_ name: String) {
    // f(p) = ½ Σ aᵢ (pᵢ - cᵢ)² with curvatures spread over 1..10.
    let curvature = Tensor([1, 3, 10] as [Double], shape: [3]), target = Tensor([2, -1, 0.5] as [Double], shape: [3])
    let parameter = Parameter(Tensor.zeros([3], dtype: .float64))
    func minimize<O: Optimizer>(_ optimizer: O, steps: Int) {
        for _ in 0..<steps {
            let gradients = valueAndGradient(of: [parameter]) {
                (curvature * square(parameter.value - target)).sum() * 0.5
            }.gradients
            optimizer.update([parameter], with: gradients)
        }
    }
    switch name {
    case "sgd": minimize(SGD(learningRate: 0.15), steps: 300)
    case "momentum": minimize(SGD(learningRate: 0.05, momentum: 0.8), steps: 300)
    case "adam": minimize(Adam(learningRate: 0.05), steps: 1500)
    default: minimize(AdamW(learningRate: 0.05, weightDecay: 0), steps: 1500)
    }
    let error = zip(parameter.value.doubles, target.doubles).map { abs($0 - $1) }.max()!
    #expect(error < 1e-4, "\(name): distance \(error)")
}

@Test func optimizerStateRoundTripsThroughNamedTensors() {
    let parameter = Parameter(Tensor([1, 2] as [Double], shape: [2]))
    let optimizer = Adam(learningRate: 0.1)
    for _ in 0..<3 {
        optimizer.update([parameter], with: valueAndGradient(of: [parameter]) { square(parameter.value).sum() }.gradients)
    }
    let saved = optimizer.stateTensors(for: [("layer.weight", parameter)])
    #expect(saved.map(\.name) == ["layer.weight.step", "layer.weight.firstMoment", "layer.weight.secondMoment"])
    let copy = Parameter(parameter.value)
    let restored = Adam(learningRate: 0.1)
    restored.loadStateTensors(Dictionary(uniqueKeysWithValues: saved.map { ($0.name, $0.tensor) }), for: [("layer.weight", copy)])
    for (optimizer, target) in [(optimizer, parameter), (restored, copy)] {
        let gradients = valueAndGradient(of: [target]) { square(target.value).sum() }.gradients
        optimizer.update([target], with: gradients)
    }
    // Same state, same gradient: the restored optimizer takes exactly the same step.
    #expect(copy.value.doubles == parameter.value.doubles)
}

@Test func clippingScalesOnlyWhenTheNormIsTooLarge() {
    let a = Parameter(Tensor([3] as [Double], shape: [1])), b = Parameter(Tensor([4] as [Double], shape: [1]))
    let gradients = valueAndGradient(of: [a, b]) { (a.value * 3 + b.value * 4).sum() }.gradients   // norm 5
    let (clipped, norm) = clipByGlobalNorm(gradients, maximumNorm: 1)
    #expect(abs(norm - 5) < 1e-15)
    #expect(abs(clipped[a].item - 3 / (5 + 1e-6)) < 1e-15 && abs(clipped[b].item - 4 / (5 + 1e-6)) < 1e-15)
    let (unchanged, _) = clipByGlobalNorm(gradients, maximumNorm: 10)
    #expect(unchanged[a].item == 3 && unchanged[b].item == 4)
}

@Test func schedulesFollowTheirFormulas() {
    #expect(StepDecay(initial: 1, stepSize: 2, factor: 0.5).learningRate(at: 5) == 0.25)
    #expect(abs(ExponentialDecay(initial: 1e-3, factor: 0.95).learningRate(at: 3) - 1e-3 * 0.95 * 0.95 * 0.95) < 1e-18)
    let cosine = CosineAnnealing(initial: 1, minimum: 0.1, period: 10)
    #expect(cosine.learningRate(at: 0) == 1 && abs(cosine.learningRate(at: 5) - 0.55) < 1e-15 && cosine.learningRate(at: 20) == 0.1)
    let warmup = LinearWarmup(steps: 4, then: ConstantRate(0.8))
    #expect([0, 1, 2, 3, 4, 9].map(warmup.learningRate(at:)) == [0.2, 0.4, 0.6000000000000001, 0.8, 0.8, 0.8])
}

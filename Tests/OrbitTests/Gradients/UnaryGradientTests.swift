import Orbit
import Testing
import _OrbitTestSupport

// Element-wise functions of one tensor (STYLE T1/T2). Each op runs over rank 0, a single element, a
// SIMD tail (9 = one vector of 8 plus 1) and an odd rank-3 block.

private let unaryShapes: [[Int]] = [[], [1], [9], [2, 3, 5]]

private struct UnaryOperation: Sendable {
    let name: String
    let domain: InputDomain
    let apply: @Sendable (Tensor) -> Tensor
}

private let unaryOperations: [UnaryOperation] = [
    UnaryOperation(name: "negate", domain: .uniform(-2, 2)) { -$0 },
    UnaryOperation(name: "exp", domain: .uniform(-2, 2)) { exp($0) },
    UnaryOperation(name: "log", domain: .uniform(0.2, 3)) { log($0) },
    UnaryOperation(name: "sqrt", domain: .uniform(0.2, 3)) { sqrt($0) },
    UnaryOperation(name: "abs", domain: .awayFromZero(0.1, 2)) { abs($0) },
    UnaryOperation(name: "tanh", domain: .uniform(-3, 3)) { tanh($0) },
    UnaryOperation(name: "sigmoid", domain: .uniform(-4, 4)) { sigmoid($0) },
    UnaryOperation(name: "relu", domain: .awayFromZero(0.1, 2)) { relu($0) },
    UnaryOperation(name: "leakyRelu default slope", domain: .awayFromZero(0.1, 2)) { leakyRelu($0) },
    UnaryOperation(name: "leakyRelu slope 0.3", domain: .awayFromZero(0.1, 2)) { leakyRelu($0, slope: 0.3) },
    UnaryOperation(name: "square", domain: .uniform(-2, 2)) { square($0) },
    // Integer exponents, including the kernel's fast paths 1, 2, 3 and -1, on both signs.
    UnaryOperation(name: "pow 1", domain: .uniform(-2, 2)) { pow($0, 1) },
    UnaryOperation(name: "pow 2", domain: .uniform(-2, 2)) { pow($0, 2) },
    UnaryOperation(name: "pow 3", domain: .uniform(-2, 2)) { pow($0, 3) },
    UnaryOperation(name: "pow 4", domain: .uniform(-2, 2)) { pow($0, 4) },
    UnaryOperation(name: "pow -1", domain: .awayFromZero(0.5, 2)) { pow($0, -1) },
    UnaryOperation(name: "pow -2", domain: .awayFromZero(0.5, 2)) { pow($0, -2) },
    // Fractional exponents (the fast path 0.5 and the general path) on the positive domain.
    UnaryOperation(name: "pow 0.5", domain: .uniform(0.3, 3)) { pow($0, 0.5) },
    UnaryOperation(name: "pow 1.5", domain: .uniform(0.3, 3)) { pow($0, 1.5) },
    UnaryOperation(name: "pow 2.7", domain: .uniform(0.3, 3)) { pow($0, 2.7) },
    UnaryOperation(name: "pow -0.5", domain: .uniform(0.3, 3)) { pow($0, -0.5) },
    UnaryOperation(name: "pow -1.3", domain: .uniform(0.3, 3)) { pow($0, -1.3) },
]

private let unarySpecs: [GradientSpec] = unaryOperations.flatMap { operation in
    unaryShapes.map { shape in
        let apply = operation.apply
        return GradientSpec(operation.name, [shape], [operation.domain]) { apply($0[0]) }
    }
}

@Test(arguments: unarySpecs)
func unaryGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

/// A chain of unary ops, so pullbacks that read the forward output (exp, sqrt, tanh, sigmoid) are
/// exercised on outputs that are themselves recorded.
@Test func chainedUnaryGradient() {
    let spec = GradientSpec("chain", [[4, 3]], [.uniform(0.2, 2)]) { inputs in
        sigmoid(tanh(sqrt(exp(log(inputs[0]) * 0.5)))) * pow(inputs[0], 1.5)
    }
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

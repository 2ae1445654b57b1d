import Orbit
import Testing
import _OrbitTestSupport

// Element-wise functions of two tensors with NumPy broadcasting (STYLE T1/T2). The broadcast cotangent
// is summed back to each operand's shape by the backward pass; every pairing below makes at least one
// operand smaller than the output, except the equal-shape control.

/// Operand shape pairs: equal shapes, rank 0 with rank 0, [3, 1]·[1, 4] (both broadcast), a trailing
/// vector, size 1 against size 5 (both orders), a scalar against a matrix and a three-way mix.
private let shapePairs: [([Int], [Int])] = [
    ([3, 4], [3, 4]), ([], []), ([3, 1], [1, 4]), ([2, 3, 4], [4]), ([1], [5]), ([5], [1]),
    ([], [2, 3]), ([2, 1, 3], [4, 1]),
]

private struct BinaryOperation: Sendable {
    let name: String
    let domains: [InputDomain]
    let apply: @Sendable (Tensor, Tensor) -> Tensor
}

private let binaryOperations: [BinaryOperation] = [
    BinaryOperation(name: "add", domains: [.uniform(-1, 1)]) { $0 + $1 },
    BinaryOperation(name: "subtract", domains: [.uniform(-1, 1)]) { $0 - $1 },
    BinaryOperation(name: "multiply", domains: [.uniform(-1, 1)]) { $0 * $1 },
    BinaryOperation(name: "divide", domains: [.uniform(-1, 1), .awayFromZero(0.5, 2)]) { $0 / $1 },
    // Operands on one shuffled grid: never equal, never within 0.005 of each other.
    BinaryOperation(name: "maximum", domains: [.distinct]) { maximum($0, $1) },
    BinaryOperation(name: "minimum", domains: [.distinct]) { minimum($0, $1) },
]

private let binarySpecs: [GradientSpec] = binaryOperations.flatMap { operation in
    shapePairs.map { first, second in
        let apply = operation.apply
        return GradientSpec(operation.name, [first, second], operation.domains) { apply($0[0], $0[1]) }
    }
}

@Test(arguments: binarySpecs)
func binaryGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

/// Swift numbers as operands: the number becomes a rank-0 constant; only the tensor gets a gradient.
private let scalarOperandSpecs: [GradientSpec] = [
    GradientSpec("x * 2", [[3, 4]]) { $0[0] * 2.0 },
    GradientSpec("2 * x", [[5]]) { 2.0 * $0[0] },
    GradientSpec("x + 0.5", [[2, 3]]) { $0[0] + 0.5 },
    GradientSpec("0.5 + x", [[]]) { 0.5 + $0[0] },
    GradientSpec("x - 2", [[1]]) { $0[0] - 2.0 },
    GradientSpec("1.5 - x", [[2, 3]]) { 1.5 - $0[0] },
    GradientSpec("x / 3", [[4, 1]]) { $0[0] / 3.0 },
    GradientSpec("1 / x", [[3, 4]], [.awayFromZero(0.5, 2)]) { 1.0 / $0[0] },
    GradientSpec("1 / x rank 0", [[]], [.awayFromZero(0.5, 2)]) { 1.0 / $0[0] },
    GradientSpec("compound assignments += *= -= /=", [[3], [3]]) { inputs in
        var x = inputs[0]
        x += inputs[1]
        x *= inputs[0]
        x -= inputs[1]
        x /= inputs[0] * inputs[0] + 1.0
        return x
    },
]

@Test(arguments: scalarOperandSpecs)
func scalarOperandGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}

/// `select(mask, a, b)`: the mask is a fixed bool tensor; mask, a and b broadcast together.
private let selectSpecs: [GradientSpec] = [
    GradientSpec("select equal shapes", [[2, 3], [2, 3]]) {
        select(Tensor([true, false, true, false, false, true], shape: [2, 3]), $0[0], $0[1])
    },
    GradientSpec("select mask [3, 1]", [[3, 4], [4]]) {
        select(Tensor([true, false, true], shape: [3, 1]), $0[0], $0[1])
    },
    GradientSpec("select rank-0 a", [[], [2, 4]]) {
        select(Tensor([false, true, true, false], shape: [4]), $0[0], $0[1])
    },
    GradientSpec("select mask larger than both values", [[4], [3, 1]]) {
        select(Tensor((0..<24).map { $0 % 3 == 0 || $0 % 5 == 1 }, shape: [2, 3, 4]), $0[0], $0[1])
    },
    GradientSpec("select with a constant", [[2, 3]]) {
        select(Tensor([true, true, false, false, true, false], shape: [2, 3]), $0[0], 0.25)
    },
    GradientSpec("select constant first", [[2, 3]]) {
        select(Tensor([true, true, false, false, true, false], shape: [2, 3]), -0.5, $0[0])
    },
]

@Test(arguments: selectSpecs)
func selectGradient(_ spec: GradientSpec) {
    let check = spec.check()
    #expect(check.passed, "\(check)")
}
